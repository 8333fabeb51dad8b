/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * `npm run soak`: a longer run of the package's two jobs under faults, against the sandbox.
 *
 * - Contact sync: several rounds of both templates (Microsoft 365 → Autotask and → ConnectWise)
 *   while the tenant changes between rounds (titles, phones, new, disabled, deleted and returning
 *   users). A twin sandbox from the same seed gets the same changes without faults; after every
 *   round both PSAs must hold the same contacts.
 * - Alerts: thousands of Datto RMM alerts, each delivered as its own execution of the alert
 *   template (some twice, some at once, some resolved before their raise arrives), then resolved.
 *   Expected per alert: one ticket, completed when resolved, none when the resolve came first.
 *
 * Faults at `--rate` of the calls to every vendor: 429 with Retry-After, 500/503, resets before
 * and after the vendor acted, hangs past the client timeout, slow answers, answers cut in half. A run that fails is
 * run again without changes, as an operator would. Prints requests, faults, runs, records
 * written, duplicates, lost writes and leaked secrets; exits 1 if any of the last three is not 0.
 *
 *   --alerts N       alerts (default 2000)
 *   --rounds N       contact sync rounds (default 4)
 *   --rate R         fault rate per call, 0..1 (default 0.1)
 *   --concurrency N  alert executions at once (default 16)
 *   --seed N         fault dice and tenant churn (default 7)
 *   --timeout MS     client timeout; hangs last twice as long (default 1000)
 */
import type { IDataObject } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { mapWithConcurrency } from '../../lib/transport/limiter';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import type { SandboxVendor } from '../../sandbox/core/types';
import type { WorkflowResult } from '../../dev/runner/engine';
import {
	ALERT_FILE,
	allJson,
	CapturedLog,
	companyOf,
	credentialStore,
	defaultSeed,
	deliverWebhook,
	diffContacts,
	findSecrets,
	psaContacts,
	readTemplate,
	runAlertSync,
	runSync,
	secretsInRequests,
	secretsOf,
	StaticDataStore,
	SYNC_FILES,
	withParameters,
} from './support';
import type { ContactRecord, Psa } from './support';

interface Options {
	alerts: number;
	rounds: number;
	rate: number;
	concurrency: number;
	seed: number;
	timeoutMs: number;
}

const out = (text = '') => process.stdout.write(`${text}\n`);

function parseArgs(argv: string[]): Options {
	const options: Options = {
		alerts: 2000,
		rounds: 4,
		rate: 0.1,
		concurrency: 16,
		seed: 7,
		timeoutMs: 1000,
	};
	const names: Record<string, keyof Options> = {
		'--alerts': 'alerts',
		'--rounds': 'rounds',
		'--rate': 'rate',
		'--concurrency': 'concurrency',
		'--seed': 'seed',
		'--timeout': 'timeoutMs',
	};
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--help' || argv[i] === '-h') {
			out(
				'Usage: npm run soak -- [--alerts N] [--rounds N] [--rate R] [--concurrency N] [--seed N] [--timeout MS]',
			);
			process.exit(0);
		}
		const key = names[argv[i]];
		const value = Number(argv[i + 1]);
		if (!key || !Number.isFinite(value) || value < 0)
			throw new Error(`Unknown or bad argument "${argv[i]} ${argv[i + 1] ?? ''}"; see --help`);
		options[key] = value;
		i++;
	}
	if (options.rate > 1) throw new Error('--rate is a share of the calls, 0..1');
	return options;
}

