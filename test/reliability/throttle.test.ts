/**
 * Autotask's limits (3 threads per endpoint and integration, 10,000 requests an hour per
 * database) and tokens that expire in the middle of a run: the transport slows down or
 * refreshes, and nobody sees an error.
 */
import type { IDataObject } from 'n8n-workflow';

import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { AutotaskClient } from '../../lib/transport/autotask';
import { DATTO_RETRY_POLICY, DattoClient } from '../../lib/transport/datto';
import { mapWithConcurrency } from '../../lib/transport/limiter';
import type { RetryPolicy } from '../../lib/transport/retry';
import type { Sandbox } from '../../sandbox/index';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import type { WorkflowResult } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { DirectClient } from '../../dev/directClient';
import {
	ALERT_FILE,
	allJson,
	alertTicketRecords,
	companyOf,
	credentialStore,
	deliverWebhook,
	pkg,
	readTemplate,
	runSync,
	StaticDataStore,
	SYNC_FILES,
	totalPlanned,
	withSandbox,
} from './support';

const AUTOTASK_CREDENTIALS = { autotaskApi: { id: 'at', name: 'Autotask sandbox' } };

function autotaskGetMany(companyId: string) {
	return singleNodeWorkflow({
		name: 'Autotask Contacts',
		type: `${PACKAGE_NAME}.autotaskContact`,
		parameters: {
			resource: 'contact',
			operation: 'getAll',
			returnAll: true,
			filters: { companyId, status: 'all' },
		},
		credentials: AUTOTASK_CREDENTIALS,
	});
}

function processAlertNode() {
	return {
		name: 'Process Alert',
		type: `${PACKAGE_NAME}.rmmAlertToTicket`,
		parameters: {
			operation: 'processAlert',
			catchAllCompany: { __rl: true, mode: 'id', value: '0' },
		},
		credentials: { ...AUTOTASK_CREDENTIALS, dattoRmmApi: { id: 'dr', name: 'Datto sandbox' } },
	};
}

/** New open alerts on distinct devices and services (each its own problem, so each its own ticket). */
function raiseAlerts(sandbox: Sandbox, count: number, tag: string) {
	return Array.from({ length: count }, (_, i) =>
		sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[i % sandbox.datto.devices.length].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: `${tag}-${i}`, status: 'STOPPED' },
		}),
	);
}

describe('Autotask thread limit: several workers on one integration', () => {
	test.each([429, 500])(
		'rejections (HTTP %s, "thread threshold exceeded") are waited out: the sync, readers and 20 deliveries all finish, nothing twice',
		async (status) => {
			await withSandbox(async (sandbox) => {
				sandbox.autotask.config.threadLimitStatus = status;
				// Each request holds its thread a little, so concurrent workers really collide.
				sandbox.autotask.config.requestDurationMs = 15;
				const credentials = credentialStore(sandbox);
				const sync = readTemplate(SYNC_FILES.autotask);
				const staticData = new StaticDataStore();
				const alerts = raiseAlerts(sandbox, 20, `thread-${status}`);
				const template = readTemplate(ALERT_FILE);

				// Workers of one n8n instance (or several) share the integration's 3 threads per endpoint;
				// each execution only knows its own.
				const [syncRun, ...others] = await Promise.all([
					runSync(sandbox, credentials, staticData, sync),
					...[1, 2, 3].map(
						async () =>
							await runWorkflow({
								pkg: pkg(),
								credentials,
								workflow: autotaskGetMany(companyOf(sync)),
							}),
					),
					...alerts.map(
						async (alert) =>
							await deliverWebhook(
								sandbox,
								credentials,
								template,
								sandbox.datto.webhookBody(alert.alertUid, 'raised'),
							),
					),
				]);
				expect(sandbox.autotask.threadRejections).toBeGreaterThan(0);

				expect(syncRun.result.status).toBe('success');
				expect(syncRun.writeErrors).toEqual([]);
				expect(syncRun.applied).toBe(totalPlanned(syncRun));
				for (const reader of others.slice(0, 3) as WorkflowResult[]) {
					expect(reader.status).toBe('success');
					expect(reader.json('Autotask Contacts').length).toBeGreaterThan(200);
				}
				const decisions = (others.slice(3) as WorkflowResult[]).flatMap((result) =>
					allJson(result, 'RMM Alert to Ticket'),
				);
				expect(decisions.map((json) => json.error)).toEqual(alerts.map(() => undefined));
				expect(decisions.map((json) => json.decision)).toEqual(alerts.map(() => 'created'));
				const tickets = alertTicketRecords(sandbox);
				expect(new Set(tickets.map((t) => t.key)).size).toBe(tickets.length);

				// Everything landed once: the next sync has nothing to do.
				sandbox.autotask.config.requestDurationMs = 0;
				const again = await runSync(sandbox, credentials, staticData, sync);
				expect(totalPlanned(again)).toBe(0);
				expect(sandbox.contractViolations.filter((v) => v.vendor === 'autotask')).toEqual([]);
			});
		},
	);
});

