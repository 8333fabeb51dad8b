/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { node24Env } from './install';
import { LOG_DIR, N8N_BIN, NODE24, USER_FOLDER, WORK_DIR } from './paths';
import { detail } from './progress';
import { run } from './processes';
import type { RunResult } from './processes';

/**
 * The n8n CLI on Node 24 with the closed-network settings from the recipe. Variables the
 * caller's shell may have set for another n8n (N8N_*, DB_*, EXECUTIONS_*, QUEUE_*) are dropped so
 * every run sees the same configuration.
 */
export function n8nEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const base = node24Env();
	for (const key of Object.keys(base)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/.test(key)) delete base[key];
	}
	return {
		...base,
		N8N_USER_FOLDER: USER_FOLDER,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'warn',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		...extra,
	};
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

const CLI_LOG = () => path.join(LOG_DIR, 'n8n-cli.log');

export async function n8nCli(
	args: string[],
	options: { timeoutMs?: number; allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
	fs.mkdirSync(WORK_DIR, { recursive: true });
	return await run(NODE24, [N8N_BIN, ...args], {
		cwd: WORK_DIR,
		// Commands that run workflows start a task broker; never on the default port another n8n may hold.
		env: n8nEnv({ N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env }),
		logFile: CLI_LOG(),
		timeoutMs: options.timeoutMs ?? 5 * 60_000,
		allowFailure: options.allowFailure,
	});
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export async function importCredentials(
	credentials: StoredCredential[],
	env?: NodeJS.ProcessEnv,
): Promise<void> {
	const file = path.join(WORK_DIR, 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
	try {
		await n8nCli(['import:credentials', `--input=${file}`], { env });
	} finally {
		// The file holds the (sandbox) secrets in plain text; n8n keeps them encrypted.
		fs.rmSync(file, { force: true });
	}
}

export async function importWorkflow(
	workflow: Record<string, unknown>,
	env?: NodeJS.ProcessEnv,
): Promise<void> {
	const file = path.join(WORK_DIR, `workflow-${String(workflow.id)}.json`);
	fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
	await n8nCli(['import:workflow', `--input=${file}`], { env });
}

/** Several workflows with one `import:workflow --separate` (one CLI start instead of one each). */
export async function importWorkflows(
	workflows: Array<Record<string, unknown>>,
	env?: NodeJS.ProcessEnv,
): Promise<void> {
	const directory = path.join(WORK_DIR, 'workflows');
	fs.rmSync(directory, { recursive: true, force: true });
	fs.mkdirSync(directory, { recursive: true });
	for (const workflow of workflows)
		fs.writeFileSync(
			path.join(directory, `${String(workflow.id)}.json`),
			JSON.stringify(workflow, null, 2),
		);
	await n8nCli(['import:workflow', '--separate', `--input=${directory}`], { env });
}

export async function publishWorkflow(id: string, env?: NodeJS.ProcessEnv): Promise<void> {
	await n8nCli(['publish:workflow', `--id=${id}`], { env });
}

/** What `n8n execute --rawOutput` prints: the finished run (IRun). */
export interface ExecutionResult {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string };
		};
	};
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

/** The JSON document printed at column 0 (`{` ... `}`), whatever log lines surround it. */
function extractJson(stdout: string): unknown {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	if (start < 0) return undefined;
	for (let end = lines.length - 1; end > start; end--) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// keep looking for an earlier closing brace
		}
	}
	return undefined;
}

/**
 * `n8n execute --id --rawOutput`, the run as n8n printed (and stored) it, also when the run itself
 * failed (n8n prints it, then exits non-zero): the caller looks at `data.resultData.error`. Any
 * other non-zero exit is an Error naming the workflow and n8n's messages.
 */
export async function executeWorkflowRun(
	id: string,
	label: string,
	env?: NodeJS.ProcessEnv,
): Promise<ExecutionResult> {
	// The CLI prints the run through its logger at level info.
	const result = await n8nCli(['execute', `--id=${id}`, '--rawOutput'], {
		timeoutMs: 10 * 60_000,
		env: { ...env, N8N_LOG_LEVEL: 'info' },
		allowFailure: true,
	});
	const parsed = extractJson(result.stdout) as ExecutionResult | undefined;
	const output = `${result.stdout}\n${result.stderr}`;
	if (result.code !== 0 && !parsed?.data?.resultData?.error) {
		// Seen now and then: n8n 2.40.7 on Node 24 dies with SIGSEGV while shutting down, after it
		// printed a finished run that is also stored. That run counts; any other exit does not.
		const finishedBeforeCrash =
			result.signal === 'SIGSEGV' && parsed?.finished === true && parsed.status === 'success';
		if (!finishedBeforeCrash) {
			const messages = output
				.split('\n')
				.filter((line) => /error|fail|problem/i.test(line) && !/Python task runner/.test(line))
				.slice(0, 15)
				.join('\n');
			throw new Error(
				`n8n execute of "${label}" failed (exit ${result.code ?? result.signal}):\n${messages || output.slice(-3000)}\n(full output: ${CLI_LOG()})`,
			);
		}
		detail(
			`(n8n exited with SIGSEGV while shutting down, after printing the finished run; the run counts)`,
		);
	}
	if (!parsed?.data?.resultData) {
		throw new Error(
			`n8n execute of "${label}" printed no run data (full output: ${CLI_LOG()}):\n${result.stdout.slice(-2000)}`,
		);
	}
	return parsed;
}

/**
 * `n8n execute --id --rawOutput`. The CLI starts at the workflow's (first) Manual Trigger. A
 * failed run becomes an Error here naming the workflow, the node and n8n's message.
 */
export async function executeWorkflow(
	id: string,
	label: string,
	env?: NodeJS.ProcessEnv,
): Promise<ExecutionResult> {
	const parsed = await executeWorkflowRun(id, label, env);
	const runError = parsed.data.resultData.error;
	if (runError)
		throw new Error(
			`"${label}" ended with an error in ${parsed.data.resultData.lastNodeExecuted ?? 'a node'}: ${runError.message ?? ''} ${runError.description ?? ''}`,
		);
	return parsed;
}

/** Items a node emitted on each output in the (first) run of that node. */
export function nodeOutputs(
	execution: ExecutionResult,
	nodeName: string,
): Array<Array<Record<string, unknown>>> | undefined {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const outputs: Array<Array<Record<string, unknown>>> = [];
	for (const run of runs) {
		(run.data?.main ?? []).forEach((items, index) => {
			outputs[index] ??= [];
			outputs[index].push(...(items ?? []).map((item) => item.json));
		});
	}
	return outputs;
}

/** Node errors recorded in the run (nodes set to continue on error still record them). */
export function nodeErrors(execution: ExecutionResult): string[] {
	const errors: string[] = [];
	for (const [name, runs] of Object.entries(execution.data.resultData.runData)) {
		for (const nodeRun of runs)
			if (nodeRun.error) errors.push(`${name}: ${nodeRun.error.message ?? 'error'}`);
	}
	return errors;
}
