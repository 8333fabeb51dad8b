/**
 * ConnectWise contact ↔ the canonical contact, and the communication-item rules: email and phone
 * numbers live in `communicationItems`, typed by tenant-named communication types ("Direct",
 * "Cell", "Business Email"...); each kind (Email / Phone / Fax) has one default item.
 */
import { InputError } from '../transport/http';
import type { PatchOperation } from '../transport/connectwise';
import type { CanonicalContact, ContactPlanItem } from './canonical';
import { planChanges } from './canonical';
import { cleanText, isBlank, normalizeEmail, phoneDigits, uniqueEmails } from './normalize';

export type CommunicationKind = 'Email' | 'Phone' | 'Fax';

export interface ConnectWiseReference {
	id?: number | null;
	identifier?: string;
	name?: string;
}

export interface ConnectWiseCommunicationItem {
	id: number;
	type?: ConnectWiseReference;
	value?: string;
	extension?: string;
	defaultFlag?: boolean;
	communicationType?: CommunicationKind | null;
	domain?: string;
}

export interface ConnectWiseContact {
	id: number;
	firstName?: string;
	lastName?: string;
	title?: string;
	inactiveFlag?: boolean | null;
	company?: ConnectWiseReference | null;
	communicationItems?: ConnectWiseCommunicationItem[];
	[field: string]: unknown;
}

export interface ConnectWiseCommunicationType {
	id: number;
	description: string;
	emailFlag?: boolean | null;
	phoneFlag?: boolean | null;
	faxFlag?: boolean | null;
	defaultFlag?: boolean | null;
}

/** The plain fields the node offers and the communication types they map to. */
export type CommunicationField = 'email' | 'phone' | 'mobile';

export type CommunicationTypeNames = Record<CommunicationField, string>;

/** [U] common tenant defaults (notes §2.3); every tenant can rename them, so they are options. */
export const DEFAULT_COMMUNICATION_TYPE_NAMES: CommunicationTypeNames = {
	email: 'Email',
	phone: 'Direct',
	mobile: 'Mobile',
};

/** Display names of the node options that hold the type names (errors name them). */
export const COMMUNICATION_TYPE_OPTION_LABELS: Record<CommunicationField, string> = {
	email: 'Email Type Name',
	phone: 'Phone Type Name',
	mobile: 'Mobile Type Name',
};

/** The tenant's types for the fields a write uses (only those are looked up and checked). */
export type ResolvedCommunicationTypes = Partial<
	Record<CommunicationField, ConnectWiseCommunicationType>
>;

/** The fields needed to show a canonical contact: a light payload for lists. */
export const CANONICAL_CONTACT_FIELDS = [
	'id',
	'firstName',
	'lastName',
	'title',
	'inactiveFlag',
	'company',
	'communicationItems',
];

export const CONNECTWISE_CONTACT_PATH = '/company/contacts';

export function kindOfType(type: ConnectWiseCommunicationType): CommunicationKind {
	if (type.emailFlag) return 'Email';
	if (type.faxFlag) return 'Fax';
	return 'Phone';
}

function sameName(a: string | undefined, b: string | undefined): boolean {
	return cleanText(a).toLowerCase() === cleanText(b).toLowerCase() && cleanText(a) !== '';
}

/**
 * The tenant's types for the configured names. A name the tenant does not have, or one of the
 * wrong kind (an email name that is a phone type), is an error that lists what the tenant has.
 */
export function resolveCommunicationTypes(
	types: ConnectWiseCommunicationType[],
	names: CommunicationTypeNames,
	fields: CommunicationField[] = ['email', 'phone', 'mobile'],
): ResolvedCommunicationTypes {
	const listing = types
		.map((type) => `${type.description} (${kindOfType(type).toLowerCase()})`)
		.join(', ');
	const resolve = (field: CommunicationField): ConnectWiseCommunicationType => {
		const label = COMMUNICATION_TYPE_OPTION_LABELS[field];
		const type = types.find((candidate) => sameName(candidate.description, names[field]));
		if (!type) {
			throw new InputError(
				label,
				`The communication type "${names[field]}" does not exist in this ConnectWise tenant. Its types are: ${listing || 'none'}.`,
				`Set "${label}" in the node's options to one of the tenant's types (System > Setup Tables > Communication Types).`,
			);
		}
		const wanted: CommunicationKind = field === 'email' ? 'Email' : 'Phone';
		if (kindOfType(type) !== wanted) {
			throw new InputError(
				label,
				`The communication type "${type.description}" is a ${kindOfType(type).toLowerCase()} type, not ${wanted === 'Email' ? 'an email' : 'a phone'} type. The tenant's types are: ${listing}.`,
				`Set "${label}" to a type whose ${wanted === 'Email' ? 'Email' : 'Phone'} flag is on.`,
			);
		}
		return type;
	};
	const resolved: ResolvedCommunicationTypes = {};
	for (const field of fields) resolved[field] = resolve(field);
	return resolved;
}

