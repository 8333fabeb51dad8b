/** Datto RMM: the account's alerts and the webhook bodies a monitor sends for them, in delivery order. */
import { MSP } from './customers';
import { DATTO_PLATFORM } from './datto';
import type { DeviceRecord } from './datto';
import type { Row } from './layout';
import { SeededRandom, daysAgo, iso } from './random';

interface AlertSpec {
	ref: string;
	host: string;
	priority: string;
	minutesAgo: number;
	context: Row;
	diagnostics: string;
	alertType: string;
	category: string;
	message: string;
	resolved?: { minutesAgo: number; by: string };
	nativeTicket?: string;
}

const ALERTS: AlertSpec[] = [
	{
		ref: 'disk-fs01',
		host: 'CONTOSO-FS01',
		priority: 'High',
		minutesAgo: 52,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: has 4.2 GB free (less than 5%)',
		diagnostics: 'Volume C: 237.9 GB, free 4.2 GB',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 4.2,
			totalVolume: 237.9,
			unitOfMeasure: 'FREE',
			diskNameDesignation: 'SINGLE_VOLUME',
		},
	},
	{
		ref: 'offline-ws004',
		host: 'CONTOSO-WS004',
		priority: 'Moderate',
		minutesAgo: 95,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device CONTOSO-WS004 is offline',
		diagnostics: 'Agent last seen 95 minutes ago',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
	},
	{
		ref: 'service-sql01',
		host: 'CONTOSO-SQL01',
		priority: 'Critical',
		minutesAgo: 40,
		alertType: 'Service Status Monitor',
		category: 'Service Status',
		message: 'Service MSSQLSERVER is stopped',
		diagnostics: 'SQL Server (MSSQLSERVER) state: STOPPED',
		context: { '@class': 'srvc_status_ctx', serviceName: 'MSSQLSERVER', status: 'STOPPED' },
		resolved: { minutesAgo: 16, by: 'system' },
	},
	{
		ref: 'cpu-fab-srv01',
		host: 'FAB-SRV01',
		priority: 'High',
		minutesAgo: 33,
		alertType: 'CPU Monitor',
		category: 'Performance',
		message: 'CPU usage 97% for 15 minutes',
		diagnostics: 'Top process: sqlservr.exe 81%',
		context: { '@class': 'perf_resource_usage_ctx', percentage: 97, type: 'CPU' },
	},
	{
		ref: 'eventlog-dc01',
		host: 'CONTOSO-DC01',
		priority: 'Moderate',
		minutesAgo: 120,
		alertType: 'Event Log Monitor',
		category: 'Event Log',
		message: 'Event 7031 from Service Control Manager',
		diagnostics: 'The DFS Replication service terminated unexpectedly. It has done this 2 time(s).',
		context: {
			'@class': 'eventlog_ctx',
			logName: 'System',
			type: 'Error',
			code: '7031',
			source: 'Service Control Manager',
			description: 'The DFS Replication service terminated unexpectedly.',
		},
	},
	{
		ref: 'script-aw-hv01',
		host: 'AW-HV01',
		priority: 'High',
		minutesAgo: 200,
		alertType: 'Component Monitor',
		category: 'Custom',
		message: 'Backup job check: 2 VMs failed',
		diagnostics: '<-Start Result->\nRESULT=2 VMs failed (AW-APP02, AW-WEB01)\n<-End Result->',
		context: {
			'@class': 'comp_script_ctx',
			samples: { RESULT: '2 VMs failed (AW-APP02, AW-WEB01)' },
		},
	},
	{
		ref: 'av-ws002',
		host: 'CONTOSO-WS002',
		priority: 'Moderate',
		minutesAgo: 300,
		alertType: 'Antivirus Monitor',
		category: 'Antivirus',
		message: 'Windows Defender is not running',
		diagnostics: 'Real-time protection disabled',
		context: { '@class': 'antivirus_ctx', productName: 'Windows Defender', status: 'NOTRUNNING' },
	},
	{
		ref: 'patch-ws006',
		host: 'CONTOSO-WS006',
		priority: 'Low',
		minutesAgo: 600,
		alertType: 'Patch Monitor',
		category: 'Patch',
		message: 'KB5031356 failed to install (0x80070643)',
		diagnostics: '2 approved patches pending',
		context: {
			'@class': 'patch_ctx',
			result: 'Failed',
			info: 'KB5031356 failed to install (0x80070643)',
		},
	},
	{
		ref: 'offline-tt-srv01',
		host: 'TT-SRV01',
		priority: 'Critical',
		minutesAgo: 18,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device TT-SRV01 is offline',
		diagnostics: 'Agent last seen 18 minutes ago',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
	},
	{
		ref: 'disk-fab-lt022',
		host: 'FAB-LT022',
		priority: 'Moderate',
		minutesAgo: 2900,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: is 93% full',
		diagnostics: 'Volume C: 475.8 GB, used 93%',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 7,
			totalVolume: 475.8,
			unitOfMeasure: 'PERCENT',
			diskNameDesignation: 'ANY_VOLUME',
		},
		nativeTicket: 'T20261030.0012',
	},
	{
		ref: 'snmp-fw01',
		host: 'CONTOSO-FW01',
		priority: 'Information',
		minutesAgo: 75,
		alertType: 'SNMP Monitor',
		category: 'SNMP',
		message: 'WAN throughput above 95%',
		diagnostics: 'ifHCInOctets rate 98% of 1 Gbit/s',
		context: { '@class': 'custom_snmp_ctx', displayName: 'WAN throughput', currentValue: '98' },
	},
	{
		ref: 'process-aw-ws101',
		host: 'AW-WS101',
		priority: 'Low',
		minutesAgo: 400,
		alertType: 'Process Monitor',
		category: 'Process',
		message: 'Process backupagent.exe is not running',
		diagnostics: 'backupagent.exe: STOPPED',
		context: { '@class': 'process_status_ctx', processName: 'backupagent.exe', status: 'STOPPED' },
	},
	// History: resolved alerts.
	{
		ref: 'offline-ws001',
		host: 'CONTOSO-WS001',
		priority: 'Moderate',
		minutesAgo: 4000,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device CONTOSO-WS001 is offline',
		diagnostics: 'Agent offline',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
		resolved: { minutesAgo: 3940, by: 'system' },
	},
	{
		ref: 'memory-sql01',
		host: 'CONTOSO-SQL01',
		priority: 'High',
		minutesAgo: 9000,
		alertType: 'Memory Monitor',
		category: 'Performance',
		message: 'Memory usage 95% for 30 minutes',
		diagnostics: 'sqlservr.exe 21.4 GB',
		context: { '@class': 'perf_resource_usage_ctx', percentage: 95, type: 'MEMORY' },
		resolved: { minutesAgo: 8800, by: 'marcus.lee' },
	},
	{
		ref: 'spooler-pos02',
		host: 'RETAIL-POS02',
		priority: 'Low',
		minutesAgo: 12000,
		alertType: 'Service Status Monitor',
		category: 'Service Status',
		message: 'Service Spooler is stopped',
		diagnostics: 'Print Spooler state: STOPPED',
		context: { '@class': 'srvc_status_ctx', serviceName: 'Spooler', status: 'STOPPED' },
		resolved: { minutesAgo: 11990, by: 'system' },
	},
	{
		ref: 'eventlog-fab-srv01',
		host: 'FAB-SRV01',
		priority: 'Moderate',
		minutesAgo: 20000,
		alertType: 'Event Log Monitor',
		category: 'Event Log',
		message: 'Event 2013 from srv',
		diagnostics: 'The D: disk is at or near capacity.',
		context: {
			'@class': 'eventlog_ctx',
			logName: 'System',
			type: 'Warning',
			code: '2013',
			source: 'srv',
			description: 'The D: disk is at or near capacity.',
		},
		resolved: { minutesAgo: 19000, by: 'priya.raman' },
	},
	// The same disk filling up again while its first alert's ticket is open: a repeat (a note, not a ticket).
	{
		ref: 'disk-fs01-repeat',
		host: 'CONTOSO-FS01',
		priority: 'High',
		minutesAgo: 30,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: has 3.1 GB free (less than 5%)',
		diagnostics: 'Volume C: 237.9 GB, free 3.1 GB',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 3.1,
			totalVolume: 237.9,
			unitOfMeasure: 'FREE',
			diskNameDesignation: 'SINGLE_VOLUME',
		},
	},
];

