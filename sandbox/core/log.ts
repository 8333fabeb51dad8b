import type { SandboxRequest, SandboxVendor } from './types';

export interface LoggedRequest {
	seq: number;
	vendor: SandboxVendor;
	method: string;
	path: string;
	query: string;
	/** 0 when the connection was cut instead of answered. */
	status: number;
	fault?: string;
	startedAt: number;
	durationMs: number;
	/** Present for writes, for tests that check what was sent. */
	body?: unknown;
}

export interface LogFilter {
	vendor?: SandboxVendor;
	method?: string;
	/** A substring or pattern the path must match. */
	path?: string | RegExp;
	status?: number;
}

/** Every request the sandbox saw, in arrival order: tests and benchmarks count calls here. */
export class RequestLog {
	readonly entries: LoggedRequest[] = [];

	private seq = 0;

	start(vendor: SandboxVendor, request: SandboxRequest): LoggedRequest {
		const entry: LoggedRequest = {
			seq: ++this.seq,
			vendor,
			method: request.method,
			path: request.path,
			query: request.query.toString(),
			status: -1,
			startedAt: Date.now(),
			durationMs: 0,
			body: request.method === 'GET' ? undefined : request.body,
		};
		this.entries.push(entry);
		return entry;
	}

	finish(entry: LoggedRequest, status: number, started: number): void {
		entry.status = status;
		entry.durationMs = Date.now() - started;
	}

	filter(filter: LogFilter = {}): LoggedRequest[] {
		return this.entries.filter((entry) => {
			if (filter.vendor && entry.vendor !== filter.vendor) return false;
			if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
			if (filter.status !== undefined && entry.status !== filter.status) return false;
			if (filter.path instanceof RegExp && !filter.path.test(entry.path)) return false;
			if (
				typeof filter.path === 'string' &&
				!entry.path.toLowerCase().includes(filter.path.toLowerCase())
			)
				return false;
			return true;
		});
	}

	count(filter: LogFilter = {}): number {
		return this.filter(filter).length;
	}

	clear(): void {
		this.entries.length = 0;
	}

	/** A short "METHOD path status" listing, for failure messages. */
	describe(filter: LogFilter = {}): string {
		return this.filter(filter)
			.map(
				(entry) =>
					`${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''} ${entry.status}${entry.fault ? ` (${entry.fault})` : ''}`,
			)
			.join('\n');
	}
}
