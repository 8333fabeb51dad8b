import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as handleTrigger from './actions/handleTrigger';
import * as processAlert from './actions/processAlert';
import * as resolveAlertFromTicket from './actions/resolveAlertFromTicket';
import { ticketDeliverySecrets } from './actions/resolveAlertFromTicket';
import { router } from './actions/router';
import * as setUpTicketWebhook from './actions/setUpTicketWebhook';
import * as syncOpenAlerts from './actions/syncOpenAlerts';
import { AUTOTASK_CREDENTIAL, CONNECTWISE_CREDENTIAL, DATTO_CREDENTIAL } from './clients';
import { OUTPUT_NAMES } from './actions/outputs';
import { operationProperties } from './descriptions/operation';
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
		// 2: one Handle Trigger operation for every trigger of the alert workflow (settings set once).
		// 3: Site to Company picks the Datto site and the PSA company from lists (pickers).
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle:
			'={{({handleTrigger: "Handle trigger", syncOpenAlerts: "Sync open alerts", resolveAlertFromTicket: "Resolve alert from ticket", processAlert: "Process alert"})[$parameter["operation"]]}}',
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
		// The PSA credentials are hidden by the other PSA rather than shown by their own: n8n's
		// editor takes a field that shows every credential as the node's authentication choice,
		// hides it and lists only PSA credentials in every credential field, Datto RMM's too
		// (docs/adr/credentials-hidden-not-shown-by-psa.md). displayName: the fields' labels.
		credentials: [
			{
				name: AUTOTASK_CREDENTIAL,
				displayName: 'Credential for Autotask API',
				required: true,
				displayOptions: { hide: { psa: ['connectwise'] } },
			},
			{
				name: CONNECTWISE_CREDENTIAL,
				displayName: 'Credential for ConnectWise Manage API',
				required: true,
				displayOptions: { hide: { psa: ['autotask'] } },
			},
			{ name: DATTO_CREDENTIAL, displayName: 'Credential for Datto RMM API', required: true },
		],
		properties: [
			psaProperty,
			...operationProperties,
			...handleTrigger.description,
			...processAlert.description,
			...syncOpenAlerts.description,
			...resolveAlertFromTicket.description,
			...ticketDeliverySecrets,
			...setUpTicketWebhook.description,
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
