import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { fromReconcile, simplify } from '../shared/descriptions';
import * as checkPermissions from './actions/checkPermissions';
import * as create from './actions/create';
import * as deactivate from './actions/deactivate';
import * as findByEmail from './actions/findByEmail';
import * as get from './actions/get';
import * as getAll from './actions/getAll';
import * as reactivate from './actions/reactivate';
import { router } from './actions/router';
import * as update from './actions/update';
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
		description: "Read and write Autotask PSA contacts, with Autotask's quirks handled",
		defaults: { name: 'Autotask Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: AUTOTASK_CREDENTIAL, required: true }],
		properties: [
			...resourceAndOperation,
			fromReconcile,
			...create.description,
			contactLocator,
			...get.description,
			...update.description,
			...deactivate.description,
			...reactivate.description,
			...getAll.description,
			...findByEmail.description,
			...checkPermissions.description,
			simplify("Autotask's raw record"),
			options,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
