import { headerValue, VendorApiError } from '../http';
import type { HttpClient, HttpMethod } from '../http';
import { KeyedLimiter } from '../limiter';
import { nextPagePath, RecordLimit } from '../paging';
import { DEFAULT_RETRY_POLICY, sendToVendor, verifyByLookup } from '../retry';
import { VendorClient } from '../vendorClient';
import type { VendorClientOptions } from '../vendorClient';
import { settle } from '../../util/settled';
import { autotaskError, classifyAutotaskResponse, isThreadLimitRefusal } from './errors';
import { chunkForOrLimit } from './query';
import type { AutotaskFilter, AutotaskQueryOptions } from './query';
import type {
	AutotaskEntityInfo,
	AutotaskFieldInfo,
	AutotaskPage,
	AutotaskPicklistValue,
	AutotaskResource,
	AutotaskThreshold,
	AutotaskWriteOptions,
} from './types';

/**
 * Autotask REST, done once: query paging over pageDetails.nextPageUrl, the 500-condition and
 * 500-record limits, 3 concurrent requests per endpoint, thread-limit and hourly-budget
 * throttling, creates that never duplicate on a retry, and errors in Autotask's words.
 * Paths are relative to the zone's /V1.0 (the credential sets the base URL).
 */

export const AUTOTASK_MAX_RECORDS = 500;
export const AUTOTASK_THREADS_PER_ENDPOINT = 3;

export class AutotaskClient extends VendorClient {
	private readonly limiter: KeyedLimiter;

	private readonly fieldCache = new Map<string, Promise<AutotaskFieldInfo[]>>();

	private readonly resourceCache = new Map<string, Promise<AutotaskResource | undefined>>();

	constructor(
		http: HttpClient,
		options: VendorClientOptions & { threadsPerEndpoint?: number } = {},
	) {
		// Thread-limit rejections clear within a second or two: allow more, shorter retries.
		super(
			http,
			options.policy ?? { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 },
			options.writeTimeoutMs,
		);
		this.limiter = new KeyedLimiter(options.threadsPerEndpoint ?? AUTOTASK_THREADS_PER_ENDPOINT);
	}

	/** All records matching the filter (up to `limit`), following nextPageUrl. */
	async query<T>(entity: string, options: AutotaskQueryOptions): Promise<T[]> {
		const out: T[] = [];
		for await (const page of this.queryPages<T>(entity, options)) out.push(...page);
		return out;
	}

	async *queryPages<T>(entity: string, options: AutotaskQueryOptions): AsyncGenerator<T[]> {
		const limit = options.limit;
		const body: Record<string, unknown> = {
			MaxRecords: Math.min(AUTOTASK_MAX_RECORDS, limit ?? AUTOTASK_MAX_RECORDS),
			filter: options.filter.length ? options.filter : [{ op: 'exist', field: 'id' }],
		};
		if (options.includeFields?.length) {
			// Autotask needs the id in the field list to page past 500.
			body.IncludeFields = [...new Set(['id', ...options.includeFields])];
		}
		let url = `/${entity}/query`;
		const records = new RecordLimit(limit);
		for (;;) {
			const page = await this.request<AutotaskPage<T>>('POST', url, { body, idempotent: true });
			const items = records.take(page.items ?? []);
			if (items.length) yield items;
			const next = page.pageDetails?.nextPageUrl;
			if (!next || records.reached) return;
			// The next page is asked with the same method and the same body, on our own zone.
			url = nextPagePath(
				'autotask',
				next,
				/\/V1\.0/i,
				'Check the zone base URL in the credential.',
			);
		}
	}

	/** Records by id, in `in` queries of at most 500 ids (each id is one of Autotask's 500 'OR' conditions). */
	async queryByIds<T>(
		entity: string,
		ids: Array<number | string>,
		includeFields?: string[],
	): Promise<T[]> {
		const out: T[] = [];
		for (const chunk of chunkForOrLimit([...new Set(ids.map(Number))], 1)) {
			out.push(
				...(await this.query<T>(entity, {
					filter: [{ op: 'in', field: 'id', value: chunk }],
					includeFields,
				})),
			);
		}
		return out;
	}

	async count(entity: string, filter: AutotaskFilter[]): Promise<number> {
		const result = await this.request<{ queryCount: number }>('POST', `/${entity}/query/count`, {
			body: { filter: filter.length ? filter : [{ op: 'exist', field: 'id' }] },
			idempotent: true,
		});
		return result.queryCount;
	}

	/** One record, or undefined when Autotask answers 404. */
	async get<T>(entity: string, id: number | string): Promise<T | undefined> {
		const result = await settle(
			this.request<{ item: T | null }>('GET', `/${entity}/${encodeURIComponent(String(id))}`, {
				idempotent: true,
			}),
		);
		if (result.ok) return result.value.item ?? undefined;
		if (result.error instanceof VendorApiError && result.error.httpCode === 404) return undefined;
		throw result.error;
	}

	/** POST a new record (e.g. `/Companies/12/Contacts`, `/Tickets`); returns its id. */
	async create(
		path: string,
		body: Record<string, unknown>,
		options: AutotaskWriteOptions = {},
	): Promise<number> {
		const result = await this.request<{ itemId: number }>('POST', path, {
			body,
			idempotent: false,
			impersonateResourceId: options.impersonateResourceId,
			findExisting: options.findExisting,
		});
		return result.itemId;
	}