function itemKind(item: ConnectWiseCommunicationItem): CommunicationKind | undefined {
	return item.communicationType ?? undefined;
}

function itemsOfType(
	items: ConnectWiseCommunicationItem[],
	name: string,
	type?: ConnectWiseCommunicationType,
): ConnectWiseCommunicationItem[] {
	return items.filter(
		(item) => (type && item.type?.id === type.id) || sameName(item.type?.name, name),
	);
}

function preferDefault(
	items: ConnectWiseCommunicationItem[],
): ConnectWiseCommunicationItem | undefined {
	return items.find((item) => item.defaultFlag) ?? items[0];
}

/**
 * The canonical view: email = the default Email item; emails = every Email item; phone and
 * mobile = the items of the configured phone and mobile types (the default one first).
 * `defaultPhoneNbr` is never used: it can show the company's switchboard (notes §2.2).
 */
export function connectWiseToCanonical(
	contact: ConnectWiseContact,
	names: CommunicationTypeNames = DEFAULT_COMMUNICATION_TYPE_NAMES,
): CanonicalContact {
	const items = contact.communicationItems ?? [];
	const emailItems = items.filter(
		(item) =>
			itemKind(item) === 'Email' ||
			(!item.communicationType && sameName(item.type?.name, names.email)),
	);
	const primary =
		emailItems.find((item) => item.defaultFlag) ??
		itemsOfType(emailItems, names.email)[0] ??
		emailItems[0];
	const email = normalizeEmail(primary?.value);
	return {
		system: 'connectwise',
		id: String(contact.id ?? ''),
		companyId:
			contact.company?.id === undefined || contact.company?.id === null
				? ''
				: String(contact.company.id),
		email,
		emails: uniqueEmails([primary?.value, ...emailItems.map((item) => item.value)]),
		firstName: cleanText(contact.firstName),
		lastName: cleanText(contact.lastName),
		title: cleanText(contact.title),
		phone: cleanText(preferDefault(itemsOfType(items, names.phone))?.value),
		mobile: cleanText(preferDefault(itemsOfType(items, names.mobile))?.value),
		active: contact.inactiveFlag !== true,
		ref: connectWiseRef(items, names) as unknown as Record<string, unknown>,
	};
}

/** The contact's addresses: its Email items, normalized. */
export function contactEmails(contact: ConnectWiseContact): string[] {
	return (contact.communicationItems ?? [])
		.filter((item) => item.communicationType === 'Email')
		.map((item) => normalizeEmail(item.value));
}

// ---------------------------------------------------------------------------------------------
// The canonical contact's ref: what a write needs to know about the contact's items

/**
 * Carried in the canonical contact's opaque `ref` (and by Contact Reconcile into the plan item's
 * `targetRef`), so a plan that changes an email or phone is written without reading the contact
 * first. An id is only given when the write it implies is certain: `0` = the contact has no item
 * of that type (the write creates one); absent = several candidates, the writer reads the contact.
 */
export interface ConnectWiseContactRef {
	/** The type names the ids were picked with ("Email|Direct|Mobile"); a writer configured otherwise reads the contact. */
	typeNames: string;
	/** The contact's only Email item, when it is the default; 0 when it has no Email item. */
	emailItemId?: number;
	/** The only item of the phone type; 0 when there is none. */
	phoneItemId?: number;
	/** The only item of the mobile type; 0 when there is none. */
	mobileItemId?: number;
	/** Whether one of its Phone items is the default (a new phone item becomes the default when none is). */
	phoneDefault: boolean;
}

function typeNamesKey(names: CommunicationTypeNames): string {
	return [names.email, names.phone, names.mobile]
		.map((name) => cleanText(name).toLowerCase())
		.join('|');
}

export function connectWiseRef(
	items: ConnectWiseCommunicationItem[],
	names: CommunicationTypeNames,
): ConnectWiseContactRef {
	const ref: ConnectWiseContactRef = {
		typeNames: typeNamesKey(names),
		phoneDefault: items.some((item) => itemKind(item) === 'Phone' && item.defaultFlag === true),
	};
	const emailItems = items.filter((item) => itemKind(item) === 'Email');
	if (emailItems.length === 0) ref.emailItemId = 0;
	else if (emailItems.length === 1 && emailItems[0].defaultFlag === true)
		ref.emailItemId = emailItems[0].id;
	// Phone and mobile under one type name cannot be told apart without reading the contact.
	if (sameName(names.phone, names.mobile)) return ref;
	for (const field of ['phone', 'mobile'] as const) {
		const ofType = itemsOfType(items, names[field]);
		if (ofType.length <= 1) ref[`${field}ItemId`] = ofType[0]?.id ?? 0;
	}
	return ref;
}

