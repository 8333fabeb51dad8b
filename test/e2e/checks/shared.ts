import type { LoggedRequest } from '../../../sandbox/core/log';
import type { ExecutionResult } from '../../../dev/n8n/n8n';
import { nodeOutputs } from '../../../dev/n8n/n8n';

/** Items per named output of a node in one execution (0 for outputs that emitted nothing). */
export function outputCounts(
	execution: ExecutionResult,
	nodeName: string,
	outputNames: string[],
): Record<string, number> {
	const outputs = nodeOutputs(execution, nodeName) ?? [];
	const counts: Record<string, number> = {};
	outputNames.forEach((name, index) => {
		counts[name] = outputs[index]?.length ?? 0;
	});
	return counts;
}

/** Requests that change vendor state (Autotask and Datto queries are POSTs that read). */
export function writeRequests(entries: LoggedRequest[], vendor?: string): string[] {
	return entries
		.filter((entry) => !vendor || entry.vendor === vendor)
		.filter((entry) => {
			if (entry.method === 'GET' || entry.method === 'HEAD' || entry.method === 'OPTIONS')
				return false;
			if (entry.method === 'POST' && /\/query(\/count)?$/i.test(entry.path)) return false;
			if (entry.method === 'POST' && /oauth|token/i.test(entry.path)) return false;
			return true;
		})
		.map((entry) => `${entry.vendor} ${entry.method} ${entry.path} ${entry.status}`);
}
