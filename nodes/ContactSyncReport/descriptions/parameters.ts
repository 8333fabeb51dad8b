import type { INodeProperties } from 'n8n-workflow';

export const parameters: INodeProperties[] = [
	{
		displayName:
			"Connect the four PSA writer nodes (Continue On Fail on, so their failed items arrive here) and Contact Reconcile's Unchanged and Needs Review outputs. The node runs once every writer has finished, outputs one report per customer and fails the execution when any write failed.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Fail When Anything Failed',
		name: 'failOnErrors',
		type: 'boolean',
		default: true,
		description:
			"Whether to fail the execution (after reporting) when a write or a customer's plan failed, so the run shows as failed in n8n's execution list",
	},
];
