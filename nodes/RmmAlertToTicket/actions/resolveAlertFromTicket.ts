import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveCompletedTicket, ticketAlertResolver } from '../../../lib/alerts/resolveFromTicket';
import type { Outcome } from '../../../lib/alerts/outcome';
import { outcome } from '../../../lib/alerts/outcome';
import type { AlertTicketStore } from '../../../lib/alerts/ticketStore';
import {
	isConnectWiseCallback,
	parseConnectWiseCallback,
	verifyCallbackSecret,
} from '../../../lib/alerts/connectwiseCallback';
import {
	isTicketWebhook,
	parseTicketWebhook,
	verifyHookSignature,
} from '../../../lib/alerts/ticketWebhook';
import { unwrapWebhookItem } from '../../../lib/alerts/webhook';
import type { DattoAlert, DattoClient } from '../../../lib/transport/datto';
import { PromiseCache } from '../../../lib/util/promiseCache';
import { InputError } from '../../../lib/transport/http';
import { mapWithConcurrency } from '../../../lib/transport/limiter';
import { settle } from '../../../lib/util/settled';
import { vendorClients } from '../clients';
import type { VendorClients } from '../clients';
import { emitResults } from './outputs';
import type { ItemResult } from './outputs';
import { alertPsa, ticketReader } from './psaTicketing';
import { STATUS_COMPLETE } from './ticketingConfig';

const RESOLVE = { operation: ['resolveAlertFromTicket'] };
const BY_TICKET = { operation: ['resolveAlertFromTicket'], input: ['ticket'] };
/**
 * The secrets that authenticate the PSA's ticket deliveries: Resolve Alert From Ticket's webhook
 * input, Handle Trigger and Set Up Ticket Webhook (one property per place it is shown: n8n's
 * display conditions are all-of).
 */
export const ticketDeliverySecrets: INodeProperties[] = [
	{ operation: ['resolveAlertFromTicket'], input: ['ticketWebhook'] },
	{ operation: ['handleTrigger', 'setUpTicketWebhook'] },
].flatMap((where) => [
	{
		displayName: 'Autotask Webhook Secret Key',
		name: 'webhookSecretKey',
		type: 'string' as const,
		typeOptions: { password: true },
		default: '',
		description:
			'The Secret Key of the Autotask ticket webhook: deliveries without its X-Hook-Signature are rejected and change nothing',
		displayOptions: { show: { ...where, psa: ['autotask'] } },
	},
	{
		displayName: 'ConnectWise Callback Secret',
		name: 'callbackSecret',
		type: 'string' as const,
		typeOptions: { password: true },
		default: '',
		description:
			'A long random value; the ConnectWise callback URL carries it as ?secret=…, and callbacks without it are rejected and change nothing',
		displayOptions: { show: { ...where, psa: ['connectwise'] } },
	},
]);

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'input',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'A Ticket',
				value: 'ticket',
				description: 'Pick the ticket, or map its ID',
			},
			{
				name: 'Ticket Webhook (Autotask) or Callback (ConnectWise)',
				value: 'ticketWebhook',
				description:
					"Each item is a delivery of Autotask's ticket webhook or ConnectWise's ticket callback (from a Webhook node): it is authenticated, and a completed alert ticket resolves the alerts on it",
			},
		],
		default: 'ticket',
		displayOptions: { show: RESOLVE },
	},
	{
		displayName: 'Ticket',
		name: 'ticket',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The PSA ticket whose Datto RMM alert to resolve (from an Autotask webhook or a ConnectWise callback: the ticket ID in the payload)',
		displayOptions: { show: BY_TICKET },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an alert ticket...',
				typeOptions: { searchListMethod: 'searchAlertTickets', searchable: true },
			},
			{
				// No validation regex (see the catch-all company's By ID): parseTicketId checks it.
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7401',
			},
		],
	},
	{
		displayName: 'Expected Alert UID',
		name: 'expectedAlertUid',
		type: 'string',
		default: '',
		placeholder: 'e.g. 6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11',
		description: 'Optional guard: resolve only if the ticket tracks this alert',
		displayOptions: { show: BY_TICKET },
	},
	{
		displayName: 'Only When Ticket Is Complete',
		name: 'onlyWhenComplete',
		type: 'boolean',
		default: true,
		description: 'Whether to resolve the alert only when the ticket has the completed status',
		displayOptions: { show: BY_TICKET },
	},
];

