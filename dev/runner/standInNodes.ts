import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/**
 * Stand-ins for the n8n-nodes-base nodes our templates start with. In the engine a trigger's
 * only job is to emit the first items; these emit the items the harness starts them with (a
 * Webhook stand-in is fed items shaped like the real Webhook node's output). The real nodes run
 * in the end-to-end lane against a real n8n.
 */
function passThrough(name: string, displayName: string, hasInput: boolean): INodeType {
	const description: INodeTypeDescription = {
		displayName,
		name,
		group: ['trigger'],
		version: [1, 1.1, 1.2, 1.3, 2],
		description: `Test stand-in for ${displayName}`,
		defaults: { name: displayName },
		inputs: hasInput ? [NodeConnectionTypes.Main] : [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			return [items.length ? items : [{ json: {} }]];
		},
	};
}

const stickyNote: INodeType = {
	description: {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: [1],
		description: 'Test stand-in for Sticky Note',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [],
	},
};

/**
 * The rows each n8n Data Table holds, by its id or name, as the harness sets them (the demo: the
 * scenario's customer map). In real n8n the Data Table node reads them from n8n's own storage.
 */
export const dataTables = new Map<string, IDataObject[]>();

/**
 * n8n's Data Table node (`n8n-nodes-base.dataTable`), operation Get: every row of the table its
 * `dataTableId` names, one item each, with the id and timestamps n8n adds to every row.
 */
const dataTable: INodeType = {
	description: {
		displayName: 'Data table',
		name: 'dataTable',
		group: ['transform'],
		version: [1, 1.1],
		description: 'Test stand-in for Data table',
		defaults: { name: 'Data table' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'string', default: 'row' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'insert' },
			{
				displayName: 'Data Table',
				name: 'dataTableId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list' },
					{ displayName: 'By Name', name: 'name', type: 'string' },
					{ displayName: 'ID', name: 'id', type: 'string' },
				],
			},
			{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation !== 'get')
			throw new NodeOperationError(
				this.getNode(),
				`The Data table stand-in only gets rows, not "${operation}"`,
			);
		const table = String(this.getNodeParameter('dataTableId', 0, '', { extractValue: true }));
		const rows = dataTables.get(table);
		if (!rows) throw new NodeOperationError(this.getNode(), `Data table "${table}" does not exist`);
		const stamp = new Date(0).toISOString();
		return [
			rows.map((row, index) => ({
				json: { id: index + 1, ...row, createdAt: stamp, updatedAt: stamp },
				pairedItem: { item: 0 },
			})),
		];
	},
};

interface FilterCondition {
	leftValue?: unknown;
	rightValue?: unknown;
	operator?: { type?: string; operation?: string };
}

/** One condition of n8n's Filter node, for the operators our templates use. */
function conditionHolds(condition: FilterCondition): boolean {
	const { type, operation } = condition.operator ?? {};
	const value = condition.leftValue;
	if (type === 'boolean' && operation === 'true') return value === true;
	if (type === 'boolean' && operation === 'false') return value === false;
	if (type === 'string' && operation === 'notEmpty')
		return typeof value === 'string' && value !== '';
	if (type === 'string' && operation === 'empty') return value === '' || value == null;
	throw new Error(`The Filter stand-in has no ${type} ${operation} operator`);
}

/**
 * n8n's Filter node (`n8n-nodes-base.filter`, version 2.x): the items whose conditions hold pass,
 * paired with themselves; the rest are dropped. Expressions in the conditions are resolved per
 * item by n8n, as in the real node.
 */
const filter: INodeType = {
	description: {
		displayName: 'Filter',
		name: 'filter',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Test stand-in for Filter',
		defaults: { name: 'Filter' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'json', default: {} },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const kept: INodeExecutionData[] = [];
		this.getInputData().forEach((item, index) => {
			const filter = this.getNodeParameter('conditions', index, {}) as {
				conditions?: FilterCondition[];
				combinator?: string;
			};
			const results = (filter.conditions ?? []).map(conditionHolds);
			const pass = filter.combinator === 'or' ? results.some(Boolean) : results.every(Boolean);
			if (pass) kept.push({ json: item.json, pairedItem: { item: index } });
		});
		return [kept];
	},
};

export const standInNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.filter': filter,
	'n8n-nodes-base.dataTable': dataTable,
	'n8n-nodes-base.manualTrigger': passThrough('manualTrigger', 'Manual Trigger', false),
	'n8n-nodes-base.scheduleTrigger': passThrough('scheduleTrigger', 'Schedule Trigger', false),
	'n8n-nodes-base.webhook': passThrough('webhook', 'Webhook', false),
	'n8n-nodes-base.noOp': passThrough('noOp', 'No Operation', true),
	'n8n-nodes-base.stickyNote': stickyNote,
};
