import type { ExecutionResult } from './n8n';
import type { N8nServer, PublicApi } from './server';
import { waitFor } from './server';

/**
 * Runs a published workflow in a running n8n through the production webhook `withWebhookStart`
 * added to it, and returns the finished execution as the public API stores it (the same shape
 * `n8n execute --rawOutput` prints), also when it failed.
 */

interface ListedExecution {
	id: string | number;
	status: string;
	finished?: boolean;
}

const UNFINISHED = new Set(['new', 'running', 'waiting', 'unknown']);

async function executionIds(api: PublicApi, workflowId: string): Promise<Set<string>> {
	const listed = await api.get<{ data: ListedExecution[] }>(
		`/executions?workflowId=${workflowId}&limit=250`,
	);
	return new Set(listed.data.map((row) => String(row.id)));
}

export async function runThroughWebhook(
	server: N8nServer,
	api: PublicApi,
	workflowId: string,
	webhookPath: string,
	timeoutMs = 5 * 60_000,
): Promise<ExecutionResult & { id: string }> {
	const known = await executionIds(api, workflowId);
	const response = await fetch(`${server.url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	const text = await response.text();
	if (response.status !== 200)
		throw new Error(
			`POST /webhook/${webhookPath} answered ${response.status}: ${text.slice(0, 300)}`,
		);
	const id = await waitFor(
		`the execution of ${workflowId} started through /webhook/${webhookPath} to finish`,
		async () => {
			const listed = await api.get<{ data: ListedExecution[] }>(
				`/executions?workflowId=${workflowId}&limit=250`,
			);
			const fresh = listed.data.filter((row) => !known.has(String(row.id)));
			const done = fresh.find((row) => !UNFINISHED.has(row.status));
			return done ? String(done.id) : undefined;
		},
		{ timeoutMs, process: server.process, intervalMs: 500 },
	);
	const execution = await api.get<ExecutionResult & { id: string | number }>(
		`/executions/${id}?includeData=true`,
	);
	if (!execution.data?.resultData)
		throw new Error(`execution ${id} of ${workflowId} has no run data in the public API`);
	return { ...execution, id: String(execution.id) };
}
