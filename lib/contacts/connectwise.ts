/**
 * ConnectWise contact ↔ the canonical contact: email and phone numbers live in
 * `communicationItems`, typed by the tenant's own communication types, which every tenant names
 * as it likes ("Direct", "Mobile", "Cell", "Business Email"...): they are recognized by their flags
 * and cross-references, never by a name. Each kind (Email / Phone / Fax) has one default item. What a write may carry is in
 * connectwiseInput.ts, how communication items are written in connectwiseCommunications.ts.
 */
import { InputError } from '../transport/http';
import type { CanonicalContact, FieldLimits } from './canonical';
import { cleanText, normalizeEmail, uniqueEmails } from './normalize';

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
	/** What the type is in Exchange, iPhone, Android and Google contacts (required for phone types). */
	exchangeXref?: string | null;
	iphoneXref?: string | null;
	androidXref?: string | null;
	googleXref?: string | null;
}

/** The fields of a communication type the nodes read. */
export const COMMUNICATION_TYPE_FIELDS = [
	'id',
	'description',
	'emailFlag',
	'phoneFlag',
	'faxFlag',
	'defaultFlag',
	'exchangeXref',
	'iphoneXref',
	'androidXref',
	'googleXref',
];

/** The plain fields the node offers and the communication types they map to. */
export type CommunicationField = 'email' | 'phone' | 'mobile';

/**
 * A type name per field, an explicit override; blank = recognized from the tenant's types (their
 * flags and cross-references), never from a name.
 */
export type CommunicationTypeNames = Record<CommunicationField, string>;

/** Version 2 of the node: every type recognized from the tenant. */
export const RECOGNIZED_COMMUNICATION_TYPES: CommunicationTypeNames = {
	email: '',
	phone: '',
	mobile: '',
};

