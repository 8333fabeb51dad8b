/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { nativeTicketReason } from '../../lib/alerts/alert';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { runWorkflow } from '../harness/engine';
import type { WorkflowDefinition } from '../harness/engine';
import { PACKAGE_ROOT } from '../harness/nodeTypes';
import { alertTickets, delivery, harness } from './helpers';
import type { AlertHarness } from './helpers';

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

async function deliver(body: unknown, workflow: Template = template, options: { secret?: string } = {}) {
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow,
		startNode: 'Datto RMM Webhook',
		mode: 'webhook',
		input: [sandbox.datto.webhookItem(body, options.secret ? { secret: options.secret } : {}) as unknown as IDataObject],
	});
	return delivery(result, 'Process Alert');
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
		const allowed = ['n8n-nodes-base.webhook', 'n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.stickyNote', 'n8n-nodes-msp.rmmAlertToTicket'];
		for (const node of template.nodes) {
			expect(allowed).toContain(node.type);
			expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
			expect(Array.isArray(node.position)).toBe(true);
		}
		const webhook = template.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
		expect(webhook.parameters).toMatchObject({ httpMethod: 'POST', path: 'datto-rmm-alerts' });
		expect(webhook.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		const ours = template.nodes.filter((n) => n.type === 'n8n-nodes-msp.rmmAlertToTicket');
		expect(ours.map((n) => n.parameters.operation).sort()).toEqual(['processAlert', 'syncOpenAlerts']);
		for (const node of ours) expect(Object.keys(node.credentials ?? {}).sort()).toEqual(['autotaskApi', 'dattoRmmApi']);
		expect(template.connections['Datto RMM Webhook'].main[0]![0].node).toBe('Process Alert');
		expect(template.connections['Every 15 Minutes'].main[0]![0].node).toBe('Sync Open Alerts');
		// Every parameter the template sets exists on the node.
		const names = new Set(h.pkg.nodes.rmmAlertToTicket.description.properties.map((p) => p.name));
		for (const node of ours) for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
	});

	test('the seed\'s webhooks, one delivery per execution, then the same deliveries again: nothing new the second time', async () => {
		const bodies = sandbox.datto.takeSeedWebhooks();
		expect(bodies.length).toBeGreaterThan(5);
		const first = [];
		for (const body of bodies) first.push(await deliver(body));
		for (const one of first) {
			expect(one.result.status).toBe('success');
			expect(one.all).toHaveLength(1);
			expect(one.all[0].error).toBeUndefined();
		}
		// What the rules say each delivery must do, from the account as the seed has it.
		const seen = new Set<string>();
		const ticketed = new Set<string>();
		const expected = (bodies as Array<{ event: string; alertUid: string }>).map((body) => {
			const alert = sandbox.datto.alert(body.alertUid)!;
			if (body.event === 'resolved') return ticketed.has(body.alertUid) ? 'completed' : 'noTicket';
			if (alert.resolved) return 'alreadyResolved';
			if (nativeTicketReason(alert)) return 'nativeTicket';
			if (seen.has(body.alertUid)) return 'duplicateDelivery';
			seen.add(body.alertUid);
			ticketed.add(body.alertUid);
			return 'created';
		});
		expect(first.map((one) => one.all[0].decision)).toEqual(expected);
		expect(expected.filter((d) => d === 'created').length).toBeGreaterThan(5);
		expect(expected).toEqual(expect.arrayContaining(['duplicateDelivery', 'completed', 'nativeTicket']));
		const ticketsAfterFirst = sandbox.autotask.tickets.length;
		const notesAfterFirst = sandbox.autotask.ticketNotes.length;

		const again = [];
		for (const body of bodies) again.push(await deliver(body));
		expect(again.flatMap((one) => one.created)).toEqual([]);
		// At most a resolve that came before its raise the first time now completes that ticket;
		// everything else is recognised as delivered before.
		const acted = again.flatMap((one) => one.all).filter((o) => o.output !== 'skipped');
		expect(acted.every((o) => o.decision === 'completed')).toBe(true);
		expect(sandbox.autotask.tickets.length).toBe(ticketsAfterFirst);
		expect(sandbox.autotask.ticketNotes.length).toBe(notesAfterFirst);
	});

	test('the Schedule Trigger branch runs Sync Open Alerts', async () => {
		const lost = sandbox.datto.raiseAlert({ deviceUid: sandbox.datto.devices[3].uid, alertContext: { '@class': 'srvc_status_ctx', serviceName: 'LostWebhook', status: 'STOPPED' } });
		const result = await runWorkflow({ pkg: h.pkg, credentials: h.credentials, workflow: template, startNode: 'Every 15 Minutes', mode: 'trigger' });
		const out = delivery(result, 'Sync Open Alerts');
		expect(result.status).toBe('success');
		expect(out.created.map((c) => c.alertUid)).toContain(lost.alertUid);
		expect(alertTickets(h, lost.alertUid)).toHaveLength(1);
		const second = delivery(await runWorkflow({ pkg: h.pkg, credentials: h.credentials, workflow: template, startNode: 'Every 15 Minutes', mode: 'trigger' }), 'Sync Open Alerts');
		expect(second.created).toEqual([]);
	});

	test('with a shared secret set, unsigned deliveries come out as errors (the template continues on error)', async () => {
		const secret = ['tmpl', 'secret', '31337'].join('-');
		const signed = withParameters('Process Alert', { sharedSecret: secret });
		const alert = sandbox.datto.raiseAlert({ deviceUid: sandbox.datto.devices[4].uid, alertContext: { '@class': 'srvc_status_ctx', serviceName: 'Signed', status: 'STOPPED' } });
		const body = sandbox.datto.webhookBody(alert.alertUid, 'raised');
		const unsigned = await deliver(body, signed);
		expect(unsigned.result.status).toBe('success');
		expect(unsigned.skipped[0]).toMatchObject({ field: 'Shared Secret' });
		expect(alertTickets(h, alert.alertUid)).toHaveLength(0);
		const ok = await deliver(body, signed, { secret });
		expect(ok.created).toHaveLength(1);
	});

	test('no contract violations', () => {
		expect(describeViolations(sandbox.contractViolations.filter((v) => v.vendor === 'autotask' || v.vendor === 'datto'))).toBe('');
	});
});