/**
 * The ref, when it settles every communication field the input writes under these type names;
 * undefined otherwise (no ref, another shape, other names, several candidate items).
 */
export function usableConnectWiseRef(
	value: unknown,
	names: CommunicationTypeNames,
	input: ContactInput,
): ConnectWiseContactRef | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const ref = value as Partial<ConnectWiseContactRef>;
	if (ref.typeNames !== typeNamesKey(names) || typeof ref.phoneDefault !== 'boolean')
		return undefined;
	for (const field of communicationFieldsOf(input)) {
		const id = ref[`${field}ItemId`];
		if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return undefined;
	}
	return ref as ConnectWiseContactRef;
}

/** The fields whose item the contact does not have yet (their type id must be looked up to create one). */
export function fieldsToCreate(
	ref: ConnectWiseContactRef,
	input: ContactInput,
): CommunicationField[] {
	return communicationFieldsOf(input).filter((field) => ref[`${field}ItemId`] === 0);
}

/** The communication writes `communicationWrites` would make, from the ref instead of the contact. */
export function communicationWritesFromRef(
	ref: ConnectWiseContactRef,
	input: Pick<ContactInput, CommunicationField>,
	types: ResolvedCommunicationTypes,
): CommunicationWrite[] {
	const writes: CommunicationWrite[] = [];
	if (input.email) {
		const itemId = ref.emailItemId ?? 0;
		writes.push(
			itemId > 0
				? {
						kind: 'update',
						field: 'email',
						itemId,
						operations: [{ op: 'replace', path: 'value', value: input.email }],
					}
				: {
						kind: 'create',
						field: 'email',
						body: {
							type: { id: typeFor(types, 'email').id },
							value: input.email,
							defaultFlag: true,
						},
					},
		);
	}
	let phoneDefault = ref.phoneDefault;
	for (const field of ['phone', 'mobile'] as const) {
		const value = input[field];
		if (!value) continue;
		const itemId = ref[`${field}ItemId`] ?? 0;
		if (itemId > 0) {
			writes.push({
				kind: 'update',
				field,
				itemId,
				operations: [{ op: 'replace', path: 'value', value }],
			});
		} else {
			writes.push({
				kind: 'create',
				field,
				body: { type: { id: typeFor(types, field).id }, value, defaultFlag: !phoneDefault },
			});
			phoneDefault = true;
		}
	}
	return writes;
}

// ---------------------------------------------------------------------------------------------
// Input: what the node (or a plan item) asks to write

export interface ContactInput {
	companyId?: string;
	firstName?: string;
	lastName?: string;
	title?: string;
	email?: string;
	phone?: string;
	mobile?: string;
	addressLine1?: string;
	addressLine2?: string;
	city?: string;
	state?: string;
	zip?: string;
	/** true = inactive. */
	inactive?: boolean;
}

const SCALAR_FIELDS = [
	'firstName',
	'lastName',
	'title',
	'addressLine1',
	'addressLine2',
	'city',
	'state',
	'zip',
] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];

/** [V] ConnectWise's limits (notes §2.2, §2.3); checked before any call. */
export const CONNECTWISE_FIELD_LIMITS: Record<ScalarField | CommunicationField, number> = {
	firstName: 30,
	lastName: 30,
	title: 100,
	addressLine1: 50,
	addressLine2: 50,
	city: 50,
	state: 50,
	zip: 12,
	email: 250,
	phone: 250,
	mobile: 250,
};

export const CONTACT_INPUT_LABELS: Record<keyof ContactInput, string> = {
	companyId: 'Company',
	firstName: 'First Name',
	lastName: 'Last Name',
	title: 'Title',
	email: 'Email',
	phone: 'Phone',
	mobile: 'Mobile',
	addressLine1: 'Address Line 1',
	addressLine2: 'Address Line 2',
	city: 'City',
	state: 'State',
	zip: 'Zip',
	inactive: 'Inactive',
};

/**
 * Cleans the input (blank = not given) and refuses what ConnectWise would refuse, naming the
 * field: a missing first name on create, over-long values, a malformed address, a company id
 * that is not a number.
 */
