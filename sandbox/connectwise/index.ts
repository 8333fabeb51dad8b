/**
 * ConnectWise Manage (PSA) on 127.0.0.1: companyinfo discovery, Basic `company+public:private`
 * plus the mandatory clientId header, contacts with their communication items, communication
 * types and companies, the conditions/childConditions language, navigable and forward-only
 * paging with RFC 5988 Link headers, ConnectWise's JSON-patch dialect and its error shapes.
 *
 * Facts: ../shared/reference/connectwise-and-graph.md §1–2. Everything the vendor's documents do
 * not pin down is tagged [U] below and lives in VENDOR_TEXT or the rule that uses it.
 */
import { Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/http';
import { SANDBOX_IDENTITIES } from '../credentials';
import type { VendorContext, VendorSandbox } from '../index';
import { checkConditions, ConditionsError, evaluate, parseConditions } from './conditions';
import type { Expression } from './conditions';
import { entityFields, schemaProperties } from './schema';
import type { EntityFields } from './schema';

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
}

/** [U] The vendor's words where its documents give none; [V] where they do. */
const VENDOR_TEXT = {
	// [U] the gateway's answer without a clientId header.
	missingClientId:
		'A clientId header is required on every request. Register the integration at https://developer.connectwise.com/ClientID and send its GUID in the clientId header.',
	// [U] body of a 401 (the code "Unauthorized" is [3P], ConnectWiseManageAPI).
	unauthorized: 'Authentication failed. Check the company, public key and private key.',
	// [V] notes §2.3, ChristayCodes issue #51.
	communicationItemsCast:
		'Could not cast or convert from System.String to ConnectWise.Apis.v3_0.v2015_3.Company.Contact.ContactCommunicationItem[].',
	// [U]
	pageSize: (max: number) => `pageSize must be between 1 and ${max}.`,
	// [U] (notes §2.6: forward-only "cannot use orderBy").
	forwardOnlyOrderBy:
		'orderBy is not supported with forward-only pagination. Results are ordered by id.',
	// [U]
	notFound: (entity: string, id: string) => `${entity} recId ${id} was not found.`,
	// [U] ASP.NET Web API's answer for a path no route serves; on cloud also what bad keys
	// through the v4_6_release router look like (DG troubleshooting). It carries no `code`.
	noRoute: (path: string) => `No HTTP resource was found that matches the request URI '${path}'.`,
	// [V] "company object is invalid" (notes §2.7), same pattern per resource.
	invalidObject: (resource: string) => `${resource} object is invalid`,
};

/** [V] notes §2.2 / §2.3 (ConnectWise's model and the 2025.1 spec). */
const CONTACT_LIMITS: Record<string, number> = {
	firstName: 30,
	lastName: 30,
	title: 100,
	addressLine1: 50,
	addressLine2: 50,
	city: 50,
	state: 50,
	zip: 12,
	nickName: 30,
	school: 50,
	securityIdentifier: 184,
};
const COMMUNICATION_VALUE_MAX = 250;
const COMMUNICATION_EXTENSION_MAX = 15;

