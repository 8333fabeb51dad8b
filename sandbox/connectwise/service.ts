/**
 * ConnectWise's service desk: boards with their statuses, types, subtypes and items, priorities,
 * sources, service tickets and their notes, configurations and their types, the configurations
 * attached to tickets, time entries and callbacks, with the rules a write goes through. Routes:
 * serviceRoutes.ts. Callback bodies: callbackPayload.ts.
 *
 * Tickets (Manage 2026.11 `Ticket`): `summary` and `company` required, string limits as the
 * document states them (summary 100, externalXRef 100, poNumber 50, ...); board, status, type,
 * subtype and item must belong together (a status, type, subtype or item of the ticket's board; a
 * subtype associated with the type); closing is moving to a status marked `closedStatus`, which
 * sets `closedFlag`, `closedDate` and `closedBy` (and a status without it clears them).
 * [U] The defaults the PSA fills in: the first active board, the board's default status (else its
 * first by sortOrder), the default priority and source, severity and impact Medium. [U] `closedFlag`
 * cannot be written: it follows the status (a PATCH of it alone changes nothing). [U] A note needs
 * text and at least one of the detail, internal-analysis and resolution flags. [U] `initialDescription`,
 * `initialInternalAnalysis` and `initialResolution` (POST only, never returned) become the
 * ticket's first notes. The refusals' wording is [U].
 */
import { Outbox } from '../core/outbox';
import { SEED_FILES } from '../core/seed';
import type { DeliverOptions, DeliveryResult, OutboundDelivery } from '../core/outbox';
import { CALLBACK_TYPES, callbackBody, TICKET_CALLBACK_LEVELS } from './callbackPayload';
import { fieldError } from './errors';
import type { FieldProblem } from './errors';
import { schemaLimits, schemaProperties, schemaRequired } from './fields';

export type ServiceRow = Record<string, unknown>;

interface Reference {
	id?: unknown;
	name?: unknown;
	identifier?: unknown;
}

/** Who makes a change: an API member (its key) or a technician. */
export interface Member {
	identifier: string;
	/** Numeric member id, when known (API keys carry one). */
	id?: number;
}

export interface ServiceDeps {
	companyFor(reference: unknown): { id: number; identifier: string; name: string } | undefined;
	contactExists(id: unknown): boolean;
	/** The PSA's login company id (sent in callbacks). */
	companyId: string;
	/** The PSA's own base URL (sent in callbacks). */
	baseUrl(): string;
}

const TICKET_LIMITS = schemaLimits('Ticket');
const TICKET_PROPERTIES = new Set(schemaProperties('Ticket'));
const NOTE_PROPERTIES = new Set(schemaProperties('ServiceNote'));
const CONFIGURATION_LIMITS = schemaLimits('Company.Configuration');
const CONFIGURATION_PROPERTIES = new Set(schemaProperties('Company.Configuration'));
const CALLBACK_LIMITS = schemaLimits('CallbackEntry');
const CALLBACK_PROPERTIES = new Set(schemaProperties('CallbackEntry'));
/** Write-only ticket fields: "Only available for POST, will not be returned in the response". */
const INITIAL_NOTES: Array<[string, string]> = [
	['initialDescription', 'detailDescriptionFlag'],
	['initialInternalAnalysis', 'internalAnalysisFlag'],
	['initialResolution', 'resolutionFlag'],
];
/** Action flags of a write, not stored on the ticket. [U] */
const ACTION_FLAGS = ['skipCallback', 'processNotifications', 'contactEmailLookup'];
const SEVERITY = ['Low', 'Medium', 'High'];

/** The service desk's files of the seed layout (everything in connectwise/ but the contact side). */
export const SERVICE_SEED_FILES = SEED_FILES.connectwise.filter(
	(file) => !['companies', 'contacts', 'communicationTypes'].includes(file),
) as Array<
	Exclude<(typeof SEED_FILES.connectwise)[number], 'companies' | 'contacts' | 'communicationTypes'>
>;

export type ServiceSeedFile = (typeof SERVICE_SEED_FILES)[number];

