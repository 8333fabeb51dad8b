/**
 * Microsoft Graph (v1.0 users) and the Microsoft identity platform's client-credentials token
 * endpoint, on one local server. What it holds to, from ../shared/reference/connectwise-and-graph.md
 * §3-§4 (and the Graph docs they quote):
 * - tokens are bound to the tenant they were minted for; /users answers with that tenant only;
 * - $select (absent properties are not returned), the default property set, $top 1..999,
 *   $filter in the forms the package sends, advanced queries only with ConsistencyLevel:
 *   eventual plus $count=true (also on every nextLink page), @odata.nextLink, @odata.count;
 * - /users/delta with nextLink pages, a deltaLink, @removed entries and 410 for expired links;
 * - 401/403/404/429 and the OData error shape {error:{code,message,innerError}}.
 */
import { randomUUID } from 'node:crypto';

import { Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { SANDBOX_IDENTITIES } from '../credentials';
import type { VendorContext, VendorSandbox } from '../core/vendor';
import {
	advancedQueryReason,
	evaluateFilter,
	FilterSyntaxError,
	parseFilter,
	UnknownPropertyError,
} from './filter';
import type { FilterExpr } from './filter';
import {
	COLLECTION_PROPERTIES,
	DEFAULT_USER_PROPERTIES,
	findUser,
	GraphState,
	SINGLE_USER_ONLY_PROPERTIES,
	USER_PROPERTIES,
	USER_READ_PERMISSIONS,
} from './state';
import type { GraphUser, TenantState } from './state';

export { GraphState } from './state';
export type { GraphApiCall, GraphUser, TenantState, TenantInput } from './state';

const MAX_TOP = 999;

export function createGraphSandbox(
	seed: Record<string, unknown[]>,
	context: VendorContext,
): VendorSandbox<GraphState> {
	const state = new GraphState(seed.users ?? []);
	const router = new Router();

	router.add('POST', '/{tenant}/oauth2/v2.0/token', (request) => token(state, request));
	const delta = (request: SandboxRequest) =>
		api(state, request, (tenant) => usersDelta(state, tenant, request));
	router.add('GET', '/v1.0/users/delta', delta);
	router.add('GET', '/v1.0/users/delta()', delta);
	router.add('GET', '/v1.0/users/microsoft.graph.delta()', delta);
	router.add('GET', '/v1.0/users/{id}', (request) =>
		api(state, request, (tenant) => getUser(tenant, request)),
	);
	router.add('GET', '/v1.0/users', (request) =>
		api(state, request, (tenant) => listUsers(state, tenant, request)),
	);

	return {
		router,
		state,
		dump: () => ({ users: state.users().map((user) => structuredClone(user)) }),
		notFound: (request) => {
			const segment = request.path.split('/').filter(Boolean).slice(-1)[0] ?? '';
			return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
		},
		methodNotAllowed: () =>
			graphError(
				405,
				'Request_BadRequest',
				'Specified HTTP method is not allowed for the request target.',
			),
	};

	// Absolute links are built from the server's own address, as Graph builds them from its host.
	function origin(request: SandboxRequest): string {
		return request.origin || context.baseUrl();
	}

	function listUsers(
		graph: GraphState,
		tenant: TenantState,
		request: SandboxRequest,
	): SandboxResponse {
		const query = request.query;
		const select = parseSelect(query.get('$select'), true);
		if ('response' in select) return select.response;

		const topText = query.get('$top');
		let top = graph.defaultPageSize;
		if (topText !== null) {
			top = Number(topText);
			if (!/^\d+$/.test(topText.trim()) || top < 1 || top > MAX_TOP) {
				return graphError(
					400,
					'Request_UnsupportedQuery',
					`Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`,
				);
			}
		}
		if (query.get('$expand')) {
			return graphError(
				400,
				'Request_BadRequest',
				'Expand is not supported with this query. Remove $expand.',
			);
		}

		const eventual = (request.headers.consistencylevel ?? '').trim().toLowerCase() === 'eventual';
		const countText = query.get('$count');
		const count = countText?.toLowerCase() === 'true';
		if (countText !== null && !['true', 'false'].includes(countText.toLowerCase())) {
			return graphError(
				400,
				'BadRequest',
				`Invalid value '${countText}' for $count; use true or false.`,
			);
		}
		if (count && !eventual)
			return graphError(400, 'Request_BadRequest', '$count is not currently supported.');

		const search = query.get('$search');
		if (search !== null && !eventual) {
			return graphError(
				400,
				'Request_UnsupportedQuery',
				"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
			);
		}

		const filterText = query.get('$filter');
		let filter: FilterExpr | undefined;
		if (filterText !== null && filterText.trim() !== '') {
			const parsed = parseUserFilter(filterText);
			if ('response' in parsed) return parsed.response;
			filter = parsed.expr;
			const advanced = advancedQueryReason(filter);
			if (advanced && !(eventual && count)) {
				if (advanced.operator === 'endsWith' && !eventual) {
					return graphError(
						400,
						'Request_UnsupportedQuery',
						"Operator 'endsWith' is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
					);
				}
				return graphError(
					400,
					'Request_UnsupportedQuery',
					`Unsupported or invalid query filter clause specified for property '${advanced.property}' of resource 'User'.`,
				);
			}
		}

		const orderBy = parseOrderBy(query.get('$orderby'));
		if ('response' in orderBy) return orderBy.response;
		if (orderBy.property && filter && !(eventual && count)) {
			return graphError(
				400,
				'Request_UnsupportedQuery',
				'Sorting not supported for current query.',
			);
		}

		let matches = [...tenant.users.values()].map((entry) => entry.user);
		if (filter) matches = matches.filter((user) => evaluateFilter(filter!, user));
		if (search !== null) {
			const searched = searchUsers(matches, search);
			if ('response' in searched) return searched.response;
			matches = searched.users;
		}
		sortUsers(matches, orderBy.property, orderBy.descending);

		// Where this page starts: the skip token carries the tenant, the query and the offset.
		const queryKey = JSON.stringify([filterText ?? '', search ?? '', query.get('$orderby') ?? '']);
		let offset = 0;
		const skipToken = query.get('$skiptoken');
		if (skipToken !== null) {
			const decoded = decodeToken<{ t: string; q: string; o: number }>(skipToken);
			if (
				!decoded ||
				decoded.t !== tenant.id ||
				decoded.q !== queryKey ||
				!Number.isInteger(decoded.o)
			) {
				return graphError(
					400,
					'Request_BadRequest',
					'The specified page token value has expired or is not valid for this query.',
				);
			}
			offset = decoded.o;
		}

		const page = matches.slice(offset, offset + top);
		const body: Record<string, unknown> = {
			'@odata.context': `${origin(request)}/v1.0/$metadata#users${select.explicit ? `(${select.properties.join(',')})` : ''}`,
		};
		if (count && skipToken === null) body['@odata.count'] = matches.length;
		if (offset + top < matches.length) {
			const next = new URLSearchParams();
			for (const [key, value] of query)
				if (key.toLowerCase() !== '$skiptoken') next.append(key, value);
			next.append('$skiptoken', encodeToken({ t: tenant.id, q: queryKey, o: offset + top }));
			body['@odata.nextLink'] = `${origin(request)}/v1.0/users?${encodeQuery(next)}`;
		}
		body.value = page.map((user) => project(user, select.properties));
		return ok(body);
	}

	function getUser(tenant: TenantState, request: SandboxRequest): SandboxResponse {
		const select = parseSelect(request.query.get('$select'), false);
		if ('response' in select) return select.response;
		const entry = findUser(tenant, request.params.id);
		if (!entry) {
			return graphError(
				404,
				'Request_ResourceNotFound',
				`Resource '${request.params.id}' does not exist or one of its queried reference-property objects are not present.`,
			);
		}
		return ok({
			'@odata.context': `${origin(request)}/v1.0/$metadata#users${select.explicit ? `(${select.properties.join(',')})` : ''}/$entity`,
			...project(entry.user, select.properties),
		});
	}

	function usersDelta(
		graph: GraphState,
		tenant: TenantState,
		request: SandboxRequest,
	): SandboxResponse {
		const query = request.query;
		const base = `${origin(request)}/v1.0/users/delta()`;
		const deltaToken = query.get('$deltatoken') ?? query.get('$deltaToken');
		const skipToken = query.get('$skiptoken');

		interface DeltaState {
			t: string;
			e: number;
			s: string[] | null;
			/** Changes after this version are reported (0 = the initial full read). */
			f: number;
			/** The version this round started at: the next delta link's starting point. */
			v: number;
			/** Last id returned in this round. */
			a?: string;
			initial: boolean;
		}

		let round: DeltaState;
		if (skipToken !== null || (deltaToken !== null && deltaToken !== 'latest')) {
			const decoded = decodeToken<DeltaState>((skipToken ?? deltaToken)!);
			if (!decoded || typeof decoded.t !== 'string' || typeof decoded.v !== 'number') {
				return graphError(400, 'Request_BadRequest', 'The delta token or skip token is not valid.');
			}
			if (decoded.t !== tenant.id) {
				return graphError(
					400,
					'Request_BadRequest',
					'The delta token was issued for another tenant and is not valid here.',
				);
			}
			if (decoded.e !== tenant.deltaEpoch) {
				const response = graphError(
					410,
					tenant.deltaExpiryCode,
					tenant.deltaExpiryCode === 'resyncRequired'
						? 'Resync required. Replace any local cached copies of the directory objects with the result of a full delta query.'
						: 'The sync state generation is not found or has expired. Start a new round of synchronization without a delta token.',
				);
				response.headers = { ...response.headers, Location: `${base}${selectSuffix(decoded.s)}` };
				return response;
			}
			round =
				skipToken !== null
					? decoded
					: { ...decoded, f: decoded.v, v: tenant.version, a: undefined, initial: false };
		} else {
			const select = parseSelect(query.get('$select'), true);
			if ('response' in select) return select.response;
			const filterText = query.get('$filter');
			if (
				filterText &&
				!/^\s*id\s+eq\s+'[^']*'(\s+or\s+id\s+eq\s+'[^']*')*\s*$/i.test(filterText)
			) {
				return graphError(
					400,
					'Request_UnsupportedQuery',
					"Unsupported query. Delta query on users only supports filtering by id (id eq '...').",
				);
			}
			const state: DeltaState = {
				t: tenant.id,
				e: tenant.deltaEpoch,
				s: select.explicit ? select.properties : null,
				f: 0,
				v: tenant.version,
				initial: true,
			};
			if (deltaToken === 'latest') {
				return ok({
					'@odata.context': `${origin(request)}/v1.0/$metadata#users`,
					'@odata.deltaLink': `${base}?$deltatoken=${encodeToken(state)}`,
					value: [],
				});
			}
			round = state;
		}

		const select = round.s ?? DEFAULT_USER_PROPERTIES;
		type Entry = { id: string; item: Record<string, unknown> };
		const entries: Entry[] = [];
		for (const { user, version } of tenant.users.values()) {
			if (round.initial || version > round.f)
				entries.push({ id: user.id, item: project(user, select) });
		}
		if (!round.initial) {
			const removed = new Map<string, Entry>();
			for (const removal of tenant.removals) {
				if (removal.version <= round.f || tenant.users.has(removal.id)) continue;
				removed.set(removal.id, {
					id: removal.id,
					item: { id: removal.id, '@removed': { reason: removal.reason } },
				});
			}
			entries.push(...removed.values());
		}
		entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		const remaining =
			round.a === undefined ? entries : entries.filter((entry) => entry.id > round.a!);
		const page = remaining.slice(0, graph.deltaPageSize);
		const body: Record<string, unknown> = {
			'@odata.context': `${origin(request)}/v1.0/$metadata#users${round.s ? `(${round.s.join(',')})` : ''}`,
		};
		if (remaining.length > page.length) {
			body['@odata.nextLink'] =
				`${base}?$skiptoken=${encodeToken({ ...round, a: page[page.length - 1].id })}`;
		} else {
			body['@odata.deltaLink'] =
				`${base}?$deltatoken=${encodeToken({ ...round, f: round.v, a: undefined, initial: false })}`;
		}
		body.value = page.map((entry) => entry.item);
		return ok(body);
	}
}

