import { InputError } from '../transport/http';
import type { AlertInfo, DattoPriority } from './alert';
import { canonicalClass } from './monitorTypes';

/**
 * Ticket settings: defaults, then per monitor type overrides (by `@class`), then per monitor
 * overrides (by monitor name or message pattern); each level may change any field or say
 * "don't ticket". Picklist values are Autotask ids as strings; '' means "not set here".
 */
export interface TicketFieldValues {
	queueID?: string;
	issueType?: string;
	subIssueType?: string;
	billingCodeID?: string;
	ticketType?: string;
	source?: string;
	newStatus?: string;
	/** A fixed priority for this monitor, instead of the priority map. */
	priority?: string;
	noteType?: string;
	notePublish?: string;
	titleTemplate?: string;
	descriptionTemplate?: string;
	dueInHours?: number;
}

export interface TicketDefaults extends TicketFieldValues {
	completeStatus?: string;
	/** Datto priority → Autotask priority id ('' = match by label). */
	priorityMap: Partial<Record<DattoPriority, string>>;
	titleTemplate: string;
	descriptionTemplate: string;
}

export type OverrideMatchField = 'monitorName' | 'message' | 'either';

export interface MonitorOverride {
	/** 'monitorType' matches `monitorClass`; 'monitor' matches `pattern` against name/message. */
	kind: 'monitorType' | 'monitor';
	monitorClass?: string;
	matchField?: OverrideMatchField;
	pattern?: string;
	action: 'ticket' | 'dontTicket';
	fields: TicketFieldValues;
}

export interface EffectiveSettings {
	ticket: boolean;
	/** Which override decided "don't ticket". */
	reason?: string;
	fields: TicketFieldValues & {
		titleTemplate: string;
		descriptionTemplate: string;
		completeStatus?: string;
	};
	priorityMap: Partial<Record<DattoPriority, string>>;
}

export const DEFAULT_TITLE_TEMPLATE = '{{alertType}}: {{message}} on {{hostname}}';

export const DEFAULT_DESCRIPTION_TEMPLATE = [
	'{{message}}',
	'',
	'Device: {{hostname}} ({{deviceUid}})',
	'Site: {{siteName}} ({{siteUid}})',
	'Monitor: {{monitorType}} - {{monitorName}}{{detailSuffix}}',
	'Priority in Datto RMM: {{priority}}',
	'Raised: {{timestamp}}',
	'Datto RMM alert: {{alertUid}} {{alertUrl}}',
	'',
	'{{diagnostics}}',
].join('\n');

function buildRegExp(source: string, flags: string): RegExp | Error {
	try {
		return new RegExp(source, flags);
	} catch (error) {
		return error as Error;
	}
}

const compiled = new Map<string, (value: string) => boolean>();

/**
 * "/regex/flags" is a regular expression, text with * is a wildcard, anything else matches as a
 * case-insensitive substring.
 */
export function compilePattern(pattern: string, fieldName = 'Pattern'): (value: string) => boolean {
	const cached = compiled.get(pattern);
	if (cached) return cached;
	let test: (value: string) => boolean;
	const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern.trim());
	if (regex) {
		const expression = buildRegExp(regex[1], regex[2].includes('i') ? regex[2] : `${regex[2]}i`);
		if (expression instanceof Error) {
			throw new InputError(
				fieldName,
				`${fieldName} "${pattern}" is not a valid regular expression: ${expression.message}`,
				'Write it as /expression/flags, or as plain text to match a substring.',
			);
		}
		test = (value) => expression.test(value);
	} else if (pattern.includes('*')) {
		const escaped = pattern
			.trim()
			.split('*')
			.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*');
		const expression = new RegExp(`^${escaped}$`, 'i');
		test = (value) => expression.test(value);
	} else {
		const needle = pattern.trim().toLowerCase();
		test = (value) => needle !== '' && value.toLowerCase().includes(needle);
	}
	compiled.set(pattern, test);
	return test;
}

