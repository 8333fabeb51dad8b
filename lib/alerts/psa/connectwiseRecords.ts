import { cw } from '../../transport/connectwise';
import { DUPLICATE_RESOLUTION_PREFIX, FOLDED_RESOLUTION_PREFIX } from '../decide';
import { parseAlertKey } from '../key';
import type { TicketQuery } from '../ticketStore';
import type { TicketRecord } from '../tickets';

/**
 * How the alert engine's tickets are written in ConnectWise Manage (connectwise.ts uses them):
 * a ticket row and its `externalXRef` (the key and a rule mark) → the engine's record, a note's
 * text with its bracketed title, and the conditions that read the tickets of a query.
 */

/** The status the engine sees on every closed ConnectWise ticket (ConnectWise has one per board). */
export const CLOSED = 'closed';

/**
 * A ticket the duplicate or storm rule closed says so after its key (`#duplicate`, `#folded`):
 * ConnectWise keeps no resolution on the ticket, and the rules must tell such a ticket from one
 * an alert or a person closed without reading its notes. Alert keys never contain `#`.
 */
export const RULE_MARKS: Array<[mark: string, resolutionPrefix: string]> = [
	['#duplicate', DUPLICATE_RESOLUTION_PREFIX],
	['#folded', FOLDED_RESOLUTION_PREFIX],
];

export const TICKET_FIELDS = [
	'id',
	'summary',
	'externalXRef',
	'status',
	'board',
	'closedFlag',
	'closedDate',
	'owner',
	'company',
	'_info',
];

export interface CwTicketRow {
	id: number;
	summary?: string;
	externalXRef?: string | null;
	status?: { id?: number; name?: string } | null;
	board?: { id?: number } | null;
	closedFlag?: boolean;
	closedDate?: string | null;
	owner?: { id?: number } | null;
	company?: { id?: number } | null;
	_info?: { dateEntered?: string; lastUpdated?: string } | null;
}

const epochMs = (value: unknown): number | undefined => {
	if (value === null || value === undefined || value === '') return undefined;
	const parsed = Date.parse(String(value));
	return Number.isFinite(parsed) ? parsed : undefined;
};

/** `externalXRef` → the key and the rule that closed the ticket (if any). */
export function splitXRef(value: unknown): { key: string; resolution?: string } | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	for (const [mark, resolution] of RULE_MARKS)
		if (text.endsWith(mark)) return { key: text.slice(0, -mark.length), resolution };
	return { key: text };
}

/** A ConnectWise ticket → the record the rules use; undefined when it carries no alert key. */
export function ticketRecord(row: CwTicketRow): TicketRecord | undefined {
	const xref = splitXRef(row.externalXRef);
	const key = xref && parseAlertKey(xref.key);
	const id = Number(row.id);
	if (!key || !Number.isFinite(id)) return undefined;
	const owner = row.owner?.id;
	return {
		id,
		ticketNumber: String(id),
		key,
		status: row.closedFlag ? CLOSED : String(row.status?.id ?? ''),
		createDate: epochMs(row._info?.dateEntered),
		completedDate: row.closedFlag ? epochMs(row.closedDate) : undefined,
		assignee: owner === null || owner === undefined ? null : Number(owner),
		companyId: row.company?.id === undefined ? undefined : Number(row.company.id),
		title: row.summary,
		resolution: xref?.resolution,
		lastActivityDate: epochMs(row._info?.lastUpdated),
	};
}

/** A note's text: its title in brackets first, so that the title survives ConnectWise's line handling. */
export const noteText = (title: string, description: string): string =>
	`[${title}]\n${description}`;

export function parseNoteText(text: string): { title: string; description: string } {
	const match = /^\[([^\]]*)\]\s*([\s\S]*)$/.exec(text);
	return match ? { title: match[1], description: match[2] } : { title: '', description: text };
}

/**
 * Times in conditions: `dateEntered` as the developer guide writes it (a [datetime]); a ticket's
 * `closedDate` and a note's `dateCreated`, strings in the document, as ISO text (UTC, whole
 * seconds). [U] whether the PSA compares those as datetimes: this is the one place to change.
 */
export const dateText = (ms: number): string =>
	new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Conditions for "the alert tickets with these key prefixes and suffixes that matter now". */
export function ticketConditions(query: TicketQuery): string {
	const keys = [
		...query.prefixes.map((prefix) => cw.startsWith('externalXRef', prefix)),
		// A rule mark may follow the alert part: contains, and the records are checked after.
		...(query.suffixes ?? []).map((suffix) => cw.contains('externalXRef', suffix)),
	];
	const recency = [cw.eq('closedFlag', false)];
	if (query.createdSince !== undefined)
		recency.push(cw.compare('dateEntered', '>=', new Date(query.createdSince)));
	if (query.completedSince !== undefined)
		recency.push(cw.compare('closedDate', '>=', dateText(query.completedSince)));
	return cw.and(cw.or(...keys), cw.or(...recency));
}

export const matchesQuery = (record: TicketRecord, query: TicketQuery): boolean =>
	query.prefixes.some((prefix) => record.key.key.toLowerCase().startsWith(prefix.toLowerCase())) ||
	(query.suffixes ?? []).some((suffix) =>
		record.key.key.toLowerCase().endsWith(suffix.toLowerCase()),
	);
