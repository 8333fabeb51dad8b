import type { DattoAlert, DattoDevice, DattoSite } from '../../lib/transport/datto';

/** A small Datto account in Datto's own shapes, for transport and sandbox tests. */
export const SITE_MAPPED = 'a1b2c3d4-0001-4000-8000-000000000001';
export const SITE_UNMAPPED = 'a1b2c3d4-0002-4000-8000-000000000002';
export const DEVICE_A = 'd0000000-000a-4000-8000-00000000000a';
export const DEVICE_B = 'd0000000-000b-4000-8000-00000000000b';
export const DEVICE_C = 'd0000000-000c-4000-8000-00000000000c';

export function sites(): DattoSite[] {
	return [
		{
			id: 101,
			uid: SITE_MAPPED,
			accountUid: 'acct-sandbox',
			name: 'Contoso Main Office',
			description: 'Head office',
			notes: null,
			onDemand: false,
			autotaskCompanyName: 'Contoso Ltd',
			autotaskCompanyId: '174',
			portalUrl: 'https://sandbox.rmm.datto.com/site/101',
			devicesStatus: { numberOfDevices: 2, numberOfOnlineDevices: 2, numberOfOfflineDevices: 0 },
		},
		{
			id: 102,
			uid: SITE_UNMAPPED,
			accountUid: 'acct-sandbox',
			name: 'Fabrikam Warehouse',
			description: null,
			notes: null,
			onDemand: false,
			autotaskCompanyName: null,
			autotaskCompanyId: null,
			portalUrl: 'https://sandbox.rmm.datto.com/site/102',
			devicesStatus: { numberOfDevices: 1, numberOfOnlineDevices: 1, numberOfOfflineDevices: 0 },
		},
	];
}

export function device(uid: string, id: number, hostname: string, site: DattoSite): DattoDevice {
	return {
		id,
		uid,
		siteId: site.id,
		siteUid: site.uid,
		siteName: site.name,
		deviceType: { category: 'Desktop', type: 'Desktop' },
		hostname,
		intIpAddress: `10.0.0.${id % 250}`,
		extIpAddress: '203.0.113.10',
		operatingSystem: 'Microsoft Windows 11 Pro 10.0.22631',
		lastLoggedInUser: 'CONTOSO\\ann',
		domain: 'CONTOSO',
		description: null,
		a64Bit: true,
		rebootRequired: false,
		online: true,
		suspended: false,
		deleted: false,
		lastSeen: 1_767_000_000_000,
		lastReboot: 1_766_900_000_000,
		lastAuditDate: 1_766_950_000_000,
		creationDate: 1_700_000_000_000,
		snmpEnabled: false,
		deviceClass: 'device',
		portalUrl: `https://sandbox.rmm.datto.com/device/${id}`,
		webRemoteUrl: `https://sandbox.centrastage.net/csm/remote/rto/${id}`,
		antivirus: { antivirusProduct: 'Windows Defender', antivirusStatus: 'RunningAndUpToDate' },
		patchManagement: {
			patchStatus: 'FullyPatched',
			patchesApprovedPending: 0,
			patchesNotApproved: 0,
			patchesInstalled: 42,
		},
	};
}

export function devices(): DattoDevice[] {
	const [mapped, unmapped] = sites();
	return [
		device(DEVICE_A, 9001, 'CONTOSO-PC01', mapped),
		device(DEVICE_B, 9002, 'CONTOSO-SRV01', mapped),
		device(DEVICE_C, 9003, 'FABRIKAM-PC07', unmapped),
	];
}

export function alert(
	uid: string,
	deviceUid: string,
	context: Record<string, unknown>,
	extra: Partial<DattoAlert> = {},
): DattoAlert {
	const all = devices();
	const found = all.find((d) => d.uid === deviceUid)!;
	return {
		alertUid: uid,
		priority: 'High',
		diagnostics: 'diagnostic output',
		resolved: false,
		resolvedBy: null,
		resolvedOn: null,
		muted: false,
		ticketNumber: null,
		timestamp: 1_767_100_000_000,
		alertMonitorInfo: { sendsEmails: true, createsTicket: false },
		alertContext: context as DattoAlert['alertContext'],
		alertSourceInfo: {
			deviceUid,
			deviceName: found.hostname ?? null,
			siteUid: found.siteUid ?? null,
			siteName: found.siteName ?? null,
		},
		responseActions: [],
		autoresolveMins: 0,
		...extra,
	};
}

/** `count` alerts spread over the devices, every third muted, every fifth resolved. */
export function manyAlerts(count: number): DattoAlert[] {
	const deviceUids = [DEVICE_A, DEVICE_B, DEVICE_C];
	return Array.from({ length: count }, (_, index) => {
		const uid = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
		return alert(
			uid,
			deviceUids[index % 3],
			{
				'@class': 'perf_disk_usage_ctx',
				diskName: `D${index}:`,
				freeSpace: 1,
				totalVolume: 100,
				unitOfMeasure: 'GB',
			},
			{
				muted: index % 3 === 0,
				resolved: index % 5 === 0,
				resolvedOn: index % 5 === 0 ? 1_767_200_000_000 : null,
				resolvedBy: index % 5 === 0 ? 'Auto-resolve' : null,
				timestamp: 1_767_100_000_000 + index * 1000,
			},
		);
	});
}
