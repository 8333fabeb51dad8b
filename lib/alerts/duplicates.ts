import type { AlertRun } from './alertRun';
import { DUPLICATE_RESOLUTION_PREFIX } from './decide';
import { keyTracksAlert } from './key';
import { REPEAT_NOTE_TITLE, STORM_NOTE_TITLE } from './notes';
import type { TicketNotes } from './notes';
import { byIdAscending, isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/**
 * Concurrent deliveries may each open a ticket for the same problem (no PSA offers an atomic
 * create-if-absent). The lowest id wins; every other open ticket of the same problem (storm
 * tickets: of the same device or site) is a duplicate to close into it, by whoever reads the
 * problem's tickets next (settle.ts; docs/adr/alert-eventual-uniqueness.md).
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
	options: { unlessPresent?: boolean } = {},
): Promise<void> {
	const resolution = `${DUPLICATE_RESOLUTION_PREFIX} ${winner.ticketNumber ?? winner.id}: a concurrent delivery of the same Datto RMM alert opened both. Merged and closed automatically.`;
	await run.store.completeTicket(loser.id, resolution);
	Object.assign(loser, {
		status: run.ctx.completeStatus,
		completedDate: run.now(),
		resolution,
	});
	// The winner already tracks the same alert, or this is a different alert of the same problem.
	if (alertUid && !keyTracksAlert(winner.key, alertUid)) {
		await notes.write(
			winner,
			winner.key.storm ? STORM_NOTE_TITLE : REPEAT_NOTE_TITLE,
			[
				`Alert ${alertUid} arrived at the same time; its duplicate ticket ${loser.ticketNumber ?? loser.id} was closed into this one.`,
			],
			options,
		);
		(winner.notedAlerts ??= new Set()).add(alertUid.toLowerCase());
	}
}
