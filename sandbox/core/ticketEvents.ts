/**
 * What both PSA sandboxes share about ticket events (what technicians do after the first delivery
 * of the Datto webhooks): each event picks its tickets by id or by the alert key they carry, the
 * events apply in order (one that cannot apply is reported and the rest still run), and the
 * changes' outbound calls stay queued; two sandbox controls apply them and deliver the queue.
 * What an event does to a ticket is the vendor's (autotask/ticketEvents.ts,
 * connectwise/ticketEvents.ts).
 */
import type { Router } from './http';
import type { DeliverOptions, DeliveryResult, OutboundDelivery } from './outbox';

/** The tickets an event is about: one by id, or every one that carries an alert's key. */
export interface TicketEventTarget {
	alertUid?: string;
	ticketId?: number;
}

export interface TicketEventOutcome<Event> {
	/** Its place in the list (0-based). */
	index: number;
	event: Event;
	/** The tickets it changed (or tried to). */
	ticketIds: number[];
	/** Why it did not apply, for the caller to report. */
	error?: string;
}

export interface AppliedTicketEvents<Event> {
	outcomes: Array<TicketEventOutcome<Event>>;
	/** The outbound calls the changes queued, in order (also still in the vendor's queue). */
	deliveries: OutboundDelivery[];
}

interface Ticket {
	id?: unknown;
}

/** A vendor's way of applying its events. */
export interface TicketEventRules<Event extends TicketEventTarget, Row extends Ticket> {
	tickets: () => Row[];
	carriesAlert: (ticket: Row, alertUid: string) => boolean;
	/** Throws when the event's change is malformed (before any ticket is looked up). */
	checkChange: (event: Event) => void;
	/** Makes the event's change on its tickets; throws what went wrong. */
	apply: (tickets: Row[], event: Event) => void;
	/** The change, for messages: e.g. "status 5", "closed". */
	change: (event: Event) => string;
	/** The vendor's queue of outbound calls. */
	pending: () => OutboundDelivery[];
}

/** Applies events in order; an event that cannot apply is reported and the rest still run. */
export function applyInOrder<Event extends TicketEventTarget, Row extends Ticket>(
	events: Event[],
	rules: TicketEventRules<Event, Row>,
): AppliedTicketEvents<Event> {
	const before = rules.pending().length;
	const outcomes = events.map((event, index) => {
		const outcome: TicketEventOutcome<Event> = { index, event, ticketIds: [] };
		try {
			rules.checkChange(event);
			const tickets = ticketsOf(rules.tickets(), event, rules.carriesAlert);
			outcome.ticketIds = tickets.map((ticket) => Number(ticket.id));
			rules.apply(tickets, event);
		} catch (error) {
			const target =
				event.ticketId !== undefined ? `ticket ${event.ticketId}` : `alert ${event.alertUid}`;
			outcome.error = `ticket event ${index + 1} (${target} -> ${rules.change(event)}): ${(error as Error).message}`;
		}
		return outcome;
	});
	return { outcomes, deliveries: rules.pending().slice(before) };
}

function ticketsOf<Row extends Ticket>(
	tickets: Row[],
	event: TicketEventTarget,
	carries: (ticket: Row, alertUid: string) => boolean,
): Row[] {
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

/**
 * The sandbox controls (no vendor API): `POST /_sandbox/<vendor>/<outbox>/deliver` posts the queued
 * calls (to `url` when given), `POST /_sandbox/<vendor>/ticketEvents/apply` applies `events` (the
 * seed's when absent).
 */
export function addTicketEventControls(
	router: Router,
	controls: {
		vendor: 'autotask' | 'connectwise';
		/** The outbox's name in the control's path: Autotask's webhooks, ConnectWise's callbacks. */
		outbox: 'webhooks' | 'callbacks';
		deliver: (options: DeliverOptions) => Promise<DeliveryResult[]>;
		apply: (events: [] | undefined) => AppliedTicketEvents<unknown>;
	},
): void {
	router.add('POST', `/_sandbox/${controls.vendor}/${controls.outbox}/deliver`, async (request) => {
		const { url } = (request.body ?? {}) as { url?: string };
		const results = await controls.deliver({ url });
		return {
			status: 200,
			body: {
				delivered: results.filter((result) => result.ok).length,
				failed: results.filter((result) => !result.ok).map((result) => result.error),
			},
		};
	});
	router.add('POST', `/_sandbox/${controls.vendor}/ticketEvents/apply`, (request) => {
		const { events } = (request.body ?? {}) as { events?: [] };
		const applied = controls.apply(events);
		return {
			status: 200,
			body: {
				applied: applied.outcomes.filter((outcome) => !outcome.error).length,
				errors: applied.outcomes.flatMap((outcome) => (outcome.error ? [outcome.error] : [])),
				queued: applied.deliveries.length,
			},
		};
	});
}
