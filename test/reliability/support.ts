/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * Shared pieces of the reliability suite and the soak: the templates as a user sets them up,
 * a fresh sandbox per scenario (every fault run starts from the same seed as its no-fault twin),
 * fault profiles, a short client timeout, snapshots of the final vendor state and their diff,
 * and the secret scanner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { LoggerProxy } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	Logger,
} from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { DEFAULT_SEED_DIR, readSeed, startSandbox } from '../../sandbox/index';
import type { Sandbox, Seed } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import type { SandboxVendor } from '../../sandbox/core/types';
import { SANDBOX_IDENTITIES, sandboxSecrets } from '../../sandbox/credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { companyIdOf, setUpContactTemplate } from '../../dev/templates';
import { readScenario } from '../../sandbox/scenario';
import type { Scenario } from '../../sandbox/scenario';
import { runWorkflow, StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowDefinition, WorkflowResult } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';

export type { ContactRecord, Psa } from '../../dev/psaState';
export { psaContacts } from '../../dev/psaState';
import type { ContactRecord, Psa } from '../../dev/psaState';
export type Template = WorkflowDefinition & { id: string; nodes: INode[] };

export const WRITERS = [
	'Create Contact',
	'Update Contact',
	'Deactivate Contact',
	'Reactivate Contact',
] as const;
export const SYNC_FILES: Record<Psa, string> = {
	autotask: 'office365-to-autotask-contacts.json',
	connectwise: 'office365-to-connectwise-contacts.json',
};
export const ALERT_FILE = 'datto-rmm-alerts-to-autotask-tickets.json';

let cachedPkg: LoadedPackage | undefined;
export function pkg(): LoadedPackage {
	cachedPkg ??= loadSourcePackage();
	return cachedPkg;
}

let cachedSeed: Seed | undefined;
/** The shipped default seed, read once; every sandbox clones what it takes from it. */
export function defaultSeed(): Seed {
	cachedSeed ??= readSeed(DEFAULT_SEED_DIR);
	return cachedSeed;
}

/**
 * A template from workflows/, as a user imports it; the one-company contact templates (which
 * ship without a company or domains) set up for the default seed as their Setup note asks.
 */
export function readTemplate(file: string): Template {
	const template = JSON.parse(
		fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', file), 'utf8'),
	) as Template;
	const psa = (Object.keys(SYNC_FILES) as Psa[]).find((key) => SYNC_FILES[key] === file);
	if (!psa) return template;
	defaultScenario ??= readScenario(DEFAULT_SEED_DIR);
	return setUpContactTemplate(template, {
		companyId: companyIdOf(psa, defaultScenario),
		domains: defaultScenario.contactSync.domains,
	});
}

let defaultScenario: Scenario | undefined;

/** The company picked on the template's Contact Reconcile node. */
export function companyOf(template: Template): string {
	const picked = template.nodes.find((node) => node.name === 'Contact Reconcile')!.parameters
		.companyId as IDataObject | string;
	return String(typeof picked === 'object' ? picked.value : picked);
}

/** A copy of the template with some parameters of one node replaced. */
export function withParameters(
	template: Template,
	nodeName: string,
	parameters: IDataObject,
): Template {
	const copy = structuredClone(template);
	const node = copy.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`No node "${nodeName}" in ${template.name ?? template.id}`);
	node.parameters = { ...node.parameters, ...parameters } as INode['parameters'];
	return copy;
}

// ---------------------------------------------------------------------------------------------
// Sandboxes and credentials

export async function withSandbox<T>(
	work: (sandbox: Sandbox) => Promise<T>,
	options: { seed?: Seed; faultSeed?: number } = {},
): Promise<T> {
	const sandbox = await startSandbox({
		seed: options.seed ?? defaultSeed(),
		faultSeed: options.faultSeed,
	});
	// The Datto sandbox slows reads near its rate window; the suite is about faults, not that.
	sandbox.datto.config.cutoffDelayMs = 0;
	try {
		return await work(sandbox);
	} finally {
		await sandbox.stop();
	}
}

/**
 * The credential types with every API request's client timeout capped at `timeoutMs`: the
 * nodes ask n8n for 120 s, far too long for a test of a hanging server. The cap is applied where
 * n8n applies the credential (authenticate), so the real request path is unchanged otherwise.
 */
