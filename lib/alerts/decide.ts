import type { AlertInfo } from './alert';
import { keyTracksAlert } from './key';
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
	/** Created by this execution (no person can have worked on it yet). */
	createdHere?: boolean;
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
	| { action: 'complete'; ticket: TicketRecord };

export const isOpen = (ticket: TicketRecord, ctx: Pick<DecisionContext, 'completeStatus'>): boolean =>
	String(ticket.status) !== String(ctx.completeStatus);

const byIdAscending = (a: TicketRecord, b: TicketRecord) => a.id - b.id;

export interface AlertKeyInfo {
	sitePrefix: string;
	devicePrefix: string;
	problemPrefix: string;
}

/** How many new (non-storm) tickets the device and the site got within the storm window. */
export function recentTicketCounts(tickets: TicketRecord[], key: AlertKeyInfo, ctx: DecisionContext): { device: number; site: number } {
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
			reason: 'Datto RMM reports the alert as already resolved (the resolution arrived before the alert was processed), so no ticket was opened',
		};
	}
	if (alert.nativeTicket) return { action: 'skip', code: 'nativeTicket', reason: alert.nativeTicket };
	if (!settings.ticket) return { action: 'skip', code: 'dontTicket', reason: settings.reason ?? 'An override says not to ticket this monitor' };

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

	const sameProblem = tickets.filter((t) => !t.key.storm && t.key.problemPrefix === key.problemPrefix);
	const openRepeat = sameProblem.filter((t) => isOpen(t, ctx)).sort(byIdAscending)[0];
	if (openRepeat) return { action: 'note', ticket: openRepeat };

	if (ctx.reopenWindowMs > 0) {
		const since = ctx.now - ctx.reopenWindowMs;
		const recent = sameProblem
			.filter((t) => !isOpen(t, ctx) && t.completedDate !== undefined && t.completedDate >= since)
			.sort((a, b) => (b.completedDate ?? 0) - (a.completedDate ?? 0) || b.id - a.id)[0];
		if (recent) return { action: 'reopen', ticket: recent };
	}

	if (storm) {
		const stormPrefix = storm === 'device' ? key.devicePrefix : key.sitePrefix;
		const stormTicket = tickets
			.filter((t) => t.key.storm === storm && isOpen(t, ctx) && (storm === 'device' ? t.key.devicePrefix === stormPrefix : t.key.sitePrefix === stormPrefix))
			.sort(byIdAscending)[0];
		return { action: 'storm', level: storm, ticket: stormTicket };
	}
	return { action: 'create' };
}

export function decideResolved(alertUid: string, tickets: TicketRecord[], ctx: DecisionContext): ResolvedDecision {
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
		return { action: 'complete', ticket: open };
	}
	if (own.length) {
		const done = own[own.length - 1];
		return { action: 'skip', code: 'alreadyComplete', reason: `Ticket ${done.ticketNumber ?? done.id} is already complete`, ticket: done };
	}
	return {
		action: 'skip',
		code: 'noTicket',
		reason: 'No ticket tracks this alert (it was never ticketed, was ticketed as a repeat of another alert, or its resolution arrived first: the raise will then find it resolved and open nothing)',
	};
}

/**
 * Why a resolved alert must not complete this ticket: a technician has taken it. Empty when it
 * may be completed. `timeEntries` undefined = not looked up yet.
 */
export function humanWorkReasons(ticket: TicketRecord, ctx: DecisionContext, timeEntries?: number): string[] {
	if (ticket.createdHere) return [];
	const reasons: string[] = [];
	const assigned = ticket.assignedResourceID;
	if (assigned !== undefined && assigned !== null && assigned !== 0 && !ctx.autoAssigneeIds.has(Number(assigned))) {
		reasons.push(`it is assigned to resource ${assigned}`);
	}
	const status = String(ticket.status);
	if (status !== String(ctx.completeStatus) && ctx.statusesWeSet.size && !ctx.statusesWeSet.has(status)) {
		reasons.push(`its status was set to "${ctx.statusLabel?.(status) ?? status}" by a person`);
	}
	if (timeEntries !== undefined && timeEntries > 0) {
		reasons.push(`${timeEntries} time ${timeEntries === 1 ? 'entry has' : 'entries have'} been logged on it`);
	}
	return reasons;
}

/**
 * Concurrent workers may each create a ticket for the same problem. The lowest id wins; every
 * other open ticket of the same problem is a duplicate to close into it.
 */
export function duplicatesOf(tickets: TicketRecord[], ctx: Pick<DecisionContext, 'completeStatus'>): Array<{ winner: TicketRecord; losers: TicketRecord[] }> {
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
