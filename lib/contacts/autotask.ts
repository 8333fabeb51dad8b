/**
 * Autotask contact ↔ the canonical contact, and the rules for what a write may carry: blank means
 * "not given" (never "clear"), clearing is explicit, addresses are checked per field, lengths are
 * checked against a conservative floor first and against the tenant's field metadata only when a
 * value is longer than that floor (so ordinary syncs never pay for a metadata call).
 */
import type { AutotaskFieldInfo, AutotaskFilter } from '../transport/autotask';
import { AUTOTASK_CONTACT_EMAIL_FIELDS } from '../transport/autotask';
import { InputError } from '../transport/http';
import type { CanonicalContact, ContactPlanItem, FieldLimits, SyncField } from './canonical';
import { PLAN_CHANGE_LABELS, planChanges } from './canonical';
import { truncateToLimit } from './fieldLimits';
import type { TruncatedValue } from './fieldLimits';
import { cleanText, isBlank, normalizeEmail, optionalEmail, uniqueEmails } from './normalize';

/** A Contacts row as Autotask returns it (ContactModel). */
export interface AutotaskContact {
	id: number;
	companyID?: number | null;
	firstName?: string | null;
	lastName?: string | null;
	title?: string | null;
	emailAddress?: string | null;
	emailAddress2?: string | null;
	emailAddress3?: string | null;
	phone?: string | null;
	mobilePhone?: string | null;
	alternatePhone?: string | null;
	/** 1 active, 0 inactive: an integer on Contacts (a boolean on every other entity). */
	isActive?: number | boolean | null;
	[field: string]: unknown;
}

/** Contacts are written through their company; `/Contacts` itself is read-only. */
export function companyContactsPath(companyId: string | number): string {
	return `/Companies/${encodeURIComponent(String(companyId))}/Contacts`;
}

export function isActiveContact(contact: Pick<AutotaskContact, 'isActive'>): boolean {
	return contact.isActive === 1 || contact.isActive === true;
}

/**
 * The creation mark on a contact the sync creates: its `externalID` (50 characters) starts with
 * this, followed by the Microsoft 365 user id (docs/adr/contact-creation-mark.md).
 */
export const AUTOTASK_SYNC_MARK = 'n8n-msp-sync:';

export function autotaskSyncMark(sourceId: string): string {
	return `${AUTOTASK_SYNC_MARK}${sourceId}`.slice(0, 50);
}

export function autotaskToCanonical(contact: AutotaskContact): CanonicalContact {
	const emails = uniqueEmails([contact.emailAddress, contact.emailAddress2, contact.emailAddress3]);
	const marked = String(contact.externalID ?? '').startsWith(AUTOTASK_SYNC_MARK);
	return {
		system: 'autotask',
		id: String(contact.id ?? ''),
		companyId:
			contact.companyID === null || contact.companyID === undefined
				? ''
				: String(contact.companyID),
		email: normalizeEmail(contact.emailAddress) || emails[0] || '',
		emails,
		firstName: cleanText(contact.firstName),
		lastName: cleanText(contact.lastName),
		title: cleanText(contact.title),
		phone: cleanText(contact.phone),
		mobile: cleanText(contact.mobilePhone),
		active: isActiveContact(contact),
		...(marked ? { createdBySync: true } : {}),
	};
}

/** The contact's three addresses, normalized ('' where a field holds none). */
export function contactEmails(contact: AutotaskContact): string[] {
	return AUTOTASK_CONTACT_EMAIL_FIELDS.map((field) => normalizeEmail(contact[field]));
}

// ---------------------------------------------------------------------------------------------
// Writable fields

export interface ContactFieldSpec {
	/** Autotask's field name. */
	field: string;
	/** The node's display name (errors name it). */
	label: string;
	/**
	 * The smallest length Autotask's documentation gives for the field (older tenants have shorter
	 * fields); a value at or under it is safe without reading the tenant's field metadata.
	 */
	floor: number;
	/** Whether Update may clear it (required fields cannot be cleared). */
	clearable: boolean;
	email?: boolean;
}

