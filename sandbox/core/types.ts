/** What passes through every vendor server: the vendor, a request and the answer to it. */
export type SandboxVendor = 'autotask' | 'connectwise' | 'graph' | 'datto';

export interface SandboxRequest {
	method: string;
	/** Path without the query string, percent-decoded per segment by the router. */
	path: string;
	query: URLSearchParams;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	rawBody: string;
	/** Parsed JSON, or form fields for x-www-form-urlencoded, or undefined. */
	body: unknown;
	params: Record<string, string>;
	/** Absolute URL of this request as the client addressed it (for next-page links). */
	origin: string;
}

export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	/** Serialized as JSON unless `raw` is set. */
	body?: unknown;
	raw?: string;
}
