import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ticketAlertResolver } from '../../../lib/alerts/resolveFromTicket';
import { InputError } from '../../../lib/transport/http';
import { mapWithConcurrency } from '../../../lib/transport/limiter';
import { settle } from '../../../lib/util/settled';
import { ticketStore, vendorClients } from '../clients';
import { emitResults } from './outputs';
import type { ItemResult } from './outputs';
import { STATUS_COMPLETE } from './ticketingConfig';

const RESOLVE = { operation: ['resolveAlertFromTicket'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Ticket',
		name: 'ticket',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The Autotask ticket whose Datto RMM alert to resolve (from an Autotask webhook: the ticket ID in the payload)',
		displayOptions: { show: RESOLVE },
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
		displayOptions: { show: RESOLVE },
	},
	{
		displayName: 'Only When Ticket Is Complete',
		name: 'onlyWhenComplete',
		type: 'boolean',
		default: true,
		description: 'Whether to resolve the alert only when the ticket has the completed status',
		displayOptions: { show: RESOLVE },
	},
];

function parseTicketId(raw: unknown): number {
	const text = String(raw ?? '').trim();
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
		throw new InputError(
			'Ticket',
			`Ticket "${text}" is not an Autotask ticket ID`,
			'Pick the ticket, or map the ticket ID (digits) from the Autotask webhook payload.',
		);
	}
	return Number(text);
}

/**
 * Resolves, per item, the Datto alert of the ticket it names (every item, then the failures
 * together). This operation has no ticket settings: a ticket is complete when it has Autotask's
 * system status Complete.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { autotask, datto, secrets } = vendorClients(this);
	const resolve = ticketAlertResolver(ticketStore(autotask, STATUS_COMPLETE), datto);
	const count = this.getInputData().length;
	const items = await mapWithConcurrency(count, 4, async (itemIndex): Promise<ItemResult> => {
		const done = await settle(
			(async () => {
				const ticketId = parseTicketId(
					this.getNodeParameter('ticket', itemIndex, '', { extractValue: true }),
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