/** The types a new tenant has when a seed brings none (tenants rename and add to these). */
const DEFAULT_COMMUNICATION_TYPES: CwCommunicationType[] = [
	{
		id: 1,
		description: 'Email',
		emailFlag: true,
		phoneFlag: false,
		faxFlag: false,
		defaultFlag: true,
	},
	{
		id: 2,
		description: 'Direct',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: true,
	},
	{
		id: 3,
		description: 'Fax',
		emailFlag: false,
		phoneFlag: false,
		faxFlag: true,
		defaultFlag: true,
	},
	{
		id: 4,
		description: 'Mobile',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
	{
		id: 5,
		description: 'Home',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
	{
		id: 6,
		description: 'Pager',
		emailFlag: false,
		phoneFlag: true,
		faxFlag: false,
		defaultFlag: false,
	},
];

const CODEBASE = SANDBOX_IDENTITIES.connectwise.codebase;
const ROUTER_CODEBASE = 'v4_6_release/';

const CONTACT_FIELDS = entityFields('Contact');
const COMMUNICATION_FIELDS = entityFields('ContactCommunication');
const TYPE_FIELDS = entityFields('CommunicationType');
const COMPANY_FIELDS = entityFields('Company');
const CUSTOM_FIELD_FIELDS = entityFields('CustomFieldValue');
const CONTACT_PROPERTIES = schemaProperties('Contact');
const COMMUNICATION_PROPERTIES = schemaProperties('ContactCommunication');
const READ_ONLY = new Set(['id', '_info', 'contactId']);

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
		},
	];

	/** [V] max 1,000 per page (notes §2.5). */
	maxPageSize = 1000;

	/** Accept headers of authenticated API calls, counted: shows whether clients pin the API version. */
	acceptHeaders: Record<string, number> = {};

	companies: CwCompany[] = [];

	contacts: CwContact[] = [];

	communicationTypes: CwCommunicationType[] = [];

	private nextItemId = 1;

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
	 * [3P] defaultPhoneNbr "can silently reflect the COMPANY's shared switchboard number" when the
	 * contact has no phone of its own (notes §2.2): reproduced, so nothing relies on it.
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

