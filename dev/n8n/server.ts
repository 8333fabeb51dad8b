/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */
import * as path from 'node:path';

import { freePort, n8nEnv } from './n8n';
import { LOG_DIR, N8N_BIN, NODE24, WORK_DIR } from './paths';
import { startProcess } from './processes';
import type { LongRunning } from './processes';
import { detail } from './progress';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, the process dies, or the deadline passes. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	options: { timeoutMs: number; process?: LongRunning; intervalMs?: number },
): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	let lastError = '';
	while (Date.now() < deadline) {
		try {
			const value = await (options.process
				? Promise.race([probe(), options.process.exited])
				: probe());
			if (value !== undefined) return value;
		} catch (error) {
			if (options.process && options.process.child.exitCode !== null) throw error;
			lastError = (error as Error).message;
		}
		await sleep(options.intervalMs ?? 500);
	}
	throw new Error(
		`Timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
	);
}

export interface N8nServer {
	url: string;
	port: number;
	process: LongRunning;
	logFile: string;
	stop(): Promise<void>;
}

export interface StartOptions {
	/** Names the process in messages and its log file (`<name>.log`). */
	name?: string;
	/** A fixed port; a free one when left out. */
	port?: number;
	/** Settings of this process (a user folder, queue-mode settings...), over the closed-network ones. */
	env?: NodeJS.ProcessEnv;
}

/** `n8n start` on 127.0.0.1; resolves when the editor is up ("Editor is now accessible via"). */
export async function startN8n(options: StartOptions = {}): Promise<N8nServer> {
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const name = options.name ?? 'n8n-start';
	const logFile = path.join(LOG_DIR, `${name}.log`);
	const child = startProcess(NODE24, [N8N_BIN, 'start'], {
		name,
		cwd: WORK_DIR,
		logFile,
		env: n8nEnv({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${url}/`,
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'info',
			...options.env,
		}),
	});
	await waitFor(
		`${name} to answer ${url}/healthz`,
		async () => {
			const response = await fetch(`${url}/healthz`);
			return response.status === 200 ? true : undefined;
		},
		{ timeoutMs: 180_000, process: child },
	);
	// /healthz, and even /rest/settings, answer before every controller is mounted; n8n prints
	// this line when start-up has finished.
	await waitFor(
		`${name} to finish starting ("Editor is now accessible via")`,
		async () => (child.output().includes('Editor is now accessible via') ? true : undefined),
		{
			timeoutMs: 180_000,
			process: child,
		},
	);
	detail(`${name} listens on ${url} (log: ${logFile})`);
	return { url, port, process: child, logFile, stop: child.stop };
}

/**
 * Waits until a production webhook is registered. A CORS preflight (OPTIONS with an Origin)
 * asks n8n for the path's methods without starting an execution: 204 once registered.
 */
export async function waitForWebhook(
	server: N8nServer,
	webhookPath: string,
	timeoutMs = 120_000,
): Promise<void> {
	await waitFor(
		`the production webhook /webhook/${webhookPath} to be registered`,
		async () => {
			const response = await fetch(`${server.url}/webhook/${webhookPath}`, {
				method: 'OPTIONS',
				headers: { Origin: server.url, 'Access-Control-Request-Method': 'POST' },
			});
			return response.status === 204 ? true : undefined;
		},
		{ timeoutMs, process: server.process },
	);
}

export const OWNER = {
	email: 'owner@e2e-msp.example',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Owner-Passw0rd',
};

/** A REST session as the owner (the `n8n-auth` cookie from /rest/owner/setup). */
export class RestSession {
	constructor(
		readonly server: N8nServer,
		readonly cookie: string,
	) {}

	static async setupOwner(server: N8nServer): Promise<RestSession> {
		// Right after start, some controllers are still being mounted: "Cannot POST" (404) for a while.
		const response = await waitFor(
			'POST /rest/owner/setup to be mounted',
			async () => {
				const answer = await fetch(`${server.url}/rest/owner/setup`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(OWNER),
				});
				if (answer.status === 404) {
					await answer.text();
					return undefined;
				}
				return answer;
			},
			{ timeoutMs: 120_000, process: server.process },
		);
		const text = await response.text();
		if (response.status !== 200)
			throw new Error(`POST /rest/owner/setup answered ${response.status}: ${text.slice(0, 500)}`);
		const cookie = (response.headers.getSetCookie?.() ?? [])
			.map((value) => value.split(';')[0])
			.find((value) => value.startsWith('n8n-auth='));
		if (!cookie) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
		return new RestSession(server, cookie);
	}

	async get<T = unknown>(route: string): Promise<T> {
		return await this.request<T>('GET', route);
	}

	async post<T = unknown>(route: string, body: unknown): Promise<T> {
		return await this.request<T>('POST', route, body);
	}

	async request<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.server.url}${route}`, {
			method,
			headers: {
				cookie: this.cookie,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 500)}`);
		const parsed = JSON.parse(text) as { data?: T } | T;
		return (
			parsed && typeof parsed === 'object' && 'data' in parsed && !Array.isArray(parsed)
				? parsed.data
				: parsed
		) as T;
	}
}

/**
 * n8n's public API (X-N8N-API-KEY), used to read finished executions with their data as plain
 * JSON (the internal REST API returns it in n8n's flatted storage format).
 */
export class PublicApi {
	constructor(
		readonly server: N8nServer,
		private readonly apiKey: string,
	) {}

	/**
	 * A new API key; its `label` must differ from the user's other keys' (n8n keeps labels unique).
	 * `scopes` adds to reading executions and workflows (e.g. workflow:create, workflow:activate).
	 */
	static async create(
		session: RestSession,
		label = 'e2e lane',
		scopes: string[] = [],
	): Promise<PublicApi> {
		const created = await session.post<{ rawApiKey?: string; apiKey?: string }>('/rest/api-keys', {
			label,
			scopes: ['execution:read', 'execution:list', 'workflow:read', 'workflow:list', ...scopes],
			expiresAt: null,
		});
		const key = created.rawApiKey ?? created.apiKey;
		if (!key) throw new Error('POST /rest/api-keys returned no key');
		return new PublicApi(session.server, key);
	}

	async get<T = unknown>(route: string): Promise<T> {
		return await this.request<T>('GET', route);
	}

	async post<T = unknown>(route: string, body: unknown): Promise<T> {
		return await this.request<T>('POST', route, body);
	}

	async put<T = unknown>(route: string, body: unknown): Promise<T> {
		return await this.request<T>('PUT', route, body);
	}

	async request<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.server.url}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(
				`${method} /api/v1${route} answered ${response.status}: ${text.slice(0, 300)}`,
			);
		return (text ? JSON.parse(text) : undefined) as T;
	}
}