export class ServiceDesk {
	boards: ServiceRow[];
	boardStatuses: ServiceRow[];
	boardTypes: ServiceRow[];
	boardSubTypes: ServiceRow[];
	boardItems: ServiceRow[];
	priorities: ServiceRow[];
	sources: ServiceRow[];
	tickets: ServiceRow[];
	ticketNotes: ServiceRow[];
	configurations: ServiceRow[];
	configurationTypes: ServiceRow[];
	/** Which configurations are attached to which ticket. */
	ticketConfigurations: Array<{ ticketId: number; configurationId: number }>;
	timeEntries: ServiceRow[];
	callbacks: ServiceRow[];
	/** What technicians do after the first delivery (connectwise/ticketEvents.json), not yet applied. */
	ticketEvents: ServiceRow[];

	/** Callback deliveries not yet sent. */
	readonly outbox = new Outbox('connectwise');

	constructor(
		seed: Record<string, unknown[] | undefined>,
		private readonly deps: ServiceDeps,
	) {
		const rows = (name: ServiceSeedFile) => structuredClone((seed[name] ?? []) as ServiceRow[]);
		this.boards = rows('boards');
		this.boardStatuses = rows('boardStatuses');
		this.boardTypes = rows('boardTypes');
		this.boardSubTypes = rows('boardSubTypes');
		this.boardItems = rows('boardItems');
		this.priorities = rows('priorities');
		this.sources = rows('sources');
		this.tickets = rows('tickets');
		this.ticketNotes = rows('ticketNotes');
		this.configurations = rows('configurations');
		this.configurationTypes = rows('configurationTypes');
		this.ticketConfigurations = rows('ticketConfigurations').map((row) => ({
			ticketId: Number(row.ticketId),
			configurationId: Number(row.configurationId),
		}));
		this.timeEntries = rows('timeEntries');
		this.callbacks = rows('callbacks');
		this.ticketEvents = rows('ticketEvents');
	}

	dump(): Record<ServiceSeedFile, unknown[]> {
		const out = {} as Record<ServiceSeedFile, unknown[]>;
		for (const file of SERVICE_SEED_FILES) out[file] = structuredClone(this[file]) as unknown[];
		return out;
	}

	// ---------------------------------------------------------------------------------------
	// Look-ups

	ticket(id: unknown): ServiceRow | undefined {
		return byId(this.tickets, id);
	}

	board(id: unknown): ServiceRow | undefined {
		return byId(this.boards, id);
	}

	/** Rows of a per-board list (statuses, types, subtypes, items) for one board. */
	ofBoard(rows: ServiceRow[], boardId: unknown): ServiceRow[] {
		return rows.filter(
			(row) => Number((row.board as Reference | undefined)?.id) === Number(boardId),
		);
	}

	/** The status a board closes tickets with: its first `closedStatus` one by sortOrder. [U] */
	closedStatusOf(boardId: unknown): ServiceRow | undefined {
		return sortByOrder(
			this.ofBoard(this.boardStatuses, boardId).filter(
				(status) => status.closedStatus === true && status.inactive !== true,
			),
		)[0];
	}

	/** The status a new ticket gets on a board: its default, else its first open one. [U] */
	defaultStatusOf(boardId: unknown): ServiceRow | undefined {
		const open = sortByOrder(
			this.ofBoard(this.boardStatuses, boardId).filter(
				(status) => status.inactive !== true && status.closedStatus !== true,
			),
		);
		return open.find((status) => status.defaultFlag === true) ?? open[0];
	}

	configurationsOf(ticketId: unknown): ServiceRow[] {
		return this.ticketConfigurations
			.filter((link) => link.ticketId === Number(ticketId))
			.map((link) => byId(this.configurations, link.configurationId))
			.filter((row): row is ServiceRow => row !== undefined);
	}

	// ---------------------------------------------------------------------------------------
	// Tickets

