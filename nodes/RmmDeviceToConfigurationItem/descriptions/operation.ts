import type { INodeProperties } from 'n8n-workflow';

/** The node's operations; each one is actions/<value>.ts. */
export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Sync Devices',
			value: 'syncDevices',
			description:
				"Create, update and deactivate the Autotask configuration items of the customer map's Datto RMM devices",
			action: 'Sync devices to configuration items',
		},
	],
	default: 'syncDevices',
};
