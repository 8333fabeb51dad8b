/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist */
/**
 * Planner throughput (measure 3): Contact Reconcile's planning without n8n, for N Microsoft
 * 365 users against N PSA contacts. What is timed is what the node does per run besides n8n's own
 * work: read and clean both inputs, plan, build the state to save.
 *
 * Each size runs in a fresh child process so its peak RSS is its own. Run it alone with
 *   npx tsx bench/planner.ts [--sizes 10000,100000] [--runs 5]
 * or call `benchPlanner()` from the bench runner.
 */
import { fork } from 'node:child_process';
import * as os from 'node:os';

import type { SyncField } from '../lib/contacts/canonical';
import {
	DEFAULT_GUARD,
	planReconcile,
	readContacts,
	readScopeState,
	scopeKey,
	writeScopeState,
} from '../lib/reconcile';
import type { ReconcileOptions } from '../lib/reconcile';

export interface PlannerBenchResult {
	size: number;
	runs: number;
	/** Steady state: the second and later runs, with the state the previous run saved. */
	medianMs: number;
	minMs: number;
	maxMs: number;
	/** The first run, without state (initial alignment). */
	firstRunMs: number;
	/** Median CPU time of the process per steady run (user + system, GC threads included): less
	 * sensitive than wall time to other processes on a shared machine. */
	medianCpuMs: number;
	/** RSS once the inputs exist, and the process's peak RSS after all runs. */
	inputRssMb: number;
	peakRssMb: number;
	/** Size of the saved state as JSON. */
	stateKb: number;
	counts: Record<string, number>;
}

export interface PlannerBench {
	results: PlannerBenchResult[];
	/** Median time per contact at the largest size over the smallest (1.0 = perfectly linear). */
	growthPerContact: number;
	/** The same from CPU time. */
	growthPerContactCpu: number;
	machine: { cores: number; cpu: string; node: string; date: string };
}

const FIELDS: SyncField[] = ['firstName', 'lastName', 'title', 'phone', 'mobile', 'email'];

export const BENCH_OPTIONS: ReconcileOptions = {
	targetSystem: 'autotask',
	companyId: '100',
	updateExisting: true,
	mode: 'changes',
	fields: FIELDS,
	domains: [],
	guard: {
		...DEFAULT_GUARD,
		maxShare: 0.2,
		refuseWhenSourceEmpty: true,
		refuseWhenTargetEmpty: true,
		alwaysAllow: 0,
	},
	dryRun: false,
};

/**
 * A tenant of `size` users and a PSA company of `size` contacts: 1% new users, 1% of contacts
 * nobody matches (vendors), 1% disabled users, 1% with a changed title; phones formatted
 * differently on each side (same digits); a few names with accents. Plain JSON, as n8n holds it.
 */
export function makeDataset(size: number): { source: object[]; target: object[] } {
	const source: object[] = [];
	const target: object[] = [];
	const titles = ['Engineer', 'Accountant', 'Sales Manager', 'Director', 'Technician'];
	for (let i = 0; i < size; i++) {
		const hex = i.toString(16).padStart(12, '0');
		const email = `user${i}@contoso.example`;
		const first = i % 50 === 0 ? 'Zoë' : `First${i % 997}`;
		const last = `Last${i}`;
		const digits = String(1000000 + (i % 9000000)).slice(-7);
		const phone = `+1 425 ${digits.slice(0, 3)} ${digits.slice(3)}`;
		const title = titles[i % titles.length];
		const isNew = i % 100 === 1;
		const disabled = i % 100 === 2;
		source.push({
			system: 'm365',
			id: `0000${hex.slice(0, 4)}-0000-4000-8000-${hex}`,
			companyId: '',
			email,
			emails: [email],
			firstName: first,
			lastName: last,
			title,
			phone,
			mobile: '',
			active: !disabled,
			...(disabled ? { inactiveReason: 'disabled' } : {}),
		});
		if (isNew) continue;
		const vendor = i % 100 === 3;
		const targetEmail = vendor ? `someone${i}@vendor.example` : email;
		target.push({
			system: 'autotask',
			id: String(30000000 + i),
			companyId: '100',
			email: targetEmail,
			emails: [targetEmail],
			firstName: first,
			lastName: last,
			title: i % 100 === 4 ? 'Old Title' : title,
			phone: `+1 (425) ${digits.slice(0, 3)}-${digits.slice(3)}`,
			mobile: '',
			active: true,
		});
	}
	return { source, target };
}

function planOnce(source: object[], target: object[], saved: unknown) {
	const sourceRead = readContacts(source, 'Source', ['m365']);
	const targetRead = readContacts(target, 'Target', ['autotask']);
	const key = scopeKey(BENCH_OPTIONS.targetSystem, BENCH_OPTIONS.companyId);
	const result = planReconcile({
		source: sourceRead.contacts,
		target: targetRead.contacts,
		state: readScopeState(saved, key),
		options: BENCH_OPTIONS,
	});
	return { result, saved: writeScopeState(saved, key, result.state) };
}

