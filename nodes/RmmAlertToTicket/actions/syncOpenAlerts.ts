import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { syncOpenAlerts } from '../../../lib/alerts/syncOpenAlerts';
import { runPerItem } from '../../shared/items';
import { ticketStore, vendorClients } from '../clients';
import { outputOptions, routed } from './outputs';
import { readTicketingConfig } from './ticketingConfig';

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
		displayOptions: { show: { operation: ['syncOpenAlerts'] } },
	},
];

/** One reconciliation per execution, whatever the trigger emitted; its outcomes leave by output. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { autotask, datto, secrets } = vendorClients(this);
	const config = readTicketingConfig(this, secrets);
	const site = String(this.getNodeParameter('syncSite', 0, '') ?? '').trim();
	return await runPerItem(
		this,
		{ ...outputOptions(secrets), concurrency: 1 },
		async (itemIndex) => {
			if (itemIndex > 0) return [];
			const store = ticketStore(autotask, String(config.defaults.completeStatus));
			return (await syncOpenAlerts(store, datto, config, { siteUid: site || undefined })).map(
				routed,
			);
		},
	);
}
