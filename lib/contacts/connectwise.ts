/**
 * ConnectWise contact ↔ the canonical contact: email and phone numbers live in
 * `communicationItems`, typed by tenant-named communication types ("Direct", "Cell", "Business
 * Email"...); each kind (Email / Phone / Fax) has one default item. What a write may carry is in
 * connectwiseInput.ts, how communication items are written in connectwiseCommunications.ts.
 */
import { InputError } from '../transport/http';
import type { CanonicalContact } from './canonical';
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
}

/** The plain fields the node offers and the communication types they map to. */
export type CommunicationField = 'email' | 'phone' | 'mobile';

export type CommunicationTypeNames = Record<CommunicationField, string>;

/** Common tenant defaults; every tenant can rename its communication types, so they are options. */
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
	'integratorTags',
];

/**
 * The creation mark on a contact the sync creates: this integrator tag
 * (docs/adr/contact-creation-mark.md).
 */
export const CONNECTWISE_SYNC_TAG = 'n8n-msp-sync';

export const CONNECTWISE_CONTACT_PATH = '/company/contacts';

export function kindOfType(type: ConnectWiseCommunicationType): CommunicationKind {
	if (type.emailFlag) return 'Email';
	if (type.faxFlag) return 'Fax';
	return 'Phone';
}

export function sameName(a: string | undefined, b: string | undefined): boolean {
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

export function itemKind(item: ConnectWiseCommunicationItem): CommunicationKind | undefined {
	return item.communicationType ?? undefined;
}

export function itemsOfType(
	items: ConnectWiseCommunicationItem[],
	name: string,
	type?: ConnectWiseCommunicationType,
): ConnectWiseCommunicationItem[] {
	return items.filter(
		(item) => (type && item.type?.id === type.id) || sameName(item.type?.name, name),
	);
}

export function preferDefault(
	items: ConnectWiseCommunicationItem[],
): ConnectWiseCommunicationItem | undefined {
	return items.find((item) => item.defaultFlag) ?? items[0];
}

/**
 * The canonical view: email = the default Email item; emails = every Email item; phone and
 * mobile = the items of the configured phone and mobile types (the default one first).
 * `defaultPhoneNbr` is never used: integrators report that it can show the company's switchboard
 * when the contact has no phone of its own.
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
		...(Array.isArray(contact.integratorTags) &&
		contact.integratorTags.includes(CONNECTWISE_SYNC_TAG)
			? { createdBySync: true }
			: {}),
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
 * The canonical contact's opaque `ref` (docs/adr/connectwise-contact-ref.md): per field the item a
 * write changes, `0` when the contact has none (the write creates one), absent when several could
 * be meant (the writer reads the contact).
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

export function typeNamesKey(names: CommunicationTypeNames): string {
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
