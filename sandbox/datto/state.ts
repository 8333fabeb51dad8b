/**
 * The Datto RMM sandbox's live state: sites, devices and alerts in Datto's own JSON shapes
 * (epoch-millisecond timestamps, `alertContext` with `@class`), the tokens it issued, its rate
 * windows, and the webhooks its monitors would send. Tests raise and resolve alerts here and
 * get the matching webhook body (the node's documented template, filled with the alert's
 * values) as a body, as a Webhook-node item, or delivered to a URL.
 */
import { SANDBOX_IDENTITIES } from '../credentials';
import { alertCategory, alertSentence } from './monitors';
import type { DattoAlert, DattoDevice, DattoSite } from './records';

/** Datto RMM's read limit per window for an account (600 per 60 s), the sandbox's default. */
export const DATTO_ACCOUNT_READ_LIMIT = 600;

export interface DattoApiUser {
	apiKey: string;
	apiSecret: string;
	/** What Datto writes into resolvedBy when this user resolves an alert. */
	userName: string;
}

export interface DattoSandboxConfig {
	/** Token lifetime; Datto's is 100 hours. */
	tokenTtlSeconds: number;
	/** Reads per window for the whole account (Datto: 600 per 60 s). */
	readLimit: number;
	/** Writes per window for the whole account (Datto: 100 per 60 s for alert-resolve). */
	writeLimit: number;
	windowMs: number;
	/** Above this share of the read limit Datto delays each answer. */
	cutoffRatio: number;
	/** The delay above the cutoff (Datto: one second). */
	cutoffDelayMs: number;
	/** Whether 429 answers carry Retry-After [U: not confirmed on the live API]. */
	retryAfter: boolean;
	/** Page size when `max` is not given, and the largest accepted. */
	alertPageSize: number;
	maxAlertPageSize: number;
	sitePageSize: number;
	maxSitePageSize: number;
	/** Device pages: the default size and the largest accepted (GET /v2/system/pagination). [U] 250 */
	devicePageSize: number;
	maxDevicePageSize: number;
	/** The [platform] webhook variable. */
	platform: string;
}

export type WebhookEvent = 'raised' | 'resolved';

/**
 * The body the sandbox's monitors are set up to send (the layout of the seed's
 * datto/webhooks.json, sandbox/README.md): "event" is a literal of each of the two bodies, every
 * other field is filled with a Datto variable.
 */
const WEBHOOK_BODY: Array<[field: string, variable: string]> = [
	['alertUid', 'alert_uid'],
	['priority', 'alert_priority'],
	['alertType', 'alert_type'],
	['category', 'alert_category'],
	['message', 'alert_message'],
	['deviceUid', 'device_uid'],
	['hostname', 'device_hostname'],
	['siteUid', 'site_uid'],
	['siteName', 'site_name'],
	['platform', 'platform'],
	['timestamp', 'timestamp'],
];

export interface OutboxEntry {
	event: WebhookEvent;
	alertUid: string;
	body: Record<string, unknown>;
}

export interface RaiseAlertInput {
	deviceUid: string;
	/** The alert context, `@class` included. */
	alertContext: { '@class': string } & Record<string, unknown>;
	priority?: DattoAlert['priority'];
	diagnostics?: string;
	alertUid?: string;
	timestamp?: number;
	muted?: boolean;
	createsTicket?: boolean;
	sendsEmails?: boolean;
	ticketNumber?: string | null;
	responseActions?: DattoAlert['responseActions'];
	autoresolveMins?: number;
	/** Datto's wording for [alert_message] / [alert_type] in the webhook; default from the context. */
	message?: string;
	monitorName?: string;
}

export interface WebhookOptions {
	/** Shared secret sent as a header and/or query parameter. */
	secret?: string;
	secretHeader?: string;
	secretQuery?: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
}

/** What n8n's Webhook node emits for one delivery. */
export interface WebhookItem {
	headers: Record<string, string>;
	params: Record<string, string>;
	query: Record<string, string>;
	body: unknown;
	webhookUrl?: string;
	executionMode?: string;
}

