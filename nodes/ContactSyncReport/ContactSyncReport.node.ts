import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as report from './actions/report';
import { router } from './actions/router';

export class ContactSyncReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Contact Sync Report',
		name: 'contactSyncReport',
		icon: {
			light: 'file:../../icons/contactReconcile.svg',
			dark: 'file:../../icons/contactReconcile.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["failOnErrors"] ? "Fails on errors" : "Reports only" }}',
		description:
			'Report a contact sync per customer once every writer has finished; fail the execution when a write failed',
		defaults: { name: 'Contact Sync Report' },
		usableAsTool: true,
		inputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		inputNames: ['Created', 'Updated', 'Deactivated', 'Reactivated', 'Unchanged', 'Needs Review'],
		outputs: [NodeConnectionTypes.Main],
		properties: report.description,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
