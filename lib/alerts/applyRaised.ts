import { alertKey, parseAlertKey } from './key';
import type { AlertBatch, PreparedEvent } from './batch';
import { decideRoute, notesToRead, routeRaised } from './decide';
import type { TicketRecord } from './tickets';
import {
	CATCH_ALL_NOTE_TITLE,
	REFIRE_NOTE_TITLE,
	REPEAT_NOTE_TITLE,
	STORM_NOTE_TITLE,
} from './notes';
import { deferredOutcome, describeAlert, outcome, ticketRef } from './outcome';
import type { Outcome, OutcomeJson } from './outcome';
import { buildTicket } from './ticketBody';

/** Applies a raised alert: a new ticket, a note on its problem's ticket, a reopen, a storm, or nothing. */
export async function applyRaised(batch: AlertBatch, item: PreparedEvent): Promise<Outcome> {
	const { run, notes, config } = batch;
	const alert = item.alert!;
	const keyInfo = item.keyInfo!;
	const settings = item.settings!;
	const base = describeAlert(alert, 'raised');
	// The notes this decision depends on are read first (unless the batch read them already), so
	// that it is made once: a re-delivered repeat then changes nothing.
	const route = routeRaised(alert, keyInfo, settings, run.view(), run.ctx);
	const storm = batch.storm.get(keyInfo.devicePrefix);
	const unread = notesToRead(
		route,
		alert,
		storm,
		(ticket) => notes.isRead({ ticket, alertUid: alert.alertUid }),
		run.ctx,
	);
	if (unread.length)
		await notes.lookup(unread.map((ticket) => ({ ticket, alertUid: alert.alertUid })));
	const decision = decideRoute(route, alert.alertUid, storm, run.ctx);
	// Low on the PSA's request budget: only notes; a ticket to make or reopen waits for the backstop.
	if (
		config.notesOnly &&
		(decision.action === 'create' ||
			decision.action === 'reopen' ||
			(decision.action === 'storm' && !decision.ticket))
	)
		return outcome({
			...base,
			decision: 'budgetLow',
			reason: config.notesOnly,
			...(decision.action === 'reopen' ? ticketRef(decision.ticket) : {}),
		});
	switch (decision.action) {
		case 'defer':
			return outcome({ ...base, ...deferredOutcome(decision.ticket) });
		case 'skip':
			return outcome({
				...base,
				decision: decision.code,
				reason: decision.reason,
				...ticketRef(decision.ticket),
			});
		case 'note':
			notes.queue(
				decision.ticket,
				REPEAT_NOTE_TITLE,
				notes.alertLines(alert),
				item.index,
				alert.alertUid,
			);
			return outcome({
				...base,
				decision: 'repeatNoted',
				reason: `The same problem (${alert.monitorLabel}${alert.detail ? ` ${alert.detail}` : ''} on ${alert.hostname}) already has open ticket ${decision.ticket.ticketNumber ?? decision.ticket.id}`,
				...ticketRef(decision.ticket),
			});
		case 'reopen': {
			const key = alertKey(item.parts!, alert.alertUid);
			const status = String(settings.fields.newStatus || '1');
			await run.store.reopenTicket(decision.ticket.id, status, key);
			Object.assign(decision.ticket, {
				status,
				key: parseAlertKey(key)!,
				completedDate: undefined,
			});
			await notes.write(decision.ticket, REFIRE_NOTE_TITLE, [
				`The alert came back within ${config.reopenWindowHours} hours of this ticket being completed, so the ticket was reopened instead of opening a new one.`,
				'',
				...notes.alertLines(alert),
			]);
			return outcome({
				...base,
				decision: 'reopened',
				alertKey: key,
				...ticketRef(decision.ticket),
			});
		}
		case 'storm': {
			if (decision.ticket) {
				// A note due on a storm ticket another execution opened also lists the storm's
				// alerts since its last note (see catchUp.ts).
				if (!decision.ticket.createdHere)
					batch.stormNotes.set(decision.ticket.id, {
						ticket: decision.ticket,
						siteUid: item.parts!.siteUid,
						deviceUid: item.parts!.deviceUid,
					});
				notes.queue(
					decision.ticket,
					STORM_NOTE_TITLE,
					notes.alertLines(alert),
					item.index,
					alert.alertUid,
				);
				return outcome({
					...base,
					decision: 'stormNoted',
					reason: `Storm guard: ${decision.level === 'device' ? alert.hostname : alert.siteName || 'the site'} exceeded its new-ticket limit; the alert was recorded on the storm ticket`,
					...ticketRef(decision.ticket),
				});
			}
			const created = await createTicket(batch, item, decision.level);
			return outcome({ ...base, ...created, decision: 'stormTicketCreated' });
		}
		case 'create': {
			const created = await createTicket(batch, item);
			return outcome({ ...base, ...created, decision: 'created' });
		}
	}
}

/** Creates the ticket (or a storm ticket) for a prepared raised event. */
async function createTicket(
	batch: AlertBatch,
	item: PreparedEvent,
	storm?: 'device' | 'site',
): Promise<Partial<OutcomeJson>> {
	const { run, notes, config } = batch;
	const alert = item.alert!;
	const parts = item.parts!;
	const settings = item.settings!;
	const { draft, company } = await buildTicket(run, config, alert, parts, settings, storm);
	const created = await run.store.createTicket(draft);
	const { id } = created;
	const ticket: TicketRecord = {
		id,
		key: parseAlertKey(draft.key)!,
		status: created.status,
		createDate: run.now(),
		assignee: created.assignee ?? null,
		companyId: company.id,
		title: created.title,
		createdHere: true,
	};
	run.tickets.set(id, ticket);
	batch.created.push({ ticket, index: item.index, alertUid: alert.alertUid });
	if (company.source === 'catchAll') {
		// A ticket found after a lost answer may be a concurrent delivery's, which wrote this note.
		await notes.write(ticket, CATCH_ALL_NOTE_TITLE, [company.explanation], {
			fields: settings.fields,
			unlessPresent: created.foundAfterLostAnswer,
		});
	}
	return {
		ticketId: id,
		alertKey: draft.key,
		companyId: company.id,
		companySource: company.source,
		configurationItemId: draft.configurationItemId,
		priority: created.priority,
	};
}
