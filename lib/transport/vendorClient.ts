import { DEFAULT_WRITE_TIMEOUT_MS } from './http';
import type { HttpClient, HttpMethod, HttpRequest, HttpResponse } from './http';
import type { RetryPolicy } from './retry';

/** What every vendor client takes: its retry policy, and how long a write may take. */
export interface VendorClientOptions {
	policy?: RetryPolicy;
	/** DEFAULT_WRITE_TIMEOUT_MS when undefined. */
	writeTimeoutMs?: number;
}

/**
 * What every vendor client has: the HTTP seam, its retry policy, the write timeout, and a count
 * of what it sent.
 */
export abstract class VendorClient {
	/** Requests sent (retries included), for callers that report API usage. */
	requestCount = 0;

	protected readonly writeTimeoutMs: number;

	protected constructor(
		protected readonly http: HttpClient,
		protected readonly policy: RetryPolicy,
		writeTimeoutMs?: number,
	) {
		this.writeTimeoutMs =
			writeTimeoutMs && writeTimeoutMs > 0 ? writeTimeoutMs : DEFAULT_WRITE_TIMEOUT_MS;
	}

	/** The write timeout for a write (anything but a read: GET, or a POST that only queries). */
	protected timeoutFor(method: HttpMethod, idempotent: boolean): number | undefined {
		const read = method === 'GET' || (method === 'POST' && idempotent);
		return read ? undefined : this.writeTimeoutMs;
	}

	/**
	 * The HTTP seam with every send counted. `around` runs each send: to queue it behind a
	 * concurrency limit, say.
	 */
	protected counted(
		around: <T>(send: () => Promise<HttpResponse<T>>) => Promise<HttpResponse<T>> = async (send) =>
			await send(),
	): HttpClient {
		return {
			send: async <T>(request: HttpRequest) =>
				await around(async () => {
					this.requestCount++;
					return await this.http.send<T>(request);
				}),
			sleep: async (ms) => await this.http.sleep(ms),
			now: () => this.http.now(),
		};
	}
}
