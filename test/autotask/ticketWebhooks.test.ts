/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { applyTicketEvents } from '../../sandbox/autotask';
import { describeViolations } from '../../sandbox/core/contract';
import { readSeed, startSandbox } from '../../sandbox';
import type { Sandbox, Seed } from '../../sandbox';
import { autotaskSeed, COMPANY, rawAutotask, RESOURCE } from './fixtures';

type AnyRow = Record<string, unknown>;

/** A local HTTP receiver that keeps every request's raw bytes and answers with `status`. */
class Receiver {
	readonly received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
	status = 200;
	private server?: http.Server;
	url = '';

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				this.received.push({
					path: req.url ?? '',
					headers: req.headers,
					body: Buffer.concat(chunks).toString('utf8'),
				});
				res.writeHead(this.status).end(this.status < 300 ? 'ok' : 'refused');
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}
}

const SECRET = 'hook-secret-Ünïcode-&-plus+';

const signatureOf = (body: string, secret = SECRET) =>
	`sha1=${createHmac('sha1', secret).update(Buffer.from(body, 'utf8')).digest('base64')}`;

let sandbox: Sandbox;
let receiver: Receiver;

beforeEach(async () => {
	sandbox = await startSandbox({ seed: autotaskSeed() });
	receiver = await new Receiver().start();
});

afterEach(async () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
	await sandbox.stop();
	await receiver.stop();
});

/** Runs requests that break the contract on purpose: their request-side violations are dropped. */
async function deliberate<T>(run: () => Promise<T>): Promise<T> {
	const before = sandbox.contractViolations.length;
	const result = await run();
	const added = sandbox.contractViolations.splice(before);
	sandbox.contractViolations.push(
		...added.filter((violation) => violation.direction !== 'request'),
	);
	return result;
}

async function fieldId(name: string): Promise<number> {
	const info = await rawAutotask(sandbox, 'GET', '/TicketWebhookFields/entityInformation/fields');
	const fields = info.body.fields as Array<{ name: string; picklistValues: AnyRow[] | null }>;
	const value = fields
		.find((field) => field.name === 'fieldID')!
		.picklistValues!.find((entry) => entry.label === name)!.value;
	return Number(value);
}

async function createWebhook(extra: AnyRow = {}): Promise<{ id: number; guid: string }> {
	const created = await rawAutotask(sandbox, 'POST', '/TicketWebhooks', {
		body: {
			name: 'Ticket status to n8n',
			webhookUrl: `${receiver.url}/webhook/autotask-tickets`,
			deactivationUrl: `${receiver.url}/webhook/autotask-deactivated`,
			secretKey: SECRET,
			isActive: true,
			isSubscribedToUpdateEvents: true,
			...extra,
		},
	});
	expect(created.status).toBe(200);
	const id = Number(created.body.itemId);
	const read = await rawAutotask(sandbox, 'GET', `/TicketWebhooks/${id}`);
	return { id, guid: String((read.body.item as AnyRow).webhookGUID) };
}

async function addField(webhookId: number, name: string, flags: AnyRow) {
	return await rawAutotask(sandbox, 'POST', `/TicketWebhooks/${webhookId}/Fields`, {
		body: { fieldID: await fieldId(name), ...flags },
	});
}

/** A webhook on status changes that always shows the ticket's externalID. */
async function statusWebhook(): Promise<{ id: number; guid: string }> {
	const webhook = await createWebhook();
	expect((await addField(webhook.id, 'status', { isSubscribedField: true })).status).toBe(200);
	expect((await addField(webhook.id, 'externalID', { isDisplayAlwaysField: true })).status).toBe(
		200,
	);
	return webhook;
}

const setStatus = async (ticketId: number, status: number, headers: Record<string, string> = {}) =>
	await rawAutotask(sandbox, 'PATCH', '/Tickets', { body: { id: ticketId, status }, headers });