export function createConnectWiseSandbox(
	seed: Record<string, unknown[]>,
	context: VendorContext,
): VendorSandbox<ConnectWiseState> {
	const state = new ConnectWiseState();
	state.companies = clone((seed.companies ?? []) as CwCompany[]);
	state.communicationTypes = clone(
		((seed.communicationTypes ?? []) as CwCommunicationType[]).length
			? (seed.communicationTypes as CwCommunicationType[])
			: DEFAULT_COMMUNICATION_TYPES,
	);
	for (const contact of clone((seed.contacts ?? []) as CwContact[])) state.addContact(contact);

	const router = new Router();
	const api = (path: string) => `/{codebase}/apis/3.0${path}`;
	const guarded =
		(handler: (request: SandboxRequest, key: CwApiKey) => SandboxResponse) =>
		(request: SandboxRequest) => {
			const refused = authenticate(state, request);
			if ('status' in refused) return refused;
			return settleHandler(() => handler(request, refused));
		};

	router.add('GET', '/login/companyinfo/{company}', (request) => {
		const known = state.apiKeys.some(
			(key) => key.companyId.toLowerCase() === request.params.company.toLowerCase(),
		);
		// [U] an unknown company: 404 (the credential then falls back to v4_6_release/).
		if (!known) return noRoute(request);
		return { status: 200, body: { ...state.companyInfo } };
	});

	// Contacts
	router.add(
		'GET',
		api('/company/contacts/count'),
		guarded((request) => {
			const rows = filterRows(request, state.contacts, CONTACT_FIELDS);
			return { status: 200, body: { count: rows.length } };
		}),
	);
	router.add(
		'GET',
		api('/company/contacts'),
		guarded((request) =>
			listResponse(
				request,
				filterRows(request, state.contacts, CONTACT_FIELDS),
				CONTACT_FIELDS,
				context.baseUrl(),
				state.maxPageSize,
			),
		),
	);
	router.add(
		'POST',
		api('/company/contacts'),
		guarded((request, key) => {
			const body = request.body;
			if (!isObject(body))
				return invalidObject('contact', [
					fieldError('contact', 'body', 'NullOrEmpty', 'The contact body is required.'),
				]);
			const draft: CwContact = { ...(clone(body) as CwContact), id: 0 };
			const problems = prepareContact(state, draft);
			if (problems.length) return invalidObject('contact', problems);
			draft.id = state.nextContactId();
			const now = timestamp();
			draft._info = {
				lastUpdated: now,
				dateEntered: now,
				updatedBy: key.memberIdentifier,
				enteredBy: key.memberIdentifier,
			};
			const stored = state.addContact(draft);
			return { status: 201, body: project(stored, request) };
		}),
	);
	router.add(
		'GET',
		api('/company/contacts/{id}'),
		guarded((request) => {
			const contact = state.contact(request.params.id);
			if (!contact) return notFound('Contact', request.params.id);
			return { status: 200, body: project(contact, request) };
		}),
	);
	router.add(
		'PATCH',
		api('/company/contacts/{id}'),
		guarded((request, key) => {
			const contact = state.contact(request.params.id);
			if (!contact) return notFound('Contact', request.params.id);
			const draft = clone(contact);
			const patched = applyPatch(
				draft,
				request.body,
				CONTACT_PROPERTIES,
				CONTACT_FIELDS,
				(path, value) => {
					if (path !== 'communicationItems') return undefined;
					if (!Array.isArray(value) || value.some((v) => !isObject(v))) {
						return cwError(400, 'InvalidPatch', VENDOR_TEXT.communicationItemsCast);
					}
					draft.communicationItems = (value as Array<Partial<CwCommunicationItem>>).map((item) => ({
						...item,
						id: Number(item.id) || 0,
					})) as CwCommunicationItem[];
					return null;
				},
			);
			if (patched) return patched;
			const problems = prepareContact(state, draft);
			if (problems.length) return invalidObject('contact', problems);
			return { status: 200, body: project(commitContact(state, contact, draft, key), request) };
		}),
	);
	router.add(
		'PUT',
		api('/company/contacts/{id}'),
		guarded((request, key) => {
			const contact = state.contact(request.params.id);
			if (!contact) return notFound('Contact', request.params.id);
			if (!isObject(request.body))
				return invalidObject('contact', [
					fieldError('contact', 'body', 'NullOrEmpty', 'The contact body is required.'),
				]);
			// [V] PUT replaces: "any field that has not been specified will be ... set to Null" (DG).
			const draft = { ...(clone(request.body) as CwContact), id: contact.id, _info: contact._info };
			const problems = prepareContact(state, draft);
			if (problems.length) return invalidObject('contact', problems);
			return { status: 200, body: project(commitContact(state, contact, draft, key), request) };
		}),
	);
	router.add(
		'DELETE',
		api('/company/contacts/{id}'),
		guarded((request) => {
			const index = state.contacts.findIndex((c) => String(c.id) === request.params.id);
			if (index < 0) return notFound('Contact', request.params.id);
			state.contacts.splice(index, 1);
			return { status: 204 };
		}),
	);

	// Communication items of one contact
	const communication = (contact: CwContact, item: CwCommunicationItem) => ({
		id: item.id,
		contactId: contact.id,
		type: item.type,
		value: item.value,
		...(item.extension ? { extension: item.extension } : {}),
		defaultFlag: item.defaultFlag,
		communicationType: item.communicationType,
		...(item.domain ? { domain: item.domain } : {}),
	});
	const withContact = (
		handler: (request: SandboxRequest, key: CwApiKey, contact: CwContact) => SandboxResponse,
	) =>
		guarded((request, key) => {
			const contact = state.contact(request.params.parentId);
			if (!contact) return notFound('Contact', request.params.parentId);
			return handler(request, key, contact);
		});
	router.add(
		'GET',
		api('/company/contacts/{parentId}/communications/count'),
		withContact((request, _key, contact) => {
			const rows = filterRows(
				request,
				contact.communicationItems.map((item) => communication(contact, item)),
				COMMUNICATION_FIELDS,
			);
			return { status: 200, body: { count: rows.length } };
		}),
	);
	router.add(
		'GET',
		api('/company/contacts/{parentId}/communications'),
		withContact((request, _key, contact) => {
			const rows = contact.communicationItems.map((item) => communication(contact, item));
			return listResponse(
				request,
				filterRows(request, rows, COMMUNICATION_FIELDS),
				COMMUNICATION_FIELDS,
				context.baseUrl(),
				state.maxPageSize,
			);
		}),
	);
	router.add(
		'POST',
		api('/company/contacts/{parentId}/communications'),
		withContact((request, key, contact) => {
			if (!isObject(request.body)) {
				return invalidObject('contactCommunication', [
					fieldError(
						'contactCommunication',
						'body',
						'NullOrEmpty',
						'The communication body is required.',
					),
				]);
			}
			const problems = communicationProblems(
				state,
				request.body as Partial<CwCommunicationItem>,
				'contactCommunication',
			);
			if (problems.length) return invalidObject('contactCommunication', problems);
			const item = state.normalizeItem({
				...(request.body as Partial<CwCommunicationItem>),
				id: state.newItemId(),
			});
			contact.communicationItems.push(item);
			state.settleDefaults(contact, item);
			touch(contact, key);
			return { status: 201, body: communication(contact, item) };
		}),
	);
	const withItem = (
		handler: (
			request: SandboxRequest,
			key: CwApiKey,
			contact: CwContact,
			index: number,
		) => SandboxResponse,
	) =>
		withContact((request, key, contact) => {
			const index = contact.communicationItems.findIndex((i) => String(i.id) === request.params.id);
			if (index < 0) return notFound('ContactCommunication', request.params.id);
			return handler(request, key, contact, index);
		});
	router.add(
		'GET',
		api('/company/contacts/{parentId}/communications/{id}'),
		withItem((request, _key, contact, index) => ({
			status: 200,
			body: project(communication(contact, contact.communicationItems[index]), request),
		})),
	);
	const replaceItem = (
		contact: CwContact,
		index: number,
		draft: Partial<CwCommunicationItem>,
		key: CwApiKey,
	): SandboxResponse => {
		const problems = communicationProblems(state, draft, 'contactCommunication');
		if (problems.length) return invalidObject('contactCommunication', problems);
		const item = state.normalizeItem({ ...draft, id: contact.communicationItems[index].id });
		contact.communicationItems[index] = item;
		state.settleDefaults(contact, item);
		touch(contact, key);
		return { status: 200, body: communication(contact, item) };
	};
	router.add(
		'PATCH',
		api('/company/contacts/{parentId}/communications/{id}'),
		withItem((request, key, contact, index) => {
			const draft = clone(communication(contact, contact.communicationItems[index])) as Record<
				string,
				unknown
			>;
			const patched = applyPatch(
				draft,
				request.body,
				COMMUNICATION_PROPERTIES,
				COMMUNICATION_FIELDS,
			);
			if (patched) return patched;
			return replaceItem(contact, index, draft as Partial<CwCommunicationItem>, key);
		}),
	);
	router.add(
		'PUT',
		api('/company/contacts/{parentId}/communications/{id}'),
		withItem((request, key, contact, index) => {
			if (!isObject(request.body)) {
				return invalidObject('contactCommunication', [
					fieldError(
						'contactCommunication',
						'body',
						'NullOrEmpty',
						'The communication body is required.',
					),
				]);
			}
			return replaceItem(contact, index, clone(request.body) as Partial<CwCommunicationItem>, key);
		}),
	);
	router.add(
		'DELETE',
		api('/company/contacts/{parentId}/communications/{id}'),
		withItem((_request, key, contact, index) => {
			contact.communicationItems.splice(index, 1);
			state.deriveDefaultPhone(contact);
			touch(contact, key);
			return { status: 204 };
		}),
	);

	// Reference data
	router.add(
		'GET',
		api('/company/communicationTypes'),
		guarded((request) =>
			listResponse(
				request,
				filterRows(request, state.communicationTypes, TYPE_FIELDS),
				TYPE_FIELDS,
				context.baseUrl(),
				state.maxPageSize,
			),
		),
	);
	router.add(
		'GET',
		api('/company/companies'),
		guarded((request) =>
			listResponse(
				request,
				filterRows(request, state.companies, COMPANY_FIELDS),
				COMPANY_FIELDS,
				context.baseUrl(),
				state.maxPageSize,
			),
		),
	);

	return {
		router,
		state,
		dump: () => ({
			companies: clone(state.companies),
			contacts: clone(state.contacts),
			communicationTypes: clone(state.communicationTypes),
		}),
		notFound: (request) => noRoute(request),
		methodNotAllowed: (request) =>
			cwError(
				405,
				'MethodNotAllowed',
				`The requested resource does not support http method '${request.method}'.`,
			),
	};
}