/** Token check, throttling and permission check shared by every Graph API route; each call is recorded. */
function api(
	state: GraphState,
	request: SandboxRequest,
	handler: (tenant: TenantState) => SandboxResponse,
): SandboxResponse {
	const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
	const response = authorizeAndHandle(state, request, handler);
	state.calls.push({
		method: request.method,
		path: request.path,
		query: Object.fromEntries(request.query),
		consistencyLevel: request.headers.consistencylevel,
		tenantId: bearer ? state.tokens.get(bearer)?.tenantId : undefined,
		status: response.status,
	});
	return response;
}

function authorizeAndHandle(
	state: GraphState,
	request: SandboxRequest,
	handler: (tenant: TenantState) => SandboxResponse,
): SandboxResponse {
	const authorization = request.headers.authorization ?? '';
	const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
	if (!bearer) return unauthorized('Access token is empty.');
	const issued = state.tokens.get(bearer);
	if (!issued)
		return unauthorized('Access token validation failure. Invalid audience or signature.');
	if (issued.expiresAt <= Date.now() || (issued.usesLeft !== undefined && issued.usesLeft <= 0)) {
		return unauthorized('Lifetime validation failed, the token is expired.');
	}
	if (issued.usesLeft !== undefined) issued.usesLeft--;
	const tenant = state.tenants.get(issued.tenantId);
	if (!tenant) return unauthorized('Access token validation failure. The tenant no longer exists.');

	const throttle = tenant.throttle;
	if (throttle) {
		const now = Date.now();
		if (now - throttle.windowStart >= throttle.windowMs) {
			throttle.windowStart = now;
			throttle.used = 0;
		}
		if (throttle.used >= throttle.limit) {
			const retryAfter = Math.max(
				1,
				Math.ceil((throttle.windowStart + throttle.windowMs - now) / 1000),
			);
			const response = graphError(429, 'TooManyRequests', 'Too many requests.');
			response.headers = {
				...response.headers,
				'Retry-After': String(retryAfter),
				'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${tenant.id}/${SANDBOX_IDENTITIES.graph.clientId}`,
				'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
			};
			return response;
		}
		throttle.used++;
	}

	if (!tenant.permissions.some((permission) => USER_READ_PERMISSIONS.includes(permission))) {
		return graphError(
			403,
			'Authorization_RequestDenied',
			'Insufficient privileges to complete the operation.',
		);
	}
	return handler(tenant);
}