describe('the TicketWebhooks entity', () => {
	test('both URLs are required and must be absolute; the secret key is at most 64 characters', async () =>
		await deliberate(async () => {
			const missing = await rawAutotask(sandbox, 'POST', '/TicketWebhooks', {
				body: { name: 'x', webhookUrl: `${receiver.url}/a`, isActive: true },
			});
			expect(missing.status).toBe(500);
			expect(missing.body.errors).toEqual(['deactivationUrl: Value is required.']);
			const relative = await rawAutotask(sandbox, 'POST', '/TicketWebhooks', {
				body: { name: 'x', webhookUrl: '/a', deactivationUrl: `${receiver.url}/b`, isActive: true },
			});
			expect(relative.body.errors).toEqual(["webhookUrl: '/a' is not a valid absolute URL."]);
			const longSecret = await rawAutotask(sandbox, 'POST', '/TicketWebhooks', {
				body: {
					name: 'x',
					webhookUrl: `${receiver.url}/a`,
					deactivationUrl: `${receiver.url}/b`,
					isActive: true,
					secretKey: 'k'.repeat(65),
				},
			});
			expect(longSecret.body.errors?.[0]).toMatch(/secretKey.*maximum length of 64/);
			expect(sandbox.autotask.ticketWebhooks.webhooks).toHaveLength(0);
		}));

	test('a new webhook reads back a GUID and isReady false; it counts once it has a callout field', async () =>
		await deliberate(async () => {
			const webhook = await createWebhook({ webhookGUID: 'mine', isReady: true });
			expect(webhook.guid).toMatch(
				/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
			);
			const read = async () =>
				(await rawAutotask(sandbox, 'GET', `/TicketWebhooks/${webhook.id}`)).body.item as AnyRow;
			expect(await read()).toMatchObject({ isReady: false, secretKey: SECRET, isActive: true });

			// No update (and no callout) before the webhook has a field.
			const early = await rawAutotask(sandbox, 'PATCH', '/TicketWebhooks', {
				body: { id: webhook.id, name: 'renamed' },
			});
			expect(early.status).toBe(500);
			expect(early.body.errors?.[0]).toMatch(/At least one callout field/);
			await setStatus(7001, 8);
			expect(sandbox.autotask.pendingWebhookDeliveries()).toHaveLength(0);

			// A field must be a supported one, subscribed or displayed, and listed once.
			const unknown = await rawAutotask(sandbox, 'POST', `/TicketWebhooks/${webhook.id}/Fields`, {
				body: { fieldID: 999999, isSubscribedField: true },
			});
			expect(unknown.body.errors).toEqual(['fieldID: Value 999999 is not a valid picklist value.']);
			const idle = await addField(webhook.id, 'status', {});
			expect(idle.body.errors?.[0]).toMatch(/subscribed field, a display-always field, or both/);
			expect((await addField(webhook.id, 'status', { isSubscribedField: true })).status).toBe(200);
			const twice = await addField(webhook.id, 'status', { isDisplayAlwaysField: true });
			expect(twice.body.errors?.[0]).toMatch(/fieldID: Value \d+ is already on webhook/);

			expect(await read()).toMatchObject({ isReady: true, webhookGUID: webhook.guid });
			const renamed = await rawAutotask(sandbox, 'PATCH', '/TicketWebhooks', {
				body: { id: webhook.id, name: 'renamed' },
			});
			expect(renamed.status).toBe(200);
			expect(await read()).toMatchObject({ name: 'renamed', isReady: true });

			const fields = await rawAutotask(sandbox, 'GET', `/TicketWebhooks/${webhook.id}/Fields`);
			expect(fields.body.items).toEqual([
				expect.objectContaining({
					webhookID: webhook.id,
					fieldID: await fieldId('status'),
					isSubscribedField: true,
					isDisplayAlwaysField: false,
				}),
			]);
			const queried = await rawAutotask(sandbox, 'POST', '/TicketWebhookFields/query', {
				body: { filter: [{ op: 'eq', field: 'webhookID', value: webhook.id }] },
			});
			expect(queried.body.items).toHaveLength(1);
			const tickets = await rawAutotask(sandbox, 'GET', '/Tickets/entityInformation/fields');
			const status = (tickets.body.fields as AnyRow[]).find((field) => field.name === 'status');
			expect(status).toMatchObject({ isSupportedWebhookField: true });
		}));
});