	/**
	 * Checks a ticket draft and fills in its references (names, defaults, closed state); returns
	 * the problems found. `previous` is the stored ticket on an update.
	 */
	prepareTicket(draft: ServiceRow, member: Member, previous?: ServiceRow): FieldProblem[] {
		const problems: FieldProblem[] = [];
		const problem = (field: string, message: string, code = 'InvalidField') =>
			problems.push(fieldError('ticket', field, code, message));
		for (const key of Object.keys(draft)) if (!TICKET_PROPERTIES.has(key)) delete draft[key];

		if (typeof draft.summary !== 'string' || !draft.summary.trim())
			problem('summary', 'The summary field is required.', 'NullOrEmpty');
		for (const [field, max] of Object.entries(TICKET_LIMITS)) {
			const value = draft[field];
			if (typeof value === 'string' && value.length > max)
				problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
		}
		const company = draft.company ? this.deps.companyFor(draft.company) : undefined;
		if (!draft.company) problem('company', 'The company field is required.', 'NullOrEmpty');
		else if (!company) problem('company', 'The company was not found.');
		else draft.company = { id: company.id, identifier: company.identifier, name: company.name };
		if (draft.contact && !this.deps.contactExists((draft.contact as Reference).id))
			problem('contact', 'The contact was not found.');

		// Board first: statuses, types, subtypes and items are the board's own.
		const board = draft.board
			? findRef(this.boards, draft.board)
			: this.boards.find((row) => row.inactiveFlag !== true && row.projectFlag !== true);
		if (!board || board.inactiveFlag === true) {
			problem(
				'board',
				draft.board ? 'The board was not found or is inactive.' : 'No service board exists.',
			);
			return problems;
		}
		draft.board = ref(board);
		const boardChanged =
			previous !== undefined &&
			Number((previous.board as Reference | undefined)?.id) !== Number(board.id);

		// A status named in the write must be the board's and active; none named keeps the ticket's
		// (or, for a new ticket or one moved to another board, takes the board's default).
		const statuses = this.ofBoard(this.boardStatuses, board.id);
		const statusGiven = previous
			? JSON.stringify(draft.status) !== JSON.stringify(previous.status)
			: draft.status !== undefined && draft.status !== null;
		let status: ServiceRow | undefined;
		if (statusGiven) {
			status = findRef(statuses, draft.status);
			if (!status) problem('status', `The status is not valid for board ${String(board.name)}.`);
			else if (status.inactive === true) problem('status', 'The status is inactive.');
		} else if (previous && !boardChanged) {
			status = findRef(statuses, previous.status) ?? this.defaultStatusOf(board.id);
		} else {
			status = this.defaultStatusOf(board.id);
			if (!status) problem('status', `Board ${String(board.name)} has no open status.`);
		}
		if (status) draft.status = { id: status.id, name: status.name, sort: status.sortOrder ?? 0 };

		const type = this.boardChild(draft, 'type', this.boardTypes, board, problem);
		const subType = this.boardChild(draft, 'subType', this.boardSubTypes, board, problem);
		this.boardChild(draft, 'item', this.boardItems, board, problem);
		if (type && subType && subType.addAllTypesFlag !== true) {
			const allowed = (subType.typeAssociationIds ?? []) as unknown[];
			if (!allowed.map(Number).includes(Number(type.id)))
				problem(
					'subType',
					`The subtype ${String(subType.name)} is not valid for type ${String(type.name)}.`,
				);
		}

		const priority = draft.priority
			? findRef(this.priorities, draft.priority)
			: this.priorities.find((row) => row.defaultFlag === true);
		if (draft.priority && !priority) problem('priority', 'The priority was not found.');
		if (priority)
			draft.priority = { id: priority.id, name: priority.name, sort: priority.sortOrder ?? 0 };
		const source = draft.source
			? findRef(this.sources, draft.source)
			: this.sources.find((row) => row.defaultFlag === true);
		if (draft.source && !source) problem('source', 'The source was not found.');
		if (source) draft.source = ref(source);

		for (const field of ['severity', 'impact']) {
			draft[field] ??= 'Medium';
			if (!SEVERITY.includes(String(draft[field])))
				problem(field, `The ${field} must be Low, Medium or High.`);
		}
		draft.recordType ??= 'ServiceTicket';
		if (draft.integratorTags !== undefined && !Array.isArray(draft.integratorTags))
			problem('integratorTags', 'integratorTags must be an array of strings.');

		// Closed follows the status.
		const closed = status?.closedStatus === true;
		const wasClosed = previous?.closedFlag === true;
		draft.closedFlag = closed;
		if (closed && !wasClosed) {
			draft.closedDate = now();
			draft.closedBy = member.identifier;
		} else if (!closed) {
			delete draft.closedDate;
			delete draft.closedBy;
		} else {
			draft.closedDate = previous?.closedDate;
			draft.closedBy = previous?.closedBy;
		}
		return problems;
	}

	private boardChild(
		draft: ServiceRow,
		field: string,
		rows: ServiceRow[],
		board: ServiceRow,
		problem: (field: string, message: string) => void,
	): ServiceRow | undefined {
		if (!draft[field]) return undefined;
		const found = findRef(this.ofBoard(rows, board.id), draft[field]);
		if (!found || found.inactiveFlag === true) {
			problem(field, `The ${field} is not valid for board ${String(board.name)}.`);
			return undefined;
		}
		draft[field] = ref(found);
		return found;
	}

