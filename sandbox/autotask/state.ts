/**
 * The Autotask sandbox's live state and its write rules: which fields a write may carry, what is
 * required, how long a value may be, which references must exist, what Autotask fills in itself
 * (ids, dates, ticket numbers, creators). Vendor-native rows: tests may read and change them.
 */
import { SANDBOX_IDENTITIES } from '../credentials';
import { entityByRoute } from './fields';
import type { EntityDefinition, FieldInfo, PickListValue } from './fields';
import { AutotaskFault, invalid } from './query';

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

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

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
		return this[key];
	}

	find(entity: EntityDefinition, id: unknown): Row | undefined {
		const n = Number(id);
		if (!Number.isFinite(n)) return undefined;
		return this.rows(entity).find((row) => Number(row.id) === n);
	}

	/** Field metadata with the seed's picklist overrides applied. */
	fields(entity: EntityDefinition): FieldInfo[] {
		return entity.fields.map((field) => {
			const override = this.picklists.find(
				(entry) =>
					entityByRoute(entry.entity) === entity &&
					entry.field.toLowerCase() === field.name.toLowerCase(),
			);
			if (!override) return field;
			return { ...field, isPickList: true, picklistValues: override.values };
		});
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
		};
	}

	// ---------------------------------------------------------------------------------------
	// Writes

	private nextId(entity: EntityDefinition): number {
		const base: Record<string, number> = {
			Contacts: 30682000,
			Tickets: 7400,
			TicketNotes: 31200,
			TimeEntries: 52000,
		};
		const max = this.rows(entity).reduce(
			(m, row) => Math.max(m, Number(row.id) || 0),
			base[entity.route] ?? 1000,
		);
		return max + 1;
	}

	private stamp(): string {
		return this.now().toISOString();
	}

	/** The fields a write body sets, type-checked, with read-only fields dropped as Autotask drops them. */
	private changesOf(
		entity: EntityDefinition,
		body: unknown,
	): { changes: Row; udfs?: Array<{ name: string; value: string | null }> } {
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw invalid(`The request body must be a ${entity.name} object.`);
		}
		const fields = this.fields(entity);
		const changes: Row = {};
		let udfs: Array<{ name: string; value: string | null }> | undefined;
		for (const [key, value] of Object.entries(body as Row)) {
			if (key.toLowerCase() === 'id') continue;
			if (key.toLowerCase() === 'userdefinedfields' && entity.hasUserDefinedFields) {
				if (!Array.isArray(value))
					throw invalid('userDefinedFields must be an array of {name, value}.');
				udfs = value.map((udf: { name?: unknown; value?: unknown }) => ({
					name: String(udf?.name ?? ''),
					value: udf?.value === null || udf?.value === undefined ? null : String(udf.value),
				}));
				continue;
			}
			const field = fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
			if (!field) throw invalid(`Unable to find ${key} in the ${entity.name} Entity.`);
			// Read-only fields in a body are ignored (impersonatorCreatorResourceID, createDate...).
			if (field.isReadOnly) continue;
			changes[field.name] = coerce(entity, field, value);
		}
		return { changes, udfs };
	}

	private checkRequired(entity: EntityDefinition, row: Row, only?: string[]): void {
		const missing = this.fields(entity)
			.filter(
				(field) => field.isRequired && !field.isReadOnly && (!only || only.includes(field.name)),
			)
			.filter(
				(field) =>
					row[field.name] === null || row[field.name] === undefined || row[field.name] === '',
			)
			.map((field) => `${field.name}: Value is required.`);
		if (missing.length) throw new AutotaskFault(500, missing);
	}

	/** Reference fields must point at a record that exists (and, for contacts and resources, is active). */
	private checkReferences(entity: EntityDefinition, row: Row, changed: string[]): void {
		const targets: Record<string, { entity: EntityDefinition; activeField?: string }> = {
			Company: { entity: entityByRoute('Companies')! },
			Contact: { entity: entityByRoute('Contacts')!, activeField: 'isActive' },
			Resource: {
				entity: entityByRoute('Resources')!,
				activeField: 'isActive',
			},
			ConfigurationItem: { entity: entityByRoute('ConfigurationItems')! },
			Ticket: { entity: entityByRoute('Tickets')! },
		};
		for (const field of this.fields(entity)) {
			if (!field.isReference || field.isReadOnly || !changed.includes(field.name)) continue;
			const value = row[field.name];
			if (value === null || value === undefined) continue;
			const target = targets[field.referenceEntityType];
			if (!target) continue;
			const found = this.find(target.entity, value);
			const active =
				found &&
				(!target.activeField ||
					(found[target.activeField] !== 0 && found[target.activeField] !== false));
			if (!found || !active) {
				throw invalid(`${field.name}: Value ${String(value)} does not exist or is invalid.`);
			}
		}
	}

	private checkPicklistParents(entity: EntityDefinition, row: Row, changed: string[]): void {
		for (const field of this.fields(entity)) {
			if (!field.isPickList || !field.picklistParentValueField) continue;
			if (!changed.includes(field.name) && !changed.includes(field.picklistParentValueField))
				continue;
			const value = row[field.name];
			if (value === null || value === undefined) continue;
			const entry = field.picklistValues?.find((v) => v.value === String(value));
			const parent = row[field.picklistParentValueField];
			if (entry?.parentValue && String(parent ?? '') !== entry.parentValue) {
				throw invalid(
					`${field.name}: Value ${String(value)} does not belong to ${field.picklistParentValueField} ${String(parent ?? 'null')}.`,
				);
			}
		}
	}

	private creator(actor: Actor): number {
		return actor.impersonatedResourceId ?? actor.user.resourceId;
	}

	/** POST /Companies/{companyId}/Contacts */
	createContact(companyId: string, body: unknown, actor: Actor): number {
		const contacts = entityByRoute('Contacts')!;
		const company = this.companyOf(companyId);
		const { changes, udfs } = this.changesOf(contacts, body);
		this.checkCompanyField(changes, company);
		const row: Row = { ...changes, companyID: Number(company.id) };
		this.checkRequired(contacts, row);
		this.checkContactValues(row);
		this.checkReferences(contacts, row, Object.keys(changes));
		const now = this.stamp();
		row.id = this.nextId(contacts);
		row.createDate = now;
		row.lastModifiedDate = now;
		row.lastActivityDate = now;
		row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
		if (udfs) row.userDefinedFields = udfs;
		this.contacts.push(row);
		return row.id as number;
	}

	/** PATCH (only sent fields change) or PUT (omitted writable fields become null) of a contact. */
	updateContact(companyId: string, body: unknown, mode: 'patch' | 'put'): number {
		const contacts = entityByRoute('Contacts')!;
		const company = this.companyOf(companyId);
		const existing = this.existingFor(contacts, body);
		if (Number(existing.companyID) !== Number(company.id)) {
			throw invalid(
				`id: Value ${String(existing.id)} does not exist or is invalid for company ${String(company.id)}.`,
			);
		}
		const { changes, udfs } = this.changesOf(contacts, body);
		this.checkCompanyField(changes, company);
		const row = this.merge(contacts, existing, changes, mode);
		row.companyID = existing.companyID;
		this.checkRequired(contacts, row, mode === 'patch' ? Object.keys(changes) : undefined);
		this.checkContactValues(row);
		this.checkReferences(contacts, row, Object.keys(changes));
		row.lastModifiedDate = this.stamp();
		if (udfs) row.userDefinedFields = mergeUdfs(existing.userDefinedFields, udfs);
		Object.keys(existing).forEach((key) => delete existing[key]);
		Object.assign(existing, row);
		return existing.id as number;
	}

	/** DELETE /Companies/{companyId}/Contacts/{id} */
	deleteContact(companyId: string, id: string): number {
		const contacts = entityByRoute('Contacts')!;
		const company = this.companyOf(companyId);
		const existing = this.find(contacts, id);
		if (!existing || Number(existing.companyID) !== Number(company.id)) {
			throw new AutotaskFault(404, [
				`Contact ${id} was not found for company ${String(company.id)}.`,
			]);
		}
		if (this.tickets.some((ticket) => Number(ticket.contactID) === Number(id))) {
			throw invalid(
				'The contact cannot be deleted because it is the contact of one or more tickets.',
			);
		}
		this.contacts = this.contacts.filter((row) => row !== existing);
		return Number(id);
	}

	/** POST /Tickets */
	createTicket(body: unknown, actor: Actor): number {
		const tickets = entityByRoute('Tickets')!;
		const { changes, udfs } = this.changesOf(tickets, body);
		const row: Row = { ...changes };
		this.checkRequired(tickets, row);
		this.checkTicket(row, Object.keys(changes));
		const now = this.stamp();
		row.id = this.nextId(tickets);
		row.ticketNumber = this.nextTicketNumber();
		row.createDate = now;
		row.lastActivityDate = now;
		row.lastTrackedModificationDateTime = now;
		row.creatorResourceID = this.creator(actor);
		row.creatorType = 1;
		row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
		if (Number(row.status) === 5) {
			row.completedDate = now;
			row.completedByResourceID = this.creator(actor);
		}
		if (udfs) row.userDefinedFields = udfs;
		this.tickets.push(row);
		return row.id as number;
	}

	/** PATCH /Tickets or PUT /Tickets */
	updateTicket(body: unknown, mode: 'patch' | 'put', actor: Actor): number {
		const tickets = entityByRoute('Tickets')!;
		const existing = this.existingFor(tickets, body);
		const { changes, udfs } = this.changesOf(tickets, body);
		const row = this.merge(tickets, existing, changes, mode);
		this.checkRequired(tickets, row, mode === 'patch' ? Object.keys(changes) : undefined);
		this.checkTicket(row, Object.keys(changes));
		const now = this.stamp();
		row.lastActivityDate = now;
		row.lastTrackedModificationDateTime = now;
		row.lastActivityResourceID = this.creator(actor);
		const wasComplete = Number(existing.status) === 5;
		const isComplete = Number(row.status) === 5;
		if (isComplete && !wasComplete) {
			row.completedDate = now;
			row.completedByResourceID = this.creator(actor);
		} else if (!isComplete && wasComplete) {
			row.completedDate = null;
			row.completedByResourceID = null;
		}
		if (udfs) row.userDefinedFields = mergeUdfs(existing.userDefinedFields, udfs);
		Object.keys(existing).forEach((key) => delete existing[key]);
		Object.assign(existing, row);
		return existing.id as number;
	}

	/** POST /Tickets/{ticketId}/Notes */
	createTicketNote(ticketId: string, body: unknown, actor: Actor): number {
		const notes = entityByRoute('TicketNotes')!;
		const ticket = this.ticketOf(ticketId);
		const { changes } = this.changesOf(notes, body);
		if (
			changes.ticketID !== undefined &&
			changes.ticketID !== null &&
			Number(changes.ticketID) !== Number(ticket.id)
		) {
			throw invalid(
				`ticketID: Value ${String(changes.ticketID)} does not match the parent ticket ${String(ticket.id)}.`,
			);
		}
		const row: Row = { ...changes, ticketID: Number(ticket.id) };
		this.checkRequired(notes, row);
		const now = this.stamp();
		row.id = this.nextId(notes);
		row.createDateTime = now;
		row.lastActivityDate = now;
		row.creatorResourceID = this.creator(actor);
		row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
		this.ticketNotes.push(row);
		ticket.lastActivityDate = now;
		return row.id as number;
	}

	/** PATCH or PUT /Tickets/{ticketId}/Notes */
	updateTicketNote(ticketId: string, body: unknown, mode: 'patch' | 'put', actor: Actor): number {
		const notes = entityByRoute('TicketNotes')!;
		const ticket = this.ticketOf(ticketId);
		const existing = this.existingFor(notes, body);
		if (Number(existing.ticketID) !== Number(ticket.id)) {
			throw invalid(
				`id: Value ${String(existing.id)} does not exist or is invalid for ticket ${String(ticket.id)}.`,
			);
		}
		const { changes } = this.changesOf(notes, body);
		const row = this.merge(notes, existing, changes, mode);
		row.ticketID = existing.ticketID;
		this.checkRequired(notes, row, mode === 'patch' ? Object.keys(changes) : undefined);
		row.lastActivityDate = this.stamp();
		row.impersonatorUpdaterResourceID = actor.impersonatedResourceId ?? null;
		Object.keys(existing).forEach((key) => delete existing[key]);
		Object.assign(existing, row);
		return existing.id as number;
	}

	private merge(entity: EntityDefinition, existing: Row, changes: Row, mode: 'patch' | 'put'): Row {
		const row: Row = { ...existing };
		if (mode === 'put') {
			for (const field of this.fields(entity)) if (!field.isReadOnly) row[field.name] = null;
		}
		return Object.assign(row, changes);
	}

	private existingFor(entity: EntityDefinition, body: unknown): Row {
		const id =
			body && typeof body === 'object'
				? Object.entries(body as Row).find(([key]) => key.toLowerCase() === 'id')?.[1]
				: undefined;
		if (id === undefined || id === null || id === '') throw invalid('id: Value is required.');
		const existing = this.find(entity, id);
		if (!existing) throw invalid(`id: Value ${String(id)} does not exist or is invalid.`);
		return existing;
	}

	private companyOf(companyId: string): Row {
		const company = this.find(entityByRoute('Companies')!, companyId);
		if (!company) throw invalid(`companyID: Value ${companyId} does not exist or is invalid.`);
		return company;
	}

	private ticketOf(ticketId: string): Row {
		const ticket = this.find(entityByRoute('Tickets')!, ticketId);
		if (!ticket) throw invalid(`ticketID: Value ${ticketId} does not exist or is invalid.`);
		return ticket;
	}

	/** A contact's company comes from the URL and cannot be changed afterwards. */
	private checkCompanyField(changes: Row, company: Row): void {
		if (
			changes.companyID !== undefined &&
			changes.companyID !== null &&
			Number(changes.companyID) !== Number(company.id)
		) {
			throw invalid(
				`companyID: The company of a contact cannot be changed (Value ${String(changes.companyID)}; company in the URL: ${String(company.id)}).`,
			);
		}
	}

	private checkContactValues(row: Row): void {
		if (row.isActive !== 0 && row.isActive !== 1) {
			throw invalid(
				`isActive: Value ${String(row.isActive)} is invalid; use 1 (active) or 0 (inactive).`,
			);
		}
		for (const name of ['emailAddress', 'emailAddress2', 'emailAddress3']) {
			const value = row[name];
			if (typeof value === 'string' && value !== '' && !EMAIL_SHAPE.test(value)) {
				throw invalid(`${name}: '${value}' is not a valid email address.`); // [U] wording
			}
		}
	}

	private checkTicket(row: Row, changed: string[]): void {
		const tickets = entityByRoute('Tickets')!;
		this.checkReferences(tickets, row, changed);
		this.checkPicklistParents(tickets, row, changed);
		if (
			(row.assignedResourceID === null || row.assignedResourceID === undefined) !==
			(row.assignedResourceRoleID === null || row.assignedResourceRoleID === undefined)
		) {
			throw invalid(
				'When assigning a Resource, you must assign both a assignedResourceID and assignedResourceRoleID.',
			);
		}
		const companyId = Number(row.companyID);
		if (changed.includes('contactID') || changed.includes('companyID')) {
			const contact =
				row.contactID === null || row.contactID === undefined
					? undefined
					: this.find(entityByRoute('Contacts')!, row.contactID);
			if (contact && Number(contact.companyID) !== companyId) {
				throw invalid(
					`contactID: Value ${String(row.contactID)} does not belong to company ${companyId}.`,
				);
			}
		}
		if (changed.includes('configurationItemID') || changed.includes('companyID')) {
			const ci =
				row.configurationItemID === null || row.configurationItemID === undefined
					? undefined
					: this.find(entityByRoute('ConfigurationItems')!, row.configurationItemID);
			if (ci && Number(ci.companyID) !== companyId) {
				throw invalid(
					`configurationItemID: Value ${String(row.configurationItemID)} does not belong to company ${companyId}.`,
				);
			}
		}
	}

	private nextTicketNumber(): string {
		const day = this.now().toISOString().slice(0, 10).replace(/-/g, '');
		const prefix = `T${day}.`;
		const taken = this.tickets
			.map((ticket) => String(ticket.ticketNumber ?? ''))
			.filter((number) => number.startsWith(prefix))
			.map((number) => Number(number.slice(prefix.length)) || 0);
		const next = (taken.length ? Math.max(...taken) : 0) + 1;
		return `${prefix}${String(next).padStart(4, '0')}`;
	}
}

