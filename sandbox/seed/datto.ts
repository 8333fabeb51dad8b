/** Datto RMM: the account's sites and devices. */
import { CUSTOMERS, MSP } from './customers';
import type { Customer } from './customers';
import type { Row } from './layout';
import { FIRST_NAMES } from './names';
import { SeededRandom, daysAgo } from './random';

const DATTO_ACCOUNT_UID = 'b7e2c1d4';
export const DATTO_PLATFORM = 'merlot';

interface SiteSpec {
	key: string;
	name: string;
	customer?: Customer;
	/** A customer the PSAs do not know yet (no company): whose site it is. */
	prospect?: { name: string; identifier: string };
	/** Whether the native integration mapped it to an Autotask company. */
	mapped: boolean;
	devices: Array<
		[string, 'server' | 'desktop' | 'laptop' | 'printer' | 'network' | 'esxi', string?]
	>;
}

const SITES: SiteSpec[] = [
	{
		key: 'contoso-hq',
		name: 'Contoso HQ',
		customer: CUSTOMERS[0],
		mapped: true,
		devices: [
			['CONTOSO-DC01', 'server'],
			['CONTOSO-FS01', 'server'],
			['CONTOSO-SQL01', 'server'],
			['CONTOSO-WS001', 'desktop'],
			['CONTOSO-WS002', 'desktop'],
			['CONTOSO-WS004', 'laptop'],
			['CONTOSO-WS006', 'laptop'],
			['CONTOSO-PRN01', 'printer'],
			['CONTOSO-FW01', 'network'],
		],
	},
	{
		key: 'contoso-retail',
		name: 'Contoso Retail Stores',
		customer: CUSTOMERS[0],
		mapped: true,
		devices: [
			['RETAIL-POS01', 'desktop'],
			['RETAIL-POS02', 'desktop'],
			['RETAIL-POS03', 'desktop', 'no-ci'],
		],
	},
	{
		key: 'fabrikam',
		name: 'Fabrikam - Portland',
		customer: CUSTOMERS[1],
		mapped: true,
		devices: [
			['FAB-SRV01', 'server'],
			['FAB-LT014', 'laptop'],
			['FAB-LT022', 'laptop'],
		],
	},
	{
		key: 'adventureworks',
		name: 'Adventure Works',
		customer: CUSTOMERS[2],
		mapped: true,
		devices: [
			['AW-HV01', 'esxi'],
			['AW-WS101', 'desktop'],
		],
	},
	// Not mapped in the native integration: the node must find the company another way (the CI).
	{
		key: 'tailspin',
		name: 'Tailspin Toys (Spokane)',
		customer: CUSTOMERS[3],
		mapped: false,
		devices: [
			['TT-SRV01', 'server'],
			['TT-WS01', 'desktop', 'no-ci'],
		],
	},
	{
		key: 'northwind',
		name: 'Northwind IT - Internal',
		mapped: true,
		devices: [['NW-MON01', 'server']],
	},
	// Onboarding: the agent is deployed, but the customer has no company in either PSA yet.
	{
		key: 'wingtip',
		name: 'Wingtip Toys - Head Office',
		prospect: { name: 'Wingtip Toys', identifier: 'WingtipToys' },
		mapped: false,
		devices: [
			['WT-SRV01', 'server', 'no-ci'],
			['WT-WS01', 'desktop', 'no-ci'],
		],
	},
	{
		key: 'coho',
		name: 'Coho Winery - Walla Walla',
		customer: CUSTOMERS.find((customer) => customer.key === 'coho'),
		mapped: true,
		devices: [
			['COHO-SRV01', 'server'],
			['COHO-WS01', 'desktop'],
			['COHO-WS02', 'desktop'],
			['COHO-LT01', 'laptop'],
			['COHO-LT02', 'laptop'],
			['COHO-FW01', 'network'],
		],
	},
];

export interface DeviceRecord {
	row: Row;
	site: SiteSpec;
	siteRow: Row;
	ci: boolean;
	kind: string;
}

function deviceType(kind: string): Row {
	switch (kind) {
		case 'server':
			return { category: 'Server', type: 'Rack Mount Chassis' };
		case 'laptop':
			return { category: 'Laptop', type: 'Notebook' };
		case 'printer':
			return { category: 'Printer', type: 'Printer' };
		case 'network':
			return { category: 'Network Device', type: 'Firewall' };
		case 'esxi':
			return { category: 'ESXi Host', type: 'ESXi Host' };
		default:
			return { category: 'Desktop', type: 'Desktop' };
	}
}

