/**
 * Alert delivery under faults: what test/alerts proves on a healthy network (three deliveries
 * of one body, 20 concurrent deliveries, a resolve that overtakes its raise, a resolve for an
 * unknown alert), again with resets, lost answers and throttling on the way. The ticket state
 * must converge as documented: one open ticket per alert, nothing completed by accident, no
 * error a re-delivery would not fix.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import type { Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import type { SandboxVendor } from '../../sandbox/core/types';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { allJson, credentialStore, pkg, TEST_TIMEOUT_MS, withSandbox } from './support';
import type { CredentialStore } from '../../dev/runner/credentials';

const COMPLETE = '5';

/** Resets before and after the vendor acted, and throttling, at `rate` of the calls in all. */
function mixedFaults(vendors: SandboxVendor[], rate = 0.1): FaultRule[] {
	return vendors.flatMap((vendor): FaultRule[] => [
		{ vendor, kind: 'reset', rate: rate / 3 },
		{ vendor, kind: 'resetAfter', method: 'POST', rate: rate / 3 },
		{ vendor, kind: 'resetAfter', method: 'PATCH', rate: rate / 3 },
		{ vendor, kind: 'status', status: 429, retryAfterSeconds: 0, rate: rate / 3 },
	]);
}

function processAlert(): ReturnType<typeof singleNodeWorkflow> {
	return singleNodeWorkflow({
		name: 'Process Alert',
		type: `${PACKAGE_NAME}.rmmAlertToTicket`,
		parameters: {
			operation: 'processAlert',
			catchAllCompany: { __rl: true, mode: 'id', value: '0' },
			options: { stormPerDevice: 0, stormPerSite: 0 },
		},
		credentials: {
			autotaskApi: { id: 'at', name: 'Autotask' },
			dattoRmmApi: { id: 'dr', name: 'Datto' },
		},
		onError: 'continueRegularOutput',
	});
}

async function deliver(
	sandbox: Sandbox,
	credentials: CredentialStore,
	items: IDataObject[],
): Promise<IDataObject[]> {
	const result = await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow: processAlert(),
		input: items,
	});
	expect(result.status).toBe('success');
	return allJson(result, 'Process Alert');
}

function item(sandbox: Sandbox, alertUid: string, event: 'raised' | 'resolved'): IDataObject {
	return sandbox.datto.webhookItem(
		sandbox.datto.webhookBody(alertUid, event),
	) as unknown as IDataObject;
}

function ticketsOf(sandbox: Sandbox, alertUid: string): IDataObject[] {
	return (sandbox.autotask.tickets as IDataObject[]).filter(
		(ticket) => parseAlertKey(ticket.externalID)?.alertUid === alertUid,
	);
}

function raise(sandbox: Sandbox, service: string) {
	return sandbox.datto.raiseAlert({
		deviceUid: sandbox.datto.devices[1].uid,
		alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
	});
}

