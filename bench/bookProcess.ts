/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist */
/**
 * Measure 9's two shapes of the same work (issue 17): a book of customers synced by one
 * every-customer execution (the customer map), or by one execution per customer of the
 * one-company template (each its own workflow: its own static data, its own Graph token, its own
 * reads of the PSA's settings). `runBookShape` runs either through n8n's WorkflowExecute, one
 * execution after the other (one worker, concurrency 1) or `concurrency` at once, as an n8n
 * worker with that concurrency runs scheduled workflows that fire together. `inOwnProcess` runs it in a fresh child
 * process against a sandbox in another process, so the process's peak memory is the run's own:
 * the kernel's peak RSS and the V8 heap in use (sampled every 20 ms), beside the same figures
 * once the package is loaded; and the static data n8n would save, its size and serialize time.
 */
import { fork } from 'node:child_process';

import { customerMapRows } from '../dev/customerMap';
import type { Psa } from '../dev/psaState';
import { CredentialStore } from '../dev/runner/credentials';
import { StaticDataStore } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import { loadBuiltPackage, loadSourcePackage, PACKAGE_ROOT } from '../dev/runner/nodeTypes';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { dataTables } from '../dev/runner/standInNodes';
import {
	CUSTOMER_MAP_TABLE,
	everyCustomerContactTemplate,
	readTemplate,
	setUpContactTemplate,
} from '../dev/templates';
import type { Sandbox } from '../sandbox';
import type { Scenario, ScenarioCustomer } from '../sandbox/scenario';
import { mapWithConcurrency } from '../lib/transport/limiter';
import { runTemplateOnce, WRITE_CONCURRENCY } from './syncRun';
import type { SyncEnv, SyncRun } from './syncRun';

export const BOOK_SHAPES = ['map', 'perCustomer'] as const;
/** `map`: one every-customer execution; `perCustomer`: one one-company execution per customer. */
export type BookShape = (typeof BOOK_SHAPES)[number];

export const SHAPE_NAMES: Record<BookShape, string> = {
	map: 'one map-driven execution',
	perCustomer: 'one execution per customer',
};

/** What the executions of one shape did, summed over them. */
export interface BookShapeRun extends Omit<SyncRun, 'calls'> {
	executions: number;
	/** Each writer node's writes 3 at a time, summed over the executions (for the one-at-a-time time). */
	writeSteps: number;
	/** The slowest execution. */
	slowestMs: number;
}

/**
 * The workflows a shape runs: the every-customer template reading the map from its Data Table,
 * or, per customer, the one-company template set up as its Setup note asks (the company picked,
 * the domains entered) with Microsoft 365 Users reading the customer's tenant, each workflow with
 * its own id (its own static data).
 */
export function bookWorkflows(
	psa: Psa,
	shape: BookShape,
	customers: ScenarioCustomer[],
): WorkflowDefinition[] {
	if (shape === 'map')
		return [{ ...everyCustomerContactTemplate(psa, CUSTOMER_MAP_TABLE), id: `book-${psa}` }];
	return customers.map((customer, index) => {
		const companyId =
			psa === 'autotask' ? customer.autotaskCompanyId : customer.connectwiseCompanyId;
		const workflow = setUpContactTemplate(readTemplate(`office365-to-${psa}-contacts.json`), {
			companyId: String(companyId),
			domains: customer.domains ?? [],
			updateExisting: customer.updateExisting,
			mode: customer.mode,
		});
		for (const node of workflow.nodes)
			if (node.type === 'n8n-nodes-msp.office365Users')
				node.parameters = { ...node.parameters, tenantId: customer.tenant ?? '' };
		return { ...workflow, id: `book-${psa}-customer-${index + 1}` };
	});
}

/**
 * Every workflow of the shape once, `concurrency` executions at once (default one after the
 * other); fails on a failed write.
 */
export async function runBookShape(
	env: Pick<SyncEnv, 'pkg' | 'credentials' | 'staticData'>,
	psa: Psa,
	shape: BookShape,
	customers: ScenarioCustomer[],
	concurrency = 1,
): Promise<BookShapeRun> {
	const workflows = bookWorkflows(psa, shape, customers);
	dataTables.set(
		CUSTOMER_MAP_TABLE,
		customerMapRows({ customers } as Scenario, undefined as unknown as Sandbox),
	);
	const total: BookShapeRun = {
		executions: 0,
		outputs: { create: 0, update: 0, deactivate: 0, reactivate: 0, unchanged: 0, review: 0 },
		writerItems: { create: 0, update: 0, deactivate: 0, reactivate: 0, unchanged: 0, review: 0 },
		applied: 0,
		errors: [],
		wallMs: 0,
		writeSteps: 0,
		slowestMs: 0,
	};
	const started = performance.now();
	try {
		await mapWithConcurrency(workflows.length, concurrency, async (index) => {
			const run = await runTemplateOnce(env, workflows[index]);
			total.executions++;
			total.applied += run.applied;
			total.errors.push(...run.errors);
			total.slowestMs = Math.max(total.slowestMs, run.wallMs);
			for (const key of Object.keys(total.outputs) as Array<keyof SyncRun['outputs']>) {
				total.outputs[key] += run.outputs[key];
				total.writerItems[key] += run.writerItems[key];
				total.writeSteps += Math.ceil(run.writerItems[key] / WRITE_CONCURRENCY);
			}
		});
	} finally {
		dataTables.delete(CUSTOMER_MAP_TABLE);
	}
	total.wallMs = performance.now() - started;
	if (total.errors.length)
		throw new Error(
			`${psa} book sync (${SHAPE_NAMES[shape]}): ${total.errors.slice(0, 3).join('; ')}`,
		);
	return total;
}

