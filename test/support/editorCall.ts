import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type { INodeListSearchResult } from 'n8n-workflow';

import type { CredentialStore } from '../../dev/runner/credentials';
import { buildAdditionalData, singleNodeWorkflow } from '../../dev/runner/engine';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';

export interface EditorCall {
	pkg: LoadedPackage;
	credentials: CredentialStore;
	/** The node as the editor has it (name, type, parameters, credentials). */
	node: Parameters<typeof singleNodeWorkflow>[0];
	kind: 'loadOptions' | 'listSearch';
	method: string;
	/** The parameter the editor asks for, e.g. "parameters.company". */
	path: string;
}

/** Calls one of a node's loadOptions / listSearch methods the way the editor does. */
export async function editorCall(call: EditorCall, ...args: unknown[]): Promise<unknown> {
	const definition = singleNodeWorkflow(call.node);
	const workflow = new Workflow({
		id: 'pickers',
		nodes: definition.nodes,
		connections: definition.connections,
		nodeTypes: call.pkg.nodeTypes,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'pickers', {
		id: 'pickers',
		nodes: definition.nodes,
		connections: {},
	} as never);
	const node = workflow.getNode(call.node.name)!;
	// The editor sends the node's parameters as they stand, defaults included, with every call
	// (getCurrentNodeParameter reads them; the credential check too).
	const additionalData = {
		...buildAdditionalData(call.credentials, hooks, 'pickers'),
		currentNodeParameters: node.parameters,
	};
	const context = new LoadOptionsContext(workflow, node, additionalData, call.path);
	const type = call.node.type.split('.').pop()!;
	const methods = call.pkg.nodes[type].methods![call.kind]! as Record<
		string,
		(...a: unknown[]) => Promise<unknown>
	>;
	return await methods[call.method].call(context, ...args);
}

/** A list search (a picker) of the node, as the editor pages it: the filter text and the page token. */
export async function listSearch(
	setup: Pick<EditorCall, 'pkg' | 'credentials' | 'node'>,
	method: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const call = { ...setup, kind: 'listSearch' as const, method, path: 'parameters.company' };
	return (await editorCall(call, filter, paginationToken)) as INodeListSearchResult;
}
