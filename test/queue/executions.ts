/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import type { QueueLane } from './lane';

/** An execution as n8n stored it in PostgreSQL, with the delivery marker found in its data. */
export interface ExecutionRow {
	id: string;
	status: string;
	createdAt: number;
	startedAt?: number;
	stoppedAt?: number;
	/** The `?delivery=` marker of the webhook request that started it, when its data still holds it. */
	marker?: string;
	/**
	 * The stored run says Bull gave up on the job after its worker died ("job stalled more than
	 * maxStalledCount"; n8n: "This execution failed to be processed too many times").
	 */
	stalled: boolean;
	/** The node said which of its items failed ("N of M deliveries could not be applied"). */
	reported: boolean;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Every webhook execution of a workflow, read from n8n's database. */
export async function webhookExecutions(
	lane: QueueLane,
	workflowId: string,
): Promise<ExecutionRow[]> {
	const rows = await lane.cluster.postgres.query(
		`SELECT e.id, e.status, extract(epoch from e."createdAt") * 1000, extract(epoch from e."startedAt") * 1000, extract(epoch from e."stoppedAt") * 1000, substring(d.data from 'qlane-[a-z]*[0-9]+'), (d.data LIKE '%stalled more than maxStalledCount%' OR d.data LIKE '%failed to be processed too many times%'), (d.data LIKE '%could not be applied%') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId.replace(/'/g, "''")}' AND e.mode = 'webhook' ORDER BY e.id::int`,
	);
	return rows.map(([id, status, created, started, stopped, marker, stalled, reported]) => ({
		id,
		status,
		createdAt: Number(created),
		startedAt: started ? Number(started) : undefined,
		stoppedAt: stopped ? Number(stopped) : undefined,
		marker: marker || undefined,
		stalled: stalled === 'true',
		reported: reported === 'true',
	}));
}

/** Waits until `expected` executions exist and none is still new, running or waiting. */
export async function settleExecutions(
	lane: QueueLane,
	workflowId: string,
	expected: number,
	timeoutMs: number,
): Promise<ExecutionRow[]> {
	const deadline = Date.now() + timeoutMs;
	let rows: ExecutionRow[] = [];
	while (Date.now() < deadline) {
		rows = await webhookExecutions(lane, workflowId);
		const unfinished = rows.filter((row) => ['new', 'running', 'waiting'].includes(row.status));
		if (rows.length >= expected && unfinished.length === 0) return rows;
		await sleep(2_000);
	}
	return rows;
}

/** POSTs a JSON body to a production webhook URL with a marker n8n keeps in the run's data. */
export async function postWebhook(
	url: string,
	marker: string,
	body: unknown,
): Promise<{ status: number; error?: string }> {
	try {
		const response = await fetch(`${url}?delivery=${marker}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await response.text();
		return { status: response.status };
	} catch (error) {
		return { status: 0, error: (error as Error).message };
	}
}
