import { sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IDataObject,
} from 'n8n-workflow';

import { CREDENTIAL_CACHES, freshCachedValue } from '../../lib/transport/credentialCache';
import { TransportError } from '../../lib/transport/http';
import type { HttpClient, HttpRequest, HttpResponse } from '../../lib/transport/http';
import { collectSecrets, redactSecrets } from './secrets';

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface HttpClientOptions {
	itemIndex?: number;
	/** Credential fields replaced for this client only (e.g. another Graph tenant). */
	credentialOverrides?: ICredentialDataDecryptedObject;
	timeoutMs?: number;
}

/** Reads; a write asks for its own timeout (the vendor client's write timeout). */
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * An HttpClient over n8n's `httpRequestWithAuthentication`, so the credential applies auth and
 * n8n mints tokens (once per client, also after a 401). Each client works on its own copy of the
 * credential: a copy whose cached token belongs to another tenant, or has expired, is blanked so
 * that n8n mints a fresh one before the first call instead of after a failed one.
 */
export function createHttpClient(
	ctx: RequestContext,
	credentialType: string,
	options: HttpClientOptions = {},
): HttpClient & { secrets(): string[] } {
	let credentialCopy: ICredentialDataDecryptedObject | undefined;
	let secrets: string[] = [];

	async function credentials(): Promise<ICredentialDataDecryptedObject> {
		if (credentialCopy) return credentialCopy;
		const stored =
			options.itemIndex === undefined
				? await ctx.getCredentials(credentialType)
				: await (ctx as IExecuteFunctions).getCredentials(credentialType, options.itemIndex);
		const copy: ICredentialDataDecryptedObject = { ...stored, ...options.credentialOverrides };
		const expirable = CREDENTIAL_CACHES[credentialType]?.field;
		if (expirable && !freshCachedValue(credentialType, copy, Date.now())) copy[expirable] = '';
		credentialCopy = copy;
		secrets = collectSecrets(copy);
		return copy;
	}

	let gate: Promise<void> | undefined;
	let refreshing: Promise<void> | undefined;

	/**
	 * When n8n has a token (zone, codebase) to mint, the first request runs alone so that items
	 * share one mint (docs/adr/credential-caches-stamped-with-owner.md); else all run at once.
	 */
	async function send<T>(request: HttpRequest): Promise<HttpResponse<T>> {
		if (gate) {
			await gate;
			return await sendRefreshingOnce<T>(request);
		}
		let release: () => void = () => {};
		gate = new Promise<void>((resolve) => (release = resolve));
		try {
			const expirable = CREDENTIAL_CACHES[credentialType]?.field;
			if (!expirable || (await credentials())[expirable]) release();
			return await sendRefreshingOnce<T>(request);
		} finally {
			release();
		}
	}

	/**
	 * A 401 means the token (zone, codebase) went stale during the run: one request renews it for
	 * the whole client (n8n mints for a copy whose value is empty), the others wait and reuse it.
	 */
	async function sendRefreshingOnce<T>(request: HttpRequest): Promise<HttpResponse<T>> {
		if (refreshing) await refreshing;
		const expirable = CREDENTIAL_CACHES[credentialType]?.field;
		const data = await credentials();
		const before = expirable ? data[expirable] : undefined;
		const response = await sendNow<T>(request);
		if (response.status !== 401 || !expirable) return response;
		// The value this request went with: the one it found, or the one n8n minted for it.
		const used = before || data[expirable];
		if (refreshing) await refreshing;
		if (data[expirable] !== used) return await sendNow<T>(request);
		let done: () => void = () => {};
		refreshing = new Promise<void>((resolve) => (done = resolve));
		try {
			const renewed: ICredentialDataDecryptedObject = { ...data, [expirable]: '' };
			const retried = await sendNow<T>(request, renewed);
			if (renewed[expirable]) data[expirable] = renewed[expirable];
			secrets = collectSecrets(data);
			return retried;
		} finally {
			refreshing = undefined;
			done();
		}
	}

	async function sendNow<T>(
		request: HttpRequest,
		credentialData?: ICredentialDataDecryptedObject,
	): Promise<HttpResponse<T>> {
		const data = credentialData ?? (await credentials());
		const node = ctx.getNode();
		const reference = node.credentials?.[credentialType];
		const requestOptions: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: dropUndefined(request.qs),
			headers: { Accept: 'application/json', ...request.headers },
			body: request.body as IHttpRequestOptions['body'],
			json: true,
			returnFullResponse: true,
			// Every status comes back as an answer; a 401 renews the token once per client (above).
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				credentialType,
				requestOptions,
				{
					credentialsDecrypted: {
						id: reference?.id ?? '',
						name: reference?.name ?? '',
						type: credentialType,
						data,
					},
				},
			)) as { statusCode: number; headers: Record<string, string | string[]>; body: unknown };
			// n8n copies refreshed values into `data`; the secrets list must follow.
			secrets = collectSecrets(data);
			return {
				status: response.statusCode,
				headers: lowerCaseHeaders(response.headers),
				body: parseBody(response.body) as T,
			};
		} catch (error) {
			secrets = collectSecrets(data);
			return fromThrown<T>(error, secrets);
		}
	}

	return {
		send,
		sleep: async (ms: number) => await sleep(ms),
		now: () => Date.now(),
		secrets: () => secrets,
	};
}

function dropUndefined(qs: HttpRequest['qs']): IDataObject | undefined {
	if (!qs) return undefined;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) if (value !== undefined) out[key] = value;
	return out;
}

function lowerCaseHeaders(
	headers: Record<string, string | string[]> | undefined,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_BAD_RESPONSE',
	'UND_ERR_SOCKET',
];

/**
 * n8n throws for a 401 that survived the refresh, for network failures and for errors raised in
 * a credential's preAuthentication. Turn each into an HTTP response or a TransportError, so the
 * vendor modules handle every outcome in one place, and strip anything secret on the way.
 */
function fromThrown<T>(error: unknown, secrets: string[]): HttpResponse<T> {
	const chain: Array<Record<string, unknown>> = [];
	let cursor = error as Record<string, unknown> | undefined;
	for (let depth = 0; cursor && depth < 6; depth++) {
		chain.push(cursor);
		cursor = cursor.cause as Record<string, unknown> | undefined;
	}
	for (const link of chain) {
		const response = link.response as
			| { status?: number; headers?: Record<string, string>; data?: unknown }
			| undefined;
		if (response?.status) {
			return {
				status: response.status,
				headers: lowerCaseHeaders(response.headers),
				body: parseBody(response.data) as T,
			};
		}
	}
	for (const link of chain) {
		const code = typeof link.code === 'string' ? link.code : undefined;
		if (code && (NETWORK_CODES.includes(code) || /^E[A-Z]+$/.test(code))) {
			throw new TransportError(code, redactSecrets(`Connection failed (${code})`, secrets));
		}
		const message = typeof link.message === 'string' ? link.message : '';
		const timeout = /timeout of \d+ms exceeded|socket hang up|network socket disconnected/i.exec(
			message,
		);
		if (timeout)
			throw new TransportError(
				/timeout/i.test(timeout[0]) ? 'ETIMEDOUT' : 'ECONNRESET',
				timeout[0],
			);
	}
	// Anything else came from a credential's preAuthentication: its message explains the fix.
	const root = chain[chain.length - 1] ?? {};
	const message = typeof root.message === 'string' && root.message ? root.message : String(error);
	throw new CredentialSetupError(redactSecrets(message, secrets));
}

/** The credential could not be used (zone, token or codebase could not be obtained). */
export class CredentialSetupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialSetupError';
	}
}