describe('callouts', () => {
	test('a status change through the API queues one signed callout over the exact bytes; other changes do not', async () => {
		const webhook = await statusWebhook();
		expect((await setStatus(7001, 8)).status).toBe(200);
		await rawAutotask(sandbox, 'PATCH', '/Tickets', { body: { id: 7001, title: 'Renamed' } });
		await setStatus(7001, 8); // unchanged: no callout
		const [delivery, ...rest] = sandbox.autotask.pendingWebhookDeliveries();
		expect(rest).toEqual([]);
		expect(delivery.url).toBe(`${receiver.url}/webhook/autotask-tickets`);
		expect(delivery.headers['X-Hook-Signature']).toBe(signatureOf(delivery.body));
		expect(JSON.parse(delivery.body)).toEqual({
			Action: 'Update',
			Guid: webhook.guid,
			EntityType: 'Ticket',
			Id: 7001,
			Fields: { status: 8, externalID: 'rmm:alert-1' },
			EventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			SequenceNumber: 1,
			PersonID: sandbox.autotask.apiUsers[0].resourceId,
		});

		await setStatus(7001, 5);
		const second = sandbox.autotask.pendingWebhookDeliveries()[1];
		expect(JSON.parse(second.body)).toMatchObject({ SequenceNumber: 2, Fields: { status: 5 } });
	});

	test('strings are written as Autotask writes them (& < > \' " ` + and non-ASCII as \\uXXXX), and signed so', async () => {
		await statusWebhook();
		const tricky = `rmm:<a&b> 'q' "d" \`t\` 1+1 \\ Zoë 李`;
		await rawAutotask(sandbox, 'PATCH', '/Tickets', {
			body: { id: 7001, externalID: tricky.slice(0, 50) },
		});
		await setStatus(7001, 8);
		const [delivery] = sandbox.autotask.pendingWebhookDeliveries();
		expect(delivery.body).toMatch(/^[\x20-\x7e]+$/);
		expect(delivery.body).toContain(
			'"externalID":"rmm:\\u003Ca\\u0026b\\u003E \\u0027q\\u0027 \\u0022d\\u0022 \\u0060t\\u0060 1\\u002B1 \\\\ Zo\\u00EB \\u674E"',
		);
		expect((JSON.parse(delivery.body) as { Fields: AnyRow }).Fields.externalID).toBe(tricky);
		expect(delivery.headers['X-Hook-Signature']).toBe(signatureOf(delivery.body));
		// A receiver that re-serialises the parsed body gets other bytes, hence another signature.
		expect(signatureOf(JSON.stringify(JSON.parse(delivery.body)))).not.toBe(
			delivery.headers['X-Hook-Signature'],
		);
	});

	test("changes by an excluded resource call out nothing; the API user's own changes do, an inactive webhook never", async () => {
		const webhook = await statusWebhook();
		const excluded = await rawAutotask(
			sandbox,
			'POST',
			`/TicketWebhooks/${webhook.id}/ExcludedResources`,
			{ body: { resourceID: RESOURCE.alice } },
		);
		expect(excluded.status).toBe(200);
		await setStatus(7001, 8, { ImpersonationResourceId: String(RESOURCE.alice) });
		expect(sandbox.autotask.pendingWebhookDeliveries()).toHaveLength(0);
		await setStatus(7001, 5, { ImpersonationResourceId: String(RESOURCE.dave) });
		await setStatus(7001, 1);
		expect(
			sandbox.autotask.pendingWebhookDeliveries().map((d) => JSON.parse(d.body).PersonID),
		).toEqual([RESOURCE.dave, sandbox.autotask.apiUsers[0].resourceId]);

		await rawAutotask(sandbox, 'PATCH', '/TicketWebhooks', {
			body: { id: webhook.id, isActive: false },
		});
		await setStatus(7001, 8);
		const after = sandbox.autotask.pendingWebhookDeliveries();
		// The third is the deactivation call; no callout for the last change.
		expect(after.map((d) => d.url)).toEqual([
			`${receiver.url}/webhook/autotask-tickets`,
			`${receiver.url}/webhook/autotask-tickets`,
			`${receiver.url}/webhook/autotask-deactivated`,
		]);
		expect(JSON.parse(after[2].body)).toMatchObject({ Action: 'Deactivated', Guid: webhook.guid });
	});

	test("a ticket UDF can be subscribed: the UDF field ids are the tenant's ticket UDFs", async () => {
		sandbox.autotask.tickets[0].userDefinedFields = [{ name: 'Alert Key', value: 'k1' }];
		const webhook = await createWebhook();
		const info = await rawAutotask(
			sandbox,
			'GET',
			'/TicketWebhookUdfFields/entityInformation/fields',
		);
		const udf = (info.body.fields as AnyRow[]).find((field) => field.name === 'udfFieldID') as {
			picklistValues: AnyRow[];
		};
		const alertKey = udf.picklistValues.find((value) => value.label === 'Alert Key')!;
		const added = await rawAutotask(sandbox, 'POST', `/TicketWebhooks/${webhook.id}/UdfFields`, {
			body: { udfFieldID: Number(alertKey.value), isSubscribedField: true },
		});
		expect(added.status).toBe(200);
		await rawAutotask(sandbox, 'PATCH', '/Tickets', {
			body: { id: 7001, userDefinedFields: [{ name: 'Alert Key', value: 'k2' }] },
		});
		expect(JSON.parse(sandbox.autotask.pendingWebhookDeliveries()[0].body).Fields).toEqual({
			'Alert Key': 'k2',
		});
	});

	test('deleting a webhook removes its children and calls its deactivation URL', async () => {
		const webhook = await statusWebhook();
		const deleted = await rawAutotask(sandbox, 'DELETE', `/TicketWebhooks/${webhook.id}`);
		expect(deleted.body).toEqual({ itemId: webhook.id });
		expect(sandbox.autotask.ticketWebhooks.fields).toHaveLength(0);
		expect((await rawAutotask(sandbox, 'GET', `/TicketWebhooks/${webhook.id}`)).status).toBe(404);
		const [call] = sandbox.autotask.pendingWebhookDeliveries();
		expect(call.url).toBe(`${receiver.url}/webhook/autotask-deactivated`);
		expect(call.headers['X-Hook-Signature']).toBe(signatureOf(call.body));
	});
});