function parseTicketId(raw: unknown, psaName: string): number {
	const text = String(raw ?? '').trim();
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
		throw new InputError(
			'Ticket',
			`Ticket "${text}" is not ${/^[aeiou]/i.test(psaName) ? 'an' : 'a'} ${psaName} ticket ID`,
			'Pick the ticket, or map the ticket ID (digits) from the Autotask webhook or ConnectWise callback payload.',
		);
	}
	return Number(text);
}

/**
 * Resolves, per item, the Datto alert of the ticket it names (every item, then the failures
 * together). This operation has no ticket settings: a ticket is complete when it has Autotask's
 * system status Complete (ConnectWise: any closed status).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const clients = vendorClients(this);
	const count = this.getInputData().length;
	if (this.getNodeParameter('input', 0, 'ticket') === 'ticketWebhook') {
		const indexes = [...Array(count).keys()];
		const { items, secrets } = await handleTicketEvents(this, clients, indexes);
		return emitResults(
			this,
			items,
			{
				total: count,
				noun: 'ticket webhook',
				nouns: 'ticket webhooks',
				verb: 'could not be handled',
			},
			secrets,
		);
	}
	const { datto, secrets } = clients;
	const reader = ticketReader(this, clients, STATUS_COMPLETE);
	const resolve = ticketAlertResolver(reader, datto);
	const items = await mapWithConcurrency(count, 4, async (itemIndex): Promise<ItemResult> => {
		const done = await settle(
			(async () => {
				const ticketId = parseTicketId(
					this.getNodeParameter('ticket', itemIndex, '', { extractValue: true }),
					reader.name,
				);
				return await resolve(ticketId, {
					expectedAlertUid:
						String(this.getNodeParameter('expectedAlertUid', itemIndex, '') ?? '').trim() ||
						undefined,
					requireComplete: this.getNodeParameter('onlyWhenComplete', itemIndex, true) as boolean,
				});
			})(),
		);
		return done.ok
			? { itemIndex, outcomes: [done.value], failures: [] }
			: { itemIndex, outcomes: [], failures: [{ itemIndex, error: done.error }] };
	});
	return emitResults(
		this,
		items,
		{ total: count, noun: 'ticket', nouns: 'tickets', verb: 'could not be handled' },
		secrets(),
	);
}

/**
 * The PSA's ticket deliveries among the items (Autotask's signed ticket webhook, or a ConnectWise
 * callback with its secret), one at a time: two deliveries for one ticket then resolve its alerts
 * once. Also the secrets to keep out of every error.
 */
export async function handleTicketEvents(
	ctx: IExecuteFunctions,
	clients: VendorClients,
	indexes: number[],
): Promise<{ items: ItemResult[]; secrets: string[] }> {
	const { datto } = clients;
	const psa = alertPsa(ctx);
	const secret = String(
		ctx.getNodeParameter(psa === 'connectwise' ? 'callbackSecret' : 'webhookSecretKey', 0, '') ??
			'',
	);
	const store = ticketReader(ctx, clients, STATUS_COMPLETE);
	const alerts = new PromiseCache(async (uid: string) => await datto.getAlert(uid));
	const items = await mapWithConcurrency(
		indexes.length,
		1,
		async (position): Promise<ItemResult> => {
			const itemIndex = indexes[position];
			const done = await settle(
				psa === 'connectwise'
					? fromConnectWiseCallback(ctx, itemIndex, secret, store, datto, alerts)
					: fromTicketWebhook(ctx, itemIndex, secret, store, datto, alerts),
			);
			return done.ok
				? { itemIndex, outcomes: done.value, failures: [] }
				: { itemIndex, outcomes: [], failures: [{ itemIndex, error: done.error }] };
		},
	);
	return { items, secrets: [...clients.secrets(), ...(secret ? [secret] : [])] };
}