export function credentialTypesWithTimeout(
	types: Record<string, ICredentialType>,
	timeoutMs: number,
): Record<string, ICredentialType> {
	const out: Record<string, ICredentialType> = {};
	for (const [name, type] of Object.entries(types)) {
		const original = type.authenticate;
		if (typeof original !== 'function') {
			out[name] = type;
			continue;
		}
		const wrapped = Object.create(Object.getPrototypeOf(type) as object) as ICredentialType;
		Object.assign(wrapped, type);
		wrapped.authenticate = async (
			credentials: ICredentialDataDecryptedObject,
			options: IHttpRequestOptions,
		) => {
			const authenticated = await original.call(type, credentials, options);
			return { ...authenticated, timeout: Math.min(authenticated.timeout ?? Infinity, timeoutMs) };
		};
		out[name] = wrapped;
	}
	return out;
}

export function credentialStore(
	sandbox: Sandbox,
	options: { timeoutMs?: number } = {},
): CredentialStore {
	const types = options.timeoutMs
		? credentialTypesWithTimeout(pkg().credentialTypes, options.timeoutMs)
		: pkg().credentialTypes;
	return new CredentialStore(types, sandbox.credentials);
}

// ---------------------------------------------------------------------------------------------
// Faults

export type FaultProfile =
	| 'throttled'
	| 'serverErrors'
	| 'resets'
	| 'resetsAfterWrite'
	| 'timeouts'
	| 'slow'
	| 'truncated';

export const FAULT_PROFILES: FaultProfile[] = [
	'throttled',
	'serverErrors',
	'resets',
	'resetsAfterWrite',
	'timeouts',
	'slow',
	'truncated',
];

/**
 * Client timeout used with the `timeouts` profile; the server hangs longer than this. Seconds,
 * not milliseconds: on a loaded machine an ordinary answer can take longer than 500 ms, and every
 * such answer would become one more timeout on top of the injected ones until retries ran out.
 */
export const TEST_TIMEOUT_MS = 2_000;
const HANG_MS = 4_000;

/**
 * Rules for one profile at `rate` of the calls to `vendors` (token and zone look-ups included:
 * they fail in production too). Retry-After values stay at 0-1 s.
 */
export function faultRules(
	profile: FaultProfile,
	vendors: SandboxVendor[],
	rate = 0.1,
): FaultRule[] {
	const rules: FaultRule[] = [];
	for (const vendor of vendors) {
		switch (profile) {
			case 'throttled':
				rules.push({ vendor, kind: 'status', status: 429, retryAfterSeconds: 1, rate: rate * 0.2 });
				rules.push({
					vendor,
					kind: 'status',
					status: 429,
					retryAfterSeconds: 0,
					rate: (rate * 0.8) / (1 - rate * 0.2),
				});
				break;
			case 'serverErrors':
				// 503 and, where the vendor's 500 means "temporary" rather than "refused", 500.
				// Autotask answers validation failures with 500, so its 500 is a separate scenario.
				rules.push({
					vendor,
					kind: 'status',
					status: 503,
					retryAfterSeconds: 0,
					rate: vendor === 'autotask' ? rate : rate / 2,
				});
				if (vendor !== 'autotask')
					rules.push({
						vendor,
						kind: 'status',
						status: 500,
						body: { message: 'Injected server error' },
						rate: rate / 2 / (1 - rate / 2),
					});
				break;
			case 'resets':
				rules.push({ vendor, kind: 'reset', rate });
				break;
			case 'resetsAfterWrite':
				// The vendor acts, the answer is lost: only writes matter here, reads get plain resets.
				rules.push({ vendor, kind: 'resetAfter', method: 'POST', rate });
				rules.push({ vendor, kind: 'resetAfter', method: 'PATCH', rate });
				rules.push({ vendor, kind: 'resetAfter', method: 'PUT', rate });
				rules.push({ vendor, kind: 'reset', method: 'GET', rate });
				break;
			case 'timeouts':
				rules.push({ vendor, kind: 'hang', hangMs: HANG_MS, rate });
				break;
			case 'slow':
				rules.push({ vendor, kind: 'slow', latencyMs: 150, rate });
				break;
			case 'truncated':
				// Half the answer, then the connection cut (after the vendor acted).
				rules.push({ vendor, kind: 'truncate', rate });
				break;
		}
	}
	return rules;
}

export function injectFaults(sandbox: Sandbox, rules: FaultRule[]): void {
	for (const rule of rules) sandbox.faults.add(rule);
}

// ---------------------------------------------------------------------------------------------
// Running the templates

export interface SyncRun {
	result: WorkflowResult;
	/** Plan items per Contact Reconcile output. */
	planned: Record<'create' | 'update' | 'deactivate' | 'reactivate', number>;
	applied: number;
	/** Error items of the writer nodes (continue on error), with the plan item each came from. */
	writeErrors: Array<{ node: string; error: string; plan?: IDataObject }>;
}

