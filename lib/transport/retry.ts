import { headerValue, TransportError, unreachableError } from './http';
import { settle } from '../util/settled';
import type { HttpClient, HttpRequest, HttpResponse, Vendor } from './http';

export interface RetryPolicy {
	/** Total attempts, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited out: the caller gets the error instead. */
	maxRetryAfterMs: number;
	/**
	 * How `throttled` answers are waited out: for a time, not a number of attempts. Without it a
	 * `throttled` answer is retried like `retry`.
	 */
	throttle?: ThrottlePolicy;
}

/**
 * A vendor's rate limit that other processes share (Datto RMM's is the account's): nobody here
 * knows when it frees up for this caller, so a throttled request keeps trying, waits spread out
 * so that the callers waiting do not all come back at once, until `waitAtMostMs` has been spent
 * waiting. See docs/adr/datto-account-wide-rate-limit.md.
 */
export interface ThrottlePolicy {
	/** Time spent waiting on throttled answers after which the request gives up (its last answer). */
	waitAtMostMs: number;
	/** The first wait's spread; it doubles with each throttled answer in a row, up to `windowMs`. */
	baseDelayMs: number;
	/** The vendor's rate window: waits never spread wider than it. */
	windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

/**
 * A create the client stopped waiting for may still be in progress at the vendor: it is looked
 * up, with backoff, for this many times as long as the client waited for it (and at most
 * LOOK_UP_AT_MOST_MS) before it is sent again. With the 60 s write timeout that is 5 minutes,
 * Autotask's own limit for a REST call.
 */
export const LOOK_UP_FOR_TIMES_THE_WAIT = 5;
export const LOOK_UP_AT_MOST_MS = 300_000;

/** What a vendor module says about one response. */
export type Verdict =
	| { kind: 'ok' }
	| { kind: 'fail' }
	/** Safe to send again: the server did not act on the request. */
	| { kind: 'retry'; delayMs?: number }
	/** A rate limit shared with other callers: waited out for a time (policy.throttle). */
	| { kind: 'throttled' }
	/** The server may have acted (a gateway timeout on a write, say): retry only if idempotent. */
	| { kind: 'retryIfIdempotent'; delayMs?: number };

export interface SendOptions<T> {
	/** GET, queries, PATCH/PUT of absolute values and DELETE can be repeated; creates cannot. */
	idempotent: boolean;
	classify: (response: HttpResponse<T>) => Verdict;
	/**
	 * For non-idempotent writes: after an ambiguous failure, find out whether the first attempt
	 * landed. Returning a response ends the send with it; `undefined` means "not there, send again".
	 */
	verifyAfterAmbiguousFailure?: () => Promise<HttpResponse<T> | undefined>;
	policy?: RetryPolicy;
	/** Called before each wait, e.g. to read the vendor's usage counters. */
	onBackoff?: (info: {
		attempt: number;
		delayMs: number;
		response?: HttpResponse<T>;
		error?: TransportError;
	}) => Promise<void> | void;
}

/** Seconds or an HTTP date, as vendors send Retry-After. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	if (Number.isFinite(date)) return Math.max(0, date - now);
	return undefined;
}

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	// "Equal jitter": at least half the step, so concurrent workers spread out but still wait.
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/**
 * The wait after the `throttles`-th throttled answer in a row: at least the vendor's Retry-After,
 * spread over a range that doubles each time up to the vendor's window ("equal jitter"), so that
 * callers throttled at the same moment come back at different moments.
 */
export function throttleDelay(
	throttle: ThrottlePolicy,
	throttles: number,
	retryAfterMs: number | undefined,
): number {
	const spread = Math.min(throttle.windowMs, throttle.baseDelayMs * 2 ** (throttles - 1));
	return Math.round(Math.max(retryAfterMs ?? 0, spread / 2) + Math.random() * (spread / 2));
}

export class RetriesExhaustedError extends Error {
	readonly lastResponse?: HttpResponse;

	readonly lastError?: TransportError;

