import { parseCustomerMap } from '../../lib/customers/map';
import type { Device } from '../../lib/devices/device';
import { readDattoDevice } from '../../lib/devices/device';
import { DEVICE_FIELDS, itemSchema, MAPPING_FIELDS } from '../../lib/devices/fields';
import type { ItemSchema } from '../../lib/devices/fields';
import type { DeviceMapping } from '../../lib/devices/mapping';
import type { DeviceState } from '../../lib/devices/state';
import { applyDevicePlan, nextDeviceState } from '../../lib/devices/apply';
import type { ItemWriter } from '../../lib/devices/apply';
import { planDeviceSync } from '../../lib/devices/plan';
import { dayOf } from '../../lib/devices/state';
import type { DeviceSyncInput, DeviceSyncOptions, DeviceSyncPlan } from '../../lib/devices/types';
import type { AutotaskFieldInfo } from '../../lib/transport/autotask/types';

/** Builders for the planner's tests: small worlds of devices, items and customers. */

export const NOW = Date.parse('2026-11-23T09:00:00Z');
export const DAY = 86_400_000;

export const SITE_A = 'site-a';
export const SITE_B = 'site-b';
export const SITE_LOOSE = 'site-loose';
export const COMPANY_A = 101;
export const COMPANY_B = 102;
export const COMPANY_OUTSIDE = 999;

export const customers = () =>
	parseCustomerMap([
		{ name: 'Alpha', autotaskCompanyId: COMPANY_A, dattoSiteUids: SITE_A },
		{ name: 'Beta', autotaskCompanyId: COMPANY_B, dattoSiteUids: SITE_B },
	]);

let uidCounter = 0;

export function device(fields: Record<string, unknown> = {}): Device {
	uidCounter++;
	const uid = `00000000-0000-4000-8000-${String(uidCounter).padStart(12, '0')}`;
	return readDattoDevice({
		uid,
		id: 1000 + uidCounter,
		siteUid: SITE_A,
		siteName: 'Alpha HQ',
		hostname: `HOST-${uidCounter}`,
		deviceType: { category: 'Desktop', type: 'Desktop' },
		deviceClass: 'device',
		intIpAddress: `10.0.0.${uidCounter}`,
		operatingSystem: 'Windows 11',
		lastLoggedInUser: 'ALPHA\\ann',
		creationDate: Date.parse('2025-01-10T08:00:00Z'),
		lastSeen: NOW - 3_600_000,
		serialNumber: `SER${uidCounter}XYZ`,
		deleted: false,
		...fields,
	})!;
}

let itemCounter = 5000;

/** A configuration item linked to `of` (by rmmDeviceUID) and in line with it, unless fields say otherwise. */
export function item(of: Device | undefined, fields: Record<string, unknown> = {}) {
	itemCounter++;
	return {
		id: itemCounter,
		companyID: COMPANY_A,
		isActive: true,
		productID: 70,
		configurationItemType: 1,
		referenceTitle: of?.hostname ?? null,
		serialNumber: of?.serialNumber ?? null,
		installDate: of?.creationDate ? new Date(of.creationDate).toISOString() : null,
		rmmDeviceUID: of?.uid ?? null,
		rmmDeviceID: of?.id ?? null,
		rmmDeviceAuditHostname: of?.hostname ?? null,
		rmmDeviceAuditIPAddress: of?.intIpAddress ?? null,
		rmmDeviceAuditExternalIPAddress: null,
		rmmDeviceAuditOperatingSystem: of?.operatingSystem ?? null,
		rmmDeviceAuditLastUser: of?.lastLoggedInUser ?? null,
		rmmDeviceAuditDescription: null,
		contractID: null,
		notes: null,
		userDefinedFields: [{ name: 'Customer Code', value: null }],
		...fields,
	} as Record<string, unknown>;
}

function info(name: string, more: Partial<AutotaskFieldInfo> = {}): AutotaskFieldInfo {
	return {
		name,
		dataType: 'string',
		length: 100,
		isRequired: false,
		isReadOnly: false,
		isQueryable: true,
		isReference: false,
		isPickList: false,
		...more,
	};
}

