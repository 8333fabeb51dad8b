import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { CredentialStore, TestCredentialsHelper } from './credentials';
import type { LoadedPackage } from './nodeTypes';

export interface WorkflowDefinition {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	staticData?: IDataObject;
}

export interface RunOptions {
	pkg: LoadedPackage;
	credentials: CredentialStore;
	workflow: WorkflowDefinition;
	/** The node execution starts at (a trigger). Default: the first node without inputs that is connected. */
	startNode?: string;
	/** Items the start node emits. */
	input?: IDataObject[];
	/** 'manual' runs do not save static data, as in n8n; 'trigger' and 'webhook' runs do. */
	mode?: WorkflowExecuteMode;
	/** Static data kept between runs of the same workflow (n8n keeps it in the database). */
	staticData?: StaticDataStore;
}

/** Per-workflow static data, saved after non-manual runs only (n8n's rule). */
export class StaticDataStore {
	private readonly saved = new Map<string, IDataObject>();

	load(workflowId: string): IDataObject {
		return structuredClone(this.saved.get(workflowId) ?? {});
	}

	save(workflowId: string, data: IDataObject): void {
		// Through JSON, as n8n's database does: the workflow's static data is a Proxy (ObservableObject),
		// which structuredClone refuses.
		this.saved.set(workflowId, JSON.parse(JSON.stringify(data)) as IDataObject);
	}
}

export interface WorkflowResult {
	run: IRun;
	status: IRun['status'];
	/** The workflow-level error, if the run failed. */
	error?: {
		message: string;
		description?: string;
		name?: string;
		node?: string;
		[key: string]: unknown;
	};
	/** Items a node emitted on one output (run 0). */
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The json of those items. */
	json(nodeName: string, outputIndex?: number): IDataObject[];
	/** Whether the node ran at all. */
	ran(nodeName: string): boolean;
}

let executionCounter = 0;

export async function runWorkflow(options: RunOptions): Promise<WorkflowResult> {
	const mode = options.mode ?? 'manual';
	const workflowId = options.workflow.id ?? 'test-workflow';
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: options.workflow.name ?? workflowId,
		active: false,
		isArchived: false,
		nodes: options.workflow.nodes,
		connections: options.workflow.connections,
		settings: { executionOrder: 'v1', ...(options.workflow.settings ?? {}) },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;

	const staticData =
		options.staticData?.load(workflowId) ?? structuredClone(options.workflow.staticData ?? {});
	const workflow = new Workflow({
		id: workflowId,
		name: workflowData.name,
		nodes: options.workflow.nodes,
		connections: options.workflow.connections,
		nodeTypes: options.pkg.nodeTypes,
		active: false,
		settings: workflowData.settings,
		staticData,
	});

	const startName = options.startNode ?? defaultStartNode(options.workflow);
	const startNode = workflow.getNode(startName);
	if (!startNode) throw new Error(`Start node "${startName}" is not in the workflow`);

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});
	const additionalData = buildAdditionalData(options.credentials, hooks, executionId);

	const inputItems: INodeExecutionData[] = (options.input ?? [{}]).map((json) => ({ json }));
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [inputItems] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(additionalData, mode, runData);
	void execution.processRunExecutionData(workflow);
	const run = await finished;

	if (options.staticData && mode !== 'manual')
		options.staticData.save(workflowId, workflow.staticData);

	const runs = run.data.resultData.runData;
	const items = (nodeName: string, outputIndex = 0) =>
		(runs[nodeName]?.[0]?.data?.main?.[outputIndex] ?? []) as INodeExecutionData[];
	const error = run.data.resultData.error as WorkflowResult['error'];
	return {
		run,
		status: run.status,
		error: error
			? {
					...error,
					message: error.message,
					node: (error as { node?: { name?: string } }).node?.name,
				}
			: undefined,
		items,
		json: (nodeName, outputIndex = 0) => items(nodeName, outputIndex).map((item) => item.json),
		ran: (nodeName) => runs[nodeName] !== undefined,
	};
}

function defaultStartNode(workflow: WorkflowDefinition): string {
	const targets = new Set<string>();
	for (const outputs of Object.values(workflow.connections)) {
		for (const connections of Object.values(outputs)) {
			for (const group of connections ?? [])
				for (const connection of group ?? []) targets.add(connection.node);
		}
	}
	const start = workflow.nodes.find(
		(node) => !targets.has(node.name) && workflow.connections[node.name],
	);
	if (!start) throw new Error('The workflow has no node to start from');
	return start.name;
}

export function buildAdditionalData(
	store: CredentialStore,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		hooks,
		executionId,
		userId: 'test-user',
		credentialsHelper: new TestCredentialsHelper(store),
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in tests');
		},
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A one-node workflow: our node fed with `input`, as if a trigger emitted them. */
export function singleNodeWorkflow(
	node: Omit<INode, 'id' | 'position' | 'typeVersion'> & { typeVersion?: number },
): WorkflowDefinition {
	const trigger: INode = {
		id: 'trigger',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const subject: INode = { id: 'subject', position: [200, 0], typeVersion: 1, ...node } as INode;
	return {
		nodes: [trigger, subject],
		connections: { Start: { main: [[{ node: subject.name, type: 'main', index: 0 }]] } },
	};
}
