import type { ConnectWiseClient } from '../../transport/connectwise';
import {
	chunkByEncodedLength,
	CONNECTWISE_MAX_QUERY_LENGTH,
	cw,
} from '../../transport/connectwise';
import { PromiseCache } from '../../util/promiseCache';
import { settle } from '../../util/settled';
import type { DattoPriority } from '../alert';
import { PRIORITY_LABELS, truncate } from '../settings';
import type { EffectiveSettings } from '../settings';
import type {
	AlertTicketStore,
	Assignee,
	ConfigurationItem,
	CreatedTicketRef,
	NoteDraft,
	TicketDraft,
	TicketNote,
	TicketQuery,
} from '../ticketStore';
import type { TicketRecord } from '../tickets';
import {
	CLOSED,
	dateText,
	matchesQuery,
	noteText,
	parseNoteText,
	RULE_MARKS,
	splitXRef,
	TICKET_FIELDS,
	ticketConditions,
	ticketRecord,
} from './connectwiseRecords';
import type { CwTicketRow } from './connectwiseRecords';

/**
 * The alert engine's tickets in ConnectWise Manage: service tickets on the chosen board, the key
 * in `externalXRef`, tickets read with `like` on it, notes in the ticket's notes (a note's title
 * is its first bracketed words), time entries charged to the ticket, configurations by
 * `deviceIdentifier`. A ticket is closed by a closed status of its own board; the engine sees
 * every closed ticket as status `CLOSED`. See docs/adr/connectwise-alert-tickets.md.
 */

/** ConnectWise's field lengths (2026.11 document). */
const SUMMARY_MAX = 100;
const XREF_MAX = 100;

/** What the node chose for new tickets (ids from the tenant's lists). */
export interface ConnectWiseTicketSettings {
	boardId: number;
	/** The closed status of the board (empty: the board's first closed status). */
	closedStatusId?: number;
	typeId?: number;
	subTypeId?: number;
	itemId?: number;
	/** Which flag our notes carry (ConnectWise needs at least one). */
	noteFlag: 'internalAnalysisFlag' | 'detailDescriptionFlag';
}

interface CwStatus {
	id: number;
	name?: string;
	sortOrder?: number;
	inactive?: boolean;
	closedStatus?: boolean;
	defaultFlag?: boolean;
}

const QUERY_BUDGET = CONNECTWISE_MAX_QUERY_LENGTH - 400;

export class ConnectWiseTicketStore implements AlertTicketStore {
	readonly name = 'ConnectWise Manage';

	readonly keyFieldLabel = 'External Reference (externalXRef)';

	readonly completeStatus = CLOSED;

	/** A Datto site carries only an Autotask company id: the customer map is the only source. */
	readonly usesDattoSiteCompany = false;

	/** What the store read of each ticket that the record does not carry. */
	private readonly known = new Map<number, { boardId?: number; xref: string }>();

	private readonly statuses: PromiseCache<number, CwStatus[]>;

	private readonly priorities: PromiseCache<
		'all',
		Array<{ id: number; name: string; defaultFlag?: boolean }>
	>;

	constructor(
		readonly client: ConnectWiseClient,
		readonly ticketSettings: ConnectWiseTicketSettings,
		private readonly now: () => number = () => Date.now(),
	) {
		this.statuses = new PromiseCache(
			async (boardId) =>
				await client.list<CwStatus>(`/service/boards/${boardId}/statuses`, {
					fields: ['id', 'name', 'sortOrder', 'inactive', 'closedStatus', 'defaultFlag'],
				}),
		);
		this.priorities = new PromiseCache(
			async () =>
				await client.list<{ id: number; name: string; defaultFlag?: boolean }>(
					'/service/priorities',
					{ fields: ['id', 'name', 'defaultFlag'] },
				),
		);
	}

	private remember(row: CwTicketRow): TicketRecord | undefined {
		const record = ticketRecord(row);
		if (record)
			this.known.set(record.id, {
				boardId: row.board?.id === undefined ? undefined : Number(row.board.id),
				xref: String(row.externalXRef ?? ''),
			});
		return record;
	}

