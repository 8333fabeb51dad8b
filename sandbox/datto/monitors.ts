/**
 * What Datto RMM says about an alert of each monitor type (`alertContext['@class']`): the category
 * it files the alert under ([alert_category] in a webhook, and [alert_type] when the monitor has
 * no name of its own) and the sentence it writes ([alert_message], and the diagnostics when the
 * monitor gives none). Datto does not document its wording; the sentences follow the seed's
 * alerts (seed/dattoAlerts.ts). Not the package's monitor table: see
 * docs/adr/sandbox-keeps-its-own-vendor-definitions.md.
 */

type Context = Record<string, unknown>;

interface Monitor {
	category: string;
	sentence: (context: Context, hostname: string) => string;
}

const word = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

/** STOPPED -> "stopped", NOTRUNNING -> "not running". */
const state = (value: unknown, otherwise: string): string => {
	const raw = word(value).toLowerCase();
	if (!raw) return otherwise;
	return raw === 'notrunning' ? 'not running' : raw;
};

const sentence = (...parts: string[]): string => parts.filter(Boolean).join(' ');

/** "3.1 GB", "10%"; empty without an amount. */
const withUnit = (amount: unknown, unit: unknown): string => {
	if (!word(amount)) return '';
	const symbol = word(unit).toUpperCase();
	return symbol === 'PERCENT' || symbol === '%'
		? `${word(amount)}%`
		: sentence(word(amount), word(unit));
};

/** Monitor types that say no more than their category. */
const PLAIN: Array<[string, string]> = [
	['ransomware_ctx', 'Ransomware Detection'],
	['endpoint_security_threat_ctx', 'Endpoint Security Threat'],
	['endpoint_security_windows_defender_ctx', 'Windows Defender'],
	['backup_management_ctx', 'Backup Management'],
	['action_ctx', 'Action'],
	['disk_health_ctx', 'Disk Health'],
	['fan_ctx', 'Fan'],
	['network_monitor_ctx', 'Network Monitor'],
	['ping_ctx', 'Ping'],
	['printer_ctx', 'Printer'],
	['psu_ctx', 'Power Supply'],
	['snmp_probe_ctx', 'SNMP Probe'],
	['seccenter_ctx', 'Security Center'],
	['security_management_ctx', 'Security Management'],
	['temperature_ctx', 'Temperature'],
	['windows_performance_ctx', 'Windows Performance'],
	['wmi_ctx', 'WMI'],
];

/** Process and service monitors: one watches its subject's resource usage, one its status. */
function watched(
	prefix: string,
	noun: string,
	nameField: string,
	down: string,
): Record<string, Monitor> {
	return {
		[`${prefix}_resource_usage_ctx`]: {
			category: `${noun} Resource Usage`,
			sentence: (c) => sentence(noun, word(c[nameField]), word(c.type), 'at', word(c.sample)),
		},
		[`${prefix}_status_ctx`]: {
			category: `${noun} Status`,
			sentence: (c) => sentence(noun, word(c[nameField]), 'is', state(c.status, down)),
		},
	};
}

const MONITORS: Record<string, Monitor> = {
	online_offline_status_ctx: {
		category: 'Online Status',
		sentence: (c, host) => sentence('Device', host, 'is', state(c.status, 'offline')),
	},
	perf_resource_usage_ctx: {
		category: 'Resource Usage',
		sentence: (c) =>
			sentence(word(c.type) || 'Resource', 'usage', withUnit(c.percentage, 'PERCENT')),
	},
	perf_disk_usage_ctx: {
		category: 'Disk Usage',
		sentence: (c) =>
			sentence(
				'Disk',
				word(c.diskName) || word(c.diskNameDesignation),
				'has',
				withUnit(c.freeSpace, c.unitOfMeasure),
				'free',
			),
	},
	fs_object_ctx: {
		category: 'File/Folder Size',
		sentence: (c) =>
			sentence(word(c.objectType) || 'Object', word(c.path), word(c.condition), word(c.threshold)),
	},
	...watched('process', 'Process', 'processName', 'not running'),
	...watched('srvc', 'Service', 'serviceName', 'stopped'),
	comp_script_ctx: {
		category: 'Component Monitor',
		sentence: (c) => {
			const samples = c.samples && typeof c.samples === 'object' ? (c.samples as Context) : {};
			const results = Object.entries(samples).map(([name, value]) => `${name}: ${word(value)}`);
			return results.length ? results.join(', ') : 'Component monitor triggered';
		},
	},
	eventlog_ctx: {
		category: 'Event Log',
		sentence: (c) =>
			sentence('Event', word(c.code), word(c.source) && `from ${word(c.source)}`) ||
			'Event log entry',
	},
	patch_ctx: {
		category: 'Patch',
		sentence: (c) => sentence(word(c.info) || 'Patch', state(c.result, 'failed')),
	},
	antivirus_ctx: {
		category: 'Antivirus',
		sentence: (c) =>
			sentence(word(c.productName) || 'Antivirus', 'is', state(c.status, 'not running')),
	},
	custom_snmp_ctx: {
		category: 'SNMP',
		sentence: (c) => sentence(word(c.displayName) || 'SNMP value', 'is', word(c.currentValue)),
	},
	perf_mon_ctx: {
		category: 'Performance Monitor',
		sentence: (c) => sentence('Performance counter is', word(c.value) || 'out of range'),
	},
	...Object.fromEntries(
		PLAIN.map(([monitorClass, category]) => [
			monitorClass,
			{ category, sentence: () => `${category} alert` },
		]),
	),
};

/** A monitor type Datto's table above does not list: its class name in words. */
function unlisted(monitorClass: string): Monitor {
	const spaced = monitorClass
		.replace(/_ctx$/, '')
		.replace(/[_\s]+/g, ' ')
		.trim();
	const category = spaced.replace(/\b[a-z]/g, (letter) => letter.toUpperCase()) || 'Alert';
	return { category, sentence: () => `${category} alert` };
}

function monitorOf(context: Context): Monitor {
	const monitorClass = word(context['@class']).toLowerCase();
	return MONITORS[monitorClass] ?? unlisted(monitorClass);
}

/** Datto's category for an alert context. */
export function alertCategory(context: Context): string {
	return monitorOf(context).category;
}

/** Datto's sentence for an alert context on a device. */
export function alertSentence(context: Context, hostname: string): string {
	return monitorOf(context).sentence(context, hostname);
}
