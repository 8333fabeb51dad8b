/**
 * The three templates under injected faults, each in a sandbox of its own started from the same
 * seed as a no-fault twin: 429 with Retry-After, 500/503, resets before and after the vendor
 * acted, hangs past the client timeout, slow answers and answers cut in half, at 10% of the calls
 * to each vendor the flow talks to. The final state must equal the no-fault run's (0 duplicates, 0 lost writes,
 * 0 blank overwrites). Runs that cannot finish (the vendor refuses) must say per item what was
 * not applied, and the next run without faults must complete them. Scenarios run side by side
 * (each waits on its own backoff), so the file takes as long as its slowest scenario.
 */
import type { IDataObject } from 'n8n-workflow';

// Real back-off here, not test/support/shortWaits: the timeout profiles look a late create up
// with back-off for a wall-clock window, so shorter pauses mean many more look-ups in it, each
// open to the 10% faults. With short waits two stress rounds (load 20+) failed its timeout tests.

import type { Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import type { SandboxVendor } from '../../sandbox/core/types';
import {
	ALERT_FILE,
	allJson,
	alertTicketRecords,
	companyOf,
	credentialStore,
	deliverWebhook,
	diffContacts,
	diffTickets,
	FAULT_PROFILES,
	faultRules,
	findSecrets,
	injectFaults,
	psaContacts,
	readTemplate,
	runAlertSync,
	runSync,
	secretsOf,
	StaticDataStore,
	SYNC_FILES,
	TEST_TIMEOUT_MS,
	totalPlanned,
	withParameters,
	withSandbox,
} from './support';
import type {
	ContactDiff,
	ContactRecord,
	FaultProfile,
	Psa,
	SyncRun,
	Template,
	TicketDiff,
	TicketRecord,
} from './support';

type Flow = Psa | 'alerts';

const VENDORS: Record<Flow, SandboxVendor[]> = {
	autotask: ['graph', 'autotask'],
	connectwise: ['graph', 'connectwise'],
	alerts: ['autotask', 'datto'],
};

// ---------------------------------------------------------------------------------------------
// Contact sync

interface SyncReference {
	seed: ContactRecord[];
	final: ContactRecord[];
	run: SyncRun;
}

const syncReferences = new Map<Psa, Promise<SyncReference>>();
let alertReferenceRun: Promise<AlertReference> | undefined;

function syncReference(psa: Psa): Promise<SyncReference> {
	if (!syncReferences.has(psa)) {
		const template = readTemplate(SYNC_FILES[psa]);
		syncReferences.set(
			psa,
			withSandbox(async (sandbox) => {
				const seed = psaContacts(sandbox, psa, companyOf(template));
				const run = await runSync(
					sandbox,
					credentialStore(sandbox),
					new StaticDataStore(),
					template,
				);
				return { seed, final: psaContacts(sandbox, psa, companyOf(template)), run };
			}),
		);
	}
	return syncReferences.get(psa)!;
}

interface SyncOutcome {
	faulty: SyncRun;
	rerun: SyncRun;
	third: SyncRun;
	injected: number;
	deletes: number;
	writesInFaultyRun: number;
	diff: ContactDiff;
	leaks: string[];
	violations: number;
	reference: SyncReference;
}

async function syncUnderFaults(
	psa: Psa,
	rules: FaultRule[],
	options: { timeoutMs?: number } = {},
): Promise<SyncOutcome> {
	const template = readTemplate(SYNC_FILES[psa]);
	const reference = await syncReference(psa);
	return await withSandbox(async (sandbox) => {
		injectFaults(sandbox, rules);
		// Only the scenarios about client timeouts cap them: elsewhere a timeout that a loaded
		// machine causes would turn a refused retry of a write that landed into an error item.
		const credentials = credentialStore(sandbox, { timeoutMs: options.timeoutMs });
		const staticData = new StaticDataStore();
		const faulty = await runSync(sandbox, credentials, staticData, template);
		const injected = sandbox.faults.totalInjected();
		const writesInFaultyRun = writeCalls(sandbox);
		sandbox.faults.clear();
		const rerun = await runSync(sandbox, credentials, staticData, template);
		const third = await runSync(sandbox, credentials, staticData, template);
		return {
			faulty,
			rerun,
			third,
			injected,
			deletes: sandbox.log.count({ method: 'DELETE' }),
			writesInFaultyRun,
			diff: diffContacts(
				reference.seed,
				reference.final,
				psaContacts(sandbox, psa, companyOf(template)),
			),
			leaks: findSecrets(
				[faulty.result.run, rerun.result.run, third.result.run],
				secretsOf(sandbox),
			),
			violations: sandbox.contractViolations.length,
			reference,
		};
	});
}

function writeCalls(sandbox: Sandbox): number {
	return sandbox.log.entries.filter(
		(entry) => entry.method !== 'GET' && !/\/query|oauth|token/i.test(entry.path),
	).length;
}

function expectConverged(outcome: SyncOutcome): void {
	expect(outcome.diff).toEqual({ duplicates: [], lostWrites: [], blankOverwrites: [], other: [] });
	expect(outcome.deletes).toBe(0);
	expect(outcome.leaks).toEqual([]);
	expect(outcome.violations).toBe(0);
	// The re-run planned exactly what the faulty run could not apply; the run after it nothing.
	expect(outcome.rerun.result.status).toBe('success');
	expect(outcome.rerun.writeErrors).toEqual([]);
	expect(outcome.third.result.status).toBe('success');
	expect(totalPlanned(outcome.third)).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// Every scenario starts at once (each in its own sandbox, each mostly waiting on its own
// backoff); the tests then read their outcome.

const started = new Map<string, Promise<unknown>>();

function scenario<T>(key: string, start: () => Promise<T>): Promise<T> {
	if (!started.has(key)) {
		const promise = start();
		promise.catch(() => undefined);
		started.set(key, promise);
	}
	return started.get(key) as Promise<T>;
}

const refusal = (psa: Psa): FaultRule[] =>
	psa === 'autotask'
		? ['POST', 'PATCH'].map((method) => ({
				vendor: 'autotask' as const,
				method,
				path: /\/Contacts$/i,
				kind: 'status' as const,
				status: 500,
				body: { errors: ['Injected refusal: the contact cannot be saved right now.'] },
				rate: 0.1,
			}))
		: ['POST', 'PATCH'].map((method) => ({
				vendor: 'connectwise' as const,
				method,
				path: /\/company\/contacts(\/\d+)?$/i,
				kind: 'status' as const,
				status: 400,
				body: {
					code: 'InvalidObject',
					message: 'Injected refusal',
					errors: [
						{
							code: 'InvalidObject',
							message: 'The contact cannot be saved right now.',
							resource: 'contact',
							field: 'firstName',
						},
					],
				},
				rate: 0.1,
			}));

const READ_REFUSALS: Array<[Psa, string, FaultRule]> = [
	[
		'autotask',
		'Autotask Contacts',
		{
			vendor: 'autotask',
			method: 'POST',
			path: '/Contacts/query',
			nth: [1],
			kind: 'status',
			status: 500,
			body: { errors: ['Injected refusal of the contact query.'] },
		},
	],
	[
		'connectwise',
		'Microsoft 365 Users',
		{
			vendor: 'graph',
			method: 'GET',
			path: /\/v1\.0\/users$/,
			nth: [1],
			kind: 'status',
			status: 403,
			body: {
				error: {
					code: 'Authorization_RequestDenied',
					message: 'Insufficient privileges to complete the operation.',
				},
			},
		},
	],
];

const syncScenario = (psa: Psa, profile: FaultProfile) =>
	scenario(
		`sync ${psa} ${profile}`,
		async () =>
			await syncUnderFaults(psa, faultRules(profile, VENDORS[psa]), {
				timeoutMs: profile === 'timeouts' ? TEST_TIMEOUT_MS : undefined,
			}),
	);
const refusedWrites = (psa: Psa) =>
	scenario(`refused writes ${psa}`, async () => await syncUnderFaults(psa, refusal(psa)));
const refusedRead = (psa: Psa, rule: FaultRule) =>
	scenario(`refused read ${psa}`, async () => await syncUnderFaults(psa, [rule]));
// The vendor acts on these creates 50 ms after the client stopped waiting for them.
const lateWrites = (psa: Psa) =>
	scenario(`late writes ${psa}`, async () => {
		const path = psa === 'autotask' ? /\/Contacts$/i : /\/company\/contacts$/i;
		return await syncUnderFaults(
			psa,
			[
				{
					vendor: psa,
					method: 'POST',
					path,
					kind: 'slow',
					latencyMs: TEST_TIMEOUT_MS + 50,
					nth: [1, 2, 3, 4, 5],
				},
			],
			{ timeoutMs: TEST_TIMEOUT_MS },
		);
	});
const alertScenario = (profile: FaultProfile) =>
	scenario(
		`alerts ${profile}`,
		async () => await alertsUnderFaults(() => faultRules(profile, VENDORS.alerts)),
	);
const refusedTicket = () =>
	scenario('alerts refused ticket', async () => {
		const target = (await alertReference()).stillOpen[0];
		return await alertsUnderFaults((body) =>
			body.alertUid === target && body.event === 'raised'
				? [
						{
							vendor: 'autotask',
							method: 'POST',
							path: /\/Tickets$/i,
							kind: 'status',
							status: 500,
							body: { errors: ['Injected refusal: the ticket cannot be saved right now.'] },
						},
					]
				: [],
		);
	});

// Every scenario runs side by side from here, so the first test awaited shares the machine with
// all the others (37 s alone, over 60 s at load 20): the tests wait on outcomes, not on a clock.
jest.setTimeout(300_000);

beforeAll(() => {
	for (const psa of ['autotask', 'connectwise'] as const) {
		for (const profile of FAULT_PROFILES) void syncScenario(psa, profile);
		void refusedWrites(psa);
		void lateWrites(psa);
	}
	for (const [psa, , rule] of READ_REFUSALS) void refusedRead(psa, rule);
	for (const profile of FAULT_PROFILES) void alertScenario(profile);
	void refusedTicket();
});

describe.each(['autotask', 'connectwise'] as const)('contact sync to %s', (psa) => {
	test('the no-fault reference run plans creates, updates and deactivations and applies all of them', async () => {
		const { run } = await syncReference(psa);
		expect(run.result.status).toBe('success');
		expect(run.writeErrors).toEqual([]);
		expect(run.planned.create).toBeGreaterThan(0);
		expect(run.planned.update).toBeGreaterThan(0);
		expect(run.planned.deactivate).toBeGreaterThan(0);
		expect(run.applied).toBe(totalPlanned(run));
	});

	test.each(FAULT_PROFILES)(
		'%s at 10%% of calls: every fault survived in the run itself, final state as without faults',
		async (profile) => {
			const outcome = await syncScenario(psa, profile);
			expect(outcome.injected).toBeGreaterThan(0);
			expect(outcome.faulty.result.error).toBeUndefined();
			expect(outcome.faulty.writeErrors).toEqual([]);
			expect(outcome.faulty.applied).toBe(totalPlanned(outcome.reference.run));
			expect(totalPlanned(outcome.rerun)).toBe(0);
			expectConverged(outcome);
		},
	);
});

describe('writes the vendor finishes after the client gave up', () => {
	test.each(['autotask', 'connectwise'] as const)(
		'%s: creates answered only after the client timeout are found, not made twice',
		async (psa) => {
			const outcome = await lateWrites(psa);
			expect(outcome.injected).toBe(5);
			expect(outcome.faulty.writeErrors).toEqual([]);
			expect(totalPlanned(outcome.rerun)).toBe(0);
			expectConverged(outcome);
		},
	);
});

describe('contact sync runs that cannot finish', () => {
	test.each(['autotask', 'connectwise'] as const)(
		'%s refuses 10%% of contact writes: each refused plan item is an error item naming it; the next run applies exactly those',
		async (psa) => {
			const outcome = await refusedWrites(psa);
			const { faulty } = outcome;
			// Everything else was written, then the report failed the execution: it looks failed.
			expect(faulty.result.status).toBe('error');
			expect(faulty.result.error?.node).toBe('Contact Sync Report');
			expect(faulty.result.error?.message).toBe(
				`Contact sync: ${faulty.writeErrors.length} item(s) failed for 1 of 1 customer(s) (${psa} company ${faulty.writeErrors[0]?.plan?.companyId}${faulty.writeErrors[0]?.plan?.companyName ? ` (${String(faulty.writeErrors[0].plan.companyName)})` : ''})`,
			);
			expect(faulty.writeErrors.length).toBeGreaterThan(0);
			// What was not applied: one error item per refused plan item, paired with it, naming the item.
			for (const failure of faulty.writeErrors) {
				expect(failure.error).toMatch(/\[item \d+\]/);
				expect(failure.error).toMatch(
					psa === 'autotask' ? /^Autotask: Injected refusal/ : /^ConnectWise: Injected refusal/,
				);
				expect(failure.plan).toMatchObject({ planVersion: 1, email: expect.stringContaining('@') });
			}
			// What was applied: everything else.
			expect(faulty.applied + faulty.writeErrors.length).toBe(totalPlanned(faulty));
			expect(totalPlanned(outcome.rerun)).toBe(faulty.writeErrors.length);
			expect(outcome.rerun.applied).toBe(faulty.writeErrors.length);
			const retried = new Set(
				allPlanned(outcome.rerun).map((plan) => `${String(plan.action)}:${String(plan.email)}`),
			);
			expect(retried).toEqual(
				new Set(
					faulty.writeErrors.map(
						(failure) => `${String(failure.plan!.action)}:${String(failure.plan!.email)}`,
					),
				),
			);
			expectConverged(outcome);
		},
	);

	test.each(READ_REFUSALS)(
		'%s: a read refused before planning fails the run loudly, writes nothing, and the next run completes the sync',
		async (psa, node, rule) => {
			const outcome = await refusedRead(psa, rule);
			expect(outcome.faulty.result.status).toBe('error');
			expect(outcome.faulty.result.error?.node).toBe(node);
			expect(outcome.faulty.result.error?.message).toMatch(
				/Injected refusal|Insufficient privileges/,
			);
			expect(outcome.faulty.result.ran('Contact Reconcile')).toBe(false);
			expect(outcome.writesInFaultyRun).toBe(0);
			expect(outcome.rerun.applied).toBe(totalPlanned(outcome.reference.run));
			expectConverged(outcome);
		},
	);
});

function allPlanned(run: SyncRun): IDataObject[] {
	return [0, 1, 2, 3].flatMap((output) => run.result.json('Contact Reconcile', output));
}

// ---------------------------------------------------------------------------------------------
// Alerts: the seed's webhooks, one execution each, then Sync Open Alerts (the backstop)

interface AlertReference {
	final: TicketRecord[];
	decisions: string[];
	/** Alerts ticketed by the first pass and still open at the end. */
	stillOpen: string[];
}

/** The alert template's one RMM Alert to Ticket node (every trigger reaches it). */
const ALERT_NODE = 'RMM Alert to Ticket';

function alertReference(): Promise<AlertReference> {
	if (!alertReferenceRun) {
		const template = readTemplate(ALERT_FILE);
		alertReferenceRun = withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox);
			const decisions: string[] = [];
			const created: string[] = [];
			for (const body of sandbox.datto.takeSeedWebhooks()) {
				for (const json of allJson(
					await deliverWebhook(sandbox, credentials, template, body),
					ALERT_NODE,
				)) {
					decisions.push(String(json.decision ?? 'error'));
					if (json.decision === 'created') created.push(String(json.alertUid));
				}
			}
			await runAlertSync(credentials, template);
			const stillOpen = created.filter((uid) => !sandbox.datto.alert(uid)?.resolved);
			return { final: alertTicketRecords(sandbox), decisions, stillOpen };
		});
	}
	return alertReferenceRun;
}