	async readTickets(query: TicketQuery): Promise<TicketRecord[]> {
		const keys = [
			...query.prefixes.map((p) => ({ p })),
			...(query.suffixes ?? []).map((s) => ({ s })),
		];
		const split = (chunk: typeof keys): TicketQuery => ({
			...query,
			prefixes: chunk.flatMap((k) => ('p' in k ? [k.p] : [])),
			suffixes: chunk.flatMap((k) => ('s' in k ? [k.s] : [])),
		});
		const out = new Map<number, TicketRecord>();
		for (const chunk of chunkByEncodedLength(
			keys,
			(part) => ticketConditions(split(part)),
			QUERY_BUDGET,
		)) {
			const part = split(chunk);
			const rows = await this.client.list<CwTicketRow>('/service/tickets', {
				conditions: ticketConditions(part),
				fields: TICKET_FIELDS,
			});
			for (const row of rows) {
				const record = this.remember(row);
				if (record && matchesQuery(record, part)) out.set(record.id, record);
			}
		}
		return [...out.values()];
	}

	async getTicket(
		id: number,
	): Promise<{ ticketNumber?: string; record?: TicketRecord } | undefined> {
		const row = await this.client.get<CwTicketRow>(`/service/tickets/${id}`, {
			fields: TICKET_FIELDS,
		});
		if (!row) return undefined;
		return { ticketNumber: String(row.id), record: this.remember(row) };
	}

