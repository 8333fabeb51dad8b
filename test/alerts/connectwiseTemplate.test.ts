/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { splitXRef } from '../../lib/alerts/psa/connectwiseRecords';
import { applyTicketEvents as applyConnectWiseTicketEvents } from '../../sandbox/connectwise';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { ticketDeliveryItem } from '../../dev/demo/ticketDeliveries';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { MSP } from '../../sandbox/seed/customers';
import { credentialStore, pkg } from '../reliability/support';
import { editorCall } from '../support/editorCall';
import { delivery } from './helpers';

const FILE = path.join(PACKAGE_ROOT, 'workflows', 'datto-rmm-alerts-to-connectwise-tickets.json');

interface Template extends WorkflowDefinition {
	id: string;
	name: string;
	nodes: Array<INode & { webhookId?: string }>;
}

const template = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Template;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
});

afterAll(async () => {
	await sandbox.stop();
});

/** The template as a user sets it up: the first board, each Datto site mapped to its ConnectWise company. */
function configured(): Template {
	const companies = sandbox.connectwise.companies as Array<{ id: number; name: string }>;
	const mappings = sandbox.datto.sites.flatMap((site) => {
		const company = companies.find((c) => c.name === site.autotaskCompanyName);
		return company ? [{ site: site.uid, companyId: company.id }] : [];
	});
	const copy = structuredClone(template);
	for (const node of copy.nodes.filter((n) => n.type === 'n8n-nodes-msp.rmmAlertToTicket'))
		node.parameters = {
			...node.parameters,
			connectwiseBoard: {
				__rl: true,
				mode: 'list',
				value: String(sandbox.connectwise.service.boards[0].id),
			},
			siteCompanies: { mappings },
			// Sites no customer claims: the MSP's own company, with a note saying why.
			catchAllCompany: { __rl: true, mode: 'id', value: String(MSP.connectwiseId) },
		} as INode['parameters'];
	return copy;
}