/**
 * Webhook deliveries, in order: repeats, raised/resolved pairs, a resolve that overtakes its raise.
 * alerts.json is the account when the first body is delivered: alerts resolved later in the
 * sequence are still open there; the one whose resolve overtakes its raise is already resolved
 * (both happened before delivery began), so its late "raised" finds it resolved.
 */
const WEBHOOK_SEQUENCE: Array<['raised' | 'resolved', string]> = [
	['raised', 'disk-fs01'],
	['raised', 'offline-ws004'],
	['raised', 'disk-fs01'],
	['raised', 'disk-fs01-repeat'],
	['resolved', 'offline-ws004'],
	['resolved', 'service-sql01'],
	['raised', 'service-sql01'],
	['raised', 'cpu-fab-srv01'],
	['raised', 'eventlog-dc01'],
	['raised', 'offline-tt-srv01'],
	['raised', 'disk-fab-lt022'],
	['raised', 'script-aw-hv01'],
	['resolved', 'disk-fs01-repeat'],
	['resolved', 'disk-fs01'],
	['raised', 'snmp-fw01'],
];

export function dattoAlerts(
	devices: DeviceRecord[],
	random: SeededRandom,
): { alerts: Row[]; byKey: Map<string, Row>; hosts: Map<string, DeviceRecord> } {
	const hosts = new Map(devices.map((device) => [String(device.row.hostname), device]));
	const byKey = new Map<string, Row>();
	const alerts = ALERTS.map((spec) => {
		const device = hosts.get(spec.host);
		if (!device) throw new Error(`seed: no device ${spec.host}`);
		const raised = daysAgo(0, spec.minutesAgo);
		const actions: Row[] = [
			{
				actionTime: raised + 4_000,
				actionType: 'EMAIL_SENT',
				description: `Email sent to alerts@${MSP.domain}`,
				actionReference: null,
				actionReferenceInt: null,
			},
		];
		if (WEBHOOK_SEQUENCE.some(([, ref]) => ref === spec.ref)) {
			actions.push({
				actionTime: raised + 6_000,
				actionType: 'WEBHOOK_EXECUTED',
				description: 'Webhook sent to n8n',
				actionReference: null,
				actionReferenceInt: null,
			});
		}
		if (spec.nativeTicket) {
			actions.push({
				actionTime: raised + 9_000,
				actionType: 'TICKET_CREATED',
				description: `Autotask ticket ${spec.nativeTicket} created`,
				actionReference: spec.nativeTicket,
				actionReferenceInt: '128901',
			});
		}
		const alert: Row = {
			alertUid: random.uuid(),
			priority: spec.priority,
			diagnostics: spec.diagnostics,
			resolved: Boolean(spec.resolved),
			resolvedBy: spec.resolved?.by ?? null,
			resolvedOn: spec.resolved ? daysAgo(0, spec.resolved.minutesAgo) : null,
			muted: false,
			ticketNumber: spec.nativeTicket ?? null,
			timestamp: raised,
			alertMonitorInfo: { sendsEmails: true, createsTicket: Boolean(spec.nativeTicket) },
			alertContext: spec.context,
			alertSourceInfo: {
				deviceUid: device.row.uid,
				deviceName: spec.host,
				siteUid: device.siteRow.uid,
				siteName: device.siteRow.name,
			},
			responseActions: actions,
			autoresolveMins: spec.context['@class'] === 'online_offline_status_ctx' ? 60 : null,
		};
		byKey.set(spec.ref, alert);
		return alert;
	});
	return { alerts, byKey, hosts };
}