	async createTicket(draft: TicketDraft): Promise<CreatedTicketRef> {
		const { settings } = draft;
		const chosen = this.ticketSettings;
		const status = settings.fields.newStatus ? Number(settings.fields.newStatus) : undefined;
		const priority = await this.priority(draft.dattoPriority, settings);
		const body: Record<string, unknown> = {
			summary: truncate(draft.title, SUMMARY_MAX),
			company: { id: draft.companyId },
			board: { id: chosen.boardId },
			initialDescription: draft.description,
			externalXRef: truncate(draft.key, XREF_MAX),
			// Our own writes need no callback back to us.
			skipCallback: true,
		};
		if (status) body.status = { id: status };
		if (chosen.typeId) body.type = { id: chosen.typeId };
		if (chosen.subTypeId) body.subType = { id: chosen.subTypeId };
		if (chosen.itemId) body.item = { id: chosen.itemId };
		if (priority) body.priority = { id: priority };
		if (settings.fields.source) body.source = { id: Number(settings.fields.source) };
		if (draft.dueAt !== undefined)
			body.requiredDate = new Date(draft.dueAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
		let foundAfterLostAnswer = false;
		const created = await this.client.create<CwTicketRow>('/service/tickets', body, {
			// After a lost answer, the key says whether the ticket landed (only a create for this
			// alert carries it).
			findExisting: async () => {
				const found = await this.client.list<CwTicketRow>('/service/tickets', {
					conditions: cw.eq('externalXRef', draft.key),
					fields: TICKET_FIELDS,
					limit: 1,
				});
				if (found[0]) foundAfterLostAnswer = true;
				return found[0];
			},
		});
		const id = Number(created.id);
		this.known.set(id, { boardId: chosen.boardId, xref: draft.key });
		if (draft.configurationItemId)
			await this.attachConfiguration(id, draft.configurationItemId, foundAfterLostAnswer);
		return {
			id,
			status: String(created.status?.id ?? status ?? ''),
			priority: String(priority ?? ''),
			assignee: null,
			title: String(body.summary),
			foundAfterLostAnswer,
		};
	}

	private async attachConfiguration(
		ticketId: number,
		configurationId: number,
		mayBeThere: boolean,
	): Promise<void> {
		const path = `/service/tickets/${ticketId}/configurations`;
		const attached = async () =>
			(await this.client.list<{ id: number }>(path, { fields: ['id'] })).find(
				(row) => Number(row.id) === configurationId,
			);
		if (mayBeThere && (await attached())) return;
		const result = await settle(
			this.client.create(path, { id: configurationId }, { findExisting: attached }),
		);
		// Another delivery of the alert attached it between the look and the write (ConnectWise
		// refuses a second attach): the end state is the one wanted.
		if (result.ok || (await attached())) return;
		throw result.error;
	}

	/**
	 * Closes the ticket by a closed status of its board: the resolution first, as a resolution
	 * note (a close that fails then is repeated by the next look, and the note at most twice).
	 */
	async completeTicket(ticketId: number, resolution: string): Promise<void> {
		const ticket = await this.ticketInfo(ticketId);
		const startedAt = this.now();
		// A resolution note whose answer was lost is looked up, not written twice.
		const written = async () =>
			(
				await this.client.list<{ id: number; text?: string; resolutionFlag?: boolean }>(
					`/service/tickets/${ticketId}/notes`,
					{
						conditions: cw.compare('dateCreated', '>=', dateText(startedAt - 120_000)),
						fields: ['id', 'text', 'resolutionFlag'],
					},
				)
			).find((row) => row.resolutionFlag === true && row.text === resolution);
		await this.writeNote(ticketId, resolution, { resolutionFlag: true }, written);
		const closed = await this.closedStatus(ticket.boardId);
		const operations: Array<{ op: 'replace'; path: string; value: unknown }> = [
			{ op: 'replace', path: 'status', value: { id: closed } },
		];
		const rule = RULE_MARKS.find(([, prefix]) => resolution.startsWith(prefix));
		const key = splitXRef(ticket.xref)?.key ?? ticket.xref;
		if (rule) operations.push({ op: 'replace', path: 'externalXRef', value: `${key}${rule[0]}` });
		await this.client.patch(`/service/tickets/${ticketId}`, operations);
	}

	async reopenTicket(ticketId: number, status: string, key: string): Promise<void> {
		const ticket = await this.ticketInfo(ticketId);
		const open = await this.openStatus(ticket.boardId, Number(status));
		await this.client.patch(`/service/tickets/${ticketId}`, [
			{ op: 'replace', path: 'status', value: { id: open } },
			{ op: 'replace', path: 'externalXRef', value: key },
		]);
		this.known.set(ticketId, { ...ticket, xref: key });
	}

	async rekeyTicket(ticketId: number, key: string, title: string): Promise<void> {
		await this.client.patch(`/service/tickets/${ticketId}`, [
			{ op: 'replace', path: 'externalXRef', value: key },
			{ op: 'replace', path: 'summary', value: truncate(title, SUMMARY_MAX) },
		]);
		const known = this.known.get(ticketId);
		this.known.set(ticketId, { boardId: known?.boardId, xref: key });
	}

	async notesMentioning(
		pairs: Array<{ ticketId: number; alertUid: string }>,
	): Promise<TicketNote[]> {
		const byTicket = new Map<number, Set<string>>();
		for (const { ticketId, alertUid } of pairs) {
			const uids = byTicket.get(ticketId) ?? new Set<string>();
			uids.add(alertUid.toLowerCase());
			byTicket.set(ticketId, uids);
		}
		const out: TicketNote[] = [];
		// ConnectWise keeps notes per ticket: one query per ticket (and per URL's worth of uids).
		for (const [ticketId, uids] of byTicket) {
			const mention = (part: string[]) => cw.or(...part.map((uid) => cw.contains('text', uid)));
			for (const chunk of chunkByEncodedLength([...uids], mention, QUERY_BUDGET)) {
				const rows = await this.client.list<{ id: number; text?: string }>(
					`/service/tickets/${ticketId}/notes`,
					{ conditions: mention(chunk), fields: ['id', 'text'] },
				);
				for (const row of rows) out.push({ ticketId, ...parseNoteText(String(row.text ?? '')) });
			}
		}
		return out;
	}

	async hasNoteTitled(ticketId: number, title: string): Promise<boolean> {
		return (await this.notesTitled(ticketId, title)).length > 0;
	}

	private async notesTitled(
		ticketId: number,
		title: string,
		since?: number,
	): Promise<Array<{ id: number; text: string }>> {
		const rows = await this.client.list<{ id: number; text?: string }>(
			`/service/tickets/${ticketId}/notes`,
			{
				conditions: cw.and(
					cw.startsWith('text', `[${title}]`),
					since === undefined ? undefined : cw.compare('dateCreated', '>=', dateText(since)),
				),
				fields: ['id', 'text'],
			},
		);
		return rows
			.map((row) => ({ id: Number(row.id), text: String(row.text ?? '') }))
			.filter((row) => parseNoteText(row.text).title === title);
	}

	async addNote(
		ticketId: number,
		note: NoteDraft,
		options: { unlessPresent?: boolean } = {},
	): Promise<void> {
		const title = truncate(note.title, 200);
		const text = noteText(title, note.description);
		const startedAt = this.now();
		const existing = async () =>
			(await this.notesTitled(ticketId, title, startedAt - 120_000)).find(
				(row) => row.text === text,
			);
		if (options.unlessPresent && (await existing())) return;
		await this.writeNote(ticketId, text, {}, existing);
	}

	private async writeNote(
		ticketId: number,
		text: string,
		flags: { resolutionFlag?: boolean },
		findExisting?: () => Promise<unknown>,
	): Promise<void> {
		await this.client.create(
			`/service/tickets/${ticketId}/notes`,
			{
				text,
				[flags.resolutionFlag ? 'resolutionFlag' : this.ticketSettings.noteFlag]: true,
				processNotifications: false,
			},
			{ findExisting },
		);
	}

	async timeEntryCounts(ticketIds: number[]): Promise<Map<number, number>> {
		const counts = new Map<number, number>();
		const condition = (ids: number[]) =>
			cw.and(cw.eq('chargeToType', 'ServiceTicket'), cw.in('chargeToId', ids));
		for (const chunk of chunkByEncodedLength([...new Set(ticketIds)], condition, QUERY_BUDGET)) {
			const rows = await this.client.list<{ id: number; chargeToId: number }>('/time/entries', {
				conditions: condition(chunk),
				fields: ['id', 'chargeToId'],
			});
			for (const id of chunk) counts.set(id, 0);
			for (const row of rows)
				counts.set(Number(row.chargeToId), (counts.get(Number(row.chargeToId)) ?? 0) + 1);
		}
		return counts;
	}

	async configurationItems(deviceUids: string[]): Promise<ConfigurationItem[]> {
		const out: ConfigurationItem[] = [];
		const condition = (uids: string[]) => cw.in('deviceIdentifier', uids);
		for (const chunk of chunkByEncodedLength(deviceUids, condition, QUERY_BUDGET)) {
			const rows = await this.client.list<{
				id: number;
				company?: { id?: number };
				deviceIdentifier?: string;
				activeFlag?: boolean;
			}>('/company/configurations', {
				conditions: condition(chunk),
				fields: ['id', 'company', 'deviceIdentifier', 'activeFlag'],
			});
			for (const row of rows)
				out.push({
					id: Number(row.id),
					companyId: Number(row.company?.id),
					deviceUid: String(row.deviceIdentifier ?? ''),
					active: row.activeFlag !== false,
				});
		}
		return out;
	}

	/** New tickets get no owner: assigning ConnectWise members is not built yet. */
	async assignee(): Promise<Assignee | undefined> {
		return undefined;
	}

	private async ticketInfo(ticketId: number): Promise<{ boardId?: number; xref: string }> {
		const known = this.known.get(ticketId);
		if (known?.boardId !== undefined) return known;
		const row = await this.client.get<CwTicketRow>(`/service/tickets/${ticketId}`, {
			fields: ['id', 'board', 'externalXRef'],
		});
		const info = {
			boardId: row?.board?.id === undefined ? this.ticketSettings.boardId : Number(row.board.id),
			xref: String(row?.externalXRef ?? known?.xref ?? ''),
		};
		this.known.set(ticketId, info);
		return info;
	}

	/** The chosen closed status on the chosen board; elsewhere the board's first closed status. */
	private async closedStatus(boardId = this.ticketSettings.boardId): Promise<number> {
		if (boardId === this.ticketSettings.boardId && this.ticketSettings.closedStatusId)
			return this.ticketSettings.closedStatusId;
		const closed = (await this.statuses.get(boardId))
			.filter((status) => status.closedStatus && !status.inactive)
			.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0))[0];
		if (!closed)
			throw new Error(
				`ConnectWise board ${boardId} has no active closed status, so alert tickets on it cannot be closed`,
			);
		return Number(closed.id);
	}

	/** `wanted` when the board has it open; else the board's default status, else its first open one. */
	private async openStatus(boardId = this.ticketSettings.boardId, wanted: number): Promise<number> {
		const statuses = await this.statuses.get(boardId);
		const open = statuses
			.filter((status) => !status.closedStatus && !status.inactive)
			.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
		if (open.some((status) => Number(status.id) === wanted)) return wanted;
		const fallback = open.find((status) => status.defaultFlag) ?? open[0];
		if (!fallback)
			throw new Error(`ConnectWise board ${boardId} has no open status to reopen a ticket with`);
		return Number(fallback.id);
	}

	/** The ConnectWise priority: fixed by the settings, else the map, else by name, else the default. */
	private async priority(
		priority: DattoPriority,
		settings: EffectiveSettings,
	): Promise<number | undefined> {
		const fixed = settings.fields.priority || settings.priorityMap[priority];
		if (fixed) return Number(fixed);
		const all = await this.priorities.get('all');
		for (const label of PRIORITY_LABELS[priority]) {
			const found = all.find((row) => row.name.toLowerCase().includes(label));
			if (found) return Number(found.id);
		}
		return all.find((row) => row.defaultFlag)?.id;
	}
}