	/** POST /service/tickets: the stored ticket, or the problems. */
	createTicket(body: ServiceRow, member: Member): ServiceRow | FieldProblem[] {
		const draft = structuredClone(body);
		const skipCallback = draft.skipCallback === true;
		const initial = INITIAL_NOTES.map(([field, flag]) => [draft[field], flag] as const).filter(
			([text]) => typeof text === 'string' && text.trim(),
		);
		for (const key of [...INITIAL_NOTES.map(([field]) => field), ...ACTION_FLAGS, 'id', '_info'])
			delete draft[key];
		const problems = this.prepareTicket(draft, member);
		if (problems.length) return problems;
		const stamp = now();
		const ticket: ServiceRow = {
			id: nextId(this.tickets, 1),
			...draft,
			_info: {
				lastUpdated: stamp,
				updatedBy: member.identifier,
				dateEntered: stamp,
				enteredBy: member.identifier,
			},
		};
		this.tickets.push(ticket);
		for (const [text, flag] of initial) {
			this.ticketNotes.push(this.noteRow(ticket, { text, [flag]: true }, member));
		}
		if (!skipCallback) this.ticketChanged('added', ticket, member);
		return ticket;
	}

	/** A ticket after PATCH (applied to `draft`): stored, or the problems. */
	updateTicket(
		stored: ServiceRow,
		draft: ServiceRow,
		member: Member,
		options: { skipCallback?: boolean } = {},
	): ServiceRow | FieldProblem[] {
		for (const key of [...INITIAL_NOTES.map(([field]) => field), ...ACTION_FLAGS])
			delete draft[key];
		draft.id = stored.id;
		// closedFlag, closedDate and closedBy follow the status, whatever the patch said. [U]
		draft.closedFlag = stored.closedFlag;
		draft.closedDate = stored.closedDate;
		draft.closedBy = stored.closedBy;
		const problems = this.prepareTicket(draft, member, stored);
		if (problems.length) return problems;
		draft._info = {
			...((stored._info ?? {}) as Record<string, string>),
			lastUpdated: now(),
			updatedBy: member.identifier,
		};
		const changed =
			JSON.stringify({ ...draft, _info: 0 }) !== JSON.stringify({ ...stored, _info: 0 });
		for (const key of Object.keys(stored)) delete stored[key];
		Object.assign(stored, draft);
		for (const key of Object.keys(stored)) if (stored[key] === undefined) delete stored[key];
		if (changed && !options.skipCallback) this.ticketChanged('updated', stored, member);
		return stored;
	}

	/** Moves a ticket to a status of its board (as a technician would), through the update rules. */
	setStatus(ticket: ServiceRow, status: ServiceRow, member: Member): ServiceRow | FieldProblem[] {
		const draft = structuredClone(ticket);
		draft.status = { id: status.id };
		return this.updateTicket(ticket, draft, member);
	}

	// ---------------------------------------------------------------------------------------
	// Notes

	notesOf(ticketId: unknown): ServiceRow[] {
		return this.ticketNotes.filter((note) => Number(note.ticketId) === Number(ticketId));
	}

	addNote(ticket: ServiceRow, body: ServiceRow, member: Member): ServiceRow | FieldProblem[] {
		const problems: FieldProblem[] = [];
		if (typeof body.text !== 'string' || !body.text.trim())
			problems.push(
				fieldError('serviceNote', 'text', 'NullOrEmpty', 'The text field is required.'),
			);
		if (
			body.detailDescriptionFlag !== true &&
			body.internalAnalysisFlag !== true &&
			body.resolutionFlag !== true
		) {
			problems.push(
				fieldError(
					'serviceNote',
					'detailDescriptionFlag',
					'InvalidField',
					'One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true.',
				),
			);
		}
		if (
			body.ticketId !== undefined &&
			body.ticketId !== null &&
			Number(body.ticketId) !== Number(ticket.id)
		)
			problems.push(
				fieldError(
					'serviceNote',
					'ticketId',
					'InvalidField',
					'The ticketId does not match the ticket.',
				),
			);
		if (problems.length) return problems;
		const note = this.noteRow(ticket, body, member);
		this.ticketNotes.push(note);
		ticket._info = {
			...((ticket._info ?? {}) as Record<string, string>),
			lastUpdated: note.dateCreated as string,
			updatedBy: member.identifier,
		};
		return note;
	}

