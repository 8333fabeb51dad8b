import { TransportError, unreachableError, VendorApiError } from './http';
import { settle } from '../util/settled';
import type { HttpClient, HttpMethod, HttpResponse, QueryValue } from './http';
import { RecordLimit } from './paging';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from './retry';
import { VendorClient } from './vendorClient';
import type { RetryPolicy, Verdict } from './retry';
import type { VendorClientOptions } from './vendorClient';

/**
 * Datto RMM API v2, done once: paging over pageDetails.nextPageUrl (re-adding the filter
 * parameters Datto drops from it), rate-limit backoff (600 reads and 100 writes per 60 s per
 * account), resolves that are confirmed rather than blindly repeated, and errors in Datto's
 * words. Paths are relative to {platform}/api (the credential sets the base URL and the token;
 * n8n mints a new token on a 401).
 */

/** A Datto RMM alert as the API returns it (the fields seen on live alerts); every field may be null. */
export interface DattoAlert {
	alertUid: string;
	priority?: string | null;
	diagnostics?: string | null;
	resolved?: boolean | null;
	resolvedBy?: string | null;
	resolvedOn?: number | string | null;
	muted?: boolean | null;
	ticketNumber?: string | null;
	timestamp?: number | string | null;
	alertMonitorInfo?: { sendsEmails?: boolean | null; createsTicket?: boolean | null } | null;
	alertContext?: ({ '@class'?: string } & Record<string, unknown>) | null;
	alertSourceInfo?: {
		deviceUid?: string | null;
		deviceName?: string | null;
		siteUid?: string | null;
		siteName?: string | null;
	} | null;
	responseActions?: Array<{
		actionTime?: number | string | null;
		actionType?: string | null;
		description?: string | null;
		actionReference?: string | null;
		actionReferenceInt?: string | null;
	}> | null;
	autoresolveMins?: number | null;
}

export interface DattoPageDetails {
	count?: number;
	totalCount?: number;
	prevPageUrl?: string | null;
	nextPageUrl?: string | null;
}

export interface DattoSite {
	id?: number;
	uid: string;
	accountUid?: string;
	name?: string;
	description?: string | null;
	notes?: string | null;
	onDemand?: boolean;
	autotaskCompanyName?: string | null;
	autotaskCompanyId?: string | null;
	portalUrl?: string | null;
	devicesStatus?: {
		numberOfDevices?: number;
		numberOfOnlineDevices?: number;
		numberOfOfflineDevices?: number;
	};
}

export interface DattoDevice {
	id?: number;
	uid: string;
	siteId?: number;
	siteUid?: string;
	siteName?: string;
	hostname?: string;
	deviceType?: { category?: string | null; type?: string | null } | null;
	description?: string | null;
	intIpAddress?: string | null;
	extIpAddress?: string | null;
	operatingSystem?: string | null;
	lastLoggedInUser?: string | null;
	online?: boolean;
	deleted?: boolean;
	/** Epoch milliseconds on the live API (the document says date-time strings). */
	lastSeen?: number | string | null;
	creationDate?: number | string | null;
	lastAuditDate?: number | string | null;
	deviceClass?: string;
	portalUrl?: string | null;
	webRemoteUrl?: string | null;
	/** v2 (live data, older builds): `udf1` … `udf300`. */
	udf?: Record<string, string | null> | null;
	/** v3: typed UDF values by ordinal. */
	udfs?: Array<Record<string, unknown>> | null;
	[key: string]: unknown;
}

/** A device audit (`/v2/audit/device/{uid}`); only the parts the package reads are typed. */
export interface DattoDeviceAudit {
	bios?: { serialNumber?: string | null; [key: string]: unknown } | null;
	systemInfo?: {
		manufacturer?: string | null;
		model?: string | null;
		[key: string]: unknown;
	} | null;
	[key: string]: unknown;
}

export type DeviceScope = { level: 'account' } | { level: 'site'; uid: string };

export interface DeviceListOptions {
	/** 2 (default) or 3: v3 carries UDFs as `udfs[]` with their types. */
	version?: 2 | 3;
	/** Page size asked for (Datto caps it at its own maximum). */
	pageSize?: number;
	/** Stop after this many devices. */
	limit?: number;
}

/** Datto's device pages hold up to 250 (GET /v2/system/pagination says the account's maximum). */
export const DATTO_DEVICE_PAGE_SIZE = 250;

export type AlertScope =
	| { level: 'account' }
	| { level: 'site'; uid: string }
	| { level: 'device'; uid: string };