// ---------------------------------------------------------------------------------------------
// Authentication

function authenticate(
	state: ConnectWiseState,
	request: SandboxRequest,
): CwApiKey | SandboxResponse {
	const codebase = `${request.params.codebase}/`.toLowerCase();
	const codebases = [state.companyInfo.Codebase.toLowerCase(), ROUTER_CODEBASE];
	if (!codebases.includes(codebase)) return noRoute(request);
	const clientId = request.headers.clientid;
	if (!clientId || !clientId.trim())
		return cwError(400, 'InvalidClientId', VENDOR_TEXT.missingClientId);
	const key = basicKey(state, request.headers.authorization);
	if (key) {
		const accept = request.headers.accept ?? '';
		state.acceptHeaders[accept] = (state.acceptHeaders[accept] ?? 0) + 1;
		return key;
	}
	// [V] DG troubleshooting: on cloud, bad keys through the v4_6_release router come back as 404,
	// not 401 ("you may have incorrect authentication instead of the resource not being found").
	if (codebase === ROUTER_CODEBASE && state.companyInfo.IsCloud === 'True') return noRoute(request);
	return cwError(401, 'Unauthorized', VENDOR_TEXT.unauthorized);
}

function basicKey(state: ConnectWiseState, header: string | undefined): CwApiKey | undefined {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	const login = decoded.slice(0, colon);
	const privateKey = decoded.slice(colon + 1);
	const plus = login.indexOf('+');
	if (plus < 0) return undefined;
	const companyId = login.slice(0, plus).toLowerCase();
	const publicKey = login.slice(plus + 1);
	return state.apiKeys.find(
		(key) =>
			key.companyId.toLowerCase() === companyId &&
			key.publicKey === publicKey &&
			key.privateKey === privateKey,
	);
}