/** Version 1 of the node named the types, with these defaults. */
export const VERSION_1_COMMUNICATION_TYPE_NAMES: CommunicationTypeNames = {
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

/**
 * The tenant's communication types by what they hold: the types whose items read as each field,
 * and the one a new item of each field is written with. A field with no type to write says why
 * (`missing`); only a write of that field fails on it.
 */
export interface ResolvedCommunicationTypes {
	ids: Record<CommunicationField, number[]>;
	write: Partial<Record<CommunicationField, ConnectWiseCommunicationType>>;
	missing: Partial<Record<CommunicationField, InputError>>;
}

/**
 * The creation mark on a contact the sync creates: this integrator tag
 * (docs/adr/contact-creation-mark.md).
 */
export const CONNECTWISE_SYNC_TAG = 'n8n-msp-sync';

export const CONNECTWISE_CONTACT_PATH = '/company/contacts';

/** The sync fields' lengths in ConnectWise (why these figures: CONNECTWISE_FIELD_LIMITS in connectwiseInput.ts). */
export const CONNECTWISE_CONTACT_LIMITS = {
	firstName: 30,
	lastName: 30,
	title: 100,
	email: 250,
	phone: 250,
	mobile: 250,
} as const satisfies FieldLimits;

export function kindOfType(type: ConnectWiseCommunicationType): CommunicationKind {
	if (type.emailFlag) return 'Email';
	if (type.faxFlag) return 'Fax';
	return 'Phone';
}

export function sameName(a: string | undefined, b: string | undefined): boolean {
	return cleanText(a).toLowerCase() === cleanText(b).toLowerCase() && cleanText(a) !== '';
}

function crossReferences(type: ConnectWiseCommunicationType): string {
	return [type.exchangeXref, type.iphoneXref, type.androidXref, type.googleXref]
		.map((xref) => cleanText(xref))
		.join(' ');
}

/** A phone type that Exchange (or a phone's contacts) files as the mobile number. */
export function isMobileType(type: ConnectWiseCommunicationType): boolean {
	return kindOfType(type) === 'Phone' && /mobile|cell/i.test(crossReferences(type));
}

/**
 * A phone type for the business phone: filed as a business number in Exchange
 * (BusinessTelephoneNumber, BusinessPhone...), or the tenant's default phone type.
 */
export function isBusinessPhoneType(type: ConnectWiseCommunicationType): boolean {
	if (kindOfType(type) !== 'Phone' || isMobileType(type)) return false;
	return /business/i.test(cleanText(type.exchangeXref)) || type.defaultFlag === true;
}

/** Of several candidates, the tenant's default type, else the lowest id: the same pick every run. */
function preferredType(
	types: ConnectWiseCommunicationType[],
): ConnectWiseCommunicationType | undefined {
	const sorted = [...types].sort((a, b) => a.id - b.id);
	return sorted.find((type) => type.defaultFlag === true) ?? sorted[0];
}

const RECOGNIZERS: Record<CommunicationField, (type: ConnectWiseCommunicationType) => boolean> = {
	email: (type) => kindOfType(type) === 'Email',
	phone: isBusinessPhoneType,
	mobile: isMobileType,
};

const RECOGNIZED_AS: Record<CommunicationField, string> = {
	email: 'whose Email flag is on',
	phone:
		'whose Phone flag is on and whose Exchange Xref is a business phone (or that is the default phone type)',
	mobile: 'whose Phone flag is on and whose Exchange Xref is the mobile phone',
};

/**
 * The tenant's types for each field. A field without an override is recognized from the types
 * themselves: email by the Email flag, the mobile by its Exchange (or phone) cross-reference, the
 * business phone by its cross-reference or as the default phone type. An override names the one
 * type to use; a name the tenant does not have, or one of the wrong kind, reads nothing and fails
 * a write of that field with the tenant's types listed.
 */
export function communicationTypeRoles(
	types: ConnectWiseCommunicationType[],
	names: CommunicationTypeNames,
): ResolvedCommunicationTypes {
	const listing = types
		.map((type) => `${type.description} (${kindOfType(type).toLowerCase()})`)
		.join(', ');
	const roles: ResolvedCommunicationTypes = {
		ids: { email: [], phone: [], mobile: [] },
		write: {},
		missing: {},
	};
	for (const field of ['email', 'phone', 'mobile'] as const) {
		const label = COMMUNICATION_TYPE_OPTION_LABELS[field];
		const name = cleanText(names[field]);
		if (!name) {
			const recognized = types.filter(RECOGNIZERS[field]);
			roles.ids[field] = recognized.map((type) => type.id);
			const write = preferredType(recognized);
			if (write) roles.write[field] = write;
			else
				roles.missing[field] = new InputError(
					label,
					`No communication type of this ConnectWise tenant is recognized as the ${field === 'phone' ? 'business phone' : field}: none ${RECOGNIZED_AS[field]}. Its types are: ${listing || 'none'}.`,
					`Set the type's Exchange Xref in ConnectWise (System > Setup Tables > Communication Types), or set "${label}" in the node's options to the type's name.`,
				);
			continue;
		}
		const type = types.find((candidate) => sameName(candidate.description, name));
		const wanted: CommunicationKind = field === 'email' ? 'Email' : 'Phone';
		if (!type) {
			roles.missing[field] = new InputError(
				label,
				`The communication type "${name}" does not exist in this ConnectWise tenant. Its types are: ${listing || 'none'}.`,
				`Set "${label}" in the node's options to one of the tenant's types (System > Setup Tables > Communication Types), or clear it to recognize the type from the tenant.`,
			);
		} else if (kindOfType(type) !== wanted) {
			roles.missing[field] = new InputError(
				label,
				`The communication type "${type.description}" is a ${kindOfType(type).toLowerCase()} type, not ${wanted === 'Email' ? 'an email' : 'a phone'} type. The tenant's types are: ${listing}.`,
				`Set "${label}" to a type whose ${wanted === 'Email' ? 'Email' : 'Phone'} flag is on.`,
			);
		} else {
			roles.ids[field] = [type.id];
			roles.write[field] = type;
		}
	}
	return roles;
}

/**
 * The tenant's types for the fields a write uses: a field the write needs and the tenant has no
 * type for is an error naming the option and listing the tenant's types.
 */
export function resolveCommunicationTypes(
	types: ConnectWiseCommunicationType[],
	names: CommunicationTypeNames,
	fields: CommunicationField[] = ['email', 'phone', 'mobile'],
): ResolvedCommunicationTypes {
	const roles = communicationTypeRoles(types, names);
	for (const field of fields) {
		const missing = roles.missing[field];
		if (missing) throw missing;
	}
	return roles;
}

/** Reading contacts that have no phone items needs no types (saves a look-up). */
export const NO_COMMUNICATION_TYPES: ResolvedCommunicationTypes = {
	ids: { email: [], phone: [], mobile: [] },
	write: {},
	missing: {},
};

/** Whether mapping the contact needs the tenant's types: it has items that are not emails. */
export function needsTypesToRead(contact: ConnectWiseContact): boolean {
	return (contact.communicationItems ?? []).some((item) => itemKind(item) !== 'Email');
}

/** The fields needed to show a canonical contact: a light payload for lists. */
export const CANONICAL_CONTACT_FIELDS = [
	'id',
	'firstName',
	'lastName',
	'title',
	'inactiveFlag',
	'company',
	'communicationItems',
	'integratorTags',
];

export function itemKind(item: ConnectWiseCommunicationItem): CommunicationKind | undefined {
	return item.communicationType ?? undefined;
}

export function itemsOfRole(
	items: ConnectWiseCommunicationItem[],
	types: ResolvedCommunicationTypes,
	field: CommunicationField,
): ConnectWiseCommunicationItem[] {
	const ids = types.ids[field];
	return items.filter((item) => typeof item.type?.id === 'number' && ids.includes(item.type.id));
}

export function preferDefault(
	items: ConnectWiseCommunicationItem[],
): ConnectWiseCommunicationItem | undefined {
	return items.find((item) => item.defaultFlag) ?? items[0];
}

/**
 * The canonical view: email = the default Email item; emails = every Email item; phone and
 * mobile = the items of the tenant's phone and mobile types (the default one first).
 * `defaultPhoneNbr` is never used: integrators report that it can show the company's switchboard
 * when the contact has no phone of its own.
 */
export function connectWiseToCanonical(
	contact: ConnectWiseContact,
	types: ResolvedCommunicationTypes,
	names: CommunicationTypeNames = RECOGNIZED_COMMUNICATION_TYPES,
): CanonicalContact {
	const items = contact.communicationItems ?? [];
	const emailItems = items.filter(
		(item) =>
			itemKind(item) === 'Email' ||
			(!item.communicationType && itemsOfRole([item], types, 'email').length > 0),
	);
	const writeEmail = types.write.email?.id;
	const primary =
		emailItems.find((item) => item.defaultFlag) ??
		emailItems.find((item) => writeEmail !== undefined && item.type?.id === writeEmail) ??
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
		phone: cleanText(preferDefault(itemsOfRole(items, types, 'phone'))?.value),
		mobile: cleanText(preferDefault(itemsOfRole(items, types, 'mobile'))?.value),
		active: contact.inactiveFlag !== true,
		...(cleanText(contact.company?.name) ? { companyName: cleanText(contact.company?.name) } : {}),
		ref: connectWiseRef(items, types, names) as unknown as Record<string, unknown>,
		...(Array.isArray(contact.integratorTags) &&
		contact.integratorTags.includes(CONNECTWISE_SYNC_TAG)
			? { createdBySync: true }
			: {}),
	};
}

