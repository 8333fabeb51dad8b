import { headerValue, VendorApiError } from '../http';
import type { HttpClient, HttpMethod, HttpResponse, QueryValue } from '../http';
import { nextPagePath, RecordLimit } from '../paging';
import { DEFAULT_RETRY_POLICY, sendToVendor, verifyByLookup } from '../retry';
import { VendorClient } from '../vendorClient';
import type { VendorClientOptions } from '../vendorClient';
import { settle } from '../../util/settled';
import { classifyConnectWiseResponse, connectWiseError } from './errors';

/**
 * ConnectWise Manage REST, done once: forward-only paging at 1,000 a page over the Link header,
 * navigable paging where an order is asked for, retries on 429 (Retry-After) / 503 / resets (and
 * other 5xx where the request can be repeated) and never on a 400, creates that never duplicate
 * on a retry, ConnectWise's JSON-patch dialect, a conditions builder whose values cannot change
 * the query, and errors in ConnectWise's words (docs/adr/connectwise-query-limits.md).
 * Paths are relative to `{site}/{codebase}apis/3.0` (the credential sets the base URL).
 */

/** ConnectWise's page size limit (developer guide, "Query String Parameters"). */
export const CONNECTWISE_MAX_PAGE_SIZE = 1000;

export interface PatchOperation {
	op: 'add' | 'replace' | 'remove';
	/** A top-level field name, case-sensitive; never a sub-path (ConnectWise ignores those with a "false 200"). */
	path: string;
	value?: unknown;
}

export interface ConnectWiseListOptions {
	conditions?: string;
	childConditions?: string;
	customFieldConditions?: string;
	/** Field projection, e.g. ['id', 'firstName', 'company/id']. */
	fields?: string[];
	/** Asks for navigable paging (forward-only cannot order). */
	orderBy?: string;
	/** Maximum records to return; undefined = all. */
	limit?: number;
	pageSize?: number;
}

export interface ConnectWiseWriteOptions {
	/**
	 * For creates: after a failure where the record may have been written (a reset, a gateway
	 * timeout), look it up by its natural key and return it if it is there.
	 */
	findExisting?: () => Promise<unknown>;
}

export interface ConnectWiseRequestOptions {
	qs?: Record<string, QueryValue | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	idempotent: boolean;
	/** For creates: after an ambiguous failure, the record if the create landed after all. */
	findExisting?: () => Promise<unknown>;
}

export class ConnectWiseClient extends VendorClient {
	constructor(http: HttpClient, options: VendorClientOptions = {}) {
		super(http, options.policy ?? DEFAULT_RETRY_POLICY, options.writeTimeoutMs);
	}

	/** All records (up to `limit`) of a list endpoint, following the Link header. */
	async list<T>(path: string, options: ConnectWiseListOptions = {}): Promise<T[]> {
		const out: T[] = [];
		for await (const page of this.listPages<T>(path, options)) out.push(...page);
		return out;
	}

	/**
	 * Pages of a list endpoint. Without `orderBy`: forward-only (`pagination-type: forward-only`,
	 * ordered by id, the next page's URL from the Link header), which stays correct while records
	 * change underneath. With `orderBy`: navigable page/pageSize, also over the Link header.
	 */
	async *listPages<T>(path: string, options: ConnectWiseListOptions = {}): AsyncGenerator<T[]> {
		const limit = options.limit;
		const pageSize = Math.max(
			1,
			Math.min(
				CONNECTWISE_MAX_PAGE_SIZE,
				options.pageSize ?? CONNECTWISE_MAX_PAGE_SIZE,
				limit ?? CONNECTWISE_MAX_PAGE_SIZE,
			),
		);
		const forwardOnly = !options.orderBy;
		const qs: Record<string, QueryValue | undefined> = {
			conditions: nonBlank(options.conditions),
			childConditions: nonBlank(options.childConditions),
			customFieldConditions: nonBlank(options.customFieldConditions),
			fields: options.fields?.length
				? [...new Set(forwardOnly ? ['id', ...options.fields] : options.fields)].join(',')
				: undefined,
			orderBy: nonBlank(options.orderBy),
			pageSize,
			page: forwardOnly ? undefined : 1,
		};
		const headers = forwardOnly ? { 'pagination-type': 'forward-only' } : undefined;
		let url = path;
		let query: typeof qs | undefined = qs;
		const records = new RecordLimit(limit);
		for (;;) {
			const response = await this.send<T[]>('GET', url, { qs: query, headers, idempotent: true });
			const page = Array.isArray(response.body) ? response.body : [];
			const items = records.take(page);
			if (items.length) yield items;
			if (records.reached) return;
			// A short page is the last one, whatever the Link header says.
			const next =
				page.length >= pageSize ? nextLink(headerValue(response.headers, 'link')) : undefined;
			if (!next) return;
			// The link carries every parameter; asking again with `qs` would duplicate them. It is
			// followed on the credential's own host: Basic auth goes with every request.
			url = nextPagePath(
				'connectwise',
				next,
				/\/apis\/3\.0/i,
				"Check the credential's site or custom host.",
			);
			query = undefined;
		}
	}

