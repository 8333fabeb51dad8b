/**
 * The Autotask sandbox's live state: vendor-native rows (tests may read and change them), the API
 * users and their security levels, the limits' counters, and rows as the API returns them. Writes
 * go through writes.ts (the rules every entity shares), contacts.ts and tickets.ts.
 */
import type { DeliverOptions, DeliveryResult, OutboundDelivery } from '../core/outbox';
import { SANDBOX_IDENTITIES } from '../credentials';
import { DEVICE_SEED_FILES } from './deviceFields';
import { entityByRoute } from './fields';
import { picklist } from './fieldInfo';
import type { EntityDefinition, FieldInfo, PickListValue } from './fieldInfo';
import { TicketWebhookStore } from './ticketWebhookStore';

export type Row = Record<string, unknown>;

export type AccessAction = 'query' | 'create' | 'update' | 'delete';

/** An API-only user the sandbox accepts. */
export interface AutotaskApiUser {
	username: string;
	secret: string;
	integrationCode: string;
	/** The API user's own resource id: the creator of what it writes without impersonation. */
	resourceId: number;
	active?: boolean;
	/**
	 * Rights of its security level, per entity route ("Contacts", "Tickets", "TicketNotes"...);
	 * omitted = full rights. An entity listed with some actions missing denies those.
	 */
	permissions?: Record<string, Partial<Record<AccessAction, boolean>>>;
	/** "Protected Data Permission": without it contact emails and phones read as null. Default true. */
	protectedData?: boolean;
	/** Whether its security level may impersonate resources (Web Services API section). Default true. */
	impersonation?: boolean;
}

export interface AutotaskSandboxConfig {
	/** Concurrent requests allowed per (integration code, endpoint); Autotask's is 3. */
	threadLimit: number;
	/** The status a thread-limit rejection comes with (429; Autotask has been seen to use 500). */
	threadLimitStatus: number;
	/** Requests per rolling 60 minutes for the whole database; Autotask's is 10,000. */
	hourlyLimit: number;
	/** Time each API request holds its thread, so concurrency is observable (0 = none). */
	requestDurationMs: number;
	zoneName: string;
	/** The database id zoneInformation reports. */
	ci: number;
}

/** Contact fields hidden from API users without Protected Data Permission [U: the tenant decides which]. */
export const PROTECTED_CONTACT_FIELDS = [
	'emailAddress',
	'emailAddress2',
	'emailAddress3',
	'phone',
	'mobilePhone',
	'alternatePhone',
	'faxNumber',
];

export const DEFAULT_API_USER_RESOURCE_ID = 29682885;

/** Who is writing: the API user, possibly impersonating a resource. */
export interface Actor {
	user: AutotaskApiUser;
	impersonatedResourceId?: number;
}

export class AutotaskState {
	companies: Row[];
	contacts: Row[];
	resources: Row[];
	tickets: Row[];
	ticketNotes: Row[];
	configurationItems: Row[];
	timeEntries: Row[];
	/** Ticket webhooks, their fields, UDF fields and excluded resources, and their queued callouts. */
	ticketWebhooks: TicketWebhookStore;
	/** What technicians do after the first delivery (autotask/ticketEvents.json), not yet applied. */
	ticketEvents: Row[];
	/** Rows of the device sync's entities by seed file: products, contracts, configurationItemTypes, contractServices, contractServiceBundles. */
	deviceRows: Record<(typeof DEVICE_SEED_FILES)[number], Row[]>;
	/** Test control: field metadata changed per entity route and field (e.g. `{ConfigurationItems: {rmmDeviceUID: {isReadOnly: true}}}`). */
	fieldOverrides: Record<string, Record<string, Partial<FieldInfo>>> = {};
	/** The tenant's field lengths where they differ from the built-in ones: `{entity, field, length}`. */
	fieldLengths: Array<{ entity: string; field: string; length: number }>;
	/** Seed overrides of built-in picklists: `{entity, field, values}`. */
	picklists: Array<{ entity: string; field: string; values: PickListValue[] }>;
	apiUsers: AutotaskApiUser[];
	config: AutotaskSandboxConfig = {
		threadLimit: 3,
		threadLimitStatus: 429,
		hourlyLimit: 10_000,
		requestDurationMs: 0,
		zoneName: 'Sandbox Zone',
		ci: 29683001,
	};
	/** The most requests seen at once, per "integrationCode|endpoint". */
	peakThreads: Record<string, number> = {};
	/** Requests refused by the thread limit. */
	threadRejections = 0;
	/** When each counted request arrived (rolling hour for ThresholdInformation). */
	requestTimes: number[] = [];
	/** The clock the sandbox stamps dates with. */
	now: () => Date = () => new Date();

