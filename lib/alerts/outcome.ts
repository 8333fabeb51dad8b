import type { AlertInfo } from './alert';
import type { CompanySource } from './ticketBody';
import type { SkipCode } from './decide';
import type { TicketRecord } from './tickets';

/** What happened to one alert event or ticket, and which of the node's outputs it leaves by. */

export type OutputName = 'created' | 'updated' | 'completed' | 'skipped';

export type Decision =
	| 'created'
	| 'stormTicketCreated'
	| 'repeatNoted'
	| 'stormNoted'
	| 'stormDeferred'
	| 'reopened'
	| 'mergedIntoExisting'
	| 'duplicateClosed'
	| 'foldedIntoStorm'
	| 'completed'
	| 'resolvedNoteHumanWork'
	| 'resolvedNoteStillOpen'
	| 'alertResolved'
	| SkipCode;

export interface OutcomeJson {
	decision: Decision;
	event?: 'raised' | 'resolved';
	alertUid?: string;
	ticketId?: number;
	ticketNumber?: string;
	reason?: string;
	alertKey?: string;
	companyId?: number;
	companySource?: CompanySource;
	configurationItemId?: number;
	/** The Autotask priority id the ticket got. */
	priority?: string;
	dattoPriority?: string;
	monitorType?: string;
	monitorClass?: string;
	hostname?: string;
	siteName?: string;
	/** For merges: the duplicate ticket that was closed. */
	duplicateTicketId?: number;
	/** Tickets of others this execution closed by the duplicate and storm rules (on its first item). */
	housekeeping?: Array<{ ticketId: number; closedInto: number; rule: 'duplicate' | 'storm' }>;
	[key: string]: unknown;
}

export interface Outcome {
	output: OutputName;
	json: OutcomeJson;
}

/** One outcome per input item: an outcome, the error it ended with, or undefined (not run yet). */
export type ItemResults = Array<Outcome | Error | undefined>;

const OUTPUT_OF: Record<Decision, OutputName> = {
	created: 'created',
	stormTicketCreated: 'created',
	repeatNoted: 'updated',
	stormNoted: 'updated',
	stormDeferred: 'skipped',
	reopened: 'updated',
	mergedIntoExisting: 'updated',
	resolvedNoteHumanWork: 'updated',
	resolvedNoteStillOpen: 'updated',
	duplicateClosed: 'completed',
	foldedIntoStorm: 'completed',
	completed: 'completed',
	alertResolved: 'completed',
	alreadyResolved: 'skipped',
	nativeTicket: 'skipped',
	dontTicket: 'skipped',
	duplicateDelivery: 'skipped',
	alreadyComplete: 'skipped',
	noTicket: 'skipped',
	stormTicket: 'skipped',
	alertNotFound: 'skipped',
	notAlertTicket: 'skipped',
	notOwnAlert: 'skipped',
	alreadyNoted: 'skipped',
	ticketNotComplete: 'skipped',
	closedByRules: 'skipped',
	notTicketChange: 'skipped',
	budgetLow: 'skipped',
};

export function outcome(json: OutcomeJson): Outcome {
	return { output: OUTPUT_OF[json.decision], json };
}

/** The alert's fields every outcome about it carries (the decision is filled in by the caller). */
export function describeAlert(alert: AlertInfo, event: 'raised' | 'resolved'): OutcomeJson {
	return {
		decision: 'noTicket',
		event,
		alertUid: alert.alertUid,
		monitorType: alert.monitorLabel,
		monitorClass: alert.monitorClass,
		dattoPriority: alert.priority,
		hostname: alert.hostname,
		siteName: alert.siteName,
	};
}

/** The ticket's fields an outcome about it carries. */
export function ticketRef(ticket?: TicketRecord): Partial<OutcomeJson> {
	if (!ticket) return {};
	return { ticketId: ticket.id, ticketNumber: ticket.ticketNumber, alertKey: ticket.key.key };
}

/** A storm alert left for the storm ticket's next note. */
export function deferredOutcome(ticket: TicketRecord): Partial<OutcomeJson> {
	return {
		decision: 'stormDeferred',
		reason: `Alert storm: storm ticket ${ticket.ticketNumber ?? ticket.id} got a note less than the storm-note interval ago; its next note lists this alert (Sync Open Alerts writes what no later delivery did)`,
		...ticketRef(ticket),
	};
}

/** "a", "a and b", "a, b and c". */
export function joinReasons(reasons: string[]): string {
	if (reasons.length <= 1) return reasons.join('');
	return `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
}
