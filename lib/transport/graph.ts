import { VendorApiError } from './http';
import { settle } from '../util/settled';
import type { HttpClient, HttpResponse, QueryValue } from './http';
import { RecordLimit } from './paging';
import { DEFAULT_RETRY_POLICY, sendToVendor } from './retry';
import { VendorClient } from './vendorClient';
import type { RetryPolicy, Verdict } from './retry';

/**
 * Microsoft Graph users, done once: $select, $top=999 paging over @odata.nextLink, advanced
 * queries (ConsistencyLevel: eventual + $count=true) whenever a filter needs them and on every
 * page, delta rounds with 410 detection, OData string escaping, throttling waited out through
 * Retry-After, and errors in Graph's words with a fix. Paths are relative to the credential's
 * `{graph root}/v1.0`; links Graph returns are followed relative to it too, so a token is only
 * ever sent to the configured Graph host.
 */

export type GraphUser = Record<string, unknown> & { id: string };

/** A user Graph reports as removed in a delta round. */
export interface GraphRemovedUser {
	id: string;
	'@removed': { reason: string };
}

export const GRAPH_MAX_PAGE_SIZE = 999;

/** A tenant as the token endpoint takes it: the directory GUID or a verified domain. */
export const GRAPH_TENANT_PATTERN =
	/^([0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}|[a-z0-9][a-z0-9.-]*[a-z0-9])$/i;

/** Graph's own limit for the length of a request URL is far higher; ours keeps filters readable. */
export const GRAPH_MAX_FILTER_LENGTH = 3000;

export interface GraphListOptions {
	select: string[];
	filter?: string;
	/** Page size (1..999); default 999. */
	top?: number;
	/** Stop after this many users; undefined = all. */
	limit?: number;
	/** Send the advanced-query header and $count=true even if the filter does not need them. */
	advanced?: boolean;
}

export interface GraphPage<T> {
	users: T[];
	/** @odata.count of the first page, when asked. */
	count?: number;
}

export interface GraphDeltaRound {
	/** Changed or current users, and removed ones (`@removed`). */
	items: Array<GraphUser | GraphRemovedUser>;
	/** Relative delta link for the next round. */
	deltaLink: string;
	pages: number;
}

/** The saved delta link can no longer be used (410 Gone, syncStateNotFound, resyncRequired). */
export class GraphDeltaExpiredError extends VendorApiError {}

const ADVANCED_HEADERS = { ConsistencyLevel: 'eventual' };

export class GraphClient extends VendorClient {
	constructor(http: HttpClient, options: { policy?: RetryPolicy } = {}) {
		super(http, options.policy ?? DEFAULT_RETRY_POLICY);
	}

	/** Users page by page. Advanced-query headers are decided once and sent with every page. */
	async *listUserPages(options: GraphListOptions): AsyncGenerator<GraphPage<GraphUser>> {
		const advanced = options.advanced === true || needsAdvancedQuery(options.filter);
		const top = Math.max(
			1,
			Math.min(GRAPH_MAX_PAGE_SIZE, Math.floor(options.top ?? GRAPH_MAX_PAGE_SIZE)),
		);
		const qs: Record<string, QueryValue> = { $select: options.select.join(','), $top: top };
		if (options.filter) qs.$filter = options.filter;
		if (advanced) qs.$count = 'true';
		const headers = advanced ? ADVANCED_HEADERS : undefined;

		let url: string | undefined = '/users';
		let query: Record<string, QueryValue> | undefined = qs;
		const records = new RecordLimit(options.limit);
		let first = true;
		while (url) {
			const page: { value?: GraphUser[]; '@odata.nextLink'?: string; '@odata.count'?: number } =
				await this.request(url, { qs: query, headers });
			const users = records.take(page.value ?? []);
			yield { users, count: first ? page['@odata.count'] : undefined };
			first = false;
			if (records.reached) return;
			const next = page['@odata.nextLink'];
			url = next ? relativeGraphLink(next) : undefined;
			// The link carries the query; the headers must be sent again (Graph does not keep them).
			query = undefined;
		}
	}

	async listUsers(options: GraphListOptions): Promise<GraphUser[]> {
		const out: GraphUser[] = [];
		for await (const page of this.listUserPages(options)) out.push(...page.users);
		return out;
	}

	/** One user by id or user principal name; a VendorApiError (404) when there is none. */
	async getUser(idOrUpn: string, select: string[]): Promise<GraphUser> {
		return await this.request<GraphUser>(`/users/${encodeURIComponent(idOrUpn.trim())}`, {
			qs: { $select: select.join(',') },
		});
	}

