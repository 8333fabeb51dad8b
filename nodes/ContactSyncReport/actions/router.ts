import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as report from './report';

/** The node has one operation, the report (actions/report.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await report.execute.call(this);
}
