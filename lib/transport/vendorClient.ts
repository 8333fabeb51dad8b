import type { HttpClient, HttpRequest, HttpResponse } from './http';
import type { RetryPolicy } from './retry';

/** What every vendor client has: the HTTP seam, its retry policy, and a count of what it sent. */
export abstract class VendorClient {
	/** Requests sent (retries included), for callers that report API usage. */
	requestCount = 0;

	protected constructor(
		protected readonly http: HttpClient,
		protected readonly policy: RetryPolicy,
	) {}

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
