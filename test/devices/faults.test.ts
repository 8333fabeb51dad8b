/**
 * RMM Device to Configuration Item under faults (issue 20), as the contact and alert templates
 * are in test/reliability/faults.test.ts: the device template through n8n's engine against the
 * sandbox, with slow, throttling, refusing, resetting and hanging Autotask and Datto at 10% of
 * the calls. Whatever a faulty run managed, it never deactivates an item the fault-free run
 * keeps (a failed read is not a gone device), and the next run without faults leaves the state
 * of the fault-free reference: no duplicate configuration item, nothing left deactivated.
 */
import type { IDataObject } from 'n8n-workflow';

// The faults make the transport wait out back-off (the update resets: two rounds of eight
// attempts, ~90 s); what is checked is the end state, so the waits run ten times shorter.
jest.mock('n8n-workflow', () =>
	jest
		.requireActual<typeof import('../support/shortWaits')>('../support/shortWaits')
		.n8nWorkflowWithShortWaits(),
);

import { describeViolations } from '../../sandbox/core/contract';
import type { FaultRule } from '../../sandbox/core/faults';
import type { Sandbox } from '../../sandbox/index';
import {
	credentialStore,
	faultRules,
	injectFaults,
	TEST_TIMEOUT_MS,
	withSandbox,
} from '../reliability/support';
import type { FaultProfile } from '../reliability/support';
import { deviceByHost, harness, sync } from './helpers';
import type { DeviceHarness } from './helpers';

const DAY = 86_400_000;

/** A run under faults takes minutes on a busy machine (retries, backoff, hung answers). */
const RUN_TIMEOUT_MS = 300_000;

const PROFILES: FaultProfile[] = [
	'slow',
	'throttled',
	'serverErrors',
	'resets',
	'resetsAfterWrite',
	'timeouts',
];

/** Per device uid (lower case): its items as "company:active", sorted; items without a uid by id. */
type ItemState = Record<string, string[]>;

function itemState(sandbox: Sandbox): ItemState {
	const state: ItemState = {};
	for (const ci of sandbox.autotask.configurationItems as IDataObject[]) {
		const key = ci.rmmDeviceUID ? String(ci.rmmDeviceUID).toLowerCase() : `item ${String(ci.id)}`;
		(state[key] ??= []).push(`${String(ci.companyID)}:${ci.isActive === false ? 'off' : 'on'}`);
	}
	for (const list of Object.values(state)) list.sort();
	return state;
}

const activeIds = (sandbox: Sandbox) =>
	new Set(
		(sandbox.autotask.configurationItems as IDataObject[])
			.filter((ci) => ci.isActive !== false)
			.map((ci) => Number(ci.id)),
	);

/** The world of every run: the seed, and a device deleted in Datto 40 days ago (its item goes). */
function prepare(h: DeviceHarness): void {
	Object.assign(deviceByHost(h, 'CONTOSO-WS006'), {
		deleted: true,
		lastSeen: Date.now() - 40 * DAY,
	});
}

interface FaultyOutcome {
	status: string;
	/** Items the faulty run deactivated. */
	deactivated: number[];
	/** Items the fault-free run of the same world deactivates. */
	final: ItemState;
	violations: string;
}

async function underFaults(rules: FaultRule[]): Promise<FaultyOutcome> {
	return await withSandbox(async (sandbox) => {
		const h = harness(sandbox);
		h.credentials = credentialStore(sandbox, { timeoutMs: TEST_TIMEOUT_MS });
		prepare(h);
		const before = activeIds(sandbox);
		injectFaults(sandbox, rules);
		const faulty = await sync(h);
		sandbox.faults.clear();
		const after = activeIds(sandbox);
		const deactivated = [...before].filter((id) => !after.has(id));
		await sync(h);
		return {
			status: faulty.result.status,
			deactivated,
			final: itemState(sandbox),
			violations: describeViolations(sandbox.contractViolations),
		};
	});
}

let reference: Promise<{ final: ItemState; deactivated: number[] }> | undefined;

function referenceRun(): Promise<{ final: ItemState; deactivated: number[] }> {
	reference ??= withSandbox(async (sandbox) => {
		const h = harness(sandbox);
		prepare(h);
		const before = activeIds(sandbox);
		const run = await sync(h);
		expect(run.result.status).toBe('success');
		const after = activeIds(sandbox);
		return { final: itemState(sandbox), deactivated: [...before].filter((id) => !after.has(id)) };
	});
	return reference;
}

describe('device sync under faults', () => {
	test('the fault-free reference creates, updates and deactivates', async () => {
		const ref = await referenceRun();
		expect(ref.deactivated).toHaveLength(1);
		expect(Object.values(ref.final).every((items) => items.length === 1)).toBe(true);
	});

	test.each(PROFILES)(
		'%s at 10%% of Autotask and Datto calls: nothing deactivated that the reference keeps, and the next run leaves the reference state (no duplicate item)',
		async (profile) => {
			const ref = await referenceRun();
			const outcome = await underFaults(faultRules(profile, ['autotask', 'datto']));
			expect(ref.deactivated).toEqual(expect.arrayContaining(outcome.deactivated));
			expect(outcome.final).toEqual(ref.final);
			expect(outcome.violations).toBe('');
		},
		RUN_TIMEOUT_MS,
	);

	test.each([
		['create', 'POST'],
		['update', 'PATCH'],
	] as const)(
		'the first configuration item %ss answered with a reset after Autotask wrote them: no duplicate item, the next run leaves the reference state',
		async (_what, method) => {
			const ref = await referenceRun();
			const outcome = await underFaults([
				{
					vendor: 'autotask',
					method,
					path: /\/ConfigurationItems$/i,
					kind: 'resetAfter',
					times: 50,
				},
			]);
			expect(ref.deactivated).toEqual(expect.arrayContaining(outcome.deactivated));
			expect(outcome.final).toEqual(ref.final);
			expect(outcome.violations).toBe('');
		},
		RUN_TIMEOUT_MS,
	);

	test.each([
		['the account device listing', /\/account\/devices/i],
		['the configuration item listing', /\/ConfigurationItems\/query/i],
	])(
		'%s refused every time: the run fails, nothing is deactivated, the next run converges',
		async (_what, path) => {
			const ref = await referenceRun();
			const outcome = await underFaults([
				{
					vendor: /ConfigurationItems/.test(path.source) ? 'autotask' : 'datto',
					method: /ConfigurationItems/.test(path.source) ? 'POST' : 'GET',
					path,
					kind: 'status',
					status: 500,
					body: { message: 'Injected refusal' },
					times: 1_000,
				},
			]);
			expect(outcome.status).toBe('error');
			expect(outcome.deactivated).toEqual([]);
			expect(outcome.final).toEqual(ref.final);
			expect(outcome.violations).toBe('');
		},
		RUN_TIMEOUT_MS,
	);
});
