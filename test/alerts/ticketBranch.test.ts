/**
 * Issue 22 through the n8n engine: the Autotask alert template's one RMM Alert to Ticket node
 * (Handle Trigger) takes every trigger: Datto's webhook, Autotask's ticket webhook and the
 * schedule. Its settings are set once; Set Up Ticket Webhook creates the webhook the ticket branch
 * needs and changes nothing when run again.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { ticketDeliveryItem } from '../../dev/demo/ticketDeliveries';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { applyTicketEvents } from '../../sandbox/autotask';
import type { OutboundDelivery } from '../../sandbox/core/outbox';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { allJson, credentialStore, pkg } from '../reliability/support';
import { alertTickets, delivery } from './helpers';
import type { AlertHarness } from './helpers';

const FILE = path.join(PACKAGE_ROOT, 'workflows', 'datto-rmm-alerts-to-autotask-tickets.json');
const NODE = 'RMM Alert to Ticket';
const SECRET = 'at-hook-secret-&+"<x>';
const HOOK_URL = 'https://n8n.example.com/webhook/autotask-ticket-webhook';

type Template = WorkflowDefinition & { nodes: INode[] };
const template = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Template;

let sandbox: Sandbox;
let h: AlertHarness;

function withNode(parameters: IDataObject): Template {
	const copy = structuredClone(template);
	const node = copy.nodes.find((n) => n.name === NODE)!;
	node.parameters = { ...node.parameters, ...parameters } as INode['parameters'];
	return copy;
}

const workflow = () => withNode({ webhookSecretKey: SECRET });

async function start(startNode: string, input?: IDataObject[], flow: Template = workflow()) {
	return await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: flow,
		startNode,
		mode: input ? 'webhook' : 'trigger',
		...(input ? { input } : {}),
	});
}

const datto = async (uid: string, event: 'raised' | 'resolved', flow?: Template) =>
	delivery(
		await start(
			'Datto RMM Webhook',
			[sandbox.datto.webhookItem(sandbox.datto.webhookBody(uid, event)) as unknown as IDataObject],
			flow,
		),
		NODE,
	);

const ticketHook = async (items: IDataObject[]) =>
	delivery(await start('Autotask Ticket Webhook', items), NODE);

/** Runs the template's node as Set Up Ticket Webhook (what a user adds once). */
async function setUp() {
	const node = template.nodes.find((n) => n.name === NODE)!;
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: singleNodeWorkflow({
			name: NODE,
			type: node.type,
			typeVersion: 2,
			credentials: node.credentials,
			parameters: {
				operation: 'setUpTicketWebhook',
				webhookSecretKey: SECRET,
				ticketWebhookUrl: HOOK_URL,
			},
		}),
	});
	return delivery(result, NODE);
}

/** A technician sets the ticket's status in Autotask: the callouts it queued. */
function technicianSets(ticketId: number, status: number): OutboundDelivery[] {
	const applied = applyTicketEvents(sandbox.autotask, { events: [{ ticketId, status }] });
	expect(applied.outcomes[0].error).toBeUndefined();
	return applied.deliveries;
}

const writesSince = (seq: number) =>
	sandbox.log.entries.filter(
		(e) =>
			e.seq > seq &&
			e.vendor === 'autotask' &&
			e.method !== 'GET' &&
			!/\/query(\/count)?$/.test(e.path),
	);
const dattoResolvesSince = (seq: number) =>
	sandbox.log.entries.filter(
		(e) => e.seq > seq && e.vendor === 'datto' && e.path.endsWith('/resolve'),
	).length;
const lastSeq = () => sandbox.log.entries.at(-1)?.seq ?? 0;
const isResolved = (uid: string) => sandbox.datto.alert(uid)?.resolved === true;
const ticketOf = (uid: string) => Number(alertTickets(h, uid)[0].id);

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = { sandbox, pkg: pkg(), credentials: credentialStore(sandbox) };
});