export const AUTOTASK_CONTACT_FIELDS: ContactFieldSpec[] = [
	{ field: 'firstName', label: 'First Name', floor: 20, clearable: false },
	{ field: 'lastName', label: 'Last Name', floor: 20, clearable: false },
	{ field: 'emailAddress', label: 'Email', floor: 50, clearable: true, email: true },
	{ field: 'emailAddress2', label: 'Email 2', floor: 50, clearable: true, email: true },
	{ field: 'emailAddress3', label: 'Email 3', floor: 50, clearable: true, email: true },
	{ field: 'title', label: 'Title', floor: 50, clearable: true },
	{ field: 'phone', label: 'Phone', floor: 25, clearable: true },
	{ field: 'mobilePhone', label: 'Mobile Phone', floor: 25, clearable: true },
	{ field: 'alternatePhone', label: 'Alternate Phone', floor: 25, clearable: true },
	{ field: 'extension', label: 'Extension', floor: 10, clearable: true },
	{ field: 'faxNumber', label: 'Fax Number', floor: 25, clearable: true },
	{ field: 'addressLine', label: 'Address Line 1', floor: 50, clearable: true },
	{ field: 'addressLine1', label: 'Address Line 2', floor: 50, clearable: true },
	{ field: 'city', label: 'City', floor: 30, clearable: true },
	{ field: 'state', label: 'State', floor: 25, clearable: true },
	{ field: 'zipCode', label: 'Zip Code', floor: 10, clearable: true },
	{ field: 'roomNumber', label: 'Room Number', floor: 10, clearable: true },
	{ field: 'externalID', label: 'External ID', floor: 50, clearable: true },
	{ field: 'note', label: 'Note', floor: 1000, clearable: true },
];

const SPEC_BY_FIELD = new Map(AUTOTASK_CONTACT_FIELDS.map((spec) => [spec.field, spec]));

/** Canonical sync fields → Autotask fields. */
export const CANONICAL_TO_AUTOTASK: Record<SyncField, string> = {
	firstName: 'firstName',
	lastName: 'lastName',
	title: 'title',
	phone: 'phone',
	mobile: 'mobilePhone',
	email: 'emailAddress',
};

const AUTOTASK_TO_CANONICAL = new Map(
	Object.entries(CANONICAL_TO_AUTOTASK).map(([canonical, field]) => [field, canonical]),
);

export interface ContactWrite {
	/** Autotask field → value to write; never a blank. */
	fields: Record<string, string>;
	/** Fields the user explicitly chose to clear (written as null). */
	clear: string[];
	/** 1 / 0 when the write sets the active flag. */
	isActive?: 0 | 1;
	/** Fields longer than their floor: their real limit must be read from the tenant's metadata. */
	overFloor: string[];
	/** How errors name a field, when not by the node's label (a plan item's "changes.title"). */
	labels?: Record<string, string>;
}

export function labelOf(field: string, labels?: Record<string, string>): string {
	return labels?.[field] ?? SPEC_BY_FIELD.get(field)?.label ?? field;
}

/**
 * Turns what the user (or a plan item) asked for into a write: blanks dropped, text cleaned,
 * addresses checked and normalized per field, required fields present on create.
 */
