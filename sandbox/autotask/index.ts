/**
 * A local Autotask PSA REST API (V1.0) for tests, the demo and users trying the templates:
 * zone discovery, header auth with API users and their security levels, impersonation, the
 * query language with paging, the 3-thread and hourly limits, and the write rules of Companies'
 * Contacts, Tickets and Ticket Notes. What is assumed rather than documented is marked [U] in
 * sandbox/autotask/NOTES.md.
 */
import { Router } from '../core/http';
import { addTicketEventControls } from '../core/ticketEvents';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import type { VendorContext, VendorSandbox } from '../core/vendor';
import { addChildEntityRoutes } from './childEntities';
import { addConfigurationItemRoutes } from './configurationItems';
import { createContact, deleteContact, updateContact } from './contacts';
import { ENTITIES, entityByRoute } from './fields';
import type { EntityDefinition } from './fieldInfo';
import { fault, gatedRoutes, ok, PREFIX } from './gate';
import type { Call } from './gate';
import { AutotaskFault, invalid, matchesAll, parseQuery } from './query';
import type { ParsedQuery } from './query';
import { AutotaskState } from './state';
import type { Row } from './state';
import { applyTicketEvents } from './ticketEvents';
import { createTicket, createTicketNote, updateTicket, updateTicketNote } from './tickets';
import { addTicketWebhookRoutes } from './ticketWebhooks';

export { AutotaskState, applyTicketEvents };
export type { AutotaskApiUser, AutotaskSandboxConfig, Row as AutotaskRow } from './state';
export type {
	AppliedTicketEvents,
	ApplyTicketEventsOptions,
	AutotaskTicketEvent,
	TicketEventOutcome,
} from './ticketEvents';