export function checkContactInput(
	raw: ContactInput,
	options: { creating: boolean; labels?: Partial<Record<keyof ContactInput, string>> },
): ContactInput {
	const labels = { ...CONTACT_INPUT_LABELS, ...options.labels };
	const out: ContactInput = {};
	for (const field of [...SCALAR_FIELDS, 'phone', 'mobile'] as const) {
		const value = cleanText(raw[field]);
		if (!value) continue;
		const max = CONNECTWISE_FIELD_LIMITS[field];
		if (value.length > max) {
			throw new InputError(
				labels[field],
				`${labels[field]} is ${value.length} characters long; ConnectWise allows at most ${max}`,
				`Shorten "${labels[field]}" to ${max} characters or fewer.`,
			);
		}
		out[field] = value;
	}
	if (!isBlank(raw.email)) {
		const email = normalizeEmail(raw.email);
		if (!email) {
			throw new InputError(
				labels.email,
				`${labels.email} "${cleanText(raw.email)}" is not a valid email address`,
				'Enter an address like name@example.com.',
			);
		}
		if (email.length > CONNECTWISE_FIELD_LIMITS.email) {
			throw new InputError(
				labels.email,
				`${labels.email} is ${email.length} characters long; ConnectWise allows at most ${CONNECTWISE_FIELD_LIMITS.email}`,
			);
		}
		out.email = email;
	}
	if (!isBlank(raw.companyId)) {
		const company = cleanText(raw.companyId);
		if (!/^\d+$/.test(company) || !Number.isSafeInteger(Number(company))) {
			throw new InputError(
				labels.companyId,
				`${labels.companyId} "${company}" is not a ConnectWise company ID`,
				'Pick the company from the list, or enter its numeric ID.',
			);
		}
		out.companyId = company;
	}
	if (options.creating && !out.firstName) {
		throw new InputError(
			labels.firstName,
			`${labels.firstName} is required to create a ConnectWise contact`,
			"Enter the contact's first name.",
		);
	}
	if (raw.inactive !== undefined) out.inactive = raw.inactive;
	return out;
}

/** The communication fields a write touches. */
export function communicationFieldsOf(input: ContactInput): CommunicationField[] {
	return (['email', 'phone', 'mobile'] as const).filter((field) => !!input[field]);
}

export function needsCommunicationTypes(input: ContactInput): boolean {
	return communicationFieldsOf(input).length > 0;
}

function typeFor(
	types: ResolvedCommunicationTypes,
	field: CommunicationField,
): ConnectWiseCommunicationType {
	const type = types[field];
	if (!type)
		throw new InputError(
			COMMUNICATION_TYPE_OPTION_LABELS[field],
			`No communication type was resolved for ${field}`,
		);
	return type;
}

/** The POST body of a new contact, email and phones as communication items. */
export function newContactBody(
	input: ContactInput,
	types?: ResolvedCommunicationTypes,
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const field of SCALAR_FIELDS) if (input[field]) body[field] = input[field];
	if (input.companyId) body.company = { id: Number(input.companyId) };
	if (input.inactive !== undefined) body.inactiveFlag = input.inactive;
	const items: Array<Record<string, unknown>> = [];
	if (types) {
		if (input.email)
			items.push({
				type: { id: typeFor(types, 'email').id },
				value: input.email,
				defaultFlag: true,
			});
		if (input.phone)
			items.push({
				type: { id: typeFor(types, 'phone').id },
				value: input.phone,
				defaultFlag: true,
			});
		if (input.mobile)
			items.push({
				type: { id: typeFor(types, 'mobile').id },
				value: input.mobile,
				defaultFlag: !input.phone,
			});
	}
	if (items.length) body.communicationItems = items;
	return body;
}

/** PATCH operations for the scalar fields that change (never a blank, never a sub-path). */
export function contactPatch(input: ContactInput, current?: ConnectWiseContact): PatchOperation[] {
	const operations: PatchOperation[] = [];
	for (const field of SCALAR_FIELDS) {
		const value = input[field];
		if (!value) continue;
		if (current && cleanText(current[field]) === value) continue;
		operations.push({ op: 'replace', path: field, value });
	}
	if (input.companyId && (!current || String(current.company?.id ?? '') !== input.companyId)) {
		operations.push({ op: 'replace', path: 'company', value: { id: Number(input.companyId) } });
	}
	if (
		input.inactive !== undefined &&
		(!current || (current.inactiveFlag === true) !== input.inactive)
	) {
		operations.push({ op: 'replace', path: 'inactiveFlag', value: input.inactive });
	}
	return operations;
}