// ---------------------------------------------------------------------------------------------
// Queries and paging

/** Query parameters are case-insensitive on the PSA (the guide writes `childconditions`). */
function param(request: SandboxRequest, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of request.query) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

function parseChecked(text: string, fields: EntityFields, parameter: string): Expression {
	const expression = parseConditions(text);
	checkConditions(expression, fields, parameter);
	return expression;
}

function filterRows<T>(request: SandboxRequest, rows: T[], fields: EntityFields): T[] {
	let out = rows;
	const conditions = param(request, 'conditions');
	if (conditions !== undefined && conditions.trim()) {
		const expression = parseChecked(conditions, fields, 'conditions');
		out = out.filter((row) => evaluate(expression, row, fields));
	}
	const childConditions = param(request, 'childConditions');
	if (childConditions !== undefined && childConditions.trim()) {
		const expression = parseChecked(childConditions, fields, 'childConditions');
		const collection = childCollectionOf(expression, fields);
		// Each child row is tested on its own: value and type conditions must hold for the same item.
		out = out.filter((row) => {
			const children = (row as Record<string, unknown>)[collection];
			return (
				Array.isArray(children) &&
				children.some((child) => evaluate(expression, { [collection]: [child] }, fields))
			);
		});
	}
	const customFieldConditions = param(request, 'customFieldConditions');
	if (customFieldConditions !== undefined && customFieldConditions.trim()) {
		const expression = parseChecked(
			customFieldConditions,
			CUSTOM_FIELD_FIELDS,
			'customFieldConditions',
		);
		out = out.filter((row) => {
			const custom = (row as Record<string, unknown>).customFields;
			return (
				Array.isArray(custom) &&
				custom.some((field) => evaluate(expression, field, CUSTOM_FIELD_FIELDS))
			);
		});
	}
	return out;
}