/** Memory of the process running the nodes, MiB. */
export interface ProcessMemory {
	/** Once the package is loaded, before the first execution (after a GC). */
	startHeapMb: number;
	startRssMb: number;
	/** V8 heap in use, sampled every 20 ms and after every execution. */
	peakHeapMb: number;
	/** The kernel's high-water mark of the process (its whole life). */
	peakRssMb: number;
}

/** The static data n8n saves after the run: one workflow row per workflow. */
export interface SavedState {
	workflows: number;
	bytes: number;
	largestBytes: number;
	/** JSON.stringify (the save) and JSON.parse (the next run's load), summed over the workflows. */
	stringifyMs: number;
	parseMs: number;
}

export interface BookProcessResult extends BookShapeRun {
	memory: ProcessMemory;
	state: SavedState;
}

interface BookProcessInput {
	psa: Psa;
	shape: BookShape;
	customers: ScenarioCustomer[];
	credentials: Sandbox['credentials'];
	/** Executions at once (one execution per customer). */
	concurrency: number;
	/** The TypeScript sources instead of dist/. */
	source: boolean;
}

const MIB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

function savedState(store: StaticDataStore, ids: string[]): SavedState {
	const state: SavedState = {
		workflows: ids.length,
		bytes: 0,
		largestBytes: 0,
		stringifyMs: 0,
		parseMs: 0,
	};
	for (const id of ids) {
		const data = store.load(id);
		let started = performance.now();
		const json = JSON.stringify(data);
		state.stringifyMs += performance.now() - started;
		started = performance.now();
		JSON.parse(json);
		state.parseMs += performance.now() - started;
		const bytes = Buffer.byteLength(json);
		state.bytes += bytes;
		state.largestBytes = Math.max(state.largestBytes, bytes);
	}
	state.stringifyMs = Math.round(state.stringifyMs * 10) / 10;
	state.parseMs = Math.round(state.parseMs * 10) / 10;
	return state;
}

async function child(input: BookProcessInput): Promise<BookProcessResult> {
	const pkg: LoadedPackage = input.source
		? loadSourcePackage()
		: await loadBuiltPackage(PACKAGE_ROOT);
	const env = {
		pkg,
		credentials: new CredentialStore(pkg.credentialTypes, input.credentials),
		staticData: new StaticDataStore(),
	};
	const ids = bookWorkflows(input.psa, input.shape, input.customers).map((w) => w.id!);
	(globalThis as { gc?: () => void }).gc?.();
	const start = process.memoryUsage();
	let peakHeap = start.heapUsed;
	const sample = () => {
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	};
	const timer = setInterval(sample, 20);
	let run: BookShapeRun;
	try {
		run = await runBookShape(env, input.psa, input.shape, input.customers, input.concurrency);
	} finally {
		clearInterval(timer);
		sample();
	}
	return {
		...run,
		memory: {
			startHeapMb: mb(start.heapUsed),
			startRssMb: mb(start.rss),
			peakHeapMb: mb(peakHeap),
			peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
		},
		state: savedState(env.staticData, ids),
	};
}

/** `runBookShape` in a fresh process of its own, against the sandbox `credentials` point at. */
export async function inOwnProcess(input: BookProcessInput): Promise<BookProcessResult> {
	return await new Promise((resolve, reject) => {
		const process_ = fork(__filename, ['--child'], {
			execArgv: [...process.execArgv, '--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		process_.once('message', (message: { result?: BookProcessResult; error?: string }) => {
			if (message.result) resolve(message.result);
			else reject(new Error(message.error));
		});
		process_.once('error', reject);
		process_.once('exit', (code) => {
			if (code !== 0) reject(new Error(`the book's ${input.shape} run exited with ${code}`));
		});
		process_.send(input);
	});
}

if (require.main === module && process.argv[2] === '--child') {
	process.once('message', (input: BookProcessInput) => {
		child(input).then(
			(result) => process.send?.({ result }, () => process.exit(0)),
			(error: unknown) =>
				process.send?.(
					{ error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
					() => process.exit(0),
				),
		);
	});
}