export function schema(
	options: { readOnly?: string[]; required?: string[]; lengths?: Record<string, number> } = {},
): ItemSchema {
	const names = [
		'id',
		'companyID',
		'isActive',
		'notes',
		'rmmDeviceUID',
		...DEVICE_FIELDS.map((f) => f.field),
		...MAPPING_FIELDS.map((f) => f.field),
	];
	const fields = names.map((name) =>
		info(name, {
			isReadOnly: name === 'id' || (options.readOnly ?? []).includes(name),
			isRequired: ['companyID', 'productID', ...(options.required ?? [])].includes(name),
			length: options.lengths?.[name] ?? 100,
			...(name === 'configurationItemType'
				? {
						isPickList: true,
						picklistValues: [
							{ value: '1', label: 'Workstation' },
							{ value: '2', label: 'Server' },
						],
					}
				: {}),
		}),
	);
	return itemSchema(fields, ['Customer Code', 'Asset Tag']);
}

export function mapping(more: Partial<DeviceMapping> = {}): DeviceMapping {
	return {
		typeRules: [
			{ key: 'desktop', productId: 70, configurationItemType: 1 },
			{ key: 'server', productId: 71, configurationItemType: 2 },
		],
		udfRules: [],
		contractRules: [],
		...more,
	};
}

export function options(more: Partial<DeviceSyncOptions> = {}): DeviceSyncOptions {
	return {
		now: NOW,
		graceDays: 30,
		guard: { alwaysAllow: 3, maxShare: 0.2 },
		scope: 'account',
		...more,
	};
}

export interface World {
	devices: Device[];
	items: Array<Record<string, unknown>>;
	state: DeviceState;
	input?: Partial<DeviceSyncInput>;
}

export function plan(world: World): DeviceSyncPlan {
	return planDeviceSync({
		devices: world.devices,
		items: world.items,
		customers: customers(),
		mapping: mapping(),
		schema: schema(),
		state: world.state,
		options: options(),
		...world.input,
	});
}

/** A writer over the world's items: creates append, updates merge (like Autotask's PATCH). */
export function memoryWriter(
	world: World,
	fail?: (body: Record<string, unknown>) => string | undefined,
): ItemWriter & { calls: string[] } {
	let nextId = 9000;
	const calls: string[] = [];
	return {
		calls,
		async create(body) {
			const problem = fail?.(body);
			if (problem) throw new Error(problem);
			const id = ++nextId;
			calls.push(`create ${id}`);
			const udfs = (body.userDefinedFields ?? []) as Array<{ name: string; value: string }>;
			world.items.push({ ...body, id, userDefinedFields: udfs });
			return id;
		},
		async update(body) {
			const problem = fail?.(body);
			if (problem) throw new Error(problem);
			calls.push(`update ${body.id}`);
			const row = world.items.find((candidate) => candidate.id === body.id)!;
			const { userDefinedFields, ...rest } = body;
			Object.assign(row, rest);
			for (const udf of (userDefinedFields ?? []) as Array<{ name: string; value: string }>) {
				const list = row.userDefinedFields as Array<{ name: string; value: string | null }>;
				const found = list.find((entry) => entry.name === udf.name);
				if (found) found.value = udf.value;
				else list.push({ ...udf });
			}
		},
		async findByDevice() {
			return undefined;
		},
	};
}

/** Plans, applies through the memory writer and keeps the memory, as one run of the node. */
export async function run(
	world: World,
	fail?: (body: Record<string, unknown>) => string | undefined,
) {
	const planned = plan(world);
	const writer = memoryWriter(world, fail);
	const applied = await applyDevicePlan(planned, writer);
	world.state = nextDeviceState(
		world.state,
		planned,
		applied,
		dayOf(world.input?.options?.now ?? NOW),
	);
	return { plan: planned, applied, calls: writer.calls };
}