export function dattoWebhooks(byKey: Map<string, Row>, hosts: Map<string, DeviceRecord>): Row[] {
	return WEBHOOK_SEQUENCE.map(([event, ref], index) => {
		const spec = ALERTS.find((a) => a.ref === ref)!;
		const alert = byKey.get(ref)!;
		const device = hosts.get(spec.host)!;
		const at =
			event === 'raised'
				? Number(alert.timestamp)
				: spec.resolved
					? daysAgo(0, spec.resolved.minutesAgo)
					: daysAgo(0, Math.max(1, spec.minutesAgo - 20 - index));
		return {
			event,
			alertUid: alert.alertUid,
			priority: spec.priority,
			alertType: spec.alertType,
			category: spec.category,
			message: spec.message,
			deviceUid: device.row.uid,
			hostname: spec.host,
			siteUid: device.siteRow.uid,
			siteName: device.siteRow.name,
			platform: DATTO_PLATFORM,
			timestamp: iso(at),
		};
	});
}

/**
 * What technicians do after the first delivery of the webhooks (autotask/ticketEvents.json; the
 * ConnectWise form for a seed's connectwise/ticketEvents.json): they complete the tickets of two
 * alerts Datto still has open, so the demo shows the reverse path resolving them.
 */
const TECHNICIAN_COMPLETES = ['cpu-fab-srv01', 'eventlog-dc01'];

export function ticketEvents(byKey: Map<string, Row>, psa: 'autotask' | 'connectwise'): Row[] {
	return TECHNICIAN_COMPLETES.map((ref) => {
		const alertUid = byKey.get(ref)!.alertUid;
		return psa === 'autotask' ? { alertUid, status: 5 } : { alertUid, closed: true };
	});
}