async function deliver(workflow: Template, body: unknown) {
	const result = await runWorkflow({
		pkg: pkg(),
		credentials: credentialStore(sandbox),
		workflow,
		startNode: 'Datto RMM Webhook',
		mode: 'webhook',
		input: [sandbox.datto.webhookItem(body) as unknown as IDataObject],
	});
	expect({ status: result.status, error: result.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	return delivery(result, 'RMM Alert to Ticket');
}

const CALLBACK_URL = 'https://n8n.example.com/webhook/connectwise-ticket-callback';
const CALLBACK_SECRET = 'cw-callback-secret-&+/=';

function withSecret(workflow: Template): Template {
	for (const node of workflow.nodes.filter((n) => n.name === 'RMM Alert to Ticket'))
		node.parameters = { ...node.parameters, callbackSecret: CALLBACK_SECRET };
	return workflow;
}

async function callback(workflow: Template, items: IDataObject[]) {
	return delivery(
		await runWorkflow({
			pkg: pkg(),
			credentials: credentialStore(sandbox),
			workflow,
			startNode: 'ConnectWise Ticket Callback',
			mode: 'webhook',
			input: items,
		}),
		'RMM Alert to Ticket',
	);
}

/** Runs the template's node as Set Up Ticket Webhook (what a user adds once). */
async function setUpCallback() {
	const node = template.nodes.find((n) => n.name === 'RMM Alert to Ticket')!;
	return delivery(
		await runWorkflow({
			pkg: pkg(),
			credentials: credentialStore(sandbox),
			workflow: singleNodeWorkflow({
				name: 'RMM Alert to Ticket',
				type: node.type,
				typeVersion: 2,
				credentials: node.credentials,
				parameters: {
					psa: 'connectwise',
					operation: 'setUpTicketWebhook',
					callbackSecret: CALLBACK_SECRET,
					ticketWebhookUrl: CALLBACK_URL,
					connectwiseBoard: {
						__rl: true,
						mode: 'list',
						value: String(sandbox.connectwise.service.boards[0].id),
					},
				},
			}),
		}),
		'RMM Alert to Ticket',
	);
}

const alertTickets = () =>
	sandbox.connectwise.service.tickets.filter((row) => {
		const xref = splitXRef(row.externalXRef);
		return xref && parseAlertKey(xref.key);
	});

describe('workflows/datto-rmm-alerts-to-connectwise-tickets.json', () => {
	test('is an n8n export that imports as-is: known node types, ids, ConnectWise and Datto credentials, every parameter known to the node', () => {
		expect(template.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		const ours = template.nodes.filter((n) => n.type === 'n8n-nodes-msp.rmmAlertToTicket');
		// One node for every trigger: the ticket settings are set once (issue 22).
		expect(ours.map((n) => [n.name, n.parameters.operation, n.typeVersion])).toEqual([
			['RMM Alert to Ticket', 'handleTrigger', 3],
		]);
		const names = new Set(pkg().nodes.rmmAlertToTicket.description.properties.map((p) => p.name));
		for (const node of ours) {
			expect(node.parameters.psa).toBe('connectwise');
			expect(Object.keys(node.credentials ?? {}).sort()).toEqual([
				'connectWiseManageApi',
				'dattoRmmApi',
			]);
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
		}
		for (const node of template.nodes) expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
		for (const trigger of [
			'Datto RMM Webhook',
			'ConnectWise Ticket Callback',
			'Every 15 Minutes',
			'Sync Now',
		])
			expect(template.connections[trigger].main[0]).toEqual([
				{ node: 'RMM Alert to Ticket', type: 'main', index: 0 },
			]);
	});

	test("the seed's webhooks, one delivery per execution, then again: tickets in the sites' companies, one open per problem, nothing new the second time", async () => {
		const workflow = configured();
		const bodies = sandbox.datto.takeSeedWebhooks() as Array<{ event: string; alertUid: string }>;
		expect(bodies.length).toBeGreaterThan(5);
		const first = [];
		for (const body of bodies) first.push(...(await deliver(workflow, body)).all);
		expect(first.filter((o) => o.error !== undefined)).toEqual([]);
		expect(first.filter((o) => o.decision === 'created').length).toBeGreaterThan(0);
		const tickets = structuredClone(alertTickets());
		const notes = sandbox.connectwise.service.ticketNotes.length;
		// Each ticket is in the company its site maps to, on the chosen board.
		const companies = sandbox.connectwise.companies as Array<{ id: number; name: string }>;
		for (const ticket of tickets) {
			const key = parseAlertKey(splitXRef(ticket.externalXRef)!.key)!;
			const alert = sandbox.datto.alert(key.alertUid!);
			const site = sandbox.datto.sites.find((s) => s.uid === alert?.alertSourceInfo?.siteUid);
			const company =
				companies.find((c) => c.name === site?.autotaskCompanyName)?.id ?? MSP.connectwiseId;
			expect({
				ticket: ticket.id,
				company: (ticket.company as { id?: number } | undefined)?.id,
			}).toEqual({
				ticket: ticket.id,
				company,
			});
			expect((ticket.board as { id?: number } | undefined)?.id).toBe(
				sandbox.connectwise.service.boards[0].id,
			);
		}
		const openProblems = tickets
			.filter((t) => t.closedFlag !== true)
			.map((t) => parseAlertKey(splitXRef(t.externalXRef)!.key)!.problemPrefix);
		expect(new Set(openProblems).size).toBe(openProblems.length);

		const second = [];
		for (const body of bodies) second.push(...(await deliver(workflow, body)).all);
		expect(second.filter((o) => o.error !== undefined)).toEqual([]);
		expect(
			second.filter((o) =>
				['created', 'reopened', 'noted', 'completed'].includes(String(o.decision)),
			),
		).toEqual([]);
		expect(alertTickets()).toEqual(tickets);
		expect(sandbox.connectwise.service.ticketNotes.length).toBe(notes);
		expect(describeViolations(sandbox.contractViolations)).toBe('');
	});

	test('Set Up Ticket Webhook registers a ticket callback on the board with the secret in its URL and says so; run again it changes nothing', async () => {
		const ours = () =>
			sandbox.connectwise.service.callbacks.filter((row) =>
				String(row.url).startsWith(CALLBACK_URL),
			);
		const first = await setUpCallback();
		expect(first.result.error?.message ?? first.result.status).toBe('success');
		expect(first.created).toEqual([
			expect.objectContaining({ psa: 'connectwise', action: 'created', url: CALLBACK_URL }),
		]);
		expect(ours()).toEqual([
			expect.objectContaining({
				type: 'Ticket',
				level: 'Board',
				objectId: sandbox.connectwise.service.boards[0].id,
				url: `${CALLBACK_URL}?secret=${encodeURIComponent(CALLBACK_SECRET)}`,
			}),
		]);
		// The secret never reaches the output.
		expect(JSON.stringify(first.all)).not.toContain(encodeURIComponent(CALLBACK_SECRET));
		const from = sandbox.log.entries.at(-1)?.seq ?? 0;
		const again = await setUpCallback();
		expect(again.skipped).toEqual([expect.objectContaining({ action: 'unchanged', changes: [] })]);
		expect(
			sandbox.log.entries.filter(
				(e) => e.seq > from && e.vendor === 'connectwise' && e.method !== 'GET',
			),
		).toEqual([]);
		expect(ours()).toHaveLength(1);
	});

	test("a ticket closed by a technician: its callback through the template's ticket branch resolves the alert; callbacks without or with a wrong secret are rejected and change nothing; a re-delivery changes nothing; a ticket still open needs no read", async () => {
		await setUpCallback();
		const workflow = withSecret(configured());
		const alert = sandbox.datto.raiseAlert({
			deviceUid: sandbox.datto.devices[2].uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: 'CwCallback', status: 'STOPPED' },
		});
		const raised = await deliver(workflow, sandbox.datto.webhookBody(alert.alertUid, 'raised'));
		expect(raised.created).toHaveLength(1);
		const ticketId = Number(raised.created[0].ticketId);
		const moved = applyConnectWiseTicketEvents(sandbox.connectwise, {
			events: [{ ticketId, closed: true }],
		});
		expect(moved.outcomes[0].error).toBeUndefined();
		expect(moved.deliveries).toHaveLength(1);
		const item = ticketDeliveryItem(moved.deliveries[0]);
		const isResolved = () => sandbox.datto.alert(alert.alertUid)?.resolved === true;

		const from = sandbox.log.entries.at(-1)?.seq ?? 0;
		for (const [query, message] of [
			[{}, /carries no "secret" query parameter/],
			[{ secret: 'guessed' }, /does not match the ConnectWise Callback Secret/],
		] as const) {
			const rejected = await callback(workflow, [{ ...item, query }]);
			expect(rejected.result.status).toBe('error');
			expect(rejected.result.error?.message).toMatch(message);
		}
		expect(sandbox.log.entries.filter((e) => e.seq > from)).toEqual([]);
		expect(isResolved()).toBe(false);

		const resolved = await callback(workflow, [item]);
		expect(resolved.result.status).toBe('success');
		expect(resolved.completed).toEqual([
			expect.objectContaining({ decision: 'alertResolved', alertUid: alert.alertUid }),
		]);
		expect(isResolved()).toBe(true);
		const replayedAt = sandbox.log.entries.at(-1)?.seq ?? 0;
		const replay = await callback(workflow, [item]);
		expect(replay.all.map((o) => o.decision)).toEqual(['alreadyResolved']);
		expect(
			sandbox.log.entries.filter(
				(e) =>
					e.seq > replayedAt &&
					!/oauth/.test(e.path) &&
					(e.method !== 'GET' || e.path.endsWith('/resolve')),
			),
		).toEqual([]);

		// Reopened by a technician: the callback says the ticket is open, nothing is read.
		const reopened = applyConnectWiseTicketEvents(sandbox.connectwise, {
			events: [{ ticketId, closed: false }],
		});
		const openAt = sandbox.log.entries.at(-1)?.seq ?? 0;
		const open = await callback(workflow, reopened.deliveries.map(ticketDeliveryItem));
		expect(open.all.map((o) => o.decision)).toEqual(['ticketNotComplete']);
		expect(sandbox.log.entries.filter((e) => e.seq > openAt)).toEqual([]);
	});

	test("the editor lists the boards, the chosen board's open and closed statuses, priorities, companies and alert tickets from ConnectWise", async () => {
		const service = sandbox.connectwise.service;
		const board = service.boards[0];
		const node = {
			name: 'Process Alert',
			type: 'n8n-nodes-msp.rmmAlertToTicket',
			parameters: {
				psa: 'connectwise',
				operation: 'processAlert',
				connectwiseBoard: { __rl: true, mode: 'list', value: String(board.id) },
			},
			credentials: { connectWiseManageApi: { id: 'cw', name: 'ConnectWise' } },
		};
		const call = async (kind: 'loadOptions' | 'listSearch', method: string, ...args: unknown[]) =>
			await editorCall(
				{
					pkg: pkg(),
					credentials: credentialStore(sandbox),
					node,
					kind,
					method,
					path: 'parameters.connectwiseTicket',
				},
				...args,
			);
		const boards = (await call('listSearch', 'searchConnectWiseBoards')) as {
			results: Array<{ name: string; value: string }>;
		};
		expect(boards.results.map((b) => b.value)).toContain(String(board.id));
		const statuses = (id: unknown) =>
			service.boardStatuses.filter(
				(st) => (st.board as { id?: unknown }).id === id && st.inactive !== true,
			);
		const open = (await call('loadOptions', 'getConnectWiseOpenStatuses')) as Array<{
			value: string;
		}>;
		const closed = (await call('loadOptions', 'getConnectWiseClosedStatuses')) as Array<{
			value: string;
		}>;
		expect(open.map((o) => o.value).sort()).toEqual(
			statuses(board.id)
				.filter((st) => st.closedStatus !== true)
				.map((st) => String(st.id))
				.sort(),
		);
		expect(closed.map((o) => o.value).sort()).toEqual(
			statuses(board.id)
				.filter((st) => st.closedStatus === true)
				.map((st) => String(st.id))
				.sort(),
		);
		const priorities = (await call('loadOptions', 'getConnectWisePriorities')) as unknown[];
		expect(priorities).toHaveLength(service.priorities.length);
		const companies = (await call('listSearch', 'searchCompanies', 'Contoso')) as {
			results: Array<{ value: string }>;
		};
		expect(companies.results.map((c) => c.value)).toContain(
			String(
				(sandbox.connectwise.companies as Array<{ id: number; name: string }>).find(
					(c) => c.name === 'Contoso Ltd',
				)!.id,
			),
		);
		const tickets = (await call('listSearch', 'searchAlertTickets')) as {
			results: Array<{ value: string }>;
		};
		expect(tickets.results.map((t) => Number(t.value)).sort((a, b) => a - b)).toEqual(
			alertTickets()
				.map((t) => Number(t.id))
				.sort((a, b) => a - b),
		);
	});
});