/** The transport over plain HTTP, with a clock the test moves: waits are recorded, not slept. */
class RecordedWaitsClient extends DirectClient {
	readonly waits: number[] = [];

	constructor(
		credentials: Record<string, string>,
		private readonly onWait: (ms: number) => void,
	) {
		super(new AutotaskApi(), { ...credentials });
	}

	async sleep(ms: number): Promise<void> {
		this.waits.push(ms);
		this.onWait(ms);
	}
}

describe('Autotask hourly budget', () => {
	test('near and over the 10,000 requests an hour: the transport reads ThresholdInformation and waits instead of failing', async () => {
		await withSandbox(async (sandbox) => {
			const state = sandbox.autotask;
			const now = Date.now();
			// Other integrations of the database used 9,990 requests in the past hour, one every 360 ms.
			state.requestTimes = Array.from({ length: 9_990 }, (_, i) => now - 3_590_000 + i * 360);
			// While the transport waits, the hour rolls on: the requests older than an hour drop out.
			const client = new RecordedWaitsClient(sandbox.credentials.autotaskApi, (ms) => {
				const aged = Math.ceil(ms / 360);
				state.requestTimes.splice(0, aged);
			});
			const autotask = new AutotaskClient(client);
			const ids = state.contacts.slice(0, 40).map((contact) => Number(contact.id));
			const found: number[] = [];
			for (const id of ids)
				found.push(
					...(await autotask.queryByIds<{ id: number }>('Contacts', [id])).map((c) => c.id),
				);

			expect(found).toEqual(ids);
			const refused = sandbox.log.filter({ vendor: 'autotask', status: 429 });
			expect(refused.length).toBeGreaterThan(0);
			expect(
				sandbox.log.count({ vendor: 'autotask', path: '/ThresholdInformation' }),
			).toBeGreaterThan(0);
			// It slowed down by what the counters said (5 s and more at 90% and above), not by a blind retry.
			expect(Math.max(...client.waits)).toBeGreaterThanOrEqual(5_000);
			expect(sandbox.contractViolations.filter((v) => v.vendor === 'autotask')).toEqual([]);
		});
	});
});

describe('token expiry in the middle of a run', () => {
	test('Microsoft Graph: the token expires after a few calls of a 12-item run; no item fails', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox);
			const users = sandbox.graph.users().slice(0, 12);
			const workflow = singleNodeWorkflow({
				name: 'Users',
				type: `${PACKAGE_NAME}.office365Users`,
				parameters: {
					resource: 'user',
					operation: 'get',
					user: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				credentials: { microsoftGraphAppApi: { id: 'g', name: 'Graph sandbox' } },
			});
			const warm = await runWorkflow({
				pkg: pkg(),
				credentials,
				workflow,
				input: [{ id: users[0].id as string }],
			});
			expect(warm.status).toBe('success');
			const minted = credentials.preAuthenticationCalls.get('microsoftGraphAppApi');
			expect(minted).toBe(1);

			sandbox.graph.expireTokensAfter(5);
			const result = await runWorkflow({
				pkg: pkg(),
				credentials,
				workflow,
				input: users.map((user) => ({ id: user.id as string })),
			});
			expect(result.status).toBe('success');
			expect(result.json('Users').map((json) => json.id)).toEqual(users.map((user) => user.id));
			expect(result.json('Users').filter((json) => json.error)).toEqual([]);
			expect(sandbox.log.count({ vendor: 'graph', status: 401 })).toBeGreaterThan(0);
			// Refreshed once for the run, not once per request that was in flight.
			expect(credentials.preAuthenticationCalls.get('microsoftGraphAppApi')).toBe(2);
		});
	});

	test('Datto RMM: the token expires after a few calls of an 18-alert batch; every alert ticketed', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox);
			const alerts = raiseAlerts(sandbox, 18, 'expiry');
			const workflow = singleNodeWorkflow(processAlertNode());
			const item = (uid: string) =>
				sandbox.datto.webhookItem(
					sandbox.datto.webhookBody(uid, 'raised'),
				) as unknown as IDataObject;
			const warm = await runWorkflow({
				pkg: pkg(),
				credentials,
				workflow,
				input: [item(alerts[0].alertUid)],
			});
			expect(allJson(warm, 'Process Alert')[0]).toMatchObject({ decision: 'created' });
			expect(credentials.preAuthenticationCalls.get('dattoRmmApi')).toBe(1);

			sandbox.datto.expireTokensAfter(3);
			const result = await runWorkflow({
				pkg: pkg(),
				credentials,
				workflow,
				input: alerts.slice(1).map((alert) => item(alert.alertUid)),
			});
			const out = allJson(result, 'Process Alert');
			expect(out.filter((json) => json.error)).toEqual([]);
			expect(out).toHaveLength(17);
			expect(sandbox.log.count({ vendor: 'datto', status: 401 })).toBeGreaterThan(0);
			expect(credentials.preAuthenticationCalls.get('dattoRmmApi')).toBe(2);
		});
	});

	test('a token that expired between runs is refreshed once, before the contact sync reads anything', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox);
			const staticData = new StaticDataStore();
			const sync = readTemplate(SYNC_FILES.autotask);
			const first = await runSync(sandbox, credentials, staticData, sync);
			expect(first.result.status).toBe('success');
			sandbox.graph.expireTokens();
			const second = await runSync(sandbox, credentials, staticData, sync);
			expect(second.result.status).toBe('success');
			expect(totalPlanned(second)).toBe(0);
			expect(credentials.preAuthenticationCalls.get('microsoftGraphAppApi')).toBe(2);
		});
	});
});

