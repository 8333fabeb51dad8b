import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as plan from './plan';

/** The node has one operation, planning the sync (actions/plan.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await plan.execute.call(this);
}
