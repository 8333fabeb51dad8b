/**
 * ConnectWise's service routes: `/service/tickets` (+ `/count`, `/{id}`, `/{id}/notes`,
 * `/{id}/configurations`), `/service/boards` and each board's `/statuses`, `/types`, `/subtypes`,
 * `/items`, `/service/priorities`, `/service/sources`, `/company/configurations` (+ `/types`,
 * `/{id}`), `/time/entries` (+ `/count`) and `/system/callbacks` (+ `/{id}`). Every list takes
 * conditions, childConditions, customFieldConditions, orderBy, fields and both paging styles.
 * The rules are the service desk's (service.ts).
 */
import type { Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { fieldError, invalidObject, notFound } from './errors';
import {
	BOARD_FIELDS,
	BOARD_ITEM_FIELDS,
	BOARD_STATUS_FIELDS,
	BOARD_SUBTYPE_FIELDS,
	BOARD_TYPE_FIELDS,
	CALLBACK_FIELDS,
	CALLBACK_PROPERTIES,
	CONFIGURATION_FIELDS,
	CONFIGURATION_PROPERTIES,
	CONFIGURATION_REFERENCE_FIELDS,
	CONFIGURATION_TYPE_FIELDS,
	NOTE_FIELDS,
	PRIORITY_FIELDS,
	SOURCE_FIELDS,
	TICKET_FIELDS,
	TICKET_PROPERTIES,
	TIME_ENTRY_FIELDS,
} from './fields';
import type { EntityFields } from './fields';
import { applyPatch } from './patch';
import { filterRows, listResponse, project } from './query';
import { byId, configurationReference, nextId } from './serviceRows';
import type { ServiceRow } from './serviceRows';
import { clone, isObject } from './state';
import type { ConnectWiseState, CwApiKey } from './state';

type Guarded = (
	handler: (request: SandboxRequest, key: CwApiKey) => SandboxResponse,
) => (request: SandboxRequest) => SandboxResponse;

export function addServiceRoutes(
	router: Router,
	state: ConnectWiseState,
	guarded: Guarded,
	baseUrl: () => string,
): void {
	const desk = state.service;
	const api = (path: string) => `/{codebase}/apis/3.0${path}`;
	const list = (request: SandboxRequest, rows: object[], fields: EntityFields) =>
		listResponse(request, filterRows(request, rows, fields), fields, baseUrl(), state.maxPageSize);
	const count = (request: SandboxRequest, rows: object[], fields: EntityFields) => ({
		status: 200,
		body: { count: filterRows(request, rows, fields).length },
	});
	const created = (body: object, request: SandboxRequest) => ({
		status: 201,
		body: project(body, request),
	});
	const bodyRequired = (resource: string) =>
		invalidObject(resource, [
			fieldError(resource, 'body', 'NullOrEmpty', `The ${resource} body is required.`),
		]);

	// --- Tickets ------------------------------------------------------------------------------
	router.add(
		'GET',
		api('/service/tickets/count'),
		guarded((request) => count(request, desk.tickets, TICKET_FIELDS)),
	);
	router.add(
		'GET',
		api('/service/tickets'),
		guarded((request) => list(request, desk.tickets, TICKET_FIELDS)),
	);
	router.add(
		'POST',
		api('/service/tickets'),
		guarded((request, key) => {
			if (!isObject(request.body)) return bodyRequired('ticket');
			const result = desk.createTicket(request.body, state.memberOf(key));
			if (Array.isArray(result)) return invalidObject('ticket', result);
			return created(result, request);
		}),
	);
	const withTicket = (
		param: string,
		handler: (request: SandboxRequest, key: CwApiKey, ticket: ServiceRow) => SandboxResponse,
	) =>
		guarded((request, key) => {
			const ticket = desk.ticket(request.params[param]);
			if (!ticket) return notFound('Ticket', request.params[param]);
			return handler(request, key, ticket);
		});
	router.add(
		'GET',
		api('/service/tickets/{id}'),
		withTicket('id', (request, _key, ticket) => ({ status: 200, body: project(ticket, request) })),
	);
	router.add(
		'PATCH',
		api('/service/tickets/{id}'),
		withTicket('id', (request, key, ticket) => {
			const draft = clone(ticket);
			const patched = applyPatch(draft, request.body, TICKET_PROPERTIES, TICKET_FIELDS);
			if (patched) return patched;
			const result = desk.updateTicket(ticket, draft, state.memberOf(key), {
				skipCallback: draft.skipCallback === true,
			});
			if (Array.isArray(result)) return invalidObject('ticket', result);
			return { status: 200, body: project(result, request) };
		}),
	);
	router.add(
		'GET',
		api('/service/tickets/{parentId}/notes'),
		withTicket('parentId', (request, _key, ticket) =>
			list(request, desk.notesOf(ticket.id), NOTE_FIELDS),
		),
	);
	router.add(
		'POST',
		api('/service/tickets/{parentId}/notes'),
		withTicket('parentId', (request, key, ticket) => {
			if (!isObject(request.body)) return bodyRequired('serviceNote');
			const result = desk.addNote(ticket, request.body, state.memberOf(key));
			if (Array.isArray(result)) return invalidObject('serviceNote', result);
			return created(result, request);
		}),
	);
	router.add(
		'GET',
		api('/service/tickets/{parentId}/configurations'),
		withTicket('parentId', (request, _key, ticket) =>
			list(
				request,
				desk.configurationsOf(ticket.id).map(configurationReference),
				CONFIGURATION_REFERENCE_FIELDS,
			),
		),
	);
	router.add(
		'POST',
		api('/service/tickets/{parentId}/configurations'),
		withTicket('parentId', (request, _key, ticket) => {
			if (!isObject(request.body)) return bodyRequired('configurationReference');
			const result = desk.attachConfiguration(ticket, request.body);
			if (Array.isArray(result)) return invalidObject('configurationReference', result);
			return created(result, request);
		}),
	);

	// --- Boards and their lists, priorities, sources ---------------------------------------------
	router.add(
		'GET',
		api('/service/boards'),
		guarded((request) => list(request, desk.boards, BOARD_FIELDS)),
	);
	const boardLists: Array<[string, () => ServiceRow[], EntityFields]> = [
		['statuses', () => desk.boardStatuses, BOARD_STATUS_FIELDS],
		['types', () => desk.boardTypes, BOARD_TYPE_FIELDS],
		['subtypes', () => desk.boardSubTypes, BOARD_SUBTYPE_FIELDS],
		['items', () => desk.boardItems, BOARD_ITEM_FIELDS],
	];
	for (const [segment, rows, fields] of boardLists) {
		router.add(
			'GET',
			api(`/service/boards/{parentId}/${segment}`),
			guarded((request) => {
				const board = desk.board(request.params.parentId);
				if (!board) return notFound('Board', request.params.parentId);
				return list(request, desk.ofBoard(rows(), board.id), fields);
			}),
		);
	}
	router.add(
		'GET',
		api('/service/priorities'),
		guarded((request) => list(request, desk.priorities, PRIORITY_FIELDS)),
	);
	router.add(
		'GET',
		api('/service/sources'),
		guarded((request) => list(request, desk.sources, SOURCE_FIELDS)),
	);

	// --- Configurations -------------------------------------------------------------------------
	router.add(
		'GET',
		api('/company/configurations/types'),
		guarded((request) => list(request, desk.configurationTypes, CONFIGURATION_TYPE_FIELDS)),
	);
	router.add(
		'GET',
		api('/company/configurations'),
		guarded((request) => list(request, desk.configurations, CONFIGURATION_FIELDS)),
	);
	router.add(
		'POST',
		api('/company/configurations'),
		guarded((request, key) => {
			if (!isObject(request.body)) return bodyRequired('configuration');
			const draft = clone(request.body);
			delete draft.id;
			const problems = desk.prepareConfiguration(draft);
			if (problems.length) return invalidObject('configuration', problems);
			const stamp = new Date().toISOString();
			const row: ServiceRow = {
				id: nextId(desk.configurations, 1),
				...draft,
				_info: { lastUpdated: stamp, updatedBy: key.memberIdentifier, dateEntered: stamp },
			};
			desk.configurations.push(row);
			return created(row, request);
		}),
	);
	router.add(
		'GET',
		api('/company/configurations/{id}'),
		guarded((request) => {
			const row = byId(desk.configurations, request.params.id);
			if (!row) return notFound('Configuration', request.params.id);
			return { status: 200, body: project(row, request) };
		}),
	);
	router.add(
		'PATCH',
		api('/company/configurations/{id}'),
		guarded((request, key) => {
			const stored = byId(desk.configurations, request.params.id);
			if (!stored) return notFound('Configuration', request.params.id);
			const draft = clone(stored);
			const patched = applyPatch(
				draft,
				request.body,
				CONFIGURATION_PROPERTIES,
				CONFIGURATION_FIELDS,
			);
			if (patched) return patched;
			const problems = desk.prepareConfiguration(draft);
			if (problems.length) return invalidObject('configuration', problems);
			draft.id = stored.id;
			draft._info = {
				...((stored._info ?? {}) as Record<string, string>),
				lastUpdated: new Date().toISOString(),
				updatedBy: key.memberIdentifier,
			};
			for (const field of Object.keys(stored)) delete stored[field];
			Object.assign(stored, draft);
			return { status: 200, body: project(stored, request) };
		}),
	);

	// --- Time entries ---------------------------------------------------------------------------
	router.add(
		'GET',
		api('/time/entries/count'),
		guarded((request) => count(request, desk.timeEntries, TIME_ENTRY_FIELDS)),
	);
	router.add(
		'GET',
		api('/time/entries'),
		guarded((request) => list(request, desk.timeEntries, TIME_ENTRY_FIELDS)),
	);

	// --- Callbacks ------------------------------------------------------------------------------
	router.add(
		'GET',
		api('/system/callbacks'),
		guarded((request) => list(request, desk.callbacks, CALLBACK_FIELDS)),
	);
	router.add(
		'POST',
		api('/system/callbacks'),
		guarded((request, key) => {
			if (!isObject(request.body)) return bodyRequired('callbackEntry');
			const draft = clone(request.body);
			delete draft.id;
			const problems = desk.prepareCallback(draft);
			if (problems.length) return invalidObject('callbackEntry', problems);
			const row: ServiceRow = {
				id: nextId(desk.callbacks, 1),
				...draft,
				memberId: key.memberId ?? null,
				_info: { lastUpdated: new Date().toISOString(), updatedBy: key.memberIdentifier },
			};
			desk.callbacks.push(row);
			return created(row, request);
		}),
	);
	const withCallback = (
		handler: (request: SandboxRequest, key: CwApiKey, callback: ServiceRow) => SandboxResponse,
	) =>
		guarded((request, key) => {
			const callback = byId(desk.callbacks, request.params.id);
			if (!callback) return notFound('CallbackEntry', request.params.id);
			return handler(request, key, callback);
		});
	const replaceCallback = (stored: ServiceRow, draft: ServiceRow, key: CwApiKey) => {
		const problems = desk.prepareCallback(draft);
		if (problems.length) return invalidObject('callbackEntry', problems);
		Object.assign(draft, {
			id: stored.id,
			memberId: stored.memberId ?? null,
			_info: {
				...((stored._info ?? {}) as Record<string, string>),
				lastUpdated: new Date().toISOString(),
				updatedBy: key.memberIdentifier,
			},
		});
		for (const field of Object.keys(stored)) delete stored[field];
		Object.assign(stored, draft);
		return undefined;
	};
	router.add(
		'GET',
		api('/system/callbacks/{id}'),
		withCallback((request, _key, callback) => ({ status: 200, body: project(callback, request) })),
	);
	router.add(
		'PUT',
		api('/system/callbacks/{id}'),
		withCallback((request, key, callback) => {
			if (!isObject(request.body)) return bodyRequired('callbackEntry');
			const refused = replaceCallback(callback, clone(request.body), key);
			return refused ?? { status: 200, body: project(callback, request) };
		}),
	);
	router.add(
		'PATCH',
		api('/system/callbacks/{id}'),
		withCallback((request, key, callback) => {
			const draft = clone(callback);
			const patched = applyPatch(draft, request.body, CALLBACK_PROPERTIES, CALLBACK_FIELDS);
			if (patched) return patched;
			const refused = replaceCallback(callback, draft, key);
			return refused ?? { status: 200, body: project(callback, request) };
		}),
	);
	router.add(
		'DELETE',
		api('/system/callbacks/{id}'),
		withCallback((_request, _key, callback) => {
			desk.callbacks = desk.callbacks.filter((row) => row !== callback);
			return { status: 204 };
		}),
	);
}
