/**
 * Datto RMM alert contexts, keyed by their Jackson `@class`. The property names are the ones
 * third-party integrations read from live alerts [3P]; the *Context schemas of Datto's published
 * OpenAPI document do not match them. Unknown classes fall through to a generic label, detail and message.
 */

export interface MonitorType {
	/** The canonical `@class`. */
	id: string;
	/** What a technician calls it, used in titles and the override list. */
	label: string;
	/**
	 * The context properties that tell two alerts of this class on one device apart (a disk, a
	 * service, an event code). Empty: one problem per device.
	 */
	detailFields: string[];
	/** A one-line message built from the context, for API alerts (webhooks carry their own). */
	message: (context: Record<string, unknown>) => string;
}

const text = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

/** Datto's unitOfMeasure when it is a unit (it is also seen carrying other words). */
const sizeUnit = (value: unknown): string => {
	const unit = text(value).toUpperCase();
	if (unit === 'PERCENT' || unit === '%') return '%';
	return ['B', 'KB', 'MB', 'GB', 'TB'].includes(unit) ? unit : '';
};

const joinParts = (...parts: string[]): string => parts.filter(Boolean).join(' ');

export const MONITOR_TYPES: MonitorType[] = [
	{
		id: 'online_offline_status_ctx',
		label: 'Online Status',
		detailFields: [],
		message: (c) => `Device is ${text(c.status) || 'OFFLINE'}`,
	},
	{
		id: 'perf_resource_usage_ctx',
		label: 'Resource Usage',
		detailFields: ['type'],
		message: (c) =>
			joinParts(
				text(c.type) || 'Resource',
				'usage',
				c.percentage !== undefined ? `at ${text(c.percentage)}%` : '',
			),
	},
	{
		id: 'perf_disk_usage_ctx',
		label: 'Disk Usage',
		detailFields: ['diskName'],
		message: (c) => {
			const unit = sizeUnit(c.unitOfMeasure);
			const free =
				c.freeSpace !== undefined ? `${text(c.freeSpace)}${unit ? ` ${unit}` : ''} free` : '';
			const total =
				c.totalVolume !== undefined ? `of ${text(c.totalVolume)}${unit ? ` ${unit}` : ''}` : '';
			return joinParts('Disk', text(c.diskName) || text(c.diskNameDesignation), free, total);
		},
	},
	{
		id: 'fs_object_ctx',
		label: 'File/Folder Size',
		detailFields: ['path'],
		message: (c) =>
			joinParts(
				text(c.objectType) || 'Object',
				text(c.path),
				text(c.condition),
				text(c.threshold),
				c.sample !== undefined ? `(sample ${text(c.sample)})` : '',
			),
	},
	{
		id: 'process_resource_usage_ctx',
		label: 'Process Resource Usage',
		detailFields: ['processName', 'type'],
		message: (c) =>
			joinParts(
				'Process',
				text(c.processName),
				text(c.type),
				'usage',
				c.sample !== undefined ? `at ${text(c.sample)}` : '',
			),
	},
	{
		id: 'process_status_ctx',
		label: 'Process Status',
		detailFields: ['processName'],
		message: (c) =>
			joinParts('Process', text(c.processName), 'is', text(c.status) || 'not running'),
	},
	{
		id: 'srvc_resource_usage_ctx',
		label: 'Service Resource Usage',
		detailFields: ['serviceName', 'type'],
		message: (c) =>
			joinParts(
				'Service',
				text(c.serviceName),
				text(c.type),
				'usage',
				c.sample !== undefined ? `at ${text(c.sample)}` : '',
			),
	},
	{
		id: 'srvc_status_ctx',
		label: 'Service Status',
		detailFields: ['serviceName'],
		message: (c) =>
			joinParts('Service', text(c.serviceName), 'is', text(c.status) || 'not running'),
	},
	{
		id: 'comp_script_ctx',
		label: 'Component Monitor',
		detailFields: ['samples'],
		message: (c) => {
			const samples =
				c.samples && typeof c.samples === 'object' ? (c.samples as Record<string, unknown>) : {};
			const parts = Object.entries(samples).map(([key, value]) => `${key}=${text(value)}`);
			return parts.length
				? `Component monitor: ${parts.join(', ')}`
				: 'Component monitor triggered';
		},
	},
	{
		id: 'eventlog_ctx',
		label: 'Event Log',
		detailFields: ['logName', 'code', 'source'],
		message: (c) =>
			joinParts(
				'Event',
				text(c.code),
				text(c.source) ? `from ${text(c.source)}` : '',
				text(c.logName) ? `in ${text(c.logName)} log` : '',
				text(c.type) ? `(${text(c.type)})` : '',
				text(c.description) ? `: ${text(c.description)}` : '',
			),
	},
	{
		id: 'patch_ctx',
		label: 'Patch',
		detailFields: [],
		message: (c) =>
			joinParts('Patch', text(c.result) || 'alert', text(c.info) ? `: ${text(c.info)}` : ''),
	},
	{
		id: 'antivirus_ctx',
		label: 'Antivirus',
		detailFields: ['productName'],
		message: (c) =>
			joinParts('Antivirus', text(c.productName), text(c.status) ? `is ${text(c.status)}` : ''),
	},
	{
		id: 'custom_snmp_ctx',
		label: 'SNMP',
		detailFields: ['displayName'],
		message: (c) =>
			joinParts(
				'SNMP',
				text(c.displayName),
				c.currentValue !== undefined ? `= ${text(c.currentValue)}` : '',
			),
	},
	{
		id: 'perf_mon_ctx',
		label: 'Performance Monitor',
		detailFields: [],
		message: (c) =>
			joinParts('Performance counter', c.value !== undefined ? `= ${text(c.value)}` : 'triggered'),
	},
	{
		id: 'ransomware_ctx',
		label: 'Ransomware Detection',
		detailFields: [],
		message: () => 'Ransomware behaviour detected',
	},
	{
		id: 'endpoint_security_threat_ctx',
		label: 'Endpoint Security Threat',
		detailFields: [],
		message: () => 'Endpoint security threat detected',
	},
	{
		id: 'endpoint_security_windows_defender_ctx',
		label: 'Windows Defender',
		detailFields: [],
		message: () => 'Windows Defender alert',
	},
	{
		id: 'backup_management_ctx',
		label: 'Backup Management',
		detailFields: [],
		message: () => 'Backup alert',
	},
	{ id: 'action_ctx', label: 'Action', detailFields: [], message: () => 'Action alert' },
	{
		id: 'disk_health_ctx',
		label: 'Disk Health',
		detailFields: [],
		message: () => 'Disk health alert',
	},
	{ id: 'fan_ctx', label: 'Fan', detailFields: [], message: () => 'Fan alert' },
	{
		id: 'network_monitor_ctx',
		label: 'Network Monitor',
		detailFields: [],
		message: () => 'Network monitor alert',
	},
	{ id: 'ping_ctx', label: 'Ping', detailFields: [], message: () => 'Ping monitor alert' },
	{ id: 'printer_ctx', label: 'Printer', detailFields: [], message: () => 'Printer alert' },
	{ id: 'psu_ctx', label: 'Power Supply', detailFields: [], message: () => 'Power supply alert' },
	{
		id: 'snmp_probe_ctx',
		label: 'SNMP Probe',
		detailFields: [],
		message: () => 'SNMP probe alert',
	},
	{
		id: 'seccenter_ctx',
		label: 'Security Center',
		detailFields: [],
		message: () => 'Security Center alert',
	},
	{
		id: 'security_management_ctx',
		label: 'Security Management',
		detailFields: [],
		message: () => 'Security management alert',
	},
	{
		id: 'temperature_ctx',
		label: 'Temperature',
		detailFields: [],
		message: () => 'Temperature alert',
	},
	{
		id: 'windows_performance_ctx',
		label: 'Windows Performance',
		detailFields: [],
		message: () => 'Windows performance alert',
	},
	{ id: 'wmi_ctx', label: 'WMI', detailFields: [], message: () => 'WMI monitor alert' },
];

