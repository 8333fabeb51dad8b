import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { parseAlertEvent, WEBHOOK_TEMPLATE_RAISED } from '../../lib/alerts/webhook';
import { VendorApiError } from '../../lib/transport/http';
import {
	DATTO_RATE_LIMIT_WAIT_MS,
	DATTO_RATE_WINDOW_MS,
	DattoClient,
	nextPageRequest,
} from '../../lib/transport/datto';
import { describeViolations } from '../../sandbox/core/contract';
import { emptySeed, startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { DirectClient } from '../../dev/directClient';
import { json, loopbackServer } from '../support/loopbackServer';
import {
	alert,
	DEVICE_A,
	DEVICE_C,
	devices,
	manyAlerts,
	SITE_MAPPED,
	SITE_UNMAPPED,
	sites,
} from './fixtures';

let sandbox: Sandbox;

/** A DirectClient that records the waits the retry policy asks for instead of sleeping them. */
class WaitRecordingClient extends DirectClient {
	readonly waits: number[] = [];

	async sleep(ms: number): Promise<void> {
		this.waits.push(ms);
	}
}

function client(overrides: Record<string, string> = {}) {
	const direct = new DirectClient(new DattoRmmApi(), {
		...sandbox.credentials.dattoRmmApi,
		accessToken: '',
		...overrides,
	});
	return { direct, datto: new DattoClient(direct) };
}

beforeAll(async () => {
	const seed = emptySeed();
	seed.datto.sites = sites();
	seed.datto.devices = devices();
	seed.datto.alerts = [
		...manyAlerts(230),
		alert('6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11', DEVICE_A, {
			'@class': 'srvc_status_ctx',
			serviceName: 'Spooler',
			status: 'STOPPED',
		}),
	];
	seed.datto.webhooks = [
		{ event: 'raised', alertUid: '6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11' },
		{ event: 'resolved', alertUid: '6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11' },
	];
	sandbox = await startSandbox({ seed });
	sandbox.datto.config.cutoffDelayMs = 0;
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => sandbox.datto.resetRateWindows());

describe('Datto RMM sandbox through the package transport', () => {
	test('token: minted once with the public client, reused, re-minted after expiry (401)', async () => {
		const { direct, datto } = client();
		expect(await datto.getSite(SITE_MAPPED)).toMatchObject({
			uid: SITE_MAPPED,
			autotaskCompanyId: '174',
			autotaskCompanyName: 'Contoso Ltd',
		});
		expect(await datto.getDevice(DEVICE_A)).toMatchObject({
			uid: DEVICE_A,
			hostname: 'CONTOSO-PC01',
			siteUid: SITE_MAPPED,
		});
		expect(direct.preAuthenticationCalls).toBe(1);
		sandbox.datto.expireTokens();
		const before = sandbox.log.count({ vendor: 'datto', status: 401 });
		expect(await datto.getSite(SITE_UNMAPPED)).toMatchObject({
			uid: SITE_UNMAPPED,
			autotaskCompanyId: null,
		});
		expect(direct.preAuthenticationCalls).toBe(2);
		expect(sandbox.log.count({ vendor: 'datto', status: 401 })).toBe(before + 1);
		expect(
			sandbox.log.count({ vendor: 'datto', path: '/auth/oauth/token', status: 200 }),
		).toBeGreaterThanOrEqual(2);
	});

	test('token: a wrong secret is refused with the OAuth error, and the credential says what to check', async () => {
		const { datto } = client({ apiSecret: 'wrong-secret' });
		await expect(datto.getSite(SITE_MAPPED)).rejects.toThrow(
			/did not issue an API token \(Bad credentials\).*API key and secret/,
		);
		const response = await fetch(`${sandbox.urls.datto}/auth/oauth/token`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `Basic ${Buffer.from('someone:else').toString('base64')}`,
			},
			body: 'grant_type=password&username=x&password=y',
		});
		expect(response.status).toBe(401);
	});

	test('paging: every page followed, the dropped muted filter added back', async () => {
		const { datto } = client();
		const open = await datto.listAlerts({ level: 'account' }, 'open', {
			muted: false,
			pageSize: 40,
		});
		const expected = sandbox.datto.alerts
			.filter((a) => !a.resolved && !a.muted)
			.map((a) => a.alertUid)
			.sort();
		expect(open.map((a) => a.alertUid).sort()).toEqual(expected);
		const calls = sandbox.log.filter({ vendor: 'datto', path: '/api/v2/account/alerts/open' });
		expect(calls.length).toBe(Math.ceil(expected.length / 40));
		// The sandbox's nextPageUrl drops `muted`, like Datto; every page was still asked with it.
		for (const call of calls) expect(new URLSearchParams(call.query).get('muted')).toBe('false');
		const firstPage = (await (
			await fetch(`${sandbox.urls.datto}/api/v2/account/alerts/open?muted=false&max=40`, {
				headers: { Authorization: `Bearer ${[...sandbox.datto.tokens.keys()].pop()}` },
			})
		).json()) as { pageDetails: { nextPageUrl: string; totalCount: number } };
		expect(firstPage.pageDetails.nextPageUrl).not.toContain('muted');
		expect(firstPage.pageDetails.totalCount).toBe(expected.length);
	});

	test('paging: site and device scopes, resolved alerts, and a limit', async () => {
		const { datto } = client();
		const siteResolved = await datto.listAlerts({ level: 'site', uid: SITE_UNMAPPED }, 'resolved');
		expect(siteResolved.length).toBeGreaterThan(0);
		expect(
			siteResolved.every((a) => a.resolved && a.alertSourceInfo?.siteUid === SITE_UNMAPPED),
		).toBe(true);
		const deviceOpen = await datto.listAlerts({ level: 'device', uid: DEVICE_C }, 'open', {
			limit: 7,
			pageSize: 5,
		});
		expect(deviceOpen).toHaveLength(7);
		expect(typeof deviceOpen[0].timestamp).toBe('number');
		await expect(
			datto.listAlerts({ level: 'site', uid: 'no-such-site' }, 'open'),
		).rejects.toMatchObject({ httpCode: 404, message: 'Datto RMM: Site was not found.' });
		expect(
			nextPageRequest(
				'https://merlot-api.centrastage.net/api/v2/account/alerts/open?max=40&page=1',
				{ muted: false, max: 40 },
			),
		).toBe('/v2/account/alerts/open?max=40&page=1&muted=false');
	});

	test('rate limits: reads over the account window get 429 with Retry-After, the transport waits and succeeds', async () => {
		sandbox.datto.config.readLimit = 4;
		sandbox.datto.config.windowMs = 1200;
		try {
			const { datto } = client();
			const uids = sandbox.datto.alerts.slice(0, 8).map((a) => a.alertUid);
			const got = await Promise.all(uids.map(async (uid) => await datto.getAlert(uid)));
			expect(got.map((a) => a?.alertUid)).toEqual(uids);
			expect(sandbox.datto.rateLimited.read).toBeGreaterThan(0);
			const throttled = sandbox.log.filter({ vendor: 'datto', status: 429 });
			expect(throttled.length).toBe(sandbox.datto.rateLimited.read);
		} finally {
			sandbox.datto.config.readLimit = 600;
			sandbox.datto.config.windowMs = 60_000;
		}
	});

	describe("the account's window, spent by another process", () => {
		/** A second API user of the account whose client records the waits instead of sleeping them. */
		function otherProcess() {
			const other = { apiKey: 'other-key', apiSecret: 'other-secret', userName: 'Other API User' };
			if (!sandbox.datto.apiUsers.some((user) => user.apiKey === other.apiKey))
				sandbox.datto.apiUsers.push(other);
			const direct = new WaitRecordingClient(new DattoRmmApi(), {
				...sandbox.credentials.dattoRmmApi,
				apiKey: other.apiKey,
				apiSecret: other.apiSecret,
				accessToken: '',
			});
			return { direct, datto: new DattoClient(direct) };
		}

		afterEach(() => {
			sandbox.datto.config.readLimit = 600;
			sandbox.datto.config.retryAfter = true;
		});

		test.each([
			['with Retry-After', true],
			['without Retry-After', false],
		])(
			"%s: one user's reads spend it, another user's read is refused and waited out for three windows, then fails naming the account-wide limit and the fix",
			async (_label, retryAfter) => {
				sandbox.datto.config.readLimit = 3;
				sandbox.datto.config.retryAfter = retryAfter;
				const uids = sandbox.datto.alerts.slice(0, 4).map((a) => a.alertUid);
				const { datto } = client();
				for (const uid of uids.slice(0, 3)) expect((await datto.getAlert(uid))?.alertUid).toBe(uid);

				// The window (60 s) does not move while the other client "waits": its waits are recorded.
				const other = otherProcess();
				const failed = await other.datto.getAlert(uids[3]).catch((error: unknown) => error);
				expect(failed).toBeInstanceOf(VendorApiError);
				expect(failed).toMatchObject({
					httpCode: 429,
					message: expect.stringMatching(
						/^Datto RMM's account-wide API rate limit was reached and did not free up within 180 s/,
					),
					description: expect.stringMatching(/fewer n8n workers or lower their concurrency/),
				});
				const waits = other.direct.waits;
				expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(DATTO_RATE_LIMIT_WAIT_MS);
				// Every refusal was waited out (Retry-After at least), spreading out up to Datto's window:
				// a few requests, not a retry storm.
				expect(other.datto.requestCount).toBe(waits.length + 1);
				expect(sandbox.datto.rateLimited.read).toBe(waits.length + 1);
				waits.slice(0, -1).forEach((wait, i) => {
					const spread = Math.min(DATTO_RATE_WINDOW_MS, 1000 * 2 ** i);
					expect(wait).toBeGreaterThanOrEqual(retryAfter ? 55_000 : spread / 2);
					expect(wait).toBeLessThanOrEqual(retryAfter ? 61_000 + spread / 2 : spread);
				});
				expect(waits.length).toBeLessThanOrEqual(retryAfter ? 4 : 12);
			},
		);
	});

	test('resolve: the alert is resolved by the API user, the resolved webhook is queued, repeats are harmless', async () => {
		const { datto } = client();
		const raised = sandbox.datto.raiseAlert({
			deviceUid: DEVICE_A,
			alertContext: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
			priority: 'Critical',
		});
		sandbox.datto.takeOutbox();
		await datto.resolveAlert(raised.alertUid);
		const after = await datto.getAlert(raised.alertUid);
		expect(after).toMatchObject({ resolved: true, resolvedBy: 'API User (sandbox)' });
		expect(typeof after?.resolvedOn).toBe('number');
		const outbox = sandbox.datto.takeOutbox();
		expect(outbox).toHaveLength(1);
		expect(outbox[0]).toMatchObject({
			event: 'resolved',
			alertUid: raised.alertUid,
			body: { event: 'resolved', alertUid: raised.alertUid, hostname: 'CONTOSO-PC01' },
		});
		await datto.resolveAlert(raised.alertUid);
		expect(sandbox.datto.takeOutbox()).toHaveLength(0);
		const missing = await datto
			.resolveAlert('00000000-dead-4000-8000-000000000000')
			.catch((error: unknown) => error);
		expect(missing).toBeInstanceOf(VendorApiError);
		expect(missing).toMatchObject({ httpCode: 404, message: 'Datto RMM: Alert was not found.' });
		expect(await datto.getAlert('00000000-dead-4000-8000-000000000000')).toBeUndefined();
	});

	test('resolve: the write window is separate from reads and is waited out', async () => {
		sandbox.datto.config.writeLimit = 2;
		sandbox.datto.config.windowMs = 1000;
		try {
			const { datto } = client();
			const raised = [1, 2, 3].map(() =>
				sandbox.datto.raiseAlert({
					deviceUid: DEVICE_C,
					alertContext: { '@class': 'srvc_status_ctx', serviceName: 'W32Time', status: 'STOPPED' },
				}),
			);
			for (const one of raised) await datto.resolveAlert(one.alertUid);
			expect(raised.every((one) => sandbox.datto.alert(one.alertUid)?.resolved)).toBe(true);
			expect(sandbox.datto.rateLimited.write).toBeGreaterThan(0);
			expect(sandbox.datto.rateLimited.read).toBe(0);
		} finally {
			sandbox.datto.config.writeLimit = 100;
			sandbox.datto.config.windowMs = 60_000;
		}
	});

	test('sites: listed with the Autotask company mapping, filtered by name', async () => {
		const { datto } = client();
		expect((await datto.listSites()).map((s) => s.uid)).toEqual([SITE_MAPPED, SITE_UNMAPPED]);
		expect((await datto.listSites({ siteName: 'warehouse' })).map((s) => s.name)).toEqual([
			'Fabrikam Warehouse',
		]);
	});

	test('webhooks: the documented template filled with the alert, as a body, a Webhook-node item and a delivery', async () => {
		const raised = sandbox.datto.raiseAlert({
			deviceUid: DEVICE_A,
			alertContext: {
				'@class': 'perf_disk_usage_ctx',
				diskName: 'C:',
				freeSpace: 2.1,
				totalVolume: 237,
				unitOfMeasure: 'GB',
			},
			priority: 'High',
			message: 'Disk "C:" is below 5% free',
		});
		const body = sandbox.datto.webhookBody(raised.alertUid, 'raised');
		expect(Object.keys(body)).toEqual(Object.keys(JSON.parse(WEBHOOK_TEMPLATE_RAISED)));
		expect(body).toMatchObject({
			event: 'raised',
			alertUid: raised.alertUid,
			priority: 'High',
			alertType: 'Disk Usage',
			message: 'Disk "C:" is below 5% free',
			deviceUid: DEVICE_A,
			siteUid: SITE_MAPPED,
			hostname: 'CONTOSO-PC01',
		});
		expect(parseAlertEvent(body)).toMatchObject({
			kind: 'raised',
			alertUid: raised.alertUid,
			hints: { message: 'Disk "C:" is below 5% free' },
		});
		const item = sandbox.datto.webhookItem(body, {
			secret: 's3cret',
			secretHeader: 'x-webhook-secret',
		});
		expect(item).toMatchObject({
			headers: { 'x-webhook-secret': 's3cret', 'content-type': 'application/json' },
			query: {},
			params: {},
			body,
		});

		const receiver = await loopbackServer((_request, res) => json(res, 200, { ok: true }));
		try {
			const delivered = await sandbox.datto.deliver(
				`${receiver.url}/webhook/datto-rmm-alerts`,
				body,
				{ secret: 's3cret' },
			);
			expect(delivered.status).toBe(200);
			expect(receiver.seen[0].url).toBe('/webhook/datto-rmm-alerts?secret=s3cret');
			expect(JSON.parse(receiver.seen[0].body)).toEqual(body);
			// Seed bodies are replayed: the resolved one resolves its alert before it is sent.
			sandbox.datto.takeOutbox();
			const control = await fetch(`${sandbox.urls.datto}/_sandbox/datto/webhooks/deliver`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ url: `${receiver.url}/hook`, source: 'seed' }),
			});
			expect(await control.json()).toEqual({ delivered: 2, statuses: [200, 200] });
			expect(receiver.seen.slice(1).map((seen) => JSON.parse(seen.body))).toEqual([
				{ event: 'raised', alertUid: '6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11' },
				{ event: 'resolved', alertUid: '6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11' },
			]);
			expect(sandbox.datto.alert('6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11')).toMatchObject({
				resolved: true,
				resolvedBy: 'Auto-resolve',
			});
			// The replayed body is that resolve's webhook: none is queued on top of it.
			expect(sandbox.datto.takeOutbox()).toEqual([]);
		} finally {
			await receiver.close();
		}
	});

	test("webhooks: without a monitor name or message the body carries Datto's category and sentence for the alert", () => {
		const stopped = sandbox.datto.raiseAlert({
			deviceUid: DEVICE_A,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'Spooler', status: 'STOPPED' },
		});
		expect(stopped.diagnostics).toBe('Service Spooler is stopped');
		expect(sandbox.datto.webhookBody(stopped.alertUid, 'raised')).toMatchObject({
			alertType: 'Service Status',
			category: 'Service Status',
			message: 'Service Spooler is stopped',
		});
		const unlisted = sandbox.datto.raiseAlert({
			deviceUid: DEVICE_A,
			alertContext: { '@class': 'brand_new_ctx', level: 3 },
			diagnostics: 'level 3',
		});
		expect(unlisted.diagnostics).toBe('level 3');
		expect(sandbox.datto.webhookBody(unlisted.alertUid, 'raised')).toMatchObject({
			category: 'Brand New',
			message: 'Brand New alert',
		});
		sandbox.datto.takeOutbox();
	});

	test('replaySeedWebhook: a resolved body resolves its alert (once, no outbox entry); a raised body changes nothing', () => {
		const open = sandbox.datto.raiseAlert({
			deviceUid: DEVICE_A,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'Replayed', status: 'STOPPED' },
		});
		sandbox.datto.takeOutbox();
		const raisedBody = { event: 'raised', alertUid: open.alertUid };
		expect(sandbox.datto.replaySeedWebhook(raisedBody)).toBe(raisedBody);
		expect(sandbox.datto.alert(open.alertUid)?.resolved).toBe(false);
		const resolvedBody = sandbox.datto.webhookBody(open.alertUid, 'resolved');
		expect(sandbox.datto.replaySeedWebhook(resolvedBody)).toBe(resolvedBody);
		const resolved = structuredClone(sandbox.datto.alert(open.alertUid));
		expect(resolved).toMatchObject({
			resolved: true,
			resolvedBy: 'Auto-resolve',
			resolvedOn: expect.any(Number),
		});
		sandbox.datto.replaySeedWebhook(resolvedBody);
		expect(sandbox.datto.alert(open.alertUid)).toEqual(resolved);
		expect(sandbox.datto.takeOutbox()).toEqual([]);
		// A raise after the resolve does not raise the alert again; an unknown alert is left alone.
		sandbox.datto.replaySeedWebhook(raisedBody);
		expect(sandbox.datto.alert(open.alertUid)?.resolved).toBe(true);
		expect(() =>
			sandbox.datto.replaySeedWebhook({ event: 'resolved', alertUid: 'no-such-alert' }),
		).not.toThrow();
	});

	test('dump: the state in the seed layout, vendor-native', () => {
		const dumped = sandbox.dump().datto;
		expect(Object.keys(dumped).sort()).toEqual([
			'alerts',
			'deviceAudits',
			'devices',
			'sites',
			'webhooks',
		]);
		expect(dumped.alerts.length).toBe(sandbox.datto.alerts.length);
		expect(dumped.sites).toEqual(sites());
	});

	test('every exchange so far validates against the Datto RMM document', () => {
		const datto = sandbox.contractViolations.filter((violation) => violation.vendor === 'datto');
		expect(describeViolations(datto)).toBe('');
	});

	test('a wrong platform or path answers 404, not 401', async () => {
		const response = await fetch(`${sandbox.urls.datto}/api/v2/accounts`, {
			headers: { Authorization: 'Bearer nothing' },
		});
		expect(response.status).toBe(404);
		const unauthorized = await fetch(`${sandbox.urls.datto}/api/v2/account/sites`);
		expect(unauthorized.status).toBe(401);
		expect(await unauthorized.json()).toMatchObject({ status: 401, error: 'Unauthorized' });
	});
});
