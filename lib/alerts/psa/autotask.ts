import type {
	AutotaskClient,
	AutotaskFilter,
	AutotaskPicklistValue,
} from '../../transport/autotask';
import { isThreadLimitRefusal } from '../../transport/autotask/errors';
import { InputError, VendorApiError } from '../../transport/http';
import type { RequestBudget } from '../budget';
import { PromiseCache } from '../../util/promiseCache';
import type { DattoPriority } from '../alert';
import { parseAlertKey } from '../key';
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

/**
 * The alert engine's tickets in Autotask: the key in `externalID`, tickets read with
 * beginsWith/endsWith on it, notes in TicketNotes, time entries in TimeEntries, configuration
 * items by `rmmDeviceUID`, picklist ids found by label when the settings chose none.
 */

/** How many key conditions go into one query (Autotask allows 500 OR conditions). */
export const KEYS_PER_QUERY = 400;

/** Alerts looked up per TicketNotes query (ticket ids and uids both count toward Autotask's 500 conditions). */
const NOTE_LOOKUPS_PER_QUERY = 200;

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

/** Autotask's times are UTC; a value without a zone must not be read as the server's local time. */
function epochMs(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const text = String(value).trim();
	const parsed = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

const optionalText = (value: unknown): string | undefined =>
	value === null || value === undefined ? undefined : String(value);

/** An Autotask ticket row → the record the rules use; undefined when it carries no alert key. */
export function ticketRecord(row: Record<string, unknown>): TicketRecord | undefined {
	const key = parseAlertKey(row.externalID);
	const id = Number(row.id);
	if (!key || !Number.isFinite(id)) return undefined;
	const assigned = row.assignedResourceID;
	return {
		id,
		ticketNumber: optionalText(row.ticketNumber),
		key,
		status: optionalText(row.status) ?? '',
		createDate: epochMs(row.createDate),
		completedDate: epochMs(row.completedDate),
		assignee: assigned === null || assigned === undefined ? null : Number(assigned),
		companyId:
			row.companyID === null || row.companyID === undefined ? undefined : Number(row.companyID),
		title: optionalText(row.title),
		resolution: optionalText(row.resolution),
		lastActivityDate: epochMs(row.lastActivityDate),
	};
}

/**
 * One filter for "the alert tickets with these key prefixes and suffixes that matter now":
 * every open one, plus those created or completed since the given times.
 */
export function ticketFilter(query: TicketQuery, completeStatus: string): AutotaskFilter[] {
	const keys: AutotaskFilter[] = [
		...query.prefixes.map((value) => ({ op: 'beginsWith', field: 'externalID', value })),
		...(query.suffixes ?? []).map((value) => ({ op: 'endsWith', field: 'externalID', value })),
	];
	const open: AutotaskFilter = { op: 'noteq', field: 'status', value: Number(completeStatus) };
	const recency: AutotaskFilter[] = [open];
	if (query.createdSince !== undefined)
		recency.push({
			op: 'gte',
			field: 'createDate',
			value: new Date(query.createdSince).toISOString(),
		});
	if (query.completedSince !== undefined)
		recency.push({
			op: 'gte',
			field: 'completedDate',
			value: new Date(query.completedSince).toISOString(),
		});
	return [
		keys.length === 1 ? keys[0] : { op: 'or', items: keys },
		recency.length === 1 ? open : { op: 'or', items: recency },
	];
}

const inOrEq = (field: string, values: unknown[]): AutotaskFilter =>
	values.length === 1 ? { op: 'eq', field, value: values[0] } : { op: 'in', field, value: values };

function chunks<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let start = 0; start < values.length; start += size)
		out.push(values.slice(start, start + size));
	return out;
}

export class AutotaskTicketStore implements AlertTicketStore {
	readonly name = 'Autotask';

	readonly keyFieldLabel = 'External ID';

	readonly usesDattoSiteCompany = true;

	private readonly picklists: PromiseCache<string, AutotaskPicklistValue[]>;

	private readonly assignees: PromiseCache<string, Assignee | undefined>;

	constructor(
		readonly client: AutotaskClient,
		readonly completeStatus: string,
		private readonly now: () => number = () => Date.now(),
	) {
		this.picklists = new PromiseCache(async (key) => {
			const [entity, field] = key.split('.');
			return await client.picklist(entity, field);
		});
		this.assignees = new PromiseCache(async (key) => {
			for (const email of key.split('\n')) {
				if (!email) continue;
				const resource = await client.activeResourceByEmail(email);
				if (resource)
					return {
						resourceId: Number(resource.id),
						roleId: resource.defaultServiceDeskRoleID ?? undefined,
					};
			}
			return undefined;
		});
	}