export interface AlertListOptions {
	/** Datto's `muted` filter; omitted = Datto's default. */
	muted?: boolean;
	/** Page size asked for (Datto caps it). */
	pageSize?: number;
	/** Stop after this many alerts. */
	limit?: number;
}

export const DATTO_DEFAULT_PAGE_SIZE = 100;

const RATE_OR_BLOCK = /rate[\s._-]?limit|ip[\s._-]?block|blocked|too many/i;

/** Datto's rate window: 600 reads and 100 writes within the past 60 seconds, per account. */
export const DATTO_RATE_WINDOW_MS = 60_000;

/**
 * How long one request waits out Datto's account-wide limit before its item fails: three of
 * Datto's windows. See docs/adr/datto-account-wide-rate-limit.md.
 */
export const DATTO_RATE_LIMIT_WAIT_MS = 3 * DATTO_RATE_WINDOW_MS;

export const DATTO_RETRY_POLICY: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	// A Retry-After up to a window is worth waiting out.
	maxRetryAfterMs: DATTO_RATE_WINDOW_MS + 5_000,
	throttle: {
		waitAtMostMs: DATTO_RATE_LIMIT_WAIT_MS,
		baseDelayMs: 1_000,
		windowMs: DATTO_RATE_WINDOW_MS,
	},
};

export class DattoClient extends VendorClient {
	constructor(http: HttpClient, options: VendorClientOptions = {}) {
		super(http, options.policy ?? DATTO_RETRY_POLICY, options.writeTimeoutMs);
	}

	/** One alert, or undefined when Datto answers 404 ("Alert was not found."). */
	async getAlert(alertUid: string): Promise<DattoAlert | undefined> {
		return await this.getOrUndefined<DattoAlert>(`/v2/alert/${encodeURIComponent(alertUid)}`);
	}

	async getSite(siteUid: string): Promise<DattoSite | undefined> {
		return await this.getOrUndefined<DattoSite>(`/v2/site/${encodeURIComponent(siteUid)}`);
	}

	async getDevice(deviceUid: string): Promise<DattoDevice | undefined> {
		return await this.getOrUndefined<DattoDevice>(`/v2/device/${encodeURIComponent(deviceUid)}`);
	}

	/** Devices of the account or a site, every page. */
	async listDevices(scope: DeviceScope, options: DeviceListOptions = {}): Promise<DattoDevice[]> {
		const out: DattoDevice[] = [];
		const base =
			scope.level === 'account'
				? `/v${options.version ?? 2}/account/devices`
				: `/v${options.version ?? 2}/site/${encodeURIComponent(scope.uid)}/devices`;
		const qs = { max: options.pageSize ?? DATTO_DEVICE_PAGE_SIZE };
		for await (const page of this.pages<DattoDevice>(base, qs, 'devices', options.limit))
			out.push(...page);
		return out;
	}

	/**
	 * A device's audit (hardware, BIOS serial number…), or undefined when Datto has none: 404 for
	 * an unknown device, 400 for a device that is not of class "device" (printers, ESXi hosts and
	 * network devices have other audits).
	 */
	async getDeviceAudit(deviceUid: string): Promise<DattoDeviceAudit | undefined> {
		const got = await settle(
			this.request<DattoDeviceAudit>('GET', `/v2/audit/device/${encodeURIComponent(deviceUid)}`),
		);
		if (got.ok) return got.value;
		if (
			got.error instanceof VendorApiError &&
			(got.error.httpCode === 404 || got.error.httpCode === 400)
		)
			return undefined;
		throw got.error;
	}

	/** Sites of the account, optionally filtered by name (Datto matches it with LIKE). */
	async listSites(
		options: { siteName?: string; pageSize?: number; limit?: number } = {},
	): Promise<DattoSite[]> {
		const out: DattoSite[] = [];
		const qs: Record<string, QueryValue | undefined> = {
			max: options.pageSize,
			siteName: options.siteName || undefined,
		};
		for await (const page of this.pages<DattoSite>('/v2/account/sites', qs, 'sites', options.limit))
			out.push(...page);
		return out;
	}

	/** Open or resolved alerts of the account, a site or a device, every page. */
	async listAlerts(
		scope: AlertScope,
		state: 'open' | 'resolved',
		options: AlertListOptions = {},
	): Promise<DattoAlert[]> {
		const out: DattoAlert[] = [];
		for await (const page of this.alertPages(scope, state, options)) out.push(...page);
		return out;
	}

