/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/** The template workflows of workflows/, read and set up the way a user sets them up. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import type { Scenario } from '../sandbox/scenario';
import type { Sandbox } from '../sandbox/index';
import { psaContacts } from './psaState';
import type { Psa } from './psaState';
import { runWorkflow } from './runner/engine';
import type { RunOptions, WorkflowDefinition, WorkflowResult } from './runner/engine';
import { PACKAGE_ROOT } from './runner/nodeTypes';

export type Template = WorkflowDefinition & { nodes: INode[] };

/** A template from workflows/, as a user imports it. */
export function readTemplate(file: string): Template {
	return JSON.parse(
		fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', file), 'utf8'),
	) as Template;
}

/** One scheduled run of a contact template: its Every Hour trigger fires, as n8n starts it. */
export async function scheduledRun(
	options: Omit<RunOptions, 'startNode' | 'mode'>,
): Promise<WorkflowResult> {
	return await runWorkflow({ ...options, startNode: 'Every Hour', mode: 'trigger' });
}

/** The scenario's company in one PSA. */
export function companyIdOf(psa: Psa, scenario: Scenario): string {
	const sync = scenario.contactSync;
	return String(psa === 'autotask' ? sync.autotaskCompanyId : sync.connectwiseCompanyId);
}

/**
 * workflows/office365-to-<psa>-contacts.json set up for the scenario as a user would: the
 * company picked on Contact Reconcile (the PSA listing reads the same pick), the domains on the
 * Microsoft 365 listing (Contact Reconcile reads the same list), its switches.
 */
export function contactSyncTemplate(psa: Psa, scenario: Scenario): Template {
	return setUpContactTemplate(readTemplate(`office365-to-${psa}-contacts.json`), {
		companyId: companyIdOf(psa, scenario),
		domains: scenario.contactSync.domains,
		updateExisting: scenario.contactSync.updateExisting,
		mode: scenario.contactSync.mode,
	});
}

export interface ContactTemplateSetup {
	companyId: string;
	/** Shown in the picker and in plans (the PSA's company name), when known. */
	companyName?: string;
	domains: readonly string[];
	updateExisting?: boolean;
	mode?: string;
}

/**
 * What the one-company contact template's Setup note asks of a user: pick the company in Contact
 * Reconcile and enter the domains in Microsoft 365 Users (the template ships with neither). The
 * PSA listing and Contact Reconcile's domains refer to those two, as shipped. Changes `workflow`
 * in place and returns it; works on any workflow JSON with the template's nodes.
 */
export function setUpContactTemplate<
	T extends { nodes: Array<{ type: string; parameters?: unknown }> },
>(workflow: T, setup: ContactTemplateSetup): T {
	for (const node of workflow.nodes) {
		const parameters = (node.parameters ?? {}) as IDataObject;
		if (node.type === 'n8n-nodes-msp.office365Users') {
			parameters.filters = {
				...(parameters.filters as IDataObject),
				emailDomains: setup.domains.join(', '),
			};
		} else if (node.type === 'n8n-nodes-msp.contactReconcile') {
			parameters.companyId = {
				__rl: true,
				mode: setup.companyName ? 'list' : 'id',
				value: setup.companyId,
				...(setup.companyName ? { cachedResultName: setup.companyName } : {}),
			};
			if (setup.updateExisting !== undefined) parameters.updateExisting = setup.updateExisting;
			if (setup.mode !== undefined) parameters.mode = setup.mode;
		}
		node.parameters = parameters;
	}
	return workflow;
}

/**
 * The one-company template's setup for the customer whose Microsoft 365 tenant the sandbox's
 * Graph credential reads, found as a user finds it, by the customer's domain rather than a known
 * id: the tenant's verified domains (its *.onmicrosoft.com one aside), and the PSA company holding
 * the most contacts at them, with its name as the picker shows it.
 */
