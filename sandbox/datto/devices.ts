/**
 * Datto RMM's device routes: the account's and a site's devices (v2, and v3 with typed UDFs) with
 * Datto's paging, and device audits (hardware, BIOS serial number). What the live API does that its
 * document leaves open is marked [U].
 */
import type { Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import type { DattoDevice } from './records';
import type { DattoState } from './state';

/** What the Datto sandbox's index lends its route modules. */
export interface DattoRouteKit {
	router: Router;
	state: DattoState;
	api: (
		kind: 'read' | 'write',
		handler: (request: SandboxRequest, user: string) => SandboxResponse | Promise<SandboxResponse>,
	) => (request: SandboxRequest) => Promise<SandboxResponse>;
	pageOf: <T>(
		request: SandboxRequest,
		all: T[],
		key: string,
		defaults: { size: number; max: number },
		keep: string[],
	) => SandboxResponse;
	error: (status: number, request: SandboxRequest, message?: string) => SandboxResponse;
}

/**
 * A v3 device: the v2 record with its `udf1`…`udf300` values as `udfs: [{ordinal, type, value…}]`.
 * [U] Which slots a live v3 record lists: here the ones with a value.
 */
export function deviceV3(device: DattoDevice): Record<string, unknown> {
	const { udf, ...rest } = device as DattoDevice & { udf?: Record<string, unknown> | null };
	const udfs: Array<Record<string, unknown>> = [];
	for (const [name, value] of Object.entries(udf ?? {})) {
		const slot = /^udf(\d+)$/.exec(name);
		if (!slot || value === null || value === undefined || value === '') continue;
		udfs.push({ ordinal: Number(slot[1]), type: 'STRING', valueString: String(value) });
	}
	udfs.sort((a, b) => Number(a.ordinal) - Number(b.ordinal));
	return { ...rest, udfs };
}

export function addDeviceRoutes({ router, state, api, pageOf, error }: DattoRouteKit): void {
	const page = (request: SandboxRequest, devices: DattoDevice[], version: 2 | 3) =>
		pageOf(
			request,
			version === 3 ? devices.map(deviceV3) : devices,
			'devices',
			{ size: state.config.devicePageSize, max: state.config.maxDevicePageSize },
			[],
		);

	for (const version of [2, 3] as const) {
		router.add(
			'GET',
			`/api/v${version}/account/devices`,
			api('read', (request) => {
				const hostname = request.query.get('hostname')?.toLowerCase();
				const devices = state.devices.filter(
					(device) =>
						!hostname ||
						String(device.hostname ?? '')
							.toLowerCase()
							.includes(hostname),
				);
				return page(request, devices, version);
			}),
		);
		router.add(
			'GET',
			`/api/v${version}/site/{siteUid}/devices`,
			api('read', (request) => {
				if (!state.site(request.params.siteUid))
					return error(404, request, 'Site or filter not found.');
				const devices = state.devices.filter((device) => device.siteUid === request.params.siteUid);
				return page(request, devices, version);
			}),
		);
	}

	router.add(
		'GET',
		'/api/v2/audit/device/{deviceUid}',
		api('read', (request) => {
			const device = state.device(request.params.deviceUid);
			if (!device) return error(404, request, 'Device was not found.');
			if ((device.deviceClass ?? 'device') !== 'device')
				return error(
					400,
					request,
					'The device identified by the given device UID is not of class device.',
				);
			const audit = state.deviceAudits.get(device.uid) ?? {};
			return {
				status: 200,
				body: {
					portalUrl: device.portalUrl ?? null,
					webRemoteUrl: device.webRemoteUrl ?? null,
					...audit,
				},
			};
		}),
	);

	router.add(
		'GET',
		'/api/v2/system/pagination',
		api('read', () => ({ status: 200, body: { max: state.config.maxDevicePageSize } })),
	);
}
