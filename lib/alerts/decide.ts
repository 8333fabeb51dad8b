import type { AlertInfo } from './alert';
import { deviceCode, keyTracksAlert, problemCode } from './key';
import type { ParsedKey } from './key';
import type { EffectiveSettings } from './settings';

/**
 * The ticket decisions, pure: an alert event + the alert tickets Autotask holds for its site +
 * the configuration → what to do. The processor reads the tickets, applies the decision and
 * keeps its view of the tickets current.
 */

/** An alert ticket as read back from Autotask (only the fields the rules need). */
export interface TicketRecord {
	id: number;
	ticketNumber?: string;
	externalID: string;
	key: ParsedKey;
	status: string;
	/** Epoch ms. */
	createDate?: number;
	completedDate?: number;
	assignedResourceID?: number | null;
	companyID?: number;
	title?: string;
	resolution?: string;
	/** Epoch ms of the last activity Autotask recorded (notes, time entries, edits). */
	lastActivityDate?: number;
	/** Created by this execution (no person can have worked on it yet). */
	createdHere?: boolean;
	/**
	 * Alert uids (lower case) known to be recorded on the ticket in a note (a repeat, a storm
	 * alert, a merge): read from its notes when needed, or written by this execution.
	 */
	notedAlerts?: Set<string>;
}

export interface StormLimits {
	windowMs: number;
	/** New tickets per device within the window; 0 = no limit. */
	perDevice: number;
	perSite: number;
}