	alertPages(
		scope: AlertScope,
		state: 'open' | 'resolved',
		options: AlertListOptions = {},
	): AsyncGenerator<DattoAlert[]> {
		const base =
			scope.level === 'account'
				? '/v2/account/alerts'
				: `/v2/${scope.level}/${encodeURIComponent(scope.uid)}/alerts`;
		const qs: Record<string, QueryValue | undefined> = {
			max: options.pageSize ?? DATTO_DEFAULT_PAGE_SIZE,
			muted: options.muted,
		};
		return this.pages<DattoAlert>(`${base}/${state}`, qs, 'alerts', options.limit);
	}

	/**
	 * Resolves an alert. Datto has no idempotency key, so after an unclear outcome (connection
	 * lost, a 5xx, a 409) the alert is read back: already resolved counts as done.
	 */
	async resolveAlert(alertUid: string): Promise<void> {
		const url = `/v2/alert/${encodeURIComponent(alertUid)}/resolve`;
		const confirm = async (): Promise<HttpResponse<unknown> | undefined> => {
			const alert = await this.getAlert(alertUid);
			return alert?.resolved ? { status: 200, headers: {}, body: undefined } : undefined;
		};
		const sent = await settle(this.send('POST', url, { idempotent: false, verify: confirm }));
		if (!sent.ok) {
			if (sent.error instanceof TransportError && (await confirm())) return;
			throw this.mapTransportError(sent.error, false);
		}
		const response = sent.value;
		if (response.status >= 200 && response.status < 300) return;
		if ((response.status === 409 || response.status >= 500) && (await confirm())) return;
		throw dattoError(response, this.policy.throttle?.waitAtMostMs);
	}

	/** GET with retries; VendorApiError for any failure except 404 → undefined. */
	private async getOrUndefined<T>(url: string): Promise<T | undefined> {
		const got = await settle(this.request<T>('GET', url));
		if (got.ok) return got.value;
		if (got.error instanceof VendorApiError && got.error.httpCode === 404) return undefined;
		throw got.error;
	}

	private async *pages<T>(
		path: string,
		qs: Record<string, QueryValue | undefined>,
		arrayKey: string,
		limit?: number,
	): AsyncGenerator<T[]> {
		const wanted = Object.fromEntries(
			Object.entries(qs).filter(([, value]) => value !== undefined),
		) as Record<string, QueryValue>;
		let url = path;
		let query: Record<string, QueryValue> | undefined = wanted;
		const records = new RecordLimit(limit);
		const seen = new Set<string>();
		for (;;) {
			const page = await this.request<{ pageDetails?: DattoPageDetails } & Record<string, unknown>>(
				'GET',
				url,
				query,
			);
			const items = records.take((Array.isArray(page?.[arrayKey]) ? page[arrayKey] : []) as T[]);
			if (items.length) yield items;
			const next = page?.pageDetails?.nextPageUrl;
			if (!next || !items.length || records.reached) return;
			url = nextPageRequest(next, wanted);
			// A next link that repeats itself would loop forever.
			if (seen.has(url)) return;
			seen.add(url);
			query = undefined;
		}
	}

	async request<T>(
		method: HttpMethod,
		url: string,
		qs?: Record<string, QueryValue | undefined>,
	): Promise<T> {
		const sent = await settle(this.send(method, url, { idempotent: method === 'GET', qs }));
		if (!sent.ok) throw this.mapTransportError(sent.error, method === 'GET');
		const response = sent.value;
		if (response.status >= 200 && response.status < 300) return response.body as T;
		throw dattoError(response, this.policy.throttle?.waitAtMostMs);
	}

	private async send(
		method: HttpMethod,
		url: string,
		options: {
			idempotent: boolean;
			qs?: Record<string, QueryValue | undefined>;
			verify?: () => Promise<HttpResponse<unknown> | undefined>;
		},
	): Promise<HttpResponse<unknown>> {
		return await sendWithRetry<unknown>(
			this.counted(),
			{
				method,
				url,
				qs: options.qs,
				headers: method === 'GET' ? undefined : { 'Content-Type': 'application/json' },
				timeoutMs: this.timeoutFor(method, options.idempotent),
			},
			{
				idempotent: options.idempotent,
				policy: this.policy,
				classify: classifyDattoResponse,
				verifyAfterAmbiguousFailure: options.verify,
			},
		);
	}

	private mapTransportError(error: unknown, idempotent: boolean): unknown {
		if (!(error instanceof TransportError)) return error;
		return unreachableError(
			'datto',
			error,
			idempotent
				? "The request was retried with backoff. Check the platform in the credential and Datto RMM's status page."
				: 'The change was not confirmed and was not repeated blindly. Run again: an alert already resolved is recognised.',
		);
	}
}

/**
 * Datto's nextPageUrl is absolute and drops some of the original filter parameters. Keep only its
 * path and query (so the token never goes to another host), below /api, and add back any
 * parameter it lost.
 */
