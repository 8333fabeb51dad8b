/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * What one `npm run bench` run measured (its sizes and results), the targets it is held to, and how
 * it is reported: the summary printed, the README table and where that table goes. The run itself:
 * run.ts.
 */
import { PSA_NAMES, PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import type { AlertsBench } from './alerts';
import type { BookBench, BookSizes } from './book';
import { BOOK_SHAPES, SHAPE_NAMES } from './bookProcess';
import type { BookShape } from './bookProcess';
import type { ContactStateBench } from './contactState';
import type { DeviceCallsResult, DeviceWallResult } from './devices';
import type { DeviceWorldSizes } from './deviceWorld';
import { formatPlannerBench } from './planner';
import type { PlannerBench } from './planner';
import type { ReconcileNodeBenchResult } from './reconcileNode';
import type { NaiveResult } from './naive';
import type { SyncCallsResult, SyncWallResult } from './sync';

export interface Sizes {
	sync: number;
	changeRate: number;
	latencyMs: number;
	wallRuns: number;
	naiveSlice: number;
	planner: number[];
	plannerRuns: number;
	reconcileNode: number;
	reconcileRuns: number;
	storm: number;
	devices: DeviceWorldSizes;
	deviceWallRuns: number;
	/** Books of customers x users for the contact sync's memory (measure 8). */
	contactState?: Array<[number, number]>;
	/** The book of customers one map-driven contact sync serves (measure 9). */
	book?: BookSizes;
	/** The PSAs whose book runs are timed (default both). */
	bookWallPsas?: Psa[];
	/** Executions at once in the timed one-execution-per-customer runs (default [1]). */
	bookConcurrency?: number[];
}

export interface Target {
	id: string;
	what: string;
	target: string;
	measured: string;
	/** undefined: a figure without a target. */
	met?: boolean;
	note?: string;
}

export interface BenchResults {
	kind: 'full' | 'smoke';
	machine: {
		cores: number;
		cpu: string;
		node: string;
		platform: string;
		memoryGb: number;
		loadAverage: number[];
		date: string;
	};
	package: 'built' | 'source';
	sizes: Sizes;
	durationSeconds: Record<string, number>;
	syncCalls: {
		results: SyncCallsResult[];
		contractViolations: number;
		k: number;
		changes: Record<string, number>;
	};
	syncWall: SyncWallResult[];
	naive: NaiveResult[];
	planner: PlannerBench;
	contactState?: ContactStateBench;
	book?: BookBench;
	reconcileNode: ReconcileNodeBenchResult;
	alerts: AlertsBench;
	devices: { calls: DeviceCallsResult; wall: DeviceWallResult };
	targets: Target[];
}

export const out = (text = '') => process.stdout.write(`${text}\n`);

export const n = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const minutes = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : seconds(ms));