export function contactTemplateSetupFor(sandbox: Sandbox, psa: Psa): ContactTemplateSetup {
	const tenant = sandbox.graph.tenant(
		String(sandbox.credentials.microsoftGraphAppApi.tenantId ?? '') || undefined,
	);
	const domains = tenant.verifiedDomains
		.map((domain) => domain.name.toLowerCase())
		.filter((name) => !name.endsWith('.onmicrosoft.com'));
	const companies =
		psa === 'autotask'
			? sandbox.autotask.companies.map((c) => ({ id: String(c.id), name: String(c.companyName) }))
			: sandbox.connectwise.companies.map((c) => ({ id: String(c.id), name: String(c.name) }));
	let best: { id: string; name: string; count: number } | undefined;
	for (const company of companies) {
		const count = psaContacts(sandbox, psa, company.id).filter((contact) =>
			contact.emails.some((email) => domains.includes(email.split('@')[1])),
		).length;
		if (count > (best?.count ?? 0)) best = { ...company, count };
	}
	if (!best)
		throw new Error(
			`no ${psa} company has contacts at ${domains.join(', ')} (the tenant's domains)`,
		);
	return { companyId: best.id, companyName: best.name, domains };
}

/**
 * workflows/office365-to-<psa>-contacts-every-customer.json as shipped, its Customer Map node
 * reading the Data Table named `table` (the harness fills it: dev/runner/standInNodes.ts).
 */
export function everyCustomerContactTemplate(psa: Psa, table: string): Template {
	const workflow = readTemplate(`office365-to-${psa}-contacts-every-customer.json`);
	const mapNode = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.dataTable')!;
	mapNode.parameters = {
		...mapNode.parameters,
		dataTableId: { __rl: true, mode: 'name', value: table },
	};
	return workflow;
}

export const DEVICE_TEMPLATE = 'datto-rmm-devices-to-autotask-configuration-items.json';
/** The Data Table the device template reads its customer map from (by name). */
export const CUSTOMER_MAP_TABLE = 'Customer Map';

/**
 * workflows/datto-rmm-devices-to-autotask-configuration-items.json set up as a user would for the
 * scenario's device mappings: one device type rule per deviceTypeMap entry, one UDF rule per
 * udfMap entry, one contract rule per contract. Without deviceSync the template stays as shipped.
 */
export function deviceSyncTemplate(scenario: Scenario): Template {
	const workflow = readTemplate(DEVICE_TEMPLATE);
	setDeviceMappings(workflow.nodes, scenario);
	return workflow;
}

/** The scenario's device mappings on the RMM Device to Configuration Item node(s) of `nodes`. */
export function setDeviceMappings(
	nodes: Array<{ type: string; parameters?: object }>,
	scenario: Scenario,
): void {
	const mappings = scenario.deviceSync;
	if (!mappings) return;
	const id = (value: number | undefined) => (value === undefined ? '' : String(value));
	for (const node of nodes.filter((n) => n.type === 'n8n-nodes-msp.rmmDeviceToConfigurationItem'))
		node.parameters = Object.assign(node.parameters ?? {}, {
			deviceTypeRules: {
				rule: Object.entries(mappings.deviceTypeMap).map(([deviceType, target]) => ({
					deviceType,
					product: id(target.productId),
					configurationItemType: id(target.configurationItemType),
				})),
			},
			udfRules: {
				rule: Object.entries(mappings.udfMap).map(([dattoUdf, udfName]) => ({ dattoUdf, udfName })),
			},
			contractRules: {
				rule: mappings.contracts.map((contract) => ({
					contract: id(contract.contractId),
					configurationItemType: id(contract.configurationItemType),
				})),
			},
		});
}

/**
 * Feeds `node`'s Customer Map input (its second) from an n8n Data Table node reading the
 * "Customer Map" table, started by the same triggers: the wiring the README's alert section
 * asks a user to add. One Data Table node per node fed, so a trigger of one path never runs
 * the other. Returns the workflow, changed in place.
 */
export function connectCustomerMap<T extends WorkflowDefinition>(
	workflow: T,
	node: string,
	triggers: string[],
): T {
	const mapNode = `Customer Map (${node})`;
	workflow.nodes.push({
		id: `customer-map-${workflow.nodes.length}`,
		name: mapNode,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'row',
			operation: 'get',
			dataTableId: { __rl: true, mode: 'name', value: CUSTOMER_MAP_TABLE },
			returnAll: true,
		},
	});
	for (const trigger of triggers) {
		const outputs = (workflow.connections[trigger] ??= { main: [[]] }).main;
		(outputs[0] ??= []).push({ node: mapNode, type: 'main', index: 0 });
	}
	workflow.connections[mapNode] = { main: [[{ node, type: 'main', index: 1 }]] };
	return workflow;
}
