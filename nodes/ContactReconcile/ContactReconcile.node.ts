import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { searchAutotaskCompanies } from '../shared/methods/autotaskCompanies';
import { searchConnectWiseCompanies } from '../shared/methods/connectwiseCompanies';
import { OUTPUT_NAMES } from './actions/outputs';
import * as plan from './actions/plan';
import { router } from './actions/router';

export class ContactReconcile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Contact Reconcile',
		name: 'contactReconcile',
		icon: {
			light: 'file:../../icons/contactReconcile.svg',
			dark: 'file:../../icons/contactReconcile.dark.svg',
		},
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ($parameter["customerSource"] === "map" ? "Every mapped customer" : $parameter["updateExisting"] ? ($parameter["mode"] === "mirror" ? "Mirror" : "Changes only") : "Create only") + ($parameter["dryRun"] ? " (dry run)" : "") }}',
		description: 'Plan the sync of Microsoft 365 users into PSA contacts: one output per action',
		defaults: { name: 'Contact Reconcile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Source', 'Target', 'Customers'],
		outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		// Version 2 picks the company from the PSA: the credential is only read by the picker and to
		// name companies in guard messages, so it stays optional. Hidden by the other target rather
		// than shown by its own, or n8n's editor takes Target System for the node's authentication
		// choice and hides it (docs/adr/credentials-hidden-not-shown-by-psa.md).
		credentials: [
			{
				name: 'autotaskApi',
				required: false,
				displayOptions: {
					show: { '@version': [2], customerSource: ['company'] },
					hide: { targetSystem: ['connectwise'] },
				},
			},
			{
				name: 'connectWiseManageApi',
				required: false,
				displayOptions: {
					show: { '@version': [2], customerSource: ['company'] },
					hide: { targetSystem: ['autotask'] },
				},
			},
		],
		properties: plan.description,
	};

	methods = { listSearch: { searchAutotaskCompanies, searchConnectWiseCompanies } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
