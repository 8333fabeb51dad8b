import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { syncOpenAlerts } from '../../../lib/alerts/syncOpenAlerts';
import { settle } from '../../../lib/util/settled';
import { vendorClients } from '../clients';
import type { VendorClients } from '../clients';
import type { ProcessAlertsConfig } from '../../../lib/alerts/processAlerts';
import type { AlertTicketStore } from '../../../lib/alerts/ticketStore';
import type { ItemResult } from './outputs';
import { alertTicketStore } from './psaTicketing';
import { notesOnlyNow } from './requestBudget';
import { emitResults } from './outputs';
import { readTicketingConfig, readWriteTimeout } from './ticketingConfig';

/** Sync Open Alerts' own fields (the ticket settings it shares with Process Alert come after). */
export const description: INodeProperties[] = [
	{
		displayName: 'Site Name or ID',
		name: 'syncSite',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getDattoSites' },
		default: '',
		description:
			'Only this Datto RMM site; empty for the whole account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { operation: ['syncOpenAlerts', 'handleTrigger'] } },
	},
	{
		displayName: 'Resolve Alerts of Completed Tickets',
		name: 'resolveCompletedTickets',
		type: 'boolean',
		default: false,
		description:
			"Whether to resolve open Datto RMM alerts whose ticket a technician completed in Autotask (the backstop for a lost ticket webhook; the same rules as Resolve Alert From Ticket's webhook input)",
		displayOptions: { show: { operation: ['syncOpenAlerts', 'handleTrigger'] } },
	},
];

/**
 * One reconciliation per execution, whatever the trigger emitted; its outcomes leave by output
 * (paired with the first item). What it could not do fails the run, after everything else was
 * done (or comes out as error items with Continue On Fail).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const clients = vendorClients(this, { writeTimeoutMs: readWriteTimeout(this) });
	const { secrets } = clients;
	const config = readTicketingConfig(this, secrets);
	const store = await alertTicketStore(this, clients, config);
	config.notesOnly = await notesOnlyNow(this, store);
	const item = await runBackstop(this, clients, store, config, 0);
	return emitResults(
		this,
		[item],
		{
			total: item.outcomes.length + item.failures.length,
			noun: 'change',
			nouns: 'changes',
			verb: 'failed',
		},
		secrets(),
	);
}

/** The backstop once, its outcomes and failures paired with item `itemIndex`. */
export async function runBackstop(
	ctx: IExecuteFunctions,
	clients: VendorClients,
	store: AlertTicketStore,
	config: ProcessAlertsConfig,
	itemIndex: number,
): Promise<ItemResult> {
	const site = String(ctx.getNodeParameter('syncSite', 0, '') ?? '').trim();
	const synced = await settle(
		syncOpenAlerts(store, clients.datto, config, {
			siteUid: site || undefined,
			resolveCompletedTickets: ctx.getNodeParameter('resolveCompletedTickets', 0, false) as boolean,
		}),
	);
	const { outcomes, errors } = synced.ok ? synced.value : { outcomes: [], errors: [synced.error] };
	return {
		itemIndex,
		outcomes,
		failures: errors.map((error) => ({ itemIndex, error })),
	};
}
