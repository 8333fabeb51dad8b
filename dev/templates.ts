/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/** The template workflows of workflows/, read and set up the way a user sets them up. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import type { Scenario } from '../sandbox/scenario';
import type { Psa } from './psaState';
import type { WorkflowDefinition } from './runner/engine';
import { PACKAGE_ROOT } from './runner/nodeTypes';

export type Template = WorkflowDefinition & { nodes: INode[] };

/** A template from workflows/, as a user imports it. */
export function readTemplate(file: string): Template {
	return JSON.parse(
		fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', file), 'utf8'),
	) as Template;
}

/** The scenario's company in one PSA. */
export function companyIdOf(psa: Psa, scenario: Scenario): string {
	const sync = scenario.contactSync;
	return String(psa === 'autotask' ? sync.autotaskCompanyId : sync.connectwiseCompanyId);
}

/**
 * workflows/office365-to-<psa>-contacts.json set up for the scenario as a user would: the
 * company on Contact Reconcile and the PSA listing, the domains on the Microsoft 365 listing and
 * Contact Reconcile, its switches.
 */
export function contactSyncTemplate(psa: Psa, scenario: Scenario): Template {
	const workflow = readTemplate(`office365-to-${psa}-contacts.json`);
	const companyId = companyIdOf(psa, scenario);
	const domains = scenario.contactSync.domains.join(', ');
	for (const node of workflow.nodes) {
		const parameters = node.parameters as IDataObject;
		if (node.type === 'n8n-nodes-msp.office365Users') {
			parameters.filters = { ...(parameters.filters as IDataObject), emailDomains: domains };
		} else if (node.type === 'n8n-nodes-msp.contactReconcile') {
			Object.assign(parameters, {
				companyId,
				domains,
				updateExisting: scenario.contactSync.updateExisting,
				mode: scenario.contactSync.mode,
			});
		} else if (parameters.operation === 'getAll') {
			parameters.filters = { ...(parameters.filters as IDataObject), companyId };
		}
	}
	return workflow;
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