	/**
	 * One delta round: from `link` (a saved delta link) or, without it, a full snapshot with
	 * `select`. Follows every nextLink to the deltaLink. Throws GraphDeltaExpiredError when the
	 * link is too old to use.
	 */
	async delta(options: { select: string[]; link?: string }): Promise<GraphDeltaRound> {
		let url = options.link ? relativeGraphLink(options.link) : '/users/delta';
		let qs: Record<string, QueryValue> | undefined = options.link
			? undefined
			: { $select: options.select.join(',') };
		const items: Array<GraphUser | GraphRemovedUser> = [];
		let pages = 0;
		for (;;) {
			const page: {
				value?: Array<GraphUser | GraphRemovedUser>;
				'@odata.nextLink'?: string;
				'@odata.deltaLink'?: string;
			} = await this.request(url, { qs });
			pages++;
			items.push(...(page.value ?? []));
			qs = undefined;
			if (page['@odata.deltaLink']) {
				return { items, deltaLink: relativeGraphLink(page['@odata.deltaLink']), pages };
			}
			const next = page['@odata.nextLink'];
			if (!next) {
				throw new VendorApiError({
					vendor: 'graph',
					httpCode: 200,
					message: 'Microsoft Graph ended a delta round without a next link or a delta link',
					description:
						"Run the node again; if it repeats, the tenant's delta state is broken: clear the saved position (Get Changes > Options > Start Over).",
				});
			}
			url = relativeGraphLink(next);
		}
	}

	/**
	 * A delta round from `link`; when Graph says the link expired, a full snapshot instead, with
	 * the expiry reported in `expired` (the caller must say so: removals since are not listed).
	 */
	async deltaOrFullRead(options: {
		select: string[];
		link?: string;
	}): Promise<GraphDeltaRound & { expired?: GraphDeltaExpiredError }> {
		const round = await settle(this.delta(options));
		if (round.ok) return round.value;
		if (!(round.error instanceof GraphDeltaExpiredError) || !options.link) throw round.error;
		return { ...(await this.delta({ select: options.select })), expired: round.error };
	}

	/**
	 * The partner's customers with an active GDAP relationship (the token's tenant must be the
	 * MSP's own; needs DelegatedAdminRelationship.Read.All), every page.
	 */
	async listDelegatedAdminCustomers(): Promise<
		Array<{ id: string; tenantId: string; displayName: string }>
	> {
		const out: Array<{ id: string; tenantId: string; displayName: string }> = [];
		let url: string | undefined = '/tenantRelationships/delegatedAdminCustomers';
		let qs: Record<string, QueryValue> | undefined = { $top: 300 };
		while (url) {
			const page: {
				value?: Array<{ id: string; tenantId?: string; displayName?: string }>;
				'@odata.nextLink'?: string;
			} = await this.request(url, { qs });
			for (const customer of page.value ?? [])
				out.push({
					id: customer.id,
					tenantId: customer.tenantId ?? customer.id,
					displayName: customer.displayName ?? '',
				});
			const next = page['@odata.nextLink'];
			url = next ? relativeGraphLink(next) : undefined;
			qs = undefined;
		}
		return out;
	}

	/** The token's tenant: its name and verified domains (Organization.Read.All). */
	async getOrganization(): Promise<{
		id: string;
		displayName: string;
		verifiedDomains: Array<{ name: string; isDefault?: boolean; isInitial?: boolean }>;
	}> {
		const page = await this.request<{
			value?: Array<{
				id: string;
				displayName?: string;
				verifiedDomains?: Array<{ name: string; isDefault?: boolean; isInitial?: boolean }>;
			}>;
		}>('/organization', { qs: { $select: 'id,displayName,verifiedDomains' } });
		const organization = page.value?.[0];
		if (!organization)
			throw new VendorApiError({
				vendor: 'graph',
				httpCode: 200,
				message: 'Microsoft Graph listed no organization for the tenant',
				description: "Check that the app registration is consented in the customer's tenant.",
			});
		return {
			id: organization.id,
			displayName: organization.displayName ?? '',
			verifiedDomains: organization.verifiedDomains ?? [],
		};
	}

	/** One GET with retries, throttling and error mapping; resolves with the parsed body. */
	async request<T>(
		url: string,
		options: { qs?: Record<string, QueryValue>; headers?: Record<string, string> } = {},
	): Promise<T> {
		return await this.send<T>(url, options);
	}

	private async send<T>(
		url: string,
		options: { qs?: Record<string, QueryValue>; headers?: Record<string, string> },
	): Promise<T> {
		const response = await sendToVendor<unknown>(
			this.counted(),
			{ method: 'GET', url, qs: options.qs, headers: options.headers },
			{
				vendor: 'graph',
				whatToCheck: "Check the credential's cloud (or Graph URL) and that n8n can reach it.",
				idempotent: true,
				policy: this.policy,
				classify: classifyGraphResponse,
			},
		);
		if (response.status >= 200 && response.status < 300) return response.body as T;
		throw graphError(response);
	}
}

function classifyGraphResponse(response: HttpResponse<unknown>): Verdict {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok' };
	if (status === 429 || status === 503 || status === 504) return { kind: 'retry' };
	if (status === 500 || status === 502) return { kind: 'retryIfIdempotent' };
	return { kind: 'fail' };
}

