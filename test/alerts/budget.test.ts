/**
 * Autotask's hourly request budget (issue 19): with an Hourly Budget Reserve set, RMM Alert to
 * Ticket reads ThresholdInformation at most once per reading period per workflow (kept in the
 * workflow's static data) and, when the budget left is under the reserve, writes notes only:
 * repeats are noted, while creating, reopening and completing tickets come out on Skipped as
 * budgetLow, saying so, and the execution succeeds. Sync Open Alerts does them once the budget
 * is back. A delivery Autotask refuses for a spent budget is reported the same way, never
 * failed. Through n8n's engine against the sandbox's default seed.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

// A refusal for a spent budget is waited out through the transport's eight attempts (~50 s of
// back-off) before it counts as spent; what is checked is the outcome, so the waits run ten
// times shorter (requests stay real).
jest.mock('n8n-workflow', () =>
	jest
		.requireActual<typeof import('../support/shortWaits')>('../support/shortWaits')
		.n8nWorkflowWithShortWaits(),
);

import { parseAlertKey } from '../../lib/alerts/key';
import { runWorkflow, singleNodeWorkflow, StaticDataStore } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import type { Sandbox } from '../../sandbox/index';
import { allJson, credentialStore, pkg, withSandbox } from '../reliability/support';

const WORKFLOW_ID = 'budget-test';

describe('notes only when the Autotask request budget runs low', () => {
	const staticData = new StaticDataStore();

	async function runNode(
		sandbox: Sandbox,
		items: IDataObject[],
		options: IDataObject,
		operation = 'processAlert',
	): Promise<{ outcomes: IDataObject[]; status: string; thresholdReads: number }> {
		const from = sandbox.log.entries.at(-1)?.seq ?? 0;
		const result = await runWorkflow({
			pkg: pkg(),
			credentials: credentialStore(sandbox),
			workflow: {
				...singleNodeWorkflow({
					name: 'Alerts',
					type: `${PACKAGE_NAME}.rmmAlertToTicket`,
					parameters: {
						operation,
						catchAllCompany: { __rl: true, mode: 'id', value: '0' },
						options: { stormPerDevice: 0, stormPerSite: 0, ...options },
					} as INodeParameters,
					credentials: {
						autotaskApi: { id: 'at', name: 'Autotask' },
						dattoRmmApi: { id: 'dr', name: 'Datto' },
					},
				}),
				id: WORKFLOW_ID,
			},
			// Webhook and schedule executions keep the workflow's static data, as n8n does.
			mode: 'webhook',
			staticData,
			input: items,
		});
		return {
			outcomes: allJson(result, 'Alerts'),
			status: result.status,
			thresholdReads: sandbox.log.entries.filter(
				(entry) => entry.seq > from && /\/ThresholdInformation$/i.test(entry.path),
			).length,
		};
	}

	const webhook = (sandbox: Sandbox, alertUid: string, event: 'raised' | 'resolved') =>
		sandbox.datto.webhookItem(sandbox.datto.webhookBody(alertUid, event)) as unknown as IDataObject;

	const raise = (sandbox: Sandbox, service: string) =>
		sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[1].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
		}).alertUid;

	const ticketsOf = (sandbox: Sandbox, alertUid: string) =>
		(sandbox.autotask.tickets as IDataObject[]).filter(
			(row) => parseAlertKey(row.externalID)?.alertUid === alertUid,
		);

	/** Other integrations used this many requests of the database's hour. */
	const useBudget = (sandbox: Sandbox, requests: number) => {
		const now = Date.now();
		sandbox.autotask.requestTimes.splice(0, Infinity, ...Array<number>(requests).fill(now));
	};

	/** The kept reading is older than its period, as after a few minutes. */
	const ageReading = () => {
		const data = staticData.load(WORKFLOW_ID);
		const reading = (data.global as IDataObject).rmmAlertRequestBudget as IDataObject;
		reading.readAt = Number(reading.readAt) - 10 * 60_000;
		staticData.save(WORKFLOW_ID, data);
	};

	const RESERVE = { hourlyBudgetReserve: 10 };

	test('under the reserve: a repeat is noted, a new problem and a resolve wait (budgetLow, run green), the budget read once; the backstop does them when the budget is back', async () => {
		await withSandbox(async (sandbox) => {
			const existing = raise(sandbox, 'BudgetExisting');
			const opened = await runNode(sandbox, [webhook(sandbox, existing, 'raised')], RESERVE);
			expect(opened.outcomes).toEqual([expect.objectContaining({ decision: 'created' })]);
			expect(opened.thresholdReads).toBe(1);

			useBudget(sandbox, 9_500);
			ageReading();
			const repeat = raise(sandbox, 'BudgetExisting');
			const fresh = raise(sandbox, 'BudgetNew');
			const low = await runNode(
				sandbox,
				[webhook(sandbox, repeat, 'raised'), webhook(sandbox, fresh, 'raised')],
				RESERVE,
			);
			expect(low.status).toBe('success');
			expect(low.thresholdReads).toBe(1);
			expect(low.outcomes.map((o) => o.decision)).toEqual(['repeatNoted', 'budgetLow']);
			expect(String(low.outcomes[1].reason)).toMatch(
				/hourly request budget is low \(9,5\d\d of 10,000 requests used, under the 10% reserve\): notes only/,
			);
			expect(ticketsOf(sandbox, fresh)).toEqual([]);

			// The problem is over; within the reading's period, no new reading.
			sandbox.datto.resolveAlert(existing);
			sandbox.datto.resolveAlert(repeat);
			const resolve = await runNode(sandbox, [webhook(sandbox, existing, 'resolved')], RESERVE);
			expect(resolve.status).toBe('success');
			expect(resolve.thresholdReads).toBe(0);
			expect(resolve.outcomes).toEqual([expect.objectContaining({ decision: 'budgetLow' })]);
			expect(Number(ticketsOf(sandbox, existing)[0].status)).not.toBe(5);

			// The budget is back: the backstop opens the new problem's ticket and completes the other.
			useBudget(sandbox, 0);
			ageReading();
			const sync = await runNode(sandbox, [{}], RESERVE, 'syncOpenAlerts');
			expect(sync.status).toBe('success');
			expect(sync.thresholdReads).toBe(1);
			expect(ticketsOf(sandbox, fresh)).toHaveLength(1);
			expect(Number(ticketsOf(sandbox, existing)[0].status)).toBe(5);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('a delivery Autotask refuses for a spent budget is skipped as budgetLow, not failed', async () => {
		await withSandbox(async (sandbox) => {
			const alert = raise(sandbox, 'BudgetSpent');
			sandbox.faults.add({
				vendor: 'autotask',
				method: 'POST',
				path: /\/Tickets$/i,
				kind: 'status',
				status: 429,
				times: 1_000,
			});
			const spent = await runNode(sandbox, [webhook(sandbox, alert, 'raised')], {});
			expect(spent.status).toBe('success');
			expect(spent.outcomes).toEqual([
				expect.objectContaining({
					decision: 'budgetLow',
					reason: expect.stringContaining('refused the request for its hourly request budget'),
				}),
			]);
			expect(ticketsOf(sandbox, alert)).toEqual([]);
		});
		// The transport backs off through its retries before the refusal counts as spent (about
		// 50 s of waiting at full length): more than the default 60 s if the waits are not shortened.
	}, 180_000);

	test('no reserve set: the budget is never read', async () => {
		await withSandbox(async (sandbox) => {
			useBudget(sandbox, 9_900);
			const alert = raise(sandbox, 'BudgetOff');
			const run = await runNode(sandbox, [webhook(sandbox, alert, 'raised')], {});
			expect(run.thresholdReads).toBe(0);
			expect(run.outcomes).toEqual([expect.objectContaining({ decision: 'created' })]);
		});
	});
});
