import type { DattoClient } from '../transport/datto';
import { mapWithConcurrency } from '../transport/limiter';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import { DATTO_READ_CONCURRENCY } from './alertRun';
import { openRun } from './batch';
import type { ProcessAlertsConfig } from './batch';
import { DUPLICATE_RESOLUTION_PREFIX, FOLDED_RESOLUTION_PREFIX, otherOpenAlerts } from './decide';
import { KEY_PREFIX, sitePrefix } from './key';
import { outcome, ticketRef } from './outcome';
import type { Outcome } from './outcome';
import { applyEvents } from './processAlerts';
import { resolveCompletedTicket } from './resolveFromTicket';
import { resolveSettings } from './settings';
import { settleTickets } from './settle';
import type { SettleReport } from './settle';
import type { AlertTicketStore } from './ticketStore';
import { isOpen } from './tickets';
import type { AlertEvent } from './webhook';
import { PromiseCache } from '../util/promiseCache';
import { settle } from '../util/settled';

/** Sync applies what it finds missing as Process Alert would: it needs the same settings. */
export type SyncOpenAlertsConfig = ProcessAlertsConfig;

/** What Sync did, and what it could not do (everything else was done). */
export interface SyncResult {
	outcomes: Outcome[];
	errors: Error[];
}

/**
 * Sync Open Alerts: compares Datto's open alerts with the open alert tickets and fixes what
 * webhooks missed: tickets for open alerts nobody ticketed, completion for tickets whose alert
 * resolved, and what the duplicate and storm rules say should not be open (a worker that
 * stopped, a create that landed late). Does all it can, then reports what failed.
 */
