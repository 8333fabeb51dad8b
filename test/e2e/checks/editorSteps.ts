import type { PublicApi, RestSession } from '../../../dev/n8n/server';
import type { WorkflowJson, WorkflowNode } from '../../../dev/n8n/templates';
import { check } from '../../../dev/n8n/progress';

/**
 * What a user does to a workflow in a running n8n, through n8n's own APIs: import it, pick values
 * from a node's lists (the editor's list searches and load options), save and publish it.
 */

/** The scopes an API key needs for the steps below (besides reading executions and workflows). */
export const WORKFLOW_WRITE_SCOPES = ['workflow:create', 'workflow:update', 'workflow:activate'];

/** Node keys n8n's public API accepts on a write (its node schema is strict). */
const NODE_KEYS = [
	'id',
	'name',
	'webhookId',
	'disabled',
	'notesInFlow',
	'notes',
	'type',
	'typeVersion',
	'executeOnce',
	'alwaysOutputData',
	'retryOnFail',
	'maxTries',
	'waitBetweenTries',
	'onError',
	'position',
	'parameters',
	'credentials',
];

export interface StoredWorkflow extends WorkflowJson {
	id: string;
	versionId?: string;
	active?: boolean;
}

function writable(workflow: WorkflowJson) {
	return {
		name: workflow.name,
		nodes: workflow.nodes.map((node) =>
			Object.fromEntries(Object.entries(node).filter(([key]) => NODE_KEYS.includes(key))),
		),
		connections: workflow.connections,
		settings: {
			executionOrder: String(
				(workflow.settings as { executionOrder?: string })?.executionOrder ?? 'v1',
			),
		},
	};
}

/** Import: `POST /api/v1/workflows` (n8n gives it a new id). */
export async function createWorkflow(
	api: PublicApi,
	workflow: WorkflowJson,
): Promise<StoredWorkflow> {
	return await api.request<StoredWorkflow>('POST', '/workflows', writable(workflow));
}

/** Save: `PUT /api/v1/workflows/{id}` (a published workflow is published again with the change). */
export async function saveWorkflow(
	api: PublicApi,
	workflow: StoredWorkflow,
): Promise<StoredWorkflow> {
	return await api.request<StoredWorkflow>('PUT', `/workflows/${workflow.id}`, writable(workflow));
}

/** Publish: `POST /api/v1/workflows/{id}/activate` (its production webhooks start answering). */
export async function publish(api: PublicApi, workflow: StoredWorkflow): Promise<StoredWorkflow> {
	return await api.request<StoredWorkflow>('POST', `/workflows/${workflow.id}/activate`, {
		...(workflow.versionId ? { versionId: workflow.versionId } : {}),
	});
}

export function nodeNamed(workflow: WorkflowJson, name: string): WorkflowNode {
	const node = workflow.nodes.find((entry) => entry.name === name);
	check(node, `the workflow "${workflow.name}" has no node named "${name}"`);
	return node;
}

export interface ListEntry {
	name: string;
	value: string | number;
}

function request(node: WorkflowNode, path: string, methodName: string) {
	return {
		nodeTypeAndVersion: { name: node.type, version: node.typeVersion ?? 1 },
		path,
		methodName,
		currentNodeParameters: node.parameters ?? {},
		credentials: node.credentials,
	};
}

/** A picker's list, as the editor pages it (a resource locator's list search). */
export async function listSearch(
	session: RestSession,
	node: WorkflowNode,
	parameter: string,
	methodName: string,
	filter = '',
): Promise<ListEntry[]> {
	const answer = await session.post<{ results: ListEntry[] }>(
		'/rest/dynamic-node-parameters/resource-locator-results',
		{ ...request(node, `parameters.${parameter}`, methodName), filter },
	);
	return answer.results ?? [];
}

/** An options parameter's list, as the editor loads it (load options). */
export async function loadOptions(
	session: RestSession,
	node: WorkflowNode,
	parameter: string,
	methodName: string,
): Promise<ListEntry[]> {
	return await session.post<ListEntry[]>('/rest/dynamic-node-parameters/options', {
		...request(node, `parameters.${parameter}`, methodName),
	});
}

/**
 * The lane's one change to a published alert workflow: its Schedule Trigger disabled. At a
 * quarter hour it would run the backstop in the middle of a check (an execution no delivery
 * started, tickets no delivery opened); the backstop is checked by the CLI runs from Sync Now.
 */
export function disableSchedules(workflow: WorkflowJson): string[] {
	const names: string[] = [];
	for (const node of workflow.nodes)
		if (node.type === 'n8n-nodes-base.scheduleTrigger' && !node.disabled) {
			node.disabled = true;
			names.push(node.name);
		}
	return names;
}
