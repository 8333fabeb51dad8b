import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	setUpAutotaskTicketWebhook,
	setUpConnectWiseTicketCallback,
} from '../../../lib/alerts/ticketWebhookSetup';
import type { SetupResult } from '../../../lib/alerts/ticketWebhookSetup';
import { settle } from '../../../lib/util/settled';
import { toNodeError } from '../../shared/errors';
import { vendorClients } from '../clients';
import { OUTPUT_NAMES } from './outputs';
import { alertPsa } from './psaTicketing';

const SETUP = { operation: ['setUpTicketWebhook'] };

/** Set Up Ticket Webhook's own fields (the secrets are the ticket deliveries', the board ConnectWise's). */
export const description: INodeProperties[] = [
	{
		displayName: 'Ticket Webhook URL',
		name: 'ticketWebhookUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/autotask-ticket-webhook',
		description:
			"The Production URL of the alert workflow's ticket Webhook node (Autotask Ticket Webhook or ConnectWise Ticket Callback): the PSA calls it when a ticket changes",
		displayOptions: { show: SETUP },
	},
	{
		displayName: 'Webhook Name',
		name: 'ticketWebhookName',
		type: 'string',
		default: 'Datto RMM alert tickets (n8n)',
		description:
			"The webhook's name in Autotask (50 characters) or the callback's description in ConnectWise (100)",
		displayOptions: { show: SETUP },
	},
	{
		displayName: 'Webhook Options',
		name: 'ticketWebhookOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...SETUP, psa: ['autotask'] } },
		options: [
			{
				displayName: 'Deactivation URL',
				name: 'deactivationUrl',
				type: 'string',
				default: '',
				description:
					'Autotask calls it when the webhook is deactivated (for example when its owner is); default: the Ticket Webhook URL',
			},
			{
				displayName: 'Notification Email',
				name: 'notificationEmail',
				type: 'string',
				placeholder: 'e.g. noc@yourmsp.com',
				default: '',
				description: "Who Autotask tells when the webhook's callouts exceed its threshold",
			},
		],
	},
];

const OUTPUT_OF = { created: 0, updated: 1, unchanged: OUTPUT_NAMES.length - 1 } as const;

/**
 * Creates (or brings up to date) the PSA's ticket webhook / callback the workflow's ticket branch
 * needs, once per execution, and says what it did: Created, Updated, or Skipped when it already
 * was as wanted.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const clients = vendorClients(this);
	const psa = alertPsa(this);
	const secret = String(
		this.getNodeParameter(psa === 'connectwise' ? 'callbackSecret' : 'webhookSecretKey', 0, '') ??
			'',
	);
	const options = this.getNodeParameter('ticketWebhookOptions', 0, {}) as IDataObject;
	const setup = {
		url: String(this.getNodeParameter('ticketWebhookUrl', 0, '') ?? ''),
		secret,
		name: String(this.getNodeParameter('ticketWebhookName', 0, '') ?? ''),
		deactivationUrl: String(options.deactivationUrl ?? ''),
		notificationEmail: String(options.notificationEmail ?? ''),
	};
	const done = await settle<SetupResult>(
		psa === 'connectwise'
			? setUpConnectWiseTicketCallback(clients.connectwise, {
					...setup,
					boardId: Number(this.getNodeParameter('connectwiseBoard', 0, '', { extractValue: true })),
				})
			: setUpAutotaskTicketWebhook(clients.autotask, setup),
	);
	const secrets = [...clients.secrets(), ...(secret ? [secret] : [])];
	if (!done.ok) {
		const error = toNodeError(this.getNode(), done.error, 0, secrets);
		if (!this.continueOnFail()) throw error;
		const outputs: INodeExecutionData[][] = OUTPUT_NAMES.map(() => []);
		outputs[OUTPUT_OF.unchanged].push({
			json: { error: error.message, description: error.description ?? undefined },
			pairedItem: { item: 0 },
		});
		return outputs;
	}
	const outputs: INodeExecutionData[][] = OUTPUT_NAMES.map(() => []);
	outputs[OUTPUT_OF[done.value.action]].push({
		json: { ...done.value } as unknown as IDataObject,
		pairedItem: { item: 0 },
	});
	return outputs;
}
