import { openAlertsForTicket } from './batch';
import type { AlertBatch, PreparedEvent } from './batch';
import type { AlertInfo } from './alert';
import { decideResolved, otherOpenAlerts } from './decide';
import { humanWorkReasons, mayHaveTimeEntries } from './humanWork';
import type { TicketRecord } from './tickets';
import { RESOLVED_NOTE_TITLE, resolvedLine, STILL_OPEN_NOTE_TITLE } from './notes';
import type { NoteFields, NoteLookup, TicketNotes } from './notes';
import { describeAlert, joinReasons, outcome, ticketRef } from './outcome';
import type { Outcome, OutcomeJson } from './outcome';

/**
 * Applies a resolved alert: completes its ticket (or its problem's), unless other alerts of the
 * problem are still open or a person works on the ticket; then a note says why, once.
 */
export async function applyResolved(batch: AlertBatch, item: PreparedEvent): Promise<Outcome> {
	const { run, notes, config } = batch;
	const { event } = item;
	const base: OutcomeJson = item.alert
		? describeAlert(item.alert, 'resolved')
		: {
				decision: 'noTicket',
				event: 'resolved',
				alertUid: event.alertUid,
				hostname: event.hints.hostname,
				siteName: event.hints.siteName,
			};
	const decision = decideResolved(
		event.alertUid,
		item.keyInfo?.problemPrefix,
		[...run.tickets.values()],
		run.ctx,
	);
	if (decision.action === 'skip') {
		return outcome({
			...base,
			decision: decision.code,
			reason: decision.reason,
			...ticketRef(decision.ticket),
		});
	}
	const ticket = decision.ticket;
	// Low on the PSA's request budget: the completion (and its reads) waits for the backstop.
	if (config.notesOnly)
		return outcome({
			...base,
			decision: 'budgetLow',
			reason: config.notesOnly,
			...ticketRef(ticket),
		});
	const when = item.alert?.resolvedOn
		? new Date(item.alert.resolvedOn).toISOString()
		: new Date(run.now()).toISOString();
	const by = item.alert?.resolvedBy ? ` by ${item.alert.resolvedBy}` : '';
	const line = resolvedLine(event.alertUid, by, when);
	const fields = item.settings?.fields;
	let reasons = humanWorkReasons(ticket, run.ctx);
	if (!reasons.length) {
		// The problem may still be alerting: another alert of it open in Datto keeps the ticket open.
		const open = await openAlertsForTicket(run, config, item, ticket);
		if (!open) {
			return outcome({
				...base,
				decision: 'alertNotFound',
				reason: `Datto RMM no longer knows alert ${event.alertUid} and the webhook names no device of ticket ${ticket.ticketNumber ?? ticket.id}, so whether its problem still alerts cannot be told; the ticket was left open for a person to close`,
				...ticketRef(ticket),
			});
		}
		const others = otherOpenAlerts(ticket, open, event.alertUid);
		if (others.length) return await noteStillOpen(notes, ticket, others, base, line, fields);
		if (mayHaveTimeEntries(ticket))
			reasons = humanWorkReasons(ticket, run.ctx, await run.timeEntryCount(ticket.id));
	}
	if (reasons.length) {
		// A ticket kept open for a technician is told once, not on every delivery or sync run.
		if (await notes.hasNoteTitled(ticket.id, RESOLVED_NOTE_TITLE)) {
			return outcome({
				...base,
				decision: 'alreadyNoted',
				reason: `Human-work guard: ${joinReasons(reasons)}; the resolution was already noted on the ticket`,
				...ticketRef(ticket),
			});
		}
		await notes.write(
			ticket,
			RESOLVED_NOTE_TITLE,
			[
				line,
				`The ticket was left open because ${joinReasons(reasons)}. Complete it when the work is done.`,
			],
			{ fields },
		);
		return outcome({
			...base,
			decision: 'resolvedNoteHumanWork',
			reason: `Human-work guard: ${joinReasons(reasons)}`,
			...ticketRef(ticket),
		});
	}
	const resolution = [ticket.resolution?.trim(), `${line} Ticket completed automatically.`]
		.filter(Boolean)
		.join('\n\n');
	// The resolution text rides on the completing write: one call, no separate note.
	await run.store.completeTicket(ticket.id, resolution);
	Object.assign(ticket, {
		status: run.ctx.completeStatus,
		completedDate: run.now(),
		resolution,
	});
	return outcome({
		...base,
		decision: 'completed',
		...(decision.own
			? {}
			: {
					reason: `The last open alert of the problem of ticket ${ticket.ticketNumber ?? ticket.id} resolved`,
				}),
		...ticketRef(ticket),
	});
}

/**
 * A resolve while other alerts of the same problem are still open: a note, once per alert
 * (a re-delivery finds it and changes nothing), and the ticket stays open.
 */
async function noteStillOpen(
	notes: TicketNotes,
	ticket: TicketRecord,
	others: AlertInfo[],
	base: OutcomeJson,
	line: string,
	fields: NoteFields | undefined,
): Promise<Outcome> {
	const alertUid = String(base.alertUid);
	const lookup: NoteLookup = { ticket, alertUid };
	if (!notes.isRead(lookup)) await notes.lookup([lookup]);
	const list = others.map((alert) => alert.alertUid);
	const still = `${list.length === 1 ? 'alert' : 'alerts'} ${joinReasons(list)} of the same problem ${list.length === 1 ? 'is' : 'are'} still open in Datto RMM`;
	if (notes.isStillOpenNoted(lookup)) {
		return outcome({
			...base,
			decision: 'alreadyNoted',
			reason: `Not completed: ${still}; this resolution was already noted on the ticket`,
			...ticketRef(ticket),
		});
	}
	const first = others[0];
	const problem = `${first.monitorLabel}${first.detail ? ` ${first.detail}` : ''} on ${first.hostname || first.deviceUid}`;
	await notes.write(
		ticket,
		STILL_OPEN_NOTE_TITLE,
		[
			line,
			`The ticket stays open: ${still} (${problem}). It is completed when the last of them resolves.`,
		],
		{ fields },
	);
	notes.markStillOpenNoted(lookup);
	return outcome({
		...base,
		decision: 'resolvedNoteStillOpen',
		reason: `Not completed: ${still}`,
		...ticketRef(ticket),
	});
}