	private noteRow(ticket: ServiceRow, body: ServiceRow, member: Member): ServiceRow {
		const note: ServiceRow = {};
		for (const [key, value] of Object.entries(body))
			if (NOTE_PROPERTIES.has(key)) note[key] = value;
		const stamp = now();
		Object.assign(note, {
			id: nextId(this.ticketNotes, 1),
			ticketId: Number(ticket.id),
			detailDescriptionFlag: body.detailDescriptionFlag === true,
			internalAnalysisFlag: body.internalAnalysisFlag === true,
			resolutionFlag: body.resolutionFlag === true,
			issueFlag: body.issueFlag === true,
			// [U] internal = internal analysis; external = visible to the customer.
			internalFlag: body.internalAnalysisFlag === true,
			externalFlag: body.detailDescriptionFlag === true || body.resolutionFlag === true,
			dateCreated: stamp,
			createdBy: member.identifier,
			member: { id: member.id ?? null, identifier: member.identifier },
			_info: { lastUpdated: stamp, updatedBy: member.identifier },
		});
		delete note.processNotifications;
		return note;
	}

	// ---------------------------------------------------------------------------------------
	// Configurations

	prepareConfiguration(draft: ServiceRow): FieldProblem[] {
		const problems: FieldProblem[] = [];
		const problem = (field: string, message: string, code = 'InvalidField') =>
			problems.push(fieldError('configuration', field, code, message));
		for (const key of Object.keys(draft)) if (!CONFIGURATION_PROPERTIES.has(key)) delete draft[key];
		for (const field of schemaRequired('Company.Configuration')) {
			if (draft[field] === undefined || draft[field] === null || draft[field] === '')
				problem(field, `The ${field} field is required.`, 'NullOrEmpty');
		}
		for (const [field, max] of Object.entries(CONFIGURATION_LIMITS)) {
			const value = draft[field];
			if (typeof value === 'string' && value.length > max)
				problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
		}
		if (draft.company) {
			const company = this.deps.companyFor(draft.company);
			if (!company) problem('company', 'The company was not found.');
			else draft.company = { id: company.id, identifier: company.identifier, name: company.name };
		}
		if (draft.type) {
			const type = findRef(this.configurationTypes, draft.type);
			if (!type || type.inactiveFlag === true)
				problem('type', 'The configuration type was not found or is inactive.');
			else draft.type = ref(type);
		}
		draft.activeFlag ??= true;
		draft.status ??= { id: 1, name: 'Active' };
		return problems;
	}

	/** POST /service/tickets/{id}/configurations: attaches a configuration to a ticket. */
	attachConfiguration(ticket: ServiceRow, body: ServiceRow): ServiceRow | FieldProblem[] {
		const configuration =
			body.id !== undefined && body.id !== null
				? byId(this.configurations, body.id)
				: typeof body.deviceIdentifier === 'string'
					? this.configurations.find(
							(row) =>
								String(row.deviceIdentifier ?? '').toLowerCase() ===
								String(body.deviceIdentifier).toLowerCase(),
						)
					: undefined;
		if (!configuration)
			return [
				fieldError(
					'configurationReference',
					'id',
					'InvalidField',
					'The configuration was not found.',
				),
			];
		const link = { ticketId: Number(ticket.id), configurationId: Number(configuration.id) };
		if (
			this.ticketConfigurations.some(
				(row) => row.ticketId === link.ticketId && row.configurationId === link.configurationId,
			)
		)
			return [
				fieldError(
					'configurationReference',
					'id',
					'InvalidField',
					`Configuration ${String(configuration.id)} is already attached to ticket ${String(ticket.id)}.`,
				),
			];
		this.ticketConfigurations.push(link);
		return configurationReference(configuration);
	}

	// ---------------------------------------------------------------------------------------
	// Callbacks

