/**
 * One run of a contact-sync template (workflows/office365-to-<psa>-contacts.json) through n8n's
 * WorkflowExecute against a sandbox, in this process or in its own: what Contact Reconcile planned,
 * what the writer nodes applied, the calls it took; the least calls and time such a run can take;
 * and whether the changes landed in the PSA.
 */
import { psaContacts } from '../dev/psaState';
import { companyIdOf } from '../dev/templates';
import type { Psa } from '../dev/psaState';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { cleanText, phoneDigits } from '../lib/contacts/normalize';
import { AUTOTASK_MAX_RECORDS, AUTOTASK_THREADS_PER_ENDPOINT } from '../lib/transport/autotask';
import { CONNECTWISE_MAX_PAGE_SIZE } from '../lib/transport/connectwise';
import { GRAPH_MAX_PAGE_SIZE } from '../lib/transport/graph';
import type { Sandbox } from '../sandbox';
import { breakdown } from './measure';
import type { CallBreakdown } from './measure';
import type { RemoteSandbox } from './remoteSandbox';
import type { SyncSeed } from './syncSeed';

/** Records per listing page, as the transports ask for them. */
export const PAGE_MAX: Record<Psa | 'graph', number> = {
	graph: GRAPH_MAX_PAGE_SIZE,
	autotask: AUTOTASK_MAX_RECORDS,
	connectwise: CONNECTWISE_MAX_PAGE_SIZE,
};
/**
 * Writes in flight at once: Autotask's documented 3 threads per endpoint; the ConnectWise node
 * writes 3 at a time as well (ConnectWise documents no thread limit, only throttling).
 */
export const WRITE_CONCURRENCY = AUTOTASK_THREADS_PER_ENDPOINT;

const ACTIONS = ['create', 'update', 'deactivate', 'reactivate', 'unchanged', 'review'] as const;
type Action = (typeof ACTIONS)[number];
const WRITERS: Record<string, Action> = {
	'Create Contact': 'create',
	'Update Contact': 'update',
	'Deactivate Contact': 'deactivate',
	'Reactivate Contact': 'reactivate',
};

export interface SyncRun {
	/** Items on each Contact Reconcile output. */
	outputs: Record<Action, number>;
	/** Plan items the writer nodes applied, and the error items they returned. */
	applied: number;
	errors: string[];
	/** Items each writer node received. */
	writerItems: Record<Action, number>;
	calls: CallBreakdown;
	wallMs: number;
}

export interface SyncEnv {
	pkg: LoadedPackage;
	credentials: CredentialStore;
	staticData: StaticDataStore;
	/** A position in the sandbox's request log, and the calls made since one. */
	mark(): Promise<number>;
	callsSince(mark: number): Promise<CallBreakdown>;
}

/** A sandbox in this process (its log and state readable directly). */
export function syncEnv(pkg: LoadedPackage, sandbox: Sandbox): SyncEnv {
	return {
		pkg,
		credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
		staticData: new StaticDataStore(),
		mark: async () => sandbox.log.entries.at(-1)?.seq ?? 0,
		callsSince: async (mark) => breakdown(sandbox.log.entries.filter((entry) => entry.seq > mark)),
	};
}

/** A sandbox in its own process (wall-time runs). */
export function remoteSyncEnv(pkg: LoadedPackage, remote: RemoteSandbox): SyncEnv {
	return {
		pkg,
		credentials: new CredentialStore(pkg.credentialTypes, remote.credentials),
		staticData: new StaticDataStore(),
		mark: async () => (await remote.report()).seq,
		callsSince: async (mark) => (await remote.report(mark)).calls,
	};
}

/** One scheduled run of the template (a production run: the sync's memory is saved). */
export async function runTemplateSync(
	env: SyncEnv,
	workflow: WorkflowDefinition,
): Promise<SyncRun> {
	const from = await env.mark();
	const run = await runTemplateOnce(env, workflow);
	return { ...run, calls: await env.callsSince(from) };
}

/**
 * The same run without counting its calls (a process with no view of the sandbox's log, such as
 * bench/bookProcess.ts: whoever holds the log counts them).
 */
export async function runTemplateOnce(
	env: Pick<SyncEnv, 'pkg' | 'credentials' | 'staticData'>,
	workflow: WorkflowDefinition,
): Promise<Omit<SyncRun, 'calls'>> {
	const started = performance.now();
	const result = await runWorkflow({
		pkg: env.pkg,
		credentials: env.credentials,
		workflow,
		startNode: 'Every Hour',
		mode: 'trigger',
		staticData: env.staticData,
	});
	const wallMs = performance.now() - started;
	if (result.status !== 'success')
		throw new Error(`the sync workflow failed: ${result.error?.message ?? result.status}`);
	const outputs = Object.fromEntries(
		ACTIONS.map((action, index) => [action, result.items('Contact Reconcile', index).length]),
	) as Record<Action, number>;
	const writerItems = Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Record<
		Action,
		number
	>;
	let applied = 0;
	const errors: string[] = [];
	for (const [node, action] of Object.entries(WRITERS)) {
		const items = result.json(node);
		writerItems[action] = items.length;
		applied += items.filter((json) => json.applied === true).length;
		for (const json of items) if (json.error) errors.push(`${node}: ${String(json.error)}`);
	}
	return { outputs, applied, errors, writerItems, wallMs };
}

/**
 * `ceil(N/999) + ceil(M/page max) + t + k`: every user and contact read once, one write per change;
 * t = 1 for ConnectWise, whose communication types are read once to tell phone from mobile.
 */
export function callBound(psa: Psa, users: number, contacts: number, writes: number): number {
	return (
		Math.ceil(users / PAGE_MAX.graph) +
		Math.ceil(contacts / PAGE_MAX[psa]) +
		tenantReads(contacts) +
		writes
	);
}

/**
 * The tenant's configuration the listing reads once when it has contacts to map: ConnectWise's
 * communication types, Autotask's contact field lengths (a value cut at its limit is in sync).
 */
function tenantReads(contacts: number): number {
	return contacts > 0 ? 1 : 0;
}

/** Calls a sequence of one-at-a-time reads takes, plus each writer node's writes at the allowed concurrency. */
export function sequentialSteps(
	psa: Psa,
	users: number,
	contacts: number,
	writerItems: Record<string, number>,
	auth: number,
): number {
	let steps =
		auth +
		Math.ceil(users / PAGE_MAX.graph) +
		Math.ceil(contacts / PAGE_MAX[psa]) +
		tenantReads(contacts);
	for (const count of Object.values(writerItems)) steps += Math.ceil(count / WRITE_CONCURRENCY);
	return steps;
}

/** Every changed value landed in the scenario's PSA company (read from the sandbox's state, not through our nodes). */
export function checkPsaState(sandbox: Sandbox, psa: Psa, data: SyncSeed): string[] {
	const contacts = psaContacts(sandbox, psa, companyIdOf(psa, data.scenario));
	const problems: string[] = [];
	for (const [email, change] of data.expected) {
		const actual = contacts.find((contact) => contact.emails.includes(email))?.[change.field];
		const expected = change.field === 'title' ? cleanText(change.value) : phoneDigits(change.value);
		if (actual !== expected)
			problems.push(
				`${email}: ${change.field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
			);
	}
	return problems;
}