/** One delivery of the Autotask ticket webhook: signature, then the reverse-path rules. */
async function fromTicketWebhook(
	ctx: IExecuteFunctions,
	itemIndex: number,
	secretKey: string,
	store: AlertTicketStore,
	datto: DattoClient,
	alerts: PromiseCache<string, DattoAlert | undefined>,
): Promise<Outcome[]> {
	const item = ctx.getInputData()[itemIndex];
	const envelope = unwrapWebhookItem(item.json);
	if (isConnectWiseCallback(envelope))
		throw new InputError(
			'PSA',
			'A ConnectWise callback reached a node whose PSA is Autotask',
			'Point the ConnectWise callback at the ConnectWise alert workflow, or set PSA to ConnectWise Manage.',
		);
	if (!secretKey)
		throw new InputError(
			'Autotask Webhook Secret Key',
			'No Autotask Webhook Secret Key is set, so no delivery can be trusted',
			'Set the Secret Key of the Autotask ticket webhook here (the same value as in Autotask).',
		);
	// The exact bytes when the Webhook node keeps the raw body (its Raw Body option).
	const rawBody = item.binary?.data
		? (await ctx.helpers.getBinaryDataBuffer(itemIndex, 'data')).toString('utf8')
		: undefined;
	verifyHookSignature(envelope, secretKey, rawBody);
	const event = parseTicketWebhook(envelope.body);
	const ref = { ticketId: event.ticketId };
	if (!/^(create|update)$/i.test(event.action))
		return [
			outcome({
				decision: 'notTicketChange',
				...ref,
				reason: `An Autotask "${event.action}" callout changes no ticket status`,
			}),
		];
	// A callout that names a status other than complete needs no read: a later one will say so.
	if (event.status !== undefined && event.status !== store.completeStatus)
		return [
			outcome({
				decision: 'ticketNotComplete',
				...ref,
				reason: `Ticket ${event.ticketId} changed to status ${event.status}, not complete`,
			}),
		];
	return await resolveCompletedTicket(store, datto, alerts, event.ticketId);
}

/** One ConnectWise callback: the secret in its URL, then the same reverse-path rules. */
async function fromConnectWiseCallback(
	ctx: IExecuteFunctions,
	itemIndex: number,
	secret: string,
	store: AlertTicketStore,
	datto: DattoClient,
	alerts: PromiseCache<string, DattoAlert | undefined>,
): Promise<Outcome[]> {
	const envelope = unwrapWebhookItem(ctx.getInputData()[itemIndex].json);
	if (isTicketWebhook(envelope))
		throw new InputError(
			'PSA',
			'An Autotask ticket webhook reached a node whose PSA is ConnectWise Manage',
			'Point the Autotask ticket webhook at the Autotask alert workflow, or set PSA to Autotask.',
		);
	verifyCallbackSecret(envelope, secret);
	const event = parseConnectWiseCallback(envelope.body);
	const ref = { ticketId: event.ticketId };
	if (event.type.toLowerCase() !== 'ticket' || !/^(added|updated)$/i.test(event.action))
		return [
			outcome({
				decision: 'notTicketChange',
				...ref,
				reason: `A ConnectWise "${event.type} ${event.action}" callback changes no ticket status`,
			}),
		];
	// A callback whose ticket is still open needs no read: a later one will say it closed.
	if (event.closed === false)
		return [
			outcome({
				decision: 'ticketNotComplete',
				...ref,
				reason: `Ticket ${event.ticketId} changed and is not closed`,
			}),
		];
	return await resolveCompletedTicket(store, datto, alerts, event.ticketId);
}