export async function runSync(
	sandbox: Sandbox,
	credentials: CredentialStore,
	staticData: StaticDataStore,
	workflow: Template,
	mode: 'trigger' | 'manual' = 'trigger',
): Promise<SyncRun> {
	const result = await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow,
		startNode: mode === 'trigger' ? 'Every Hour' : 'Sync Now',
		mode,
		staticData,
	});
	const planned = {
		create: result.items('Contact Reconcile', 0).length,
		update: result.items('Contact Reconcile', 1).length,
		deactivate: result.items('Contact Reconcile', 2).length,
		reactivate: result.items('Contact Reconcile', 3).length,
	};
	const writeErrors: SyncRun['writeErrors'] = [];
	let applied = 0;
	WRITERS.forEach((writer, output) => {
		const plans = result.json('Contact Reconcile', output);
		for (const item of result.items(writer)) {
			if (item.json.applied === true) applied++;
			if (item.json.error === undefined) continue;
			const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
			const index = typeof paired === 'object' && paired ? paired.item : undefined;
			writeErrors.push({
				node: writer,
				error: String(item.json.error),
				plan: index === undefined ? undefined : plans[index],
			});
		}
	});
	void sandbox;
	return { result, planned, applied, writeErrors };
}

export function totalPlanned(run: SyncRun): number {
	return run.planned.create + run.planned.update + run.planned.deactivate + run.planned.reactivate;
}

export async function deliverWebhook(
	sandbox: Sandbox,
	credentials: CredentialStore,
	workflow: Template,
	body: unknown,
): Promise<WorkflowResult> {
	return await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow,
		startNode: 'Datto RMM Webhook',
		mode: 'webhook',
		input: [sandbox.datto.webhookItem(body) as unknown as IDataObject],
	});
}

export async function runAlertSync(
	credentials: CredentialStore,
	workflow: Template,
): Promise<WorkflowResult> {
	return await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow,
		startNode: 'Every 15 Minutes',
		mode: 'trigger',
	});
}

/** Every output item of one node over all its outputs. */
export function allJson(result: WorkflowResult, node: string, outputs = 4): IDataObject[] {
	return Array.from({ length: outputs }, (_, index) => result.json(node, index)).flat();
}

// ---------------------------------------------------------------------------------------------
// Final state: snapshots and the diff against the no-fault run

const CONTACT_FIELDS = ['firstName', 'lastName', 'title', 'phone', 'mobile'] as const;

export interface ContactDiff {
	/** Contacts beyond the no-fault run's for the same address (or created more than once). */
	duplicates: string[];
	/** Values or contacts the no-fault run wrote that this run's final state lacks. */
	lostWrites: string[];
	/** Fields that held a value in the seed and are blank now. */
	blankOverwrites: string[];
	/** Anything else that differs (values the no-fault run did not write). */
	other: string[];
}

function contactSignature(contact: ContactRecord): string {
	return JSON.stringify({ ...contact, id: undefined });
}

/**
 * Compares the final contacts of a faulty run with the no-fault run's (same seed): seed contacts
 * by id, contacts created by the sync by their addresses (their ids depend on timing).
 */
