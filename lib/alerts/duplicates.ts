import { settle } from '../util/settled';
import type { AlertRun } from './alertRun';
import { DUPLICATE_RESOLUTION_PREFIX } from './decide';
import { keyTracksAlert } from './key';
import { REPEAT_NOTE_TITLE } from './notes';
import type { TicketNotes } from './notes';
import { outcome } from './outcome';
import type { ItemResults } from './outcome';
import { byIdAscending, isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/**
 * Concurrent deliveries may each open a ticket for the same problem (Autotask has no atomic
 * create-if-absent). The rule (docs/adr/alert-duplicates-lowest-id-wins.md): the open ticket with
 * the lowest id wins, and every other open ticket of the problem is closed into it by whoever
 * looks next: the execution that made it, or Sync Open Alerts.
 */

/**
 * Concurrent workers may each create a ticket for the same problem. The lowest id wins; every
 * other open ticket of the same problem is a duplicate to close into it
 * (docs/adr/alert-duplicates-lowest-id-wins.md).
 */
export function duplicatesOf(
	tickets: TicketRecord[],
	ctx: { completeStatus: string },
): Array<{ winner: TicketRecord; losers: TicketRecord[] }> {
	const groups = new Map<string, TicketRecord[]>();
	for (const ticket of tickets) {
		if (!isOpen(ticket, ctx)) continue;
		// Storm tickets carry their own problem code, so they group per device or per site too.
		const group = ticket.key.problemPrefix;
		const list = groups.get(group) ?? [];
		list.push(ticket);
		groups.set(group, list);
	}
	const out: Array<{ winner: TicketRecord; losers: TicketRecord[] }> = [];
	for (const list of groups.values()) {
		const unique = [...new Map(list.map((t) => [t.id, t])).values()].sort(byIdAscending);
		if (unique.length > 1) out.push({ winner: unique[0], losers: unique.slice(1) });
	}
	return out;
}

/** A ticket this execution opened, and the item and alert it was opened for. */
export interface CreatedTicket {
	ticket: TicketRecord;
	index: number;
	alertUid: string;
}

/** Completes a duplicate into the winner; a different alert of the problem is noted on the winner. */
export async function closeDuplicate(
	run: AlertRun,
	notes: TicketNotes,
	loser: TicketRecord,
	winner: TicketRecord,
	alertUid: string,
): Promise<void> {
	const resolution = `${DUPLICATE_RESOLUTION_PREFIX} ${winner.ticketNumber ?? winner.id}: a concurrent delivery of the same Datto RMM alert opened both. Merged and closed automatically.`;
	await run.store.completeTicket(loser.id, resolution);
	Object.assign(loser, {
		status: run.ctx.completeStatus,
		completedDate: run.now(),
		resolution,
	});
	// The winner already tracks the same alert, or this is a different alert of the same problem.
	if (!keyTracksAlert(winner.key, alertUid)) {
		await notes.write(winner, REPEAT_NOTE_TITLE, [
			`Alert ${alertUid} of the same problem arrived at the same time; its duplicate ticket ${loser.ticketNumber ?? loser.id} was closed into this one.`,
		]);
		if (alertUid) (winner.notedAlerts ??= new Set()).add(alertUid.toLowerCase());
	}
}

/**
 * Re-reads the problems this execution opened tickets for. When a concurrent worker opened
 * one too, the lowest id wins; a duplicate this execution made is closed into the winner.
 */
export async function mergeConcurrentDuplicates(
	run: AlertRun,
	notes: TicketNotes,
	created: CreatedTicket[],
	results: ItemResults,
): Promise<void> {
	if (!created.length) return;
	const prefixes = [...new Set(created.map((entry) => entry.ticket.key.problemPrefix))];
	const mine = new Map(created.map((entry) => [entry.ticket.id, entry]));
	const open = await run.remember({ prefixes });
	for (const entry of created) {
		const result = results[entry.index];
		if (result && !(result instanceof Error) && result.json.ticketId === entry.ticket.id)
			result.json.ticketNumber = entry.ticket.ticketNumber;
	}
	for (const { winner, losers } of duplicatesOf(open, run.ctx)) {
		for (const loser of losers) {
			const entry = mine.get(loser.id);
			if (!entry) continue;
			const merged = await settle(closeDuplicate(run, notes, loser, winner, entry.alertUid));
			const previous = results[entry.index];
			if (!merged.ok) {
				results[entry.index] = merged.error as Error;
				continue;
			}
			if (previous && !(previous instanceof Error)) {
				results[entry.index] = outcome({
					...previous.json,
					decision: 'mergedIntoExisting',
					reason: `A concurrent delivery opened ticket ${winner.ticketNumber ?? winner.id} for the same problem first; the duplicate ${loser.ticketNumber ?? loser.id} was closed into it`,
					ticketId: winner.id,
					ticketNumber: winner.ticketNumber,
					duplicateTicketId: loser.id,
				});
			}
		}
	}
}