	async readTickets(query: TicketQuery): Promise<TicketRecord[]> {
		const keys = [
			...query.prefixes.map((p) => ({ p })),
			...(query.suffixes ?? []).map((s) => ({ s })),
		];
		const out: TicketRecord[] = [];
		for (const chunk of chunks(keys, KEYS_PER_QUERY)) {
			const rows = await this.client.query<Record<string, unknown>>('Tickets', {
				filter: ticketFilter(
					{
						...query,
						prefixes: chunk.flatMap((k) => ('p' in k ? [k.p] : [])),
						suffixes: chunk.flatMap((k) => ('s' in k ? [k.s] : [])),
					},
					this.completeStatus,
				),
				includeFields: TICKET_FIELDS,
			});
			for (const row of rows) {
				const record = ticketRecord(row);
				if (record) out.push(record);
			}
		}
		return out;
	}

	async getTicket(
		id: number,
	): Promise<{ ticketNumber?: string; record?: TicketRecord } | undefined> {
		const row = await this.client.get<Record<string, unknown>>('Tickets', id);
		if (!row) return undefined;
		return { ticketNumber: optionalText(row.ticketNumber), record: ticketRecord(row) };
	}

	async createTicket(draft: TicketDraft): Promise<CreatedTicketRef> {
		const { settings } = draft;
		const body: Record<string, unknown> = {
			companyID: draft.companyId,
			title: truncate(draft.title, 255),
			description: truncate(draft.description, 8000),
			status: Number(settings.fields.newStatus || '1'),
			priority: await this.priority(draft.dattoPriority, settings),
			externalID: draft.key,
		};
		const optional: Array<[string, string | undefined]> = [
			['ticketType', settings.fields.ticketType],
			['queueID', settings.fields.queueID],
			['issueType', settings.fields.issueType],
			['subIssueType', settings.fields.subIssueType],
			['billingCodeID', settings.fields.billingCodeID],
		];
		for (const [field, value] of optional) if (value) body[field] = Number(value);
		const source =
			settings.fields.source ||
			(await this.picklistValueByLabel('Tickets', 'source', ['monitoring alert']));
		if (source) body.source = Number(source);
		if (draft.configurationItemId) body.configurationItemID = draft.configurationItemId;
		if (draft.dueAt !== undefined) body.dueDateTime = new Date(draft.dueAt).toISOString();
		if (draft.assignee?.roleId) {
			body.assignedResourceID = draft.assignee.resourceId;
			body.assignedResourceRoleID = draft.assignee.roleId;
		}
		let foundAfterLostAnswer = false;
		const id = await this.client.create('/Tickets', body, {
			// After a lost answer, the key says whether the ticket landed (only a create for this
			// alert can carry it: no clock is compared).
			findExisting: async () => {
				const found = await this.client.query<Record<string, unknown>>('Tickets', {
					filter: [{ op: 'eq', field: 'externalID', value: draft.key }],
					includeFields: ['id'],
					limit: 1,
				});
				if (found[0]) foundAfterLostAnswer = true;
				return found[0] ? Number(found[0].id) : undefined;
			},
		});
		return {
			id,
			status: String(body.status),
			priority: String(body.priority),
			assignee: (body.assignedResourceID as number | undefined) ?? null,
			title: String(body.title),
			foundAfterLostAnswer,
		};
	}

	async completeTicket(ticketId: number, resolution: string): Promise<void> {
		await this.client.update('/Tickets', {
			id: ticketId,
			status: Number(this.completeStatus),
			resolution: truncate(resolution, 32000),
		});
	}

	async reopenTicket(ticketId: number, status: string, key: string): Promise<void> {
		await this.client.update('/Tickets', { id: ticketId, status: Number(status), externalID: key });
	}

	async rekeyTicket(ticketId: number, key: string, title: string): Promise<void> {
		await this.client.update('/Tickets', {
			id: ticketId,
			externalID: key,
			title: truncate(title, 255),
		});
	}

	async notesMentioning(
		pairs: Array<{ ticketId: number; alertUid: string }>,
	): Promise<TicketNote[]> {
		const out: TicketNote[] = [];
		for (const chunk of chunks(pairs, NOTE_LOOKUPS_PER_QUERY)) {
			const ids = [...new Set(chunk.map((pair) => pair.ticketId))];
			const uids = [...new Set(chunk.map((pair) => pair.alertUid.toLowerCase()))];
			const mentions = uids.map((uid) => ({ op: 'contains', field: 'description', value: uid }));
			const rows = await this.client.query<{
				id: number;
				ticketID: number;
				title?: string | null;
				description?: string | null;
			}>('TicketNotes', {
				filter: [
					inOrEq('ticketID', ids),
					mentions.length === 1 ? mentions[0] : { op: 'or', items: mentions },
				],
				includeFields: ['id', 'ticketID', 'title', 'description'],
			});
			for (const row of rows)
				out.push({
					ticketId: Number(row.ticketID),
					title: String(row.title ?? ''),
					description: String(row.description ?? ''),
				});
		}
		return out;
	}

	async hasNoteTitled(ticketId: number, title: string): Promise<boolean> {
		const noted = await this.client.query<{ id: number }>('TicketNotes', {
			filter: [
				{ op: 'eq', field: 'ticketID', value: ticketId },
				{ op: 'eq', field: 'title', value: title },
			],
			includeFields: ['id'],
			limit: 1,
		});
		return noted.length > 0;
	}

