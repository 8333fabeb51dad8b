import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { processAlerts } from '../../../lib/alerts/processAlerts';
import {
	parseAlertEvent,
	unwrapWebhookItem,
	verifySharedSecret,
	WEBHOOK_TEMPLATE_RAISED,
	WEBHOOK_TEMPLATE_RESOLVED,
} from '../../../lib/alerts/webhook';
import type { AlertEvent, SecretCheck, SecretLocation } from '../../../lib/alerts/webhook';
import { attempt } from '../../../lib/util/settled';
import { vendorClients } from '../clients';
import type { VendorClients } from '../clients';
import type { ProcessAlertsConfig } from '../../../lib/alerts/processAlerts';
import type { AlertTicketStore } from '../../../lib/alerts/ticketStore';
import { emitResults } from './outputs';
import { alertTicketStore } from './psaTicketing';
import { notesOnlyNow } from './requestBudget';
import type { ItemResult } from './outputs';
import { readTicketingConfig, readWriteTimeout } from './ticketingConfig';

const PROCESS = { operation: ['processAlert', 'handleTrigger'] };

/** The documented Datto RMM webhook bodies, shown in the node. */
const webhookNotice: INodeProperties = {
	displayName: `In Datto RMM, add a webhook to the monitor's response (or Setup > Integrations > Global Webhooks) pointing at n8n's Webhook node, Content-Type application/json, with "When alert is resolved" enabled. Alert body: ${WEBHOOK_TEMPLATE_RAISED.replace(/\s+/g, ' ')} — Resolution body: ${WEBHOOK_TEMPLATE_RESOLVED.replace(/\s+/g, ' ')}. Only alertUid and event are needed; the node reads the rest from the Datto RMM API.`,
	name: 'webhookNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: PROCESS },
};

/** Process Alert's own fields (the ticket settings it shares with Sync Open Alerts come after). */
export const description: INodeProperties[] = [
	webhookNotice,
	{
		displayName: 'Shared Secret',
		name: 'sharedSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'If set, deliveries that do not carry this value (as the header or query parameter below) are rejected. Add it to the webhook URL in Datto RMM, e.g. …/webhook/datto-rmm-alerts?secret=… .',
		displayOptions: { show: PROCESS },
	},
	{
		displayName: 'Secret Options',
		name: 'secretOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: PROCESS },
		options: [
			{
				displayName: 'Secret Location',
				name: 'location',
				type: 'options',
				options: [
					{ name: 'Header', value: 'header' },
					{ name: 'Header or Query Parameter', value: 'headerOrQuery' },
					{ name: 'Query Parameter', value: 'query' },
				],
				default: 'headerOrQuery',
				description: 'Where the shared secret is looked for in the delivery',
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: 'x-webhook-secret',
				description:
					'Header that carries the secret ("Authorization" also accepts "Bearer &lt;secret&gt;")',
			},
			{
				displayName: 'Query Parameter Name',
				name: 'queryName',
				type: 'string',
				default: 'secret',
			},
		],
	},
];

const text = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

function readSecretCheck(ctx: IExecuteFunctions): SecretCheck | undefined {
	const expected = String(ctx.getNodeParameter('sharedSecret', 0, '') ?? '');
	if (!expected) return undefined;
	const options = ctx.getNodeParameter('secretOptions', 0, {}) as IDataObject;
	const location = (
		['header', 'query', 'headerOrQuery'].includes(String(options.location))
			? options.location
			: 'headerOrQuery'
	) as SecretLocation;
	return {
		expected,
		location,
		headerName: text(options.headerName) || 'x-webhook-secret',
		queryName: text(options.queryName) || 'secret',
	};
}

/** What a delivery was about, for the run's failure summary. */
function subjectOf(event: AlertEvent | Error): string | undefined {
	if (event instanceof Error) return undefined;
	const { hostname, siteName } = event.hints;
	const where = [hostname && `on ${hostname}`, siteName && `at ${siteName}`].filter(Boolean);
	return `alert ${event.alertUid}, ${event.kind}${where.length ? ` ${where.join(' ')}` : ''}`;
}

/**
 * Applies every delivery of the execution as one batch (Webhook-node items, bodies, or API
 * alerts); each item comes out once, in the output of its outcome. Deliveries that could not be
 * applied fail the run after all the others were (or come out as error items with Continue On
 * Fail).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const clients = vendorClients(this, { writeTimeoutMs: readWriteTimeout(this) });
	const sharedSecret = String(this.getNodeParameter('sharedSecret', 0, '') ?? '');
	const secrets = () => [...clients.secrets(), ...(sharedSecret ? [sharedSecret] : [])];
	const config = readTicketingConfig(this, secrets);
	const store = await alertTicketStore(this, clients, config);
	config.notesOnly = await notesOnlyNow(this, store);
	const count = this.getInputData().length;
	const items = await applyAlertDeliveries(this, clients, store, config, [...Array(count).keys()]);
	return emitResults(
		this,
		items,
		{
			total: count,
			noun: 'delivery',
			nouns: 'deliveries',
			verb: 'could not be applied',
		},
		secrets(),
	);
}

/** The shared secret, to keep out of every error. */
export function sharedSecretOf(ctx: IExecuteFunctions): string[] {
	const secret = String(ctx.getNodeParameter('sharedSecret', 0, '') ?? '');
	return secret ? [secret] : [];
}

/**
 * The Datto alert deliveries among the items (`indexes`), applied as one batch: each item's
 * outcome or failure, and what the duplicate and storm rules could not close on the way (on the
 * first of them).
 */
export async function applyAlertDeliveries(
	ctx: IExecuteFunctions,
	clients: VendorClients,
	store: AlertTicketStore,
	config: ProcessAlertsConfig,
	indexes: number[],
): Promise<ItemResult[]> {
	const secretCheck = readSecretCheck(ctx);
	const input = ctx.getInputData();
	const events: Array<AlertEvent | Error> = indexes.map((index) => {
		const parsed = attempt(() => {
			const envelope = unwrapWebhookItem(input[index].json);
			if (secretCheck) verifySharedSecret(envelope, secretCheck);
			// A delivery that carried the shared secret is Datto's: its site and device may be trusted.
			return { ...parseAlertEvent(envelope.body), trusted: secretCheck !== undefined };
		});
		return parsed.ok ? parsed.value : (parsed.error as Error);
	});
	const { results, housekeeping, caughtUp } = await processAlerts(
		store,
		clients.datto,
		config,
		events,
	);
	const items: ItemResult[] = results.map((result, position) => {
		const itemIndex = indexes[position];
		return result instanceof Error || !result
			? {
					itemIndex,
					outcomes: [],
					failures: [
						{
							itemIndex,
							error: result ?? new Error('The delivery was not processed'),
							subject: subjectOf(events[position]),
						},
					],
				}
			: { itemIndex, outcomes: [result], failures: [] };
	});
	// Closing another delivery's ticket by the duplicate or storm rule failed: the run failed too.
	for (const { ticket, error } of housekeeping.errors)
		items[0]?.failures.push({
			itemIndex: items[0].itemIndex,
			error,
			subject: `closing ticket ${ticket.ticketNumber ?? ticket.id} by the duplicate or storm rule`,
		});
	// Listing a storm's deferred alerts on its due note failed: the run failed too (the backstop
	// lists them).
	for (const error of caughtUp.errors)
		items[0]?.failures.push({
			itemIndex: items[0].itemIndex,
			error,
			subject: "listing the storm alerts deferred since the storm ticket's last note",
		});
	return items;
}