export function targets(r: Omit<BenchResults, 'targets'>): Target[] {
	const list: Target[] = [];
	const { sizes } = r;
	const by = <T extends { psa: Psa }>(rows: T[], psa: Psa) => rows.find((row) => row.psa === psa)!;
	const size = `${n(sizes.sync)} users x ${n(sizes.sync)} contacts, k = ${r.syncCalls.k}`;

	for (const psa of PSAS) {
		const calls = by(r.syncCalls.results, psa);
		const extra = calls.first.calls.total - calls.first.bound;
		list.push({
			id: '1',
			what: `${PSA_NAMES[psa]} sync API calls, ${size} (calls / lower bound)`,
			target: '1.00',
			measured: `${calls.first.calls.total} / ${calls.first.bound} = ${calls.first.ratio.toFixed(2)} (+ ${calls.first.calls.auth} token/${psa === 'autotask' ? 'zone' : 'codebase'} calls)`,
			met: calls.first.ratio <= 1,
			note:
				extra > 0 && psa === 'connectwise' && sizes.sync % 1000 === 0
					? 'the extra call is the empty page after the last full one: ConnectWise forward-only paging always sends a next link, so a full last page cannot be told from a middle one'
					: undefined,
		});
	}
	list.push({
		id: '1',
		what: 'Second run, nothing changed: writes (reads)',
		target: '0 writes',
		measured: PSAS.map(
			(psa) =>
				`${PSA_NAMES[psa]} ${by(r.syncCalls.results, psa).second.calls.targetWrites} (${by(r.syncCalls.results, psa).second.calls.total})`,
		).join(', '),
		met: PSAS.every((psa) => by(r.syncCalls.results, psa).second.calls.targetWrites === 0),
	});
	for (const psa of PSAS) {
		const wall = by(r.syncWall, psa);
		list.push({
			id: '2',
			what: `${PSA_NAMES[psa]} sync wall time at ${sizes.latencyMs} ms per call${psa === 'autotask' ? ', 3-thread limit on' : ''} (fastest of ${wall.runs} / bound)`,
			target: '<= 1.25',
			measured: `${seconds(wall.wallMs)} / ${seconds(wall.boundMs)} = ${wall.ratio.toFixed(2)} (${wall.answerRatio.toFixed(2)} of the sandbox's own answer times)`,
			met: wall.ratio <= 1.25,
		});
	}
	const largest = r.planner.results[r.planner.results.length - 1];
	list.push({
		id: '3',
		what: `Planner ${n(largest.size)} x ${n(largest.size)} (no n8n): median time, peak RSS`,
		target: '< 1 s, < 500 MB',
		measured: `${n(Math.round(largest.medianMs))} ms (CPU ${n(Math.round(largest.medianCpuMs))} ms), ${n(Math.round(largest.peakRssMb))} MB`,
		met: largest.medianMs < 1000 && largest.peakRssMb < 500,
	});
	list.push({
		id: '3',
		what: `Planner growth ${n(r.planner.results[0].size)} -> ${n(largest.size)}: time per contact, largest / smallest`,
		target: 'linear (about 1)',
		measured: `${r.planner.growthPerContact.toFixed(2)} wall, ${r.planner.growthPerContactCpu.toFixed(2)} CPU`,
		met: r.planner.growthPerContactCpu <= 1.5,
	});
	for (const state of r.contactState ?? []) {
		list.push({
			id: '8',
			what: `Contact sync memory, ${n(state.customers)} customers x ${n(state.users)} users in one every-customer workflow: static data, serialize / parse`,
			target: '-',
			measured: `${(state.bytes / 1024 / 1024).toFixed(2)} MiB (${state.bytesPerUser} B per user), ${state.stringifyMs} / ${state.parseMs} ms; planning every customer ${n(state.planMs)} ms`,
		});
	}
	if (r.book) list.push(...bookTargets(r.book));
	list.push({
		id: '4',
		what: `Contact Reconcile node, ${n(r.reconcileNode.size)} + ${n(r.reconcileNode.size)} items in WorkflowExecute`,
		target: '-',
		measured: `${r.reconcileNode.perItemUs} µs per item (node ${n(Math.round(r.reconcileNode.medianMs))} ms, workflow ${n(r.reconcileNode.workflowMedianMs)} ms)`,
	});
	const { warm, cold } = r.alerts;
	const perAlertMet = (c: { newCalls: number; repeatCalls: number; resolveCalls: number }) =>
		c.newCalls <= 3 && c.repeatCalls <= 2 && c.resolveCalls <= 3;
	const perAlertText = (c: { newCalls: number; repeatCalls: number; resolveCalls: number }) =>
		`${c.newCalls} / ${c.repeatCalls} / ${c.resolveCalls}`;
	for (const psa of ['autotask', 'connectwise'] as const) {
		list.push({
			id: '5',
			what: `${PSA_NAMES[psa]}: API calls per alert, warm caches (${warm[psa].alerts} alerts in one execution): new / repeat / resolve`,
			target: '<= 3 / <= 2 / <= 3',
			measured: perAlertText(warm[psa]),
			met: perAlertMet(warm[psa]),
		});
	}
	list.push({
		id: '5',
		what: 'Autotask: API calls per alert, one webhook per execution: new / repeat / resolve',
		target: '<= 3 / <= 2 / <= 3',
		measured: `${perAlertText(cold.now)} (before: ${perAlertText(cold.before)})`,
		met: perAlertMet(cold.now),
		note: 'README: "Calls of one delivery" names each call above the target',
	});
	list.push({
		id: '5',
		what: 'ConnectWise: API calls per alert, one webhook per execution: new / repeat / resolve',
		target: '<= 3 / <= 2 / <= 3',
		measured: perAlertText(cold.connectwise),
		met: perAlertMet(cold.connectwise),
		note: 'README: "Calls of one delivery" names each call above the target',
	});
	const stormLine = (storm: AlertsBench['storms'][number]) =>
		`${storm.ticketsCreated} ticket(s) (${storm.stormTickets} storm, ${storm.ticketsBeforeStorm} before it), ${n(storm.notes)} notes (${storm.stormTicketNotes} on the storm ticket in ${storm.stormMinutes} min; the backstop then ${storm.backstop.notes}); ${n(storm.psaCalls)} ${PSA_NAMES[storm.psa]} + ${n(storm.dattoCalls)} Datto calls (${storm.perAlert.psa} + ${storm.perAlert.datto} per alert${storm.budgetShare === undefined ? '' : `, ${Math.round(storm.budgetShare * 1000) / 10}% of the hourly budget`}); ${storm.unaccounted} unaccounted`;
	for (const storm of r.alerts.storms) {
		if (storm.mode === 'before') continue;
		const before =
			storm.psa === 'autotask'
				? r.alerts.storms.find(
						(s) => s.mode === 'before' && s.scope === storm.scope && s.delivery === storm.delivery,
					)
				: undefined;
		const where =
			storm.scope === 'site' ? `a site (${storm.devices} devices taking turns)` : 'one device';
		const oneByOne = storm.delivery !== 'one execution';
		const budget = storm.psa === 'autotask' ? ', <= 15% of the budget' : '';
		list.push({
			id: '5',
			what: `${PSA_NAMES[storm.psa]}: storm of ${n(storm.alerts)} alerts from ${where}, ${storm.delivery}`,
			target: oneByOne
				? `<= 1.5 ${PSA_NAMES[storm.psa]} + <= 1 Datto calls per alert${budget}, <= 1 storm note a minute, 0 unaccounted`
				: '1 ticket + notes, budget kept',
			measured: `${stormLine(storm)}${before ? `. Before: ${stormLine(before)}` : ''}`,
			met: oneByOne
				? storm.perAlert.psa <= 1.5 &&
					storm.perAlert.datto <= 1 &&
					(storm.budgetShare === undefined || storm.budgetShare <= 0.15) &&
					storm.stormTicketNotes <= Math.max(1, Math.ceil(storm.stormMinutes)) &&
					storm.unaccounted === 0 &&
					storm.budgetRefusals === 0
				: storm.ticketsCreated === 1 && storm.unaccounted === 0,
		});
	}
	for (const psa of PSAS) {
		const naive = by(r.naive, psa);
		list.push({
			id: '6',
			what: `Naive ${PSA_NAMES[psa]} sync (lookup per user, full PUT per contact) vs ours`,
			target: '-',
			measured: `${n(naive.extrapolatedCalls)} calls (${naive.callRatio}x ours), ${minutes(naive.extrapolatedWallMs)} at ${sizes.latencyMs} ms (${naive.wallRatio}x ours; extrapolated from ${naive.slice} users)${naive.autotaskHourlyBudgetShare !== undefined ? `; ${Math.round(naive.autotaskHourlyBudgetShare * 100)}% of the hourly budget` : ''}`,
		});
	}
	const dc = r.devices.calls;
	const deviceSize = `${n(dc.sizes.devices)} devices in ${n(dc.sizes.sites)} sites, ${n(dc.expected.created)} new, ${n(dc.expected.updated)} changed`;
	const extra = (run: typeof dc.first) =>
		`${run.audits} Datto audits, ${run.calls.total - run.audits - run.bound} field, UDF and site look-ups`;
	list.push({
		id: '7',
		what: `Device sync API calls, ${deviceSize} (calls / lower bound)`,
		target: '-',
		measured: `${n(dc.first.calls.total)} / ${n(dc.first.bound)} = ${dc.first.ratio.toFixed(2)} (beyond the bound: ${extra(dc.first)}; + ${dc.first.calls.auth} token/zone calls)`,
		note: 'the bound reads every device (250 a page) and item (500 a page) once and writes once per change; a new device also needs its Datto audit (its serial number, to match an item a person made)',
	});
	list.push({
		id: '7',
		what: 'Device sync second run, nothing changed: writes (reads)',
		target: '0 writes',
		measured: `${dc.second.calls.targetWrites} (${dc.second.calls.total})`,
		met: dc.second.calls.targetWrites === 0 && dc.stateProblems.length === 0,
	});
	const dw = r.devices.wall;
	list.push({
		id: '7',
		what: `Device sync wall time at ${dw.latencyMs} ms per call, 3-thread limit on (fastest of ${dw.runs} / bound)`,
		target: '-',
		measured: `${seconds(dw.wallMs)} / ${seconds(dw.boundMs)} = ${dw.ratio.toFixed(2)} (${dw.answerRatio.toFixed(2)} of the sandbox's own answer times; thread-limit refusals ${dw.threadRejections}, peak ${dw.peakThreads} at once)`,
		note: 'bound = latency x (token and zone + reads one after the other + audits 2 at a time + writes 3 at a time)',
	});
	return list;
}