describe("Datto RMM's account-wide rate limit: two processes on one account", () => {
	/**
	 * Datto's window (600 reads in 60 s per account) scaled down to 4 reads a second, and the
	 * client's throttle schedule with it (the same rule, waits spread up to the window).
	 */
	const READS_PER_SECOND = 4;
	const policy: RetryPolicy = {
		...DATTO_RETRY_POLICY,
		throttle: { waitAtMostMs: 60_000, baseDelayMs: 125, windowMs: 1_000 },
	};

	/** One n8n process: its own API user, token and client; nothing shared but the account. */
	function process(sandbox: Sandbox, user: number): DattoClient {
		const apiUser = {
			apiKey: `worker-${user}`,
			apiSecret: `secret-${user}`,
			userName: `Worker ${user}`,
		};
		sandbox.datto.apiUsers.push(apiUser);
		const direct = new DirectClient(new DattoRmmApi(), {
			...sandbox.credentials.dattoRmmApi,
			apiKey: apiUser.apiKey,
			apiSecret: apiUser.apiSecret,
			accessToken: '',
		});
		return new DattoClient(direct, { policy });
	}

	test('two processes read more at once than the window allows: both wait their turn and finish every read correctly', async () => {
		await withSandbox(async (sandbox) => {
			sandbox.datto.config.readLimit = READS_PER_SECOND;
			sandbox.datto.config.windowMs = 1_000;
			const alerts = raiseAlerts(sandbox, 32, 'datto-window');
			const workers = [process(sandbox, 1), process(sandbox, 2)];
			// Each process reads its half of the alerts, 16 at a time (its executions' Datto reads): four
			// times what the window allows, for five seconds.
			const read = await Promise.all(
				workers.map(async (datto, w) => {
					const mine = alerts.filter((_, i) => i % 2 === w);
					return await mapWithConcurrency(mine.length, 16, async (i) => {
						const got = await datto.getAlert(mine[i].alertUid);
						return { asked: mine[i].alertUid, got: got?.alertUid, context: got?.alertContext };
					});
				}),
			);
			// The account's budget was exceeded (refusals), and every read still came back, right.
			expect(sandbox.datto.rateLimited.read).toBeGreaterThan(0);
			for (const results of read) {
				expect(results).toHaveLength(alerts.length / 2);
				for (const result of results) expect(result.got).toBe(result.asked);
			}
			expect(
				read.flat().map((result) => (result.context as { serviceName?: string }).serviceName),
			).toEqual(expect.arrayContaining(alerts.map((_, i) => `datto-window-${i}`)));
			expect(sandbox.log.count({ vendor: 'datto', path: '/v2/alert/', status: 200 })).toBe(
				alerts.length,
			);
			expect(sandbox.contractViolations.filter((v) => v.vendor === 'datto')).toEqual([]);
		});
	});
});