	constructor(seed: Record<string, unknown[] | undefined>) {
		const rows = (name: string) => structuredClone((seed[name] ?? []) as Row[]);
		this.companies = rows('companies');
		this.contacts = rows('contacts');
		this.resources = rows('resources');
		this.tickets = rows('tickets');
		this.ticketNotes = rows('ticketNotes');
		this.configurationItems = rows('configurationItems');
		this.timeEntries = rows('timeEntries');
		this.ticketEvents = rows('ticketEvents');
		this.ticketWebhooks = new TicketWebhookStore(seed.ticketWebhooks ?? [], {
			now: () => this.now(),
			ticketUdfNames: () => this.udfNames(entityByRoute('Tickets')!),
		});
		this.deviceRows = Object.fromEntries(
			DEVICE_SEED_FILES.map((file) => [file, rows(file)]),
		) as AutotaskState['deviceRows'];
		this.fieldLengths = (
			rows('fieldLengths') as Array<{ entity: string; field: string; length: number }>
		).map((entry) => ({
			entity: String(entry.entity),
			field: String(entry.field),
			length: Number(entry.length),
		}));
		this.picklists = (
			(seed.picklists ?? []) as Array<{
				entity: string;
				field: string;
				values: Array<Partial<PickListValue>>;
			}>
		).map((entry) => ({
			entity: entry.entity,
			field: entry.field,
			values: (entry.values ?? []).map((value, index) => ({
				value: String(value.value),
				label: String(value.label ?? value.value),
				isDefaultValue: value.isDefaultValue ?? false,
				sortOrder: value.sortOrder ?? index + 1,
				parentValue:
					value.parentValue === undefined || value.parentValue === null
						? ''
						: String(value.parentValue),
				isActive: value.isActive ?? true,
				isSystem: value.isSystem ?? false,
			})),
		}));
		this.apiUsers = [
			{
				username: SANDBOX_IDENTITIES.autotask.username,
				secret: SANDBOX_IDENTITIES.autotask.secret,
				integrationCode: SANDBOX_IDENTITIES.autotask.integrationCode,
				resourceId: DEFAULT_API_USER_RESOURCE_ID,
			},
		];
	}

	/** Adds (or replaces, by username) an API user, e.g. a restricted one for permission tests. */
	addApiUser(user: AutotaskApiUser): AutotaskApiUser {
		this.apiUsers = this.apiUsers.filter(
			(u) => u.username.toLowerCase() !== user.username.toLowerCase(),
		);
		this.apiUsers.push(user);
		return user;
	}

	apiUser(username: string | undefined): AutotaskApiUser | undefined {
		if (!username) return undefined;
		const wanted = username.trim().toLowerCase();
		return this.apiUsers.find((u) => u.username.toLowerCase() === wanted && u.active !== false);
	}

	may(user: AutotaskApiUser, entity: EntityDefinition, action: AccessAction): boolean {
		if (!user.permissions) return true;
		const rights = Object.entries(user.permissions).find(
			([name]) => entityByRoute(name) === entity,
		)?.[1];
		return rights?.[action] === true;
	}

	rows(entity: EntityDefinition): Row[] {
		const webhookRows = this.ticketWebhooks.rows(entity.seedFile);
		if (webhookRows) return webhookRows;
		const key = entity.seedFile as keyof Pick<
			AutotaskState,
			| 'companies'
			| 'contacts'
			| 'resources'
			| 'tickets'
			| 'ticketNotes'
			| 'configurationItems'
			| 'timeEntries'
		>;
		return (this.deviceRows as Record<string, Row[]>)[entity.seedFile] ?? this[key];
	}

	find(entity: EntityDefinition, id: unknown): Row | undefined {
		const n = Number(id);
		if (!Number.isFinite(n)) return undefined;
		return this.rows(entity).find((row) => Number(row.id) === n);
	}