afterAll(async () => {
	await sandbox.stop();
});

describe('the Autotask alert template: one node for every trigger (issue 22)', () => {
	test('Set Up Ticket Webhook creates the ticket webhook with the Status callout field and says so; run again it changes nothing', async () => {
		const hooks = () =>
			sandbox.autotask.ticketWebhooks.webhooks.filter((row) => row.webhookUrl === HOOK_URL);
		const first = await setUp();
		expect(first.result.error?.message ?? first.result.status).toBe('success');
		expect(first.created).toEqual([
			expect.objectContaining({ psa: 'autotask', action: 'created', url: HOOK_URL, ready: true }),
		]);
		expect(String(first.created[0].changes)).toMatch(/created the ticket webhook/);
		expect(hooks()).toHaveLength(1);
		expect(hooks()[0]).toMatchObject({
			isActive: true,
			isSubscribedToUpdateEvents: true,
			secretKey: SECRET,
		});
		const fields = sandbox.autotask.ticketWebhooks.fields.filter(
			(row) => Number(row.webhookID) === Number(hooks()[0].id),
		);
		expect(fields).toEqual([
			expect.objectContaining({ isSubscribedField: true, isDisplayAlwaysField: true }),
		]);
		// The secret never reaches the output.
		expect(JSON.stringify(first.all)).not.toContain(SECRET);

		const from = lastSeq();
		const again = await setUp();
		expect(again.skipped).toEqual([
			expect.objectContaining({ action: 'unchanged', changes: [], id: hooks()[0].id }),
		]);
		expect(writesSince(from)).toEqual([]);
		expect(hooks()).toHaveLength(1);
	});

	test("a ticket completed by a technician: its signed callout through the template's ticket branch resolves the alert; forged and unsigned callouts are rejected and change nothing; a re-delivery changes nothing", async () => {
		await setUp();
		const alert = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[2].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'TicketBranch', status: 'STOPPED' },
		});
		expect((await datto(alert.alertUid, 'raised')).created).toHaveLength(1);
		const callouts = technicianSets(ticketOf(alert.alertUid), 5);
		expect(callouts).toHaveLength(1);
		const item = ticketDeliveryItem(callouts[0]);

		const forged = structuredClone(item);
		(forged.headers as IDataObject)['x-hook-signature'] = 'sha1=AAAAAAAAAAAAAAAAAAAAAAAAAAA=';
		const unsigned = structuredClone(item);
		delete (unsigned.headers as IDataObject)['x-hook-signature'];
		const from = lastSeq();
		for (const [bad, message] of [
			[forged, /does not match the secret key/],
			[unsigned, /X-Hook-Signature header is missing/],
		] as const) {
			const rejected = await ticketHook([bad]);
			expect(rejected.result.status).toBe('error');
			expect(rejected.result.error?.message).toMatch(message);
		}
		expect(sandbox.log.entries.filter((e) => e.seq > from)).toEqual([]);
		expect(isResolved(alert.alertUid)).toBe(false);

		const resolved = await ticketHook([item]);
		expect(resolved.result.status).toBe('success');
		expect(resolved.completed).toEqual([
			expect.objectContaining({ decision: 'alertResolved', alertUid: alert.alertUid }),
		]);
		expect(isResolved(alert.alertUid)).toBe(true);

		const replayedAt = lastSeq();
		const replay = await ticketHook([item, item]);
		expect(replay.all.map((o) => o.decision)).toEqual(['alreadyResolved', 'alreadyResolved']);
		expect(dattoResolvesSince(replayedAt)).toBe(0);
		expect(writesSince(replayedAt)).toEqual([]);
	});

	test("the node's own completion comes back as a callout and is answered harmlessly; a status other than complete needs no read", async () => {
		await setUp();
		const alert = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[3].uid,
			alertContext: {
				'@class': 'srvc_status_ctx',
				serviceName: 'OwnCompletion',
				status: 'STOPPED',
			},
		});
		expect((await datto(alert.alertUid, 'raised')).created).toHaveLength(1);
		const ticketId = ticketOf(alert.alertUid);
		const inProgress = technicianSets(ticketId, 8);
		const read = lastSeq();
		const notComplete = await ticketHook(inProgress.map(ticketDeliveryItem));
		expect(notComplete.all.map((o) => o.decision)).toEqual(['ticketNotComplete']);
		expect(sandbox.log.entries.filter((e) => e.seq > read)).toEqual([]);
		technicianSets(ticketId, 1);

		const queued = sandbox.autotask.pendingWebhookDeliveries().length;
		sandbox.datto.resolveAlert(alert.alertUid);
		expect((await datto(alert.alertUid, 'resolved')).completed).toHaveLength(1);
		const own = sandbox.autotask.pendingWebhookDeliveries().slice(queued);
		expect(own).toHaveLength(1);
		const from = lastSeq();
		const echo = await ticketHook(own.map(ticketDeliveryItem));
		expect(echo.result.status).toBe('success');
		expect(echo.all.map((o) => o.decision)).toEqual(['alreadyResolved']);
		expect(dattoResolvesSince(from)).toBe(0);
	});

	test('settings set once on the one node hold for both paths: the queue of a ticket the webhook opened and of one the backstop opened; the backstop resolves the alert of a ticket completed while the ticket webhook was lost', async () => {
		const QUEUE = '29683482';
		const flow = withNode({ webhookSecretKey: SECRET, ticketDefaults: { queueID: QUEUE } });
		const viaWebhook = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[4].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'ViaWebhook', status: 'STOPPED' },
		});
		expect((await datto(viaWebhook.alertUid, 'raised', flow)).created).toHaveLength(1);
		// Its webhook lost: only the backstop sees this one.
		const viaBackstop = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[5].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'ViaBackstop', status: 'STOPPED' },
		});
		const sync = delivery(await start('Every 15 Minutes', undefined, flow), NODE);
		expect(sync.result.status).toBe('success');
		expect(sync.created.map((o) => o.alertUid)).toContain(viaBackstop.alertUid);
		for (const uid of [viaWebhook.alertUid, viaBackstop.alertUid])
			expect(alertTickets(h, uid).map((t) => String(t.queueID))).toEqual([QUEUE]);

		// Completed in Autotask; its callout never arrives.
		technicianSets(ticketOf(viaBackstop.alertUid), 5);
		const again = delivery(await start('Sync Now', undefined, flow), NODE);
		expect(again.result.status).toBe('success');
		expect(again.completed).toEqual([
			expect.objectContaining({ decision: 'alertResolved', alertUid: viaBackstop.alertUid }),
		]);
		expect(isResolved(viaBackstop.alertUid)).toBe(true);
		expect(isResolved(viaWebhook.alertUid)).toBe(false);
	});

	test('items of several triggers in one execution are each handled as what they are', async () => {
		await setUp();
		const alert = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[2].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'Mixed', status: 'STOPPED' },
		});
		const mixed = await runWorkflow({
			pkg: h.pkg,
			credentials: h.credentials,
			workflow: singleNodeWorkflow(
				withNode({
					webhookSecretKey: SECRET,
					options: { stormPerDevice: 0, stormPerSite: 0 },
				}).nodes.find((n) => n.name === NODE)!,
			),
			input: [
				sandbox.datto.webhookItem(
					sandbox.datto.webhookBody(alert.alertUid, 'raised'),
				) as unknown as IDataObject,
				{ timestamp: new Date().toISOString() },
			],
		});
		const out = allJson(mixed, NODE);
		expect(mixed.status).toBe('success');
		expect(out.filter((o) => o.alertUid === alert.alertUid).map((o) => o.decision)).toEqual([
			'created',
		]);
	});

	test('no contract violations', () => {
		expect(describeViolations(sandbox.contractViolations)).toBe('');
	});
});