/** POST /{tenant}/oauth2/v2.0/token, client credentials only. */
function token(state: GraphState, request: SandboxRequest): SandboxResponse {
	const form = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
		string,
		string
	>;
	const identity = SANDBOX_IDENTITIES.graph;
	const tenant = state.findTenant(request.params.tenant);
	if (!tenant) {
		return aadError(
			400,
			'invalid_request',
			90002,
			`Tenant '${request.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
		);
	}
	if (form.grant_type !== 'client_credentials') {
		return aadError(
			400,
			'unsupported_grant_type',
			70003,
			'The app requested an unsupported grant type.',
		);
	}
	if (form.client_id !== identity.clientId || !tenant.consented) {
		return aadError(
			400,
			'unauthorized_client',
			700016,
			`Application with identifier '${form.client_id ?? ''}' was not found in the directory '${tenant.domains[0]}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
		);
	}
	if (form.client_secret !== identity.clientSecret) {
		return aadError(
			401,
			'invalid_client',
			7000215,
			`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${identity.clientId}'.`,
		);
	}
	if (!/\/\.default$/.test(form.scope ?? '')) {
		return aadError(
			400,
			'invalid_scope',
			1002012,
			`The provided value for scope ${form.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
		);
	}
	const minted = state.issueToken(tenant);
	return {
		status: 200,
		body: {
			token_type: 'Bearer',
			expires_in: minted.expiresIn,
			ext_expires_in: minted.expiresIn,
			access_token: minted.token,
		},
	};
}

function parseSelect(
	text: string | null,
	collection: boolean,
): { properties: string[]; explicit: boolean } | { response: SandboxResponse } {
	if (text === null || text.trim() === '')
		return { properties: DEFAULT_USER_PROPERTIES, explicit: false };
	const properties: string[] = [];
	for (const raw of text.split(',')) {
		const name = raw.trim();
		if (!name) continue;
		if (SINGLE_USER_ONLY_PROPERTIES.some((p) => p.toLowerCase() === name.toLowerCase())) {
			if (collection) {
				return {
					response: graphError(
						501,
						'NotImplemented',
						`The property '${name}' does not support being selected on a collection of users. Read it for one user at a time.`,
					),
				};
			}
			properties.push(name);
			continue;
		}
		const known = USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
		if (!known) {
			return {
				response: graphError(
					400,
					'BadRequest',
					`Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.user'.`,
				),
			};
		}
		if (!properties.includes(known)) properties.push(known);
	}
	return { properties, explicit: true };
}

