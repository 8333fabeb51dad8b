/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * The contact sync against the sandbox (issue 9, items 1, 2 and 6): the two template workflows
 * from workflows/ run through n8n's WorkflowExecute with the package (built, in `npm run bench`),
 * every call counted in the sandbox's request log; and the naive baseline (one lookup per user,
 * a full PUT per contact) through the package's own transport clients.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { AutotaskApi } from '../credentials/AutotaskApi.credentials';
import { ConnectWiseManageApi } from '../credentials/ConnectWiseManageApi.credentials';
import { MicrosoftGraphAppApi } from '../credentials/MicrosoftGraphAppApi.credentials';
import { companyContactsPath } from '../lib/contacts/autotask';
import type { CanonicalContact } from '../lib/contacts/canonical';
import type { AutotaskContact } from '../lib/contacts/autotask';
import type { ConnectWiseContact } from '../lib/contacts/connectwise';
import { GRAPH_USER_SELECT, graphUserToContact } from '../lib/contacts/graph';
import {
	AUTOTASK_MAX_RECORDS,
	AUTOTASK_THREADS_PER_ENDPOINT,
	AutotaskClient,
	contactEmailFilter,
} from '../lib/transport/autotask';
import {
	CONNECTWISE_MAX_PAGE_SIZE,
	ConnectWiseClient,
	cw,
	emailChildConditions,
} from '../lib/transport/connectwise';
import { GRAPH_MAX_PAGE_SIZE, GraphClient } from '../lib/transport/graph';
import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import type { LoggedRequest } from '../sandbox/core/log';
import type { Seed } from '../sandbox/core/seed';
import { generateLargeSeed } from '../sandbox/seed/generate';
import type { Scenario } from '../sandbox/seed/generate';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { PACKAGE_ROOT } from '../dev/runner/nodeTypes';
import { DirectClient } from '../dev/directClient';
import { RemoteSandbox } from './remoteSandbox';
import type { RemoteReport } from './remoteSandbox';

export type Psa = 'autotask' | 'connectwise';
export const PSAS: Psa[] = ['autotask', 'connectwise'];
export const PSA_NAMES: Record<Psa, string> = { autotask: 'Autotask', connectwise: 'ConnectWise' };
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

// ------------------------------------------------------------------------------------------------
// The data set

export interface SyncSeed {
	seed: Seed;
	scenario: Scenario;
	size: number;
	changeRate: number;
	/** Contacts that must change, by the field that differs (one field each). */
	changes: { title: number; phone: number; mobile: number };
	k: number;
	/** The new values, by user email, for checking the PSA afterwards. */
	expected: Map<string, { field: 'title' | 'phone' | 'mobile'; value: string }>;
}

interface GraphUserRow {
	mail: string;
	jobTitle: string;
	businessPhones: string[];
	mobilePhone: string | null;
}

/**
 * N Microsoft 365 users against the same N PSA contacts (both PSAs), with k = changeRate x N
 * contacts that differ in exactly one field: 40% a title (the PSA holds an old one), 30% an office
 * phone and 30% a mobile number that changed in Microsoft 365 (to a new number, of a contact that
 * has one). Everything else is equal, phones written differently on each side.
 */
export function buildSyncSeed(size: number, changeRate = 0.01): SyncSeed {
	const k = Math.max(3, Math.round(size * changeRate));
	const phone = Math.floor(k * 0.3);
	const mobile = Math.floor(k * 0.3);
	const title = k - phone - mobile;
	const large = generateLargeSeed({ users: size, contacts: size, changeRate: title / size });
	if (large.expected.update !== title)
		throw new Error(`generateLargeSeed made ${large.expected.update} title changes, not ${title}`);
	const users = large.seed.graph.users as unknown as GraphUserRow[];
	const taken = new Set(large.expected.changedEmails);
	const expected: SyncSeed['expected'] = new Map();
	for (const email of large.expected.changedEmails) {
		const user = users.find((row) => row.mail === email);
		expected.set(email, { field: 'title', value: String(user?.jobTitle ?? '') });
	}
	/** Spread over the whole list, skipping users already changed (or without the field). */
	const pick = (
		count: number,
		offset: number,
		eligible: (row: GraphUserRow) => boolean,
	): GraphUserRow[] => {
		const out: GraphUserRow[] = [];
		for (let j = 0; j < count; j++) {
			let i = (Math.floor(((j + 0.5) * size) / count) + offset) % size;
			while (taken.has(users[i].mail) || !eligible(users[i])) i = (i + 1) % size;
			taken.add(users[i].mail);
			out.push(users[i]);
		}
		return out;
	};
	pick(phone, 7, () => true).forEach((row, j) => {
		row.businessPhones = [`+1 425 777 ${String(1000 + j).slice(-4)}`];
		expected.set(row.mail, { field: 'phone', value: row.businessPhones[0] });
	});
	pick(mobile, 13, (row) => !!row.mobilePhone).forEach((row, j) => {
		row.mobilePhone = `+1 206 777 ${String(2000 + j).slice(-4)}`;
		expected.set(row.mail, { field: 'mobile', value: row.mobilePhone });
	});
	return {
		seed: large.seed,
		scenario: large.scenario,
		size,
		changeRate,
		changes: { title, phone, mobile },
		k,
		expected,
	};
}