/** Graph's `{error:{code,message}}` (or a token endpoint's `{error,error_description}`). */
export function graphErrorParts(body: unknown): { code?: string; message?: string } {
	if (body && typeof body === 'object') {
		const error = (body as { error?: unknown }).error;
		if (error && typeof error === 'object') {
			const { code, message } = error as { code?: unknown; message?: unknown };
			return {
				code: typeof code === 'string' ? code : undefined,
				message: typeof message === 'string' ? message : undefined,
			};
		}
		if (typeof error === 'string') {
			const description = (body as { error_description?: unknown }).error_description;
			return {
				code: error,
				message: typeof description === 'string' ? description.split(/\r?\n/)[0] : undefined,
			};
		}
	}
	if (typeof body === 'string' && body.trim()) return { message: body.trim().slice(0, 300) };
	return {};
}

const DELTA_EXPIRED_CODES = ['syncStateNotFound', 'resyncRequired', 'syncStateInvalid'];

/** A failed Graph answer as a VendorApiError: Graph's code and message, and how to fix it. */
export function graphError(response: HttpResponse<unknown>): VendorApiError {
	const { code, message } = graphErrorParts(response.body);
	const status = response.status;
	const text = `Microsoft Graph: ${message ?? `HTTP ${status}`}${code ? ` (${code})` : ''}`;
	if (status === 410 || (code !== undefined && DELTA_EXPIRED_CODES.includes(code))) {
		return new GraphDeltaExpiredError({
			vendor: 'graph',
			httpCode: status,
			vendorCode: code,
			message: text,
			description:
				'The saved delta link expired (Graph keeps directory delta state for about 7 days). Read everything again.',
		});
	}
	let description: string;
	switch (true) {
		case status === 401:
			description =
				"Graph did not accept the token, even after a fresh one was requested. Check the tenant, that the client ID and secret belong to the same app registration, and the credential's cloud.";
			break;
		case status === 403 || code === 'Authorization_RequestDenied':
			description =
				'The app may not read users in this tenant. Add the Microsoft Graph application permission User.Read.All to the app registration and grant admin consent in this tenant (Entra admin center > App registrations > API permissions).';
			break;
		case status === 404 || code === 'Request_ResourceNotFound':
			description =
				'There is no user with this ID or user principal name in the tenant. Check the value and the tenant.';
			break;
		case status === 429:
			description =
				'Graph kept throttling after the waits it asked for. Run the workflow less often or spread customer tenants over time.';
			break;
		case code === 'Request_UnsupportedQuery' ||
			code === 'BadRequest' ||
			code === 'Request_BadRequest':
			description =
				'Graph rejected the query. Check the Raw Filter (quotes, operators and property names; see https://learn.microsoft.com/graph/aad-advanced-queries). The node already sends ConsistencyLevel: eventual and $count=true for advanced filters.';
			break;
		case status === 501:
			description =
				'One of the requested properties can only be read for a single user. Remove it from Extra Properties.';
			break;
		case status >= 500:
			description =
				'Microsoft Graph had a temporary problem and the retries did not get past it. Run the workflow again later.';
			break;
		default:
			description =
				'Graph refused the request with the message above. Correct the value it names and run again.';
	}
	return new VendorApiError({
		vendor: 'graph',
		httpCode: status,
		vendorCode: code,
		message: text,
		description,
	});
}

/** An OData string literal: apostrophes doubled, so no value can end the literal early. */
export function odataString(value: string): string {
	return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * Whether Graph needs advanced query capabilities (ConsistencyLevel: eventual + $count=true)
 * for this filter. Deliberately generous: sending them to a filter that does not need them
 * costs nothing, missing them fails the request.
 */
export function needsAdvancedQuery(filter: string | undefined): boolean {
	if (!filter) return false;
	const code = filter.replace(/'(?:[^']|'')*'/g, "''");
	return (
		/\b(ne|not)\b/i.test(code) ||
		/\bendsWith\s*\(/i.test(code) ||
		/\/\s*\$count\b/i.test(code) ||
		/\/\s*any\s*\(/i.test(code) ||
		/\/\s*all\s*\(/i.test(code) ||
		/\beq\s+null\b/i.test(code) ||
		/\$search\b/i.test(code)
	);
}

/**
 * The part of a Graph link after the version segment (`/users?$skiptoken=...`), to request it
 * relative to the credential's base URL. A link without /v1.0 or /beta is not Graph's.
 */
export function relativeGraphLink(link: string): string {
	const text = link.trim();
	// Already relative (a saved delta link): a path after the version segment.
	if (/^\/(?!\/)/.test(text) && !/^\/(v1\.0|beta)\//i.test(text)) return text;
	const match = /^(?:https?:\/\/[^/]+)?(?:\/[^?]*?)?\/(?:v1\.0|beta)(\/[^?#]*)(\?[^#]*)?/i.exec(
		text,
	);
	if (!match) {
		throw new VendorApiError({
			vendor: 'graph',
			httpCode: 0,
			message: `Microsoft Graph returned a link the node cannot follow: ${link.slice(0, 120)}`,
			description:
				"Check the credential's Graph URL. For a saved delta link, start over (Get Changes > Options > Start Over).",
		});
	}
	return `${match[1]}${match[2] ?? ''}`;
}