function parseUserFilter(text: string): { expr: FilterExpr } | { response: SandboxResponse } {
	try {
		return {
			expr: parseFilter(text, (name) =>
				USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase()),
			),
		};
	} catch (error) {
		if (error instanceof UnknownPropertyError)
			return { response: graphError(400, 'BadRequest', error.message) };
		const detail = error instanceof FilterSyntaxError ? error.message : String(error);
		return { response: graphError(400, 'BadRequest', `Invalid filter clause: ${detail}`) };
	}
}

function parseOrderBy(
	text: string | null,
): { property?: string; descending: boolean } | { response: SandboxResponse } {
	if (text === null || !text.trim()) return { descending: false };
	const match = /^\s*([A-Za-z]+)(\s+(asc|desc))?\s*$/i.exec(text);
	const property = match && USER_PROPERTIES.find((p) => p.toLowerCase() === match[1].toLowerCase());
	if (!match || !property)
		return { response: graphError(400, 'BadRequest', `Invalid $orderby: '${text}'.`) };
	return { property, descending: match[3]?.toLowerCase() === 'desc' };
}

/** `"displayName:ann" AND "mail:contoso"`: each quoted clause matches words that start with the value. */
function searchUsers(
	users: GraphUser[],
	search: string,
): { users: GraphUser[] } | { response: SandboxResponse } {
	const clauses = [...search.matchAll(/"([A-Za-z]+):([^"]*)"/g)];
	if (!clauses.length) {
		return {
			response: graphError(
				400,
				'Request_BadRequest',
				'Syntax error: $search needs clauses like "displayName:value" in double quotes.',
			),
		};
	}
	const any = /"\s+OR\s+"/i.test(search);
	const matches = (user: GraphUser, property: string, value: string) => {
		const known = USER_PROPERTIES.find((p) => p.toLowerCase() === property.toLowerCase());
		const text = known ? String(user[known] ?? '').toLowerCase() : '';
		return text.split(/[\s@._-]+/).some((word) => word.startsWith(value.toLowerCase()));
	};
	return {
		users: users.filter((user) =>
			any
				? clauses.some((c) => matches(user, c[1], c[2]))
				: clauses.every((c) => matches(user, c[1], c[2])),
		),
	};
}

