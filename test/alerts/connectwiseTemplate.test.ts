/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { splitXRef } from '../../lib/alerts/psa/connectwiseRecords';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { runWorkflow } from '../../dev/runner/engine';
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
	return delivery(result, 'Process Alert');
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
		expect(ours.map((n) => n.parameters.operation).sort()).toEqual([
			'processAlert',
			'syncOpenAlerts',
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
		expect(template.connections['Datto RMM Webhook'].main[0]![0].node).toBe('Process Alert');
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