export function nextPageRequest(nextPageUrl: string, original: Record<string, QueryValue>): string {
	const parsed = parseUrl(nextPageUrl);
	if (!parsed) return nextPageUrl;
	for (const [name, value] of Object.entries(original)) {
		if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, String(value));
	}
	const path = parsed.pathname.replace(/^\/api(?=\/)/i, '');
	return `${path}${parsed.search}`;
}

function parseUrl(url: string): URL | undefined {
	try {
		return new URL(url, 'http://placeholder.invalid');
	} catch {
		return undefined;
	}
}

function classifyDattoResponse(response: HttpResponse<unknown>): Verdict {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok' };
	// The account's window, shared by every process and integration using the account.
	if (status === 429) return { kind: 'throttled' };
	// "Request aborted due to concurrent write access to this record.": nothing was written.
	if (status === 409) return { kind: 'retry' };
	if (status === 503) return { kind: 'retry' };
	if (status === 500 || status === 502 || status === 504) return { kind: 'retryIfIdempotent' };
	return { kind: 'fail' };
}

export function dattoMessage(body: unknown): string {
	if (body && typeof body === 'object') {
		const record = body as Record<string, unknown>;
		for (const key of ['message', 'error_description', 'errorMessage', 'error']) {
			const value = record[key];
			if (typeof value === 'string' && value.trim()) return value.trim();
		}
		if (Array.isArray(record.errors) && record.errors.length)
			return record.errors.map(String).join(' ');
	}
	if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
	return '';
}

/**
 * Datto's plain-JSON error as a VendorApiError with the fix for the usual causes. `waitedMs`: how
 * long a 429 was waited out before this answer.
 */
export function dattoError(response: HttpResponse<unknown>, waitedMs?: number): VendorApiError {
	const text = dattoMessage(response.body) || `HTTP ${response.status}`;
	if (response.status === 429) return accountLimitError(text, waitedMs);
	let description: string;
	switch (true) {
		case response.status === 401:
			description =
				'Datto RMM rejected the API token even after a new one was requested. Check the API key and secret in the credential, and that the API user is enabled (Setup > Users).';
			break;
		case response.status === 403 && RATE_OR_BLOCK.test(text):
			description =
				'Datto RMM blocked requests from this address for exceeding its rate limit (usually for about 5 minutes). Run the workflow less often or over fewer alerts, then try again.';
			break;
		case response.status === 403:
			description =
				'Datto RMM refused access. Check that API access is enabled (Setup > Global Settings > Access Control) and that the API user is not restricted.';
			break;
		case response.status === 404:
			description =
				'Check the UID. If every request answers 404, the credential points at the wrong platform: pick the one of the address you log in to.';
			break;
		case response.status === 409:
			description = 'Another change to the same record was in progress. Run again.';
			break;
		default:
			description =
				'Datto RMM refused the request with the message above. Correct the value it names and run again.';
	}
	return new VendorApiError({
		vendor: 'datto',
		httpCode: response.status,
		message: `Datto RMM: ${text}`,
		description,
	});
}

/** How the error of a request refused by Datto's account-wide limit begins. */
export const DATTO_ACCOUNT_LIMIT_REACHED = "Datto RMM's account-wide API rate limit was reached";
/** ... and, once the request waited the limit out, how it goes on (the seconds follow). */
export const DATTO_ACCOUNT_LIMIT_WAITED_OUT = `${DATTO_ACCOUNT_LIMIT_REACHED} and did not free up within`;

/**
 * Datto's account-wide limit still reached after waiting it out: every n8n worker, workflow and
 * other integration of the account shares 600 reads and 100 writes per 60 seconds.
 */
function accountLimitError(text: string, waitedMs: number | undefined): VendorApiError {
	const message =
		waitedMs && waitedMs > 0
			? `${DATTO_ACCOUNT_LIMIT_WAITED_OUT} ${Math.round(waitedMs / 1000)} s`
			: DATTO_ACCOUNT_LIMIT_REACHED;
	return new VendorApiError({
		vendor: 'datto',
		httpCode: 429,
		message: `${message} (${text})`,
		description:
			'Datto RMM allows 600 reads and 100 writes per 60 seconds for the whole account, shared by every n8n worker, workflow and other integration that uses it. Run fewer n8n workers or lower their concurrency, or move other Datto RMM integrations off this time. Size it so: all workers together apply at most about 600 alert deliveries a minute divided by the Datto reads each delivery needs (README, Running at scale). Alerts this run could not apply are picked up by the next run of Sync Open Alerts.',
	});
}