/** mulberry32, for the tenant churn (the fault dice are the sandbox's own). */
function random(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Every fault kind, together at `rate` of the calls to each vendor. */
function faultMix(rate: number, timeoutMs: number): FaultRule[] {
	const vendors: SandboxVendor[] = ['autotask', 'connectwise', 'graph', 'datto'];
	const share = rate / 9;
	// Each rule rolls only for calls the rules before it let through.
	let left = 1;
	const rules: FaultRule[] = [];
	const add = (rule: Omit<FaultRule, 'rate'>) => {
		rules.push({ ...rule, rate: share / left });
		left -= share;
	};
	for (const vendor of vendors) {
		left = 1;
		add({ vendor, kind: 'status', status: 429, retryAfterSeconds: 1 });
		add({ vendor, kind: 'status', status: 429, retryAfterSeconds: 0 });
		add({ vendor, kind: 'status', status: 503, retryAfterSeconds: 0 });
		// Autotask's 500 is a refusal, not a hiccup (it is not retried); the others' 500s are.
		add(
			vendor === 'autotask'
				? { vendor, kind: 'status', status: 503 }
				: { vendor, kind: 'status', status: 500, body: { message: 'Injected server error' } },
		);
		add({ vendor, kind: 'reset' });
		add({ vendor, kind: 'resetAfter' });
		add({ vendor, kind: 'hang', hangMs: timeoutMs * 2 });
		add({ vendor, kind: 'slow', latencyMs: Math.round(timeoutMs / 4) });
		add({ vendor, kind: 'truncate' });
	}
	return rules;
}

function relaxLimits(sandbox: Sandbox): void {
	// The soak is about faults, not about the vendors' hourly and per-minute budgets (their own
	// tests cover those): thousands of alerts would otherwise wait out Datto's 600 reads a minute.
	sandbox.datto.config.readLimit = 1_000_000;
	sandbox.datto.config.writeLimit = 1_000_000;
	sandbox.datto.config.cutoffDelayMs = 0;
	sandbox.autotask.config.hourlyLimit = 10_000_000;
}

interface Tally {
	runs: number;
	reruns: number;
	duplicates: string[];
	lostWrites: string[];
	leaks: string[];
	failedRuns: string[];
}

function checkLeaks(tally: Tally, sandbox: Sandbox, value: unknown): void {
	const hits = findSecrets(value, secretsOf(sandbox));
	if (hits.length) tally.leaks.push(...hits.slice(0, 5));
}

// ---------------------------------------------------------------------------------------------
// Contact sync rounds

/** The same change to the tenant of both sandboxes, drawn from one seeded sequence per round. */
function churn(sandboxes: Sandbox[], round: number, seed: number): string {
	const dice = random(seed * 1000 + round);
	const users = sandboxes[0].graph
		.users()
		.filter((user) => /@contoso(retail)?\.com$/i.test(String(user.mail ?? '')))
		.sort((a, b) => String(a.id).localeCompare(String(b.id)));
	const enabled = users.filter((user) => user.accountEnabled !== false);
	const pick = (list: typeof users) => list[Math.floor(dice() * list.length)];
	const changes: Array<(sandbox: Sandbox) => void> = [];
	const described: string[] = [];
	for (let i = 0; i < 8; i++) {
		const user = pick(enabled);
		const title = `Title ${round}-${i}`;
		changes.push((sandbox) => sandbox.graph.updateUser(String(user.id), { jobTitle: title }));
	}
	for (let i = 0; i < 5; i++) {
		const user = pick(enabled);
		const phone = `+1 425 555 ${String(1000 + Math.floor(dice() * 8999))}`;
		changes.push((sandbox) =>
			sandbox.graph.updateUser(String(user.id), { businessPhones: [phone] }),
		);
	}
	described.push('8 titles', '5 phones');
	const disabled = pick(enabled);
	changes.push((sandbox) => sandbox.graph.disableUser(String(disabled.id)));
	const back = users.find((user) => user.accountEnabled === false && user.id !== disabled.id);
	if (back)
		changes.push((sandbox) => sandbox.graph.updateUser(String(back.id), { accountEnabled: true }));
	const deleted = pick(enabled.filter((user) => user.id !== disabled.id));
	changes.push((sandbox) => sandbox.graph.deleteUser(String(deleted.id), { permanent: true }));
	described.push('1 disabled', back ? '1 enabled again' : '', '1 deleted');
	const template = enabled[0];
	for (let i = 0; i < 3; i++) {
		const key = `soak.r${round}.n${i}`;
		const user = {
			...structuredClone(template),
			id: `5a0a${String(round).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
			displayName: `Soak R${round} N${i}`,
			givenName: 'Soak',
			surname: `R${round} N${i}`,
			mail: `${key}@contoso.com`,
			userPrincipalName: `${key}@contoso.com`,
			proxyAddresses: [`SMTP:${key}@contoso.com`],
			otherMails: [],
			jobTitle: `New ${round}`,
		};
		changes.push((sandbox) => sandbox.graph.addUser(structuredClone(user)));
	}
	described.push('3 new');
	for (const sandbox of sandboxes) for (const change of changes) change(sandbox);
	return described.filter(Boolean).join(', ');
}

async function soakSync(
	options: Options,
	tally: Tally,
	faulty: Sandbox,
	log: CapturedLog,
): Promise<{ rounds: string[] }> {
	const twin = await startSandbox({ seed: defaultSeed() });
	relaxLimits(twin);
	const rounds: string[] = [];
	try {
		const faultyCredentials = credentialStore(faulty, { timeoutMs: options.timeoutMs });
		const twinCredentials = credentialStore(twin);
		const stores = {
			faulty: { autotask: new StaticDataStore(), connectwise: new StaticDataStore() },
			twin: { autotask: new StaticDataStore(), connectwise: new StaticDataStore() },
		};
		const seedContacts: Record<Psa, ContactRecord[]> = { autotask: [], connectwise: [] };
		for (const psa of ['autotask', 'connectwise'] as const)
			seedContacts[psa] = psaContacts(faulty, psa, companyOf(readTemplate(SYNC_FILES[psa])));

		for (let round = 1; round <= options.rounds; round++) {
			const change = round === 1 ? 'first sync' : churn([faulty, twin], round, options.seed);
			const line: string[] = [];
			for (const psa of ['autotask', 'connectwise'] as const) {
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const reference = await runSync(twin, twinCredentials, stores.twin[psa], template);
				if (reference.result.status !== 'success' || reference.writeErrors.length)
					throw new Error(
						`The no-fault twin failed in round ${round} (${psa}): ${reference.result.error?.message ?? reference.writeErrors[0]?.error}`,
					);
				let run = await runSync(faulty, faultyCredentials, stores.faulty[psa], template);
				tally.runs++;
				checkLeaks(tally, faulty, [run.result.error, run.result.run]);
				// A run that did not finish is run again, as an operator would (or the next schedule).
				for (
					let again = 0;
					(run.result.status !== 'success' || run.writeErrors.length) && again < 3;
					again++
				) {
					tally.failedRuns.push(
						`sync round ${round} ${psa}: ${run.result.error?.message ?? run.writeErrors[0]?.error}`,
					);
					tally.reruns++;
					run = await runSync(faulty, faultyCredentials, stores.faulty[psa], template);
					tally.runs++;
					checkLeaks(tally, faulty, [run.result.error, run.result.run]);
				}
				const diff = diffContacts(
					seedContacts[psa],
					psaContacts(twin, psa, company),
					psaContacts(faulty, psa, company),
				);
				tally.duplicates.push(...diff.duplicates.map((d) => `${psa} round ${round}: ${d}`));
				tally.lostWrites.push(
					...[...diff.lostWrites, ...diff.blankOverwrites, ...diff.other].map(
						(d) => `${psa} round ${round}: ${d}`,
					),
				);
				line.push(
					`${psa} planned ${reference.planned.create}/${reference.planned.update}/${reference.planned.deactivate}/${reference.planned.reactivate}`,
				);
			}
			rounds.push(
				`  round ${round} (${change}): ${line.join('; ')} (create/update/deactivate/reactivate)`,
			);
			out(rounds[rounds.length - 1]);
		}
	} finally {
		await twin.stop();
	}
	void log;
	return { rounds };
}

// ---------------------------------------------------------------------------------------------
// Alerts

interface Planned {
	uid: string;
	/** Delivered before its raise (Datto already resolved it): no ticket. */
	resolveFirst: boolean;
	resolved: boolean;
	/** Deliveries of the raise: 1, or 2-3 (some at once). */
	raises: number;
}

async function soakAlerts(
	options: Options,
	tally: Tally,
	sandbox: Sandbox,
): Promise<{ planned: Planned[]; failures: number }> {
	const credentials = credentialStore(sandbox, { timeoutMs: options.timeoutMs });
	// Every alert its own problem: the storm guard (tested on its own) stays out of the count.
	const template = withParameters(readTemplate(ALERT_FILE), 'RMM Alert to Ticket', {
		options: { stormPerDevice: 0, stormPerSite: 0 },
	});
	const dice = random(options.seed);
	const devices = sandbox.datto.devices.filter((device) => device.siteUid);
	const planned: Planned[] = [];
	for (let i = 0; i < options.alerts; i++) {
		const device = devices[i % devices.length];
		const uid = `50a4${String(options.seed).padStart(4, '0')}-${String(Math.floor(i / 1e8)).padStart(4, '0')}-4000-8000-${String(i).padStart(12, '0')}`;
		sandbox.datto.raiseAlert({
			alertUid: uid,
			deviceUid: device.uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: `Soak${i}`, status: 'STOPPED' },
		});
		const roll = dice();
		planned.push({
			uid,
			resolveFirst: roll < 0.05,
			resolved: roll < 0.55,
			raises: roll > 0.9 ? 2 + Math.floor(dice() * 2) : 1,
		});
	}

	let failures = 0;
	const deliver = async (uid: string, event: 'raised' | 'resolved') => {
		const body = sandbox.datto.webhookBody(uid, event);
		for (let attempt = 0; attempt < 4; attempt++) {
			const result: WorkflowResult = await deliverWebhook(sandbox, credentials, template, body);
			tally.runs++;
			if (attempt > 0) tally.reruns++;
			checkLeaks(tally, sandbox, [result.error, result.run]);
			const outcome = allJson(result, 'RMM Alert to Ticket')[0] ?? {};
			if (
				result.status === 'success' &&
				outcome.error === undefined &&
				outcome.decision !== undefined
			)
				return outcome;
			failures++;
			tally.failedRuns.push(
				`alert ${uid} ${event}: ${String(result.error?.message ?? outcome.error ?? 'no outcome')}`,
			);
		}
		return undefined;
	};

	// Resolves that overtake their raise.
	await mapWithConcurrency(planned.length, options.concurrency, async (i) => {
		const alert = planned[i];
		if (!alert.resolveFirst) return;
		sandbox.datto.resolveAlert(alert.uid, 'Auto-resolve', { webhook: false });
		await deliver(alert.uid, 'resolved');
	});
	// The raises, repeated deliveries at once.
	await mapWithConcurrency(planned.length, options.concurrency, async (i) => {
		const alert = planned[i];
		await Promise.all(
			Array.from({ length: alert.raises }, async () => await deliver(alert.uid, 'raised')),
		);
	});
	// The resolves.
	await mapWithConcurrency(planned.length, options.concurrency, async (i) => {
		const alert = planned[i];
		if (!alert.resolved || alert.resolveFirst) return;
		sandbox.datto.resolveAlert(alert.uid, 'Auto-resolve', { webhook: false });
		await deliver(alert.uid, 'resolved');
	});
	// The backstop, as scheduled in the template.
	const sync = await runAlertSync(credentials, template);
	tally.runs++;
	checkLeaks(tally, sandbox, [sync.error, sync.run]);

	const byAlert = new Map<string, IDataObject[]>();
	for (const ticket of sandbox.autotask.tickets as IDataObject[]) {
		const uid = parseAlertKey(ticket.externalID)?.alertUid;
		if (uid) byAlert.set(uid, [...(byAlert.get(uid) ?? []), ticket]);
	}
	for (const alert of planned) {
		const tickets = byAlert.get(alert.uid) ?? [];
		const open = tickets.filter((t) => String(t.status) !== '5');
		const leftOver = tickets.filter(
			(t) => String(t.status) === '5' && !/^Duplicate of ticket/.test(String(t.resolution ?? '')),
		);
		if (alert.resolveFirst) {
			if (tickets.length)
				tally.duplicates.push(
					`alert ${alert.uid} resolved before its raise got ${tickets.length} ticket(s)`,
				);
			continue;
		}
		if (alert.resolved) {
			if (open.length)
				tally.lostWrites.push(`alert ${alert.uid} resolved, ${open.length} ticket(s) still open`);
			if (leftOver.length === 0)
				tally.lostWrites.push(`alert ${alert.uid} resolved, no completed ticket`);
			if (leftOver.length > 1)
				tally.duplicates.push(`alert ${alert.uid}: ${leftOver.length} tickets`);
		} else {
			if (open.length === 0) tally.lostWrites.push(`alert ${alert.uid} open, no open ticket`);
			if (open.length > 1) tally.duplicates.push(`alert ${alert.uid}: ${open.length} open tickets`);
		}
		// Notes on the ticket that stayed (a race duplicate closed into it keeps its own).
		for (const ticket of tickets.filter(
			(t) => !/^Duplicate of ticket/.test(String(t.resolution ?? '')),
		)) {
			const titles = (sandbox.autotask.ticketNotes as IDataObject[])
				.filter((note) => Number(note.ticketID) === Number(ticket.id))
				.map((note) => String(note.title));
			if (new Set(titles).size !== titles.length)
				tally.duplicates.push(
					`alert ${alert.uid}: a note written twice on ticket ${String(ticket.id)} (${titles.join(', ')})`,
				);
		}
	}
	return { planned, failures };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const log = new CapturedLog().install();
	out('n8n-nodes-msp soak: the templates under faults, against the local vendor sandbox');
	out(
		`  alerts ${options.alerts}, sync rounds ${options.rounds}, fault rate ${options.rate} per call to every vendor, client timeout ${options.timeoutMs} ms, seed ${options.seed}`,
	);
	const sandbox = await startSandbox({ seed: defaultSeed(), faultSeed: options.seed });
	relaxLimits(sandbox);
	for (const rule of faultMix(options.rate, options.timeoutMs)) sandbox.faults.add(rule);
	const tally: Tally = {
		runs: 0,
		reruns: 0,
		duplicates: [],
		lostWrites: [],
		leaks: [],
		failedRuns: [],
	};
	let exitCode = 0;
	try {
		out(
			'Contact sync (both PSAs each round; a twin sandbox without faults gets the same tenant changes):',
		);
		const syncStart = Date.now();
		await soakSync(options, tally, sandbox, log);
		const syncSeconds = (Date.now() - syncStart) / 1000;
		out(
			`Alerts: ${options.alerts} alerts, one execution per webhook, ${options.concurrency} at once ...`,
		);
		const alertStart = Date.now();
		const alerts = await soakAlerts(options, tally, sandbox);
		const alertSeconds = (Date.now() - alertStart) / 1000;

		const secrets = secretsOf(sandbox);
		tally.leaks.push(...findSecrets(log.lines, secrets), ...secretsInRequests(sandbox, secrets));
		const entries = sandbox.log.entries;
		const byVendor = (vendor: string) => entries.filter((entry) => entry.vendor === vendor).length;
		const written = entries.filter(
			(entry) =>
				entry.method !== 'GET' &&
				entry.status >= 200 &&
				entry.status < 300 &&
				!/\/query|oauth|token/i.test(entry.path),
		);
		const faults = Object.entries(sandbox.faults.injected)
			.map(([kind, count]) => `${kind} ${count}`)
			.join(', ');
		const tickets = (sandbox.autotask.tickets as IDataObject[]).filter((ticket) =>
			parseAlertKey(ticket.externalID),
		).length;

		out();
		out('Soak results');
		out(
			`  requests made        ${entries.length} (autotask ${byVendor('autotask')}, connectwise ${byVendor('connectwise')}, graph ${byVendor('graph')}, datto ${byVendor('datto')})`,
		);
		out(`  faults injected      ${sandbox.faults.totalInjected()} (${faults})`);
		out(
			`  runs                 ${tally.runs} executions (${tally.reruns} re-runs of runs that did not finish)`,
		);
		out(
			`  records written      ${written.length} (contacts and communication items, tickets, notes, resolves; alert tickets now ${tickets})`,
		);
		out(`  alert deliveries     ${alerts.failures} ended in an error and were delivered again`);
		out(`  duplicates           ${tally.duplicates.length}`);
		out(`  lost writes          ${tally.lostWrites.length}`);
		out(`  leaked secrets       ${tally.leaks.length}`);
		out(
			`  wall time            ${((Date.now() - started) / 1000).toFixed(0)} s (sync ${syncSeconds.toFixed(0)} s, alerts ${alertSeconds.toFixed(0)} s)`,
		);
		if (sandbox.contractViolations.length)
			out(
				`  contract violations  ${sandbox.contractViolations.length} (first: ${JSON.stringify(sandbox.contractViolations[0]).slice(0, 300)})`,
			);
		for (const [name, list] of [
			['duplicates', tally.duplicates],
			['lost writes', tally.lostWrites],
			['leaked secrets', tally.leaks],
			['runs that did not finish', tally.failedRuns],
		] as const) {
			if (!list.length) continue;
			out();
			out(`First ${Math.min(10, list.length)} ${name}:`);
			for (const line of list.slice(0, 10)) out(`  ${line}`);
		}
		if (tally.duplicates.length || tally.lostWrites.length || tally.leaks.length) exitCode = 1;
	} finally {
		await sandbox.stop();
	}
	process.exit(exitCode);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`Soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
