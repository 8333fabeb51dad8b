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
import { graphError } from './responses';
import { GraphState } from './state';
import { getUser, listUsers } from './users';

export function createGraphSandbox(
	seed: Record<string, unknown[]>,
	context: VendorContext,
): VendorSandbox<GraphState> {
	const state = new GraphState(seed.users ?? []);
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
}

export { GraphState } from './state';
export type { GraphApiCall, GraphUser, TenantState, TenantInput } from './state';