/** A random v4-shaped UUID (sandbox data only). */
export function sandboxUuid(): string {
	const hex = (n: number) =>
		Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
	const variant = ['8', '9', 'a', 'b'][Math.floor(Math.random() * 4)];
	return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

export class DattoState {
	sites: DattoSite[];
	devices: DattoDevice[];
	alerts: DattoAlert[];
	/** Device audits by device uid (the seed's `deviceAudits`: `[{deviceUid, …audit}]`). */
	deviceAudits: Map<string, Record<string, unknown>>;
	/** Webhook bodies from the seed, delivered in order by `takeSeedWebhooks`. */
	webhooks: unknown[];
	/** Webhooks the monitors sent since start (raise and resolve, API resolves included). */
	outbox: OutboxEntry[] = [];
	apiUsers: DattoApiUser[] = [
		{
			apiKey: SANDBOX_IDENTITIES.datto.apiKey,
			apiSecret: SANDBOX_IDENTITIES.datto.apiSecret,
			userName: 'API User (sandbox)',
		},
	];
	config: DattoSandboxConfig = {
		tokenTtlSeconds: 100 * 3600,
		readLimit: DATTO_ACCOUNT_READ_LIMIT,
		writeLimit: 100,
		windowMs: 60_000,
		cutoffRatio: 0.9,
		cutoffDelayMs: 1000,
		retryAfter: true,
		alertPageSize: 100,
		maxAlertPageSize: 100,
		sitePageSize: 250,
		maxSitePageSize: 250,
		devicePageSize: 250,
		maxDevicePageSize: 250,
		platform: 'sandbox',
	};
	/** Issued tokens: value → owner and expiry. */
	tokens = new Map<string, { apiKey: string; expiresAt: number; usesLeft?: number }>();
	readTimes: number[] = [];
	writeTimes: number[] = [];
	/** Requests refused with 429, by kind. */
	rateLimited = { read: 0, write: 0 };
	/** Sandbox-only wording per alert ([alert_message], [alert_type]); not part of the API shape. */
	private readonly wording = new Map<string, { message?: string; monitorName?: string }>();
	now: () => number = () => Date.now();

	constructor(seed: Record<string, unknown[] | undefined>) {
		const rows = <T>(name: string) => structuredClone((seed[name] ?? []) as T[]);
		this.sites = rows<DattoSite>('sites');
		this.devices = rows<DattoDevice>('devices');
		this.alerts = rows<DattoAlert>('alerts');
		this.webhooks = rows<unknown>('webhooks');
		this.deviceAudits = new Map(
			rows<Record<string, unknown>>('deviceAudits')
				.filter((entry) => typeof entry?.deviceUid === 'string')
				.map(({ deviceUid, ...audit }) => [String(deviceUid), audit]),
		);
	}

	site(uid: string): DattoSite | undefined {
		return this.sites.find((site) => site.uid === uid);
	}

	device(uid: string): DattoDevice | undefined {
		return this.devices.find((device) => device.uid === uid);
	}

	alert(uid: string): DattoAlert | undefined {
		return this.alerts.find((alert) => alert.alertUid === uid);
	}

	/** Raises a new alert on a device; returns it (and queues its raised webhook). */
	raiseAlert(input: RaiseAlertInput): DattoAlert {
		const device = this.device(input.deviceUid);
		if (!device) throw new Error(`Datto sandbox: no device ${input.deviceUid}`);
		const site = device.siteUid ? this.site(device.siteUid) : undefined;
		const alert: DattoAlert = {
			alertUid: input.alertUid ?? sandboxUuid(),
			priority: input.priority ?? 'Moderate',
			diagnostics: input.diagnostics ?? alertSentence(input.alertContext, device.hostname ?? ''),
			resolved: false,
			resolvedBy: null,
			resolvedOn: null,
			muted: input.muted ?? false,
			ticketNumber: input.ticketNumber ?? null,
			timestamp: input.timestamp ?? this.now(),
			alertMonitorInfo: {
				sendsEmails: input.sendsEmails ?? false,
				createsTicket: input.createsTicket ?? false,
			},
			alertContext: structuredClone(input.alertContext),
			alertSourceInfo: {
				deviceUid: device.uid,
				deviceName: device.hostname ?? null,
				siteUid: device.siteUid ?? site?.uid ?? null,
				siteName: device.siteName ?? site?.name ?? null,
			},
			responseActions: input.responseActions ?? [],
			autoresolveMins: input.autoresolveMins ?? 0,
		};
		if (this.alert(alert.alertUid))
			throw new Error(`Datto sandbox: alert ${alert.alertUid} exists already`);
		this.alerts.push(alert);
		if (input.message || input.monitorName)
			this.wording.set(alert.alertUid, { message: input.message, monitorName: input.monitorName });
		this.recordWebhook(alert, 'raised');
		return alert;
	}

	/**
	 * Resolves an alert as Datto does (by a person, an auto-resolve or the API) and queues its
	 * resolved webhook, unless `webhook: false` (the webhook is being replayed from elsewhere).
	 */
	resolveAlert(uid: string, by = 'Auto-resolve', options: { webhook?: boolean } = {}): DattoAlert {
		const alert = this.alert(uid);
		if (!alert) throw new Error(`Datto sandbox: no alert ${uid}`);
		if (!alert.resolved) {
			alert.resolved = true;
			alert.resolvedBy = by;
			alert.resolvedOn = this.now();
			if (options.webhook !== false) this.recordWebhook(alert, 'resolved');
		}
		return alert;
	}

	private recordWebhook(alert: DattoAlert, event: WebhookEvent): void {
		this.outbox.push({
			event,
			alertUid: alert.alertUid,
			body: this.webhookBody(alert.alertUid, event),
		});
	}

	/** The webhook variables Datto would substitute for this alert. */
	webhookVariables(uid: string): Record<string, string> {
		const alert = this.alert(uid);
		if (!alert) throw new Error(`Datto sandbox: no alert ${uid}`);
		const device = alert.alertSourceInfo?.deviceUid
			? this.device(alert.alertSourceInfo.deviceUid)
			: undefined;
		const site = alert.alertSourceInfo?.siteUid
			? this.site(alert.alertSourceInfo.siteUid)
			: undefined;
		const context = (alert.alertContext ?? {}) as Record<string, unknown>;
		const wording = this.wording.get(uid) ?? {};
		const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
		const hostname = text(alert.alertSourceInfo?.deviceName ?? device?.hostname);
		const message = wording.message ?? alertSentence(context, hostname);
		return {
			alert_uid: alert.alertUid,
			alert_priority: text(alert.priority),
			alert_type: wording.monitorName ?? alertCategory(context),
			alert_category: alertCategory(context),
			alert_message: message,
			alert_message_en: message,
			alert: text(alert.diagnostics),
			device_uid: text(alert.alertSourceInfo?.deviceUid),
			device_id: text(device?.id),
			device_hostname: hostname,
			device_ip: text(device?.intIpAddress),
			device_os: text(device?.operatingSystem),
			device_description: text(device?.description),
			last_user: text(device?.lastLoggedInUser),
			site_uid: text(alert.alertSourceInfo?.siteUid),
			site_id: text(site?.id),
			site_name: text(alert.alertSourceInfo?.siteName ?? site?.name),
			platform: this.config.platform,
			timestamp:
				alert.timestamp !== null && alert.timestamp !== undefined
					? new Date(Number(alert.timestamp)).toISOString()
					: '',
		};
	}

	/** The webhook body for this alert and event, as Datto fills it in and sends it. */
	webhookBody(uid: string, event: WebhookEvent): Record<string, unknown> {
		const variables = this.webhookVariables(uid);
		return {
			event,
			...Object.fromEntries(WEBHOOK_BODY.map(([field, variable]) => [field, variables[variable]])),
		};
	}

	/** A delivery shaped like n8n's Webhook node output (`{headers, params, query, body}`). */
	webhookItem(body: unknown, options: WebhookOptions = {}): WebhookItem {
		const headers: Record<string, string> = {
			host: '127.0.0.1:5678',
			'user-agent': 'Datto-RMM-Webhook/1.0 (sandbox)',
			'content-type': 'application/json',
			...lowerKeys(options.headers ?? {}),
		};
		const query: Record<string, string> = { ...(options.query ?? {}) };
		if (options.secret !== undefined) {
			if (options.secretHeader) headers[options.secretHeader.toLowerCase()] = options.secret;
			if (options.secretQuery || !options.secretHeader)
				query[options.secretQuery ?? 'secret'] = options.secret;
		}
		return {
			headers,
			params: {},
			query,
			body: structuredClone(body),
			webhookUrl: 'http://127.0.0.1:5678/webhook/datto-rmm-alerts',
			executionMode: 'production',
		};
	}

	/** POSTs a webhook body to a URL, as Datto's monitor response does. */
	async deliver(
		url: string,
		body: unknown,
		options: WebhookOptions = {},
	): Promise<{ status: number; body: string }> {
		const target = new URL(url);
		for (const [name, value] of Object.entries(options.query ?? {}))
			target.searchParams.set(name, value);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			...(options.headers ?? {}),
		};
		if (options.secret !== undefined) {
			if (options.secretHeader) headers[options.secretHeader] = options.secret;
			if (options.secretQuery || !options.secretHeader)
				target.searchParams.set(options.secretQuery ?? 'secret', options.secret);
		}
		// fetch says only "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND, ...).
		const sent = await fetch(target, {
			method: 'POST',
			headers,
			body: typeof body === 'string' ? body : JSON.stringify(body),
		}).then(
			(response) => ({ response }),
			(error: Error & { cause?: { code?: string; message?: string } }) => ({ error }),
		);
		if ('error' in sent)
			throw new Error(
				`Could not deliver the webhook to ${url}: ${sent.error.cause?.code ?? sent.error.cause?.message ?? sent.error.message}. Is n8n running there, and is the workflow with this Webhook path published?`,
			);
		const { response } = sent;
		return { status: response.status, body: await response.text() };
	}

	/** The seed's webhook bodies, in order (each handed out once). Deliver them with `replaySeedWebhook`. */
	takeSeedWebhooks(): unknown[] {
		return this.webhooks.splice(0, this.webhooks.length);
	}

	/**
	 * The one way to replay a seed webhook: applies the state change the body implies, then
	 * returns the body to deliver. Datto sends "resolved" because the alert is resolved, so the
	 * alert a resolved body names is resolved here first if it is still open (no new outbox entry:
	 * the body being replayed is that webhook). A raised body changes nothing (the seed's alerts
	 * are raised already, and a resolved alert is never raised again). Replaying a body twice
	 * changes nothing the second time.
	 */
	replaySeedWebhook<T>(body: T): T {
		const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
		const uid = typeof fields.alertUid === 'string' ? fields.alertUid : undefined;
		const event = typeof fields.event === 'string' ? fields.event.toLowerCase() : '';
		const resolved =
			event === 'resolved' || fields.resolvedAlert === true || fields.resolvedAlert === 'true';
		if (resolved && uid && this.alert(uid))
			this.resolveAlert(uid, 'Auto-resolve', { webhook: false });
		return body;
	}

	/** Webhooks the monitors sent since the last call (raised and resolved, in order). */
	takeOutbox(): OutboxEntry[] {
		return this.outbox.splice(0, this.outbox.length);
	}

	issueToken(apiKey: string): { token: string; expiresIn: number } {
		const token = `${sandboxUuid()}${sandboxUuid()}`.replace(/-/g, '');
		this.tokens.set(token, { apiKey, expiresAt: this.now() + this.config.tokenTtlSeconds * 1000 });
		return { token, expiresIn: this.config.tokenTtlSeconds };
	}

	/** Ends every issued token now (the next call answers 401, and n8n asks for a new one). */
	expireTokens(): void {
		for (const entry of this.tokens.values()) entry.expiresAt = 0;
	}

	/** Tokens issued so far expire after `calls` more API calls: a refresh in the middle of a run. */
	expireTokensAfter(calls: number): void {
		for (const entry of this.tokens.values()) entry.usesLeft = calls;
	}

	/**
	 * Counts one request against the account's window. Returns the seconds to wait when over the
	 * limit, or the extra delay Datto adds above its cutoff.
	 */
	admit(
		kind: 'read' | 'write',
	): { refused: true; retryAfterSeconds: number } | { refused: false; delayMs: number } {
		const now = this.now();
		const times = kind === 'read' ? this.readTimes : this.writeTimes;
		const limit = kind === 'read' ? this.config.readLimit : this.config.writeLimit;
		while (times.length && times[0] <= now - this.config.windowMs) times.shift();
		if (times.length >= limit) {
			this.rateLimited[kind]++;
			return {
				refused: true,
				retryAfterSeconds: Math.max(1, Math.ceil((times[0] + this.config.windowMs - now) / 1000)),
			};
		}
		times.push(now);
		const delayMs =
			kind === 'read' && times.length > limit * this.config.cutoffRatio
				? this.config.cutoffDelayMs
				: 0;
		return { refused: false, delayMs };
	}

	/** Forget the rate windows (between test phases). */
	resetRateWindows(): void {
		this.readTimes = [];
		this.writeTimes = [];
		this.rateLimited = { read: 0, write: 0 };
	}

	dump(): Record<string, unknown[]> {
		return {
			sites: structuredClone(this.sites),
			devices: structuredClone(this.devices),
			alerts: structuredClone(this.alerts),
			webhooks: structuredClone(this.webhooks),
			deviceAudits: [...this.deviceAudits].map(([deviceUid, audit]) => ({
				deviceUid,
				...structuredClone(audit),
			})),
		};
	}
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]),
	);
}
