import type { DattoAlert, DattoClient } from '../transport/datto';
import { mapWithConcurrency } from '../transport/limiter';
import { settle } from '../util/settled';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import { AlertRun, DATTO_READ_CONCURRENCY } from './alertRun';
import type { DecisionContext } from './decide';
import type { CreatedTicket } from './duplicates';
import { deviceCode, devicePrefix, problemPrefix, sitePrefix } from './key';
import type { AlertKeyInfo, KeyParts } from './key';
import { TicketNotes } from './notes';
import type { ItemResults } from './outcome';
import { resolveSettings, statusesWeSet } from './settings';
import type { EffectiveSettings, MonitorOverride, TicketDefaults } from './settings';
import type { TicketBodyConfig } from './ticketBody';
import type { AlertTicketStore } from './ticketStore';
import type { SettleReport } from './settle';
import type { TicketRecord } from './tickets';
import type { AlertEvent } from './webhook';

/**
 * One batch of alert events applied to the PSA: the configuration, the execution's reads and
 * notes, and what the batch decided and made on the way. Process Alert applies the webhook
 * deliveries of one execution as a batch; Sync Open Alerts applies what it found missing.
 */

/** What applying alert events needs: the ticket settings, the company rules and the guards. */
export interface ProcessAlertsConfig extends TicketBodyConfig {
	defaults: TicketDefaults;
	overrides: MonitorOverride[];
	skipNativeTickets: boolean;
	/** 0 = never reopen. */
	reopenWindowHours: number;
	/** Repeats and storm alerts written into one note, at most this many per note. */
	alertsPerNote: number;
	/** A storm ticket gets a note at most this often; 0 = whenever an execution has storm alerts. */
	stormNoteIntervalSeconds: number;
	/**
	 * Set when the PSA's request budget is under the reserve (budget.ts): why. Then only notes are
	 * written; creates, reopens and completions come out as `budgetLow`.
	 */
	notesOnly?: string;
}

export function decisionContext(
	config: ProcessAlertsConfig,
	completeStatus: string,
	now: number,
): DecisionContext {
	return {
		now,
		completeStatus,
		statusesWeSet: statusesWeSet(config.defaults, config.overrides),
		reopenWindowMs: Math.max(0, config.reopenWindowHours) * 3600_000,
		storm: {
			windowMs: Math.max(1, config.stormWindowMinutes) * 60_000,
			perDevice: Math.max(0, config.stormPerDevice),
			perSite: Math.max(0, config.stormPerSite),
		},
		autoAssigneeIds: new Set<number>(),
		stormNoteIntervalMs: Math.max(0, config.stormNoteIntervalSeconds) * 1000,
	};
}

/** The reads and notes of one execution that applies alert events. */
export function openRun(
	store: AlertTicketStore,
	datto: DattoClient,
	config: ProcessAlertsConfig,
	now: () => number = () => Date.now(),
): { run: AlertRun; notes: TicketNotes } {
	const run = new AlertRun(store, datto, decisionContext(config, store.completeStatus, now()), now);
	const notes = new TicketNotes(run, {
		noteType: config.defaults.noteType,
		notePublish: config.defaults.notePublish,
		alertsPerNote: config.alertsPerNote,
	});
	return { run, notes };
}

/** An event of the batch, with what its alert tells once it has been read. */
export interface PreparedEvent {
	index: number;
	event: AlertEvent;
	alert?: AlertInfo;
	parts?: KeyParts;
	keyInfo?: AlertKeyInfo;
	settings?: EffectiveSettings;
	/** Lock key: the site the event belongs to. */
	lane: string;
}