/**
 * Measure 9: a book of customers synced by one map-driven execution, beside the same work as one
 * execution per customer (bench/bookProcess.ts).
 */
function bookTargets(book: BookBench): Target[] {
	const { customers, users } = book.sizes;
	const size = `${n(customers)} customers x ${n(users)} users`;
	const list: Target[] = [];
	const calls = (psa: Psa, shape: BookShape) =>
		book.calls.find((run) => run.psa === psa && run.shape === shape)!;
	const shapes = (line: (shape: BookShape) => string) =>
		BOOK_SHAPES.map((shape) => `${SHAPE_NAMES[shape]}: ${line(shape)}`).join('; ');
	const byVendor = (psa: Psa, c: BookBench['calls'][number]['first']['calls']) =>
		`Graph ${n(c.sourceReads)} + ${PSA_NAMES[psa]} ${n(c.targetReads)} reads, ${n(c.targetWrites)} writes`;
	for (const psa of PSAS) {
		const k = calls(psa, 'map').k;
		list.push({
			id: '9',
			what: `${PSA_NAMES[psa]}: contact sync of ${size}, k = ${n(k)}: API calls / lower bound`,
			target: '-',
			measured: shapes((shape) => {
				const run = calls(psa, shape).first;
				return `${byVendor(psa, run.calls)} = ${n(run.calls.total)} / ${n(run.bound)} = ${run.ratio.toFixed(2)} (+ ${n(run.calls.auth)} token and ${psa === 'autotask' ? 'zone' : 'codebase'} calls)`;
			}),
			note: `the bound reads each tenant's users and each company's contacts once and writes once per change; beyond it, each execution reads the ${psa === 'autotask' ? "contacts' field lengths" : 'communication types'} once; contract violations ${book.contractViolations}`,
		});
	}
	list.push({
		id: '9',
		what: `Contact sync of ${size}, second run (nothing changed): writes (calls)`,
		target: '0 writes',
		measured: PSAS.map(
			(psa) =>
				`${PSA_NAMES[psa]}: ${shapes((shape) => {
					const run = calls(psa, shape).second;
					return `${run.calls.targetWrites} (${n(run.calls.total)} + ${n(run.calls.auth)} token calls)`;
				})}`,
		).join('. '),
		met: book.calls.every((run) => run.second.calls.targetWrites === 0),
	});
	for (const psa of PSAS) {
		const timed = book.wall.filter((run) => run.psa === psa);
		if (!timed.length) continue;
		/** Each timed run of this PSA: its shape, and how many executions ran at once. */
		const runs = (line: (run: BookBench['wall'][number]) => string) =>
			timed
				.map(
					(run) =>
						`${SHAPE_NAMES[run.shape]}${run.concurrency > 1 ? `, ${run.concurrency} at once` : ''}: ${line(run)}`,
				)
				.join('; ');
		list.push({
			id: '9',
			what: `${PSA_NAMES[psa]}: contact sync of ${size}, wall time at ${timed[0].latencyMs} ms per call${psa === 'autotask' ? ', 3-thread limit on' : ''} (first run / the same calls one at a time)`,
			target: '-',
			measured: runs((run) => {
				const each =
					run.executions > 1 && run.concurrency === 1
						? `, ${n(Math.round(run.wallMs / run.executions))} ms an execution`
						: '';
				const slowest =
					run.executions > 1 ? `, slowest execution ${n(run.slowestExecutionMs)} ms` : '';
				return `${minutes(run.wallMs)} / ${minutes(run.serialMs)} = ${run.ratio.toFixed(2)}${each}${slowest}${run.threadRejections === undefined ? '' : ` (thread-limit refusals ${run.threadRejections}, peak ${run.peakThreads} at once)`}`;
			}),
			note: "one worker running one execution after the other, or N at once (an n8n worker's concurrency); one at a time = latency x (tokens and zone + every read + each writer node's writes 3 at a time); the every-customer execution reads several customers at once",
		});
		list.push({
			id: '9',
			what: `${PSA_NAMES[psa]}: contact sync of ${size}, peak memory of the process running the nodes: V8 heap used, RSS (at start)`,
			target: '-',
			measured: runs(
				({ memory: m }) =>
					`${n(m.peakHeapMb)} MB, ${n(m.peakRssMb)} MB (${n(m.startHeapMb)} MB, ${n(m.startRssMb)} MB)`,
			),
			note: "n8n-core's WorkflowExecute in a fresh process, the sandbox in another; at start = the package loaded, before the first execution; heap used sampled every 20 ms (garbage not yet collected included), RSS the kernel's peak; n8n's own server, database and execution records are not in it",
		});
		list.push({
			id: '9',
			what: `${PSA_NAMES[psa]}: contact sync of ${size}, the static data n8n saves after the first run: size, serialize / parse`,
			target: '-',
			measured: runs(({ state }) => {
				const rows =
					state.workflows > 1
						? `${n(state.workflows)} workflow rows of up to ${(state.largestBytes / 1024).toFixed(1)} KiB, ${(state.bytes / 1024 / 1024).toFixed(2)} MiB in all`
						: `one workflow row of ${(state.bytes / 1024 / 1024).toFixed(2)} MiB`;
				return `${rows}, ${state.stringifyMs} / ${state.parseMs} ms`;
			}),
		});
	}
	return list;
}