export function createAutotaskSandbox(
	seed: Record<string, unknown[]> | undefined,
	context: VendorContext,
): VendorSandbox<AutotaskState> {
	const state = new AutotaskState(seed ?? {});
	const router = new Router();
	const add = gatedRoutes(state, router);

	// --- Zone discovery (unauthenticated, exempt from thread limiting) -----------------------
	add('GET', '/ZoneInformation', { open: true }, ({ request }) => {
		const user = state.apiUser(request.query.get('user') ?? '');
		if (!user) return fault(new AutotaskFault(500, ['Zone information could not be determined']));
		const base = context.baseUrl();
		return ok({
			zoneName: state.config.zoneName,
			url: `${base}/ATServicesRest/`,
			webUrl: `${base}/`,
			ci: state.config.ci,
		});
	});

	add('GET', '/ThresholdInformation', { budgetExempt: true }, () =>
		ok({
			externalRequestThreshold: state.config.hourlyLimit,
			requestThresholdTimeframe: 60,
			currentTimeframeRequestCount: state.requestTimes.length,
		}),
	);

	// --- Queries ---------------------------------------------------------------------------
	function queryFrom(
		call: Call,
		entity: EntityDefinition,
	): { query: ParsedQuery; search?: string } {
		if (call.request.method === 'GET') {
			const search = call.request.query.get('search');
			if (search === null)
				throw invalid('Invalid query syntax. The search parameter is required for a GET query.');
			let parsed: unknown;
			try {
				parsed = JSON.parse(search);
			} catch {
				throw invalid('Invalid query syntax. The search parameter is not valid JSON.');
			}
			return {
				query: parseQuery(entity, parsed, () => state.udfNames(entity)),
				search,
			};
		}
		if (call.request.body === undefined && call.request.rawBody.trim()) {
			throw invalid('Invalid query syntax. The request body is not valid JSON.');
		}
		return {
			query: parseQuery(entity, call.request.body, () => state.udfNames(entity)),
		};
	}

	function matching(
		entity: EntityDefinition,
		query: ParsedQuery,
		extra?: (row: Row) => boolean,
	): Row[] {
		return state
			.rows(entity)
			.filter((row) => (!extra || extra(row)) && matchesAll(row, query.filter))
			.sort((a, b) => Number(a.id) - Number(b.id));
	}

	function page(
		call: Call,
		entity: EntityDefinition,
		paging?: { pageSize?: number; lastId?: number; beforeId?: number },
	) {
		const { query, search } = queryFrom(call, entity);
		const pageSize = paging?.pageSize ?? query.maxRecords;
		const all = matching(entity, query);
		let start = 0;
		if (paging?.lastId !== undefined)
			start = all.findIndex((row) => Number(row.id) > paging.lastId!);
		if (paging?.beforeId !== undefined) {
			const before = all.findIndex((row) => Number(row.id) >= paging.beforeId!);
			start = Math.max(0, (before < 0 ? all.length : before) - pageSize);
		}
		if (start < 0) start = all.length;
		const rows = all.slice(start, start + pageSize);
		const link = (token: Record<string, number>) => {
			const url = `${context.baseUrl()}${PREFIX}/${entity.route}/query/next?paging=${encodeURIComponent(JSON.stringify({ pageSize, ...token }))}`;
			return search === undefined ? url : `${url}&search=${encodeURIComponent(search)}`;
		};
		const more = start + rows.length < all.length;
		return ok({
			items: rows.map((row) => state.present(entity, row, call.user, query.includeFields)),
			pageDetails: {
				count: rows.length,
				requestCount: pageSize,
				prevPageUrl: start > 0 && rows.length ? link({ beforeId: Number(rows[0].id) }) : null,
				nextPageUrl:
					more && rows.length ? link({ lastId: Number(rows[rows.length - 1].id) }) : null,
			},
		});
	}

	for (const entity of ENTITIES) {
		const e = entity.route;
		const read = { entity, action: 'query' as const };
		for (const method of ['GET', 'POST']) {
			add(method, `/${e}/query`, read, (call) => page(call, entity));
			add(method, `/${e}/query/count`, read, (call) =>
				ok({
					queryCount: matching(entity, queryFrom(call, entity).query).length,
				}),
			);
			add(method, `/${e}/query/next`, read, (call) => {
				// A POST query's next page is asked with POST and the same body; its link carries no search.
				if (method === 'GET' && !call.request.query.has('search')) {
					throw new AutotaskFault(405, [
						"The requested resource does not support http method 'GET'.",
					]);
				}
				let paging: { pageSize?: number; lastId?: number; beforeId?: number };
				try {
					paging = JSON.parse(call.request.query.get('paging') ?? '') as typeof paging;
				} catch {
					throw invalid('Invalid paging parameter.');
				}
				return page(call, entity, paging);
			});
		}
		add('GET', `/${e}/entityInformation`, {}, ({ user }) =>
			ok({
				info: {
					name: entity.name,
					canCreate: entity.canCreate,
					canDelete: entity.canDelete,
					canQuery: true,
					canUpdate: entity.canUpdate,
					userAccessForCreate: access(entity.canCreate && state.may(user, entity, 'create')),
					userAccessForDelete: access(entity.canDelete && state.may(user, entity, 'delete')),
					userAccessForQuery: access(state.may(user, entity, 'query')),
					userAccessForUpdate: access(entity.canUpdate && state.may(user, entity, 'update')),
					hasUserDefinedFields: entity.hasUserDefinedFields,
					supportsWebhookCallouts: entity.supportsWebhookCallouts,
				},
			}),
		);
		add('GET', `/${e}/entityInformation/fields`, {}, () => ok({ fields: state.fields(entity) }));
		add('GET', `/${e}/entityInformation/userDefinedFields`, {}, () =>
			ok({
				fields: state.udfNames(entity).map((name) => ({
					name,
					label: name,
					type: 'string',
					length: 8000,
					description: '',
					isRequired: false,
					isReadOnly: false,
					isQueryable: true,
					isReference: false,
					referenceEntityType: '',
					isPickList: false,
					picklistValues: null,
					picklistParentValueField: '',
					defaultValue: '',
					isSupportedWebhookField: false,
				})),
			}),
		);
		add('GET', `/${e}/{id}`, read, ({ request, user }) => {
			const row = /^\d+$/.test(request.params.id)
				? state.find(entity, request.params.id)
				: undefined;
			if (!row)
				throw new AutotaskFault(404, [`No ${entity.name} with id ${request.params.id} was found.`]);
			return ok({ item: state.present(entity, row, user) });
		});
	}

	// --- Contacts: written through their company ---------------------------------------------
	const tickets = entityByRoute('Tickets')!;
	addChildEntityRoutes(add, state, {
		path: '/Companies/{parentId}/Contacts',
		entity: entityByRoute('Contacts')!,
		parentKey: 'companyID',
		writes: { create: createContact, update: updateContact, delete: deleteContact },
	});

	// --- Tickets and their notes ---------------------------------------------------------------
	add('POST', '/Tickets', { entity: tickets, action: 'create' }, ({ request, actor }) =>
		ok({ itemId: createTicket(state, request.body, actor) }),
	);
	add('PATCH', '/Tickets', { entity: tickets, action: 'update' }, ({ request, actor }) =>
		ok({ itemId: updateTicket(state, request.body, 'patch', actor) }),
	);
	add('PUT', '/Tickets', { entity: tickets, action: 'update' }, ({ request, actor }) =>
		ok({ itemId: updateTicket(state, request.body, 'put', actor) }),
	);
	addChildEntityRoutes(add, state, {
		path: '/Tickets/{parentId}/Notes',
		entity: entityByRoute('TicketNotes')!,
		parentKey: 'ticketID',
		writes: { create: createTicketNote, update: updateTicketNote },
	});

	addConfigurationItemRoutes(add, state);

	// --- Ticket webhooks (after the generic entity routes, which own .../entityInformation) ------
	addTicketWebhookRoutes(add, state);

	// --- Sandbox controls (no vendor API): deliver queued callouts, apply ticket events ---------
	addTicketEventControls(router, {
		vendor: 'autotask',
		outbox: 'webhooks',
		deliver: async (options) => await state.deliverWebhooks(options),
		apply: (events) => applyTicketEvents(state, { events }),
	});

	router.add('GET', '/atservicesrest/versioninformation', () =>
		ok({ apiVersions: ['V1.0', 'V2.0'] }),
	);

	/** Writes on an entity's root or id that Autotask has no route for answer 405, as IIS does. */
	const notAllowed = (request: SandboxRequest): SandboxResponse =>
		fault(
			new AutotaskFault(405, [
				`The requested resource does not support http method '${request.method}'.`,
			]),
		);

	return {
		router,
		state,
		dump: () => state.dump(),
		methodNotAllowed: notAllowed,
		notFound: (request) => {
			const match = new RegExp(`^${PREFIX}/([A-Za-z]+)(?:/\\d+)?/?$`, 'i').exec(request.path);
			if (match && entityByRoute(match[1]) && request.method !== 'GET') return notAllowed(request);
			return fault(
				new AutotaskFault(404, [
					`No HTTP resource was found that matches the request URI '${request.origin}${request.path}'.`,
				]),
			);
		},
	};
}

function access(allowed: boolean): string {
	// [U] RestUserAccessLevel comes back as a name; the trimmed Swagger document types it as an object.
	return allowed ? 'All' : 'None';
}