/** One size in this process. */
export function measurePlanner(size: number, runs: number): PlannerBenchResult {
	const { source, target } = makeDataset(size);
	const inputRssMb = process.memoryUsage().rss / 1048576;
	// Garbage of the previous run is collected before each run (when the child runs with
	// --expose-gc), so the peak RSS is the inputs plus one planning run, as in one n8n execution.
	const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
	collect();
	let start = performance.now();
	let { result, saved } = planOnce(source, target, undefined);
	const firstRunMs = performance.now() - start;
	const times: number[] = [];
	const cpuTimes: number[] = [];
	for (let run = 0; run < runs; run++) {
		collect();
		const cpu = process.cpuUsage();
		start = performance.now();
		({ result, saved } = planOnce(source, target, saved));
		times.push(performance.now() - start);
		const used = process.cpuUsage(cpu);
		cpuTimes.push((used.user + used.system) / 1000);
	}
	times.sort((a, b) => a - b);
	cpuTimes.sort((a, b) => a - b);
	return {
		size,
		runs,
		medianMs: round(times[Math.floor(times.length / 2)]),
		minMs: round(times[0]),
		maxMs: round(times[times.length - 1]),
		firstRunMs: round(firstRunMs),
		medianCpuMs: round(cpuTimes[Math.floor(cpuTimes.length / 2)]),
		inputRssMb: round(inputRssMb),
		peakRssMb: round(process.resourceUsage().maxRSS / 1024),
		stateKb: round(JSON.stringify(saved).length / 1024),
		counts: { ...result.counts },
	};
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}

function inChild(size: number, runs: number): Promise<PlannerBenchResult> {
	return new Promise((resolve, reject) => {
		const child = fork(__filename, ['--child', String(size), String(runs)], {
			execArgv: [...process.execArgv, '--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.once('message', (message) => resolve(message as PlannerBenchResult));
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code !== 0) reject(new Error(`planner bench for ${size} exited with ${code}`));
		});
	});
}

export async function benchPlanner(
	options: { sizes?: number[]; runs?: number } = {},
): Promise<PlannerBench> {
	const sizes = options.sizes ?? [10_000, 100_000];
	const runs = options.runs ?? 5;
	const results: PlannerBenchResult[] = [];
	for (const size of sizes) results.push(await inChild(size, runs));
	const perContact = (result: PlannerBenchResult) => result.medianMs / result.size;
	const cpuPerContact = (result: PlannerBenchResult) => result.medianCpuMs / result.size;
	const last = results[results.length - 1];
	const growthPerContact = round((perContact(last) / perContact(results[0])) * 100) / 100;
	const growthPerContactCpu = round((cpuPerContact(last) / cpuPerContact(results[0])) * 100) / 100;
	return {
		results,
		growthPerContact,
		growthPerContactCpu,
		machine: {
			cores: os.cpus().length,
			cpu: os.cpus()[0]?.model ?? '',
			node: process.version,
			date: new Date().toISOString(),
		},
	};
}

export function formatPlannerBench(bench: PlannerBench): string {
	const lines = [
		`Contact Reconcile planner (no n8n): ${bench.machine.cores} cores, ${bench.machine.cpu}, Node ${bench.machine.node}, ${bench.machine.date}`,
		'users x contacts   median ms   CPU ms   first run ms   min-max ms    RSS inputs MB   peak RSS MB   state KB',
	];
	for (const r of bench.results) {
		lines.push(
			`${`${r.size} x ${r.size}`.padEnd(18)} ${String(r.medianMs).padStart(9)}   ${String(r.medianCpuMs).padStart(6)}   ${String(r.firstRunMs).padStart(12)}   ${`${r.minMs}-${r.maxMs}`.padStart(11)}   ${String(r.inputRssMb).padStart(13)}   ${String(r.peakRssMb).padStart(11)}   ${String(r.stateKb).padStart(8)}`,
		);
	}
	lines.push(
		`time per contact, largest size / smallest size: ${bench.growthPerContact} wall, ${bench.growthPerContactCpu} CPU (1.0 = linear)`,
	);
	return lines.join('\n');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	if (args[0] === '--child') {
		const result = measurePlanner(Number(args[1]), Number(args[2]));
		process.send?.(result, () => process.exit(0));
	} else {
		const value = (flag: string) => {
			const at = args.indexOf(flag);
			return at >= 0 ? args[at + 1] : undefined;
		};
		const sizes = value('--sizes')?.split(',').map(Number);
		const runs = value('--runs') ? Number(value('--runs')) : undefined;
		benchPlanner({ sizes, runs }).then(
			(bench) => {
				process.stdout.write(`${formatPlannerBench(bench)}\n${JSON.stringify(bench)}\n`);
			},
			(error) => {
				process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
				process.exitCode = 1;
			},
		);
	}
}
