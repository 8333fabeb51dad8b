import { NodeConnectionTypes } from 'n8n-workflow';
import type {
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

export const standInNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': passThrough('manualTrigger', 'Manual Trigger', false),
	'n8n-nodes-base.scheduleTrigger': passThrough('scheduleTrigger', 'Schedule Trigger', false),
	'n8n-nodes-base.webhook': passThrough('webhook', 'Webhook', false),
	'n8n-nodes-base.noOp': passThrough('noOp', 'No Operation', true),
	'n8n-nodes-base.stickyNote': stickyNote,
};
