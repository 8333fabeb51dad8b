import { headerValue, InputError, linkBelowBasePath, TransportError, VendorApiError } from './http';
import { settle } from '../util/settled';
import type { HttpClient, HttpMethod, HttpResponse, QueryValue } from './http';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from './retry';
import type { RetryPolicy, Verdict } from './retry';

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

/**
 * ConnectWise's developer guide asks for URLs of at most about 2,000 characters. This budget is
 * for the encoded query string; the site, codebase and path take the rest.
 */
export const CONNECTWISE_MAX_QUERY_LENGTH = 1800;

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

export interface ConnectWiseErrorBody {
	code?: string;
	message?: string;
	errors?: Array<{ code?: string; message?: string; resource?: string; field?: string }> | null;
}

export interface ConnectWiseRequestOptions {
	qs?: Record<string, QueryValue | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	idempotent: boolean;
	/** For creates: after an ambiguous failure, the record if the create landed after all. */
	findExisting?: () => Promise<unknown>;
}

export class ConnectWiseClient {
	private readonly policy: RetryPolicy;

	/** Requests sent (retries included), for callers that report API usage. */
	requestCount = 0;

	constructor(
		private readonly http: HttpClient,
		options: { policy?: RetryPolicy } = {},
	) {
		this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
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
		let delivered = 0;
		for (;;) {
			const response = await this.send<T[]>('GET', url, { qs: query, headers, idempotent: true });
			let items = Array.isArray(response.body) ? response.body : [];
			const full = items.length >= pageSize;
			if (limit !== undefined && delivered + items.length > limit)
				items = items.slice(0, limit - delivered);
			delivered += items.length;
			if (items.length) yield items;
			if (limit !== undefined && delivered >= limit) return;
			// A short page is the last one, whatever the Link header says.
			const next = full ? nextLink(headerValue(response.headers, 'link')) : undefined;
			if (!next) return;
			// The link carries every parameter; asking again with `qs` would duplicate them. It is
			// followed on the credential's own host: Basic auth goes with every request.
			const below = linkBelowBasePath(next, /\/apis\/3\.0/i);
			if (!below) {
				// Stopping here would hand on a partial list, and a partial list looks like deletions.
				throw new VendorApiError({
					vendor: 'connectwise',
					httpCode: 0,
					message: `ConnectWise returned a next-page link the node cannot follow: ${next.slice(0, 120)}`,
					description: "Check the credential's site or custom host.",
				});
			}
			url = below;
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
		const request = { method, url, qs: options.qs, body: options.body, headers };
		const counted: HttpClient = {
			send: async <R>(req: typeof request) => {
				this.requestCount++;
				return await this.http.send<R>(req);
			},
			sleep: async (ms) => await this.http.sleep(ms),
			now: () => this.http.now(),
		};
		const sent = await settle(
			sendWithRetry<unknown>(counted, request, {
				idempotent: options.idempotent,
				policy: this.policy,
				classify: classifyConnectWiseResponse,
				verifyAfterAmbiguousFailure: options.findExisting
					? async () => {
							const existing = await options.findExisting!();
							return existing === undefined || existing === null
								? undefined
								: { status: 201, headers: {}, body: existing };
						}
					: undefined,
			}),
		);
		if (!sent.ok) {
			if (!(sent.error instanceof TransportError)) throw sent.error;
			throw new VendorApiError({
				vendor: 'connectwise',
				httpCode: 0,
				message: `ConnectWise could not be reached (${describe(sent.error)})`,
				description: options.idempotent
					? 'The request was retried with backoff. Check the site in the credential and that ConnectWise is up (status.connectwise.com).'
					: 'The write was not confirmed and was not repeated blindly. Run the workflow again: records already written are found and not created twice.',
			});
		}
		const response = sent.value as HttpResponse<T>;
		if (response.status >= 200 && response.status < 300) return response;
		const queried = ['conditions', 'childConditions', 'customFieldConditions', 'orderBy'].some(
			(name) => options.qs?.[name] !== undefined,
		);
		throw connectWiseError(response, {
			queried: queried || /[?&](conditions|childConditions|orderBy)=/i.test(url),
		});
	}
}

function classifyConnectWiseResponse(response: HttpResponse<unknown>): Verdict {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok' };
	// As ConnectWise's developer guide asks: honour Retry-After on a 429, back off on transient
	// failures, never repeat a 400.
	if (status === 429 || status === 503) return { kind: 'retry' };
	// A 500 is ConnectWise failing on its side (refusals are 400s): repeat reads and absolute
	// writes; a create is first looked up, as after a lost answer.
	if (status === 500 || status === 502 || status === 504) return { kind: 'retryIfIdempotent' };
	return { kind: 'fail' };
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

function errorBody(body: unknown): ConnectWiseErrorBody {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as ConnectWiseErrorBody;
	return {};
}

/**
 * ConnectWise's `{code, message, errors}` as a VendorApiError with a fix for the usual causes.
 * `queried`: the request carried conditions or an order, so a bare 400 is about them.
 */
export function connectWiseError(
	response: HttpResponse<unknown>,
	context: { queried?: boolean } = {},
): VendorApiError {
	const body = errorBody(response.body);
	const details = (body.errors ?? [])
		.map((e) => [e.field, e.message].filter(Boolean).join(': '))
		.filter(Boolean);
	const vendorText = [body.message, ...details].filter(Boolean).join(' — ');
	// Record-level answers carry ConnectWise's `code`; a router's 404 does not.
	const looksLikeConnectWise = typeof body.code === 'string';
	const routerMessage = (body as { Message?: unknown }).Message;
	const text =
		vendorText ||
		(typeof routerMessage === 'string' ? routerMessage : '') ||
		(typeof response.body === 'string' && response.body.trim()
			? response.body.trim().slice(0, 300)
			: `HTTP ${response.status}`);
	let description: string;
	switch (true) {
		case response.status === 401:
			description =
				'ConnectWise rejected the keys. Check the Company ID, the public and private key of the API member (System > Members > API Members), and that the member is active.';
			break;
		case response.status === 403:
			description =
				"The API member's security role does not allow this. Grant it the rights for Companies > Contacts (and Company Maintenance) under System > Security Roles.";
			break;
		case response.status === 404 && !looksLikeConnectWise:
			// On cloud sites, wrong credentials come back as a 404 from the router (developer guide,
			// troubleshooting).
			description =
				'ConnectWise answered 404 without saying what is missing. On cloud sites this usually means wrong credentials rather than a missing record: check the Site, the Company ID and both keys in the credential.';
			break;
		case response.status === 404:
			description = 'The record does not exist, or the API member cannot see it. Check the ID.';
			break;
		case response.status === 409:
			description =
				'ConnectWise says the record is in use. Wait a moment and run again, or remove what depends on it first.';
			break;
		case response.status === 429:
			description =
				'ConnectWise kept throttling after retries (Retry-After was honoured). Spread the workflow out or lower its batch size; more than 1,000 requests a minute is throttled.';
			break;
		case body.code === 'InvalidPatch' && /ContactCommunicationItem/.test(text):
			description =
				'Email and phone numbers are communication items: change them through /company/contacts/{id}/communications, not by patching communicationItems.';
			break;
		case body.code === 'InvalidClientId' || /clientId/i.test(text):
			description =
				"Enter the integration's clientId (a GUID registered at developer.connectwise.com/ClientID) in the credential.";
			break;
		case response.status === 400 &&
			body.code !== 'InvalidPatch' &&
			!details.length &&
			(context.queried === true ||
				/Expected an? \w+ value|Cannot find column|conditions|orderBy/i.test(text)):
			description =
				'The conditions were refused. Quote strings with double quotes, write dates as [2025-01-31T00:00:00Z], use true/false and plain numbers, and check the field names (e.g. company/id, communicationItems/value).';
			break;
		case body.code === 'InvalidObject':
			description =
				'ConnectWise refused the values named above. Correct them (lengths and required fields come from the tenant) and run again.';
			break;
		case response.status >= 500:
			description =
				'ConnectWise failed on its side. Run again later; if it persists, check status.connectwise.com.';
			break;
		default:
			description =
				'ConnectWise refused the request with the message above. Correct the value it names and run again.';
	}
	return new VendorApiError({
		vendor: 'connectwise',
		httpCode: response.status,
		message: `ConnectWise: ${text}`,
		description,
		vendorCode: typeof body.code === 'string' ? body.code : undefined,
	});
}

function describe(error: TransportError): string {
	return error.code === 'ETIMEDOUT'
		? 'timed out'
		: error.code === 'ECONNREFUSED'
			? 'connection refused'
			: 'connection dropped';
}

function nonBlank(value: string | undefined): string | undefined {
	return value !== undefined && value.trim() ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Conditions builder: every value goes through here, so no input can change a query's shape.

export type ConditionValue = string | number | boolean | null | Date;

/** A string literal: double-quoted, with backslashes and double quotes escaped. */
export function quote(value: string): string {
	return `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * A LIKE pattern's literal part: %, _, * and [ lose their wildcard meaning (SQL Server's [x]
 * escape), then the whole is quoted.
 */
export function likeLiteral(value: string): string {
	return String(value).replace(/[[%_*]/g, '[$&]');
}

export function literal(value: ConditionValue): string {
	if (value === null) return 'null';
	if (value instanceof Date) {
		if (!Number.isFinite(value.getTime()))
			throw new RangeError('Invalid date in a ConnectWise condition');
		return `[${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError('Invalid number in a ConnectWise condition');
		return String(value);
	}
	return quote(value);
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function field(path: string): string {
	if (!FIELD_PATH.test(path)) throw new RangeError(`"${path}" is not a ConnectWise field path`);
	return path;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Builders for the ConnectWise conditions language; values are always escaped. */
export const cw = {
	compare: (path: string, operator: ComparisonOperator, value: ConditionValue) =>
		`${field(path)} ${operator} ${literal(value)}`,
	eq: (path: string, value: ConditionValue) => cw.compare(path, '=', value),
	contains: (path: string, value: string) => `${field(path)} contains ${quote(likeLiteral(value))}`,
	startsWith: (path: string, value: string) =>
		`${field(path)} like ${quote(`${likeLiteral(value)}%`)}`,
	in: (path: string, values: ConditionValue[]) =>
		`${field(path)} in (${values.map(literal).join(', ')})`,
	and: (...parts: Array<string | undefined>) => join(parts, 'AND'),
	or: (...parts: Array<string | undefined>) => join(parts, 'OR'),
};

function join(parts: Array<string | undefined>, operator: 'AND' | 'OR'): string {
	const present = parts.filter((part): part is string => !!part && !!part.trim());
	if (present.length <= 1) return present[0] ?? '';
	return present.map((part) => `(${part})`).join(` ${operator} `);
}

/**
 * Conditions a user typed (Conditions (Raw), Child Conditions (Raw)) are ANDed with the node's
 * own as one parenthesized group. Their strings and parentheses must be balanced, or they could
 * close that group and OR past the node's filters (a company's contacts becoming everyone's).
 */
export function checkRawConditions(raw: string, field: string): string {
	const text = raw.trim();
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length && depth >= 0; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '(') depth++;
		else if (char === ')') depth--;
	}
	if (inString) {
		throw new InputError(
			field,
			`${field} has an unterminated string`,
			'Quote values with double quotes and write a quote inside a value as \\".',
		);
	}
	if (depth !== 0)
		throw new InputError(
			field,
			`${field} has unbalanced parentheses`,
			'Check that every "(" has a matching ")".',
		);
	return text;
}

/** Length of a query value once URL-encoded, as it travels. */
export function encodedLength(value: string): number {
	return encodeURIComponent(value).length;
}

/**
 * Splits `values` into groups whose condition (built by `build`) stays within `budget` encoded
 * characters, so that every request URL stays under ConnectWise's ~2,000.
 */
export function chunkByEncodedLength<T>(
	values: T[],
	build: (chunk: T[]) => string,
	budget: number,
): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	for (const value of values) {
		const candidate = [...current, value];
		if (current.length && encodedLength(build(candidate)) > budget) {
			chunks.push(current);
			current = [value];
		} else current = candidate;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

/**
 * childConditions for contacts with any of `emails` as an Email communication item (child
 * conditions cannot use `in`, so the addresses are an OR chain). The type condition is written
 * once: child conditions hold for the same item, so `type="Email" AND (value="a" OR value="b")`
 * equals the OR chain of (value AND type) pairs.
 */
export function emailChildConditions(emails: string[]): string {
	// Written compactly (no spaces, no parentheses per term): more addresses fit in one URL.
	const values = emails.map((email) => `communicationItems/value=${literal(email)}`).join(' OR ');
	return `communicationItems/communicationType="Email" AND (${values})`;
}

/** Email lookups chunked so that each request's query string stays within the URL budget. */
export function chunkEmailLookups(
	emails: string[],
	budget = CONNECTWISE_MAX_QUERY_LENGTH - 300,
): string[][] {
	return chunkByEncodedLength(emails, emailChildConditions, budget);
}
