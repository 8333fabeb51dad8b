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
import type { OutboundDelivery } from '../core/outbox';
import type { ServiceRow } from './service';
import type { ConnectWiseState } from './state';

export interface ConnectWiseTicketEvent {
	alertUid?: string;
	ticketId?: number;
	closed: boolean;
	member?: string;
}

export interface ConnectWiseTicketEventOutcome {
	index: number;
	event: ConnectWiseTicketEvent;
	ticketIds: number[];
	/** Why it did not apply, for the caller to report. */
	error?: string;
}

export interface AppliedConnectWiseTicketEvents {
	outcomes: ConnectWiseTicketEventOutcome[];
	/** The callback deliveries the changes queued, in order (also in `pendingCallbackDeliveries()`). */
	deliveries: OutboundDelivery[];
}

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
	const carries = options.carriesAlert ?? defaultCarriesAlert;
	const before = desk.pending().length;
	const outcomes = events.map((event, index) => {
		const outcome: ConnectWiseTicketEventOutcome = { index, event, ticketIds: [] };
		try {
			const tickets = ticketsOf(desk.tickets, event, carries);
			outcome.ticketIds = tickets.map((ticket) => Number(ticket.id));
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
		} catch (error) {
			outcome.error = `ticket event ${index + 1} (${describe(event)}): ${(error as Error).message}`;
		}
		return outcome;
	});
	return { outcomes, deliveries: desk.pending().slice(before) };
}

function ticketsOf(
	tickets: ServiceRow[],
	event: ConnectWiseTicketEvent,
	carries: (ticket: ServiceRow, alertUid: string) => boolean,
): ServiceRow[] {
	if (typeof event.closed !== 'boolean') throw new Error('"closed" must be true or false');
	if (event.ticketId !== undefined) {
		const ticket = tickets.find((row) => Number(row.id) === Number(event.ticketId));
		if (!ticket) throw new Error(`there is no ticket ${event.ticketId}`);
		return [ticket];
	}
	if (typeof event.alertUid === 'string' && event.alertUid.trim()) {
		const found = tickets.filter((ticket) => carries(ticket, event.alertUid!));
		if (!found.length) throw new Error(`no ticket carries the key of alert ${event.alertUid}`);
		return found.sort((a, b) => Number(a.id) - Number(b.id));
	}
	throw new Error('an event needs "alertUid" or "ticketId"');
}

function describe(event: ConnectWiseTicketEvent): string {
	const target =
		event.ticketId !== undefined ? `ticket ${event.ticketId}` : `alert ${event.alertUid}`;
	return `${target} -> ${event.closed ? 'closed' : 'reopened'}`;
}
