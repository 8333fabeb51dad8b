import { settle } from '../util/settled';
import type { AlertRun } from './alertRun';
import { FOLDED_RESOLUTION_PREFIX } from './decide';
import { closeDuplicate, duplicatesOf } from './duplicates';
import { humanWorkReasons, mayHaveTimeEntries } from './humanWork';
import { parseAlertKey, STORM_MARK } from './key';
import { STORM_NOTE_TITLE, STORM_TICKET_NOTE_TITLE } from './notes';
import type { TicketNotes } from './notes';
import { stormSurplus } from './storm';
import type { StormLevel } from './storm';
import { isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/**
 * Eventual uniqueness (docs/adr/alert-eventual-uniqueness.md): whoever reads a device's or a
 * site's alert tickets (a delivery, a resolve, Sync Open Alerts) closes what the rules say should
 * not be open, whoever made it, as long as no person has worked on it:
 * - every open ticket of a problem but the one with the lowest id (a duplicate), closed into it;
 * - every problem ticket a storm limit did not let through (concurrent deliveries each saw the
 *   device under its limit), folded into the storm ticket of its device or site. Without a storm
 *   ticket yet, the first such ticket becomes the storm ticket.
 * Every worker sees the same ids, so every worker picks the same survivors whatever the timing.
 */

export interface SettleReport {
	/** Tickets closed into another: a duplicate into its problem's first ticket, or into a storm ticket. */
	closed: Array<{ ticket: TicketRecord; into: TicketRecord; rule: 'duplicate' | 'storm' }>;
	/** Problem tickets that became their device's or site's storm ticket. */
	converted: Array<{ ticket: TicketRecord; level: StormLevel }>;
	/** What could not be done (the rest was). */
	errors: Array<{ ticket: TicketRecord; error: Error }>;
}

export const emptyReport = (): SettleReport => ({ closed: [], converted: [], errors: [] });

/** Applies the rules to the tickets of the view under the scopes this execution read whole. */
export async function settleTickets(
	run: AlertRun,
	notes: TicketNotes,
	limits: { stormWindowMinutes: number; stormPerDevice: number; stormPerSite: number },
	report: SettleReport = emptyReport(),
): Promise<SettleReport> {
	const { ctx } = run;
	const inScope = (ticket: TicketRecord) => run.readWhole(ticket);
	const view = run.view();
	const duplicates = duplicatesOf(view.filter(inScope), ctx).flatMap(({ winner, losers }) =>
		losers.map((loser) => ({ loser, winner })),
	);
	const storms = stormSurplus(view, ctx, inScope);
	if (!duplicates.length && !storms.length) return report;

	// Never a ticket a person works on: their assignment, status or logged time keeps it.
	const candidates = [
		...duplicates.map(({ loser }) => loser),
		...storms.flatMap((storm) => storm.over),
	];
	const untouched = (ticket: TicketRecord) => !humanWorkReasons(ticket, ctx).length;
	await run.loadTimeEntries(
		candidates.filter((ticket) => untouched(ticket) && mayHaveTimeEntries(ticket)).map((t) => t.id),
	);
	const counts = new Map<number, number>();
	for (const ticket of candidates)
		if (mayHaveTimeEntries(ticket)) counts.set(ticket.id, await run.timeEntryCount(ticket.id));
	const free = (ticket: TicketRecord) =>
		isOpen(ticket, ctx) && !humanWorkReasons(ticket, ctx, counts.get(ticket.id)).length;

	for (const { loser, winner } of duplicates) {
		if (!free(loser)) continue;
		const done = await settle(
			closeDuplicate(run, notes, loser, winner, loser.key.alertUid ?? '', { unlessPresent: true }),
		);
		if (done.ok) report.closed.push({ ticket: loser, into: winner, rule: 'duplicate' });
		else report.errors.push({ ticket: loser, error: done.error as Error });
	}

	for (const storm of storms) {
		const over = storm.over.filter(free);
		if (!over.length) continue;
		let stormTicket =
			storm.stormTicket && isOpen(storm.stormTicket, ctx) ? storm.stormTicket : undefined;
		if (!stormTicket) {
			const first = over.shift()!;
			const made = await settle(becomeStormTicket(run, notes, first, storm.level, limits));
			if (!made.ok) {
				report.errors.push({ ticket: first, error: made.error as Error });
				continue;
			}
			report.converted.push({ ticket: first, level: storm.level });
			stormTicket = first;
		}
		for (const ticket of over) {
			const folded = await settle(foldIntoStorm(run, notes, ticket, stormTicket, storm.level));
			if (folded.ok) report.closed.push({ ticket, into: stormTicket, rule: 'storm' });
			else report.errors.push({ ticket, error: folded.error as Error });
		}
	}
	return report;
}

const scopeName = (level: StormLevel) => (level === 'device' ? 'device' : 'site');

/**
 * The first problem ticket over the limit becomes the storm ticket of its device or site: its key
 * moves to the storm mark (it still tracks its own alert) and its title says so.
 */
async function becomeStormTicket(
	run: AlertRun,
	notes: TicketNotes,
	ticket: TicketRecord,
	level: StormLevel,
	limits: { stormWindowMinutes: number; stormPerDevice: number; stormPerSite: number },
): Promise<void> {
	const { key } = ticket;
	const prefix =
		level === 'device'
			? `${key.devicePrefix}${STORM_MARK}`
			: `${key.sitePrefix}${STORM_MARK}${STORM_MARK}`;
	const stormKey = `${prefix}:${key.alertPart}`;
	const title = `Alert storm: the ${scopeName(level)} raised more new problems than the storm limit (first: ${ticket.title ?? `ticket ${ticket.id}`})`;
	await run.store.rekeyTicket(ticket.id, stormKey, title);
	Object.assign(ticket, { key: parseAlertKey(stormKey)!, title });
	const limit = level === 'device' ? limits.stormPerDevice : limits.stormPerSite;
	await notes.write(
		ticket,
		STORM_TICKET_NOTE_TITLE,
		[
			`Storm guard: deliveries that arrived at the same time let the ${scopeName(level)} open more than ${limit} new problem tickets within ${limits.stormWindowMinutes} minutes. This ticket became the ${scopeName(level)}'s storm ticket; the tickets over the limit are folded into it, and further alerts are recorded here instead of opening tickets.`,
		],
		{ unlessPresent: true },
	);
}

/** Completes a ticket over the limit; a note on the storm ticket names its alert. */
async function foldIntoStorm(
	run: AlertRun,
	notes: TicketNotes,
	ticket: TicketRecord,
	stormTicket: TicketRecord,
	level: StormLevel,
): Promise<void> {
	const resolution = `${FOLDED_RESOLUTION_PREFIX} ${stormTicket.ticketNumber ?? stormTicket.id}: the ${scopeName(level)} raised more new problems within the storm window than its limit. Closed automatically.`;
	await run.store.completeTicket(ticket.id, resolution);
	Object.assign(ticket, {
		status: run.ctx.completeStatus,
		completedDate: run.now(),
		resolution,
	});
	const alerts = [ticket.key.alertUid, ...(ticket.notedAlerts ?? [])].filter(
		(uid): uid is string => !!uid,
	);
	await notes.write(
		stormTicket,
		STORM_NOTE_TITLE,
		[
			`Ticket ${ticket.ticketNumber ?? ticket.id} (${ticket.title ?? 'alert ticket'}) was folded into this storm ticket${alerts.length ? `: alert ${alerts.join(', ')}` : ''}.`,
		],
		{ unlessPresent: true },
	);
	for (const uid of alerts) (stormTicket.notedAlerts ??= new Set()).add(uid.toLowerCase());
}