describe('delivery', () => {
	test('delivered only when asked, in order, byte for byte; a failure names the URL and stays queued', async () => {
		await statusWebhook();
		await setStatus(7001, 8);
		await setStatus(7001, 5);
		expect(receiver.received).toHaveLength(0);
		const queued = sandbox.autotask.pendingWebhookDeliveries();

		receiver.status = 503;
		const refused = await sandbox.autotask.deliverWebhooks();
		expect(refused.map((result) => result.ok)).toEqual([false, false]);
		expect(refused[0].error).toContain(`${receiver.url}/webhook/autotask-tickets`);
		expect(refused[0].error).toContain('503');
		expect(sandbox.autotask.pendingWebhookDeliveries()).toHaveLength(2);

		const closed = await sandbox.autotask.deliverWebhooks({ url: 'http://127.0.0.1:9/nowhere' });
		expect(closed[0]).toMatchObject({ ok: false, status: 0 });
		expect(closed[0].error).toContain('http://127.0.0.1:9/nowhere');

		receiver.status = 200;
		receiver.received.length = 0;
		const results = await sandbox.autotask.deliverWebhooks();
		expect(results.map((result) => result.status)).toEqual([200, 200]);
		expect(sandbox.autotask.pendingWebhookDeliveries()).toHaveLength(0);
		expect(receiver.received.map((request) => request.body)).toEqual(queued.map((d) => d.body));
		for (const request of receiver.received) {
			expect(request.path).toBe('/webhook/autotask-tickets');
			expect(request.headers['x-hook-signature']).toBe(signatureOf(request.body));
			expect(request.headers['content-type']).toMatch(/^application\/json/);
		}
	});

	test('the sandbox control route delivers too (for npm run sandbox users)', async () => {
		await statusWebhook();
		await setStatus(7001, 8);
		const response = await fetch(`${sandbox.urls.autotask}/_sandbox/autotask/webhooks/deliver`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(await response.json()).toEqual({ delivered: 1, failed: [] });
		expect(receiver.received).toHaveLength(1);
	});
});

describe('seeded webhooks and ticket events', () => {
	function seeded(): Seed {
		const seed = autotaskSeed();
		seed.autotask.tickets.push({
			id: 7003,
			ticketNumber: 'T20261101.0003',
			companyID: COMPANY.contoso,
			title: 'CPU high (native integration)',
			status: 1,
			priority: 2,
			rmmAlertID: 'alert-native',
			createDate: '2026-11-01T09:00:00.000Z',
		});
		seed.autotask.ticketWebhooks = [
			{
				id: 3,
				name: 'Seeded',
				webhookUrl: 'http://127.0.0.1:9/seeded',
				deactivationUrl: 'http://127.0.0.1:9/seeded-off',
				secretKey: SECRET,
				isActive: true,
				isSubscribedToUpdateEvents: true,
				fields: [{ fieldID: 103, isSubscribedField: true, isDisplayAlwaysField: false }],
				excludedResources: [{ resourceID: RESOURCE.dave }],
			},
		];
		seed.autotask.ticketEvents = [
			{ alertUid: 'alert-1', status: 5 },
			{ alertUid: 'no-such-alert', status: 5 },
			{ ticketId: 7003, status: 8 },
			{ ticketId: 7002, status: 1, resourceId: RESOURCE.dave },
		];
		return seed;
	}

	test('events apply in order through the write path; an alert with no ticket is reported, the rest still apply', async () => {
		await sandbox.stop();
		sandbox = await startSandbox({ seed: seeded() });
		const webhook = sandbox.autotask.ticketWebhooks.webhooks[0];
		expect(webhook).toMatchObject({ isReady: true, webhookGUID: expect.any(String) });

		const applied = applyTicketEvents(sandbox.autotask);
		expect(applied.outcomes.map((outcome) => [outcome.ticketIds, outcome.error])).toEqual([
			[[7001], undefined],
			[[], expect.stringContaining('no ticket carries the key of alert no-such-alert')],
			[[7003], undefined],
			[[7002], undefined],
		]);
		const ticket = (id: number) => sandbox.autotask.tickets.find((row) => row.id === id)!;
		expect(ticket(7001)).toMatchObject({ status: 5, completedByResourceID: RESOURCE.alice });
		expect(ticket(7003).status).toBe(8);
		// Dave is excluded on the webhook: his change calls out nothing.
		expect(applied.deliveries.map((d) => JSON.parse(d.body))).toEqual([
			expect.objectContaining({ Id: 7001, Fields: { status: 5 }, PersonID: RESOURCE.alice }),
			expect.objectContaining({ Id: 7003, Fields: { status: 8 }, Guid: webhook.webhookGUID }),
		]);
		for (const delivery of applied.deliveries)
			expect(delivery.headers['X-Hook-Signature']).toBe(signatureOf(delivery.body));
		// The seed's events are used up: applying again changes nothing.
		expect(applyTicketEvents(sandbox.autotask).outcomes).toEqual([]);
	});

	test("the caller says which tickets carry an alert's key", async () => {
		await statusWebhook();
		sandbox.autotask.tickets[1].externalID = 'KEY-FOR-alert-2';
		const applied = applyTicketEvents(sandbox.autotask, {
			events: [{ alertUid: 'alert-2', status: 8 }],
			carriesAlert: (ticket, uid) => ticket.id === 7001 && uid === 'alert-2',
		});
		expect(applied.outcomes[0].ticketIds).toEqual([7001]);
		expect(applied.deliveries).toHaveLength(1);
	});

	test('ticketWebhooks.json and ticketEvents.json are dumped in the layout they are read in', async () => {
		await sandbox.stop();
		sandbox = await startSandbox({ seed: seeded() });
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ticket-webhooks-'));
		try {
			sandbox.dumpTo(directory);
			const again = readSeed(directory);
			expect(again.autotask.ticketWebhooks).toEqual([
				expect.objectContaining({
					id: 3,
					isReady: true,
					webhookGUID: sandbox.autotask.ticketWebhooks.webhooks[0].webhookGUID,
					fields: [expect.objectContaining({ id: 1, webhookID: 3, fieldID: 103 })],
					udfFields: [],
					excludedResources: [expect.objectContaining({ webhookID: 3, resourceID: RESOURCE.dave })],
				}),
			]);
			expect(again.autotask.ticketEvents).toEqual(seeded().autotask.ticketEvents);
			const twin = await startSandbox({ seed: again });
			try {
				expect(twin.dump().autotask).toEqual(sandbox.dump().autotask);
			} finally {
				await twin.stop();
			}
		} finally {
			fs.rmSync(directory, { recursive: true, force: true });
		}
	});
});
