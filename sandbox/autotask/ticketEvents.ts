/**
 * What technicians do in Autotask after the first delivery of the Datto webhooks
 * (`autotask/ticketEvents.json`), applied in order through the same write path as the API, so that
 * each status change produces the callouts Autotask would send:
 *
 *   [{"alertUid": "<uid>", "status": 5}]   every ticket that carries this alert's key gets status 5
 *   [{"ticketId": 7401, "status": 5}]      one ticket
 *
 * An optional `"resourceId"` names the technician (default: the first active, non-API resource).
 * Which tickets carry an alert's key is the package's business: the caller passes `carriesAlert`;
 * without one, a ticket carries an alert when its `rmmAlertID` is the alert uid or its
 * `externalID` contains it (case-insensitive), as the native Datto integration records it.
 */
import type { OutboundDelivery } from '../core/outbox';
import type { AutotaskState, Row } from './state';
import { updateTicket } from './tickets';

export interface AutotaskTicketEvent {
	alertUid?: string;
	ticketId?: number;
	status: number;
	resourceId?: number;
}

export interface TicketEventOutcome {
	/** Its place in the list (0-based). */
	index: number;
	event: AutotaskTicketEvent;
	/** The tickets it changed (or tried to). */
	ticketIds: number[];
	/** Why it did not apply, for the caller to report. */
	error?: string;
}

export interface AppliedTicketEvents {
	outcomes: TicketEventOutcome[];
	/** The callouts the changes queued, in order (also in `pendingWebhookDeliveries()`). */
	deliveries: OutboundDelivery[];
}

export interface ApplyTicketEventsOptions {
	/** The events to apply; default: the seed's (each applied once, then gone from the state). */
	events?: AutotaskTicketEvent[];
	carriesAlert?: (ticket: Row, alertUid: string) => boolean;
}

export function defaultCarriesAlert(ticket: Row, alertUid: string): boolean {
	const uid = alertUid.trim().toLowerCase();
	if (!uid) return false;
	return (
		String(ticket.rmmAlertID ?? '').toLowerCase() === uid ||
		String(ticket.externalID ?? '')
			.toLowerCase()
			.includes(uid)
	);
}

/** Applies ticket events in order; an event that cannot apply is reported and the rest still run. */
export function applyTicketEvents(
	state: AutotaskState,
	options: ApplyTicketEventsOptions = {},
): AppliedTicketEvents {
	const events =
		options.events ?? (state.ticketEvents.splice(0) as unknown as AutotaskTicketEvent[]);
	const carries = options.carriesAlert ?? defaultCarriesAlert;
	const before = state.pendingWebhookDeliveries().length;
	const outcomes = events.map((event, index) => {
		const outcome: TicketEventOutcome = { index, event, ticketIds: [] };
		try {
			const tickets = ticketsOf(state, event, carries);
			outcome.ticketIds = tickets.map((ticket) => Number(ticket.id));
			const actor = technician(state, event.resourceId);
			for (const ticket of tickets) {
				updateTicket(state, { id: ticket.id, status: event.status }, 'patch', actor);
			}
		} catch (error) {
			outcome.error = `ticket event ${index + 1} (${describe(event)}): ${(error as Error).message}`;
		}
		return outcome;
	});
	return { outcomes, deliveries: state.pendingWebhookDeliveries().slice(before) };
}

function ticketsOf(
	state: AutotaskState,
	event: AutotaskTicketEvent,
	carries: (ticket: Row, alertUid: string) => boolean,
): Row[] {
	if (typeof event.status !== 'number' || !Number.isInteger(event.status))
		throw new Error('"status" must be a ticket status id, a whole number');
	if (event.ticketId !== undefined) {
		const ticket = state.tickets.find((row) => Number(row.id) === Number(event.ticketId));
		if (!ticket) throw new Error(`there is no ticket ${event.ticketId}`);
		return [ticket];
	}
	if (typeof event.alertUid === 'string' && event.alertUid.trim()) {
		const tickets = state.tickets.filter((ticket) => carries(ticket, event.alertUid!));
		if (!tickets.length) throw new Error(`no ticket carries the key of alert ${event.alertUid}`);
		return tickets.sort((a, b) => Number(a.id) - Number(b.id));
	}
	throw new Error('an event needs "alertUid" or "ticketId"');
}

/** Who makes the change: the named resource, or the first active technician. */
function technician(state: AutotaskState, resourceId: number | undefined) {
	const resource =
		resourceId === undefined
			? state.resources.find((row) => row.isActive !== false && Number(row.licenseType) !== 7)
			: state.resources.find((row) => Number(row.id) === Number(resourceId));
	if (!resource)
		throw new Error(`there is no resource ${resourceId ?? '(no technician in the seed)'}`);
	return { user: state.apiUsers[0], impersonatedResourceId: Number(resource.id) };
}

function describe(event: AutotaskTicketEvent): string {
	const target =
		event.ticketId !== undefined ? `ticket ${event.ticketId}` : `alert ${event.alertUid}`;
	return `${target} -> status ${event.status}`;
}
