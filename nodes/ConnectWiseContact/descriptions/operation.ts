import type { INodeProperties } from 'n8n-workflow';

import { contactOperation, contactResource } from '../../shared/descriptions';

/** The node's resource and operations; each operation is actions/<value>.ts. */
export const resourceAndOperation: INodeProperties[] = [
	contactResource,
	contactOperation([
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete a contact',
			action: 'Delete a contact',
		},
	]),
];
