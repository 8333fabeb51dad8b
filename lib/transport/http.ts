/**
 * The one HTTP seam of the package. Nodes implement it with n8n's
 * `httpRequestWithAuthentication`; tests and benchmarks implement it with a plain client that
 * applies the same credential classes. Vendor modules never see anything else.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean;

export interface HttpRequest {
	method: HttpMethod;
	/** Relative to the credential's base URL (set by the credential), or absolute (a next-page link). */
	url: string;
	qs?: Record<string, QueryValue | undefined>;
	headers?: Record<string, string>;
	body?: unknown;
	/** How long to wait for the answer; the client's own default when undefined. */
	timeoutMs?: number;
}

/**
 * How long a write may take before the client stops waiting (seconds to a minute: a vendor that
 * is slow but working must not be cut off, a hung one must not hold the run for ever). The
 * node's "Write Timeout" option sets it.
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 60_000;

export interface HttpResponse<T = unknown> {
	status: number;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	body: T;
}

export interface HttpClient {
	/** Resolves for every HTTP status; rejects with `TransportError` when no response arrived. */
	send<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
	sleep(ms: number): Promise<void>;
	now(): number;
}

/** The request never got an HTTP answer (reset, refused, timed out, DNS...). */
export class TransportError extends Error {
	readonly code: string;

	/** True when the server may have acted on the request before the connection failed. */
	readonly mayHaveReachedServer: boolean;

	/**
	 * True when the client stopped waiting (a timeout): the server may still be working on the
	 * request and act after the client gave up.
	 */
	readonly mayStillBeInProgress: boolean;

	constructor(code: string, message: string) {
		super(message);
		this.name = 'TransportError';
		this.code = code;
		this.mayHaveReachedServer = !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH'].includes(
			code,
		);
		this.mayStillBeInProgress = ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED'].includes(code);
	}
}

export type Vendor = 'autotask' | 'connectwise' | 'graph' | 'datto';

export const VENDOR_NAMES: Record<Vendor, string> = {
	autotask: 'Autotask',
	connectwise: 'ConnectWise',
	graph: 'Microsoft Graph',
	datto: 'Datto RMM',
};

/** A vendor answered, and the answer means failure. Message: the vendor's words; description: the fix. */
export class VendorApiError extends Error {
	readonly vendor: Vendor;

	readonly httpCode: number;

	readonly vendorCode?: string;

	readonly description: string;

	constructor(options: {
		vendor: Vendor;
		httpCode: number;
		message: string;
		description: string;
		vendorCode?: string;
	}) {
		super(options.message);
		this.name = 'VendorApiError';
		this.vendor = options.vendor;
		this.httpCode = options.httpCode;
		this.vendorCode = options.vendorCode;
		this.description = options.description;
	}
}

/** The vendor could not be reached: the network's reason in the message, what to do in `description`. */
export function unreachableError(
	vendor: Vendor,
	error: TransportError,
	description: string,
): VendorApiError {
	const reason =
		error.code === 'ETIMEDOUT'
			? 'timed out'
			: error.code === 'ECONNREFUSED'
				? 'connection refused'
				: 'connection dropped';
	return new VendorApiError({
		vendor,
		httpCode: 0,
		message: `${VENDOR_NAMES[vendor]} could not be reached (${reason})`,
		description,
	});
}

/**
 * Bad input for one item, found before any call. `field` is the parameter's display name (or
 * the input field) so the message can name both the item and the field.
 */
export class InputError extends Error {
	readonly field: string;

	readonly description: string;

	constructor(field: string, message: string, description = '') {
		super(message);
		this.name = 'InputError';
		this.field = field;
		this.description = description;
	}
}

/** A filter or condition the user typed whose parentheses do not pair up. */
export function unbalancedParentheses(field: string): InputError {
	return new InputError(
		field,
		`${field} has unbalanced parentheses`,
		'Check that every "(" has a matching ")".',
	);
}

/**
 * Time allowed for a credential's own look-up (token, zone, codebase): they are small requests,
 * and a hanging endpoint must not hold a workflow until the server gives up.
 */
export const LOOKUP_TIMEOUT_MS = 30_000;

/**
 * How a credential sends its look-up: every status comes back as an answer (the credential reads
 * it, and hands transient ones to `transientLookupFailure`), as JSON, within LOOKUP_TIMEOUT_MS.
 */
export const LOOKUP_REQUEST = {
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
	timeout: LOOKUP_TIMEOUT_MS,
	json: true,
} as const;

/** Answers of a token, zone or codebase look-up that mean "again later", not "wrong setup". */
export const TRANSIENT_LOOKUP_STATUSES = [429, 502, 503, 504];

/**
 * For a credential's preAuthentication: when its look-up got a transient answer, an error that
 * carries that answer as `response` (as an HTTP client's error does), so the node's transport
 * treats it as that status, waited out (Retry-After honoured) and retried, instead of as a setup
 * problem. Undefined for any other status. See docs/adr/credential-caches-stamped-with-owner.md.
 */
export function transientLookupFailure(
	message: string,
	response: { statusCode: number; headers?: unknown; body?: unknown },
): Error | undefined {
	if (!TRANSIENT_LOOKUP_STATUSES.includes(response.statusCode)) return undefined;
	return Object.assign(new Error(message), {
		response: { status: response.statusCode, headers: response.headers ?? {}, data: response.body },
	});
}

export function headerValue(
	headers: Record<string, string> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return value;
	}
	return undefined;
}
