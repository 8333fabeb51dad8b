import type { IDataObject } from 'n8n-workflow';

import type { OutboundDelivery } from '../../sandbox/core/outbox';

/**
 * The item n8n's Webhook node makes of a delivery the PSA sends (an Autotask ticket webhook
 * callout, a ConnectWise callback): headers in lower case, the URL's query parameters, the JSON
 * body parsed, and (as with the node's Raw Body option) the exact bytes as binary data.
 */
export function ticketDeliveryItem(delivery: OutboundDelivery): IDataObject {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(delivery.headers)) headers[name.toLowerCase()] = value;
	const url = new URL(delivery.url);
	const query: Record<string, string> = {};
	for (const [name, value] of url.searchParams) query[name] = value;
	return {
		headers,
		params: {},
		query,
		body: JSON.parse(delivery.body) as IDataObject,
		webhookUrl: `${url.origin}${url.pathname}`,
		executionMode: 'production',
	};
}
