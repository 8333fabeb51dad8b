/**
 * Measure 9: a book of customers (issue 17) synced two ways over real HTTP against the sandbox
 * (sandbox/seed/largeSeed.ts's generateBookSeed): by one map-driven execution of the
 * every-customer template (workflows/office365-to-<psa>-contacts-every-customer.json), and, beside
 * it, the same work as one execution per customer of the one-company template (bench/bookProcess.ts).
 * For each: the calls per vendor against the lower bound, a second run (nothing changed: it must
 * write nothing), and the first run's wall time with latency on every call (Autotask's inside its
 * thread limit) in a process of its own (its peak memory, the static data it leaves), the sandbox
 * in another, beside the time the same calls take one at a time.
 */
import { PSA_NAMES, PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { startSandbox } from '../sandbox';
import { generateBookSeed } from '../sandbox/seed/largeSeed';
import type { BookSeedOptions } from '../sandbox/seed/largeSeed';
import { BOOK_SHAPES, inOwnProcess, runBookShape } from './bookProcess';
import type { BookShape, BookShapeRun, ProcessMemory, SavedState } from './bookProcess';
import { round } from './measure';
import { RemoteSandbox } from './remoteSandbox';
import { PAGE_MAX, syncEnv } from './syncRun';
import type { SyncEnv, SyncRun } from './syncRun';

export interface BookSizes {
	customers: number;
	users: number;
	changeRate: number;
}

export interface BookCallsResult {
	psa: Psa;
	shape: BookShape;
	/** Contacts the sync must update across the book (an old title each). */
	k: number;
	first: SyncRun & { bound: number; ratio: number };
	second: SyncRun & { bound: number; ratio: number };
}

export interface BookWallResult {
	psa: Psa;
	shape: BookShape;
	/** Executions at once. */
	concurrency: number;
	latencyMs: number;
	/** First start to last end, one execution after the other. */
	wallMs: number;
	executions: number;
	slowestExecutionMs: number;
	/**
	 * The same calls one at a time (each writer node's writes 3 at a time): latency x (auth +
	 * reads + each execution's writes / 3). The every-customer execution reads several customers
	 * at once, so its wall time can be well under it.
	 */
	serialMs: number;
	ratio: number;
	calls: SyncRun['calls'];
	threadRejections?: number;
	peakThreads?: number;
	memory: ProcessMemory;
	state: SavedState;
}

export interface BookBench {
	sizes: BookSizes;
	calls: BookCallsResult[];
	wall: BookWallResult[];
	contractViolations: number;
}

/** Reading each tenant's users and each company's contacts once, and one write per change. */
export function bookBound(psa: Psa, sizes: BookSizes, writes: number): number {
	return (
		sizes.customers *
			(Math.ceil(sizes.users / PAGE_MAX.graph) + Math.ceil(sizes.users / PAGE_MAX[psa])) +
		writes
	);
}

const seedOptions = (sizes: BookSizes): BookSeedOptions => ({ ...sizes });

/** One shape's run counted in the sandbox's log. */
async function countedRun(
	env: SyncEnv,
	psa: Psa,
	shape: BookShape,
	customers: ReturnType<typeof generateBookSeed>['customers'],
): Promise<SyncRun & BookShapeRun> {
	const from = await env.mark();
	const run = await runBookShape(env, psa, shape, customers);
	return { ...run, calls: await env.callsSince(from) };
}

/**
 * Both PSAs, both shapes, each shape on a sandbox of its own book (both start from the same
 * world): calls of a first and a second run.
 */
export async function bookCalls(pkg: LoadedPackage, sizes: BookSizes) {
	const calls: BookCallsResult[] = [];
	let contractViolations = 0;
	for (const shape of BOOK_SHAPES) {
		const book = generateBookSeed(seedOptions(sizes));
		const sandbox = await startSandbox({ seed: book.seed });
		try {
			for (const psa of PSAS) {
				const env = syncEnv(pkg, sandbox);
				const first = await countedRun(env, psa, shape, book.customers);
				const second = await countedRun(env, psa, shape, book.customers);
				if (first.outputs.update !== book.expected.update)
					throw new Error(
						`${PSA_NAMES[psa]} book sync (${shape}) planned ${first.outputs.update} updates, the book has ${book.expected.update} changed contacts`,
					);
				const withBound = (run: SyncRun, writes: number) => {
					const bound = bookBound(psa, sizes, writes);
					return { ...run, bound, ratio: round(run.calls.total / bound, 3) };
				};
				calls.push({
					psa,
					shape,
					k: book.expected.update,
					first: withBound(first, book.expected.update),
					second: withBound(second, 0),
				});
			}
			contractViolations += sandbox.contractViolations.length;
		} finally {
			await sandbox.stop();
		}
	}
	return { calls, contractViolations };
}

/** Each PSA, each shape: the first run in a process of its own against a fresh sandbox process. */
async function bookWall(
	sizes: BookSizes,
	latencyMs: number,
	source: boolean,
	psas: readonly Psa[],
	concurrencies: readonly number[],
): Promise<BookWallResult[]> {
	const wall: BookWallResult[] = [];
	const { customers } = generateBookSeed(seedOptions(sizes));
	const runs = BOOK_SHAPES.flatMap((shape) =>
		(shape === 'map' ? [1] : concurrencies).map((concurrency) => ({ shape, concurrency })),
	);
	for (const psa of psas) {
		for (const { shape, concurrency } of runs) {
			const remote = await RemoteSandbox.start({ book: seedOptions(sizes), latencyMs });
			try {
				const from = (await remote.report()).seq;
				const run = await inOwnProcess({
					psa,
					shape,
					customers,
					credentials: remote.credentials,
					concurrency,
					source,
				});
				const report = await remote.report(from);
				const { calls } = report;
				const steps = calls.auth + calls.sourceReads + calls.targetReads + run.writeSteps;
				const result: BookWallResult = {
					psa,
					shape,
					concurrency,
					latencyMs,
					wallMs: Math.round(run.wallMs),
					executions: run.executions,
					slowestExecutionMs: Math.round(run.slowestMs),
					serialMs: latencyMs * steps,
					ratio: round(run.wallMs / (latencyMs * steps), 3),
					calls,
					memory: run.memory,
					state: run.state,
				};
				if (psa === 'autotask') {
					result.threadRejections = report.threadRejections;
					result.peakThreads = report.peakThreads;
				}
				wall.push(result);
			} finally {
				await remote.stop();
			}
		}
	}
	return wall;
}

export async function benchBook(
	pkg: LoadedPackage,
	sizes: BookSizes,
	latencyMs: number,
	options: { source: boolean; wallPsas?: readonly Psa[]; concurrencies?: readonly number[] },
): Promise<BookBench> {
	const { calls, contractViolations } = await bookCalls(pkg, sizes);
	const wall = await bookWall(
		sizes,
		latencyMs,
		options.source,
		options.wallPsas ?? PSAS,
		options.concurrencies ?? [1],
	);
	return { sizes, calls, wall, contractViolations };
}
