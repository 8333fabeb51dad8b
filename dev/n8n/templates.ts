/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters, INodeType } from 'n8n-workflow';

import { PACKAGE_NAME, WORKFLOWS_DIR } from './paths';

export type TemplateKind =
	| 'contacts-autotask'
	| 'contacts-connectwise'
	| 'alerts'
	| 'alerts-connectwise'
	| 'devices'
	| 'customer-contacts-autotask'
	| 'customer-contacts-connectwise';

export interface TemplateSpec {
	file: string;
	/** The id to import it under when the file has none (n8n needs one; ≤ 21 characters). */
	id: string;
	kind: TemplateKind;
	label: string;
	/**
	 * Map-driven templates (they read the "Customer Map" Data Table) get a production webhook at
	 * this path beside their schedule: `n8n execute` cannot run them, a running n8n can.
	 */
	webhookPath?: string;
}

/** The shipped templates the lanes run; every one must exist and pass for the lane to pass. */
export const TEMPLATES: TemplateSpec[] = [
	{
		file: 'office365-to-autotask-contacts.json',
		id: 'e2eContactsAutotask',
		kind: 'contacts-autotask',
		label: 'Office 365 → Autotask contacts',
	},
	{
		file: 'office365-to-connectwise-contacts.json',
		id: 'e2eContactsConnectWis',
		kind: 'contacts-connectwise',
		label: 'Office 365 → ConnectWise contacts',
	},
	{
		file: 'datto-rmm-alerts-to-autotask-tickets.json',
		id: 'e2eDattoAlertsToTick',
		kind: 'alerts',
		label: 'Datto RMM alerts → Autotask tickets',
	},
	{
		file: 'datto-rmm-devices-to-autotask-configuration-items.json',
		id: 'e2eDevicesToCIs',
		kind: 'devices',
		label: 'Datto RMM devices → Autotask configuration items (customer map)',
		webhookPath: 'e2e-lane-devices',
	},
	{
		file: 'office365-to-autotask-contacts-every-customer.json',
		id: 'e2eMapContactsAutotask',
		kind: 'customer-contacts-autotask',
		label: 'Office 365 → Autotask contacts, every customer (customer map)',
		webhookPath: 'e2e-lane-map-contacts-autotask',
	},
	{
		file: 'office365-to-connectwise-contacts-every-customer.json',
		id: 'e2eMapContactsCW',
		kind: 'customer-contacts-connectwise',
		label: 'Office 365 → ConnectWise contacts, every customer (customer map)',
		webhookPath: 'e2e-lane-map-contacts-cw',
	},
];

/**
 * The ConnectWise alert template: not imported with the others (its Board must be picked from the
 * tenant first, which takes a running n8n); the e2e lane creates it through n8n's API with the
 * settings picked from the node's lists, then publishes it.
 */
export const CONNECTWISE_ALERT_TEMPLATE: TemplateSpec = {
	file: 'datto-rmm-alerts-to-connectwise-tickets.json',
	id: 'e2eDattoAlertsToCwTkt',
	kind: 'alerts-connectwise',
	label: 'Datto RMM alerts → ConnectWise tickets',
};

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string | null; name: string }>;
	disabled?: boolean;
	webhookId?: string;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** A template as imported into n8n. */
export interface ImportedTemplate {
	spec: TemplateSpec;
	/** The workflow id in n8n. */
	id: string;
	/** As imported (credentials bound). */
	workflow: WorkflowJson;
}

export function templatePath(spec: TemplateSpec): string {
	return path.join(WORKFLOWS_DIR, spec.file);
}

export function readTemplate(spec: TemplateSpec): WorkflowJson | undefined {
	const file = templatePath(spec);
	if (!fs.existsSync(file)) return undefined;
	const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
	if (!Array.isArray(parsed.nodes) || typeof parsed.connections !== 'object') {
		throw new Error(`workflows/${spec.file} is not an n8n workflow export (no nodes/connections)`);
	}
	return parsed;
}

export type CredentialRefs = Record<string, { id: string; name: string }>;

/**
 * The template as a user imports it, with only the credential references bound to the
 * credentials the lane imported: every reference the template carries is re-pointed by type, and
 * a credential our node declares as required but the template leaves unset is added (what a user
 * does by picking it in the node).
 */
export function bindTemplate(
	template: WorkflowJson,
	spec: TemplateSpec,
	credentials: CredentialRefs,
	nodeTypes: Record<string, INodeType>,
): { workflow: WorkflowJson & { id: string }; bound: string[] } {
	const workflow = JSON.parse(JSON.stringify(template)) as WorkflowJson;
	// n8n's import needs an id; the file's own is kept when it has one.
	if (typeof workflow.id !== 'string' || workflow.id.length === 0 || workflow.id.length > 21)
		workflow.id = spec.id;
	const bound: string[] = [];
	for (const node of workflow.nodes) {
		const refs = { ...(node.credentials ?? {}) };
		const description = node.type.startsWith(`${PACKAGE_NAME}.`)
			? nodeTypes[node.type.slice(PACKAGE_NAME.length + 1)]?.description
			: undefined;
		if (description) {
			// Only the credentials the node shows for its settings (the alert node's PSA picks one),
			// decided as n8n decides it: their display options against the settings with defaults.
			const version = { typeVersion: node.typeVersion ?? 1 };
			const settings = NodeHelpers.getNodeParameters(
				description.properties,
				(node.parameters ?? {}) as INodeParameters,
				true,
				false,
				version as INode,
				description,
			);
			for (const credential of description.credentials ?? []) {
				const shown = NodeHelpers.displayParameter(
					settings ?? {},
					credential,
					version,
					description,
				);
				if (credential.required && !refs[credential.name] && shown)
					refs[credential.name] = { id: null, name: '' };
			}
		}
		for (const type of Object.keys(refs)) {
			const ours = credentials[type];
			if (!ours)
				throw new Error(
					`workflows/${spec.file}: node "${node.name}" uses a ${type} credential, which the lane has no sandbox value for`,
				);
			refs[type] = { ...ours };
			bound.push(`${node.name}: ${type}`);
		}
		if (Object.keys(refs).length > 0) node.credentials = refs;
	}
	return { workflow: workflow as WorkflowJson & { id: string }, bound };
}

export function nodesOfType(workflow: WorkflowJson, type: string): WorkflowNode[] {
	return workflow.nodes.filter((node) => node.type === type && !node.disabled);
}

export function packageNodes(workflow: WorkflowJson): WorkflowNode[] {
	return workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
}

/**
 * The template with a production webhook that starts it where its schedule does (same
 * connections): how a lane starts a scheduled template on demand in a running n8n, and twice at
 * once, instead of waiting for the schedule. `n8n execute` cannot run the map-driven templates:
 * it does not start n8n's modules, so the Data table node finds the data-table module disabled.
 */
export function withWebhookStart(
	workflow: WorkflowJson,
	webhookPath: string,
	triggerName = 'Lane Start',
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const [schedule] = nodesOfType(copy, 'n8n-nodes-base.scheduleTrigger');
	if (!schedule) throw new Error(`${copy.name}: no Schedule Trigger to start beside`);
	copy.nodes.push({
		id: randomUUID(),
		name: triggerName,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'onReceived',
			options: {},
		},
	});
	const connections = copy.connections as Record<string, unknown>;
	connections[triggerName] = JSON.parse(JSON.stringify(connections[schedule.name])) as unknown;
	return copy;
}