export function prepareContactWrite(
	raw: Record<string, unknown>,
	options: {
		creating: boolean;
		clear?: string[];
		active?: boolean;
		labels?: Record<string, string>;
	},
): ContactWrite {
	const { labels } = options;
	const fields: Record<string, string> = {};
	const overFloor: string[] = [];
	for (const [field, value] of Object.entries(raw)) {
		if (isBlank(value)) continue;
		const spec = SPEC_BY_FIELD.get(field);
		let text = cleanText(value);
		if (spec?.email) {
			const email = normalizeEmail(text);
			if (!email) {
				const label = labelOf(field, labels);
				throw new InputError(
					label,
					`${label} "${text}" is not a valid email address`,
					'Enter an address like name@example.com, or leave the field empty.',
				);
			}
			text = email;
		}
		fields[field] = text;
		if (spec && text.length > spec.floor) overFloor.push(field);
	}
	if (options.creating) {
		// Autotask's own required fields (companyID and isActive are the caller's); an email is not one.
		for (const field of ['firstName', 'lastName']) {
			if (!fields[field]) {
				const label = labelOf(field, labels);
				throw new InputError(
					label,
					`${label} is required to create an Autotask contact`,
					`Enter the contact's ${labelOf(field).toLowerCase()}.`,
				);
			}
		}
	}
	const clear = (options.clear ?? []).filter((field) => !(field in fields));
	for (const field of clear) {
		const spec = SPEC_BY_FIELD.get(field);
		if (!spec?.clearable) {
			throw new InputError(
				'Fields to Clear',
				`${labelOf(field)} cannot be cleared: Autotask requires it`,
				'Remove it from "Fields to Clear".',
			);
		}
	}
	const write: ContactWrite = { fields, clear, overFloor };
	if (labels) write.labels = labels;
	if (options.active !== undefined) write.isActive = options.active ? 1 : 0;
	return write;
}

/** The tenant's length of an Autotask field, from its field metadata (0 = not stated). */
function lengthOf(metadata: AutotaskFieldInfo[], field: string): number {
	const info = metadata.find((candidate) => candidate.name.toLowerCase() === field.toLowerCase());
	return info?.length ?? 0;
}

/** Checks the over-floor values against the tenant's real field lengths. */
export function checkContactLengths(write: ContactWrite, metadata: AutotaskFieldInfo[]): void {
	for (const field of write.overFloor) {
		const max = lengthOf(metadata, field);
		const value = write.fields[field];
		if (!max || value.length <= max) continue;
		const label = labelOf(field, write.labels);
		throw new InputError(
			label,
			`${label} is ${value.length} characters long; this Autotask tenant allows at most ${max}`,
			`Shorten "${label}" to ${max} characters or fewer.`,
		);
	}
}

/**
 * A sync's write (a plan item): over-floor values longer than the tenant's field allows are cut
 * at its length (lib/contacts/fieldLimits.ts) and listed, so the contact is still written. An
 * address cannot be cut: it stays an error.
 */
export function truncateContactWrite(
	write: ContactWrite,
	metadata: AutotaskFieldInfo[],
): TruncatedValue[] {
	const truncated: TruncatedValue[] = [];
	for (const field of write.overFloor) {
		const max = lengthOf(metadata, field);
		const value = write.fields[field];
		if (!max || value.length <= max) continue;
		if (SPEC_BY_FIELD.get(field)?.email) {
			checkContactLengths({ ...write, overFloor: [field] }, metadata);
			continue;
		}
		const written = truncateToLimit(value, max);
		write.fields[field] = written;
		const name = AUTOTASK_TO_CANONICAL.get(field) ?? field;
		truncated.push({ field: name, limit: max, length: value.length, written });
	}
	return truncated;
}

/** The sync fields' lengths in the tenant's field metadata (Contact Reconcile compares with them). */
export function autotaskFieldLimits(metadata: AutotaskFieldInfo[]): FieldLimits {
	const limits: FieldLimits = {};
	for (const [canonical, field] of Object.entries(CANONICAL_TO_AUTOTASK) as Array<
		[SyncField, string]
	>) {
		const max = lengthOf(metadata, field);
		if (max) limits[canonical] = max;
	}
	return limits;
}

/** The JSON body of a create or PATCH (id and companyID added by the caller). */
export function contactBody(write: ContactWrite): Record<string, unknown> {
	const body: Record<string, unknown> = { ...write.fields };
	for (const field of write.clear) body[field] = null;
	if (write.isActive !== undefined) body.isActive = write.isActive;
	return body;
}

export function checkCompanyId(value: unknown, label = 'Company'): string {
	const text = cleanText(value);
	if (!text)
		throw new InputError(
			label,
			`${label} is missing`,
			'Pick the company from the list, or enter its numeric Autotask ID.',
		);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
		throw new InputError(
			label,
			`${label} "${text}" is not an Autotask company ID`,
			'Pick the company from the list, or enter its numeric Autotask ID.',
		);
	}
	return text;
}

