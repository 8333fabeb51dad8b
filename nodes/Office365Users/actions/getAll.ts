import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseDomains } from '../../../lib/contacts/domains';
import { buildUserQuery, checkRawFilter } from '../../../lib/contacts/graph';
import { GRAPH_MAX_PAGE_SIZE } from '../../../lib/transport/graph';
import { getManyProperties } from '../../shared/descriptions';
import { collectionParameter } from '../../shared/items';
import type { RoutedJson } from '../../shared/items';
import { emailDomainsFilter, excludeSharedFilter, membersOnlyFilter } from '../descriptions/user';
import { routeUser, runUserItems } from './outputs';

export const description = getManyProperties(
	[
		emailDomainsFilter('Separate domains with commas.'),
		{
			displayName: 'Enabled Accounts Only',
			name: 'enabledOnly',
			type: 'boolean',
			default: true,
			description: 'Whether to leave out accounts whose sign-in is blocked (filtered by Graph)',
		},
		excludeSharedFilter(
			"Whether to leave out accounts that look like shared, room or equipment mailboxes. Best effort: Graph's user list cannot tell mailbox types apart, so the node drops accounts named like a room or equipment, and accounts without first and last name that have a role address (info@, support@…), blocked sign-in or no license. A named, licensed shared mailbox is not detected.",
		),
		{
			displayName: 'Licensed Users Only',
			name: 'licensedOnly',
			type: 'boolean',
			default: true,
			description:
				'Whether to leave out users without any license (filtered by Graph as an advanced query)',
		},
		membersOnlyFilter(
			'Whether to leave out guests: userType Guest (filtered by Graph) and #EXT# accounts (filtered by the node)',
		),
		{
			displayName: 'Raw Filter',
			name: 'rawFilter',
			type: 'string',
			default: '',
			placeholder: "e.g. department eq 'Sales'",
			description:
				'An OData $filter for Graph, combined with the filters above by "and". Advanced operators (ne, not, endsWith, /$count, any) are sent with the headers Graph needs.',
		},
	],
	'user',
	{ enabledOnly: true, licensedOnly: true, membersOnly: true },
);

/** The users passing the filters: what Graph can filter it does, the node checks every user again. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runUserItems(this, 4, async (itemIndex, { graph: client, select, simplify }) => {
		const graph = client();
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const raw = collectionParameter(this, 'filters', itemIndex);
		const query = buildUserQuery({
			enabledOnly: raw.enabledOnly === true,
			licensedOnly: raw.licensedOnly === true,
			membersOnly: raw.membersOnly === true,
			domains: parseDomains(raw.emailDomains, 'Email Domains'),
			excludeShared: raw.excludeShared === true,
			rawFilter: checkRawFilter(String(raw.rawFilter ?? ''), 'Raw Filter'),
		});
		const out: RoutedJson[] = [];
		const top =
			limit === undefined
				? GRAPH_MAX_PAGE_SIZE
				: Math.min(GRAPH_MAX_PAGE_SIZE, Math.max(limit, 100));
		for await (const page of graph.listUserPages({
			select,
			filter: query.serverFilter || undefined,
			top,
		})) {
			for (const user of page.users) {
				if (!query.accepts(user)) continue;
				out.push(routeUser(user, simplify));
				if (limit !== undefined && out.length >= limit) return out;
			}
		}
		return out;
	});
}
