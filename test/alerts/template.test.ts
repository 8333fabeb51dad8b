/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { nativeTicketReason, normalizeAlert } from '../../lib/alerts/alert';
import { parseAlertKey, problemPrefix } from '../../lib/alerts/key';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { runWorkflow } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { alertTickets, delivery, harness } from './helpers';
import type { AlertHarness } from './helpers';

/** The template's one alert node: every trigger reaches it. */
const ALERT_NODE = 'RMM Alert to Ticket';
const FILE = path.join(PACKAGE_ROOT, 'workflows', 'datto-rmm-alerts-to-autotask-tickets.json');

interface Template extends WorkflowDefinition {
	id: string;
	name: string;
	nodes: Array<INode & { webhookId?: string }>;
}

let sandbox: Sandbox;
let h: AlertHarness;
const template = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Template;

function withParameters(name: string, parameters: IDataObject): Template {
	const copy = structuredClone(template);
	const node = copy.nodes.find((n) => n.name === name)!;
	node.parameters = { ...node.parameters, ...parameters } as INode['parameters'];
	return copy;
}

async function deliver(
	body: unknown,
	workflow: Template = template,
	options: { secret?: string } = {},
) {
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow,
		startNode: 'Datto RMM Webhook',
		mode: 'webhook',
		input: [
			sandbox.datto.webhookItem(
				body,
				options.secret ? { secret: options.secret } : {},
			) as unknown as IDataObject,
		],
	});
	return delivery(result, ALERT_NODE);
}

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterAll(async () => {
	await sandbox.stop();
});