// ------------------------------------------------------------------------------------------------
// The template workflows

export function companyIdOf(psa: Psa, scenario: Scenario): string {
	return String(
		psa === 'autotask'
			? scenario.contactSync.autotaskCompanyId
			: scenario.contactSync.connectwiseCompanyId,
	);
}

/** workflows/office365-to-<psa>-contacts.json, set up for the scenario's company and domains as a user would. */
export function contactSyncTemplate(
	psa: Psa,
	scenario: Scenario,
): WorkflowDefinition & { nodes: INode[] } {
	const file = path.join(PACKAGE_ROOT, 'workflows', `office365-to-${psa}-contacts.json`);
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowDefinition & {
		nodes: INode[];
	};
	const companyId = companyIdOf(psa, scenario);
	const domains = scenario.contactSync.domains.join(', ');
	for (const node of workflow.nodes) {
		const parameters = node.parameters as IDataObject;
		if (node.type === 'n8n-nodes-msp.office365Users') {
			parameters.filters = { ...(parameters.filters as IDataObject), emailDomains: domains };
		} else if (node.type === 'n8n-nodes-msp.contactReconcile') {
			Object.assign(parameters, {
				companyId,
				domains,
				updateExisting: scenario.contactSync.updateExisting,
				mode: scenario.contactSync.mode,
			});
		} else if (parameters.operation === 'getAll') {
			parameters.filters = { ...(parameters.filters as IDataObject), companyId };
		}
	}
	return workflow;
}

export interface CallBreakdown {
	/** Token mints, Autotask zone and ConnectWise codebase look-ups. */
	auth: number;
	/** Microsoft Graph reads (user pages). */
	sourceReads: number;
	/** PSA reads (listing pages, look-ups, read-backs, metadata). */
	targetReads: number;
	/** PSA writes (creates, updates, communication items). */
	targetWrites: number;
	/** Everything but auth. */
	total: number;
	/** "vendor METHOD /path" (ids as {id}) → calls, for reading where calls went. */
	byRoute: Record<string, number>;
}

const AUTH_PATH = /oauth2?\/(v2\.0\/)?token|\/ZoneInformation|\/login\/companyinfo/i;

export function breakdown(entries: LoggedRequest[]): CallBreakdown {
	const calls: CallBreakdown = {
		auth: 0,
		sourceReads: 0,
		targetReads: 0,
		targetWrites: 0,
		total: 0,
		byRoute: {},
	};
	for (const entry of entries) {
		const route = `${entry.vendor} ${entry.method} ${entry.path.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{id}')}`;
		calls.byRoute[route] = (calls.byRoute[route] ?? 0) + 1;
		if (AUTH_PATH.test(entry.path)) {
			calls.auth++;
			continue;
		}
		calls.total++;
		if (entry.vendor === 'graph') calls.sourceReads++;
		else if (entry.method === 'GET' || /\/query(\/next|\/count)?$/i.test(entry.path))
			calls.targetReads++;
		else calls.targetWrites++;
	}
	return calls;
}

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
	return { outputs, applied, errors, writerItems, calls: await env.callsSince(from), wallMs };
}

/** `ceil(N/999) + ceil(M/page max) + k`: every user and contact read once, one write per change. */
export function callBound(psa: Psa, users: number, contacts: number, writes: number): number {
	return Math.ceil(users / PAGE_MAX.graph) + Math.ceil(contacts / PAGE_MAX[psa]) + writes;
}

