/**
 * The ConnectWise tenant's records (contacts with their communication items, communication types,
 * companies, API keys) and the rules a write goes through.
 */
import type { DeliverOptions, DeliveryResult, OutboundDelivery } from '../core/outbox';
import { SANDBOX_IDENTITIES } from '../credentials';
import { fieldError } from './errors';
import type { FieldProblem } from './errors';
import { COMMUNICATION_EXTENSION_MAX, COMMUNICATION_VALUE_MAX, CONTACT_LIMITS } from './fields';
import { ServiceDesk } from './service';
import type { Member } from './service';

export interface CwReference {
	id?: number | null;
	name?: string;
	identifier?: string;
	_info?: Record<string, string>;
}

export interface CwCommunicationItem {
	id: number;
	type: CwReference;
	value: string;
	extension?: string;
	defaultFlag: boolean;
	domain?: string;
	communicationType: 'Email' | 'Phone' | 'Fax';
}

export interface CwContact {
	id: number;
	firstName?: string;
	lastName?: string;
	title?: string;
	inactiveFlag?: boolean;
	company?: CwReference | null;
	communicationItems: CwCommunicationItem[];
	defaultPhoneType?: string;
	defaultPhoneNbr?: string;
	defaultPhoneExtension?: string;
	_info?: Record<string, string>;
	[field: string]: unknown;
}

export interface CwCommunicationType {
	id: number;
	description: string;
	phoneFlag?: boolean;
	faxFlag?: boolean;
	emailFlag?: boolean;
	defaultFlag?: boolean;
	[field: string]: unknown;
}

export interface CwCompany {
	id: number;
	identifier: string;
	name: string;
	phoneNumber?: string;
	[field: string]: unknown;
}

export interface CwApiKey {
	companyId: string;
	publicKey: string;
	privateKey: string;
	/** Shown as `_info.updatedBy` on records this member writes. */
	memberIdentifier: string;
	/** The API member's numeric id (a callback's `memberId`). */
	memberId?: number;
}

/**
 * The types a new tenant has when a seed brings none (tenants rename and add to these). Phone and
 * fax types need an Exchange Xref (the document: "Exchange Xref required if phone or fax"); the
 * values are Outlook's contact fields [U].
 */