describe('workflows/datto-rmm-alerts-to-autotask-tickets.json', () => {
	test('is an n8n export that imports as-is: known node types, ids, webhook, schedule, credential placeholders', () => {
		expect(template.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		const allowed = [
			'n8n-nodes-base.webhook',
			'n8n-nodes-base.scheduleTrigger',
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.stickyNote',
			'n8n-nodes-msp.rmmAlertToTicket',
		];
		for (const node of template.nodes) {
			expect(allowed).toContain(node.type);
			expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
			expect(Array.isArray(node.position)).toBe(true);
		}
		const webhook = template.nodes.find((n) => n.name === 'Datto RMM Webhook')!;
		expect(webhook.parameters).toMatchObject({ httpMethod: 'POST', path: 'datto-rmm-alerts' });
		expect(webhook.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		const ours = template.nodes.filter((n) => n.type === 'n8n-nodes-msp.rmmAlertToTicket');
		// One node for every trigger: the ticket settings are set once (issue 22).
		expect(ours.map((n) => [n.name, n.parameters.operation, n.typeVersion])).toEqual([
			[ALERT_NODE, 'handleTrigger', 3],
		]);
		for (const node of ours)
			expect(Object.keys(node.credentials ?? {}).sort()).toEqual(['autotaskApi', 'dattoRmmApi']);
		for (const trigger of [
			'Datto RMM Webhook',
			'Autotask Ticket Webhook',
			'Every 15 Minutes',
			'Sync Now',
		])
			expect(template.connections[trigger].main[0]).toEqual([
				{ node: ALERT_NODE, type: 'main', index: 0 },
			]);
		// Every parameter the template sets exists on the node.
		const names = new Set(h.pkg.nodes.rmmAlertToTicket.description.properties.map((p) => p.name));
		for (const node of ours)
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
	});

	test("the seed's webhooks, one delivery per execution, then the same deliveries again: nothing new the second time", async () => {
		const bodies = sandbox.datto.takeSeedWebhooks() as Array<{ event: string; alertUid: string }>;
		expect(bodies.length).toBeGreaterThan(5);
		// What the rules say each delivery must do, from the account as the seed has it: Datto's
		// state before each body is replayed (a resolved body resolves its alert first).
		const openAtStart = new Set(
			sandbox.datto.alerts.filter((a) => !a.resolved).map((a) => a.alertUid),
		);
		const problemOf = (uid: string) => {
			const info = normalizeAlert(sandbox.datto.alert(uid)!);
			return problemPrefix({
				siteUid: info.siteUid,
				deviceUid: info.deviceUid,
				monitorClass: info.monitorClass,
				detail: info.detail,
			});
		};
		const ticketOfProblem = new Map<string, { open: boolean; alerts: Set<string> }>();
		const still = new Set(openAtStart);
		const expected = bodies.map((body) => {
			const alert = sandbox.datto.alert(body.alertUid)!;
			const problem = ticketOfProblem.get(problemOf(body.alertUid));
			if (body.event === 'resolved') {
				still.delete(body.alertUid);
				if (!problem || !problem.alerts.has(body.alertUid)) return 'noTicket';
				if (!problem.open) return 'alreadyComplete';
				const othersOpen = [...problem.alerts].some(
					(uid) => uid !== body.alertUid && still.has(uid),
				);
				if (othersOpen) return 'resolvedNoteStillOpen';
				problem.open = false;
				return 'completed';
			}
			if (!still.has(body.alertUid)) return 'alreadyResolved';
			if (nativeTicketReason(alert)) return 'nativeTicket';
			if (problem?.alerts.has(body.alertUid)) return 'duplicateDelivery';
			if (problem?.open) {
				problem.alerts.add(body.alertUid);
				return 'repeatNoted';
			}
			ticketOfProblem.set(problemOf(body.alertUid), {
				open: true,
				alerts: new Set([body.alertUid]),
			});
			return 'created';
		});
		const first = [];
		for (const body of bodies) first.push(await deliver(sandbox.datto.replaySeedWebhook(body)));
		for (const one of first) {
			expect(one.result.status).toBe('success');
			expect(one.all).toHaveLength(1);
			expect(one.all[0].error).toBeUndefined();
		}
		expect(first.map((one) => one.all[0].decision)).toEqual(expected);
		expect(expected.filter((d) => d === 'created').length).toBeGreaterThan(5);
		// The seed has a repeat on an open ticket, resolved while the first alert was still open.
		expect(expected).toEqual(
			expect.arrayContaining([
				'duplicateDelivery',
				'repeatNoted',
				'resolvedNoteStillOpen',
				'completed',
				'nativeTicket',
			]),
		);
		// No ticket was completed while an alert of its problem was still open in Datto.
		for (const one of first.filter((o) => o.all[0].decision === 'completed')) {
			const row = sandbox.autotask.tickets.find(
				(t) => Number(t.id) === Number(one.all[0].ticketId),
			)!;
			const key = parseAlertKey(row.externalID)!;
			expect(
				sandbox.datto.alerts.filter(
					(a) => !a.resolved && problemOf(a.alertUid) === key.problemPrefix,
				),
			).toEqual([]);
		}
		const ticketsAfterFirst = sandbox.autotask.tickets.length;
		const notesAfterFirst = sandbox.autotask.ticketNotes.length;
		const ticketState = JSON.stringify(
			sandbox.autotask.tickets.map((t) => [t.id, t.status, t.externalID]),
		);

		const again = [];
		for (const body of bodies) again.push(await deliver(sandbox.datto.replaySeedWebhook(body)));
		// Everything is recognised as delivered before: nothing created, noted, reopened or completed.
		expect(again.flatMap((one) => one.all).filter((o) => o.output !== 'skipped')).toEqual([]);
		expect(sandbox.autotask.tickets.length).toBe(ticketsAfterFirst);
		expect(sandbox.autotask.ticketNotes.length).toBe(notesAfterFirst);
		expect(
			JSON.stringify(sandbox.autotask.tickets.map((t) => [t.id, t.status, t.externalID])),
		).toBe(ticketState);
	});

	test('the Schedule Trigger branch runs Sync Open Alerts', async () => {
		const lost = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[3].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'LostWebhook', status: 'STOPPED' },
		});
		const result = await runWorkflow({
			pkg: h.pkg,
			credentials: h.credentials,
			workflow: template,
			startNode: 'Every 15 Minutes',
			mode: 'trigger',
		});
		const out = delivery(result, ALERT_NODE);
		expect(result.status).toBe('success');
		expect(out.created.map((c) => c.alertUid)).toContain(lost.alertUid);
		expect(alertTickets(h, lost.alertUid)).toHaveLength(1);
		const second = delivery(
			await runWorkflow({
				pkg: h.pkg,
				credentials: h.credentials,
				workflow: template,
				startNode: 'Every 15 Minutes',
				mode: 'trigger',
			}),
			ALERT_NODE,
		);
		expect(second.created).toEqual([]);
	});

	test('with a shared secret set, an unsigned delivery fails its execution and changes nothing', async () => {
		const secret = ['tmpl', 'secret', '31337'].join('-');
		const signed = withParameters(ALERT_NODE, { sharedSecret: secret });
		const alert = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[4].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'Signed', status: 'STOPPED' },
		});
		const body = sandbox.datto.webhookBody(alert.alertUid, 'raised');
		const unsigned = await deliver(body, signed);
		expect(unsigned.result.status).toBe('error');
		expect(unsigned.result.error?.message).toMatch(/^Unsigned delivery rejected/);
		expect(alertTickets(h, alert.alertUid)).toHaveLength(0);
		const ok = await deliver(body, signed, { secret });
		expect(ok.created).toHaveLength(1);
	});

	test('no contract violations', () => {
		expect(
			describeViolations(
				sandbox.contractViolations.filter((v) => v.vendor === 'autotask' || v.vendor === 'datto'),
			),
		).toBe('');
	});
});
