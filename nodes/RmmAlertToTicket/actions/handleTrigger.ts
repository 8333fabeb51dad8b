import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isConnectWiseCallback } from '../../../lib/alerts/connectwiseCallback';
import { isTicketWebhook } from '../../../lib/alerts/ticketWebhook';
import { unwrapWebhookItem } from '../../../lib/alerts/webhook';
import { vendorClients } from '../clients';
import { emitResults } from './outputs';
import type { ItemResult } from './outputs';
import { applyAlertDeliveries, sharedSecretOf } from './processAlert';
import { alertTicketStore } from './psaTicketing';
import { notesOnlyNow } from './requestBudget';
import { handleTicketEvents } from './resolveAlertFromTicket';
import { runBackstop } from './syncOpenAlerts';
import { readTicketingConfig, readWriteTimeout } from './ticketingConfig';

/**
 * Handle Trigger: every trigger of the alert workflow reaches this one node, so its ticket
 * settings are set once. Its other fields are Process Alert's (the Datto shared secret), Sync
 * Open Alerts' (site, reverse path) and the ticket deliveries' secrets.
 */
export const description: INodeProperties[] = [
	{
		displayName:
			"Connect every trigger of the alert workflow here: Datto RMM's webhook (a Webhook node), the PSA's ticket webhook or callback (a second Webhook node) and a Schedule Trigger for the backstop. Each item is handled as what it is: an alert delivery opens, notes or completes a ticket; a ticket completed or closed in the PSA resolves its alerts; any other item (a schedule or manual run) runs Sync Open Alerts once.",
		name: 'handleTriggerNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['handleTrigger'] } },
	},
];

export type TriggerKind = 'alert' | 'ticket' | 'backstop';

/**
 * What an item is. A Webhook-node item is a ticket delivery when it is Autotask's ticket webhook
 * or ConnectWise's callback, else an alert delivery (a bad one fails as such, never runs the
 * backstop). Any other item is an alert when it names one (an API alert), else a backstop tick.
 */
export function triggerKind(json: Record<string, unknown>): TriggerKind {
	const envelope = unwrapWebhookItem(json);
	const fromWebhook = envelope.body !== json;
	if (isTicketWebhook(envelope) || isConnectWiseCallback(envelope)) return 'ticket';
	if (fromWebhook) return 'alert';
	return Object.keys(json).some((key) => /^alert_?uid$/i.test(key)) ? 'alert' : 'backstop';
}

/**
 * Alert deliveries first (one batch), then ticket deliveries (one at a time), then the backstop
 * once if any item asked for it; every item comes out once, the failures fail the run together.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const input = this.getInputData();
	const byKind: Record<TriggerKind, number[]> = { alert: [], ticket: [], backstop: [] };
	input.forEach((item, index) => byKind[triggerKind(item.json)].push(index));
	const clients = vendorClients(this, { writeTimeoutMs: readWriteTimeout(this) });
	const secrets = [...sharedSecretOf(this)];
	const secretsNow = () => [...clients.secrets(), ...secrets];
	const items: ItemResult[] = [];
	let total = byKind.alert.length + byKind.ticket.length;
	// Ticket deliveries alone need no ticket settings (they write nothing to the PSA).
	const ticketing =
		byKind.alert.length || byKind.backstop.length
			? await (async () => {
					const config = readTicketingConfig(this, secretsNow);
					const store = await alertTicketStore(this, clients, config);
					config.notesOnly = await notesOnlyNow(this, store);
					return { config, store };
				})()
			: undefined;
	if (ticketing && byKind.alert.length)
		items.push(
			...(await applyAlertDeliveries(
				this,
				clients,
				ticketing.store,
				ticketing.config,
				byKind.alert,
			)),
		);
	if (byKind.ticket.length) {
		const handled = await handleTicketEvents(this, clients, byKind.ticket);
		items.push(...handled.items);
		secrets.push(...handled.secrets);
	}
	if (ticketing && byKind.backstop.length) {
		const backstop = await runBackstop(
			this,
			clients,
			ticketing.store,
			ticketing.config,
			byKind.backstop[0],
		);
		items.push(backstop);
		total += backstop.outcomes.length + backstop.failures.length;
	}
	return emitResults(this, items, { total, ...wording(byKind) }, secretsNow());
}

/** The run's failure summary in the words of the one kind of item it had (as the old operations). */
function wording(byKind: Record<TriggerKind, number[]>) {
	const only = (kind: TriggerKind) =>
		(Object.keys(byKind) as TriggerKind[]).every(
			(other) => other === kind || !byKind[other].length,
		);
	if (only('alert')) return { noun: 'delivery', nouns: 'deliveries', verb: 'could not be applied' };
	if (only('ticket'))
		return { noun: 'ticket webhook', nouns: 'ticket webhooks', verb: 'could not be handled' };
	if (only('backstop')) return { noun: 'change', nouns: 'changes', verb: 'failed' };
	return { noun: 'item', nouns: 'items', verb: 'could not be handled' };
}
