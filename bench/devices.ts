/**
 * The device sync at scale (measure 7): workflows/datto-rmm-devices-to-autotask-configuration-items.json
 * through n8n's WorkflowExecute over D devices in S Datto sites, one customer (Autotask company)
 * per site. Every device but a share of new ones already has its configuration item (made by the
 * native integration, values equal to the device's); a share of devices changed their operating
 * system in Datto. So the least a first run can do is read every device and item once and write
 * one create per new device and one update per changed one; a second run writes nothing.
 */
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { dataTables } from '../dev/runner/standInNodes';
import { CUSTOMER_MAP_TABLE, deviceSyncTemplate } from '../dev/templates';
import { AUTOTASK_MAX_RECORDS, AUTOTASK_THREADS_PER_ENDPOINT } from '../lib/transport/autotask';
import { DATTO_DEVICE_PAGE_SIZE } from '../lib/transport/datto';
import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { benchScenario, deviceWorldCounts, deviceWorldRows, growDeviceWorld } from './deviceWorld';
import type { DeviceWorldSizes } from './deviceWorld';
import { breakdown, round } from './measure';
import type { CallBreakdown } from './measure';
import { RemoteSandbox } from './remoteSandbox';
import type { RemoteReport } from './remoteSandbox';

interface DeviceRun {
	outputs: { created: number; updated: number; deactivated: number; unchanged: number };
	calls: CallBreakdown;
	/** Datto audit reads (serial numbers for devices without an item). */
	audits: number;
	wallMs: number;
}

interface DeviceEnv {
	pkg: LoadedPackage;
	credentials: CredentialStore;
	staticData: StaticDataStore;
	mark(): Promise<number>;
	callsSince(mark: number): Promise<CallBreakdown>;
}

const NODE = 'Sync Devices';
/** Datto audits are read two at a time (lib/devices/sync.ts). */
const AUDIT_CONCURRENCY = 2;
const AUDIT_ROUTE = /^datto GET .*\/audit\/device\//;

async function runDeviceSync(env: DeviceEnv, sizes: DeviceWorldSizes): Promise<DeviceRun> {
	dataTables.set(CUSTOMER_MAP_TABLE, deviceWorldRows(sizes));
	const from = await env.mark();
	const started = performance.now();
	const result = await runWorkflow({
		pkg: env.pkg,
		credentials: env.credentials,
		workflow: deviceSyncTemplate(benchScenario()),
		startNode: 'Every 6 Hours',
		mode: 'trigger',
		staticData: env.staticData,
	});
	const wallMs = performance.now() - started;
	if (result.status !== 'success')
		throw new Error(
			`the device sync failed: ${result.error?.message ?? result.status}${result.error?.description ? ` (${result.error.description.slice(0, 300)})` : ''}`,
		);
	const count = (output: number) => result.items(NODE, output).length;
	const calls = await env.callsSince(from);
	const audits = Object.entries(calls.byRoute)
		.filter(([route]) => AUDIT_ROUTE.test(route))
		.reduce((sum, [, n]) => sum + n, 0);
	return {
		outputs: { created: count(0), updated: count(1), deactivated: count(2), unchanged: count(3) },
		calls,
		audits,
		wallMs,
	};
}

/** `ceil(D / 250) + ceil(I / 500) + writes`: every device and item read once, one write per change. */
export function deviceCallBound(sizes: DeviceWorldSizes, writes: number): number {
	const { items } = deviceWorldCounts(sizes);
	return (
		Math.ceil(sizes.devices / DATTO_DEVICE_PAGE_SIZE) +
		Math.ceil(items / AUTOTASK_MAX_RECORDS) +
		writes
	);
}

export interface DeviceCallsResult {
	sizes: DeviceWorldSizes;
	expected: ReturnType<typeof deviceWorldCounts>;
	first: DeviceRun & { bound: number; ratio: number };
	second: DeviceRun & { bound: number; ratio: number };
	/** Devices that do not end with exactly one active item in their company. */
	stateProblems: string[];
	contractViolations: number;
}

function checkWorld(sandbox: Sandbox): string[] {
	const active = new Map<string, number>();
	for (const item of sandbox.autotask.configurationItems)
		if (item.isActive === true && item.rmmDeviceUID)
			active.set(String(item.rmmDeviceUID), (active.get(String(item.rmmDeviceUID)) ?? 0) + 1);
	const problems: string[] = [];
	for (const device of sandbox.datto.devices) {
		const n = active.get(device.uid) ?? 0;
		if (n !== 1) problems.push(`${device.hostname}: ${n} active configuration items`);
	}
	return problems;
}

