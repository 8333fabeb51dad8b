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
import { AUTOTASK_CREDENTIAL, DATTO_CREDENTIAL } from './clients';
import { OUTPUT_NAMES } from './actions/outputs';
import { operationProperty } from './descriptions/operation';
import { options } from './descriptions/options';
import { ticketSettings } from './descriptions/ticketSettings';
import * as listSearch from './methods/listSearch';
import * as loadOptions from './methods/loadOptions';

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
			'Turn Datto RMM alerts into Autotask tickets: no duplicates, no storms, no ticket closed while a technician works on it',
		defaults: { name: 'RMM Alert to Ticket' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		credentials: [
			{ name: AUTOTASK_CREDENTIAL, required: true },
			{ name: DATTO_CREDENTIAL, required: true },
		],
		properties: [
			operationProperty,
			...processAlert.description,
			...syncOpenAlerts.description,
			...resolveAlertFromTicket.description,
			...ticketSettings,
			options,
		],
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