	/** One navigable page (pickers, searches): its records and whether a next page exists. */
	async page<T>(
		path: string,
		options: Pick<
			ConnectWiseListOptions,
			'conditions' | 'childConditions' | 'fields' | 'orderBy'
		> & { page: number; pageSize: number },
	): Promise<{ items: T[]; hasMore: boolean }> {
		const response = await this.send<T[]>('GET', path, {
			qs: {
				conditions: nonBlank(options.conditions),
				childConditions: nonBlank(options.childConditions),
				fields: options.fields?.length ? options.fields.join(',') : undefined,
				orderBy: nonBlank(options.orderBy),
				page: Math.max(1, options.page),
				pageSize: Math.max(1, Math.min(CONNECTWISE_MAX_PAGE_SIZE, options.pageSize)),
			},
			idempotent: true,
		});
		return {
			items: Array.isArray(response.body) ? response.body : [],
			hasMore: !!nextLink(headerValue(response.headers, 'link')),
		};
	}

	async count(
		path: string,
		options: Pick<
			ConnectWiseListOptions,
			'conditions' | 'childConditions' | 'customFieldConditions'
		> = {},
	): Promise<number> {
		const result = await this.request<{ count: number }>(
			'GET',
			`${path.replace(/\/+$/, '')}/count`,
			{
				qs: {
					conditions: nonBlank(options.conditions),
					childConditions: nonBlank(options.childConditions),
					customFieldConditions: nonBlank(options.customFieldConditions),
				},
				idempotent: true,
			},
		);
		return Number(result?.count ?? 0);
	}

	/** One record, or undefined when ConnectWise says it does not exist. */
	async get<T>(path: string, options: { fields?: string[] } = {}): Promise<T | undefined> {
		const result = await settle(
			this.request<T>('GET', path, {
				qs: { fields: options.fields?.length ? options.fields.join(',') : undefined },
				idempotent: true,
			}),
		);
		if (result.ok) return result.value;
		if (result.error instanceof VendorApiError && result.error.vendorCode === 'NotFound')
			return undefined;
		throw result.error;
	}

	/** POST a new record; returns it as ConnectWise stored it. */
	async create<T>(path: string, body: unknown, options: ConnectWiseWriteOptions = {}): Promise<T> {
		return await this.request<T>('POST', path, {
			body,
			idempotent: false,
			findExisting: options.findExisting,
		});
	}

	/** PATCH with ConnectWise's operations; setting absolute values can be repeated safely. */
	async patch<T>(path: string, operations: PatchOperation[]): Promise<T> {
		return await this.request<T>('PATCH', path, { body: operations, idempotent: true });
	}

	/** PUT replaces the whole record: every field left out is reset. Prefer `patch`. */
	async put<T>(path: string, body: unknown): Promise<T> {
		return await this.request<T>('PUT', path, { body, idempotent: true });
	}

	async delete(path: string, qs?: Record<string, QueryValue | undefined>): Promise<void> {
		await this.request<unknown>('DELETE', path, { qs, idempotent: true });
	}

	/** One call with retries and error mapping; resolves with the parsed body. */
	async request<T>(
		method: HttpMethod,
		url: string,
		options: ConnectWiseRequestOptions,
	): Promise<T> {
		const response = await this.send<T>(method, url, options);
		return response.body;
	}

	private async send<T>(
		method: HttpMethod,
		url: string,
		options: ConnectWiseRequestOptions,
	): Promise<HttpResponse<T>> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.body !== undefined) headers['Content-Type'] = 'application/json';
		const request = {
			method,
			url,
			qs: options.qs,
			body: options.body,
			headers,
			timeoutMs: this.timeoutFor(method, options.idempotent),
		};
		const response = (await sendToVendor<unknown>(this.counted(), request, {
			vendor: 'connectwise',
			whatToCheck:
				'Check the site in the credential and that ConnectWise is up (status.connectwise.com).',
			idempotent: options.idempotent,
			policy: this.policy,
			classify: classifyConnectWiseResponse,
			verifyAfterAmbiguousFailure: verifyByLookup(options.findExisting, 201, (record) => record),
		})) as HttpResponse<T>;
		if (response.status >= 200 && response.status < 300) return response;
		const queried = ['conditions', 'childConditions', 'customFieldConditions', 'orderBy'].some(
			(name) => options.qs?.[name] !== undefined,
		);
		throw connectWiseError(response, {
			queried: queried || /[?&](conditions|childConditions|orderBy)=/i.test(url),
		});
	}
}

/** RFC 5988: `<url>; rel="next", <url>; rel="last"` → the next URL. */
export function nextLink(header: string | undefined): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(/,(?=\s*<)/)) {
		const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
		if (match && /rel\s*=\s*"?next"?/i.test(match[2])) return match[1];
	}
	return undefined;
}

function nonBlank(value: string | undefined): string | undefined {
	return value !== undefined && value.trim() ? value : undefined;
}
