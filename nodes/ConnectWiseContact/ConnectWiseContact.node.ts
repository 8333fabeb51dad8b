import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { fromReconcile, simplify } from '../shared/descriptions';
import { operationProperties } from '../shared/router';
import { operations, router } from './actions/router';
import { CONNECTWISE_CREDENTIAL } from './clients';
import { contactLocators, options } from './descriptions/contact';
import { resourceAndOperation } from './descriptions/operation';
import * as listSearch from './methods/listSearch';

export class ConnectWiseContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ConnectWise Contact',
		name: 'connectWiseContact',
		icon: {
			light: 'file:../../icons/connectwise.svg',
			dark: 'file:../../icons/connectwise.dark.svg',
		},
		group: ['transform'],
		// 2: communication types recognized from the tenant (the type names became overrides, empty by
		// default); the parameters Autotask Contact shares keep its names and defaults (Contact is
		// contactId, Find Options' Output Items Not Found is on, Last Modified Since, Email next to the names on Create).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, find, update and deactivate ConnectWise Manage (PSA) contacts, emails and phones included',
		defaults: { name: 'ConnectWise Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CONNECTWISE_CREDENTIAL, required: true }],
		properties: [
			...resourceAndOperation,
			fromReconcile,
			...contactLocators,
			...operationProperties(operations),
			simplify("ConnectWise's raw record"),
			...options,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
