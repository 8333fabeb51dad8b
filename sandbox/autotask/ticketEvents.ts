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
import { applyInOrder } from '../core/ticketEvents';
import type {
	AppliedTicketEvents as Applied,
	TicketEventOutcome as Outcome,
} from '../core/ticketEvents';
import type { AutotaskState, Row } from './state';
import { updateTicket } from './tickets';

export interface AutotaskTicketEvent {
	alertUid?: string;
	ticketId?: number;
	status: number;
	resourceId?: number;
}

export type TicketEventOutcome = Outcome<AutotaskTicketEvent>;

/** The callouts the changes queued are also in `pendingWebhookDeliveries()`. */
export type AppliedTicketEvents = Applied<AutotaskTicketEvent>;

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
	return applyInOrder(events, {
		tickets: () => state.tickets,
		carriesAlert: options.carriesAlert ?? defaultCarriesAlert,
		checkChange: (event) => {
			if (typeof event.status !== 'number' || !Number.isInteger(event.status))
				throw new Error('"status" must be a ticket status id, a whole number');
		},
		apply: (tickets, event) => {
			const actor = technician(state, event.resourceId);
			for (const ticket of tickets) {
				updateTicket(state, { id: ticket.id, status: event.status }, 'patch', actor);
			}
		},
		change: (event) => `status ${event.status}`,
		pending: () => state.pendingWebhookDeliveries(),
	});
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