export function diffContacts(
	seedContacts: ContactRecord[],
	clean: ContactRecord[],
	faulty: ContactRecord[],
): ContactDiff {
	const diff: ContactDiff = { duplicates: [], lostWrites: [], blankOverwrites: [], other: [] };
	const seedIds = new Set(seedContacts.map((c) => c.id));
	const faultyById = new Map(faulty.map((c) => [c.id, c]));
	for (const expected of clean.filter((c) => seedIds.has(c.id))) {
		const actual = faultyById.get(expected.id);
		if (!actual) {
			diff.lostWrites.push(`contact ${expected.id} is gone`);
			continue;
		}
		for (const field of [...CONTACT_FIELDS, 'active', 'emails'] as const) {
			const want = JSON.stringify(expected[field]);
			const got = JSON.stringify(actual[field]);
			if (want !== got)
				diff.lostWrites.push(`contact ${expected.id} ${field}: ${got} instead of ${want}`);
		}
	}
	for (const seeded of seedContacts) {
		const now = faultyById.get(seeded.id);
		if (!now) continue;
		for (const field of CONTACT_FIELDS)
			if (seeded[field] && !now[field])
				diff.blankOverwrites.push(`contact ${seeded.id} ${field} was "${seeded[field]}"`);
		// An address may be replaced (the user's address changed); none left is a blank overwrite.
		if (seeded.emails.length && !now.emails.length)
			diff.blankOverwrites.push(
				`contact ${seeded.id} has no address left (was ${seeded.emails.join(', ')})`,
			);
	}
	const created = (list: ContactRecord[]) => list.filter((c) => !seedIds.has(c.id));
	const cleanCreated = new Map<string, ContactRecord[]>();
	for (const c of created(clean))
		cleanCreated.set(c.emails[0] ?? '', [...(cleanCreated.get(c.emails[0] ?? '') ?? []), c]);
	const faultyCreated = new Map<string, ContactRecord[]>();
	for (const c of created(faulty))
		faultyCreated.set(c.emails[0] ?? '', [...(faultyCreated.get(c.emails[0] ?? '') ?? []), c]);
	for (const [email, expected] of cleanCreated) {
		const actual = faultyCreated.get(email) ?? [];
		if (actual.length < expected.length)
			diff.lostWrites.push(
				`${expected.length - actual.length} contact(s) for ${email} never created`,
			);
		if (actual.length > expected.length)
			diff.duplicates.push(`${actual.length - expected.length} extra contact(s) for ${email}`);
		const signatures = new Set(actual.map(contactSignature));
		for (const want of expected)
			if (actual.length && !signatures.has(contactSignature(want)))
				diff.lostWrites.push(
					`created contact for ${email} differs: ${JSON.stringify(actual[0])} instead of ${JSON.stringify(want)}`,
				);
	}
	for (const [email, actual] of faultyCreated) {
		if (!cleanCreated.has(email))
			diff.duplicates.push(
				`${actual.length} contact(s) for ${email} that the no-fault run never created`,
			);
	}
	// Duplicates by address across the whole company, whatever their origin.
	const owners = new Map<string, number>();
	const cleanOwners = new Map<string, number>();
	for (const c of faulty) for (const e of c.emails) owners.set(e, (owners.get(e) ?? 0) + 1);
	for (const c of clean)
		for (const e of c.emails) cleanOwners.set(e, (cleanOwners.get(e) ?? 0) + 1);
	for (const [email, count] of owners) {
		const expected = cleanOwners.get(email) ?? 0;
		if (count > expected && !diff.duplicates.some((d) => d.includes(email)))
			diff.duplicates.push(`${email} on ${count} contacts, ${expected} without faults`);
	}
	return diff;
}

export function diffSize(diff: ContactDiff | TicketDiff): number {
	return Object.values(diff).reduce((sum: number, list: string[]) => sum + list.length, 0);
}

/**
 * The alert tickets (and their notes) as comparable records: by problem (site, device, monitor
 * and detail), not by id, and not by the alert the ticket tracks (when the first alert of a
 * problem fails to ticket, a later alert of the same problem rightly opens the one ticket).
 */
export interface TicketRecord {
	key: string;
	status: string;
	companyID: string;
	title: string;
	notes: string[];
}

export function alertTicketRecords(sandbox: Sandbox): TicketRecord[] {
	const notes = new Map<number, string[]>();
	for (const note of sandbox.autotask.ticketNotes) {
		const list = notes.get(Number(note.ticketID)) ?? [];
		list.push(String(note.title ?? ''));
		notes.set(Number(note.ticketID), list);
	}
	return sandbox.autotask.tickets
		.filter((ticket) => parseAlertKey(ticket.externalID))
		.map((ticket) => ({
			key: `${parseAlertKey(ticket.externalID)!.problemPrefix}${parseAlertKey(ticket.externalID)!.storm ? ` (${parseAlertKey(ticket.externalID)!.storm} storm)` : ''}`,
			status: String(ticket.status),
			companyID: String(ticket.companyID),
			title: String(ticket.title ?? ''),
			notes: (notes.get(Number(ticket.id)) ?? []).sort(),
		}))
		.sort((a, b) => a.key.localeCompare(b.key) || a.status.localeCompare(b.status));
}

export interface TicketDiff {
	duplicates: string[];
	lostWrites: string[];
	/** Another company than without faults. */
	other: string[];
	/** Another title: the ticket tracks a later alert of the same problem (its first alert failed to ticket). */
	retitled: string[];
}