	/** PATCH: only the fields in `body` change (PUT would null the rest). */
	async update(
		path: string,
		body: Record<string, unknown> & { id: number },
		options: AutotaskWriteOptions = {},
	): Promise<number> {
		const result = await this.request<{ itemId: number }>('PATCH', path, {
			body,
			// Setting fields to absolute values can be repeated safely.
			idempotent: true,
			impersonateResourceId: options.impersonateResourceId,
		});
		return result.itemId ?? body.id;
	}

	async entityInformation(entity: string): Promise<AutotaskEntityInfo> {
		const result = await this.request<{ info: AutotaskEntityInfo }>(
			'GET',
			`/${entity}/entityInformation`,
			{
				idempotent: true,
			},
		);
		return result.info;
	}

	/** Field metadata incl. picklists and lengths; asked once per entity per client. */
	async fields(entity: string): Promise<AutotaskFieldInfo[]> {
		let cached = this.fieldCache.get(entity);
		if (!cached) {
			cached = this.request<{ fields: AutotaskFieldInfo[] }>(
				'GET',
				`/${entity}/entityInformation/fields`,
				{
					idempotent: true,
				},
			).then((result) => result.fields ?? []);
			cached.catch(() => this.fieldCache.delete(entity));
			this.fieldCache.set(entity, cached);
		}
		return await cached;
	}

	/**
	 * The active resource (staff member) with this address in email, email2 or email3, asked once
	 * per address per client (one execution); undefined when none is active.
	 */
	async activeResourceByEmail(email: string): Promise<AutotaskResource | undefined> {
		const address = email.trim().toLowerCase();
		let cached = this.resourceCache.get(address);
		if (!cached) {
			cached = this.query<AutotaskResource>('Resources', {
				filter: [
					{
						op: 'or',
						items: ['email', 'email2', 'email3'].map((field) => ({
							op: 'eq',
							field,
							value: address,
						})),
					},
					{ op: 'eq', field: 'isActive', value: true },
				],
				includeFields: [
					'id',
					'firstName',
					'lastName',
					'email',
					'email2',
					'email3',
					'isActive',
					'defaultServiceDeskRoleID',
				],
				limit: 1,
			}).then((found) => found[0]);
			cached.catch(() => this.resourceCache.delete(address));
			this.resourceCache.set(address, cached);
		}
		return await cached;
	}

	async picklist(entity: string, field: string): Promise<AutotaskPicklistValue[]> {
		const info = (await this.fields(entity)).find(
			(f) => f.name.toLowerCase() === field.toLowerCase(),
		);
		return (info?.picklistValues ?? []).filter((value) => value.isActive !== false);
	}

	async threshold(): Promise<AutotaskThreshold> {
		return await this.request<AutotaskThreshold>('GET', '/ThresholdInformation', {
			idempotent: true,
		});
	}

	/** One call with retries, throttling and error mapping; resolves with the parsed body. */
	async request<T>(
		method: HttpMethod,
		url: string,
		options: {
			body?: unknown;
			idempotent: boolean;
			impersonateResourceId?: string;
			findExisting?: () => Promise<number | undefined>;
		},
	): Promise<T> {
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (options.impersonateResourceId)
			headers.ImpersonationResourceId = options.impersonateResourceId;
		const request = {
			method,
			url,
			body: options.body,
			headers,
			timeoutMs: this.timeoutFor(method, options.idempotent),
		};
		const endpoint = autotaskEndpointKey(url);
		const limited = this.counted(async (send) => await this.limiter.run(endpoint, send));
		const response = await sendToVendor<unknown>(limited, request, {
			vendor: 'autotask',
			whatToCheck: 'Check the zone URL and that Autotask is up (status.autotask.net).',
			idempotent: options.idempotent,
			policy: this.policy,
			classify: classifyAutotaskResponse,
			verifyAfterAmbiguousFailure: verifyByLookup(options.findExisting, 200, (id) => ({
				itemId: id,
			})),
			onBackoff: async ({ response: throttled }) => {
				if (
					throttled?.status === 429 &&
					!headerValue(throttled.headers, 'retry-after') &&
					!isThreadLimitRefusal(throttled.body)
				) {
					await this.waitForBudget();
				}
			},
		});
		if (response.status >= 200 && response.status < 300) return response.body as T;
		throw autotaskError(response);
	}

	/**
	 * Hourly budget pressure (docs/adr/autotask-thread-limit-and-hourly-budget.md): when throttled
	 * without a Retry-After, read the counters and wait in proportion to how far over the line
	 * the database is, instead of failing the run.
	 */
	private async waitForBudget(): Promise<void> {
		// The counters are advice: when they cannot be read, the retry's own backoff still applies.
		const threshold = await settle(this.threshold());
		if (!threshold.ok) return;
		const usage =
			threshold.value.currentTimeframeRequestCount /
			Math.max(1, threshold.value.externalRequestThreshold);
		if (usage >= 0.9) await this.http.sleep(Math.min(60_000, 5_000 + (usage - 0.9) * 300_000));
	}
}

/** "Contacts", "Companies/Contacts", "Tickets/Notes": the unit Autotask's thread limit counts. */
export function autotaskEndpointKey(url: string): string {
	const path = url.replace(/^https?:\/\/[^/]+/i, '').split('?')[0];
	const afterVersion = path.replace(/^.*?\/V1\.0(?=\/)/i, '');
	return afterVersion
		.split('/')
		.filter(
			(segment) =>
				segment &&
				!/^\d+$/.test(segment) &&
				!/^(query|count|next|entityInformation|fields)$/i.test(segment),
		)
		.join('/');
}
