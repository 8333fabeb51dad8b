/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { N8N_DIR } from '../../dev/n8n/paths';
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

/** Why an execution failed, as n8n stored it in the run's data. */
export interface FailureDetail {
	/** The node that failed (the error's node, else the last node run). */
	node?: string;
	message?: string;
	description?: string;
}

/** n8n's `flatted` from the cached install (n8n stores run data in its flatted format). */
function flattedParse(text: string): unknown {
	const flatted = createRequire(path.join(N8N_DIR, 'package.json'))('flatted') as {
		parse(text: string): unknown;
	};
	return flatted.parse(text);
}

/**
 * The failing node, error message and description of each of the given executions, read from its
 * stored run data (`resultData.error`, else the error of the last node's last run).
 */
export async function failureDetails(
	lane: QueueLane,
	ids: string[],
): Promise<Map<string, FailureDetail>> {
	const details = new Map<string, FailureDetail>();
	const wanted = ids.filter((id) => /^[0-9]+$/.test(id));
	if (wanted.length === 0) return details;
	const rows = await lane.cluster.postgres.query(
		`SELECT "executionId", data FROM execution_data WHERE "executionId" IN (${wanted.join(', ')})`,
	);
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
	for (const [id, data] of rows) {
		try {
			const run = flattedParse(data) as {
				resultData?: {
					error?: Record<string, unknown>;
					lastNodeExecuted?: string;
					runData?: Record<string, Array<{ error?: Record<string, unknown> }>>;
				};
			};
			const result = run.resultData ?? {};
			const last = result.lastNodeExecuted;
			const runs = last ? (result.runData?.[last] ?? []) : [];
			const error = result.error ?? runs[runs.length - 1]?.error ?? {};
			const node = error.node as { name?: unknown } | undefined;
			details.set(id, {
				node: text(node?.name) ?? text(last),
				message: text(error.message),
				description: text(error.description),
			});
		} catch (error) {
			details.set(id, { message: `(run data unreadable: ${(error as Error).message})` });
		}
	}
	return details;
}

/** One line for a failure detail: `node: message (description)`. */
export function describeFailure(detail: FailureDetail | undefined): string {
	if (!detail) return 'no run data stored';
	const clip = (value: string) => (value.length > 300 ? `${value.slice(0, 300)}…` : value);
	return `${detail.node ?? 'no node'}: ${clip(detail.message ?? 'no error message')}${
		detail.description ? ` (${clip(detail.description)})` : ''
	}`;
}

/** One outcome item of the alert node, as an execution stored it. */
export interface AlertOutcome {
	executionId: string;
	status: string;
	decision: string;
	alertUid?: string;
	ticketId?: number;
}

/**
 * The alert node's outcome items (decision, alert, ticket) of the workflow's webhook executions,
 * read from each execution's stored run data. n8n stores it in its flatted format; it is read
 * with n8n's own `flatted` from the cached install, as the lane reads PostgreSQL with n8n's `pg`.
 */
export async function alertOutcomes(lane: QueueLane, workflowId: string): Promise<AlertOutcome[]> {
	const rows = await lane.cluster.postgres.query(
		`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId.replace(/'/g, "''")}' AND e.mode = 'webhook' ORDER BY e.id::int`,
	);
	const outcomes = new Map<string, AlertOutcome>();
	for (const [executionId, status, data] of rows) {
		const seen = new Set<unknown>();
		const walk = (value: unknown): void => {
			if (!value || typeof value !== 'object' || seen.has(value)) return;
			seen.add(value);
			const json = value as Record<string, unknown>;
			// An item may pass through later nodes: each outcome counts once per execution.
			if (typeof json.decision === 'string') {
				const alertUid = typeof json.alertUid === 'string' ? json.alertUid : undefined;
				outcomes.set(`${executionId} ${json.decision} ${alertUid ?? ''}`, {
					executionId,
					status,
					decision: json.decision,
					alertUid,
					ticketId: json.ticketId === undefined ? undefined : Number(json.ticketId),
				});
			}
			for (const child of Object.values(json)) walk(child);
		};
		walk(flattedParse(data));
	}
	return [...outcomes.values()];
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
