/**
 * The device benchmark's world (measure 7): S Datto sites with one Autotask company each, D devices
 * spread over them, a configuration item per device except a share of new ones (values equal to
 * the device's, as the native integration leaves them), a share of devices whose operating system
 * changed in Datto since. Built into a started default-seed sandbox, in this process or in the
 * wall-time bench's sandbox process.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox';
import { defaultScenario } from '../sandbox/scenario';
import type { Scenario } from '../sandbox/scenario';

export interface DeviceWorldSizes {
	devices: number;
	sites: number;
	/** Share of devices with no configuration item yet (0..1). */
	newShare: number;
	/** Share of devices whose operating system changed in Datto since their item was written (0..1). */
	changeShare: number;
}

const COMPANY_BASE = 39_000_000;
const SITE_BASE = 700_000;
const DEVICE_BASE = 5_000_000;
const ITEM_BASE = 49_000_000;
const CATEGORIES = ['Desktop', 'Laptop', 'Server'] as const;
/** The configuration item UDF Datto's udf1 maps to in the default scenario. */
const UDF_SLOT = 'udf1';

const uuid = (kind: number, n: number) =>
	`${String(kind).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Indices spread evenly over 0..total-1 (so every listing page has some). */
function spread(total: number, count: number, offset = 0): Set<number> {
	const out = new Set<number>();
	for (let k = 0; k < count; k++) out.add(Math.floor(((k + 0.5 + offset) * total) / count) % total);
	return out;
}

export function deviceWorldCounts(sizes: DeviceWorldSizes) {
	const created = Math.round(sizes.devices * sizes.newShare);
	const updated = Math.round(sizes.devices * sizes.changeShare);
	return { created, updated, items: sizes.devices - created };
}

/**
 * Replaces the started (default-seed) sandbox's Datto sites and devices with the bench world and
 * adds its companies and configuration items to Autotask. The default seed's own items stay (their
 * companies are in no row, so the sync never reads them).
 */
export function growDeviceWorld(sandbox: Sandbox, sizes: DeviceWorldSizes): void {
	const { datto, autotask } = sandbox;
	const scenario = benchScenario();
	const siteTemplate = structuredClone(datto.sites[0]);
	const deviceTemplate = structuredClone(datto.devices[0]);
	const itemTemplate = structuredClone(autotask.configurationItems[0]);
	const companyTemplate = structuredClone(
		autotask.companies.find((row) => Number(row.id) > 0) ?? autotask.companies[0],
	);
	datto.sites.splice(0);
	datto.devices.splice(0);
	datto.deviceAudits.clear();
	const perSite = Math.ceil(sizes.devices / sizes.sites);
	for (let s = 0; s < sizes.sites; s++) {
		const name = `Bench Customer ${s + 1}`;
		datto.sites.push({
			...structuredClone(siteTemplate),
			id: SITE_BASE + s,
			uid: uuid(7, s),
			name,
			autotaskCompanyId: String(COMPANY_BASE + s),
			autotaskCompanyName: name,
			devicesStatus: {
				numberOfDevices: perSite,
				numberOfOnlineDevices: perSite,
				numberOfOfflineDevices: 0,
			},
		});
		autotask.companies.push({
			...structuredClone(companyTemplate),
			id: COMPANY_BASE + s,
			companyName: name,
			companyNumber: `BENCH-${s + 1}`,
		});
	}
	const { created, updated } = deviceWorldCounts(sizes);
	const fresh = spread(sizes.devices, created);
	const changed = spread(sizes.devices, updated, 0.25);
	const now = Date.now();
	for (let d = 0; d < sizes.devices; d++) {
		const s = d % sizes.sites;
		const n = Math.floor(d / sizes.sites);
		const category = CATEGORIES[d % CATEGORIES.length];
		const uid = uuid(5, d);
		const device = {
			...structuredClone(deviceTemplate),
			id: DEVICE_BASE + d,
			uid,
			siteId: SITE_BASE + s,
			siteUid: uuid(7, s),
			siteName: `Bench Customer ${s + 1}`,
			deviceType: { category, type: 'Generic' },
			hostname: `BENCH${s + 1}-${category.slice(0, 2).toUpperCase()}${n}`,
			intIpAddress: `10.${s}.${n >> 8}.${n & 255}`,
			extIpAddress: `198.51.100.${s}`,
			operatingSystem: category === 'Server' ? 'Windows Server 2022' : 'Windows 11 Pro 23H2',
			lastLoggedInUser: `BENCH\\user${d}`,
			description: null,
			deleted: false,
			lastSeen: now - 3_600_000,
			creationDate: Date.UTC(2024, 0, 1 + (d % 365)),
			udf: { [UDF_SLOT]: `Customer ${s + 1}` },
		};
		const serialNumber = `SNB${d}`;
		datto.deviceAudits.set(uid, { bios: { serialNumber } });
		if (!fresh.has(d)) {
			const target = scenario.deviceSync!.deviceTypeMap[category];
			autotask.configurationItems.push({
				...structuredClone(itemTemplate),
				id: ITEM_BASE + d,
				companyID: COMPANY_BASE + s,
				productID: target.productId,
				configurationItemType: target.configurationItemType ?? null,
				contractID: null,
				isActive: true,
				referenceTitle: device.hostname,
				serialNumber,
				rmmDeviceUID: uid,
				rmmDeviceID: device.id,
				rmmDeviceAuditHostname: device.hostname,
				rmmDeviceAuditIPAddress: device.intIpAddress,
				rmmDeviceAuditExternalIPAddress: device.extIpAddress,
				rmmDeviceAuditOperatingSystem: device.operatingSystem,
				rmmDeviceAuditLastUser: device.lastLoggedInUser,
				rmmDeviceAuditDescription: null,
				installDate: new Date(device.creationDate).toISOString(),
				notes: null,
				userDefinedFields: [
					{ name: scenario.deviceSync!.udfMap[UDF_SLOT], value: device.udf.udf1 },
				],
			});
		}
		// Datto's value moved on after the item was written: the one difference a run must write.
		if (changed.has(d)) device.operatingSystem = `${device.operatingSystem} (upgraded)`;
		datto.devices.push(device as (typeof datto.devices)[number]);
	}
}

/** The default scenario's device-type and UDF mappings; no contract rules (their companies are the default seed's). */
export function benchScenario(): Scenario {
	const scenario = defaultScenario();
	const mappings = scenario.deviceSync!;
	return {
		...scenario,
		customers: undefined,
		deviceSync: { ...mappings, contracts: [] },
	};
}

/** The customer map rows: one per site, as an MSP moving from the native integration starts it. */
export function deviceWorldRows(sizes: DeviceWorldSizes): IDataObject[] {
	return Array.from({ length: sizes.sites }, (_, s) => ({
		name: `Bench Customer ${s + 1}`,
		autotaskCompanyId: COMPANY_BASE + s,
		dattoSiteUids: uuid(7, s),
	}));
}
