import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { operationProperties } from '../shared/router';
import { OUTPUT_NAMES } from './actions/outputs';
import { operations, router } from './actions/router';
import { GRAPH_CREDENTIAL } from './clients';
import { resourceAndOperation } from './descriptions/operation';
import { options, simplify, tenant } from './descriptions/user';
import * as listSearch from './methods/listSearch';

export class Office365Users implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Users',
		// The type name keeps the node's first name: saved workflows refer to it.
		name: 'office365Users',
		icon: {
			light: 'file:../../icons/microsoft365.svg',
			dark: 'file:../../icons/microsoft365.dark.svg',
		},
		group: ['input'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "suggestCustomerMap" ? "Suggest customer map" : $parameter["operation"] === "getAll" ? "Get many users" : $parameter["operation"] === "getChanges" ? "Get changed users" : "Get a user"}}',
		description: 'Read Microsoft 365 users through Microsoft Graph as contacts for a PSA sync',
		defaults: { name: 'Microsoft 365 Users' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		credentials: [{ name: GRAPH_CREDENTIAL, required: true }],
		properties: [
			...resourceAndOperation,
			tenant,
			...operationProperties(operations),
			simplify,
			options,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
