import type { AutotaskFilter } from '../transport/autotask';
import { KEY_PREFIX, parseAlertKey } from './key';
import type { ParsedKey } from './key';

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

export const isOpen = (ticket: TicketRecord, ctx: { completeStatus: string }): boolean =>
	String(ticket.status) !== String(ctx.completeStatus);

export const byIdAscending = (a: TicketRecord, b: TicketRecord): number => a.id - b.id;

/** The ticket fields the alert rules read: one query returns them for many tickets. */
export const TICKET_FIELDS = [
	'id',
	'ticketNumber',
	'externalID',
	'status',
	'createDate',
	'completedDate',
	'assignedResourceID',
	'companyID',
	'title',
	'resolution',
	'lastActivityDate',
];

/** An Autotask ticket row → the record the rules use; undefined when it carries no alert key. */
export function ticketRecord(row: Record<string, unknown>): TicketRecord | undefined {
	const key = parseAlertKey(row.externalID);
	const id = Number(row.id);
	if (!key || !Number.isFinite(id)) return undefined;
	const ms = (value: unknown) => {
		if (value === null || value === undefined || value === '') return undefined;
		// Autotask's times are UTC; a value without a zone must not be read as the server's local time.
		const text = String(value).trim();
		const parsed = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
		return Number.isFinite(parsed) ? parsed : undefined;
	};
	const assigned = row.assignedResourceID;
	return {
		id,
		ticketNumber:
			row.ticketNumber === null || row.ticketNumber === undefined
				? undefined
				: String(row.ticketNumber),
		externalID: String(row.externalID),
		key,
		status: row.status === null || row.status === undefined ? '' : String(row.status),
		createDate: ms(row.createDate),
		completedDate: ms(row.completedDate),
		assignedResourceID: assigned === null || assigned === undefined ? null : Number(assigned),
		companyID:
			row.companyID === null || row.companyID === undefined ? undefined : Number(row.companyID),
		title: row.title === null || row.title === undefined ? undefined : String(row.title),
		resolution:
			row.resolution === null || row.resolution === undefined ? undefined : String(row.resolution),
		lastActivityDate: ms(row.lastActivityDate),
	};
}

/**
 * One filter for "the alert tickets of these sites and alerts that matter now": every open
 * one, plus those created within the storm window or completed within the reopen window.
 */
export function viewFilter(options: {
	prefixes: string[];
	suffixes: string[];
	completeStatus: string;
	createdSince: number;
	completedSince?: number;
}): AutotaskFilter[] {
	const keys: AutotaskFilter[] = [
		...options.prefixes.map((value) => ({ op: 'beginsWith', field: 'externalID', value })),
		...options.suffixes.map((value) => ({ op: 'endsWith', field: 'externalID', value })),
	];
	const recency: AutotaskFilter[] = [
		{ op: 'noteq', field: 'status', value: Number(options.completeStatus) },
		{ op: 'gte', field: 'createDate', value: new Date(options.createdSince).toISOString() },
	];
	if (options.completedSince !== undefined) {
		recency.push({
			op: 'gte',
			field: 'completedDate',
			value: new Date(options.completedSince).toISOString(),
		});
	}
	return [keys.length === 1 ? keys[0] : { op: 'or', items: keys }, { op: 'or', items: recency }];
}

/** Every open alert ticket (Sync Open Alerts). */
export function openAlertTicketsFilter(
	completeStatus: string,
	sitePrefix?: string,
): AutotaskFilter[] {
	return [
		{ op: 'beginsWith', field: 'externalID', value: sitePrefix ?? KEY_PREFIX },
		{ op: 'noteq', field: 'status', value: Number(completeStatus) },
	];
}
