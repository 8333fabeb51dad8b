/**
 * What the device sync reads besides devices and configuration items: Autotask products,
 * configuration item types (whose ids are the configurationItemType picklist's values), contracts
 * with their services and bundles, and Datto's device audits (where serial numbers come from).
 */
import type { DeviceSyncScenario } from '../scenario';
import { CUSTOMERS } from './customers';
import type { DeviceRecord } from './datto';
import type { Row } from './layout';
import { daysAgo, iso } from './random';
import type { SeededRandom } from './random';

/** A configuration item UDF the tenant defines; the shipped scenario writes Datto's udf1 into it. */
export const CUSTOMER_CODE_UDF = 'Customer Code';

/** The serial number a device's firmware reports (its audit) and its configuration item holds. */
export function seedSerial(device: DeviceRecord): string {
	// A white-box PC whose firmware was never filled in: a serial that identifies nothing.
	if (device.row.hostname === 'TT-WS01') return 'To Be Filled By O.E.M.';
	return `SN${String(device.row.id).slice(-6)}`;
}

export const CONFIGURATION_ITEM_TYPES: Array<[number, string]> = [
	[1, 'Workstation'],
	[2, 'Server'],
	[3, 'Network Device'],
	[4, 'Printer'],
];

export function autotaskConfigurationItemTypes(): Row[] {
	return CONFIGURATION_ITEM_TYPES.map(([id, name]) => ({ id, name, isActive: true }));
}

/** One product per configuration item type (the native integration's items use them), and a retired one. */
export const PRODUCT_IDS = {
	workstation: 29682701,
	server: 29682702,
	network: 29682703,
	printer: 29682704,
};

export function autotaskProducts(): Row[] {
	const product = (id: number, name: string, sku: string, more: Row = {}): Row => ({
		id,
		name,
		description: null,
		sku,
		isActive: true,
		isSerialized: true,
		productCategory: null,
		productBillingCodeID: null,
		manufacturerName: null,
		manufacturerProductName: null,
		externalProductID: null,
		internalProductID: sku,
		defaultInstalledProductCategoryID: null,
		unitCost: null,
		unitPrice: null,
		createdTime: iso(daysAgo(1200)),
		...more,
	});
	return [
		product(29682699, 'Managed Desktop (2019 plan, retired)', 'MD-2019', { isActive: false }),
		product(PRODUCT_IDS.workstation, 'Managed Workstation', 'MW-01', { unitPrice: 45 }),
		product(PRODUCT_IDS.server, 'Managed Server', 'MS-01', { unitPrice: 180 }),
		product(PRODUCT_IDS.network, 'Managed Network Device', 'MN-01', { unitPrice: 25 }),
		product(PRODUCT_IDS.printer, 'Managed Printer', 'MP-01', { unitPrice: 10 }),
	];
}

export const CONTRACT_IDS = {
	contosoManaged: 29690001,
	contosoServers: 29690002,
	fabrikamManaged: 29690003,
	tailspinBlock: 29690004,
	litwareOld: 29690005,
};

export function autotaskContracts(): Row[] {
	const [contoso, fabrikam, , tailspin, litware] = CUSTOMERS;
	const contract = (id: number, companyID: number, contractName: string, more: Row = {}): Row => ({
		id,
		companyID,
		contractName,
		contractNumber: `C-${id}`,
		contractType: 7,
		contractCategory: null,
		status: 1,
		isDefaultContract: false,
		startDate: iso(daysAgo(330)),
		endDate: iso(daysAgo(-35)),
		serviceLevelAgreementID: null,
		description: null,
		...more,
	});
	return [
		contract(CONTRACT_IDS.contosoManaged, contoso.autotaskId, 'Contoso Managed Services 2026', {
			isDefaultContract: true,
		}),
		contract(CONTRACT_IDS.contosoServers, contoso.autotaskId, 'Contoso Server Care'),
		contract(CONTRACT_IDS.fabrikamManaged, fabrikam.autotaskId, 'Fabrikam Managed Services', {
			isDefaultContract: true,
		}),
		contract(CONTRACT_IDS.tailspinBlock, tailspin.autotaskId, 'Tailspin Block Hours', {
			contractType: 4,
		}),
		contract(CONTRACT_IDS.litwareOld, litware.autotaskId, 'Litware Managed Services (ended)', {
			status: 0,
			endDate: iso(daysAgo(200)),
		}),
	];
}