	/** Field metadata with the seed's picklist overrides applied. */
	fields(entity: EntityDefinition): FieldInfo[] {
		return entity.fields.map((base) => {
			if (entity.route === 'TicketWebhookUdfFields' && base.name === 'udfFieldID') {
				// The tenant's ticket UDFs are what a webhook UDF field can name.
				return {
					...base,
					isPickList: true,
					picklistValues: picklist(this.ticketWebhooks.udfFieldIds()),
				};
			}
			const length = this.fieldLengths.find(
				(entry) =>
					entityByRoute(entry.entity) === entity &&
					entry.field.toLowerCase() === base.name.toLowerCase(),
			);
			const field = this.fieldWithRows(entity, {
				...base,
				...(length && base.dataType === 'string' ? { length: length.length } : {}),
				...this.fieldOverrides[entity.route]?.[base.name],
			});
			const override = this.picklists.find(
				(entry) =>
					entityByRoute(entry.entity) === entity &&
					entry.field.toLowerCase() === field.name.toLowerCase(),
			);
			if (!override) return field;
			return { ...field, isPickList: true, picklistValues: override.values };
		});
	}

	/** A picklist whose values are another entity's rows (configurationItemType: the ConfigurationItemTypes). */
	private fieldWithRows(entity: EntityDefinition, field: FieldInfo): FieldInfo {
		const seedFile = entity.picklistRows?.[field.name];
		const rows = seedFile ? (this.deviceRows as Record<string, Row[]>)[seedFile] : undefined;
		if (!rows?.length) return field;
		return {
			...field,
			isPickList: true,
			picklistValues: rows.map((row, index) => ({
				value: String(row.id),
				label: String(row.name ?? row.id),
				isDefaultValue: false,
				sortOrder: index + 1,
				parentValue: '',
				isActive: row.isActive !== false,
				isSystem: false,
			})),
		};
	}

	/** Names of the UDFs rows of this entity carry. */
	udfNames(entity: EntityDefinition): string[] {
		const names = new Set<string>();
		for (const row of this.rows(entity)) {
			for (const udf of (row.userDefinedFields ?? []) as Array<{
				name?: string;
			}>)
				if (udf.name) names.add(udf.name);
		}
		return [...names];
	}

	/** A row as the API returns it: every field present (null when empty), protected data masked. */
	present(
		entity: EntityDefinition,
		row: Row,
		user: AutotaskApiUser,
		includeFields?: string[],
	): Row {
		const out: Row = {};
		const names = includeFields ?? entity.fields.map((field) => field.name);
		for (const name of names) out[name] = row[name] ?? null;
		if (!includeFields && entity.hasUserDefinedFields) {
			out.userDefinedFields = structuredClone((row.userDefinedFields ?? []) as unknown[]);
		}
		if (entity.route === 'Contacts' && user.protectedData === false) {
			for (const name of PROTECTED_CONTACT_FIELDS) if (name in out) out[name] = null;
		}
		return out;
	}

	dump(): Record<string, unknown[]> {
		return {
			companies: structuredClone(this.companies),
			contacts: structuredClone(this.contacts),
			resources: structuredClone(this.resources),
			tickets: structuredClone(this.tickets),
			ticketNotes: structuredClone(this.ticketNotes),
			configurationItems: structuredClone(this.configurationItems),
			timeEntries: structuredClone(this.timeEntries),
			picklists: structuredClone(this.picklists),
			fieldLengths: structuredClone(this.fieldLengths),
			ticketWebhooks: this.ticketWebhooks.dump(),
			ticketEvents: structuredClone(this.ticketEvents),
			...structuredClone(this.deviceRows),
		};
	}

	/** Ticket webhook callouts queued and not yet delivered, oldest first. */
	pendingWebhookDeliveries(): OutboundDelivery[] {
		return this.ticketWebhooks.pending();
	}

	/**
	 * Posts the queued callouts in order (to `options.url` instead of each webhook's URL if given);
	 * delivered ones leave the queue, failed ones stay and their result names the URL.
	 */
	async deliverWebhooks(options?: DeliverOptions): Promise<DeliveryResult[]> {
		return await this.ticketWebhooks.deliver(options);
	}
}
