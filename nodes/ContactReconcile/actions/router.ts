import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as plan from './plan';
import * as planCustomers from './planCustomers';

/**
 * The node has one operation, planning the sync: for the one company set on the node
 * (actions/plan.ts), or for every customer of the customer map on the third input
 * (actions/planCustomers.ts).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (this.getNodeParameter('customerSource', 0, 'company') === 'map')
		return await planCustomers.execute.call(this);
	return await plan.execute.call(this);
}