interface AlertOutcome {
	decisions: string[];
	errors: IDataObject[];
	injected: number;
	diff: TicketDiff;
	secondSync: IDataObject[];
	leaks: string[];
	violations: number;
}

/**
 * Delivers the seed's webhooks under `rules` (or `rulesFor` per body), then re-delivers the
 * bodies that failed and runs Sync Open Alerts without faults, then a second sync.
 */
async function alertsUnderFaults(
	rulesFor: (body: IDataObject, index: number) => FaultRule[],
): Promise<AlertOutcome> {
	// Writes time out after a second (the node's option); reads keep their timeout, so an ordinary
	// read on a busy machine is never cut short. A hung read is cut by the sandbox after a second.
	const template = withWriteTimeout(readTemplate(ALERT_FILE), 1);
	const reference = await alertReference();
	return await withSandbox(async (sandbox) => {
		const credentials = credentialStore(sandbox);
		const decisions: string[] = [];
		const errors: IDataObject[] = [];
		const failed: unknown[] = [];
		const bodies = sandbox.datto.takeSeedWebhooks() as IDataObject[];
		for (const [index, body] of bodies.entries()) {
			sandbox.faults.clear();
			injectFaults(sandbox, rulesFor(body, index));
			const result = await deliverWebhook(sandbox, credentials, template, body);
			// A delivery that could not be applied fails its execution, in the vendor's words.
			if (result.error) {
				decisions.push('error');
				errors.push({
					error: result.error.message,
					httpCode: (result.error as { httpCode?: string }).httpCode,
				});
				failed.push(body);
			}
			for (const json of allJson(result, ALERT_NODE)) {
				decisions.push(String(json.decision ?? 'error'));
				if (json.error !== undefined) {
					errors.push(json);
					failed.push(body);
				}
			}
		}
		const injected = sandbox.faults.totalInjected();
		sandbox.faults.clear();
		for (const body of failed) await deliverWebhook(sandbox, credentials, template, body);
		const sync = await runAlertSync(credentials, template);
		expect(sync.status).toBe('success');
		const second = await runAlertSync(credentials, template);
		return {
			decisions,
			errors,
			injected,
			diff: diffTickets(reference.final, alertTicketRecords(sandbox)),
			secondSync: allJson(second, ALERT_NODE),
			leaks: findSecrets([sync.run, second.run, errors], secretsOf(sandbox)),
			violations: sandbox.contractViolations.filter(
				(v) => v.vendor === 'autotask' || v.vendor === 'datto',
			).length,
		};
	});
}

