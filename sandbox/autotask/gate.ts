/**
 * The gate every Autotask route passes: header authentication of the API user, the security
 * level's rights, impersonation, the hourly request budget and the thread limit per integration
 * and endpoint; Autotask's error bodies for whatever it refuses.
 */
import { delay } from '../core/http';
import type { Router } from '../core/http';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { entityByRoute } from './fields';
import type { EntityDefinition } from './fieldInfo';
import { AutotaskFault, invalid } from './query';
import type { AccessAction, Actor, AutotaskApiUser, AutotaskState } from './state';

export const PREFIX = '/ATServicesRest/V1.0';
const HOUR_MS = 3_600_000;

/** Route segments that name an operation on an entity, not the entity itself. */
const OPERATION_SEGMENTS = new Set(['query', 'count', 'next', 'entityinformation', 'fields']);

/**
 * The object endpoint Autotask's thread limit counts, from a route template: the entity path
 * without ids and operations ("contacts", "companies/contacts", "tickets/notes").
 */
function threadEndpoint(template: string): string {
	return template
		.split('/')
		.filter((segment) => segment && !segment.startsWith('{'))
		.filter((segment) => !OPERATION_SEGMENTS.has(segment.toLowerCase()))
		.join('/')
		.toLowerCase();
}

const THREAD_MESSAGE = (limit: number) =>
	`Thread Threshold Exceeded: The Autotask API thread threshold of ${limit} threads has been exceeded. (Itgenatr005)`;

export interface RouteOptions {
	/** The entity whose security-level right the route needs. */
	entity?: EntityDefinition;
	action?: AccessAction;
	/** Zone discovery: no auth, no thread limit, not counted. */
	open?: boolean;
	/** Counted but never refused for the hourly budget (ThresholdInformation). */
	budgetExempt?: boolean;
}

export interface Call {
	request: SandboxRequest;
	user: AutotaskApiUser;
	actor: Actor;
}

export type Handler = (call: Call) => SandboxResponse | Promise<SandboxResponse>;

export const ok = (body: unknown): SandboxResponse => ({ status: 200, body });
export const fault = (error: AutotaskFault): SandboxResponse =>
	error.status === 404 || error.status === 405
		? {
				status: error.status,
				headers: error.headers,
				body: { Message: error.errors.join(' ') },
			}
		: {
				status: error.status,
				headers: error.headers,
				body: { errors: error.errors },
			};

function authenticate(state: AutotaskState, request: SandboxRequest): AutotaskApiUser {
	const username = request.headers.username;
	const user = state.apiUser(username);
	if (!user) throw new AutotaskFault(500, ['Zone information could not be determined']);
	if ((request.headers.apiintegrationcode ?? '') !== user.integrationCode) {
		throw new AutotaskFault(500, ['IntegrationCode is invalid.']);
	}
	if ((request.headers.secret ?? '') !== user.secret) {
		throw new AutotaskFault(401, ['Authorization has been denied for this request.']); // [U] body
	}
	return user;
}

/** ImpersonationResourceId: an active resource whose security level allows impersonation. */
function impersonation(
	state: AutotaskState,
	request: SandboxRequest,
	user: AutotaskApiUser,
): number | undefined {
	const raw = (request.headers.impersonationresourceid ?? '').trim();
	if (!raw) return undefined;
	if (user.impersonation === false) {
		throw new AutotaskFault(403, [
			`The API user's security level does not allow impersonation (ImpersonationResourceId ${raw}).`,
		]);
	}
	const resource = /^\d+$/.test(raw) ? state.find(entityByRoute('Resources')!, raw) : undefined;
	if (!resource)
		throw invalid(`ImpersonationResourceId: Value ${raw} does not exist or is invalid.`);
	if (resource.isActive === false || resource.isActive === 0) {
		throw invalid(
			`ImpersonationResourceId: Resource ${raw} is inactive and cannot be impersonated.`,
		);
	}
	const extension = resource._sandbox as { allowImpersonation?: boolean } | undefined;
	if (extension?.allowImpersonation === false || Number(resource.licenseType) === 7) {
		throw invalid(
			`ImpersonationResourceId: The security level of resource ${raw} does not allow impersonation.`,
		);
	}
	return Number(raw);
}

function countRequest(state: AutotaskState): number {
	const now = Date.now();
	state.requestTimes.push(now);
	while (state.requestTimes.length && state.requestTimes[0] <= now - HOUR_MS)
		state.requestTimes.shift();
	return state.requestTimes.length;
}

/** Adds a route under the API's prefix, behind the gate (`open` routes skip it). */
export type AddRoute = (
	method: string,
	template: string,
	options: RouteOptions,
	handler: Handler,
) => void;

export function gatedRoutes(state: AutotaskState, router: Router): AddRoute {
	const active = new Map<string, number>();
	return function add(
		method: string,
		template: string,
		options: RouteOptions,
		handler: Handler,
	): void {
		const endpoint = threadEndpoint(template);
		router.add(method, `${PREFIX}${template}`, async (request) => {
			try {
				if (options.open) return await handler({ request } as Call);
				const user = authenticate(state, request);
				const used = countRequest(state);
				if (!options.budgetExempt && used > state.config.hourlyLimit) {
					throw new AutotaskFault(429, [
						`The request threshold of ${state.config.hourlyLimit} requests per 60 minutes has been exceeded for this database. Try again later.`,
					]);
				}
				const key = `${user.integrationCode.toLowerCase()}|${endpoint}`;
				const running = active.get(key) ?? 0;
				if (running >= state.config.threadLimit) {
					state.threadRejections++;
					throw new AutotaskFault(state.config.threadLimitStatus, [
						THREAD_MESSAGE(state.config.threadLimit),
					]);
				}
				active.set(key, running + 1);
				state.peakThreads[key] = Math.max(state.peakThreads[key] ?? 0, running + 1);
				try {
					if (state.config.requestDurationMs > 0) await delay(state.config.requestDurationMs);
					if (
						options.entity &&
						options.action &&
						!state.may(user, options.entity, options.action)
					) {
						throw new AutotaskFault(403, [
							`The logged in user does not have permission to ${options.action} ${options.entity.route}. Check the security level of the API user.`,
						]);
					}
					const impersonated = impersonation(state, request, user);
					return await handler({
						request,
						user,
						actor: { user, impersonatedResourceId: impersonated },
					});
				} finally {
					active.set(key, (active.get(key) ?? 1) - 1);
				}
			} catch (error) {
				if (error instanceof AutotaskFault) return fault(error);
				return {
					status: 500,
					body: { errors: [`Sandbox failure: ${(error as Error).message}`] },
				};
			}
		});
	};
}
