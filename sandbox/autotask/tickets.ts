/** Tickets and their notes: POST, PATCH and PUT /Tickets and /Tickets/{id}/Notes. */
import { entityByRoute } from './fields';
import { invalid } from './query';
import type { Actor, AutotaskState, Row } from './state';
import {
	changesOf,
	checkPicklistParents,
	checkReferences,
	checkRequired,
	creator,
	existingFor,
	merge,
	mergeUdfs,
	nextId,
	replaceRow,
	stamp,
} from './writes';

/** POST /Tickets */
export function createTicket(state: AutotaskState, body: unknown, actor: Actor): number {
	const tickets = entityByRoute('Tickets')!;
	const { changes, udfs } = changesOf(state, tickets, body);
	const row: Row = { ...changes };
	checkRequired(state, tickets, row);
	checkTicket(state, row, Object.keys(changes));
	const now = stamp(state);
	row.id = nextId(state, tickets);
	row.ticketNumber = nextTicketNumber(state);
	row.createDate = now;
	row.lastActivityDate = now;
	row.lastTrackedModificationDateTime = now;
	row.creatorResourceID = creator(actor);
	row.creatorType = 1;
	row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
	if (Number(row.status) === 5) {
		row.completedDate = now;
		row.completedByResourceID = creator(actor);
	}
	if (udfs) row.userDefinedFields = udfs;
	state.tickets.push(row);
	state.ticketWebhooks.ticketWritten({
		action: 'Create',
		after: row,
		actingResourceId: creator(actor),
	});
	return row.id as number;
}

/** PATCH /Tickets or PUT /Tickets */
export function updateTicket(
	state: AutotaskState,
	body: unknown,
	mode: 'patch' | 'put',
	actor: Actor,
): number {
	const tickets = entityByRoute('Tickets')!;
	const existing = existingFor(state, tickets, body);
	const { changes, udfs } = changesOf(state, tickets, body);
	const row = merge(state, tickets, existing, changes, mode);
	checkRequired(state, tickets, row, mode === 'patch' ? Object.keys(changes) : undefined);
	checkTicket(state, row, Object.keys(changes));
	const now = stamp(state);
	row.lastActivityDate = now;
	row.lastTrackedModificationDateTime = now;
	row.lastActivityResourceID = creator(actor);
	const wasComplete = Number(existing.status) === 5;
	const isComplete = Number(row.status) === 5;
	if (isComplete && !wasComplete) {
		row.completedDate = now;
		row.completedByResourceID = creator(actor);
	} else if (!isComplete && wasComplete) {
		row.completedDate = null;
		row.completedByResourceID = null;
	}
	if (udfs) row.userDefinedFields = mergeUdfs(existing.userDefinedFields, udfs);
	const before = structuredClone(existing);
	replaceRow(existing, row);
	state.ticketWebhooks.ticketWritten({
		action: 'Update',
		before,
		after: existing,
		actingResourceId: creator(actor),
	});
	return existing.id as number;
}

/** POST /Tickets/{ticketId}/Notes */
export function createTicketNote(
	state: AutotaskState,
	ticketId: string,
	body: unknown,
	actor: Actor,
): number {
	const notes = entityByRoute('TicketNotes')!;
	const ticket = ticketOf(state, ticketId);
	const { changes } = changesOf(state, notes, body);
	if (
		changes.ticketID !== undefined &&
		changes.ticketID !== null &&
		Number(changes.ticketID) !== Number(ticket.id)
	) {
		throw invalid(
			`ticketID: Value ${String(changes.ticketID)} does not match the parent ticket ${String(ticket.id)}.`,
		);
	}
	const row: Row = { ...changes, ticketID: Number(ticket.id) };
	checkRequired(state, notes, row);
	const now = stamp(state);
	row.id = nextId(state, notes);
	row.createDateTime = now;
	row.lastActivityDate = now;
	row.creatorResourceID = creator(actor);
	row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
	state.ticketNotes.push(row);
	ticket.lastActivityDate = now;
	return row.id as number;
}

/** PATCH or PUT /Tickets/{ticketId}/Notes */
export function updateTicketNote(
	state: AutotaskState,
	ticketId: string,
	body: unknown,
	mode: 'patch' | 'put',
	actor: Actor,
): number {
	const notes = entityByRoute('TicketNotes')!;
	const ticket = ticketOf(state, ticketId);
	const existing = existingFor(state, notes, body);
	if (Number(existing.ticketID) !== Number(ticket.id)) {
		throw invalid(
			`id: Value ${String(existing.id)} does not exist or is invalid for ticket ${String(ticket.id)}.`,
		);
	}
	const { changes } = changesOf(state, notes, body);
	const row = merge(state, notes, existing, changes, mode);
	row.ticketID = existing.ticketID;
	checkRequired(state, notes, row, mode === 'patch' ? Object.keys(changes) : undefined);
	row.lastActivityDate = stamp(state);
	row.impersonatorUpdaterResourceID = actor.impersonatedResourceId ?? null;
	replaceRow(existing, row);
	return existing.id as number;
}

function ticketOf(state: AutotaskState, ticketId: string): Row {
	const ticket = state.find(entityByRoute('Tickets')!, ticketId);
	if (!ticket) throw invalid(`ticketID: Value ${ticketId} does not exist or is invalid.`);
	return ticket;
}

function checkTicket(state: AutotaskState, row: Row, changed: string[]): void {
	const tickets = entityByRoute('Tickets')!;
	checkReferences(state, tickets, row, changed);
	checkPicklistParents(state, tickets, row, changed);
	if (
		(row.assignedResourceID === null || row.assignedResourceID === undefined) !==
		(row.assignedResourceRoleID === null || row.assignedResourceRoleID === undefined)
	) {
		throw invalid(
			'When assigning a Resource, you must assign both a assignedResourceID and assignedResourceRoleID.',
		);
	}
	const companyId = Number(row.companyID);
	if (changed.includes('contactID') || changed.includes('companyID')) {
		const contact =
			row.contactID === null || row.contactID === undefined
				? undefined
				: state.find(entityByRoute('Contacts')!, row.contactID);
		if (contact && Number(contact.companyID) !== companyId) {
			throw invalid(
				`contactID: Value ${String(row.contactID)} does not belong to company ${companyId}.`,
			);
		}
	}
	if (changed.includes('configurationItemID') || changed.includes('companyID')) {
		const ci =
			row.configurationItemID === null || row.configurationItemID === undefined
				? undefined
				: state.find(entityByRoute('ConfigurationItems')!, row.configurationItemID);
		if (ci && Number(ci.companyID) !== companyId) {
			throw invalid(
				`configurationItemID: Value ${String(row.configurationItemID)} does not belong to company ${companyId}.`,
			);
		}
	}
}

function nextTicketNumber(state: AutotaskState): string {
	const day = state.now().toISOString().slice(0, 10).replace(/-/g, '');
	const prefix = `T${day}.`;
	const taken = state.tickets
		.map((ticket) => String(ticket.ticketNumber ?? ''))
		.filter((number) => number.startsWith(prefix))
		.map((number) => Number(number.slice(prefix.length)) || 0);
	const next = (taken.length ? Math.max(...taken) : 0) + 1;
	return `${prefix}${String(next).padStart(4, '0')}`;
}
