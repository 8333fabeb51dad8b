import type { DattoAlert } from '../transport/datto';
import { alertDetail, canonicalClass, monitorType } from './monitorTypes';

export type { DattoAlert };

export const DATTO_PRIORITIES = [
	'Critical',
	'High',
	'Moderate',
	'Low',
	'Information',
	'Unknown',
] as const;
export type DattoPriority = (typeof DATTO_PRIORITIES)[number];

/** Values a webhook body may carry that the API alert does not (Datto's own wording). */
export interface WebhookHints {
	message?: string;
	monitorName?: string;
	category?: string;
	hostname?: string;
	siteName?: string;
	platform?: string;
}

/** One alert, flattened for rules and templates. */
export interface AlertInfo {
	alertUid: string;
	priority: DattoPriority;
	monitorClass: string;
	monitorLabel: string;
	/** Monitor name from the webhook ([alert_type]); the label when unknown. */
	monitorName: string;
	detail: string;
	message: string;
	diagnostics: string;
	category: string;
	deviceUid: string;
	hostname: string;
	siteUid: string;
	siteName: string;
	platform: string;
	/** Epoch milliseconds. */
	timestamp?: number;
	resolved: boolean;
	resolvedBy: string;
	resolvedOn?: number;
	/** Why Datto's native PSA integration already covers this alert, if it does. */
	nativeTicket?: string;
	context: Record<string, unknown>;
}

const clean = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

/** Epoch ms from Datto's numbers (live) or ISO strings (the spec). */
export function epochMs(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	const parsed = Date.parse(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

export function normalizePriority(value: unknown): DattoPriority {
	const text = clean(value).toLowerCase();
	const found = DATTO_PRIORITIES.find((p) => p.toLowerCase() === text);
	if (found) return found;
	if (text === 'medium' || text === 'normal') return 'Moderate';
	if (text === 'info' || text === 'informational') return 'Information';
	return 'Unknown';
}

export function nativeTicketReason(alert: DattoAlert): string | undefined {
	const number = clean(alert.ticketNumber);
	if (number)
		return `Datto RMM's own PSA integration already opened ticket ${number} for this alert`;
	const created = (alert.responseActions ?? []).find(
		(action) => clean(action?.actionType).toUpperCase() === 'TICKET_CREATED',
	);
	if (created) {
		const reference = clean(created.actionReference) || clean(created.actionReferenceInt);
		return `Datto RMM's own PSA integration already created a ticket for this alert${reference ? ` (${reference})` : ''}`;
	}
	if (alert.alertMonitorInfo?.createsTicket === true) {
		return "The monitor is set to create tickets through Datto RMM's own PSA integration";
	}
	return undefined;
}

export function normalizeAlert(alert: DattoAlert, hints: WebhookHints = {}): AlertInfo {
	const context = (
		alert.alertContext && typeof alert.alertContext === 'object' ? alert.alertContext : {}
	) as Record<string, unknown>;
	const monitorClass = canonicalClass(context['@class']) || 'unknown';
	const type = monitorType(monitorClass);
	const diagnostics = clean(alert.diagnostics);
	const rendered = type.message(context);
	const message = clean(hints.message) || rendered || diagnostics.split('\n')[0] || type.label;
	const source = alert.alertSourceInfo ?? {};
	return {
		alertUid: clean(alert.alertUid),
		priority: normalizePriority(alert.priority),
		monitorClass,
		monitorLabel: type.label,
		monitorName: clean(hints.monitorName) || type.label,
		detail: alertDetail(monitorClass, context, rendered || message),
		message,
		diagnostics,
		category: clean(hints.category),
		deviceUid: clean(source.deviceUid),
		hostname: clean(source.deviceName) || clean(hints.hostname),
		siteUid: clean(source.siteUid),
		siteName: clean(source.siteName) || clean(hints.siteName),
		platform: clean(hints.platform),
		timestamp: epochMs(alert.timestamp),
		resolved: alert.resolved === true,
		resolvedBy: clean(alert.resolvedBy),
		resolvedOn: epochMs(alert.resolvedOn),
		nativeTicket: nativeTicketReason(alert),
		context,
	};
}

/** Whether a JSON object is a full API alert (so no GET is needed). */
export function looksLikeApiAlert(value: unknown): value is DattoAlert {
	if (!value || typeof value !== 'object') return false;
	const candidate = value as Record<string, unknown>;
	return (
		typeof candidate.alertUid === 'string' &&
		!!candidate.alertContext &&
		typeof candidate.alertContext === 'object' &&
		!!candidate.alertSourceInfo &&
		typeof candidate.alertSourceInfo === 'object'
	);
}
