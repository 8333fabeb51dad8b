import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireUserId } from '../../../lib/contacts/graph';
import { routeUser, runUserItems } from './outputs';

export const description: INodeProperties[] = [
	{
		displayName: 'User',
		name: 'user',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		// No validation regexes: n8n runs them before every execution with a 250 ms budget, which
		// a busy machine misses; requireUserId checks the value per item.
		description: 'The user to get',
		displayOptions: { show: { resource: ['user'], operation: ['get'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 59bb3898-0621-4414-ac61-74f9d7201355',
			},
			{
				displayName: 'By User Principal Name',
				name: 'userPrincipalName',
				type: 'string',
				placeholder: 'e.g. adele.vance@contoso.com',
			},
		],
	},
];

/** One user by ID or user principal name. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runUserItems(this, 4, async (itemIndex, { graph, select, simplify }) => {
		const id = requireUserId(this.getNodeParameter('user', itemIndex, '', { extractValue: true }));
		const user = await graph().getUser(id, select);
		return [routeUser(user, simplify)];
	});
}