	prepareCallback(draft: ServiceRow): FieldProblem[] {
		const problems: FieldProblem[] = [];
		const problem = (field: string, message: string, code = 'InvalidField') =>
			problems.push(fieldError('callbackEntry', field, code, message));
		for (const key of Object.keys(draft)) if (!CALLBACK_PROPERTIES.has(key)) delete draft[key];
		for (const field of schemaRequired('CallbackEntry')) {
			if (draft[field] === undefined || draft[field] === null || draft[field] === '')
				problem(field, `The ${field} field is required.`, 'NullOrEmpty');
		}
		for (const [field, max] of Object.entries(CALLBACK_LIMITS)) {
			const value = draft[field];
			if (typeof value === 'string' && value.length > max)
				problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
		}
		if (typeof draft.url === 'string' && !/^https?:\/\/[^/]/i.test(draft.url))
			problem('url', 'The url must be an absolute http or https URL.');
		const type = CALLBACK_TYPES.find(
			(name) => name.toLowerCase() === String(draft.type ?? '').toLowerCase(),
		);
		if (draft.type && !type)
			problem('type', `The type must be one of ${CALLBACK_TYPES.join(', ')}.`);
		if (
			type === 'Ticket' &&
			draft.level &&
			!(String(draft.level).toLowerCase() in TICKET_CALLBACK_LEVELS)
		)
			problem(
				'level',
				`The level of a ticket callback must be one of Owner, Board, Status, Company, Type, Ticket.`,
			);
		if (draft.objectId !== undefined && !Number.isInteger(draft.objectId))
			problem('objectId', 'The objectId must be a whole number.');
		draft.inactiveFlag ??= false;
		draft.isSoapCallbackFlag ??= false;
		draft.isSelfSuppressedFlag ??= false;
		return problems;
	}

	/** Queues a delivery to every active ticket callback the change reaches. */
	ticketChanged(
		action: 'added' | 'updated',
		ticket: ServiceRow,
		member: Member,
	): OutboundDelivery[] {
		const queued: OutboundDelivery[] = [];
		for (const callback of this.callbacks) {
			if (callback.inactiveFlag === true) continue;
			if (String(callback.type ?? '').toLowerCase() !== 'ticket') continue;
			const level = TICKET_CALLBACK_LEVELS[String(callback.level ?? '').toLowerCase()];
			if (!level) continue;
			const target = level(ticket);
			if (target !== undefined && Number(target) !== Number(callback.objectId)) continue;
			// [U] isSelfSuppressedFlag: no callback for changes made by the member who registered it.
			if (
				callback.isSelfSuppressedFlag === true &&
				member.id !== undefined &&
				Number(callback.memberId) === member.id
			)
				continue;
			const body = JSON.stringify(
				callbackBody({
					action,
					type: 'ticket',
					id: Number(ticket.id),
					entity: ticket,
					memberIdentifier: member.identifier,
					companyId: this.deps.companyId,
					fromUrl: this.deps.baseUrl(),
				}),
			);
			queued.push(
				this.outbox.add({
					url: String(callback.url),
					headers: { 'Content-Type': 'application/json' },
					body,
					description: `ticket ${String(ticket.id)} ${action} (callback ${String(callback.id)})`,
				}),
			);
		}
		return queued;
	}

	pending(): OutboundDelivery[] {
		return this.outbox.pending();
	}

	async deliver(options?: DeliverOptions): Promise<DeliveryResult[]> {
		return await this.outbox.deliver(options);
	}
}

// -----------------------------------------------------------------------------------------

export function byId(rows: ServiceRow[], id: unknown): ServiceRow | undefined {
	if (id === undefined || id === null || id === '') return undefined;
	return rows.find((row) => Number(row.id) === Number(id));
}

/** A reference (`{id}` or `{name}`) resolved among `rows`. */
function findRef(rows: ServiceRow[], reference: unknown): ServiceRow | undefined {
	if (!reference || typeof reference !== 'object') return undefined;
	const { id, name } = reference as Reference;
	if (id !== undefined && id !== null) return byId(rows, id);
	if (typeof name === 'string' && name.trim())
		return rows.find((row) => String(row.name ?? '').toLowerCase() === name.trim().toLowerCase());
	return undefined;
}

function ref(row: ServiceRow): ServiceRow {
	return { id: row.id, name: row.name };
}

export function configurationReference(configuration: ServiceRow): ServiceRow {
	return {
		id: configuration.id,
		deviceIdentifier: configuration.deviceIdentifier ?? '',
		_info: { configuration_href: `/company/configurations/${String(configuration.id)}` },
	};
}

function sortByOrder(rows: ServiceRow[]): ServiceRow[] {
	return [...rows].sort(
		(a, b) => Number(a.sortOrder ?? 0) - Number(b.sortOrder ?? 0) || Number(a.id) - Number(b.id),
	);
}

export function nextId(rows: Array<{ id?: unknown }>, start: number): number {
	return rows.reduce((max, row) => Math.max(max, Number(row.id) || 0), start - 1) + 1;
}

function now(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