function childCollectionOf(expression: Expression, fields: EntityFields): string {
	const collections = new Set<string>();
	const walk = (node: Expression) => {
		if (node.type === 'not') walk(node.expression);
		else if (node.type !== 'compare') {
			walk(node.left);
			walk(node.right);
		} else {
			// [V] childConditions take the conditions operators "minus in" (notes §2.5).
			if (node.operator === 'in')
				throw new ConditionsError('The "in" operator is not supported in childConditions.');
			const collection = fields.childCollection(node.field);
			if (!collection || !node.field.includes('/')) {
				throw new ConditionsError(
					`"${node.field}" is not a child collection field; childConditions must name one, e.g. communicationItems/value.`,
				);
			}
			collections.add(collection);
		}
	};
	walk(expression);
	if (collections.size !== 1)
		throw new ConditionsError('childConditions must refer to a single child collection.');
	return [...collections][0];
}

function listResponse(
	request: SandboxRequest,
	rows: object[],
	fields: EntityFields,
	baseUrl: string,
	maxPageSize = 1000,
): SandboxResponse {
	const pageSizeText = param(request, 'pageSize');
	const pageSize = pageSizeText === undefined || pageSizeText === '' ? 25 : Number(pageSizeText);
	const max = maxPageSize;
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max) {
		return cwError(400, 'InvalidObject', VENDOR_TEXT.pageSize(max));
	}
	const orderBy = param(request, 'orderBy');
	const forwardOnly = (request.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only';
	const link = (changes: Record<string, string>) => {
		const query = new URLSearchParams(request.query);
		for (const [name, value] of Object.entries(changes)) {
			for (const key of [...query.keys()])
				if (key.toLowerCase() === name.toLowerCase()) query.delete(key);
			query.set(name, value);
		}
		return `${baseUrl}${request.path}?${query.toString()}`;
	};

	if (forwardOnly) {
		if (orderBy) return cwError(400, 'InvalidObject', VENDOR_TEXT.forwardOnlyOrderBy);
		const pageIdText = param(request, 'pageId');
		const pageId = pageIdText ? Number(pageIdText) : 0;
		if (!Number.isFinite(pageId)) return cwError(400, 'InvalidObject', 'pageId must be a number.');
		const page = [...rows]
			.sort((a, b) => idOf(a) - idOf(b))
			.filter((row) => idOf(row) > pageId)
			.slice(0, pageSize);
		const headers: Record<string, string> = {};
		// [V] "There will always be a link header in the response for the next pageId" (DG);
		// [U] none once a page comes back empty.
		if (page.length)
			headers.Link = `<${link({ pageId: String(idOf(page[page.length - 1])), pageSize: String(pageSize) })}>; rel="next"`;
		return { status: 200, headers, body: page.map((row) => project(row, request)) };
	}

	const pageText = param(request, 'page');
	const page = pageText === undefined || pageText === '' ? 1 : Number(pageText);
	if (!Number.isInteger(page) || page < 1)
		return cwError(400, 'InvalidObject', 'page must be 1 or more.');
	const sorted = orderBy
		? sortRows(rows, orderBy, fields)
		: [...rows].sort((a, b) => idOf(a) - idOf(b));
	const last = Math.max(1, Math.ceil(sorted.length / pageSize));
	const slice = sorted.slice((page - 1) * pageSize, page * pageSize);
	const links: string[] = [];
	if (page > 1) {
		links.push(`<${link({ page: '1', pageSize: String(pageSize) })}>; rel="first"`);
		links.push(
			`<${link({ page: String(Math.min(page - 1, last)), pageSize: String(pageSize) })}>; rel="prev"`,
		);
	}
	if (page < last) {
		links.push(`<${link({ page: String(page + 1), pageSize: String(pageSize) })}>; rel="next"`);
		links.push(`<${link({ page: String(last), pageSize: String(pageSize) })}>; rel="last"`);
	}
	return {
		status: 200,
		headers: links.length ? { Link: links.join(', ') } : {},
		body: slice.map((row) => project(row, request)),
	};
}