export interface DecisionContext {
	now: number;
	completeStatus: string;
	/** Statuses this configuration sets itself (new, reopened). Any other open status was set by a person. */
	statusesWeSet: Set<string>;
	/** Completed tickets re-fired within this many ms are reopened; 0 = never. */
	reopenWindowMs: number;
	storm: StormLimits;
	/** Resources this configuration assigns itself: an assignment to them is not human work. */
	autoAssigneeIds: Set<number>;
	statusLabel?: (status: string) => string;
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
	| 'ticketNotComplete';

export type RaisedDecision =
	| { action: 'skip'; code: SkipCode; reason: string; ticket?: TicketRecord }
	| { action: 'note'; ticket: TicketRecord }
	| { action: 'reopen'; ticket: TicketRecord }
	| { action: 'create' }
	| { action: 'storm'; level: 'device' | 'site'; ticket?: TicketRecord };

export type ResolvedDecision =
	| { action: 'skip'; code: SkipCode; reason: string; ticket?: TicketRecord }
	/**
	 * The ticket this resolve may complete: the alert's own (`own`), or the open ticket of its
	 * problem when the alert was a repeat. Completing still waits for the problem's other open
	 * alerts (`otherOpenAlerts`) and the human-work guard.
	 */
	| { action: 'complete'; ticket: TicketRecord; own: boolean };

export const isOpen = (
	ticket: TicketRecord,
	ctx: Pick<DecisionContext, 'completeStatus'>,
): boolean => String(ticket.status) !== String(ctx.completeStatus);

const byIdAscending = (a: TicketRecord, b: TicketRecord) => a.id - b.id;

const noted = (ticket: TicketRecord, alertUid: string): boolean =>
	ticket.notedAlerts?.has(alertUid.trim().toLowerCase()) === true;

/**
 * Whether a ticket may already carry this alert in one of its notes, so that a raise must look
 * its notes up before writing (the re-delivery check). We only write a note after Datto raised
 * the alert, and every note moves the ticket's lastActivityDate to the time it was written; so
 * when the alert's own timestamp is NEWER than the ticket's last activity, no note of ours can
 * name it yet, and a first delivery costs no lookup. A re-delivery always finds the ticket's last
 * activity at or after the alert's timestamp, and pays one lookup. Unknown times count as "may".
 * (Datto's and Autotask's clocks are compared: a skew larger than the webhook's own delay could
 * let a re-delivery through as new [U].)
 */
export function mayAlreadyCarry(ticket: TicketRecord, alertTimestamp: number | undefined): boolean {
	if (ticket.createdHere) return false;
	if (alertTimestamp === undefined || ticket.lastActivityDate === undefined) return true;
	return alertTimestamp <= ticket.lastActivityDate;
}

/** How a duplicate ticket closed into the first ticket of its problem starts its resolution. */
export const DUPLICATE_RESOLUTION_PREFIX = 'Duplicate of ticket';

/**
 * Whether time entries may have been logged on a ticket. Autotask moves a ticket's
 * lastActivityDate when a note, a time entry or an edit lands on it [U: time entries, to confirm
 * on a tenant]; a ticket whose last activity is its creation has none, and its resolve skips the
 * time-entry read. Any later activity (our own notes included) or an unknown time counts as "may".
 */
export function mayHaveTimeEntries(ticket: TicketRecord): boolean {
	if (ticket.createdHere) return false;
	if (ticket.lastActivityDate === undefined || ticket.createDate === undefined) return true;
	return ticket.lastActivityDate > ticket.createDate;
}

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

export interface AlertKeyInfo {
	sitePrefix: string;
	devicePrefix: string;
	problemPrefix: string;
}

/** How many new (non-storm) tickets the device and the site got within the storm window. */
export function recentTicketCounts(
	tickets: TicketRecord[],
	key: AlertKeyInfo,
	ctx: DecisionContext,
): { device: number; site: number } {
	const since = ctx.now - ctx.storm.windowMs;
	let device = 0;
	let site = 0;
	for (const ticket of tickets) {
		if (ticket.key.storm || ticket.createDate === undefined || ticket.createDate < since) continue;
		if (ticket.key.sitePrefix !== key.sitePrefix) continue;
		site++;
		if (ticket.key.devicePrefix === key.devicePrefix) device++;
	}
	return { device, site };
}

/**
 * Storm state of a device and its site: the tickets already made in the window plus the new
 * problems this batch brings. A batch of 500 alerts from one device is a storm from its first
 * alert, so it yields one storm ticket, not `perDevice` tickets and then a storm ticket. A
 * device over its own limit is a device storm; the site is in a storm when its other devices
 * together go over the site limit (`pending.site` leaves out devices already in a storm).
 */
export function stormLevel(
	counts: { device: number; site: number },
	pending: { device: number; site: number },
	limits: StormLimits,
): 'device' | 'site' | undefined {
	if (limits.perDevice > 0 && counts.device + pending.device > limits.perDevice) return 'device';
	if (limits.perSite > 0 && counts.site + pending.site > limits.perSite) return 'site';
	return undefined;
}

/** The open storm tickets of an alert's device and of its site. */
export function stormTicketsCovering(
	key: AlertKeyInfo,
	tickets: TicketRecord[],
	ctx: Pick<DecisionContext, 'completeStatus'>,
): TicketRecord[] {
	return tickets
		.filter(
			(t) =>
				isOpen(t, ctx) &&
				((t.key.storm === 'device' && t.key.devicePrefix === key.devicePrefix) ||
					(t.key.storm === 'site' && t.key.sitePrefix === key.sitePrefix)),
		)
		.sort(byIdAscending);
}

export function decideRaised(
	alert: AlertInfo,
	key: AlertKeyInfo,
	settings: EffectiveSettings,
	tickets: TicketRecord[],
	ctx: DecisionContext,
	storm: 'device' | 'site' | undefined,
): RaisedDecision {
	if (alert.resolved) {
		return {
			action: 'skip',
			code: 'alreadyResolved',
			reason:
				'Datto RMM reports the alert as already resolved (the resolution arrived before the alert was processed), so no ticket was opened',
		};
	}
	if (alert.nativeTicket)
		return { action: 'skip', code: 'nativeTicket', reason: alert.nativeTicket };
	if (!settings.ticket)
		return {
			action: 'skip',
			code: 'dontTicket',
			reason: settings.reason ?? 'An override says not to ticket this monitor',
		};

	const own = tickets.filter((t) => keyTracksAlert(t.key, alert.alertUid)).sort(byIdAscending);
	const ownOpen = own.find((t) => isOpen(t, ctx));
	if (ownOpen) {
		return {
			action: 'skip',
			code: 'duplicateDelivery',
			reason: `Ticket ${ownOpen.ticketNumber ?? ownOpen.id} already tracks this alert (repeated delivery)`,
			ticket: ownOpen,
		};
	}
	if (own.length) {
		const done = own[own.length - 1];
		return {
			action: 'skip',
			code: 'duplicateDelivery',
			reason: `Ticket ${done.ticketNumber ?? done.id} for this alert is already complete; a repeated delivery of the same alert does not reopen it`,
			ticket: done,
		};
	}

	const sameProblem = tickets.filter(
		(t) => !t.key.storm && t.key.problemPrefix === key.problemPrefix,
	);
	const openRepeat = sameProblem.filter((t) => isOpen(t, ctx)).sort(byIdAscending)[0];
	if (openRepeat) {
		// Already applied as a repeat (its note names the alert): a re-delivery changes nothing.
		if (noted(openRepeat, alert.alertUid)) {
			return {
				action: 'skip',
				code: 'duplicateDelivery',
				reason: `Ticket ${openRepeat.ticketNumber ?? openRepeat.id} already has this alert as a repeat of its problem (repeated delivery)`,
				ticket: openRepeat,
			};
		}
		return { action: 'note', ticket: openRepeat };
	}

	if (ctx.reopenWindowMs > 0) {
		const since = ctx.now - ctx.reopenWindowMs;
		const recent = sameProblem
			.filter((t) => !isOpen(t, ctx) && t.completedDate !== undefined && t.completedDate >= since)
			.sort((a, b) => (b.completedDate ?? 0) - (a.completedDate ?? 0) || b.id - a.id)[0];
		if (recent) {
			// Only a real re-fire reopens: an alert the ticket already carried is a re-delivery.
			if (noted(recent, alert.alertUid)) {
				return {
					action: 'skip',
					code: 'duplicateDelivery',
					reason: `Ticket ${recent.ticketNumber ?? recent.id} already had this alert as a repeat before it was completed; a repeated delivery does not reopen it`,
					ticket: recent,
				};
			}
			return { action: 'reopen', ticket: recent };
		}
	}

	// Already recorded on an open storm ticket of its device or site: a re-delivery.
	const recorded = stormTicketsCovering(key, tickets, ctx).find((t) => noted(t, alert.alertUid));
	if (recorded) {
		return {
			action: 'skip',
			code: 'duplicateDelivery',
			reason: `Storm ticket ${recorded.ticketNumber ?? recorded.id} already records this alert (repeated delivery)`,
			ticket: recorded,
		};
	}

	if (storm) {
		const stormPrefix = storm === 'device' ? key.devicePrefix : key.sitePrefix;
		const stormTicket = tickets
			.filter(
				(t) =>
					t.key.storm === storm &&
					isOpen(t, ctx) &&
					(storm === 'device'
						? t.key.devicePrefix === stormPrefix
						: t.key.sitePrefix === stormPrefix),
			)
			.sort(byIdAscending)[0];
		return { action: 'storm', level: storm, ticket: stormTicket };
	}
	return { action: 'create' };
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

/**
 * Why a resolved alert must not complete this ticket: a technician has taken it. Empty when it
 * may be completed. `timeEntries` undefined = not looked up yet.
 */
export function humanWorkReasons(
	ticket: TicketRecord,
	ctx: DecisionContext,
	timeEntries?: number,
): string[] {
	if (ticket.createdHere) return [];
	const reasons: string[] = [];
	const assigned = ticket.assignedResourceID;
	if (
		assigned !== undefined &&
		assigned !== null &&
		assigned !== 0 &&
		!ctx.autoAssigneeIds.has(Number(assigned))
	) {
		reasons.push(`it is assigned to resource ${assigned}`);
	}
	const status = String(ticket.status);
	if (
		status !== String(ctx.completeStatus) &&
		ctx.statusesWeSet.size &&
		!ctx.statusesWeSet.has(status)
	) {
		reasons.push(`its status was set to "${ctx.statusLabel?.(status) ?? status}" by a person`);
	}
	if (timeEntries !== undefined && timeEntries > 0) {
		reasons.push(
			`${timeEntries} time ${timeEntries === 1 ? 'entry has' : 'entries have'} been logged on it`,
		);
	}
	return reasons;
}

/**
 * Concurrent workers may each create a ticket for the same problem. The lowest id wins; every
 * other open ticket of the same problem is a duplicate to close into it.
 */
export function duplicatesOf(
	tickets: TicketRecord[],
	ctx: Pick<DecisionContext, 'completeStatus'>,
): Array<{ winner: TicketRecord; losers: TicketRecord[] }> {
	const groups = new Map<string, TicketRecord[]>();
	for (const ticket of tickets) {
		if (!isOpen(ticket, ctx)) continue;
		// Storm tickets carry their own problem code, so they group per device or per site too.
		const group = ticket.key.problemPrefix;
		const list = groups.get(group) ?? [];
		list.push(ticket);
		groups.set(group, list);
	}
	const out: Array<{ winner: TicketRecord; losers: TicketRecord[] }> = [];
	for (const list of groups.values()) {
		const unique = [...new Map(list.map((t) => [t.id, t])).values()].sort(byIdAscending);
		if (unique.length > 1) out.push({ winner: unique[0], losers: unique.slice(1) });
	}
	return out;
}
