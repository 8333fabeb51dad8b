/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * `npm run bench`: builds the package, then takes measures 1 to 6 (bench/README.md) against the
 * sandbox and writes bench/results.json and the README's table between <!-- bench:start --> and
 * <!-- bench:end -->. What is measured against which target, and how it is printed: report.ts.
 *
 *   npm run bench                 full sizes (5,000 x 5,000 sync, 100k planner, 1,000-alert storm)
 *   npm run bench -- --smoke      small sizes in well under a minute; prints only (for CI)
 *   --source                      the TypeScript sources instead of the built package
 *   --out FILE                    write the results there (smoke runs write nothing by default)
 *   --no-readme                   leave README.md alone
 *
 * Timings never fail the run: targets are reported, met or not. It exits 1 only when a benchmark
 * itself breaks (a workflow fails, a write is lost).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PSA_NAMES, PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import { loadBuiltPackage, loadSourcePackage, PACKAGE_ROOT } from '../dev/runner/nodeTypes';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { benchAlerts } from './alerts';
import { benchBook } from './book';
import { benchContactState } from './contactState';
import { benchDeviceCalls, benchDeviceWall } from './devices';
import { benchPlanner } from './planner';
import { benchReconcileNode } from './reconcileNode';
import { round } from './measure';
import { benchNaive } from './naive';
import { markdownTable, n, out, printSummary, targets, writeReadmeTable } from './report';
import type { BenchResults, Sizes } from './report';
import { benchSyncCalls, benchSyncWall } from './sync';
import { buildSyncSeed } from './syncSeed';

const FULL: Sizes = {
	sync: 5_000,
	changeRate: 0.01,
	latencyMs: 100,
	wallRuns: 5,
	naiveSlice: 50,
	planner: [10_000, 100_000],
	plannerRuns: 5,
	reconcileNode: 10_000,
	reconcileRuns: 3,
	storm: 1_000,
	devices: { devices: 10_000, sites: 50, newShare: 0.01, changeShare: 0.01 },
	deviceWallRuns: 3,
	contactState: [
		[200, 150],
		[500, 300],
	],
	book: { customers: 200, users: 150, changeRate: 0.01 },
	// One execution per customer one after the other, and 10 at once (an n8n queue worker's default).
	bookConcurrency: [1, 10],
};

const SMOKE: Sizes = {
	sync: 500,
	changeRate: 0.01,
	latencyMs: 20,
	wallRuns: 1,
	naiveSlice: 5,
	planner: [1_000, 10_000],
	plannerRuns: 3,
	reconcileNode: 1_000,
	reconcileRuns: 2,
	storm: 100,
	devices: { devices: 1_000, sites: 10, newShare: 0.01, changeShare: 0.01 },
	deviceWallRuns: 1,
	contactState: [[20, 50]],
	book: { customers: 5, users: 20, changeRate: 0.05 },
	// Each timed run is a process of its own (about a second to start): one PSA keeps smoke short.
	bookWallPsas: ['autotask'],
};

function parseArgs(argv: string[]) {
	const args = { smoke: false, source: false, readme: true, out: undefined as string | undefined };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--smoke') args.smoke = true;
		else if (argv[i] === '--source') args.source = true;
		else if (argv[i] === '--no-readme') args.readme = false;
		else if (argv[i] === '--out' && argv[i + 1]) args.out = path.resolve(argv[++i]);
		else
			throw new Error(
				`Unknown argument "${argv[i]}". Usage: npm run bench -- [--smoke] [--source] [--out FILE] [--no-readme]`,
			);
	}
	return args;
}

function machine(): BenchResults['machine'] {
	return {
		cores: os.cpus().length,
		cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		memoryGb: round(os.totalmem() / 1024 ** 3, 1),
		loadAverage: os.loadavg().map((load) => round(load, 2)),
		date: new Date().toISOString(),
	};
}