export function markdownTable(results: BenchResults): string {
	const m = results.machine;
	const rows = results.targets.map(
		(t) =>
			`| ${t.id} | ${t.what} | ${t.target} | ${t.measured}${t.note ? ` (${t.note})` : ''} | ${t.met === undefined ? '' : t.met ? 'yes' : '**no**'} |`,
	);
	return [
		`Measured ${m.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), Node ${m.node}, load average ${m.loadAverage[0]} at the start; \`bench/results.json\` holds every figure.`,
		'',
		'| # | Measure | Target | Measured | Met |',
		'| --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

export function printSummary(results: BenchResults): void {
	out();
	out(`n8n-nodes-msp benchmarks (${results.kind}), ${results.machine.date}`);
	out(
		`machine: ${results.machine.cores} cores, ${results.machine.cpu}, ${results.machine.memoryGb} GB, Node ${results.machine.node}, ${results.machine.platform}, load ${results.machine.loadAverage.join(' ')}`,
	);
	out(`package: ${results.package}`);
	out();
	out('Contact sync through the templates (calls counted in the sandbox log):');
	for (const r of results.syncCalls.results) {
		out(
			`  ${PSA_NAMES[r.psa].padEnd(11)} first run: ${r.first.calls.total} calls (Graph ${r.first.calls.sourceReads}, PSA reads ${r.first.calls.targetReads}, writes ${r.first.calls.targetWrites}) + ${r.first.calls.auth} auth; bound ${r.first.bound}; ratio ${r.first.ratio}`,
		);
		out(
			`  ${''.padEnd(11)} second run: ${r.second.calls.total} calls, ${r.second.calls.targetWrites} writes; bound ${r.second.bound}`,
		);
		if (r.stateProblems.length)
			out(`  ${''.padEnd(11)} STATE PROBLEMS: ${r.stateProblems.slice(0, 3).join('; ')}`);
	}
	out(
		`  changes: ${JSON.stringify(results.syncCalls.changes)}; contract violations: ${results.syncCalls.contractViolations}`,
	);
	out();
	out(`Wall time at ${results.sizes.latencyMs} ms per call (sandbox in its own process):`);
	for (const w of results.syncWall) {
		out(
			`  ${PSA_NAMES[w.psa].padEnd(11)} ${w.wallMs} ms (runs ${w.wallRuns.join(', ')}), bound ${w.boundMs} ms, ratio ${w.ratio}; bound from the sandbox's answer times ${w.answerBoundMs} ms, ratio ${w.answerRatio}${w.threadRejections !== undefined ? `; thread-limit refusals ${w.threadRejections}, peak ${w.peakThreads} at once` : ''}`,
		);
	}
	out();
	out('Naive baseline (extrapolated from a slice, one call at a time):');
	for (const r of results.naive) {
		out(
			`  ${PSA_NAMES[r.psa].padEnd(11)} ${r.slice} users: ${r.sliceCalls.total} calls in ${r.sliceWallMs} ms; all ${r.users}: ${r.extrapolatedCalls} calls, ${r.extrapolatedWallMs} ms; ours ${r.oursCalls} calls, ${r.oursWallMs} ms`,
		);
	}
	out();
	out(formatPlannerBench(results.planner));
	out();
	const rn = results.reconcileNode;
	out(
		`Contact Reconcile in WorkflowExecute, ${rn.size} + ${rn.size} items: node ${rn.medianMs} ms median (${rn.perItemUs} µs per item), first run ${rn.firstRunMs} ms, workflow ${rn.workflowMedianMs} ms`,
	);
	out();
	out('Alert path:');
	out(`  warm: ${results.alerts.definitions.warm}`);
	out(`  cold: ${results.alerts.definitions.cold}`);
	out(`  now: ${results.alerts.definitions.now}`);
	out(`  before: ${results.alerts.definitions.before}`);
	out(`  connectwise: ${results.alerts.definitions.connectwise}`);
	out(
		`  cold per alert (new / repeat / resolve): now ${JSON.stringify(results.alerts.cold.now)}, before ${JSON.stringify(results.alerts.cold.before)}, connectwise ${JSON.stringify(results.alerts.cold.connectwise)}`,
	);
	for (const s of results.alerts.storms)
		out(
			`  storm (${s.mode}, ${s.psa}, ${s.scope}, ${s.delivery}): ${JSON.stringify({ ...s, byRoute: undefined })}`,
		);
	if (results.book) {
		const { customers, users } = results.book.sizes;
		out();
		out(`Contact sync of a book, ${customers} customers x ${users} users:`);
		for (const r of results.book.calls)
			out(
				`  ${PSA_NAMES[r.psa].padEnd(11)} ${SHAPE_NAMES[r.shape]}, first run: ${r.first.calls.total} calls (Graph ${r.first.calls.sourceReads}, PSA reads ${r.first.calls.targetReads}, writes ${r.first.calls.targetWrites}) + ${r.first.calls.auth} auth; bound ${r.first.bound}; ratio ${r.first.ratio}; second run: ${r.second.calls.total} calls, ${r.second.calls.targetWrites} writes`,
			);
		for (const w of results.book.wall)
			out(
				`  ${PSA_NAMES[w.psa].padEnd(11)} ${SHAPE_NAMES[w.shape]}, ${w.concurrency} at once, wall at ${w.latencyMs} ms: ${w.wallMs} ms (${w.executions} execution(s), slowest ${w.slowestExecutionMs} ms), one call at a time ${w.serialMs} ms, ratio ${w.ratio}${w.threadRejections === undefined ? '' : `; thread-limit refusals ${w.threadRejections}, peak ${w.peakThreads}`}; memory ${JSON.stringify(w.memory)}; state ${JSON.stringify(w.state)}`,
			);
	}
	const dc = results.devices.calls;
	const dw = results.devices.wall;
	out();
	out(
		`Device sync, ${dc.sizes.devices} devices in ${dc.sizes.sites} sites (${dc.expected.created} new, ${dc.expected.updated} changed):`,
	);
	out(
		`  first run: ${dc.first.calls.total} calls (${dc.first.calls.targetWrites} writes, ${dc.first.audits} audits) + ${dc.first.calls.auth} auth; bound ${dc.first.bound}; ratio ${dc.first.ratio}; outputs ${JSON.stringify(dc.first.outputs)}`,
	);
	out(
		`  second run: ${dc.second.calls.total} calls, ${dc.second.calls.targetWrites} writes; contract violations ${dc.contractViolations}${dc.stateProblems.length ? `; STATE PROBLEMS: ${dc.stateProblems.slice(0, 3).join('; ')}` : ''}`,
	);
	out(
		`  wall at ${dw.latencyMs} ms: ${dw.wallMs} ms (runs ${dw.wallRuns.join(', ')}), bound ${dw.boundMs} ms, ratio ${dw.ratio}; bound from the sandbox's answer times ${dw.answerBoundMs} ms, ratio ${dw.answerRatio}; thread-limit refusals ${dw.threadRejections}, peak ${dw.peakThreads}`,
	);
	out();
	out('Targets:');
	for (const t of results.targets) {
		out(
			`  [${t.met === undefined ? '  -  ' : t.met ? ' met ' : 'MISSED'}] ${t.id}. ${t.what}: ${t.measured} (target ${t.target})${t.note ? `; ${t.note}` : ''}`,
		);
	}
	out(`durations (s): ${JSON.stringify(results.durationSeconds)}`);
}

export function writeReadmeTable(readme: string, table: string): string | undefined {
	const start = '<!-- bench:start -->';
	const end = '<!-- bench:end -->';
	const from = readme.indexOf(start);
	const to = readme.indexOf(end);
	if (from < 0 || to < from) return undefined;
	return `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;
}