/** Calls of a first and a second run, in this process, every request checked against the vendors' documents. */
export async function benchDeviceCalls(
	pkg: LoadedPackage,
	sizes: DeviceWorldSizes,
): Promise<DeviceCallsResult> {
	const sandbox = await startSandbox();
	try {
		sandbox.datto.config.cutoffDelayMs = 0;
		growDeviceWorld(sandbox, sizes);
		const env: DeviceEnv = {
			pkg,
			credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
			staticData: new StaticDataStore(),
			mark: async () => sandbox.log.entries.at(-1)?.seq ?? 0,
			callsSince: async (mark) =>
				breakdown(sandbox.log.entries.filter((entry) => entry.seq > mark)),
		};
		const expected = deviceWorldCounts(sizes);
		const first = await runDeviceSync(env, sizes);
		const second = await runDeviceSync(env, sizes);
		const with_ = (run: DeviceRun, writes: number) => {
			const bound = deviceCallBound(sizes, writes);
			return { ...run, bound, ratio: round(run.calls.total / bound, 3) };
		};
		const stateProblems = checkWorld(sandbox);
		if (first.outputs.created !== expected.created || first.outputs.updated !== expected.updated)
			stateProblems.unshift(
				`first run created ${first.outputs.created} and updated ${first.outputs.updated}; expected ${expected.created} and ${expected.updated}`,
			);
		return {
			sizes,
			expected,
			first: with_(first, expected.created + expected.updated),
			second: with_(second, 0),
			stateProblems,
			contractViolations: sandbox.contractViolations.length,
		};
	} finally {
		await sandbox.stop();
	}
}

export interface DeviceWallResult {
	latencyMs: number;
	runs: number;
	wallMs: number;
	wallRuns: number[];
	/** latency x (auth + reads one after the other + audits 2 at a time + writes 3 at a time). */
	boundMs: number;
	ratio: number;
	/**
	 * The same bound from the sandbox's own answer times (latency plus its work on each call), of
	 * the fastest run: what is left over is n8n's and the nodes' own time.
	 */
	answerBoundMs: number;
	answerRatio: number;
	calls: CallBreakdown;
	threadRejections: number;
	peakThreads: number;
}

/** Reads one after the other, audits on 2 lanes, writes on 3 lanes, each in the order they came. */
function answerBound(timeline: RemoteReport['timeline']): number {
	let reads = 0;
	const audits = new Array<number>(AUDIT_CONCURRENCY).fill(0);
	const writes = new Array<number>(AUTOTASK_THREADS_PER_ENDPOINT).fill(0);
	const lane = (lanes: number[], ms: number) => {
		lanes.sort((a, b) => a - b);
		lanes[0] += ms;
	};
	for (const call of timeline) {
		if (/^GET .*\/audit\/device\//.test(call.call)) lane(audits, call.ms);
		else if (/^(PATCH|PUT) |^POST .*\/ConfigurationItems$/i.test(call.call)) lane(writes, call.ms);
		else reads += call.ms;
	}
	return Math.round(reads + Math.max(...audits) + Math.max(...writes));
}

/**
 * The first sync of a fresh copy of the world with latency on every call (Autotask's inside its
 * 3-threads-per-endpoint window) and fresh credentials, the sandbox in its own process, `runs`
 * times; the fastest counts.
 */
export async function benchDeviceWall(
	pkg: LoadedPackage,
	sizes: DeviceWorldSizes,
	latencyMs: number,
	runs: number,
): Promise<DeviceWallResult> {
	const measured: Array<{ run: DeviceRun; answer: number; rejections: number; peak: number }> = [];
	for (let i = 0; i < runs; i++) {
		const remote = await RemoteSandbox.start({ devices: sizes, latencyMs });
		try {
			const env: DeviceEnv = {
				pkg,
				credentials: new CredentialStore(pkg.credentialTypes, remote.credentials),
				staticData: new StaticDataStore(),
				mark: async () => (await remote.report()).seq,
				callsSince: async (mark) => (await remote.report(mark)).calls,
			};
			const run = await runDeviceSync(env, sizes);
			const report = await remote.report();
			measured.push({
				run,
				answer: answerBound(report.timeline),
				rejections: report.threadRejections,
				peak: report.peakThreads,
			});
		} finally {
			await remote.stop();
		}
	}
	const best = measured.reduce((a, b) => (b.run.wallMs < a.run.wallMs ? b : a));
	const { calls, audits } = best.run;
	const reads = calls.total - calls.targetWrites - audits;
	const steps =
		calls.auth +
		reads +
		Math.ceil(audits / AUDIT_CONCURRENCY) +
		Math.ceil(calls.targetWrites / AUTOTASK_THREADS_PER_ENDPOINT);
	const boundMs = latencyMs * steps;
	return {
		latencyMs,
		runs,
		wallMs: Math.round(best.run.wallMs),
		wallRuns: measured.map((m) => Math.round(m.run.wallMs)),
		boundMs,
		ratio: round(best.run.wallMs / boundMs, 3),
		answerBoundMs: best.answer,
		answerRatio: round(best.run.wallMs / best.answer, 3),
		calls,
		threadRejections: Math.max(...measured.map((m) => m.rejections)),
		peakThreads: Math.max(...measured.map((m) => m.peak)),
	};
}
