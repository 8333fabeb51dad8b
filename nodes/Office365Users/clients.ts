import type { IExecuteFunctions } from 'n8n-workflow';

import { parseTenant } from '../../lib/contacts/graph';
import { GraphClient } from '../../lib/transport/graph';
import { createHttpClient } from '../shared/n8nHttpAdapter';

export const GRAPH_CREDENTIAL = 'microsoftGraphAppApi';

/** The item's Tenant parameter: '' for the credential's tenant. */
export function tenantOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return parseTenant(ctx.getNodeParameter('tenantId', itemIndex, ''));
}

/**
 * One Graph client per tenant per execution: each has its own credential copy and token, so
 * items can read different customers' tenants with one multi-tenant app registration.
 */
export class GraphTenants {
	private readonly clients = new Map<string, { graph: GraphClient; secrets: () => string[] }>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** The client for the item's tenant. */
	clientFor(itemIndex: number): GraphClient {
		const tenant = tenantOf(this.ctx, itemIndex);
		const key = tenant.toLowerCase();
		let entry = this.clients.get(key);
		if (!entry) {
			const http = createHttpClient(this.ctx, GRAPH_CREDENTIAL, {
				itemIndex,
				credentialOverrides: tenant ? { tenantId: tenant } : undefined,
			});
			entry = { graph: new GraphClient(http), secrets: () => http.secrets() };
			this.clients.set(key, entry);
		}
		return entry.graph;
	}

	/** Every tenant's credential secrets, to keep out of every error. */
	readonly secrets = (): string[] => [...this.clients.values()].flatMap((c) => c.secrets());
}