export interface AlertBatch {
	run: AlertRun;
	notes: TicketNotes;
	config: ProcessAlertsConfig;
	/** One outcome per input item, filled in as the batch goes. */
	results: ItemResults;
	/** Storm level per device ("DR:<site><device>"), set for the whole batch before any write. */
	storm: Map<string, 'device' | 'site' | undefined>;
	/** Tickets this batch opened, for the duplicate check. */
	created: CreatedTicket[];
	/** What the duplicate and storm rules closed on the way (settle.ts). */
	housekeeping: SettleReport;
	/** Storm tickets another execution opened that take a note now, and the device that raised it. */
	stormNotes: Map<number, { ticket: TicketRecord; siteUid: string; deviceUid: string }>;
}

/** Fills in what the alert tells about an event: its flattened form, key parts and settings. */
export function describeEvent(
	item: PreparedEvent,
	config: Pick<ProcessAlertsConfig, 'skipNativeTickets' | 'defaults' | 'overrides'>,
	alert: DattoAlert,
): void {
	item.alert = normalizeAlert(alert, item.event.hints);
	if (!config.skipNativeTickets) item.alert.nativeTicket = undefined;
	const siteUid = item.alert.siteUid || item.event.hints.siteUid || '';
	const deviceUid = item.alert.deviceUid || item.event.hints.deviceUid || '';
	item.parts = {
		siteUid,
		deviceUid,
		monitorClass: item.alert.monitorClass,
		detail: item.alert.detail,
	};
	item.keyInfo = {
		sitePrefix: sitePrefix(siteUid),
		devicePrefix: devicePrefix(siteUid, deviceUid),
		problemPrefix: problemPrefix(item.parts),
	};
	item.settings = resolveSettings(config.defaults, config.overrides, item.alert);
}

/** Reads the alerts of resolved events from Datto (cached); a 404 leaves the event as it is. */
export async function readResolvedAlerts(
	run: AlertRun,
	config: ProcessAlertsConfig,
	items: PreparedEvent[],
	results: ItemResults,
): Promise<void> {
	const pending = items.filter((item) => !item.alert && results[item.index] === undefined);
	await mapWithConcurrency(pending.length, DATTO_READ_CONCURRENCY, async (i) => {
		const item = pending[i];
		const fetched = await settle(run.alerts.get(item.event.alertUid));
		if (!fetched.ok) results[item.index] = fetched.error as Error;
		else if (fetched.value) describeEvent(item, config, fetched.value);
	});
}

/** "DR:<site><device>" of an event, from its alert or its body. */
export function deviceScope(item: PreparedEvent): string | undefined {
	if (item.keyInfo) return item.keyInfo.devicePrefix;
	const { siteUid, deviceUid } = item.event.hints;
	return siteUid && deviceUid ? devicePrefix(siteUid, deviceUid) : undefined;
}

/** The body's device uid, when it is the device the ticket was opened for (bodies are hints, not truth). */
export function trustedDevice(item: PreparedEvent, ticket: TicketRecord): string | undefined {
	const hinted = item.event.hints.deviceUid;
	return hinted && deviceCode(hinted) === ticket.key.device ? hinted : undefined;
}

/**
 * Datto's open alerts of the device a resolve's ticket belongs to; undefined when the device
 * cannot be told (the alert is gone from Datto and the body names no device of this ticket).
 */
export async function openAlertsForTicket(
	run: AlertRun,
	config: ProcessAlertsConfig,
	item: PreparedEvent,
	ticket: TicketRecord,
): Promise<AlertInfo[] | undefined> {
	let device = item.alert?.deviceUid;
	if (!device || deviceCode(device) !== ticket.key.device) device = trustedDevice(item, ticket);
	if (!device) {
		if (!item.alert) {
			const alert = await run.alerts.get(item.event.alertUid);
			if (alert) describeEvent(item, config, alert);
		}
		device =
			item.alert?.deviceUid && deviceCode(item.alert.deviceUid) === ticket.key.device
				? item.alert.deviceUid
				: undefined;
	}
	if (!device) return undefined;
	return await run.openAlertsOf(device, item.alert?.siteUid || item.event.hints.siteUid);
}
