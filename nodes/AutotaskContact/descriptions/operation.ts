import type { INodeProperties } from 'n8n-workflow';

import { contactOperation, contactResource } from '../../shared/descriptions';

/** The node's resource and operations; each operation is actions/<value>.ts. */
export const resourceAndOperation: INodeProperties[] = [
	contactResource,
	contactOperation([
		{
			name: 'Check API User Permissions',
			value: 'checkPermissions',
			description:
				'Check that the API user may do what this package needs, with where to fix each missing right',
			action: 'Check API user permissions',
		},
	]),
];
