/**
 * The contact sync against the sandbox (measures 1 and 2): the two template workflows from
 * workflows/ run through n8n's WorkflowExecute with the package (built, in `npm run bench`), every
 * call counted in the sandbox's request log (calls against their lower bound), and the first
 * sync's wall time with latency injected, the sandbox in its own process.
 */
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { startSandbox } from '../sandbox';
import { AUTH_PATH, round } from './measure';
import type { CallBreakdown } from './measure';
import { RemoteSandbox } from './remoteSandbox';
import type { RemoteReport } from './remoteSandbox';
import {
	callBound,
	checkPsaState,
	remoteSyncEnv,
	runTemplateSync,
	sequentialSteps,
	syncEnv,
	WRITE_CONCURRENCY,
} from './syncRun';
import { PSA_NAMES, PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import { contactSyncTemplate } from '../dev/templates';
import type { SyncRun } from './syncRun';
import type { SyncSeed } from './syncSeed';

export interface SyncCallsResult {
	psa: Psa;
	users: number;
	contacts: number;
	k: number;
	first: SyncRun & { bound: number; ratio: number };
	/** The same workflow again: nothing changed, nothing is written. */
	second: SyncRun & { bound: number; ratio: number };
	stateProblems: string[];
}

export async function benchSyncCalls(
	pkg: LoadedPackage,
	data: SyncSeed,
): Promise<{ results: SyncCallsResult[]; contractViolations: number }> {
	const sandbox = await startSandbox({ seed: data.seed });
	try {
		const results: SyncCallsResult[] = [];
		for (const psa of PSAS) {
			const env = syncEnv(pkg, sandbox);
			const workflow = contactSyncTemplate(psa, data.scenario);
			const first = await runTemplateSync(env, workflow);
			const second = await runTemplateSync(env, workflow);
			const with_ = (run: SyncRun, writes: number) => {
				const bound = callBound(psa, data.size, data.size, writes);
				return { ...run, bound, ratio: round(run.calls.total / bound, 3) };
			};
			results.push({
				psa,
				users: data.size,
				contacts: data.size,
				k: data.k,
				first: with_(first, data.k),
				second: with_(second, 0),
				stateProblems: checkPsaState(sandbox, psa, data),
			});
		}
		return { results, contractViolations: sandbox.contractViolations.length };
	} finally {
		await sandbox.stop();
	}
}

export interface SyncWallResult {
	psa: Psa;
	latencyMs: number;
	runs: number;
	/** The fastest run (other processes on the machine only ever add time), and every run. */
	wallMs: number;
	wallRuns: number[];
	/** latency x (auth calls + pages in sequence + each writer node's writes / concurrency). */
	boundMs: number;
	ratio: number;
	/**
	 * The same bound from the sandbox's own answer times (latency plus its processing of each
	 * call: the reads one after the other, the writes 3 at a time), of the fastest run: what is
	 * left is n8n's and the nodes' own time.
	 */
	answerBoundMs: number;
	answerRatio: number;
	calls: CallBreakdown;
	/** Autotask only: requests the sandbox refused for the 3-thread limit, and the most it saw at once. */
	threadRejections?: number;
	peakThreads?: number;
}

/** Reads one after the other, writes on `WRITE_CONCURRENCY` lanes in the order they came. */
function answerBound(timeline: RemoteReport['timeline']): number {
	let total = 0;
	const lanes: number[] = new Array<number>(WRITE_CONCURRENCY).fill(0);
	for (const call of timeline) {
		if (
			/^(GET|POST \S*\/query(\/next)?$|POST \S*token$)/i.test(call.call) ||
			AUTH_PATH.test(call.call)
		) {
			total += call.ms;
			continue;
		}
		lanes.sort((a, b) => a - b);
		lanes[0] += call.ms;
	}
	return Math.round(total + Math.max(...lanes));
}

/**
 * The first sync of a fresh copy of the data with latency injected and fresh credentials (token,
 * zone and codebase looked up as in a new n8n worker), `runs` times. The sandbox runs in its own
 * process with its contract checker off: its CPU is the vendor's, not ours.
 */
export async function benchSyncWall(
	pkg: LoadedPackage,
	data: SyncSeed,
	latencyMs: number,
	runs = 3,
): Promise<SyncWallResult[]> {
	const results: SyncWallResult[] = [];
	for (const psa of PSAS) {
		const measured: Array<{ run: SyncRun; answer: number; rejections: number; peak: number }> = [];
		for (let i = 0; i < runs; i++) {
			const remote = await RemoteSandbox.start({
				size: data.size,
				changeRate: data.changeRate,
				latencyMs,
			});
			try {
				const run = await runTemplateSync(
					remoteSyncEnv(pkg, remote),
					contactSyncTemplate(psa, data.scenario),
				);
				if (run.errors.length)
					throw new Error(`${PSA_NAMES[psa]} sync with latency: ${run.errors[0]}`);
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
		const boundMs =
			latencyMs *
			sequentialSteps(psa, data.size, data.size, best.run.writerItems, best.run.calls.auth);
		const result: SyncWallResult = {
			psa,
			latencyMs,
			runs,
			wallMs: Math.round(best.run.wallMs),
			wallRuns: measured.map((m) => Math.round(m.run.wallMs)),
			boundMs,
			ratio: round(best.run.wallMs / boundMs, 3),
			answerBoundMs: best.answer,
			answerRatio: round(best.run.wallMs / best.answer, 3),
			calls: best.run.calls,
		};
		if (psa === 'autotask') {
			result.threadRejections = Math.max(...measured.map((m) => m.rejections));
			result.peakThreads = Math.max(...measured.map((m) => m.peak));
		}
		results.push(result);
	}
	return results;
}
