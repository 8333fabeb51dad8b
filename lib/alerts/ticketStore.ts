import type { DattoPriority } from './alert';
import type { RequestBudget } from './budget';
import type { EffectiveSettings, TicketFieldValues } from './settings';
import type { TicketRecord } from './tickets';

/**
 * Everything the alert engine asks of a PSA, and nothing else: the engine (decide, key, storm,
 * duplicates, human work, the prepare and apply steps) talks to tickets only through this
 * interface, so one engine serves every PSA. One store lives for one execution; it may cache
 * what it reads (picklists, resources) for that execution only.
 * See docs/adr/alert-engine-one-ticket-store-per-psa.md.
 */
export interface AlertTicketStore {
	/** The PSA's name, for messages ("Autotask", "ConnectWise Manage"). */
	readonly name: string;

	/** What the PSA calls the ticket field that carries the alert key ("External ID"). */
	readonly keyFieldLabel: string;

	/** The status a completed ticket has (the engine's "open" is any other). */
	readonly completeStatus: string;

	/**
	 * Whether a Datto site's own PSA mapping (`autotaskCompanyId`) names companies of this PSA,
	 * so that a site may be read for its company.
	 */
	readonly usesDattoSiteCompany: boolean;

	/**
	 * The alert tickets whose key begins with one of `prefixes` or ends with one of `suffixes`:
	 * every open one, plus those created since `createdSince` and those completed since
	 * `completedSince` (epoch ms) when given. Tickets without an alert key are never returned.
	 */
	readTickets(query: TicketQuery): Promise<TicketRecord[]>;

	/** One ticket by id: undefined when the PSA does not know it; `record` undefined when it carries no alert key. */
	getTicket(id: number): Promise<{ ticketNumber?: string; record?: TicketRecord } | undefined>;

	/**
	 * Creates a ticket. After an answer lost on the way back the store looks the ticket up by its
	 * key (and keeps looking while a create may still be in progress) instead of creating it twice;
	 * `foundAfterLostAnswer` then says so (the ticket found may be a concurrent delivery's).
	 */
	createTicket(draft: TicketDraft): Promise<CreatedTicketRef>;

	/** Completes a ticket, with this resolution text. */
	completeTicket(ticketId: number, resolution: string): Promise<void>;

	/** Reopens a completed ticket with this status, moving its key to the alert that re-fired it. */
	reopenTicket(ticketId: number, status: string, key: string): Promise<void>;

	/** Gives a ticket another key and title (a problem ticket that becomes its storm ticket). */
	rekeyTicket(ticketId: number, key: string, title: string): Promise<void>;

	/**
	 * The notes of these tickets whose text mentions one of these alert uids (lower case), each
	 * pair asked about together: `{ticketId, alertUid}`. One round trip per chunk the PSA allows.
	 */
	notesMentioning(pairs: Array<{ ticketId: number; alertUid: string }>): Promise<TicketNote[]>;

	/** Whether the ticket has a note with exactly this title. */
	hasNoteTitled(ticketId: number, title: string): Promise<boolean>;

	/**
	 * Adds a note. After a lost answer the store looks for a note with this title and text written
	 * since the call began; `unlessPresent` looks before writing too.
	 */
	addNote(ticketId: number, note: NoteDraft, options?: { unlessPresent?: boolean }): Promise<void>;

	/** Time entries logged on these tickets, counted per ticket id (0 for none). */
	timeEntryCounts(ticketIds: number[]): Promise<Map<number, number>>;

	/** The configuration items (any company) whose RMM device uid is one of these. */
	configurationItems(deviceUids: string[]): Promise<ConfigurationItem[]>;

	/** The first of these emails that is an active resource of the PSA (the assignee of new tickets). */
	assignee(emails: string[]): Promise<Assignee | undefined>;

	/** The PSA's request budget now, for a PSA that has one and says so (a counted call). */
	requestBudget?(): Promise<RequestBudget>;

	/** Whether an error is the PSA refusing a request because its request budget is spent. */
	isBudgetRefusal?(error: unknown): boolean;
}

export interface TicketQuery {
	prefixes: string[];
	suffixes?: string[];
	createdSince?: number;
	completedSince?: number;
}

/** A new ticket as the engine describes it; the store turns it into the PSA's fields. */
export interface TicketDraft {
	/** The alert key the ticket carries. */
	key: string;
	companyId: number;
	title: string;
	description: string;
	dattoPriority: DattoPriority;
	/** The ticket settings that apply to the alert (PSA picklist ids, as the user chose them). */
	settings: EffectiveSettings;
	configurationItemId?: number;
	/** Epoch ms. */
	dueAt?: number;
	assignee?: Assignee;
}

export interface CreatedTicketRef {
	id: number;
	/** The status the new ticket was given. */
	status: string;
	/** The PSA's priority id it was given. */
	priority: string;
	assignee?: number | null;
	/** Its title, as the PSA took it (truncated to the PSA's length). */
	title: string;
	/** The create's answer was lost and the ticket was found by its key. */
	foundAfterLostAnswer: boolean;
}

export interface TicketNote {
	ticketId: number;
	title: string;
	description: string;
}

/** A note: its text, and the note fields the settings chose (empty: the store's defaults). */
export interface NoteDraft {
	title: string;
	description: string;
	fields?: Pick<TicketFieldValues, 'noteType' | 'notePublish'>;
}

export interface ConfigurationItem {
	id: number;
	companyId: number;
	deviceUid: string;
	active: boolean;
}

export interface Assignee {
	resourceId: number;
	/** A PSA detail the store needs to assign (Autotask: the resource's service desk role). */
	roleId?: number;
}