	constructor(message: string, lastResponse?: HttpResponse, lastError?: TransportError) {
		super(message);
		this.name = 'RetriesExhaustedError';
		this.lastResponse = lastResponse;
		this.lastError = lastError;
	}
}

/**
 * Sends a request, waiting out throttling and transient failures. Returns the final response
 * (which may be a failure the caller maps to an error); throws `TransportError` when the network
 * failed for good or a non-idempotent write's outcome stayed unknown.
 * See docs/adr/retry-and-ambiguous-writes.md.
 */
export async function sendWithRetry<T>(
	http: HttpClient,
	request: HttpRequest,
	options: SendOptions<T>,
): Promise<HttpResponse<T>> {
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	let throttles = 0;
	let throttledWaitMs = 0;
	for (let attempt = 1; ; attempt++) {
		let response: HttpResponse<T> | undefined;
		let error: TransportError | undefined;
		let delayMs: number | undefined;
		let ambiguous = false;
		const sentAt = http.now();
		const sent = await settle(http.send<T>(request));
		const waited = http.now() - sentAt;
		if (sent.ok) {
			response = sent.value;
		} else {
			if (!(sent.error instanceof TransportError)) throw sent.error;
			error = sent.error;
			ambiguous = sent.error.mayHaveReachedServer;
		}

		if (response) {
			const verdict = options.classify(response);
			if (verdict.kind === 'ok' || verdict.kind === 'fail') return response;
			if (verdict.kind === 'throttled' && policy.throttle) {
				// Bounded by time, not attempts: the vendor did not act, and when it frees up for this
				// caller depends on every other caller of the same account.
				const left = policy.throttle.waitAtMostMs - throttledWaitMs;
				if (left <= 0) return response;
				throttles++;
				const retryAfter = parseRetryAfter(
					headerValue(response.headers, 'retry-after'),
					http.now(),
				);
				const wait = Math.min(left, throttleDelay(policy.throttle, throttles, retryAfter));
				await options.onBackoff?.({ attempt, delayMs: wait, response });
				await http.sleep(wait);
				throttledWaitMs += wait;
				attempt--;
				continue;
			}
			throttles = 0;
			delayMs = verdict.kind === 'throttled' ? undefined : verdict.delayMs;
			ambiguous = verdict.kind === 'retryIfIdempotent';
		}

		const verify =
			ambiguous && !options.idempotent ? options.verifyAfterAmbiguousFailure : undefined;
		if (ambiguous && !options.idempotent && !verify) {
			if (error) throw error;
			return response as HttpResponse<T>;
		}

		const retryAfter = response
			? parseRetryAfter(headerValue(response.headers, 'retry-after'), http.now())
			: undefined;
		const wait = retryAfter ?? delayMs ?? backoffDelay(policy, attempt);
		const lastAttempt = attempt >= policy.maxAttempts || wait > policy.maxRetryAfterMs;
		if (lastAttempt && !verify) {
			if (error) throw error;
			return response as HttpResponse<T>;
		}
		if (verify) {
			// A write the server is still working on (a timeout, a gateway that gave up) would be
			// missed by a look-up made at once, and sent twice: look only after the wait, and keep
			// looking while it may still land. See docs/adr/late-creates-looked-up-until-they-land.md.
			const inProgress = error?.mayStillBeInProgress === true || response?.status === 504;
			const lookUntil =
				http.now() +
				(inProgress ? Math.min(LOOK_UP_AT_MOST_MS, waited * LOOK_UP_FOR_TIMES_THE_WAIT) : 0);
			for (let look = 1; ; look++) {
				const pause = look === 1 ? wait : backoffDelay(policy, look);
				await options.onBackoff?.({ attempt, delayMs: pause, response, error });
				await http.sleep(Math.min(pause, policy.maxRetryAfterMs));
				const landed = await verify();
				if (landed) return landed;
				if (http.now() >= lookUntil) break;
			}
			if (lastAttempt) {
				if (error) throw error;
				return response as HttpResponse<T>;
			}
			continue;
		}
		await options.onBackoff?.({ attempt, delayMs: wait, response, error });
		await http.sleep(wait);
	}
}

/** What a client says when a create's outcome stayed unknown: it was not sent again. */
export const WRITE_NOT_REPEATED =
	'The write was not confirmed and was not repeated blindly. Run the workflow again: records already written are found and not created twice.';

export interface VendorSendOptions<T> extends SendOptions<T> {
	vendor: Vendor;
	/** When the vendor could not be reached although the request was retried: what to check. */
	whatToCheck: string;
	/** When a write could not be confirmed and was not repeated; WRITE_NOT_REPEATED by default. */
	notRepeated?: string;
}

/**
 * `sendWithRetry` for a vendor client: the final answer, whatever its status (the client maps a
 * failure in the vendor's words), or a VendorApiError when the vendor could not be reached.
 */
export async function sendToVendor<T>(
	http: HttpClient,
	request: HttpRequest,
	options: VendorSendOptions<T>,
): Promise<HttpResponse<T>> {
	const sent = await settle(sendWithRetry<T>(http, request, options));
	if (sent.ok) return sent.value;
	if (!(sent.error instanceof TransportError)) throw sent.error;
	throw unreachableError(
		options.vendor,
		sent.error,
		options.idempotent
			? `The request was retried with backoff. ${options.whatToCheck}`
			: (options.notRepeated ?? WRITE_NOT_REPEATED),
	);
}

/**
 * A create's look-up by its natural key as `verifyAfterAmbiguousFailure`: the record found,
 * answered as its create would have been (`status`, `body`); undefined when there is no look-up.
 */
export function verifyByLookup<F>(
	find: (() => Promise<F | undefined | null>) | undefined,
	status: number,
	body: (found: F) => unknown,
): (() => Promise<HttpResponse<unknown> | undefined>) | undefined {
	if (!find) return undefined;
	return async () => {
		const found = await find();
		return found === undefined || found === null
			? undefined
			: { status, headers: {}, body: body(found) };
	};
}