export const DEFAULT_COMMUNICATION_TYPES: CwCommunicationType[] = [
	{
		id: 1,
		description: 'Email',
		exchangeXref: 'Email1Address',
		emailFlag: true,
		phoneFlag: false,
		faxFlag: false,
		defaultFlag: true,
	},
	{
		id: 2,
		description: 'Direct',
		exchangeXref: 'BusinessTelephoneNumber',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: true,
	},
	{
		id: 3,
		description: 'Fax',
		exchangeXref: 'BusinessFaxNumber',
		emailFlag: false,
		phoneFlag: false,
		faxFlag: true,
		defaultFlag: true,
	},
	{
		id: 4,
		description: 'Mobile',
		exchangeXref: 'MobileTelephoneNumber',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
	{
		id: 5,
		description: 'Home',
		exchangeXref: 'HomeTelephoneNumber',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
	{
		id: 6,
		description: 'Pager',
		exchangeXref: 'PagerNumber',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
];

const CODEBASE = SANDBOX_IDENTITIES.connectwise.codebase;

export class ConnectWiseState {
	companyInfo = {
		CompanyName: 'Sandbox MSP',
		Codebase: CODEBASE,
		VersionCode: 'v2025.1',
		VersionNumber: 'v4.6.2025.1',
		CompanyID: SANDBOX_IDENTITIES.connectwise.companyId,
		IsCloud: 'True',
	};

	apiKeys: CwApiKey[] = [
		{
			companyId: SANDBOX_IDENTITIES.connectwise.companyId,
			publicKey: SANDBOX_IDENTITIES.connectwise.publicKey,
			privateKey: SANDBOX_IDENTITIES.connectwise.privateKey,
			memberIdentifier: 'n8napi',
			memberId: 178,
		},
	];

	/** At most 1,000 per page (developer guide, "Query String Parameters"). */
	maxPageSize = 1000;

	/** Accept headers of authenticated API calls, counted: shows whether clients pin the API version. */
	acceptHeaders: Record<string, number> = {};

	companies: CwCompany[] = [];

	contacts: CwContact[] = [];

	communicationTypes: CwCommunicationType[] = [];

	private nextItemId = 1;

	/** The service desk: boards, tickets and their notes, configurations, time entries, callbacks. */
	readonly service: ServiceDesk;

	constructor(seed: Record<string, unknown[] | undefined> = {}, baseUrl: () => string = () => '') {
		this.service = new ServiceDesk(seed, {
			companyFor: (reference) => this.companyFor(reference as CwReference),
			contactExists: (id) => this.contact(id as number) !== undefined,
			companyId: SANDBOX_IDENTITIES.connectwise.companyId,
			baseUrl,
		});
	}

	/** Callback deliveries queued and not yet sent, oldest first. */
	pendingCallbackDeliveries(): OutboundDelivery[] {
		return this.service.pending();
	}

	/**
	 * Posts the queued callback deliveries in order (to `options.url` instead of each callback's URL
	 * if given); delivered ones leave the queue, failed ones stay and their result names the URL.
	 */
	async deliverCallbacks(options?: DeliverOptions): Promise<DeliveryResult[]> {
		return await this.service.deliver(options);
	}

	/** The member an API key writes as. */
	memberOf(key: CwApiKey): Member {
		return { identifier: key.memberIdentifier, id: key.memberId };
	}

	/** Stores a contact the way the PSA would hold it (ids, types, defaults, _info filled in). */
	addContact(contact: Partial<CwContact>): CwContact {
		const stored = this.normalizeContact({
			...contact,
			id: contact.id ?? this.nextContactId(),
		} as CwContact);
		this.contacts.push(stored);
		return stored;
	}

	contact(id: number | string): CwContact | undefined {
		return this.contacts.find((c) => String(c.id) === String(id));
	}

	nextContactId(): number {
		return this.contacts.reduce((max, c) => Math.max(max, c.id), 0) + 1;
	}

	newItemId(): number {
		return this.nextItemId++;
	}

	type(reference: CwReference | undefined | null): CwCommunicationType | undefined {
		if (!reference) return undefined;
		if (reference.id !== undefined && reference.id !== null) {
			return this.communicationTypes.find((t) => t.id === Number(reference.id));
		}
		const name = String(reference.name ?? '')
			.trim()
			.toLowerCase();
		return name
			? this.communicationTypes.find((t) => t.description.toLowerCase() === name)
			: undefined;
	}

	companyFor(reference: CwReference | undefined | null): CwCompany | undefined {
		if (!reference) return undefined;
		if (reference.id !== undefined && reference.id !== null)
			return this.companies.find((c) => c.id === Number(reference.id));
		const identifier = String(reference.identifier ?? '').toLowerCase();
		return identifier
			? this.companies.find((c) => c.identifier.toLowerCase() === identifier)
			: undefined;
	}

	/** Fills in what the PSA derives: item ids, type names, kinds, domains, default phone, references. */
	normalizeContact(contact: CwContact): CwContact {
		const items = Array.isArray(contact.communicationItems) ? contact.communicationItems : [];
		contact.communicationItems = items.map((item) => this.normalizeItem(item));
		for (const item of contact.communicationItems)
			this.nextItemId = Math.max(this.nextItemId, item.id + 1);
		// One default per kind: the first item marked default keeps it.
		const defaults = new Set<string>();
		for (const item of contact.communicationItems) {
			if (!item.defaultFlag) continue;
			if (defaults.has(item.communicationType)) item.defaultFlag = false;
			defaults.add(item.communicationType);
		}
		contact.inactiveFlag = contact.inactiveFlag === true;
		if (contact.company) {
			const company = this.companyFor(contact.company);
			if (company) contact.company = companyReference(company);
		}
		const now = timestamp();
		contact._info = {
			lastUpdated: now,
			dateEntered: now,
			updatedBy: 'seed',
			enteredBy: 'seed',
			...(contact._info ?? {}),
		};
		this.deriveDefaultPhone(contact);
		return contact;
	}

	normalizeItem(item: Partial<CwCommunicationItem>): CwCommunicationItem {
		const type = this.type(item.type);
		const kind = type ? kindOf(type) : (item.communicationType ?? 'Phone');
		const value = String(item.value ?? '');
		const out: CwCommunicationItem = {
			id: Number(item.id) || this.newItemId(),
			type: type ? { id: type.id, name: type.description } : { ...(item.type ?? {}) },
			value,
			defaultFlag: item.defaultFlag === true,
			communicationType: kind,
		};
		if (item.extension) out.extension = String(item.extension);
		if (kind === 'Email' && value.includes('@')) out.domain = value.slice(value.lastIndexOf('@'));
		return out;
	}

	/** One default per kind: the item just marked default wins. */
	settleDefaults(contact: CwContact, preferred?: CwCommunicationItem): void {
		if (preferred?.defaultFlag) {
			for (const item of contact.communicationItems) {
				if (item !== preferred && item.communicationType === preferred.communicationType)
					item.defaultFlag = false;
			}
		}
		this.deriveDefaultPhone(contact);
	}

	/**
	 * defaultPhoneNbr "can silently reflect the COMPANY's shared switchboard number" when the
	 * contact has no phone of its own (reported by integrators, not documented): reproduced, so
	 * nothing relies on it.
	 */
	deriveDefaultPhone(contact: CwContact): void {
		const phone = contact.communicationItems.find(
			(i) => i.communicationType === 'Phone' && i.defaultFlag,
		);
		delete contact.defaultPhoneType;
		delete contact.defaultPhoneNbr;
		delete contact.defaultPhoneExtension;
		if (phone) {
			contact.defaultPhoneType = phone.type.name ?? '';
			contact.defaultPhoneNbr = phone.value;
			if (phone.extension) contact.defaultPhoneExtension = phone.extension;
			return;
		}
		const company = this.companyFor(contact.company);
		if (company?.phoneNumber) contact.defaultPhoneNbr = company.phoneNumber;
	}
}

/** Checks a contact as the PSA does and fills in references; returns the problems found. */
export function prepareContact(state: ConnectWiseState, draft: CwContact): FieldProblem[] {
	const problems: FieldProblem[] = [];
	if (typeof draft.firstName !== 'string' || !draft.firstName.trim()) {
		problems.push(
			fieldError('contact', 'firstName', 'NullOrEmpty', 'The firstName field is required.'),
		);
	}
	for (const [field, max] of Object.entries(CONTACT_LIMITS)) {
		const value = draft[field];
		if (typeof value === 'string' && value.length > max) {
			problems.push(
				fieldError(
					'contact',
					field,
					'InvalidField',
					`The field ${field} must be a string with a maximum length of ${max}.`,
				),
			);
		}
	}
	if (draft.company) {
		const company = state.companyFor(draft.company);
		if (!company)
			problems.push(fieldError('contact', 'company', 'InvalidField', 'The company was not found.'));
		else draft.company = companyReference(company);
	}
	const items = Array.isArray(draft.communicationItems) ? draft.communicationItems : [];
	items.forEach((item, index) => {
		for (const problem of communicationProblems(state, item, 'contact')) {
			problems.push({ ...problem, field: `communicationItems[${index}].${problem.field}` });
		}
	});
	return problems;
}

export function communicationProblems(
	state: ConnectWiseState,
	item: Partial<CwCommunicationItem>,
	resource: string,
): FieldProblem[] {
	const problems: FieldProblem[] = [];
	if (!item.type || !state.type(item.type)) {
		problems.push(
			fieldError(resource, 'type', 'InvalidField', 'The communication type was not found.'),
		);
	}
	const value =
		typeof item.value === 'string'
			? item.value
			: item.value === undefined || item.value === null
				? ''
				: String(item.value);
	if (!value.trim())
		problems.push(fieldError(resource, 'value', 'NullOrEmpty', 'The value field is required.'));
	if (value.length > COMMUNICATION_VALUE_MAX) {
		problems.push(
			fieldError(
				resource,
				'value',
				'InvalidField',
				`The field value must be a string with a maximum length of ${COMMUNICATION_VALUE_MAX}.`,
			),
		);
	}
	if (typeof item.extension === 'string' && item.extension.length > COMMUNICATION_EXTENSION_MAX) {
		problems.push(
			fieldError(
				resource,
				'extension',
				'InvalidField',
				`The field extension must be a string with a maximum length of ${COMMUNICATION_EXTENSION_MAX}.`,
			),
		);
	}
	return problems;
}

export function commitContact(
	state: ConnectWiseState,
	stored: CwContact,
	draft: CwContact,
	key: CwApiKey,
): CwContact {
	const previousItems = stored.communicationItems;
	const items = (draft.communicationItems ?? []).map((item) => {
		const known = previousItems.find((p) => p.id === item.id);
		return { ...item, id: known ? known.id : state.newItemId() };
	});
	for (const field of Object.keys(stored)) delete stored[field];
	Object.assign(stored, draft, { communicationItems: items });
	state.normalizeContact(stored);
	touch(stored, key);
	return stored;
}

export function touch(contact: CwContact, key: CwApiKey): void {
	contact._info = {
		...(contact._info ?? {}),
		lastUpdated: timestamp(),
		updatedBy: key.memberIdentifier,
	};
}

function kindOf(type: CwCommunicationType): CwCommunicationItem['communicationType'] {
	if (type.emailFlag) return 'Email';
	if (type.faxFlag) return 'Fax';
	return 'Phone';
}

function companyReference(company: CwCompany): CwReference {
	return {
		id: company.id,
		identifier: company.identifier,
		name: company.name,
		_info: { company_href: `/company/companies/${company.id}` },
	};
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function timestamp(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