function sortRows(rows: object[], orderBy: string, fields: EntityFields): object[] | never {
	const keys = orderBy.split(',').map((part) => {
		const [field, direction = 'asc'] = part.trim().split(/\s+/);
		if (!fields.kind(field)) throw new ConditionsError(`Cannot find column "${field}" in orderBy.`);
		if (!/^(asc|desc)$/i.test(direction))
			throw new ConditionsError(`orderBy direction must be asc or desc, not "${direction}".`);
		return { field, descending: direction.toLowerCase() === 'desc' };
	});
	const value = (row: object, field: string) => {
		const found = fields.values(row, field)[0];
		return typeof found === 'string' ? found.toLowerCase() : found;
	};
	return [...rows].sort((a, b) => {
		for (const key of keys) {
			const x = value(a, key.field) as string | number | undefined;
			const y = value(b, key.field) as string | number | undefined;
			if (x === y) continue;
			if (x === undefined || x === null) return key.descending ? 1 : -1;
			if (y === undefined || y === null) return key.descending ? -1 : 1;
			const order = x < y ? -1 : 1;
			return key.descending ? -order : order;
		}
		return idOf(a) - idOf(b);
	});
}

/** `fields=id,firstName,company/id,communicationItems/value`: only those, nested as in the record. */
function project(row: object, request: SandboxRequest): object {
	const fieldsText = param(request, 'fields');
	if (!fieldsText || !fieldsText.trim()) return clone(row);
	const out: Record<string, unknown> = {};
	for (const path of fieldsText
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean)) {
		copyPath(row as Record<string, unknown>, out, path.split('/'));
	}
	return out;
}

function copyPath(
	source: Record<string, unknown>,
	target: Record<string, unknown>,
	segments: string[],
): void {
	const [head, ...rest] = segments;
	const key = Object.keys(source).find((k) => k.toLowerCase() === head.toLowerCase());
	if (key === undefined) return;
	const value = source[key];
	if (!rest.length || value === null || typeof value !== 'object') {
		if (!rest.length) target[key] = clone(value);
		return;
	}
	if (Array.isArray(value)) {
		const existing = (Array.isArray(target[key]) ? target[key] : value.map(() => ({}))) as Array<
			Record<string, unknown>
		>;
		value.forEach((element, index) => {
			if (element && typeof element === 'object')
				copyPath(element as Record<string, unknown>, existing[index], rest);
		});
		target[key] = existing;
		return;
	}
	const nested = (target[key] && typeof target[key] === 'object' ? target[key] : {}) as Record<
		string,
		unknown
	>;
	copyPath(value as Record<string, unknown>, nested, rest);
	target[key] = nested;
}

// ---------------------------------------------------------------------------------------------
// Writes

/**
 * ConnectWise's JSON-patch dialect ([V] DG, notes §2.4): an array of {op, path, value}; `path` is
 * a top-level field name, case-sensitive; a sub-path such as company/identifier is ignored with a
 * "false 200"; object values replace the whole reference.
 */
