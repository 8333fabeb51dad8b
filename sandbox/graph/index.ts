/**
 * Microsoft Graph (v1.0 users) and the Microsoft identity platform's client-credentials token
 * endpoint, on one local server. What it holds to, from Microsoft's Graph and identity platform
 * documentation ("List users", "Advanced query capabilities", "user: delta", "Get access without
 * a user"):
 * - tokens are bound to the tenant they were minted for; /users answers with that tenant only;
 * - $select (absent properties are not returned), the default property set, $top 1..999,
 *   $filter in the forms the package sends, advanced queries only with ConsistencyLevel:
 *   eventual plus $count=true (also on every nextLink page), @odata.nextLink, @odata.count;
 * - /users/delta with nextLink pages, a deltaLink, @removed entries and 410 for expired links;
 * - 401/403/404/429 and the OData error shape {error:{code,message,innerError}}.
 */
import { Router } from '../core/http';
import type { SandboxRequest } from '../core/types';
import type { VendorContext, VendorSandbox } from '../core/vendor';
import { api, token } from './auth';
import { usersDelta } from './delta';
import {
	getCustomer,
	getOrganization,
	getRelationship,
	listCustomers,
	listOrganization,
	listRelationships,
} from './directory';
import { graphError } from './responses';
import { GDAP_READ_PERMISSIONS, ORGANIZATION_READ_PERMISSIONS } from './permissions';
import { GraphState } from './state';
import type { GraphSeed } from './state';
import { getUser, listUsers } from './users';

export function createGraphSandbox(
	seed: GraphSeed,
	context: VendorContext,
): VendorSandbox<GraphState> {
	const state = new GraphState(seed);
	const router = new Router();

	router.add('POST', '/{tenant}/oauth2/v2.0/token', (request) => token(state, request));
	const delta = (request: SandboxRequest) =>
		api(state, request, (tenant) => usersDelta(state, tenant, request, origin(request)));
	router.add('GET', '/v1.0/users/delta', delta);
	router.add('GET', '/v1.0/users/delta()', delta);
	router.add('GET', '/v1.0/users/microsoft.graph.delta()', delta);
	router.add('GET', '/v1.0/users/{id}', (request) =>
		api(state, request, (tenant) => getUser(tenant, request, origin(request))),
	);
	router.add('GET', '/v1.0/users', (request) =>
		api(state, request, (tenant) => listUsers(state, tenant, request, origin(request))),
	);
	router.add('GET', '/v1.0/organization', (request) =>
		api(
			state,
			request,
			(tenant) => listOrganization(tenant, request, origin(request)),
			ORGANIZATION_READ_PERMISSIONS,
		),
	);
	router.add('GET', '/v1.0/organization/{id}', (request) =>
		api(
			state,
			request,
			(tenant) => getOrganization(tenant, request, origin(request)),
			ORGANIZATION_READ_PERMISSIONS,
		),
	);
	const gdap = (
		handler: typeof listCustomers,
	): ((request: SandboxRequest) => ReturnType<typeof api>) => {
		return (request) =>
			api(
				state,
				request,
				(tenant) => handler(state, tenant, request, origin(request)),
				GDAP_READ_PERMISSIONS,
			);
	};
	router.add('GET', '/v1.0/tenantRelationships/delegatedAdminCustomers', gdap(listCustomers));
	router.add('GET', '/v1.0/tenantRelationships/delegatedAdminCustomers/{id}', gdap(getCustomer));
	router.add(
		'GET',
		'/v1.0/tenantRelationships/delegatedAdminRelationships',
		gdap(listRelationships),
	);
	router.add(
		'GET',
		'/v1.0/tenantRelationships/delegatedAdminRelationships/{id}',
		gdap(getRelationship),
	);

	return {
		router,
		state,
		dump: () => state.dump(),
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
}

export { GraphState } from './state';
export type { GraphApiCall, GraphSeed } from './state';
export type { TenantInput, TenantState, VerifiedDomain } from './tenants';
export type { GraphUser } from './userProperties';