/** One write to a contact's communications sub-resource. */
export type CommunicationWrite =
	| { kind: 'update'; field: CommunicationField; itemId: number; operations: PatchOperation[] }
	| {
			kind: 'create';
			field: CommunicationField;
			body: { type: { id: number }; value: string; defaultFlag: boolean };
	  };

/**
 * What to change so that the contact's email / phone / mobile become the given values, through
 * /communications (a PATCH of communicationItems fails): the matching item is updated in place,
 * other items are kept, and each kind keeps exactly one default.
 */
export function communicationWrites(
	contact: ConnectWiseContact,
	input: Pick<ContactInput, CommunicationField>,
	types: ResolvedCommunicationTypes,
): CommunicationWrite[] {
	const items = contact.communicationItems ?? [];
	const writes: CommunicationWrite[] = [];
	const hasDefault = (kind: CommunicationKind) =>
		items.some((item) => itemKind(item) === kind && item.defaultFlag);

	if (input.email) {
		const emailItems = items.filter((item) => itemKind(item) === 'Email');
		const same = emailItems.find((item) => normalizeEmail(item.value) === input.email);
		if (same) {
			if (!same.defaultFlag)
				writes.push({
					kind: 'update',
					field: 'email',
					itemId: same.id,
					operations: [{ op: 'replace', path: 'defaultFlag', value: true }],
				});
		} else {
			const emailType = typeFor(types, 'email');
			const target =
				emailItems.find((item) => item.defaultFlag) ??
				itemsOfType(emailItems, emailType.description, emailType)[0] ??
				emailItems[0];
			if (target) {
				const operations: PatchOperation[] = [{ op: 'replace', path: 'value', value: input.email }];
				if (!target.defaultFlag)
					operations.push({ op: 'replace', path: 'defaultFlag', value: true });
				writes.push({ kind: 'update', field: 'email', itemId: target.id, operations });
			} else {
				writes.push({
					kind: 'create',
					field: 'email',
					body: { type: { id: emailType.id }, value: input.email, defaultFlag: true },
				});
			}
		}
	}

	let phoneDefault = hasDefault('Phone');
	for (const field of ['phone', 'mobile'] as const) {
		const value = input[field];
		if (!value) continue;
		const type = typeFor(types, field);
		const ofType = itemsOfType(items, type.description, type);
		if (ofType.some((item) => samePhone(item.value, value))) continue;
		const target = preferDefault(ofType);
		if (target) {
			writes.push({
				kind: 'update',
				field,
				itemId: target.id,
				operations: [{ op: 'replace', path: 'value', value }],
			});
		} else {
			writes.push({
				kind: 'create',
				field,
				body: { type: { id: type.id }, value, defaultFlag: !phoneDefault },
			});
			phoneDefault = true;
		}
	}
	return writes;
}

/** Phones compare by digits; values without digits compare as text. */
function samePhone(a: unknown, b: unknown): boolean {
	const x = phoneDigits(a);
	const y = phoneDigits(b);
	if (x && y) return x === y;
	return cleanText(a).toLowerCase() === cleanText(b).toLowerCase();
}

/** The contact after its communication writes, merged locally (saves a read). */
export function withCommunicationResults(
	contact: ConnectWiseContact,
	results: ConnectWiseCommunicationItem[],
): ConnectWiseContact {
	const items = [...(contact.communicationItems ?? [])];
	for (const result of results) {
		const item: ConnectWiseCommunicationItem = {
			id: result.id,
			type: result.type,
			value: result.value,
			defaultFlag: result.defaultFlag === true,
			communicationType: result.communicationType,
		};
		if (result.extension) item.extension = result.extension;
		if (result.domain) item.domain = result.domain;
		const index = items.findIndex((existing) => existing.id === item.id);
		if (index >= 0) items[index] = item;
		else items.push(item);
		if (item.defaultFlag) {
			for (let i = 0; i < items.length; i++) {
				if (
					items[i].id !== item.id &&
					items[i].communicationType === item.communicationType &&
					items[i].defaultFlag
				) {
					items[i] = { ...items[i], defaultFlag: false };
				}
			}
		}
	}
	return { ...contact, communicationItems: items };
}

// ---------------------------------------------------------------------------------------------
// Contact Reconcile plan items

/** The write a plan item asks for (see planChanges), as node input; the company only to create in. */
export function planToInput(plan: ContactPlanItem): ContactInput {
	const { active, ...fields } = planChanges(plan);
	const input: ContactInput = { ...fields };
	if (active !== undefined) input.inactive = !active;
	if (plan.action === 'create' && !isBlank(plan.companyId))
		input.companyId = String(plan.companyId);
	return input;
}
