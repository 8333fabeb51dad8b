import type { AlertBatch } from './batch';
import { narrowest } from './key';
import { outcome } from './outcome';
import type { OutcomeJson } from './outcome';
import { closedByRule, DUPLICATE_RESOLUTION_PREFIX } from './decide';
import { settleTickets } from './settle';
import type { SettleReport } from './settle';
import { byIdAscending, isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/** The key prefix a storm ticket stands for: its device's, or its site's. */
const stormScope = (ticket: TicketRecord): string =>
	ticket.key.storm === 'site' ? ticket.key.sitePrefix : ticket.key.devicePrefix;

/**
 * After its writes, an execution re-reads the devices (or sites) it opened tickets for: a
 * concurrent delivery may have opened one for the same problem, or let the device past its
 * storm limit. The rules then close what should not stay open (its own tickets and others'),
 * and the outcomes of its own items say where their alert ended up.
 */
export async function recheckAfterWrites(batch: AlertBatch): Promise<void> {
	const { run, notes, config, results, created, housekeeping } = batch;
	if (!created.length) return;
	const scopes = created.map(({ ticket }) =>
		config.stormPerSite > 0 || ticket.key.storm === 'site'
			? ticket.key.sitePrefix
			: ticket.key.devicePrefix,
	);
	await run.remember({
		prefixes: narrowest(scopes),
		createdSince: run.ctx.now - run.ctx.storm.windowMs,
	});
	const closedBefore = housekeeping.closed.length;
	const convertedBefore = housekeeping.converted.length;
	await settleTickets(run, notes, config, housekeeping);

	const mine = new Map(created.map((entry) => [entry.ticket.id, entry]));
	const update = (ticketId: number, change: (json: OutcomeJson) => OutcomeJson) => {
		const entry = mine.get(ticketId);
		const previous = entry && results[entry.index];
		if (entry && previous && !(previous instanceof Error))
			results[entry.index] = outcome(change(previous.json));
	};
	// Tickets of ours a concurrent delivery closed by the same rules before this one looked.
	const closedHere = new Set(housekeeping.closed.map(({ ticket }) => ticket.id));
	const byOthers: SettleReport['closed'] = [];
	for (const { ticket } of created) {
		if (closedHere.has(ticket.id) || isOpen(ticket, run.ctx) || !closedByRule(ticket)) continue;
		const duplicate = ticket.resolution!.startsWith(DUPLICATE_RESOLUTION_PREFIX);
		const into = run
			.view()
			.filter(
				(t) =>
					isOpen(t, run.ctx) &&
					(duplicate
						? t.key.problemPrefix === ticket.key.problemPrefix
						: t.key.storm !== undefined && ticket.key.key.startsWith(stormScope(t))),
			)
			.sort(byIdAscending)[0];
		if (into) byOthers.push({ ticket, into, rule: duplicate ? 'duplicate' : 'storm' });
	}
	for (const { ticket, into, rule } of [...housekeeping.closed.slice(closedBefore), ...byOthers]) {
		update(ticket.id, (json) => ({
			...json,
			decision: rule === 'duplicate' ? 'mergedIntoExisting' : 'foldedIntoStorm',
			reason:
				rule === 'duplicate'
					? `A concurrent delivery opened ticket ${into.ticketNumber ?? into.id} for the same problem first; the duplicate ${ticket.ticketNumber ?? ticket.id} was closed into it`
					: `Storm guard: concurrent deliveries took the device past its new-ticket limit; ticket ${ticket.ticketNumber ?? ticket.id} was folded into storm ticket ${into.ticketNumber ?? into.id}`,
			ticketId: into.id,
			ticketNumber: into.ticketNumber,
			duplicateTicketId: ticket.id,
		}));
	}
	for (const { ticket } of housekeeping.converted.slice(convertedBefore)) {
		update(ticket.id, (json) => ({
			...json,
			decision: 'stormTicketCreated',
			alertKey: ticket.key.key,
			reason:
				'Storm guard: concurrent deliveries took the device past its new-ticket limit; this ticket became the storm ticket',
		}));
	}
}