export function checkContactId(value: unknown, label = 'Contact'): number {
	const text = cleanText(value);
	if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
		throw new InputError(
			label,
			text ? `${label} "${text}" is not an Autotask contact ID` : `${label} is missing`,
			'Pick the contact from the list, or enter its numeric Autotask ID.',
		);
	}
	return Number(text);
}

// ---------------------------------------------------------------------------------------------
// Contact Reconcile plan items

/**
 * The write a plan item asks for (see planChanges): its changes under Autotask's field names, a
 * new contact active unless the plan says otherwise; errors name the plan's fields.
 */
export function planToWrite(plan: ContactPlanItem): ContactWrite {
	const changes = planChanges(plan);
	const fields: Record<string, string> = {};
	const labels: Record<string, string> = {};
	for (const [canonical, field] of Object.entries(CANONICAL_TO_AUTOTASK) as Array<
		[SyncField, string]
	>) {
		labels[field] = PLAN_CHANGE_LABELS[canonical];
		const value = changes[canonical];
		if (value !== undefined) fields[field] = value;
	}
	const creating = plan.action === 'create';
	const active = changes.active ?? (creating ? true : undefined);
	const write = prepareContactWrite(fields, { creating, active, labels });
	if (creating) write.fields.externalID = autotaskSyncMark(plan.sourceId);
	return write;
}

/** What a contact looks like after a write, when it cannot be read back. */
export function contactFromWrite(
	id: number,
	companyId: string,
	write: ContactWrite,
	before: Partial<AutotaskContact> = {},
): AutotaskContact {
	const contact: AutotaskContact = { ...before, id, companyID: Number(companyId) };
	Object.assign(contact, write.fields);
	for (const field of write.clear) contact[field] = null;
	if (write.isActive !== undefined) contact.isActive = write.isActive;
	return contact;
}

// ---------------------------------------------------------------------------------------------
// Get Many filters

export interface ContactFilters {
	companyId?: string;
	email?: string;
	status?: 'active' | 'inactive' | 'all';
	name?: string;
	/** ISO date-time. */
	modifiedSince?: string;
}

/** Autotask filter conditions for the node's Get Many filters (ANDed; raw filters are appended). */
export function contactFilter(filters: ContactFilters): AutotaskFilter[] {
	const out: AutotaskFilter[] = [];
	if (filters.companyId)
		out.push({
			op: 'eq',
			field: 'companyID',
			value: Number(checkCompanyId(filters.companyId, 'Company ID')),
		});
	const email = optionalEmail(filters.email, 'Email');
	if (email) {
		out.push({
			op: 'or',
			items: AUTOTASK_CONTACT_EMAIL_FIELDS.map((field) => ({ op: 'eq', field, value: email })),
		});
	}
	if (filters.status === 'active') out.push({ op: 'eq', field: 'isActive', value: 1 });
	if (filters.status === 'inactive') out.push({ op: 'eq', field: 'isActive', value: 0 });
	const name = cleanText(filters.name);
	if (name) {
		const items: AutotaskFilter[] = [
			{ op: 'contains', field: 'firstName', value: name },
			{ op: 'contains', field: 'lastName', value: name },
		];
		const space = name.indexOf(' ');
		if (space > 0) {
			items.push({
				op: 'and',
				items: [
					{ op: 'contains', field: 'firstName', value: name.slice(0, space) },
					{ op: 'contains', field: 'lastName', value: name.slice(space + 1) },
				],
			});
		}
		out.push({ op: 'or', items });
	}
	if (!isBlank(filters.modifiedSince)) {
		const time = Date.parse(String(filters.modifiedSince));
		if (!Number.isFinite(time)) {
			throw new InputError(
				'Last Modified Since',
				`Last Modified Since "${cleanText(filters.modifiedSince)}" is not a date`,
				'Pick a date and time, e.g. 2026-01-31T00:00:00Z.',
			);
		}
		out.push({ op: 'gte', field: 'lastModifiedDate', value: new Date(time).toISOString() });
	}
	return out;
}
