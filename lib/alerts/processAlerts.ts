import type { DattoClient } from '../transport/datto';
import { KeyedLimiter } from '../transport/limiter';
import { settle } from '../util/settled';
import type { AlertRun } from './alertRun';
import { applyRaised } from './applyRaised';
import { applyResolved } from './applyResolved';
import { budgetExhaustedReason } from './budget';
import { openRun } from './batch';
import type { AlertBatch, PreparedEvent, ProcessAlertsConfig } from './batch';
import type { TicketNotes } from './notes';
import { outcome } from './outcome';
import type { ItemResults, Outcome } from './outcome';
import { prepareBatch } from './prepareBatch';
import { catchUpEvents } from './catchUp';
import { recheckAfterWrites } from './recheck';
import { emptyReport } from './settle';
import type { SettleReport } from './settle';
import type { AlertTicketStore } from './ticketStore';
import type { AlertEvent } from './webhook';

export type { ProcessAlertsConfig };

export interface ProcessAlertsOptions {
	now?: () => number;
}

/** One outcome or error per input item, and what the duplicate and storm rules did on the way. */
export interface ProcessedAlerts {
	results: ItemResults;
	housekeeping: SettleReport;
	/** The storm alerts a due storm note listed besides the batch's own, and what failed there. */
	caughtUp: CaughtUp;
}

export interface CaughtUp {
	listed: number;
	errors: Error[];
}

/**
 * Process Alert: applies alert events to the PSA. Reads the alert tickets of the sites involved
 * in ONE query (the state lives on the tickets, so any number of workers agree), closes what the
 * duplicate and storm rules say should not be open, decides per event with the pure rules in
 * ./decide, writes, and finally re-reads the devices it opened tickets for (settle.ts). Every
 * event is applied, whatever happened to the others.
 */
export async function processAlerts(
	store: AlertTicketStore,
	datto: DattoClient,
	config: ProcessAlertsConfig,
	events: Array<AlertEvent | Error>,
	options: ProcessAlertsOptions = {},
): Promise<ProcessedAlerts> {
	const { run, notes } = openRun(store, datto, config, options.now);
	const processed = await applyEvents(run, notes, config, events);
	// Tickets of others closed on the way are told once, on the first outcome.
	const others = processed.housekeeping.closed.filter(
		({ ticket }) =>
			!processed.results.some(
				(r) => r && !(r instanceof Error) && r.json.duplicateTicketId === ticket.id,
			),
	);
	const first = processed.results.find((r) => r && !(r instanceof Error));
	if (others.length && first && !(first instanceof Error))
		first.json.housekeeping = others.map(({ ticket, into, rule }) => ({
			ticketId: ticket.id,
			closedInto: into.id,
			rule,
		}));
	return processed;
}

/** Applies events in order per site (sites in parallel) with this execution's reads and notes. */
export async function applyEvents(
	run: AlertRun,
	notes: TicketNotes,
	config: ProcessAlertsConfig,
	events: Array<AlertEvent | Error>,
	options: { catchUp?: boolean } = {},
): Promise<ProcessedAlerts> {
	const results: ItemResults = events.map((event) => (event instanceof Error ? event : undefined));
	run.ctx.now = run.now();
	const batch: AlertBatch = {
		run,
		notes,
		config,
		results,
		storm: new Map(),
		created: [],
		housekeeping: emptyReport(),
		stormNotes: new Map(),
	};
	await applyItems(batch, events, 0);
	// A storm note due now lists the storm's alerts deferred since the last one (catchUp.ts).
	let caughtUp: CaughtUp = { listed: 0, errors: [] };
	// With no interval nothing was deferred: every delivery noted its own alert.
	if (options.catchUp !== false && run.ctx.stormNoteIntervalMs > 0 && batch.stormNotes.size) {
		const seen = new Set(
			events.flatMap((event) => (event instanceof Error ? [] : [event.alertUid.toLowerCase()])),
		);
		const listed = await settle(catchUpEvents(batch, seen));
		if (!listed.ok) caughtUp = { listed: 0, errors: [listed.error as Error] };
		else if (listed.value.length) {
			results.push(...listed.value.map(() => undefined));
			await applyItems(batch, listed.value, events.length);
			caughtUp = { listed: listed.value.length, errors: [] };
		}
	}
	await notes.flush(results);
	await recheckAfterWrites(batch);
	// Tickets opened in this run got their numbers from the duplicate check: hand them on.
	for (const result of results) {
		if (
			!result ||
			result instanceof Error ||
			result.json.ticketId === undefined ||
			result.json.ticketNumber
		)
			continue;
		const number = run.tickets.get(result.json.ticketId)?.ticketNumber;
		if (number) result.json.ticketNumber = number;
	}
	const extra = results.splice(events.length);
	for (const result of extra) if (result instanceof Error) caughtUp.errors.push(result);
	return { results, housekeeping: batch.housekeeping, caughtUp };
}

/**
 * A delivery the PSA refused for its spent request budget does not fail: it says so on Skipped
 * and the backstop does it when the budget allows. Any other error stays the delivery's error.
 */
function budgetRefused(batch: AlertBatch, item: PreparedEvent, error: unknown): Outcome | Error {
	if (!batch.run.store.isBudgetRefusal?.(error)) return error as Error;
	return outcome({
		decision: 'budgetLow',
		event: item.event.kind,
		alertUid: item.event.alertUid,
		hostname: item.alert?.hostname ?? item.event.hints.hostname,
		siteName: item.alert?.siteName ?? item.event.hints.siteName,
		reason: budgetExhaustedReason(batch.run.store.name, (error as Error).message),
	});
}

/** Prepares and applies events (numbered from `offset` in the batch's results), in order per site. */
async function applyItems(
	batch: AlertBatch,
	events: Array<AlertEvent | Error>,
	offset: number,
): Promise<void> {
	const prepared = await prepareBatch(batch, events, offset);
	const lanes = new KeyedLimiter(1);
	await Promise.all(
		prepared.map(
			async (item) =>
				await lanes.run(item.lane, async () => {
					const done = await settle(
						item.event.kind === 'resolved' ? applyResolved(batch, item) : applyRaised(batch, item),
					);
					batch.results[item.index] = done.ok ? done.value : budgetRefused(batch, item, done.error);
				}),
		),
	);
}
