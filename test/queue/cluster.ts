/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { freePort, n8nEnv } from '../../dev/n8n/n8n';
import { installIntoCommunityFolder } from '../../dev/n8n/pack';
import type { PackedPackage } from '../../dev/n8n/pack';
import { LOG_DIR, N8N_BIN, NODE24, SCRATCH_DIR, USER_FOLDER, WORK_DIR } from '../../dev/n8n/paths';
import { startProcess } from '../../dev/n8n/processes';
import type { LongRunning } from '../../dev/n8n/processes';
import { detail } from '../../dev/n8n/progress';
import { startN8n, waitFor } from '../../dev/n8n/server';
import { startPostgres, startRedis } from '../../dev/n8n/services';
import type { Postgres } from '../../dev/n8n/services';

/**
 * n8n in queue mode as shared/reference/n8n-queue-mode.md describes it: a fresh Redis and
 * PostgreSQL, a main instance, workers and a webhook processor, each with its own user folder
 * holding the packed package, its own task-broker port, and one encryption key for all.
 */

export type Role = 'main' | 'worker' | 'webhook';

/** Executions a worker runs at once (`n8n worker --concurrency`). */
export const WORKER_CONCURRENCY = 10;

export interface N8nProcess {
	name: string;
	role: Role;
	/** Where it answers HTTP: the editor and webhooks (main, webhook), /healthz (worker). */
	url: string;
	process: LongRunning;
}

export interface QueueCluster {
	/** Settings every n8n process and CLI call of this cluster shares (database, queue, key). */
	env: NodeJS.ProcessEnv;
	redis: LongRunning;
	postgres: Postgres;
	/** The main's port, fixed up front: WEBHOOK_URL names it. */
	mainPort: number;
	main?: N8nProcess;
	webhook?: N8nProcess;
	workers: N8nProcess[];
	/** Every process of the cluster by name, for figures (redis, postgres, main, worker-1, ...). */
	processes(): Array<{ name: string; pid: number }>;
}

const userFolder = (name: string) =>
	name === 'main' ? USER_FOLDER : path.join(SCRATCH_DIR, `n8n-${name}`);

/** Redis and PostgreSQL, the shared settings, and the package in every user folder. */
export async function prepareCluster(
	packed: PackedPackage,
	workers: number,
): Promise<QueueCluster> {
	const [redisPort, postgresPort, mainPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
	];
	const redis = await startRedis(redisPort, path.join(SCRATCH_DIR, 'redis'));
	const postgres = await startPostgres(postgresPort, path.join(SCRATCH_DIR, 'postgres'));
	const env: NodeJS.ProcessEnv = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DISABLED_MODULES: 'mcp-registry',
		WEBHOOK_URL: `http://127.0.0.1:${mainPort}/`,
		N8N_USER_FOLDER: USER_FOLDER,
	};
	const names = [
		'main',
		'webhook',
		...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`),
	];
	for (const name of names) {
		fs.mkdirSync(userFolder(name), { recursive: true });
		await installIntoCommunityFolder(packed, n8nEnv(), userFolder(name));
	}
	detail(`the package installed into ${names.length} user folders (${names.join(', ')})`);
	const cluster: QueueCluster = {
		env,
		redis,
		postgres,
		mainPort,
		workers: [],
		processes() {
			const list = [
				{ name: 'redis', pid: redis.child.pid! },
				{ name: 'postgres', pid: postgres.process.child.pid! },
			];
			for (const entry of [cluster.main, cluster.webhook, ...cluster.workers])
				if (entry?.process.child.pid) list.push({ name: entry.name, pid: entry.process.child.pid });
			return list;
		},
	};
	return cluster;
}

/** `n8n worker`, ready when its /healthz answers 200. */
export async function startWorker(cluster: QueueCluster, index: number): Promise<N8nProcess> {
	const name = `worker-${index + 1}`;
	const healthPort = await freePort();
	const url = `http://127.0.0.1:${healthPort}`;
	const child = startProcess(NODE24, [N8N_BIN, 'worker', `--concurrency=${WORKER_CONCURRENCY}`], {
		name,
		cwd: WORK_DIR,
		logFile: path.join(LOG_DIR, `${name}.log`),
		env: n8nEnv({
			...cluster.env,
			N8N_USER_FOLDER: userFolder(name),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_LOG_LEVEL: 'info',
		}),
	});
	await waitFor(
		`${name} to answer ${url}/healthz`,
		async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined),
		{ timeoutMs: 240_000, process: child },
	);
	const worker: N8nProcess = { name, role: 'worker', url, process: child };
	cluster.workers[index] = worker;
	detail(`${name} ready (pid ${child.child.pid}, health ${url}/healthz)`);
	return worker;
}

/** `n8n webhook`, ready when the production webhook path is registered on it. */
export async function startWebhookProcessor(
	cluster: QueueCluster,
	webhookPaths: string[],
): Promise<N8nProcess> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = startProcess(NODE24, [N8N_BIN, 'webhook'], {
		name: 'webhook',
		cwd: WORK_DIR,
		logFile: path.join(LOG_DIR, 'webhook.log'),
		env: n8nEnv({
			...cluster.env,
			N8N_USER_FOLDER: userFolder('webhook'),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_LOG_LEVEL: 'info',
		}),
	});
	const processor: N8nProcess = { name: 'webhook', role: 'webhook', url, process: child };
	for (const webhookPath of webhookPaths) await waitForWebhookPath(processor, webhookPath);
	cluster.webhook = processor;
	detail(`webhook processor ready (pid ${child.child.pid}, ${url})`);
	return processor;
}

/** `n8n start` as the queue's main instance. */
export async function startMain(
	cluster: QueueCluster,
	webhookPaths: string[],
): Promise<N8nProcess> {
	const server = await startN8n({
		name: 'main',
		port: cluster.mainPort,
		env: { ...cluster.env, N8N_USER_FOLDER: userFolder('main') },
	});
	const main: N8nProcess = { name: 'main', role: 'main', url: server.url, process: server.process };
	for (const webhookPath of webhookPaths) await waitForWebhookPath(main, webhookPath);
	cluster.main = main;
	return main;
}

/**
 * A CORS preflight asks for the path's methods without starting an execution: 204 once the
 * production webhook is registered on that process.
 */
export async function waitForWebhookPath(entry: N8nProcess, webhookPath: string): Promise<void> {
	await waitFor(
		`the production webhook /webhook/${webhookPath} on ${entry.name}`,
		async () => {
			const response = await fetch(`${entry.url}/webhook/${webhookPath}`, {
				method: 'OPTIONS',
				headers: { Origin: entry.url, 'Access-Control-Request-Method': 'POST' },
			});
			return response.status === 204 ? true : undefined;
		},
		{ timeoutMs: 240_000, process: entry.process },
	);
}

/** SIGKILL a worker's process group (the worker and its task runner), as an OOM kill would. */
export async function killWorker(worker: N8nProcess): Promise<void> {
	const pid = worker.process.child.pid!;
	process.kill(-pid, 'SIGKILL');
	await worker.process.exited.catch(() => undefined);
}
