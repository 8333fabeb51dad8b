/**
 * Datto RMM API v2 on 127.0.0.1: the password-grant token endpoint, account/site/device open and
 * resolved alerts with Datto's paging (nextPageUrl drops the `muted` filter, as the live API
 * drops filter parameters), single alerts, resolve, sites (with the Autotask company mapping),
 * devices and their audits (devices.ts); the account's read and write rate windows; errors as Datto's plain JSON. Control
 * routes under /_sandbox/datto raise and resolve alerts and deliver their webhooks.
 */
import { delay, Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import type { VendorContext, VendorSandbox } from '../core/vendor';
import type { DattoAlert } from './records';
import { addDeviceRoutes } from './devices';
import { DattoState } from './state';
import type { RaiseAlertInput, WebhookOptions } from './state';

export { DattoState };
export type { RaiseAlertInput, WebhookOptions };

const PUBLIC_CLIENT = `Basic ${Buffer.from('public-client:public').toString('base64')}`;

/** Datto's error body: Spring's {timestamp, status, error, path} plus the message. */
export function dattoErrorBody(
	status: number,
	path: string,
	message?: string,
): Record<string, unknown> {
	const reasons: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		405: 'Method Not Allowed',
		409: 'Conflict',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
	};
	const body: Record<string, unknown> = {
		timestamp: Date.now(),
		status,
		error: reasons[status] ?? 'Error',
		path: path.replace(/^\/api(?=\/)/, ''),
	};
	if (message) body.message = message;
	return body;
}

const error = (
	status: number,
	request: SandboxRequest,
	message?: string,
	headers?: Record<string, string>,
): SandboxResponse => ({
	status,
	headers,
	body: dattoErrorBody(status, request.path, message),
});

