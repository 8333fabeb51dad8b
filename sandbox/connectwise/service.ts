/**
 * ConnectWise's service desk: boards with their statuses, types, subtypes and items, priorities,
 * sources, service tickets and their notes, configurations and their types, the configurations
 * attached to tickets, time entries and callbacks. The rules a write goes through: serviceRules.ts.
 * Shared rows and look-ups: serviceRows.ts. Routes: serviceRoutes.ts. Callback bodies:
 * callbackPayload.ts.
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
import { callbackBody, TICKET_CALLBACK_LEVELS } from './callbackPayload';
import { fieldError } from './errors';
import type { FieldProblem } from './errors';
import { schemaProperties } from './fields';
import { byId, configurationReference, nextId, now, sortByOrder } from './serviceRows';
import type { Member, Reference, ServiceDeps, ServiceRow } from './serviceRows';
import { prepareCallback, prepareConfiguration, prepareTicket } from './serviceRules';

export type { Member, ServiceDeps, ServiceRow } from './serviceRows';

const NOTE_PROPERTIES = new Set(schemaProperties('ServiceNote'));
/** Write-only ticket fields: "Only available for POST, will not be returned in the response". */
const INITIAL_NOTES: Array<[string, string]> = [
	['initialDescription', 'detailDescriptionFlag'],
	['initialInternalAnalysis', 'internalAnalysisFlag'],
	['initialResolution', 'resolutionFlag'],
];
/** Action flags of a write, not stored on the ticket. [U] */
const ACTION_FLAGS = ['skipCallback', 'processNotifications', 'contactEmailLookup'];

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
		return prepareTicket(this, this.deps, draft, member, previous);
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
		return prepareConfiguration(this, this.deps, draft);
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
		return prepareCallback(draft);
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