export function diffTickets(clean: TicketRecord[], faulty: TicketRecord[]): TicketDiff {
	const diff: TicketDiff = { duplicates: [], lostWrites: [], other: [], retitled: [] };
	const group = (list: TicketRecord[]) => {
		const map = new Map<string, TicketRecord[]>();
		for (const t of list) map.set(t.key, [...(map.get(t.key) ?? []), t]);
		return map;
	};
	const want = group(clean);
	const got = group(faulty);
	for (const [key, expected] of want) {
		const actual = got.get(key) ?? [];
		if (actual.length < expected.length) diff.lostWrites.push(`ticket ${key} missing`);
		if (actual.length > expected.length)
			diff.duplicates.push(`${actual.length - expected.length} extra ticket(s) ${key}`);
		for (const [i, e] of expected.entries()) {
			const a = actual[i];
			if (!a) continue;
			if (a.status !== e.status)
				diff.lostWrites.push(`ticket ${key} status ${a.status} instead of ${e.status}`);
			if (a.notes.length < e.notes.length)
				diff.lostWrites.push(
					`ticket ${key} has ${a.notes.length} notes instead of ${e.notes.length}`,
				);
			if (a.notes.length > e.notes.length)
				diff.duplicates.push(
					`ticket ${key} has ${a.notes.length} notes instead of ${e.notes.length}`,
				);
			if (a.companyID !== e.companyID)
				diff.other.push(`ticket ${key}: company ${a.companyID} instead of ${e.companyID}`);
			if (a.title !== e.title)
				diff.retitled.push(`ticket ${key}: "${a.title}" instead of "${e.title}"`);
		}
	}
	for (const [key, actual] of got)
		if (!want.has(key))
			diff.duplicates.push(`${actual.length} ticket(s) ${key} the no-fault run never opened`);
	return diff;
}

// ---------------------------------------------------------------------------------------------
// Secrets

/**
 * Every value that must never leave the credential: the sandbox's recognisable secrets, the
 * Basic header ConnectWise gets, and each token the sandbox issued so far.
 */
export function secretsOf(sandbox: Sandbox, extra: string[] = []): string[] {
	const cw = SANDBOX_IDENTITIES.connectwise;
	const basic = Buffer.from(`${cw.companyId}+${cw.publicKey}:${cw.privateKey}`).toString('base64');
	return [
		...sandboxSecrets(),
		basic,
		...sandbox.graph.tokens.keys(),
		...sandbox.datto.tokens.keys(),
		...extra,
	].filter((secret) => secret.length >= 6);
}

/** Every string reachable from `value`, Error properties (message, stack, cause...) included. */
export function reachableStrings(
	value: unknown,
	out: string[] = [],
	seen = new Set<unknown>(),
): string[] {
	if (typeof value === 'string') {
		out.push(value);
		return out;
	}
	if (value === null || typeof value !== 'object' || seen.has(value)) return out;
	seen.add(value);
	if (value instanceof Map) {
		for (const [k, v] of value) {
			reachableStrings(k, out, seen);
			reachableStrings(v, out, seen);
		}
		return out;
	}
	const keys = new Set<string>(Object.keys(value));
	if (value instanceof Error)
		for (const key of ['message', 'stack', 'cause', 'description', 'context', 'errorResponse'])
			keys.add(key);
	for (const key of keys) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		reachableStrings(child, out, seen);
	}
	return out;
}

/** Where a secret (or its URL/base64 encoding) shows up in `value`; [] when nowhere. */
export function findSecrets(value: unknown, secrets: string[]): string[] {
	const forms = secrets.flatMap((secret) => [
		secret,
		encodeURIComponent(secret),
		Buffer.from(secret).toString('base64'),
	]);
	const hits: string[] = [];
	for (const text of reachableStrings(value)) {
		for (const form of forms) {
			if (form.length >= 6 && text.includes(form))
				hits.push(`"${form.slice(0, 6)}…" in ${JSON.stringify(text.slice(0, 120))}`);
		}
	}
	return hits;
}

/** Requests that carried a secret to a vendor outside the token and zone endpoints (query, path or body). */
export function secretsInRequests(sandbox: Sandbox, secrets: string[]): string[] {
	const entries = sandbox.log.entries.filter(
		(entry) => !/oauth|\/token|\/auth\//i.test(entry.path),
	);
	return findSecrets(
		entries.map((entry) => ({ path: entry.path, query: entry.query, body: entry.body })),
		secrets,
	);
}

/** n8n's log lines, captured: LoggerProxy (n8n-workflow) and the DI logger node contexts use. */
export class CapturedLog {
	readonly lines: Array<{ level: string; message: string; meta?: unknown }> = [];

	readonly logger: Logger = {
		error: (message: string, meta?: object) => this.lines.push({ level: 'error', message, meta }),
		warn: (message: string, meta?: object) => this.lines.push({ level: 'warn', message, meta }),
		info: (message: string, meta?: object) => this.lines.push({ level: 'info', message, meta }),
		debug: (message: string, meta?: object) => this.lines.push({ level: 'debug', message, meta }),
		scoped: () => this.logger,
	} as unknown as Logger;

	install(): this {
		LoggerProxy.init(this.logger);
		return this;
	}
}

export function sum(values: number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

export { StaticDataStore };