export async function syncOpenAlerts(
	store: AlertTicketStore,
	datto: DattoClient,
	config: SyncOpenAlertsConfig,
	options: {
		siteUid?: string;
		now?: () => number;
		/** The reverse path: resolve open Datto alerts whose ticket was completed in the PSA. */
		resolveCompletedTickets?: boolean;
	} = {},
): Promise<SyncResult> {
	const { run, notes } = openRun(store, datto, config, options.now);
	run.ctx.now = run.now();
	// The backstop writes every storm alert no delivery listed: no note interval here.
	run.ctx.stormNoteIntervalMs = 0;
	const alerts = await datto.listAlerts(
		options.siteUid ? { level: 'site', uid: options.siteUid } : { level: 'account' },
		'open',
	);
	await run.remember({
		prefixes: [options.siteUid ? sitePrefix(options.siteUid) : KEY_PREFIX],
		createdSince: run.ctx.now - run.ctx.storm.windowMs,
		completedSince:
			run.ctx.reopenWindowMs > 0 ? run.ctx.now - run.ctx.reopenWindowMs : run.ctx.now - 3600_000,
	});
	const housekeeping = await settleTickets(run, notes, config);
	const open = run.view().filter((ticket) => isOpen(ticket, run.ctx));

	const events: AlertEvent[] = [];
	const openAlertUids = new Set(alerts.map((alert) => alert.alertUid));
	// The listing answers "is the problem still alerting?" for every resolve this run applies.
	const byDevice = new Map<string, AlertInfo[]>();
	const flattened = alerts.map((raw) => normalizeAlert(raw));
	for (const info of flattened)
		byDevice.set(info.deviceUid, [...(byDevice.get(info.deviceUid) ?? []), info]);
	run.useOpenAlertListing(options.siteUid, byDevice);

	const outcomes: Outcome[] = [];
	const errors: Error[] = [];
	// The reverse path for a lost ticket webhook: a ticket completed in the PSA (not by our rules)
	// while its alert, or a repeat noted on it, is still open resolves them, by the webhook's rules.
	const reversed = new Set<string>();
	if (options.resolveCompletedTickets) {
		const listed = new Map(alerts.map((alert) => [alert.alertUid.toLowerCase(), alert]));
		const cache = new PromiseCache(
			async (uid: string) => listed.get(uid.toLowerCase()) ?? (await datto.getAlert(uid)),
		);
		const completed = run.view().filter((t) => {
			const resolution = t.resolution ?? '';
			return (
				!isOpen(t, run.ctx) &&
				!t.key.storm &&
				t.key.alertUid &&
				!resolution.startsWith(DUPLICATE_RESOLUTION_PREFIX) &&
				!resolution.startsWith(FOLDED_RESOLUTION_PREFIX) &&
				(openAlertUids.has(t.key.alertUid) ||
					otherOpenAlerts(t, flattened, t.key.alertUid).length > 0)
			);
		});
		for (const ticket of completed) {
			const done = await settle(
				resolveCompletedTicket(store, datto, cache, ticket.id, {
					ticketNumber: ticket.ticketNumber,
					record: ticket,
				}),
			);
			if (!done.ok) {
				errors.push(done.error as Error);
				continue;
			}
			for (const result of done.value) {
				if (result.json.alertUid) reversed.add(result.json.alertUid.toLowerCase());
				if (result.json.decision === 'alertResolved') outcomes.push(result);
			}
		}
	}

	for (const [index, raw] of alerts.entries()) {
		const info = flattened[index];
		if (reversed.has(raw.alertUid.toLowerCase())) continue;
		if (config.skipNativeTickets && info.nativeTicket) continue;
		if (!resolveSettings(config.defaults, config.overrides, info).ticket) continue;
		// Every open alert no ticket tracks is applied as a delivery would: one a note already
		// names (a repeat, a storm alert) is recognised; one no delivery recorded (a lost webhook,
		// a storm alert deferred to a note that never came) is ticketed or noted now.
		if (!run.hasOwnTicket(raw.alertUid))
			events.push({ kind: 'raised', alertUid: raw.alertUid, hints: {}, apiAlert: raw });
	}

	// Open tickets whose alert is no longer open: confirm with Datto before completing. A ticket
	// whose problem still has an open alert (a repeat) stays open, as a resolve leaves it.
	const stale = open.filter(
		(t) =>
			!t.key.storm &&
			t.key.alertUid &&
			!openAlertUids.has(t.key.alertUid) &&
			!otherOpenAlerts(t, flattened, t.key.alertUid).length,
	);
	const confirmed = await mapWithConcurrency(
		stale.length,
		DATTO_READ_CONCURRENCY,
		async (i) => await run.alerts.get(stale[i].key.alertUid!),
	);
	stale.forEach((ticket, i) => {
		const alert = confirmed[i];
		if (alert?.resolved)
			events.push({ kind: 'resolved', alertUid: alert.alertUid, hints: {}, apiAlert: alert });
		else if (!alert) {
			outcomes.push(
				outcome({
					decision: 'alertNotFound',
					event: 'resolved',
					alertUid: ticket.key.alertUid,
					reason: `Datto RMM no longer knows alert ${ticket.key.alertUid}; ticket ${ticket.ticketNumber ?? ticket.id} was left open for a person to close`,
					...ticketRef(ticket),
				}),
			);
		}
	});

	const processed = await applyEvents(run, notes, config, events, { catchUp: false });
	for (const report of [housekeeping, processed.housekeeping])
		reportSettled(report, outcomes, errors);
	for (const result of processed.results) {
		if (result instanceof Error) errors.push(result);
		// A ticket kept open for a technician, or an alert its completed ticket already carried,
		// stays so quietly on every later run.
		else if (
			result &&
			result.json.decision !== 'alreadyNoted' &&
			result.json.decision !== 'duplicateDelivery'
		)
			outcomes.push(result);
	}
	return { outcomes, errors };
}

/** What the duplicate and storm rules closed, as outcomes; what they could not, as errors. */
function reportSettled(report: SettleReport, outcomes: Outcome[], errors: Error[]): void {
	for (const { ticket, into, rule } of report.closed) {
		outcomes.push(
			outcome({
				decision: rule === 'duplicate' ? 'duplicateClosed' : 'foldedIntoStorm',
				alertUid: ticket.key.alertUid,
				reason:
					rule === 'duplicate'
						? `Duplicate of ticket ${into.ticketNumber ?? into.id}`
						: `Over the storm limit: folded into storm ticket ${into.ticketNumber ?? into.id}`,
				...ticketRef(ticket),
			}),
		);
	}
	for (const { ticket } of report.converted) {
		outcomes.push(
			outcome({
				decision: 'stormTicketCreated',
				alertUid: ticket.key.alertUid,
				reason: 'Over the storm limit: the first ticket over it became the storm ticket',
				...ticketRef(ticket),
			}),
		);
	}
	for (const { ticket, error } of report.errors) {
		error.message = `Ticket ${ticket.ticketNumber ?? ticket.id}: ${error.message}`;
		errors.push(error);
	}
}
