import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	GRAPH_TENANT_PATTERN,
	GraphClient,
	odataString,
	relativeGraphLink,
} from '../../../lib/transport/graph';
import type { GraphUser } from '../../../lib/transport/graph';
import { createHttpClient } from '../../shared/n8nHttpAdapter';
import { GRAPH_CREDENTIAL } from '../clients';

/** Users whose display name, mail or user principal name starts with the text, paged over Graph's next links. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const tenant = String(this.getCurrentNodeParameter('tenantId') ?? '').trim();
	const usable = tenant && !tenant.startsWith('=') && GRAPH_TENANT_PATTERN.test(tenant);
	const http = createHttpClient(this, GRAPH_CREDENTIAL, {
		credentialOverrides: usable ? { tenantId: tenant } : undefined,
	});
	const graph = new GraphClient(http);
	const select = 'id,displayName,mail,userPrincipalName';
	let page: { value?: GraphUser[]; '@odata.nextLink'?: string };
	if (paginationToken) {
		page = await graph.request(relativeGraphLink(paginationToken));
	} else {
		const text = (filter ?? '').trim();
		const qs: IDataObject = { $select: select, $top: 50 };
		if (text) {
			const value = odataString(text);
			qs.$filter = `startsWith(displayName,${value}) or startsWith(mail,${value}) or startsWith(userPrincipalName,${value})`;
		}
		page = await graph.request('/users', { qs: qs as Record<string, string | number> });
	}
	return {
		results: (page.value ?? []).map((user) => ({
			name: `${String(user.displayName ?? user.userPrincipalName ?? user.id)} (${String(user.mail ?? user.userPrincipalName ?? '')})`,
			value: user.id,
		})),
		paginationToken: page['@odata.nextLink'],
	};
}