	async addNote(
		ticketId: number,
		note: NoteDraft,
		options: { unlessPresent?: boolean } = {},
	): Promise<void> {
		const noteType =
			note.fields?.noteType ||
			(await this.picklistValueByLabel('TicketNotes', 'noteType', ['task notes', 'task detail']));
		const publish =
			note.fields?.notePublish ||
			(await this.picklistValueByLabel('TicketNotes', 'publish', ['all autotask users']));
		const body: Record<string, unknown> = {
			ticketID: ticketId,
			title: truncate(note.title, 250),
			description: truncate(note.description, 32000),
		};
		if (noteType) body.noteType = Number(noteType);
		if (publish) body.publish = Number(publish);
		const startedAt = this.now();
		const existing = async (): Promise<number | undefined> => {
			const found = await this.client.query<{ id: number; description?: string | null }>(
				'TicketNotes',
				{
					filter: [
						{ op: 'eq', field: 'ticketID', value: ticketId },
						{ op: 'eq', field: 'title', value: body.title },
						{
							op: 'gte',
							field: 'createDateTime',
							value: new Date(startedAt - 120_000).toISOString(),
						},
					],
					includeFields: ['id', 'description'],
				},
			);
			return found.find((row) => row.description === body.description)?.id;
		};
		if (options.unlessPresent && (await existing()) !== undefined) return;
		await this.client.create(`/Tickets/${ticketId}/Notes`, body, { findExisting: existing });
	}

	async timeEntryCounts(ticketIds: number[]): Promise<Map<number, number>> {
		const counts = new Map<number, number>();
		for (const chunk of chunks([...new Set(ticketIds)], KEYS_PER_QUERY)) {
			const rows = await this.client.query<{ id: number; ticketID: number }>('TimeEntries', {
				filter: [inOrEq('ticketID', chunk)],
				includeFields: ['id', 'ticketID'],
			});
			for (const id of chunk) counts.set(id, 0);
			for (const row of rows)
				counts.set(Number(row.ticketID), (counts.get(Number(row.ticketID)) ?? 0) + 1);
		}
		return counts;
	}

	async configurationItems(deviceUids: string[]): Promise<ConfigurationItem[]> {
		const out: ConfigurationItem[] = [];
		for (const chunk of chunks(deviceUids, KEYS_PER_QUERY)) {
			const rows = await this.client.query<{
				id: number;
				companyID: number;
				rmmDeviceUID: string;
				isActive?: boolean;
			}>('ConfigurationItems', {
				filter: [inOrEq('rmmDeviceUID', chunk)],
				includeFields: ['id', 'companyID', 'rmmDeviceUID', 'isActive', 'referenceTitle'],
			});
			for (const row of rows)
				out.push({
					id: Number(row.id),
					companyId: Number(row.companyID),
					deviceUid: String(row.rmmDeviceUID),
					active: row.isActive !== false,
				});
		}
		return out;
	}

	async assignee(emails: string[]): Promise<Assignee | undefined> {
		return await this.assignees.get(emails.filter(Boolean).join('\n'));
	}

	async requestBudget(): Promise<RequestBudget> {
		const reading = await this.client.threshold();
		return {
			used: Number(reading.currentTimeframeRequestCount) || 0,
			threshold: Number(reading.externalRequestThreshold) || 0,
		};
	}

	/** A 429 that is not the thread limit: the database's hourly request budget is spent. */
	isBudgetRefusal(error: unknown): boolean {
		return (
			error instanceof VendorApiError &&
			error.vendor === 'autotask' &&
			error.httpCode === 429 &&
			!isThreadLimitRefusal({ errors: [error.message] })
		);
	}

	/** The Autotask priority: fixed by the settings, else the map, else by label, else the default. */
	private async priority(priority: DattoPriority, settings: EffectiveSettings): Promise<number> {
		const fixed = settings.fields.priority || settings.priorityMap[priority];
		if (fixed) return Number(fixed);
		const byLabel = await this.picklistValueByLabel(
			'Tickets',
			'priority',
			PRIORITY_LABELS[priority],
		);
		if (byLabel) return Number(byLabel);
		const values = await this.picklists.get('Tickets.priority');
		const fallback = values.find((value) => value.isDefaultValue) ?? values[0];
		if (!fallback) {
			throw new InputError(
				'Priority Map',
				`No Autotask priority for Datto priority ${priority}`,
				'Choose an Autotask priority for each Datto RMM priority in "Priority Map".',
			);
		}
		return Number(fallback.value);
	}

	/** The value of the first label (lower case) the picklist has. */
	private async picklistValueByLabel(
		entity: string,
		field: string,
		labels: string[],
	): Promise<string | undefined> {
		const values = await this.picklists.get(`${entity}.${field}`);
		for (const label of labels) {
			const found = values.find((value) => value.label.trim().toLowerCase() === label);
			if (found) return found.value;
		}
		return undefined;
	}
}