export function autotaskContractServices(): Row[] {
	const service = (
		id: number,
		contractID: number,
		serviceID: number,
		invoiceDescription: string,
	) => ({
		id,
		contractID,
		serviceID,
		unitPrice: null,
		unitCost: null,
		invoiceDescription,
		internalDescription: null,
		quoteItemID: null,
	});
	return [
		service(29691001, CONTRACT_IDS.contosoManaged, 101, 'Managed workstation, per device'),
		service(29691002, CONTRACT_IDS.contosoServers, 102, 'Managed server, per device'),
		service(29691003, CONTRACT_IDS.fabrikamManaged, 101, 'Managed workstation, per device'),
	];
}

export function autotaskContractServiceBundles(): Row[] {
	return [
		{
			id: 29692001,
			contractID: CONTRACT_IDS.fabrikamManaged,
			serviceBundleID: 201,
			unitPrice: null,
			adjustedPrice: null,
			invoiceDescription: 'Server care bundle',
			internalDescription: null,
			quoteItemID: null,
		},
	];
}

function hardware(kind: string, random: SeededRandom): { manufacturer: string; model: string } {
	switch (kind) {
		case 'server':
			return random.pick([
				{ manufacturer: 'Dell Inc.', model: 'PowerEdge R650' },
				{ manufacturer: 'HPE', model: 'ProLiant DL360 Gen10' },
			]);
		case 'laptop':
			return random.pick([
				{ manufacturer: 'LENOVO', model: '21HD003AUS' },
				{ manufacturer: 'Dell Inc.', model: 'Latitude 5440' },
			]);
		default:
			return random.pick([
				{ manufacturer: 'HP', model: 'HP EliteDesk 800 G9' },
				{ manufacturer: 'Dell Inc.', model: 'OptiPlex 7010' },
			]);
	}
}

/** Datto's audit of each device of class "device" (the only class `/v2/audit/device` answers for). */
export function dattoDeviceAudits(devices: DeviceRecord[], random: SeededRandom): Row[] {
	return devices
		.filter((device) => device.row.deviceClass === 'device')
		.map((device) => {
			const { manufacturer, model } = hardware(device.kind, random);
			const mac = Array.from({ length: 6 }, () =>
				random.int(0, 255).toString(16).padStart(2, '0'),
			).join(':');
			return {
				deviceUid: device.row.uid,
				systemInfo: {
					manufacturer,
					model,
					totalPhysicalMemory: (device.kind === 'server' ? 64 : 16) * 1024 ** 3,
					username: device.row.lastLoggedInUser ?? null,
					dotNetVersion: '4.8.1',
					totalCpuCores: device.kind === 'server' ? 16 : 8,
				},
				bios: {
					instance: `${manufacturer} BIOS`,
					releaseDate: iso(daysAgo(random.int(300, 900))),
					serialNumber: seedSerial(device),
					smBiosVersion: '3.4',
				},
				baseBoard: { manufacturer, product: model },
				nics: [
					{
						instance: 'Ethernet',
						ipv4: device.row.intIpAddress,
						ipv6: null,
						macAddress: mac,
						type: 'Ethernet',
					},
				],
				physicalMemory: [
					{
						module: 'DIMM 1',
						size: (device.kind === 'server' ? 32 : 8) * 1024 ** 3,
						type: 'DDR4',
						speed: '3200',
						serialNumber: `M${String(device.row.id).slice(-5)}A`,
						partNumber: 'M378A1K43EB2-CWE',
						bank: 'BANK 0',
					},
				],
			};
		});
}

/** The shipped scenario's device mappings: device types to the products above, udf1 into Customer Code, contracts. */
export function deviceSyncScenario(): DeviceSyncScenario {
	const [contoso, fabrikam] = CUSTOMERS;
	return {
		deviceTypeMap: {
			Server: { productId: PRODUCT_IDS.server, configurationItemType: 2 },
			'ESXi Host': { productId: PRODUCT_IDS.server, configurationItemType: 2 },
			Desktop: { productId: PRODUCT_IDS.workstation, configurationItemType: 1 },
			Laptop: { productId: PRODUCT_IDS.workstation, configurationItemType: 1 },
			'Network Device': { productId: PRODUCT_IDS.network, configurationItemType: 3 },
			Printer: { productId: PRODUCT_IDS.printer, configurationItemType: 4 },
		},
		udfMap: { udf1: CUSTOMER_CODE_UDF },
		contracts: [
			{ companyId: contoso.autotaskId, contractId: CONTRACT_IDS.contosoManaged },
			{
				companyId: contoso.autotaskId,
				configurationItemType: 2,
				contractId: CONTRACT_IDS.contosoServers,
			},
			{ companyId: fabrikam.autotaskId, contractId: CONTRACT_IDS.fabrikamManaged },
		],
	};
}
