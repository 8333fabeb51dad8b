import type { INodeProperties } from 'n8n-workflow';

/** The node's resource and operations; each operation is actions/<value>.ts. */
export const resourceAndOperation: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer Tenant', value: 'customerTenant' },
			{ name: 'User', value: 'user' },
		],
		default: 'user',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one user by ID or user principal name',
				action: 'Get a user',
			},
			{
				name: 'Get Changes',
				value: 'getChanges',
				description:
					'Get the users changed or removed since the last run (delta query); the first run returns every user',
				action: 'Get changed users',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many users, filtered for a contact sync',
				action: 'Get many users',
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerTenant'] } },
		options: [
			{
				name: 'Suggest Customer Map',
				value: 'suggestCustomerMap',
				description:
					'Propose customer map rows: customer tenants matched to the PSA companies and Datto RMM sites given as input, with evidence; writes nothing',
				action: 'Suggest customer map rows',
			},
		],
		default: 'suggestCustomerMap',
	},
];
