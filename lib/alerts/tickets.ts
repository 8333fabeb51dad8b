import type { ParsedKey } from './key';

/** An alert ticket as a ticket store reads it back (only the fields the rules need). */
export interface TicketRecord {
	id: number;
	ticketNumber?: string;
	/** The alert key it carries (`key.key` is its text). */
	key: ParsedKey;
	status: string;
	/** Epoch ms. */
	createDate?: number;
	completedDate?: number;
	/** The resource the ticket is assigned to (null: nobody). */
	assignee?: number | null;
	companyId?: number;
	title?: string;
	resolution?: string;
	/** Epoch ms of the last activity the PSA recorded (notes, time entries, edits). */
	lastActivityDate?: number;
	/** Created by this execution (no person can have worked on it yet). */
	createdHere?: boolean;
	/**
	 * Alert uids (lower case) known to be recorded on the ticket in a note (a repeat, a storm
	 * alert, a merge): read from its notes when needed, or written by this execution.
	 */
	notedAlerts?: Set<string>;
}

export const isOpen = (ticket: TicketRecord, ctx: { completeStatus: string }): boolean =>
	String(ticket.status) !== String(ctx.completeStatus);

export const byIdAscending = (a: TicketRecord, b: TicketRecord): number => a.id - b.id;