describe('alert delivery under resets, lost answers and throttling', () => {
	test("the same body three times, the first ticket's answer lost: one ticket, the later deliveries recognised", async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox, { timeoutMs: TEST_TIMEOUT_MS });
			const alert = raise(sandbox, 'ThreeTimes');
			sandbox.faults.add({
				vendor: 'autotask',
				method: 'POST',
				path: /\/Tickets$/i,
				kind: 'resetAfter',
				nth: [1],
			});
			for (const rule of mixedFaults(['autotask', 'datto'])) sandbox.faults.add(rule);
			const outcomes = [];
			for (let i = 0; i < 3; i++)
				outcomes.push(
					...(await deliver(sandbox, credentials, [item(sandbox, alert.alertUid, 'raised')])),
				);
			expect(sandbox.faults.injected.resetAfter).toBeGreaterThan(0);
			expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined]);
			expect(outcomes.map((o) => o.decision)).toEqual([
				'created',
				'duplicateDelivery',
				'duplicateDelivery',
			]);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
			expect(new Set(outcomes.map((o) => o.ticketId)).size).toBe(1);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('20 concurrent deliveries of one alert: exactly one open ticket, every delivery accounted for, no error', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox, { timeoutMs: TEST_TIMEOUT_MS });
			const alert = raise(sandbox, 'TwentyAtOnce');
			for (const rule of mixedFaults(['autotask', 'datto'])) sandbox.faults.add(rule);
			const outcomes = (
				await Promise.all(
					Array.from(
						{ length: 20 },
						async () =>
							await deliver(sandbox, credentials, [item(sandbox, alert.alertUid, 'raised')]),
					),
				)
			).flat();
			expect(sandbox.faults.totalInjected()).toBeGreaterThan(0);
			expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
			expect(outcomes).toHaveLength(20);
			expect(
				outcomes.every((o) =>
					['created', 'mergedIntoExisting', 'duplicateDelivery'].includes(String(o.decision)),
				),
			).toBe(true);
			const tickets = ticketsOf(sandbox, alert.alertUid);
			const open = tickets.filter((t) => String(t.status) !== COMPLETE);
			expect(open).toHaveLength(1);
			// Every delivery points at the one ticket left open; race duplicates were closed into it.
			expect(outcomes.every((o) => Number(o.ticketId) === Number(open[0].id))).toBe(true);
			for (const duplicate of tickets.filter((t) => t !== open[0]))
				expect(String(duplicate.resolution)).toMatch(/^Duplicate of ticket/);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('a resolve that overtakes its raise leaves no ticket; a resolve for an unknown alert writes nothing', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox, { timeoutMs: TEST_TIMEOUT_MS });
			for (const rule of mixedFaults(['autotask', 'datto'], 0.2)) sandbox.faults.add(rule);
			const early = raise(sandbox, 'ResolvedFirst');
			sandbox.datto.resolveAlert(early.alertUid);
			const resolvedFirst = await deliver(sandbox, credentials, [
				item(sandbox, early.alertUid, 'resolved'),
			]);
			const raisedLate = await deliver(sandbox, credentials, [
				item(sandbox, early.alertUid, 'raised'),
			]);
			expect(resolvedFirst).toEqual([expect.objectContaining({ decision: 'noTicket' })]);
			expect(raisedLate).toEqual([expect.objectContaining({ decision: 'alreadyResolved' })]);
			expect(ticketsOf(sandbox, early.alertUid)).toEqual([]);

			const from = sandbox.log.entries.length;
			const unknown = await deliver(sandbox, credentials, [
				sandbox.datto.webhookItem({
					event: 'resolved',
					alertUid: '7e57a1e7-0000-4000-8000-000000000001',
				}) as unknown as IDataObject,
			]);
			expect(unknown).toEqual([expect.objectContaining({ decision: 'noTicket' })]);
			const writes = sandbox.log.entries
				.slice(from)
				.filter((e) => e.method !== 'GET' && !/\/query|token/i.test(e.path));
			expect(writes).toEqual([]);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('raise and resolve of one alert in one batch under faults: one ticket, completed once', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox, { timeoutMs: TEST_TIMEOUT_MS });
			for (const rule of mixedFaults(['autotask', 'datto'], 0.2)) sandbox.faults.add(rule);
			const alert = raise(sandbox, 'Batch');
			const outcomes = await deliver(sandbox, credentials, [
				item(sandbox, alert.alertUid, 'raised'),
				item(sandbox, alert.alertUid, 'resolved'),
			]);
			expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
			expect(outcomes.map((o) => o.decision)).toEqual(['created', 'completed']);
			const tickets = ticketsOf(sandbox, alert.alertUid);
			expect(tickets).toHaveLength(1);
			expect(String(tickets[0].status)).toBe(COMPLETE);
			// Delivered again later (Datto re-sends nothing, but a replay might): nothing changes.
			const again = await deliver(sandbox, credentials, [
				item(sandbox, alert.alertUid, 'raised'),
				item(sandbox, alert.alertUid, 'resolved'),
			]);
			expect(again.filter((o) => o.decision === 'created' || o.decision === 'completed')).toEqual(
				[],
			);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});
});