/** Calls a sequence of one-at-a-time reads takes, plus each writer node's writes at the allowed concurrency. */
export function sequentialSteps(
	psa: Psa,
	users: number,
	contacts: number,
	writerItems: Record<string, number>,
	auth: number,
): number {
	let steps = auth + Math.ceil(users / PAGE_MAX.graph) + Math.ceil(contacts / PAGE_MAX[psa]);
	for (const count of Object.values(writerItems)) steps += Math.ceil(count / WRITE_CONCURRENCY);
	return steps;
}

/**
 * Latency on every call of every vendor. Autotask's is spent inside its thread-limit window, so
 * the sandbox refuses a 4th concurrent request per endpoint as Autotask does.
 */
export function injectLatency(sandbox: Sandbox, ms: number): void {
	for (const vendor of ['graph', 'connectwise', 'datto'] as const)
		sandbox.faults.setLatency(vendor, ms);
	sandbox.autotask.config.requestDurationMs = ms;
	// The zone look-up is outside the thread-limited routes.
	sandbox.faults.add({ vendor: 'autotask', path: 'ZoneInformation', kind: 'slow', latencyMs: ms });
}

/** Every changed value landed in the PSA (read from the sandbox's state, not through our nodes). */
export function checkPsaState(sandbox: Sandbox, psa: Psa, data: SyncSeed): string[] {
	const problems: string[] = [];
	const digits = (value: unknown) => String(value ?? '').replace(/\D+/g, '');
	for (const [email, change] of data.expected) {
		let actual: string | undefined;
		if (psa === 'autotask') {
			const row = sandbox.autotask.contacts.find(
				(c) => String(c.emailAddress).toLowerCase() === email,
			);
			actual = row
				? String(row[change.field === 'mobile' ? 'mobilePhone' : change.field] ?? '')
				: undefined;
		} else {
			const row = sandbox.connectwise.contacts.find((c) =>
				(c.communicationItems ?? []).some((i) => String(i.value).toLowerCase() === email),
			);
			const items = (row?.communicationItems ?? []) as Array<{
				type?: { name?: string };
				value?: string;
			}>;
			const typeName = change.field === 'phone' ? 'Direct' : 'Cell';
			actual = !row
				? undefined
				: change.field === 'title'
					? String(row.title ?? '')
					: items.find((i) => i.type?.name === typeName)?.value;
		}
		const same =
			change.field === 'title' ? actual === change.value : digits(actual) === digits(change.value);
		if (!same)
			problems.push(
				`${email}: ${change.field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(change.value)}`,
			);
	}
	return problems;
}

// ------------------------------------------------------------------------------------------------
// Items 1 and 2: calls and wall time of the template sync

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

// ------------------------------------------------------------------------------------------------
// Item 6: the naive baseline

export interface NaiveResult {
	psa: Psa;
	users: number;
	/** Users looked up and written with latency, one call at a time as such scripts run. */
	slice: number;
	/** Calls of the user listing, and of the slice (measured). */
	listingCalls: CallBreakdown;
	sliceCalls: CallBreakdown;
	listingWallMs: number;
	sliceWallMs: number;
	/** Extrapolated to all users from the slice: listing + per-user calls (time) x users. */
	extrapolatedCalls: number;
	extrapolatedWallMs: number;
	/** The package's sync of the same data (first run): calls, and wall time with the same latency. */
	oursCalls: number;
	oursWallMs: number;
	callRatio: number;
	wallRatio: number;
	/** Autotask only: the extrapolated run's Autotask calls against the database's 10,000 requests per hour. */
	autotaskHourlyBudgetShare?: number;
}

interface NaiveClients {
	graph: GraphClient;
	autotask: AutotaskClient;
	connectwise: ConnectWiseClient;
}

function naiveClients(credentials: Sandbox['credentials']): NaiveClients {
	const graph = new DirectClient(new MicrosoftGraphAppApi(), {
		...credentials.microsoftGraphAppApi,
		accessToken: '',
	});
	const autotask = new DirectClient(new AutotaskApi(), {
		...credentials.autotaskApi,
		resolvedZone: '',
	});
	const connectwise = new DirectClient(new ConnectWiseManageApi(), {
		...credentials.connectWiseManageApi,
		codebase: '',
	});
	return {
		graph: new GraphClient(graph),
		// One thread, as a simple script runs.
		autotask: new AutotaskClient(autotask, { threadsPerEndpoint: 1 }),
		connectwise: new ConnectWiseClient(connectwise),
	};
}

/** The naive run's first step: every user, as canonical contacts (the package's Graph transport and mapper). */
async function naiveUsers(clients: NaiveClients) {
	return (await clients.graph.listUsers({ select: GRAPH_USER_SELECT }))
		.map((user) => graphUserToContact(user).contact)
		.filter((contact) => contact.active && contact.email);
}

