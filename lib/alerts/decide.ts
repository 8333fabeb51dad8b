import type { AlertInfo } from './alert';
import { deviceCode, keyTracksAlert, problemCode } from './key';
import type { AlertKeyInfo } from './key';
import type { HumanWorkContext } from './humanWork';
import type { EffectiveSettings } from './settings';
import { stormTicketsCovering } from './storm';
import type { StormLevel, StormLimits } from './storm';
import { byIdAscending, isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/**
 * The ticket decisions, pure: an alert event + the alert tickets Autotask holds for its site +
 * the configuration → what to do. prepareBatch reads what they need (batchReads says what),
 * applyRaised and applyResolved apply them and keep the view of the tickets current.
 */

export interface DecisionContext extends HumanWorkContext {
	now: number;
	/** Completed tickets re-fired within this many ms are reopened; 0 = never. */
	reopenWindowMs: number;
	storm: StormLimits;
	/**
	 * A storm ticket gets a note at most this often (ms); alerts in between are listed in its next
	 * note. 0 = a note whenever an execution has storm alerts (Sync Open Alerts, the backstop).
	 */
	stormNoteIntervalMs: number;
}

/**
 * Whether a storm ticket takes a note now: it got none for the storm-note interval (by its last
 * activity; unknown counts as due), or this execution opened it.
 */
export function stormNoteDue(
	ticket: TicketRecord,
	ctx: Pick<DecisionContext, 'now' | 'stormNoteIntervalMs'>,
): boolean {
	if (ticket.createdHere || ctx.stormNoteIntervalMs <= 0) return true;
	if (ticket.lastActivityDate === undefined) return true;
	return ticket.lastActivityDate <= ctx.now - ctx.stormNoteIntervalMs;
}

export type SkipCode =
	| 'alreadyResolved'
	| 'nativeTicket'
	| 'dontTicket'
	| 'duplicateDelivery'
	| 'alreadyComplete'
	| 'noTicket'
	| 'stormTicket'
	| 'alertNotFound'
	| 'notAlertTicket'
	| 'notOwnAlert'
	| 'alreadyNoted'
	| 'ticketNotComplete'
	| 'closedByRules'
	| 'notTicketChange'
	/** Notes only: the PSA's request budget is low or spent (budget.ts). */
	| 'budgetLow';

export type RaisedDecision =
	| { action: 'skip'; code: SkipCode; reason: string; ticket?: TicketRecord }
	| { action: 'note'; ticket: TicketRecord }
	| { action: 'reopen'; ticket: TicketRecord }
	| { action: 'create' }
	| { action: 'storm'; level: StormLevel; ticket?: TicketRecord }
	/** A storm alert whose storm ticket got its note less than the interval ago: its next note lists it. */
	| { action: 'defer'; ticket: TicketRecord };

export type ResolvedDecision =
	| { action: 'skip'; code: SkipCode; reason: string; ticket?: TicketRecord }
	/**
	 * The ticket this resolve may complete: the alert's own (`own`), or the open ticket of its
	 * problem when the alert was a repeat. Completing still waits for the problem's other open
	 * alerts (`otherOpenAlerts`) and the human-work guard.
	 */
	| { action: 'complete'; ticket: TicketRecord; own: boolean };

const noted = (ticket: TicketRecord, alertUid: string): boolean =>
	ticket.notedAlerts?.has(alertUid.trim().toLowerCase()) === true;

/**
 * Whether a ticket may already carry this alert in one of its notes (so its notes must be read):
 * not when the alert is newer than the ticket's last activity. Unknown times count as "may".
 * See docs/adr/alert-reads-skipped-by-last-activity.md.
 */
export function mayAlreadyCarry(ticket: TicketRecord, alertTimestamp: number | undefined): boolean {
	if (ticket.createdHere) return false;
	if (alertTimestamp === undefined || ticket.lastActivityDate === undefined) return true;
	return alertTimestamp <= ticket.lastActivityDate;
}

/** How a duplicate ticket closed into the first ticket of its problem starts its resolution. */
export const DUPLICATE_RESOLUTION_PREFIX = 'Duplicate of ticket';

/** How a ticket a storm limit did not let through, folded into the storm ticket, starts its resolution. */
export const FOLDED_RESOLUTION_PREFIX = 'Folded into storm ticket';

/** Closed by the duplicate or storm rule rather than by its alert or a person: never re-fired. */
export const closedByRule = (ticket: TicketRecord): boolean =>
	!!ticket.resolution &&
	(ticket.resolution.startsWith(DUPLICATE_RESOLUTION_PREFIX) ||
		ticket.resolution.startsWith(FOLDED_RESOLUTION_PREFIX));

/**
 * The alerts of a ticket's problem (same device, monitor type and detail) that Datto RMM still
 * lists as open, other than the one being resolved. While any remains, the ticket stays open.
 */
export function otherOpenAlerts(
	ticket: TicketRecord,
	openAlerts: AlertInfo[],
	resolvingUid: string,
): AlertInfo[] {
	const except = resolvingUid.trim().toLowerCase();
	return openAlerts.filter(
		(alert) =>
			alert.alertUid.toLowerCase() !== except &&
			!alert.resolved &&
			deviceCode(alert.deviceUid) === ticket.key.device &&
			problemCode(alert.monitorClass, alert.detail) === ticket.key.problem,
	);
}

/**
 * Where a raised alert stands before any note is consulted. Its decision then depends only on
 * whether the notes of the route's tickets name the alert (see notesToRead and decideRoute).
 */
export type RaisedRoute =
	/** Decided without notes: resolved already, natively ticketed, not to ticket, or tracked by a ticket. */
	| { kind: 'decided'; decision: RaisedDecision }
	/** Its problem has an open ticket: a note there, unless the ticket already carries the alert. */
	| { kind: 'repeat'; ticket: TicketRecord }
	/** Its problem's ticket was completed within the reopen window: reopen it, unless it carried the alert. */
	| { kind: 'refire'; ticket: TicketRecord }
	/** A new problem: a ticket (or a storm), unless an open storm ticket of its device or site records it. */
	| { kind: 'new'; stormTickets: TicketRecord[] };

export function routeRaised(
	alert: AlertInfo,
	key: AlertKeyInfo,
	settings: EffectiveSettings,
	tickets: TicketRecord[],
	ctx: DecisionContext,
): RaisedRoute {
	if (alert.resolved) {
		return {
			kind: 'decided',
			decision: {
				action: 'skip',
				code: 'alreadyResolved',
				reason:
					'Datto RMM reports the alert as already resolved (the resolution arrived before the alert was processed), so no ticket was opened',
			},
		};
	}
	if (alert.nativeTicket)
		return {
			kind: 'decided',
			decision: { action: 'skip', code: 'nativeTicket', reason: alert.nativeTicket },
		};
	if (!settings.ticket)
		return {
			kind: 'decided',
			decision: {
				action: 'skip',
				code: 'dontTicket',
				reason: settings.reason ?? 'An override says not to ticket this monitor',
			},
		};

	const delivered = redelivery(alert.alertUid, tickets, ctx);
	if (delivered) return { kind: 'decided', decision: delivered };

	const sameProblem = tickets.filter(
		(t) => !t.key.storm && t.key.problemPrefix === key.problemPrefix,
	);
	const openRepeat = sameProblem.filter((t) => isOpen(t, ctx)).sort(byIdAscending)[0];
	if (openRepeat) return { kind: 'repeat', ticket: openRepeat };

	if (ctx.reopenWindowMs > 0) {
		const since = ctx.now - ctx.reopenWindowMs;
		const recent = sameProblem
			.filter(
				(t) =>
					!isOpen(t, ctx) &&
					!closedByRule(t) &&
					t.completedDate !== undefined &&
					t.completedDate >= since,
			)
			.sort((a, b) => (b.completedDate ?? 0) - (a.completedDate ?? 0) || b.id - a.id)[0];
		if (recent) return { kind: 'refire', ticket: recent };
	}
	return { kind: 'new', stormTickets: stormTicketsCovering(key, tickets, ctx) };
}

/** A re-delivery: a ticket already tracks this alert (its key ends with it), open or complete. */
export function redelivery(
	alertUid: string,
	tickets: TicketRecord[],
	ctx: { completeStatus: string },
): RaisedDecision | undefined {
	const own = tickets.filter((t) => keyTracksAlert(t.key, alertUid)).sort(byIdAscending);
	const ownOpen = own.find((t) => isOpen(t, ctx));
	if (ownOpen) {
		return {
			action: 'skip',
			code: 'duplicateDelivery',
			reason: `Ticket ${ownOpen.ticketNumber ?? ownOpen.id} already tracks this alert (repeated delivery)`,
			ticket: ownOpen,
		};
	}
	if (!own.length) return undefined;
	const done = own[own.length - 1];
	return {
		action: 'skip',
		code: 'duplicateDelivery',
		reason: `Ticket ${done.ticketNumber ?? done.id} for this alert is already complete; a repeated delivery of the same alert does not reopen it`,
		ticket: done,
	};
}

/**
 * A raised alert the tickets decide without reading the alert (from a delivery whose shared
 * secret checked, so its device and site can be trusted): a re-delivery, or an alert of a device
 * (or site) in a storm whose storm ticket got its note less than the interval ago. The next
 * storm note lists it with the rest, routed by its alert then (a repeat of an open problem
 * ticket, a new problem); the backstop lists what no later delivery did.
 */
export function decideWithoutAlert(
	alertUid: string,
	where: Pick<AlertKeyInfo, 'sitePrefix' | 'devicePrefix'> | undefined,
	tickets: TicketRecord[],
	ctx: DecisionContext,
): RaisedDecision | undefined {
	const delivered = redelivery(alertUid, tickets, ctx);
	if (delivered || !where) return delivered;
	const open = (level: StormLevel) =>
		tickets
			.filter(
				(t) =>
					t.key.storm === level &&
					isOpen(t, ctx) &&
					(level === 'device'
						? t.key.devicePrefix === where.devicePrefix
						: t.key.sitePrefix === where.sitePrefix),
			)
			.sort(byIdAscending)[0];
	// A device storm ticket takes the device's alerts before the site's does.
	const storm = open('device') ?? open('site');
	return storm && !stormNoteDue(storm, ctx) ? { action: 'defer', ticket: storm } : undefined;
}

/**
 * The open storm ticket of this level among a new problem's storm tickets; a device over its own
 * limit while its site already has an open storm ticket (and the device none) goes to the site's:
 * one outage, one storm ticket, whether its alerts arrive one by one or listed together.
 */
const stormTicketOf = (
	route: Extract<RaisedRoute, { kind: 'new' }>,
	storm: StormLevel,
): TicketRecord | undefined =>
	route.stormTickets.find((t) => t.key.storm === storm) ??
	(storm === 'device' ? route.stormTickets.find((t) => t.key.storm === 'site') : undefined);

/** The storm ticket that already records this alert (a re-delivery), if any. */
const recordedOn = (
	route: Extract<RaisedRoute, { kind: 'new' }>,
	alertUid: string,
): TicketRecord | undefined => route.stormTickets.find((t) => noted(t, alertUid));

/** Whether the alert is a new problem (not already recorded on a storm ticket): storm pressure. */
export function isNewProblem(route: RaisedRoute, alertUid: string): boolean {
	return route.kind === 'new' && !recordedOn(route, alertUid);
}

/** Whether the alert opens a ticket of its device: its own, or its device's first storm ticket. */
export function opensDeviceTicket(
	route: RaisedRoute,
	alertUid: string,
	storm: StormLevel | undefined,
): boolean {
	if (route.kind !== 'new' || !isNewProblem(route, alertUid)) return false;
	return !storm || (storm === 'device' && !stormTicketOf(route, storm));
}

/** The decision for a routed raise, with what is known of the route's tickets' notes now. */
export function decideRoute(
	route: RaisedRoute,
	alertUid: string,
	storm: StormLevel | undefined,
	ctx: Pick<DecisionContext, 'now' | 'stormNoteIntervalMs'>,
): RaisedDecision {
	switch (route.kind) {
		case 'decided':
			return route.decision;
		case 'repeat': {
			const { ticket } = route;
			// Already applied as a repeat (its note names the alert): a re-delivery changes nothing.
			if (noted(ticket, alertUid)) {
				return {
					action: 'skip',
					code: 'duplicateDelivery',
					reason: `Ticket ${ticket.ticketNumber ?? ticket.id} already has this alert as a repeat of its problem (repeated delivery)`,
					ticket,
				};
			}
			return { action: 'note', ticket };
		}
		case 'refire': {
			const { ticket } = route;
			// Only a real re-fire reopens: an alert the ticket already carried is a re-delivery.
			if (noted(ticket, alertUid)) {
				return {
					action: 'skip',
					code: 'duplicateDelivery',
					reason: `Ticket ${ticket.ticketNumber ?? ticket.id} already had this alert as a repeat before it was completed; a repeated delivery does not reopen it`,
					ticket,
				};
			}
			return { action: 'reopen', ticket };
		}
		case 'new': {
			const recorded = recordedOn(route, alertUid);
			if (recorded) {
				return {
					action: 'skip',
					code: 'duplicateDelivery',
					reason: `Storm ticket ${recorded.ticketNumber ?? recorded.id} already records this alert (repeated delivery)`,
					ticket: recorded,
				};
			}
			if (!storm) return { action: 'create' };
			const ticket = stormTicketOf(route, storm);
			// Notes on a storm ticket at most once per interval: the next one lists this alert.
			if (ticket && !stormNoteDue(ticket, ctx)) return { action: 'defer', ticket };
			return { action: 'storm', level: storm, ticket };
		}
	}
}

export function decideRaised(
	alert: AlertInfo,
	key: AlertKeyInfo,
	settings: EffectiveSettings,
	tickets: TicketRecord[],
	ctx: DecisionContext,
	storm: StormLevel | undefined,
): RaisedDecision {
	return decideRoute(routeRaised(alert, key, settings, tickets, ctx), alert.alertUid, storm, ctx);
}

/**
 * The ticket a resolved alert may complete: its own, or (for an alert that was a repeat of a
 * problem whose ticket tracks another alert) the ticket whose note applied it (`notedAlerts`),
 * else the open ticket of its problem. `problemPrefix` is the alert's "DR:<site><device><problem>"
 * when known (it needs the alert's monitor type and detail, which a webhook body does not carry).
 */
export function decideResolved(
	alertUid: string,
	problemPrefix: string | undefined,
	tickets: TicketRecord[],
	ctx: DecisionContext,
): ResolvedDecision {
	const own = tickets.filter((t) => keyTracksAlert(t.key, alertUid)).sort(byIdAscending);
	const open = own.find((t) => isOpen(t, ctx));
	if (open) {
		if (open.key.storm) {
			return {
				action: 'skip',
				code: 'stormTicket',
				reason: `Ticket ${open.ticketNumber ?? open.id} is a storm ticket for many alerts; a technician closes it`,
				ticket: open,
			};
		}
		return { action: 'complete', ticket: open, own: true };
	}
	if (own.length) {
		const done = own[own.length - 1];
		// A duplicate closed into the first ticket of its problem: that ticket carries the alert now.
		const merged = done.resolution?.startsWith(DUPLICATE_RESOLUTION_PREFIX)
			? tickets
					.filter(
						(t) => !t.key.storm && isOpen(t, ctx) && t.key.problemPrefix === done.key.problemPrefix,
					)
					.sort(byIdAscending)[0]
			: undefined;
		if (merged) return { action: 'complete', ticket: merged, own: false };
		if (done.resolution?.startsWith(FOLDED_RESOLUTION_PREFIX)) {
			return {
				action: 'skip',
				code: 'stormTicket',
				reason: `Ticket ${done.ticketNumber ?? done.id} was folded into its storm ticket, which records this alert among many; a technician closes it`,
				ticket: done,
			};
		}
		return {
			action: 'skip',
			code: 'alreadyComplete',
			reason: `Ticket ${done.ticketNumber ?? done.id} is already complete`,
			ticket: done,
		};
	}
	// A repeat: the ticket whose note applied the alert to it (when its notes were read).
	const carriers = tickets.filter((t) => !t.key.storm && noted(t, alertUid)).sort(byIdAscending);
	const carrierOpen = carriers.find((t) => isOpen(t, ctx));
	if (carrierOpen) return { action: 'complete', ticket: carrierOpen, own: false };
	const storm = tickets
		.filter((t) => t.key.storm && isOpen(t, ctx) && noted(t, alertUid))
		.sort(byIdAscending)[0];
	if (storm) {
		return {
			action: 'skip',
			code: 'stormTicket',
			reason: `Storm ticket ${storm.ticketNumber ?? storm.id} records this alert among many; a technician closes it`,
			ticket: storm,
		};
	}
	if (carriers.length) {
		const done = carriers[carriers.length - 1];
		return {
			action: 'skip',
			code: 'alreadyComplete',
			reason: `Ticket ${done.ticketNumber ?? done.id}, which had this alert as a repeat, is already complete`,
			ticket: done,
		};
	}
	if (problemPrefix) {
		const sameProblem = tickets
			.filter((t) => !t.key.storm && t.key.problemPrefix === problemPrefix)
			.sort(byIdAscending);
		const problemOpen = sameProblem.find((t) => isOpen(t, ctx));
		if (problemOpen) return { action: 'complete', ticket: problemOpen, own: false };
		if (sameProblem.length) {
			const done = sameProblem.sort(
				(a, b) => (b.completedDate ?? 0) - (a.completedDate ?? 0) || b.id - a.id,
			)[0];
			return {
				action: 'skip',
				code: 'alreadyComplete',
				reason: `Ticket ${done.ticketNumber ?? done.id} of the same problem is already complete`,
				ticket: done,
			};
		}
	}
	return {
		action: 'skip',
		code: 'noTicket',
		reason:
			'No ticket tracks this alert or its problem (it was never ticketed, or its resolution arrived first: the raise will then find it resolved and open nothing)',
	};
}

// ------------------------------------------------------------------------------------------
// What must be read before deciding (docs/adr/alert-reads-planned-before-deciding.md)

/**
 * The tickets whose notes a routed raise's decision depends on and that may name the alert:
 * read them first, so that the raise is decided once. A ticket known to carry the alert, one
 * that cannot carry it yet (see mayAlreadyCarry) and one already read (`isRead`) need no read.
 */
export function notesToRead(
	route: RaisedRoute,
	alert: Pick<AlertInfo, 'alertUid' | 'timestamp'>,
	storm: StormLevel | undefined,
	isRead: (ticket: TicketRecord) => boolean,
	ctx: Pick<DecisionContext, 'now' | 'stormNoteIntervalMs'>,
): TicketRecord[] {
	let depends: TicketRecord[] = [];
	if (route.kind === 'repeat' || route.kind === 'refire') depends = [route.ticket];
	else if (route.kind === 'new' && !recordedOn(route, alert.alertUid)) {
		const stormTicket = storm && stormTicketOf(route, storm);
		// A storm ticket that takes no note now is not read: the alert waits for its next note.
		if (stormTicket && !stormNoteDue(stormTicket, ctx)) return [];
		depends = stormTicket ? [stormTicket] : route.stormTickets;
	}
	return depends.filter(
		(ticket) =>
			!noted(ticket, alert.alertUid) && mayAlreadyCarry(ticket, alert.timestamp) && !isRead(ticket),
	);
}