/** The template's alert node with this write timeout. */
function withWriteTimeout(template: Template, seconds: number): Template {
	let out = template;
	for (const node of [ALERT_NODE]) {
		const options = (out.nodes.find((n) => n.name === node)!.parameters.options ??
			{}) as IDataObject;
		out = withParameters(out, node, { options: { ...options, writeTimeoutSeconds: seconds } });
	}
	return out;
}

function expectAlertsConverged(outcome: AlertOutcome, options: { retitled?: boolean } = {}): void {
	expect({ ...outcome.diff, retitled: options.retitled ? [] : outcome.diff.retitled }).toEqual({
		duplicates: [],
		lostWrites: [],
		other: [],
		retitled: [],
	});
	// The backstop after the re-delivery has nothing left to do.
	expect(
		outcome.secondSync.filter(
			(json) => json.decision === 'created' || json.decision === 'completed',
		),
	).toEqual([]);
	expect(outcome.leaks).toEqual([]);
	expect(outcome.violations).toBe(0);
}

describe('alert template', () => {
	test('the no-fault reference delivery opens, notes and completes tickets, every delivery decided', async () => {
		const reference = await alertReference();
		expect(reference.decisions).not.toContain('error');
		expect(reference.decisions).toEqual(
			expect.arrayContaining(['created', 'repeatNoted', 'completed', 'duplicateDelivery']),
		);
		expect(reference.stillOpen.length).toBeGreaterThan(0);
	});

	test.each(FAULT_PROFILES)(
		'%s at 10%% of calls: every delivery decided as without faults; tickets and notes as without faults',
		async (profile) => {
			const outcome = await alertScenario(profile);
			const reference = await alertReference();
			expect(outcome.injected).toBeGreaterThan(0);
			expect(outcome.errors).toEqual([]);
			expect(outcome.decisions).toEqual(reference.decisions);
			expectAlertsConverged(outcome);
		},
	);

	test("a ticket create Autotask refuses: the delivery fails its execution in Autotask's words, the re-delivery opens the one ticket", async () => {
		expect((await alertReference()).stillOpen.length).toBeGreaterThan(0);
		const outcome = await refusedTicket();
		// The seed delivers that raise more than once: each delivery says it failed.
		expect(outcome.errors.length).toBeGreaterThan(0);
		for (const error of outcome.errors) {
			expect(error).toMatchObject({
				error: expect.stringMatching(/^Autotask: Injected refusal.*\[item 0\]$/),
				httpCode: '500',
			});
		}
		// When a later alert of the same problem opened the ticket meanwhile, the ticket carries its title.
		expectAlertsConverged(outcome, { retitled: true });
	});
});