export function overrideMatches(override: MonitorOverride, alert: AlertInfo): boolean {
	if (override.kind === 'monitorType') {
		return !!override.monitorClass && canonicalClass(override.monitorClass) === alert.monitorClass;
	}
	if (!override.pattern) return false;
	const test = compilePattern(override.pattern, 'Monitor Override Pattern');
	const field = override.matchField ?? 'either';
	if (field === 'monitorName') return test(alert.monitorName);
	if (field === 'message') return test(alert.message);
	return test(alert.monitorName) || test(alert.message);
}

function merge(target: TicketFieldValues, source: TicketFieldValues): void {
	for (const [key, value] of Object.entries(source) as Array<[keyof TicketFieldValues, unknown]>) {
		if (value === undefined || value === null || value === '') continue;
		(target as Record<string, unknown>)[key] = value;
	}
}

export function resolveSettings(
	defaults: TicketDefaults,
	overrides: MonitorOverride[],
	alert: AlertInfo,
): EffectiveSettings {
	const fields = { ...defaults } as EffectiveSettings['fields'];
	delete (fields as unknown as Record<string, unknown>).priorityMap;
	let ticket = true;
	let reason: string | undefined;
	// Monitor type overrides first, then the more specific per monitor ones; later ones win.
	const ordered = [
		...overrides.filter((o) => o.kind === 'monitorType'),
		...overrides.filter((o) => o.kind === 'monitor'),
	];
	for (const override of ordered) {
		if (!overrideMatches(override, alert)) continue;
		merge(fields, override.fields);
		ticket = override.action !== 'dontTicket';
		reason =
			override.action === 'dontTicket'
				? override.kind === 'monitorType'
					? `The monitor type override for ${alert.monitorLabel} (${alert.monitorClass}) says not to ticket`
					: `The monitor override "${override.pattern}" says not to ticket`
				: undefined;
	}
	return { ticket, reason, fields, priorityMap: defaults.priorityMap };
}

/** Every status that this configuration sets on new or reopened tickets. */
export function statusesWeSet(defaults: TicketDefaults, overrides: MonitorOverride[]): Set<string> {
	const out = new Set<string>();
	if (defaults.newStatus) out.add(String(defaults.newStatus));
	for (const override of overrides)
		if (override.fields.newStatus) out.add(String(override.fields.newStatus));
	return out;
}

/** Autotask priority labels to look for, per Datto priority, when no id was chosen. */
export const PRIORITY_LABELS: Record<DattoPriority, string[]> = {
	Critical: ['critical', 'urgent'],
	High: ['high'],
	Moderate: ['medium', 'moderate', 'normal'],
	Low: ['low'],
	Information: ['low', 'information', 'informational'],
	Unknown: ['medium', 'normal'],
};

export function renderTemplate(template: string, variables: Record<string, string>): string {
	return template.replace(
		/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g,
		(_whole, name: string) => variables[name] ?? '',
	);
}

export function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The variables a title or description template can use. */
export function templateVariables(
	alert: AlertInfo,
	extra: Record<string, string> = {},
): Record<string, string> {
	const iso = (ms?: number) => (ms === undefined ? '' : new Date(ms).toISOString());
	const platform = alert.platform.toLowerCase();
	return {
		alertUid: alert.alertUid,
		alertType: alert.monitorLabel,
		monitorType: alert.monitorLabel,
		monitorClass: alert.monitorClass,
		monitorName: alert.monitorName,
		priority: alert.priority,
		message: alert.message,
		diagnostics: alert.diagnostics,
		detail: alert.detail,
		detailSuffix: alert.detail ? ` (${alert.detail})` : '',
		category: alert.category,
		hostname: alert.hostname || alert.deviceUid,
		deviceUid: alert.deviceUid,
		siteName: alert.siteName,
		siteUid: alert.siteUid,
		platform: alert.platform,
		timestamp: iso(alert.timestamp),
		resolvedOn: iso(alert.resolvedOn),
		resolvedBy: alert.resolvedBy,
		alertUrl: /^[a-z]+$/.test(platform)
			? `https://${platform}.rmm.datto.com/alert/${alert.alertUid}`
			: '',
		...extra,
	};
}
