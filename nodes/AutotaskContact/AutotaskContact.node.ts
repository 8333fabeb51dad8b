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
import { AUTOTASK_CREDENTIAL } from './clients';
import { contactLocator, options } from './descriptions/contact';
import { resourceAndOperation } from './descriptions/operation';
import * as listSearch from './methods/listSearch';

export class AutotaskContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Autotask Contact',
		name: 'autotaskContact',
		icon: { light: 'file:../../icons/autotask.svg', dark: 'file:../../icons/autotask.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, find, update and deactivate Autotask (PSA) contacts, with its quirks handled',
		defaults: { name: 'Autotask Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: AUTOTASK_CREDENTIAL, required: true }],
		properties: [
			...resourceAndOperation,
			fromReconcile,
			contactLocator,
			...operationProperties(operations),
			simplify("Autotask's raw record"),
			options,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
