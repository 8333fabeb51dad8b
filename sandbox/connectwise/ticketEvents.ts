/**
 * What technicians do in ConnectWise after the first delivery of the Datto webhooks
 * (`connectwise/ticketEvents.json`), applied in order through the ticket write rules, so that each
 * change reaches the callbacks ConnectWise would call:
 *
 *   [{"alertUid": "<uid>", "closed": true}]   every ticket that carries this alert's key moves to
 *                                              its board's closed status
 *   [{"ticketId": 12, "closed": true}]         one ticket ("closed": false reopens it to the
 *                                              board's default status)
 *
 * An optional `"member"` names the technician (a member identifier; default "jsmith"). Which
 * tickets carry an alert's key is the package's business: the caller passes `carriesAlert`;
 * without one, a ticket carries an alert when its `externalXRef` contains the alert uid
 * (case-insensitive).
 */
import { applyInOrder } from '../core/ticketEvents';
import type { AppliedTicketEvents, TicketEventOutcome } from '../core/ticketEvents';
import type { ServiceRow } from './service';
import type { ConnectWiseState } from './state';

export interface ConnectWiseTicketEvent {
	alertUid?: string;
	ticketId?: number;
	closed: boolean;
	member?: string;
}

export type ConnectWiseTicketEventOutcome = TicketEventOutcome<ConnectWiseTicketEvent>;

/** The callback deliveries the changes queued are also in `pendingCallbackDeliveries()`. */
export type AppliedConnectWiseTicketEvents = AppliedTicketEvents<ConnectWiseTicketEvent>;

export interface ApplyConnectWiseTicketEventsOptions {
	/** The events to apply; default: the seed's (each applied once, then gone from the state). */
	events?: ConnectWiseTicketEvent[];
	carriesAlert?: (ticket: ServiceRow, alertUid: string) => boolean;
}

/** The technician a seed event acts as when it names none. */
export const DEFAULT_TECHNICIAN = 'jsmith';

export function defaultCarriesAlert(ticket: ServiceRow, alertUid: string): boolean {
	const uid = alertUid.trim().toLowerCase();
	return (
		uid !== '' &&
		String(ticket.externalXRef ?? '')
			.toLowerCase()
			.includes(uid)
	);
}

export function applyTicketEvents(
	state: ConnectWiseState,
	options: ApplyConnectWiseTicketEventsOptions = {},
): AppliedConnectWiseTicketEvents {
	const desk = state.service;
	const events =
		options.events ?? (desk.ticketEvents.splice(0) as unknown as ConnectWiseTicketEvent[]);
	return applyInOrder(events, {
		tickets: () => desk.tickets,
		carriesAlert: options.carriesAlert ?? defaultCarriesAlert,
		checkChange: (event) => {
			if (typeof event.closed !== 'boolean') throw new Error('"closed" must be true or false');
		},
		apply: (tickets, event) => {
			for (const ticket of tickets) {
				const boardId = (ticket.board as { id?: unknown } | undefined)?.id;
				const status = event.closed ? desk.closedStatusOf(boardId) : desk.defaultStatusOf(boardId);
				if (!status)
					throw new Error(
						`board ${String(boardId)} of ticket ${String(ticket.id)} has no ${event.closed ? 'closed' : 'open'} status`,
					);
				const result = desk.setStatus(ticket, status, {
					identifier: event.member ?? DEFAULT_TECHNICIAN,
				});
				if (Array.isArray(result))
					throw new Error(result.map((problem) => problem.message).join(' '));
			}
		},
		change: (event) => (event.closed ? 'closed' : 'reopened'),
		pending: () => desk.pending(),
	});
}
