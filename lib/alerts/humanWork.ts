import type { TicketRecord } from './tickets';

/**
 * The human-work guard: a resolved alert does not complete a ticket a technician has taken (an
 * assignment, a status a person set, logged time); a note says why instead.
 */

export interface HumanWorkContext {
	completeStatus: string;
	/** Statuses this configuration sets itself (new, reopened). Any other open status was set by a person. */
	statusesWeSet: Set<string>;
	/** Resources this configuration assigns itself: an assignment to them is not human work. */
	autoAssigneeIds: Set<number>;
	statusLabel?: (status: string) => string;
}

/**
 * Why a resolved alert must not complete this ticket: a technician has taken it. Empty when it
 * may be completed. `timeEntries` undefined = not looked up yet.
 */
export function humanWorkReasons(
	ticket: TicketRecord,
	ctx: HumanWorkContext,
	timeEntries?: number,
): string[] {
	if (ticket.createdHere) return [];
	const reasons: string[] = [];
	const assigned = ticket.assignee;
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
 * Whether time entries may have been logged on a ticket: not when its last activity is its
 * creation. Unknown times count as "may". See
 * docs/adr/alert-reads-skipped-by-last-activity.md.
 */
export function mayHaveTimeEntries(ticket: TicketRecord): boolean {
	if (ticket.createdHere) return false;
	if (ticket.lastActivityDate === undefined || ticket.createDate === undefined) return true;
	return ticket.lastActivityDate > ticket.createDate;
}
