/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist */
/**
 * The sandbox in its own process, for wall-time measurements: a real vendor does its work on its
 * own machines, so the sandbox's CPU (JSON of 1,000-record pages, filters) must not run on the
 * event loop n8n and our nodes are timed on. The parent gets the credentials and asks for the
 * request log's call counts over IPC.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { growDeviceWorld } from './deviceWorld';
import type { DeviceWorldSizes } from './deviceWorld';
import { breakdown } from './measure';
import type { CallBreakdown } from './measure';
import { buildSyncSeed } from './syncSeed';
import { generateBookSeed } from '../sandbox/seed/largeSeed';
import type { BookSeedOptions } from '../sandbox/seed/largeSeed';

export interface RemoteSandboxOptions {
	/** The contact benchmark's data set: buildSyncSeed(size, changeRate). */
	size?: number;
	changeRate?: number;
	/** Instead, the device benchmark's world (bench/deviceWorld.ts) over the default seed. */
	devices?: DeviceWorldSizes;
	/** Instead, a book of customers (measure 9): generateBookSeed(book). */
	book?: BookSeedOptions;
	latencyMs: number;
}

export interface RemoteReport {
	calls: CallBreakdown;
	threadRejections: number;
	peakThreads: number;
	/** The last request's sequence number (a mark for `report(since)`). */
	seq: number;
	/** When each request since the mark arrived and how long it took (ms), for timelines. */
	timeline: Array<{ at: number; ms: number; call: string }>;
}

type Command = { command: 'report'; since: number } | { command: 'stop' };
type Request = Command & { id: number };

export class RemoteSandbox {
	private nextId = 1;

	private readonly waiting = new Map<number, (value: unknown) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly credentials: Sandbox['credentials'],
	) {
		child.on('message', (message: { id: number; value: unknown }) => {
			this.waiting.get(message.id)?.(message.value);
			this.waiting.delete(message.id);
		});
	}

	static async start(options: RemoteSandboxOptions): Promise<RemoteSandbox> {
		const child = fork(__filename, ['--child', JSON.stringify(options)], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const credentials = await new Promise<Sandbox['credentials']>((resolve, reject) => {
			child.once('message', (message: { ready: Sandbox['credentials'] }) => resolve(message.ready));
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code}`)));
		});
		return new RemoteSandbox(child, credentials);
	}

	async report(since = 0): Promise<RemoteReport> {
		return (await this.ask({ command: 'report', since })) as RemoteReport;
	}

	async stop(): Promise<void> {
		await this.ask({ command: 'stop' });
		await new Promise<void>((resolve) => {
			if (this.child.exitCode !== null) resolve();
			else this.child.once('exit', () => resolve());
		});
	}

	private async ask(request: Command): Promise<unknown> {
		const id = this.nextId++;
		return await new Promise((resolve) => {
			this.waiting.set(id, resolve);
			this.child.send({ ...request, id });
		});
	}
}

/**
 * Latency on every call of every vendor. Autotask's is spent inside its thread-limit window, so
 * the sandbox refuses a 4th concurrent request per endpoint as Autotask does.
 */
function injectLatency(sandbox: Sandbox, ms: number): void {
	for (const vendor of ['graph', 'connectwise', 'datto'] as const)
		sandbox.faults.setLatency(vendor, ms);
	sandbox.autotask.config.requestDurationMs = ms;
	// The zone look-up is outside the thread-limited routes.
	sandbox.faults.add({ vendor: 'autotask', path: 'ZoneInformation', kind: 'slow', latencyMs: ms });
}

async function child(options: RemoteSandboxOptions): Promise<void> {
	const seed = options.devices
		? undefined
		: options.book
			? generateBookSeed(options.book).seed
			: buildSyncSeed(options.size ?? 0, options.changeRate ?? 0).seed;
	const sandbox = await startSandbox({ seed, contract: false });
	if (options.devices) {
		sandbox.datto.config.cutoffDelayMs = 0;
		growDeviceWorld(sandbox, options.devices);
	}
	injectLatency(sandbox, options.latencyMs);
	process.on('message', (request: Request) => {
		if (request.command === 'report') {
			const value: RemoteReport = {
				calls: breakdown(sandbox.log.entries.filter((entry) => entry.seq > request.since)),
				threadRejections: sandbox.autotask.threadRejections,
				peakThreads: Math.max(0, ...Object.values(sandbox.autotask.peakThreads)),
				seq: sandbox.log.entries.at(-1)?.seq ?? 0,
				timeline: sandbox.log.entries
					.filter((entry) => entry.seq > request.since)
					.map((entry) => ({
						at: entry.startedAt,
						ms: entry.durationMs,
						call: `${entry.method} ${entry.path}`,
					})),
			};
			process.send?.({ id: request.id, value });
		} else {
			void sandbox
				.stop()
				.then(() => process.send?.({ id: request.id, value: true }, () => process.exit(0)));
		}
	});
	process.send?.({ ready: sandbox.credentials });
}

if (require.main === module && process.argv[2] === '--child') {
	child(JSON.parse(process.argv[3]) as RemoteSandboxOptions).catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	});
}