/** Other spellings seen for the same classes (DattoRMM.Core DRMMAlert.psm1). */
const ALIASES: Record<string, string> = {
	disk_usage_ctx: 'perf_disk_usage_ctx',
	filesystem_ctx: 'fs_object_ctx',
	status_ctx: 'process_status_ctx',
};

const BY_ID = new Map(MONITOR_TYPES.map((type) => [type.id, type]));

export function canonicalClass(raw: unknown): string {
	const id = text(raw).toLowerCase();
	return ALIASES[id] ?? id;
}

/** The type for a `@class`; unknown classes get a generic entry built from the class name. */
export function monitorType(rawClass: unknown): MonitorType {
	const id = canonicalClass(rawClass);
	const known = BY_ID.get(id);
	if (known) return known;
	const words = id
		.replace(/_ctx$/, '')
		.split(/[_\s]+/)
		.filter(Boolean);
	const label = words.length
		? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ')
		: 'Alert';
	return {
		id: id || 'unknown',
		label,
		detailFields: [],
		message: (context) => {
			const parts = Object.entries(context)
				.filter(([key, value]) => key !== '@class' && value !== null && typeof value !== 'object')
				.map(([key, value]) => `${key}=${text(value)}`);
			return parts.length ? `${label}: ${parts.join(', ')}` : `${label} alert`;
		},
	};
}

export function isKnownMonitorType(rawClass: unknown): boolean {
	return BY_ID.has(canonicalClass(rawClass));
}

/**
 * What tells this alert apart from others of its class on the same device, lower-cased. For a
 * class without detail fields but with an unknown shape, the message with its numbers removed
 * (so "CPU at 95%" and "CPU at 97%" are the same problem).
 */
export function alertDetail(
	rawClass: unknown,
	context: Record<string, unknown>,
	message: string,
): string {
	const type = monitorType(rawClass);
	if (type.detailFields.length) {
		return type.detailFields
			.map((field) => {
				const value = context[field];
				if (value && typeof value === 'object')
					return Object.keys(value as object)
						.sort()
						.join(',');
				return text(value);
			})
			.join('|')
			.toLowerCase();
	}
	if (isKnownMonitorType(rawClass)) return '';
	return message
		.toLowerCase()
		.replace(/[0-9]+([.,][0-9]+)?/g, '#')
		.replace(/\s+/g, ' ')
		.trim();
}
