import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import type {
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';

import type { CredentialStore } from './credentials';
import { buildAdditionalData } from './engine';

/**
 * Runs a credential's declarative `test` request the way n8n's CredentialsTester does: through
 * RoutingNode on a temporary node, preAuthentication forced, `rules` matched by status code on
 * failure, any other non-2xx reported as failed.
 */
export async function testCredential(
	store: CredentialStore,
	typeName: string,
): Promise<INodeCredentialTestResult> {
	const type = store.type(typeName);
	if (!type.test)
		return { status: 'Error', message: 'No testing function found for this credential.' };
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: type.test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [typeName]: { id: '1', name: 'test' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {
		id: 'credential-test',
		nodes: [node],
		connections: {},
	} as never);
	const additionalData = buildAdditionalData(store, hooks, 'credential-test');
	const inputData = { main: [[{ json: {} }] as INodeExecutionData[]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
	);
	// n8n always runs preAuthentication for a credential test: start from an empty cached value.
	const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
	const data = { ...store.get(typeName), ...(expirable ? { [expirable.name]: '' } : {}) };
	const routingNode = new RoutingNode(context, nodeType, {
		id: '1',
		name: 'test',
		type: typeName,
		data,
	});
	try {
		await routingNode.runNode();
	} catch (caught) {
		const error = caught as {
			message: string;
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		const response = error.cause?.response;
		if (response) {
			for (const rule of type.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: String(error.message) };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