/** A write value converted to the field's type, or the vendor's 500 when it cannot be. */
function coerce(entity: EntityDefinition, field: FieldInfo, value: unknown): unknown {
	if (value === null || value === undefined) return null;
	let out: unknown;
	switch (field.dataType) {
		case 'integer':
		case 'long':
		case 'short': {
			const n =
				typeof value === 'number'
					? value
					: typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
						? Number(value)
						: NaN;
			if (!Number.isInteger(n))
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to an integer.`,
				);
			out = n;
			break;
		}
		case 'double':
		case 'decimal': {
			const n = typeof value === 'boolean' ? NaN : Number(value);
			if (!Number.isFinite(n))
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to a number.`,
				);
			out = n;
			break;
		}
		case 'boolean':
			if (typeof value === 'boolean') out = value;
			else if (typeof value === 'string' && /^(true|false)$/i.test(value))
				out = value.toLowerCase() === 'true';
			else
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to a boolean.`,
				);
			break;
		case 'datetime': {
			const time = typeof value === 'string' ? Date.parse(value) : NaN;
			if (!Number.isFinite(time))
				throw invalid(`${field.name}: Value '${String(value)}' is not a valid date and time.`);
			out = new Date(time).toISOString();
			break;
		}
		default: {
			if (typeof value === 'object') throw invalid(`${field.name}: Value must be text.`);
			const text = String(value);
			if (field.length && text.length > field.length) {
				throw invalid(
					`${entity.name}.${field.name}: Value exceeds the maximum length of ${field.length} characters (got ${text.length}).`,
				);
			}
			out = text;
		}
	}
	if (field.isPickList && field.picklistValues) {
		const active = field.picklistValues.filter((v) => v.isActive);
		if (!active.some((v) => v.value === String(out))) {
			throw invalid(`${field.name}: Value ${String(out)} is not a valid picklist value.`);
		}
	}
	return out;
}

function mergeUdfs(
	existing: unknown,
	changes: Array<{ name: string; value: string | null }>,
): Array<{ name: string; value: string | null }> {
	const out = structuredClone((existing ?? []) as Array<{ name: string; value: string | null }>);
	for (const change of changes) {
		const found = out.find((udf) => udf.name.toLowerCase() === change.name.toLowerCase());
		if (found) found.value = change.value;
		else out.push(change);
	}
	return out;
}
