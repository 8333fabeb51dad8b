/**
 * ConnectWise Manage (PSA) on 127.0.0.1: companyinfo discovery, Basic `company+public:private`
 * plus the mandatory clientId header, contacts with their communication items, communication
 * types and companies, the conditions/childConditions language, navigable and forward-only
 * paging with RFC 5988 Link headers, ConnectWise's JSON-patch dialect and its error shapes.
 *
 * It follows ConnectWise's developer guide and the Manage 2025.1 OpenAPI document
 * (sandbox/specs). Everything they do not pin down is tagged [U] below and lives in VENDOR_TEXT
 * or the rule that uses it.
 */
import { Router } from '../core/http';
import { addTicketEventControls } from '../core/ticketEvents';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import type { VendorContext, VendorSandbox } from '../core/vendor';
import { ConditionsError } from './conditions';
import { cwError, fieldError, invalidObject, noRoute, notFound, VENDOR_TEXT } from './errors';
import {
	COMMUNICATION_FIELDS,
	COMMUNICATION_PROPERTIES,
	COMPANY_FIELDS,
	CONTACT_FIELDS,
	CONTACT_PROPERTIES,
	TYPE_FIELDS,
} from './fields';
import { applyPatch } from './patch';
import { filterRows, listResponse, project } from './query';
import { addServiceRoutes } from './serviceRoutes';
import {
	clone,
	commitContact,
	communicationProblems,
	ConnectWiseState,
	DEFAULT_COMMUNICATION_TYPES,
	isObject,
	prepareContact,
	timestamp,
	touch,
} from './state';
import type {
	CwApiKey,
	CwCommunicationItem,
	CwCommunicationType,
	CwCompany,
	CwContact,
} from './state';
import { applyTicketEvents } from './ticketEvents';

const ROUTER_CODEBASE = 'v4_6_release/';

export function createConnectWiseSandbox(
	seed: Record<string, unknown[]>,
	context: VendorContext,
): VendorSandbox<ConnectWiseState> {
	const state = new ConnectWiseState(seed, () => context.baseUrl());
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
			// PUT replaces: "any field that has not been specified will be ... set to Null" (developer guide).
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

	addServiceRoutes(router, state, guarded, () => context.baseUrl());

	// Sandbox controls (no vendor API): deliver queued callbacks, apply ticket events.
	addTicketEventControls(router, {
		vendor: 'connectwise',
		outbox: 'callbacks',
		deliver: async (options) => await state.deliverCallbacks(options),
		apply: (events) => applyTicketEvents(state, { events }),
	});

	return {
		router,
		state,
		dump: () => ({
			companies: clone(state.companies),
			contacts: clone(state.contacts),
			communicationTypes: clone(state.communicationTypes),
			...state.service.dump(),
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
	// On cloud, bad keys through the v4_6_release router come back as 404, not 401 (developer
	// guide, troubleshooting: "you may have incorrect authentication instead of the resource not
	// being found").
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

function settleHandler(run: () => SandboxResponse): SandboxResponse {
	try {
		return run();
	} catch (error) {
		if (error instanceof ConditionsError) return cwError(400, 'InvalidObject', error.message);
		return cwError(500, 'UnexpectedError', `Sandbox failure: ${(error as Error).message}`);
	}
}

export { ConnectWiseState, applyTicketEvents };
export type {
	AppliedConnectWiseTicketEvents,
	ApplyConnectWiseTicketEventsOptions,
	ConnectWiseTicketEvent,
	ConnectWiseTicketEventOutcome,
} from './ticketEvents';
export type { Member, ServiceDesk, ServiceRow } from './service';
export type {
	CwApiKey,
	CwCommunicationItem,
	CwCommunicationType,
	CwCompany,
	CwContact,
	CwReference,
} from './state';