/**
 * The sync as simple scripts write it: for each user, look its contact up by email and PUT the
 * whole record back with the Microsoft 365 values (or create it), one call after the other.
 */
async function naiveApply(
	clients: NaiveClients,
	psa: Psa,
	companyId: string,
	users: CanonicalContact[],
): Promise<void> {
	for (const user of users) {
		if (psa === 'autotask') {
			const [found] = await clients.autotask.query<AutotaskContact>('Contacts', {
				filter: [
					{ op: 'eq', field: 'companyID', value: Number(companyId) },
					contactEmailFilter([user.email]),
				],
			});
			const values = {
				firstName: user.firstName,
				lastName: user.lastName,
				title: user.title,
				phone: user.phone,
				mobilePhone: user.mobile,
				emailAddress: user.email,
			};
			if (found)
				await clients.autotask.request('PUT', companyContactsPath(companyId), {
					body: { ...found, ...values },
					idempotent: true,
				});
			else
				await clients.autotask.create(companyContactsPath(companyId), {
					...values,
					companyID: Number(companyId),
					isActive: 1,
				});
		} else {
			const [found] = await clients.connectwise.list<ConnectWiseContact>('/company/contacts', {
				conditions: cw.eq('company/id', Number(companyId)),
				childConditions: emailChildConditions([user.email]),
				limit: 1,
			});
			if (found) {
				const items = (found.communicationItems ?? []).map((item) => {
					const value =
						item.type?.name === 'Direct'
							? user.phone
							: item.type?.name === 'Cell'
								? user.mobile
								: item.value;
					return { ...item, value: value || item.value };
				});
				await clients.connectwise.put(`/company/contacts/${found.id}`, {
					...found,
					firstName: user.firstName,
					lastName: user.lastName,
					title: user.title,
					communicationItems: items,
				});
			} else {
				await clients.connectwise.create('/company/contacts', {
					firstName: user.firstName,
					lastName: user.lastName,
					title: user.title,
					company: { id: Number(companyId) },
				});
			}
		}
	}
}

/**
 * The naive sync with the same latency, in a sandbox process of its own: the listing in full, then
 * the first `slice` users; calls and time extrapolated to every user (they grow by exactly one
 * lookup and one write per user).
 */
export async function benchNaive(
	data: SyncSeed,
	options: {
		latencyMs: number;
		slice: number;
		ours: Record<Psa, { calls: number; wallMs: number }>;
	},
): Promise<NaiveResult[]> {
	const results: NaiveResult[] = [];
	for (const psa of PSAS) {
		const companyId = companyIdOf(psa, data.scenario);
		const remote = await RemoteSandbox.start({
			size: data.size,
			changeRate: data.changeRate,
			latencyMs: options.latencyMs,
		});
		try {
			const clients = naiveClients(remote.credentials);
			let started = performance.now();
			const users = await naiveUsers(clients);
			const listingWallMs = performance.now() - started;
			const listed = await remote.report();
			started = performance.now();
			const slice = users.slice(0, options.slice);
			await naiveApply(clients, psa, companyId, slice);
			const sliceWallMs = performance.now() - started;
			const sliceCalls = (await remote.report(listed.seq)).calls;
			const extrapolatedCalls =
				listed.calls.total + Math.round((sliceCalls.total / slice.length) * users.length);
			const extrapolatedWallMs = Math.round(
				listingWallMs + (sliceWallMs / slice.length) * users.length,
			);
			const ours = options.ours[psa];
			const result: NaiveResult = {
				psa,
				users: users.length,
				slice: slice.length,
				listingCalls: listed.calls,
				sliceCalls,
				listingWallMs: Math.round(listingWallMs),
				sliceWallMs: Math.round(sliceWallMs),
				extrapolatedCalls,
				extrapolatedWallMs,
				oursCalls: ours.calls,
				oursWallMs: ours.wallMs,
				callRatio: round(extrapolatedCalls / ours.calls, 1),
				wallRatio: round(extrapolatedWallMs / ours.wallMs, 1),
			};
			if (psa === 'autotask')
				result.autotaskHourlyBudgetShare = round(
					(extrapolatedCalls - listed.calls.sourceReads) / 10_000,
					3,
				);
			results.push(result);
		} finally {
			await remote.stop();
		}
	}
	return results;
}

export function round(value: number, digits = 2): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
