/**
 * The Microsoft identity platform's client-credentials token endpoint, and the check every Graph
 * call passes: a token of this tenant, the tenant's throttle, a permission to read users.
 */
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { SANDBOX_IDENTITIES } from '../credentials';
import { aadError, graphError, unauthorized } from './responses';
import { USER_READ_PERMISSIONS } from './permissions';
import type { GraphState } from './state';
import type { TenantState } from './tenants';

/**
 * Token check, throttling and permission check shared by every Graph API route (`permissions`:
 * the application permissions any one of which the route needs; reading users by default); each
 * call is recorded.
 */
export function api(
	state: GraphState,
	request: SandboxRequest,
	handler: (tenant: TenantState) => SandboxResponse,
	permissions: string[] = USER_READ_PERMISSIONS,
): SandboxResponse {
	const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
	const response = authorizeAndHandle(state, request, handler, permissions);
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
	permissions: string[],
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

	if (!tenant.permissions.some((permission) => permissions.includes(permission))) {
		return graphError(
			403,
			'Authorization_RequestDenied',
			'Insufficient privileges to complete the operation.',
		);
	}
	return handler(tenant);
}

/** POST /{tenant}/oauth2/v2.0/token, client credentials only. */
export function token(state: GraphState, request: SandboxRequest): SandboxResponse {
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