/** The contact's primary address (its default Email item), without the tenant's types. */
export function primaryEmail(contact: ConnectWiseContact): string {
	const emailItems = (contact.communicationItems ?? []).filter(
		(item) => itemKind(item) === 'Email',
	);
	return normalizeEmail((emailItems.find((item) => item.defaultFlag) ?? emailItems[0])?.value);
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
 * The canonical contact's opaque `ref` (docs/adr/connectwise-contact-ref.md): per field the item a
 * write changes, `0` when the contact has none (the write creates one), absent when several could
 * be meant (the writer reads the contact).
 */
export interface ConnectWiseContactRef {
	/** The type-name overrides the ids were picked with ("||" = recognized from the tenant); a writer configured otherwise reads the contact. */
	typeNames: string;
	/** The contact's only Email item, when it is the default; 0 when it has no Email item. */
	emailItemId?: number;
	/** The only item of the phone type(s); 0 when there is none. */
	phoneItemId?: number;
	/** The only item of the mobile type(s); 0 when there is none. */
	mobileItemId?: number;
	/** Whether one of its Phone items is the default (a new phone item becomes the default when none is). */
	phoneDefault: boolean;
}

export function typeNamesKey(names: CommunicationTypeNames): string {
	return [names.email, names.phone, names.mobile]
		.map((name) => cleanText(name).toLowerCase())
		.join('|');
}

export function connectWiseRef(
	items: ConnectWiseCommunicationItem[],
	types: ResolvedCommunicationTypes,
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
	// Phone and mobile sharing a type cannot be told apart without reading the contact.
	if (types.ids.phone.some((id) => types.ids.mobile.includes(id))) return ref;
	for (const field of ['phone', 'mobile'] as const) {
		const ofRole = itemsOfRole(items, types, field);
		if (ofRole.length <= 1) ref[`${field}ItemId`] = ofRole[0]?.id ?? 0;
	}
	return ref;
}

/**
 * The roles of a contact's phone items as its ref saw them when the contact was listed (the ref
 * names the only item of each role, or none): enough to show the contact a write answered with,
 * without asking the tenant's types again. Undefined when the ref cannot tell (other type names,
 * several items of a role, an item it does not know).
 */
export function typesFromRef(
	contact: ConnectWiseContact,
	value: unknown,
	names: CommunicationTypeNames,
): ResolvedCommunicationTypes | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const ref = value as Partial<ConnectWiseContactRef>;
	if (ref.typeNames !== typeNamesKey(names)) return undefined;
	const items = contact.communicationItems ?? [];
	const types: ResolvedCommunicationTypes = {
		ids: { email: [], phone: [], mobile: [] },
		write: {},
		missing: {},
	};
	const roleOfItem = new Map<number, 'phone' | 'mobile'>();
	for (const field of ['phone', 'mobile'] as const) {
		const id = ref[`${field}ItemId`];
		if (typeof id !== 'number') return undefined;
		if (id > 0) roleOfItem.set(id, field);
	}
	for (const item of items) {
		if (itemKind(item) !== 'Phone') continue;
		const field = roleOfItem.get(item.id);
		const typeId = item.type?.id;
		// A phone item the ref does not name (a Home or Pager number, one added since): ask the types.
		if (!field || typeof typeId !== 'number') return undefined;
		types.ids[field] = [typeId];
	}
	return types;
}