function applyPatch(
	target: Record<string, unknown>,
	operations: unknown,
	properties: string[],
	fields: EntityFields,
	special?: (path: string, value: unknown) => SandboxResponse | null | undefined,
): SandboxResponse | undefined {
	if (!Array.isArray(operations)) {
		return cwError(
			400,
			'InvalidPatch',
			'The request body must be an array of patch operations: [{"op": "replace", "path": "field", "value": ...}].',
		);
	}
	for (const operation of operations) {
		if (!isObject(operation))
			return cwError(
				400,
				'InvalidPatch',
				'Each patch operation must be an object with op, path and value.',
			);
		const {
			op,
			path: rawPath,
			value,
		} = operation as { op?: unknown; path?: unknown; value?: unknown };
		const verb = String(op ?? '').toLowerCase();
		if (!['add', 'replace', 'remove'].includes(verb)) {
			return cwError(
				400,
				'InvalidPatch',
				`The patch operation "${String(op)}" is not supported. Use add, replace or remove.`,
			);
		}
		const path = String(rawPath ?? '').replace(/^\//, '');
		if (!path) return cwError(400, 'InvalidPatch', 'A patch operation has no path.');
		// [V] "you may receive a false 200" for a path inside an object.
		if (path.includes('/')) continue;
		if (!properties.includes(path)) {
			return cwError(
				400,
				'InvalidPatch',
				`The path "${path}" does not exist on this object. Paths are field names and case-sensitive.`,
			);
		}
		if (READ_ONLY.has(path)) continue;
		const handled = special?.(path, value);
		if (handled) return handled;
		if (handled === null) continue;
		if (verb === 'remove' || value === null) {
			delete target[path];
			continue;
		}
		const converted = convert(value, fields.kind(path));
		if (converted.error) return cwError(400, 'InvalidPatch', converted.error);
		target[path] = converted.value;
	}
	return undefined;
}

function convert(value: unknown, kind: string | undefined): { value?: unknown; error?: string } {
	const netType = (v: unknown) =>
		typeof v === 'string'
			? 'System.String'
			: typeof v === 'boolean'
				? 'System.Boolean'
				: typeof v === 'number'
					? 'System.Int64'
					: Array.isArray(v)
						? 'System.Array'
						: 'System.Object';
	switch (kind) {
		case 'boolean':
			if (typeof value === 'boolean') return { value };
			if (value === 'true' || value === 'false') return { value: value === 'true' };
			return { error: `Could not cast or convert from ${netType(value)} to System.Boolean.` };
		case 'numeric':
			if (typeof value === 'number') return { value };
			if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
				return { value: Number(value) };
			return { error: `Could not cast or convert from ${netType(value)} to System.Int32.` };
		case 'string':
		case 'datetime':
			if (typeof value === 'string') return { value };
			if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
			return { error: `Could not cast or convert from ${netType(value)} to System.String.` };
		default:
			if (isObject(value) || Array.isArray(value)) return { value: clone(value) };
			return { error: `Could not cast or convert from ${netType(value)} to an object reference.` };
	}
}

interface FieldProblem {
	code: string;
	message: string;
	resource: string;
	field: string;
}

function fieldError(resource: string, field: string, code: string, message: string): FieldProblem {
	return { code, message, resource, field };
}

/** Checks a contact as the PSA does and fills in references; returns the problems found. */
function prepareContact(state: ConnectWiseState, draft: CwContact): FieldProblem[] {
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

function communicationProblems(
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

function commitContact(
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

function touch(contact: CwContact, key: CwApiKey): void {
	contact._info = {
		...(contact._info ?? {}),
		lastUpdated: timestamp(),
		updatedBy: key.memberIdentifier,
	};
}

// ---------------------------------------------------------------------------------------------
// Helpers

function settleHandler(run: () => SandboxResponse): SandboxResponse {
	try {
		return run();
	} catch (error) {
		if (error instanceof ConditionsError) return cwError(400, 'InvalidObject', error.message);
		return cwError(500, 'UnexpectedError', `Sandbox failure: ${(error as Error).message}`);
	}
}

export function cwError(
	status: number,
	code: string,
	message: string,
	errors: FieldProblem[] | null = null,
): SandboxResponse {
	return { status, body: { code, message, errors } };
}

function invalidObject(resource: string, problems: FieldProblem[]): SandboxResponse {
	return cwError(400, 'InvalidObject', VENDOR_TEXT.invalidObject(resource), problems);
}

function noRoute(request: SandboxRequest): SandboxResponse {
	return {
		status: 404,
		body: { Message: VENDOR_TEXT.noRoute(`${request.origin}${request.path}`) },
	};
}

function notFound(entity: string, id: string): SandboxResponse {
	return cwError(404, 'NotFound', VENDOR_TEXT.notFound(entity, id));
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

function idOf(row: object): number {
	return Number((row as { id?: unknown }).id) || 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function timestamp(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