export function dattoSitesAndDevices(random: SeededRandom): {
	sites: Row[];
	devices: DeviceRecord[];
} {
	const sites: Row[] = [];
	const devices: DeviceRecord[] = [];
	let deviceId = 1_448_201;
	SITES.forEach((site, siteIndex) => {
		const id = 412_001 + siteIndex;
		const company = site.customer ?? { autotaskId: MSP.autotaskId, name: MSP.name };
		const online = site.devices.filter(
			(_, i) => !(site.key === 'tailspin' && i === 0) && !(site.key === 'contoso-hq' && i === 5),
		).length;
		const siteRow: Row = {
			id,
			uid: random.uuid(),
			accountUid: DATTO_ACCOUNT_UID,
			name: site.name,
			description: site.customer
				? `${site.customer.name} managed site`
				: site.prospect
					? `${site.prospect.name} (onboarding)`
					: 'MSP internal systems',
			notes: null,
			onDemand: false,
			splashtopAutoInstall: true,
			proxySettings: null,
			devicesStatus: {
				numberOfDevices: site.devices.length,
				numberOfOnlineDevices: online,
				numberOfOfflineDevices: site.devices.length - online,
			},
			autotaskCompanyName: site.mapped ? company.name : null,
			autotaskCompanyId: site.mapped ? String(company.autotaskId) : null,
			portalUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/profile/summary/${id}`,
		};
		sites.push(siteRow);
		site.devices.forEach(([hostname, kind, flag], index) => {
			const offline =
				(site.key === 'tailspin' && index === 0) || (site.key === 'contoso-hq' && index === 5);
			const windows =
				kind === 'server'
					? 'Microsoft Windows Server 2022 Standard 21H2'
					: kind === 'esxi'
						? 'VMware ESXi 8.0.2'
						: kind === 'printer' || kind === 'network'
							? null
							: 'Microsoft Windows 11 Pro 23H2';
			const id = deviceId++;
			const row: Row = {
				id,
				uid: random.uuid(),
				siteId: siteRow.id,
				siteUid: siteRow.uid,
				siteName: site.name,
				deviceType: deviceType(kind),
				hostname,
				intIpAddress: `10.${10 + siteIndex}.0.${20 + index}`,
				operatingSystem: windows,
				lastLoggedInUser:
					kind === 'desktop' || kind === 'laptop'
						? `${site.key.split('-')[0].toUpperCase()}\\${random.pick(FIRST_NAMES).toLowerCase()}`
						: null,
				domain: (site.customer ?? site.prospect)?.identifier.toUpperCase() ?? 'NORTHWIND',
				cagVersion: '4.4.2211.2211',
				displayVersion: '4.4.2211',
				extIpAddress: `203.0.113.${10 + siteIndex}`,
				description: kind === 'printer' ? 'HP LaserJet M507 - 2nd floor' : null,
				a64Bit: kind !== 'printer' && kind !== 'network',
				rebootRequired: kind === 'desktop' && index % 3 === 0,
				online: !offline,
				suspended: false,
				deleted: false,
				lastSeen: offline ? daysAgo(0, 95 + index) : daysAgo(0, 1 + index),
				lastReboot: daysAgo(3 + index, 17),
				lastAuditDate: daysAgo(1, 30 + index),
				creationDate: daysAgo(700 - index * 9, 0),
				snmpEnabled: kind === 'printer' || kind === 'network',
				deviceClass:
					kind === 'printer'
						? 'printer'
						: kind === 'network'
							? 'rmmnetworkdevice'
							: kind === 'esxi'
								? 'esxihost'
								: 'device',
				portalUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/search?qs=uid%3A${hostname}`,
				warrantyDate: kind === 'server' ? '2028-03-31' : null,
				antivirus:
					windows && kind !== 'esxi'
						? {
								antivirusProduct: 'Windows Defender',
								antivirusStatus: hostname === 'CONTOSO-WS002' ? 'NotRunning' : 'RunningAndUpToDate',
							}
						: { antivirusProduct: null, antivirusStatus: 'NotDetected' },
				patchManagement:
					windows && kind !== 'esxi'
						? {
								patchStatus: hostname === 'CONTOSO-WS006' ? 'InstallError' : 'FullyPatched',
								patchesApprovedPending: hostname === 'CONTOSO-WS006' ? 2 : 0,
								patchesNotApproved: 0,
								patchesInstalled: 140 + index,
							}
						: {
								patchStatus: 'NoPolicy',
								patchesApprovedPending: 0,
								patchesNotApproved: 0,
								patchesInstalled: 0,
							},
				softwareStatus: 'Compliant',
				webRemoteUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/remote/rto/${id}`,
				networkProbe: hostname === 'NW-MON01',
				onboardedViaNetworkMonitor: kind === 'network',
				udf: { udf1: (site.customer ?? site.prospect)?.identifier ?? 'Northwind', udf2: null },
			};
			devices.push({ row, site, siteRow, ci: flag !== 'no-ci', kind });
		});
	});
	return { sites, devices };
}