export function createDattoSandbox(
	seed: Record<string, unknown[]>,
	context: VendorContext,
): VendorSandbox<DattoState> {
	const state = new DattoState(seed);
	const router = new Router();

	router.add('POST', '/auth/oauth/token', (request) => {
		if (request.headers.authorization !== PUBLIC_CLIENT) {
			return {
				status: 401,
				body: {
					error: 'unauthorized',
					error_description: 'Full authentication is required to access this resource',
				},
			};
		}
		const form = (request.body ?? {}) as Record<string, string>;
		if (form.grant_type !== 'password') {
			return {
				status: 400,
				body: {
					error: 'unsupported_grant_type',
					error_description: `Unsupported grant type: ${form.grant_type ?? ''}`,
				},
			};
		}
		const user = state.apiUsers.find(
			(u) => u.apiKey === form.username && u.apiSecret === form.password,
		);
		if (!user)
			return {
				status: 400,
				body: { error: 'invalid_grant', error_description: 'Bad credentials' },
			};
		const { token, expiresIn } = state.issueToken(user.apiKey);
		return {
			status: 200,
			body: { access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: 'default' },
		};
	});

	/** Bearer check and the account's rate window around every API route. */
	const api =
		(
			kind: 'read' | 'write',
			handler: (
				request: SandboxRequest,
				user: string,
			) => SandboxResponse | Promise<SandboxResponse>,
		) =>
		async (request: SandboxRequest): Promise<SandboxResponse> => {
			const header = request.headers.authorization ?? '';
			const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
			const issued = token ? state.tokens.get(token) : undefined;
			if (!issued)
				return error(401, request, 'Full authentication is required to access this resource');
			if (
				issued.expiresAt <= state.now() ||
				(issued.usesLeft !== undefined && issued.usesLeft <= 0)
			) {
				return error(401, request, 'Access token expired');
			}
			if (issued.usesLeft !== undefined) issued.usesLeft--;
			const admitted = state.admit(kind);
			if (admitted.refused) {
				return error(
					429,
					request,
					kind === 'read'
						? `Request rate limit exceeded: ${state.config.readLimit} requests per ${state.config.windowMs / 1000} seconds`
						: `Write rate limit exceeded: ${state.config.writeLimit} requests per ${state.config.windowMs / 1000} seconds`,
					state.config.retryAfter
						? { 'Retry-After': String(admitted.retryAfterSeconds) }
						: undefined,
				);
			}
			if (admitted.delayMs) await delay(admitted.delayMs);
			const user =
				state.apiUsers.find((u) => u.apiKey === issued.apiKey)?.userName ?? issued.apiKey;
			return await handler(request, user);
		};

	const pageOf = <T>(
		request: SandboxRequest,
		all: T[],
		key: string,
		defaults: { size: number; max: number },
		keep: string[],
	): SandboxResponse => {
		const page = Math.max(0, Number.parseInt(request.query.get('page') ?? '0', 10) || 0);
		const asked = Number.parseInt(request.query.get('max') ?? '', 10);
		const size = Math.min(
			defaults.max,
			Number.isFinite(asked) && asked > 0 ? asked : defaults.size,
		);
		const slice = all.slice(page * size, page * size + size);
		// Like the live API, the links keep only some of the parameters (filters such as muted or
		// siteName are dropped); clients must add them back.
		const link = (target: number) => {
			const params = new URLSearchParams();
			for (const name of keep) {
				const value = request.query.get(name);
				if (value !== null) params.set(name, value);
			}
			params.set('max', String(size));
			params.set('page', String(target));
			return `${context.baseUrl()}${request.path}?${params.toString()}`;
		};
		return {
			status: 200,
			body: {
				pageDetails: {
					count: slice.length,
					totalCount: all.length,
					prevPageUrl: page > 0 ? link(page - 1) : null,
					nextPageUrl: (page + 1) * size < all.length ? link(page + 1) : null,
				},
				[key]: slice,
			},
		};
	};

	const alertList = (
		request: SandboxRequest,
		alerts: DattoAlert[],
		resolved: boolean,
	): SandboxResponse => {
		const muted = request.query.get('muted');
		const filtered = alerts
			.filter((alert) => (alert.resolved === true) === resolved)
			.filter((alert) => muted === null || String(alert.muted === true) === muted.toLowerCase())
			.sort(
				(a, b) =>
					Number(b.timestamp ?? 0) - Number(a.timestamp ?? 0) ||
					a.alertUid.localeCompare(b.alertUid),
			);
		return pageOf(
			request,
			filtered,
			'alerts',
			{ size: state.config.alertPageSize, max: state.config.maxAlertPageSize },
			[],
		);
	};

	for (const resolved of [false, true]) {
		const state_ = resolved ? 'resolved' : 'open';
		router.add(
			'GET',
			`/api/v2/account/alerts/${state_}`,
			api('read', (request) => alertList(request, state.alerts, resolved)),
		);
		router.add(
			'GET',
			`/api/v2/site/{siteUid}/alerts/${state_}`,
			api('read', (request) => {
				if (!state.site(request.params.siteUid)) return error(404, request, 'Site was not found.');
				return alertList(
					request,
					state.alerts.filter((a) => a.alertSourceInfo?.siteUid === request.params.siteUid),
					resolved,
				);
			}),
		);
		router.add(
			'GET',
			`/api/v2/device/{deviceUid}/alerts/${state_}`,
			api('read', (request) => {
				if (!state.device(request.params.deviceUid))
					return error(404, request, 'Device was not found.');
				return alertList(
					request,
					state.alerts.filter((a) => a.alertSourceInfo?.deviceUid === request.params.deviceUid),
					resolved,
				);
			}),
		);
	}

	router.add(
		'GET',
		'/api/v2/alert/{alertUid}',
		api('read', (request) => {
			const alert = state.alert(request.params.alertUid);
			return alert ? { status: 200, body: alert } : error(404, request, 'Alert was not found.');
		}),
	);

	router.add(
		'POST',
		'/api/v2/alert/{alertUid}/resolve',
		api('write', (request, user) => {
			const alert = state.alert(request.params.alertUid);
			if (!alert) return error(404, request, 'Alert was not found.');
			// Resolving a resolved alert changes nothing [U: the live answer is not documented].
			state.resolveAlert(alert.alertUid, user);
			return { status: 200 };
		}),
	);

	router.add(
		'GET',
		'/api/v2/account/sites',
		api('read', (request) => {
			const name = request.query.get('siteName')?.toLowerCase();
			const sites = state.sites.filter(
				(site) =>
					!name ||
					String(site.name ?? '')
						.toLowerCase()
						.includes(name),
			);
			return pageOf(
				request,
				sites,
				'sites',
				{ size: state.config.sitePageSize, max: state.config.maxSitePageSize },
				[],
			);
		}),
	);

	router.add(
		'GET',
		'/api/v2/site/{siteUid}',
		api('read', (request) => {
			const site = state.site(request.params.siteUid);
			return site ? { status: 200, body: site } : error(404, request, 'Site was not found.');
		}),
	);

	router.add(
		'GET',
		'/api/v2/device/{deviceUid}',
		api('read', (request) => {
			const device = state.device(request.params.deviceUid);
			return device ? { status: 200, body: device } : error(404, request, 'Device was not found.');
		}),
	);

	addDeviceRoutes({ router, state, api, pageOf, error });

	// ---- control routes (no vendor API; for `npm run sandbox` users and the end-to-end lane)

	router.add('POST', '/_sandbox/datto/alerts', (request) => {
		try {
			const alert = state.raiseAlert(request.body as RaiseAlertInput);
			return { status: 201, body: { alert, webhook: state.webhookBody(alert.alertUid, 'raised') } };
		} catch (caught) {
			return { status: 400, body: { message: (caught as Error).message } };
		}
	});

	router.add('POST', '/_sandbox/datto/alerts/{alertUid}/resolve', (request) => {
		try {
			const alert = state.resolveAlert(
				request.params.alertUid,
				String((request.body as { by?: string })?.by ?? 'Auto-resolve'),
			);
			return {
				status: 200,
				body: { alert, webhook: state.webhookBody(alert.alertUid, 'resolved') },
			};
		} catch (caught) {
			return { status: 404, body: { message: (caught as Error).message } };
		}
	});

	router.add('POST', '/_sandbox/datto/webhooks/deliver', async (request) => {
		const { url, source, ...options } = (request.body ?? {}) as {
			url?: string;
			source?: 'seed' | 'outbox';
		} & WebhookOptions;
		if (!url) return { status: 400, body: { message: 'Give the webhook URL as {"url": "..."}' } };
		const bodies =
			source === 'outbox'
				? state.takeOutbox().map((entry) => entry.body)
				: state.takeSeedWebhooks();
		const results = [];
		// Seed bodies first make Datto's state what they report (a resolved body resolves its alert).
		try {
			for (const body of bodies)
				results.push(
					await state.deliver(
						url,
						source === 'outbox' ? body : state.replaySeedWebhook(body),
						options,
					),
				);
		} catch (caught) {
			return {
				status: 502,
				body: { message: (caught as Error).message, delivered: results.length },
			};
		}
		return {
			status: 200,
			body: { delivered: results.length, statuses: results.map((result) => result.status) },
		};
	});

	return {
		router,
		state,
		dump: () => state.dump(),
		// A wrong platform or path answers 404 (not 401), as Datto does.
		notFound: (request) => error(404, request),
		methodNotAllowed: (request) =>
			error(405, request, `Request method '${request.method}' not supported`),
	};
}