async function timed<T>(
	label: string,
	durations: Record<string, number>,
	work: () => Promise<T>,
): Promise<T> {
	process.stdout.write(`… ${label}`);
	const started = performance.now();
	const result = await work();
	const elapsed = (performance.now() - started) / 1000;
	durations[label] = round(elapsed, 1);
	out(` (${elapsed.toFixed(1)} s)`);
	return result;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const sizes = args.smoke ? SMOKE : FULL;
	const started = performance.now();
	const durations: Record<string, number> = {};
	const facts = machine();
	out(
		`n8n-nodes-msp benchmarks (${args.smoke ? 'smoke' : 'full'}): ${facts.cores} cores, ${facts.cpu}, Node ${facts.node}, ${facts.date}`,
	);

	let pkg: LoadedPackage;
	if (args.source) pkg = loadSourcePackage();
	else {
		if (!fs.existsSync(path.join(PACKAGE_ROOT, 'dist', 'nodes')))
			throw new Error(
				'dist/ is missing: run "npm run build" first (npm run bench does), or pass --source',
			);
		pkg = await loadBuiltPackage(PACKAGE_ROOT);
	}

	const data = buildSyncSeed(sizes.sync, sizes.changeRate);
	const syncCalls = await timed(
		`sync calls, ${n(sizes.sync)} x ${n(sizes.sync)}`,
		durations,
		async () => await benchSyncCalls(pkg, data),
	);
	for (const result of syncCalls.results) {
		if (result.first.errors.length || result.stateProblems.length) {
			throw new Error(
				`${PSA_NAMES[result.psa]} sync did not apply its plan: ${[...result.first.errors, ...result.stateProblems][0]}`,
			);
		}
	}
	const syncWall = await timed(
		`sync wall time at ${sizes.latencyMs} ms, ${sizes.wallRuns} run(s) each`,
		durations,
		async () => await benchSyncWall(pkg, data, sizes.latencyMs, sizes.wallRuns),
	);
	const ours = Object.fromEntries(
		PSAS.map((psa) => [
			psa,
			{
				calls: syncCalls.results.find((r) => r.psa === psa)!.first.calls.total,
				wallMs: syncWall.find((w) => w.psa === psa)!.wallMs,
			},
		]),
	) as Record<Psa, { calls: number; wallMs: number }>;
	const naive = await timed(
		`naive baseline, ${sizes.naiveSlice}-user slice at ${sizes.latencyMs} ms`,
		durations,
		async () =>
			await benchNaive(data, { latencyMs: sizes.latencyMs, slice: sizes.naiveSlice, ours }),
	);
	const planner = await timed(
		`planner ${sizes.planner.map(n).join(' and ')}`,
		durations,
		async () => await benchPlanner({ sizes: sizes.planner, runs: sizes.plannerRuns }),
	);
	const contactState = await timed(
		'contact sync memory for books of customers',
		durations,
		async () => benchContactState(sizes.contactState ?? []),
	);
	const bookSizes = sizes.book;
	const book = bookSizes
		? await timed(
				`contact sync of a book, ${n(bookSizes.customers)} customers x ${n(bookSizes.users)} users, one execution and one per customer`,
				durations,
				async () =>
					await benchBook(pkg, bookSizes, sizes.latencyMs, {
						source: args.source,
						wallPsas: sizes.bookWallPsas,
						concurrencies: sizes.bookConcurrency,
					}),
			)
		: undefined;
	for (const run of book?.calls ?? [])
		if (run.second.calls.targetWrites)
			throw new Error(
				`${PSA_NAMES[run.psa]}: the map-driven sync's second run wrote ${run.second.calls.targetWrites} times`,
			);
	const reconcileNode = await timed(
		`Contact Reconcile node ${n(sizes.reconcileNode)} + ${n(sizes.reconcileNode)}`,
		durations,
		async () => await benchReconcileNode({ size: sizes.reconcileNode, runs: sizes.reconcileRuns }),
	);
	const alerts = await timed(
		`alert path, storms of ${n(sizes.storm)}`,
		durations,
		async () => await benchAlerts(pkg, { stormSize: sizes.storm }),
	);
	const deviceCalls = await timed(
		`device sync calls, ${n(sizes.devices.devices)} devices`,
		durations,
		async () => await benchDeviceCalls(pkg, sizes.devices),
	);
	if (deviceCalls.stateProblems.length)
		throw new Error(`The device sync did not reach its end state: ${deviceCalls.stateProblems[0]}`);
	const deviceWall = await timed(
		`device sync wall time at ${sizes.latencyMs} ms, ${sizes.deviceWallRuns} run(s)`,
		durations,
		async () => await benchDeviceWall(pkg, sizes.devices, sizes.latencyMs, sizes.deviceWallRuns),
	);
	durations.total = round((performance.now() - started) / 1000, 1);

	const partial: Omit<BenchResults, 'targets'> = {
		kind: args.smoke ? 'smoke' : 'full',
		machine: facts,
		package: args.source ? 'source' : 'built',
		sizes,
		durationSeconds: durations,
		syncCalls: { ...syncCalls, k: data.k, changes: data.changes },
		syncWall,
		naive,
		planner,
		contactState,
		book,
		reconcileNode,
		alerts,
		devices: { calls: deviceCalls, wall: deviceWall },
	};
	const results: BenchResults = { ...partial, targets: targets(partial) };
	printSummary(results);

	const outFile =
		args.out ?? (args.smoke ? undefined : path.join(PACKAGE_ROOT, 'bench', 'results.json'));
	if (outFile) {
		fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
		out(`results written to ${path.relative(process.cwd(), outFile) || outFile}`);
	}
	const table = markdownTable(results);
	if (args.readme && !args.smoke) {
		const readmePath = path.join(PACKAGE_ROOT, 'README.md');
		const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : '';
		const updated = writeReadmeTable(readme, table);
		if (updated === undefined) {
			out('README.md has no <!-- bench:start --> / <!-- bench:end --> markers; the table is:');
			out(table);
		} else {
			fs.writeFileSync(readmePath, updated);
			out('README.md table updated');
		}
	} else {
		out();
		out(table);
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(
			`\nBenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
