/**
 * How the benchmarks count: every call in the sandbox's request log sorted by kind (auth, source
 * reads, PSA reads, PSA writes) and by route, and figures rounded for the report.
 */
import type { LoggedRequest } from '../sandbox/core/log';

export interface CallBreakdown {
	/** Token mints, Autotask zone and ConnectWise codebase look-ups. */
	auth: number;
	/** Microsoft Graph reads (user pages). */
	sourceReads: number;
	/** PSA reads (listing pages, look-ups, read-backs, metadata). */
	targetReads: number;
	/** PSA writes (creates, updates, communication items). */
	targetWrites: number;
	/** Everything but auth. */
	total: number;
	/** "vendor METHOD /path" (ids as {id}) → calls, for reading where calls went. */
	byRoute: Record<string, number>;
}

export const AUTH_PATH = /oauth2?\/(v2\.0\/)?token|\/ZoneInformation|\/login\/companyinfo/i;

export function breakdown(entries: LoggedRequest[]): CallBreakdown {
	const calls: CallBreakdown = {
		auth: 0,
		sourceReads: 0,
		targetReads: 0,
		targetWrites: 0,
		total: 0,
		byRoute: {},
	};
	for (const entry of entries) {
		const route = `${entry.vendor} ${entry.method} ${entry.path.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{id}')}`;
		calls.byRoute[route] = (calls.byRoute[route] ?? 0) + 1;
		if (AUTH_PATH.test(entry.path)) {
			calls.auth++;
			continue;
		}
		calls.total++;
		if (entry.vendor === 'graph') calls.sourceReads++;
		else if (entry.method === 'GET' || /\/query(\/next|\/count)?$/i.test(entry.path))
			calls.targetReads++;
		else calls.targetWrites++;
	}
	return calls;
}

export function round(value: number, digits = 2): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
