import type { DattoClient } from '../transport/datto';
import { KeyedLimiter } from '../transport/limiter';
import { settle } from '../util/settled';
import type { AlertRun } from './alertRun';
import { applyRaised } from './applyRaised';
import { applyResolved } from './applyResolved';
import { openRun } from './batch';
import type { AlertBatch, ProcessAlertsConfig } from './batch';
import { mergeConcurrentDuplicates } from './duplicates';
import type { TicketNotes } from './notes';
import type { ItemResults } from './outcome';
import { prepareBatch } from './prepareBatch';
import type { AlertTicketStore } from './ticketStore';
import type { AlertEvent } from './webhook';

export type { ProcessAlertsConfig };

export interface ProcessAlertsOptions {
	/** Stop at the first item that fails; the items not run yet stay undefined. */
	stopOnError?: boolean;
	now?: () => number;
}

/**
 * Process Alert: applies alert events to the PSA. Reads the alert tickets of the sites involved
 * in ONE query (the state lives on the tickets, so any number of workers agree), decides per
 * event with the pure rules in ./decide, writes, and finally re-reads what it created to merge
 * a duplicate a concurrent worker made. Returns one outcome or error per input.
 */
export async function processAlerts(
	store: AlertTicketStore,
	datto: DattoClient,
	config: ProcessAlertsConfig,
	events: Array<AlertEvent | Error>,
	options: ProcessAlertsOptions = {},
): Promise<ItemResults> {
	const { run, notes } = openRun(store, datto, config, options.now);
	return await applyEvents(run, notes, config, events, options);
}

/**
 * Applies events in order per site (sites in parallel) with this execution's reads and notes.
 * `undefined` for events not run because an earlier one failed and `stopOnError`.
 */
export async function applyEvents(
	run: AlertRun,
	notes: TicketNotes,
	config: ProcessAlertsConfig,
	events: Array<AlertEvent | Error>,
	options: { stopOnError?: boolean } = {},
): Promise<ItemResults> {
	const results: ItemResults = events.map((event) => (event instanceof Error ? event : undefined));
	if (options.stopOnError && results.some((result) => result instanceof Error)) return results;
	run.ctx.now = run.now();
	const batch: AlertBatch = { run, notes, config, results, storm: new Map(), created: [] };

	const prepared = await prepareBatch(batch, events);
	let stopped = false;
	const lanes = new KeyedLimiter(1);
	await Promise.all(
		prepared.map(
			async (item) =>
				await lanes.run(item.lane, async () => {
					if (stopped) return;
					const done = await settle(
						item.event.kind === 'resolved' ? applyResolved(batch, item) : applyRaised(batch, item),
					);
					if (done.ok) results[item.index] = done.value;
					else {
						results[item.index] = done.error as Error;
						if (options.stopOnError) stopped = true;
					}
				}),
		),
	);
	await notes.flush(results);
	await mergeConcurrentDuplicates(run, notes, batch.created, results);
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
	return results;
}