function sortUsers(users: GraphUser[], property: string | undefined, descending: boolean): void {
	const key = (user: GraphUser) =>
		String(property ? (user[property] ?? '') : user.id).toLowerCase();
	users.sort((a, b) => {
		const order =
			key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
		return descending ? -order : order;
	});
}

/** The user as Graph returns it: the asked properties only; unset ones null (collections []). */
function project(user: GraphUser, properties: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const property of properties) {
		const value = user[property];
		out[property] =
			value === undefined
				? COLLECTION_PROPERTIES.includes(property)
					? []
					: null
				: structuredClone(value);
	}
	return out;
}

function selectSuffix(select: string[] | null): string {
	return select ? `?$select=${select.join(',')}` : '';
}

function encodeToken(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string): T | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as T) : undefined;
	} catch {
		return undefined;
	}
}

/** Query strings as Graph writes them in links: %20 for spaces, `$` and `,` kept readable. */
function encodeQuery(params: URLSearchParams): string {
	return [...params]
		.map(
			([key, value]) =>
				`${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(value).replace(/%2C/g, ',')}`,
		)
		.join('&');
}

function ok(body: Record<string, unknown>): SandboxResponse {
	const requestId = randomUUID();
	return {
		status: 200,
		headers: { 'request-id': requestId, 'client-request-id': requestId },
		body,
	};
}

export function graphError(status: number, code: string, message: string): SandboxResponse {
	const requestId = randomUUID();
	return {
		status,
		headers: { 'request-id': requestId, 'client-request-id': requestId },
		body: {
			error: {
				code,
				message,
				innerError: {
					date: new Date().toISOString().replace(/\.\d+Z$/, ''),
					'request-id': requestId,
					'client-request-id': requestId,
				},
			},
		},
	};
}

function unauthorized(message: string): SandboxResponse {
	const response = graphError(401, 'InvalidAuthenticationToken', message);
	response.headers = {
		...response.headers,
		'WWW-Authenticate':
			'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
	};
	return response;
}

function aadError(
	status: number,
	error: string,
	code: number,
	description: string,
): SandboxResponse {
	const traceId = randomUUID();
	const correlationId = randomUUID();
	const timestamp = new Date()
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, 'Z');
	return {
		status,
		body: {
			error,
			error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
			error_codes: [code],
			timestamp,
			trace_id: traceId,
			correlation_id: correlationId,
			error_uri: `https://login.microsoftonline.com/error?code=${code}`,
		},
	};
}
