/**
 * Measure 9: one map-driven contact sync for a book of customers (issue 17). The every-customer
 * template (workflows/office365-to-<psa>-contacts-every-customer.json) reads a customer map of C
 * rows and syncs each customer's tenant (U users) into its own company, over real HTTP against the
 * sandbox (sandbox/seed/largeSeed.ts's generateBookSeed): the calls per vendor against their lower
 * bound, a second run (nothing changed: it must write nothing), and the first run's wall time with
 * latency on every call (Autotask's inside its thread limit), the sandbox in its own process,
 * beside the time the same calls take one at a time.
 */
import { customerMapRows } from '../dev/customerMap';
import { PSA_NAMES, PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { dataTables } from '../dev/runner/standInNodes';
import { CUSTOMER_MAP_TABLE, everyCustomerContactTemplate } from '../dev/templates';
import { startSandbox } from '../sandbox';
import { generateBookSeed } from '../sandbox/seed/largeSeed';
import type { BookSeed, BookSeedOptions } from '../sandbox/seed/largeSeed';
import { round } from './measure';
import { RemoteSandbox } from './remoteSandbox';
import { PAGE_MAX, remoteSyncEnv, runTemplateSync, syncEnv, WRITE_CONCURRENCY } from './syncRun';
import type { SyncRun } from './syncRun';

export interface BookSizes {
	customers: number;
	users: number;
	changeRate: number;
}

export interface BookCallsResult {
	psa: Psa;
	/** Contacts the sync must update across the book (an old title each). */
	k: number;
	first: SyncRun & { bound: number; ratio: number };
	second: SyncRun & { bound: number; ratio: number };
}

export interface BookWallResult {
	psa: Psa;
	latencyMs: number;
	wallMs: number;
	/**
	 * The same calls one at a time (each writer node's writes 3 at a time): latency x (auth +
	 * every listing page + writes / 3). The nodes read several customers at once, so the wall time
	 * can be well under it.
	 */
	serialMs: number;
	ratio: number;
	calls: SyncRun['calls'];
	threadRejections?: number;
	peakThreads?: number;
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

/** The map's rows in the Data Table the template reads. */
function loadMap(book: BookSeed): void {
	dataTables.set(CUSTOMER_MAP_TABLE, customerMapRows(book.scenario, undefined as never));
}

function check(psa: Psa, run: SyncRun, what: string): void {
	if (run.errors.length)
		throw new Error(`${PSA_NAMES[psa]} book sync, ${what}: ${run.errors.slice(0, 3).join('; ')}`);
}

/** Both PSAs' templates over one sandbox of the book: calls of a first and a second run. */
export async function bookCalls(pkg: LoadedPackage, sizes: BookSizes) {
	const book = generateBookSeed(seedOptions(sizes));
	const sandbox = await startSandbox({ seed: book.seed });
	try {
		loadMap(book);
		const calls: BookCallsResult[] = [];
		for (const psa of PSAS) {
			const env = syncEnv(pkg, sandbox);
			const workflow = everyCustomerContactTemplate(psa, CUSTOMER_MAP_TABLE);
			const first = await runTemplateSync(env, workflow);
			check(psa, first, 'first run');
			const second = await runTemplateSync(env, workflow);
			check(psa, second, 'second run');
			if (first.outputs.update !== book.expected.update)
				throw new Error(
					`${PSA_NAMES[psa]} book sync planned ${first.outputs.update} updates, the book has ${book.expected.update} changed contacts`,
				);
			const withBound = (run: SyncRun, writes: number) => {
				const bound = bookBound(psa, sizes, writes);
				return { ...run, bound, ratio: round(run.calls.total / bound, 3) };
			};
			calls.push({
				psa,
				k: book.expected.update,
				first: withBound(first, book.expected.update),
				second: withBound(second, 0),
			});
		}
		return { calls, contractViolations: sandbox.contractViolations.length };
	} finally {
		dataTables.delete(CUSTOMER_MAP_TABLE);
		await sandbox.stop();
	}
}

async function bookWall(
	pkg: LoadedPackage,
	sizes: BookSizes,
	latencyMs: number,
): Promise<BookWallResult[]> {
	const wall: BookWallResult[] = [];
	loadMap(generateBookSeed(seedOptions(sizes)));
	try {
		for (const psa of PSAS) {
			const remote = await RemoteSandbox.start({ book: seedOptions(sizes), latencyMs });
			try {
				const run = await runTemplateSync(
					remoteSyncEnv(pkg, remote),
					everyCustomerContactTemplate(psa, CUSTOMER_MAP_TABLE),
				);
				check(psa, run, `with ${latencyMs} ms latency`);
				const report = await remote.report();
				let steps = run.calls.auth + bookBound(psa, sizes, 0);
				for (const count of Object.values(run.writerItems))
					steps += Math.ceil(count / WRITE_CONCURRENCY);
				const result: BookWallResult = {
					psa,
					latencyMs,
					wallMs: Math.round(run.wallMs),
					serialMs: latencyMs * steps,
					ratio: round(run.wallMs / (latencyMs * steps), 3),
					calls: run.calls,
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
	} finally {
		dataTables.delete(CUSTOMER_MAP_TABLE);
	}
	return wall;
}

export async function benchBook(
	pkg: LoadedPackage,
	sizes: BookSizes,
	latencyMs: number,
): Promise<BookBench> {
	const { calls, contractViolations } = await bookCalls(pkg, sizes);
	const wall = await bookWall(pkg, sizes, latencyMs);
	return { sizes, calls, wall, contractViolations };
}
