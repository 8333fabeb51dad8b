import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as processAlert from './actions/processAlert';
import * as resolveAlertFromTicket from './actions/resolveAlertFromTicket';
import { router } from './actions/router';
import * as syncOpenAlerts from './actions/syncOpenAlerts';
import { AUTOTASK_CREDENTIAL, CONNECTWISE_CREDENTIAL, DATTO_CREDENTIAL } from './clients';
import { OUTPUT_NAMES } from './actions/outputs';
import { operationProperty } from './descriptions/operation';
import { options } from './descriptions/options';
import { autotaskOnly, connectwiseSettings, psaProperty } from './descriptions/psa';
import { ticketSettings } from './descriptions/ticketSettings';
import * as listSearch from './methods/listSearch';
import * as loadOptions from './methods/loadOptions';
import { connectwiseListSearch, connectwiseLoadOptions } from './methods/connectwise';

export class RmmAlertToTicket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RMM Alert to Ticket',
		name: 'rmmAlertToTicket',
		icon: {
			light: 'file:../../icons/rmmAlertToTicket.svg',
			dark: 'file:../../icons/rmmAlertToTicket.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "syncOpenAlerts" ? "Sync open alerts" : $parameter["operation"] === "resolveAlertFromTicket" ? "Resolve alert from ticket" : "Process alert"}}',
		description:
			'Turn Datto RMM alerts into Autotask or ConnectWise Manage tickets: no duplicates, no storms, no ticket closed while a technician works on it',
		defaults: { name: 'RMM Alert to Ticket' },
		usableAsTool: true,
		// The Customer Map input takes the customer map's rows (an n8n Data Table node): site to
		// company for every PSA, no Datto site read. Workflows saved without it keep working.
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Trigger', 'Customer Map'],
		outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		credentials: [
			{
				name: AUTOTASK_CREDENTIAL,
				required: true,
				displayOptions: { show: { psa: ['autotask'] } },
			},
			{
				name: CONNECTWISE_CREDENTIAL,
				required: true,
				displayOptions: { show: { psa: ['connectwise'] } },
			},
			{ name: DATTO_CREDENTIAL, required: true },
		],
		properties: [
			psaProperty,
			operationProperty,
			...processAlert.description,
			...syncOpenAlerts.description,
			...resolveAlertFromTicket.description,
			...connectwiseSettings,
			...ticketSettings.map(autotaskOnly),
			options,
		],
	};

	methods = {
		loadOptions: { ...loadOptions, ...connectwiseLoadOptions },
		listSearch: { ...listSearch, ...connectwiseListSearch },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
