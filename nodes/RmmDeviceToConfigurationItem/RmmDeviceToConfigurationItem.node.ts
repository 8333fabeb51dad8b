import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { OUTPUT_NAMES } from './actions/outputs';
import { router } from './actions/router';
import * as syncDevices from './actions/syncDevices';
import { AUTOTASK_CREDENTIAL, DATTO_CREDENTIAL } from './clients';
import { operationProperty } from './descriptions/operation';
import * as loadOptions from './methods/loadOptions';

export class RmmDeviceToConfigurationItem implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RMM Device to Configuration Item',
		name: 'rmmDeviceToConfigurationItem',
		icon: {
			light: 'file:../../icons/rmmDeviceToConfigurationItem.svg',
			dark: 'file:../../icons/rmmDeviceToConfigurationItem.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{"Sync devices" + ($parameter["options"]?.dryRun ? " (dry run)" : "")}}',
		description:
			'Keep Autotask configuration items in line with Datto RMM devices: products, types, UDFs and contracts mapped, every customer from one customer map',
		defaults: { name: 'RMM Device to Configuration Item' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Trigger', 'Customer Map'],
		outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		// n8n labels every required credential field "Credential": the labels tell the two apart.
		credentials: [
			{ name: AUTOTASK_CREDENTIAL, displayName: 'Credential for Autotask API', required: true },
			{ name: DATTO_CREDENTIAL, displayName: 'Credential for Datto RMM API', required: true },
		],
		properties: [operationProperty, ...syncDevices.description],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
