import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ContactRun } from './contactRun';
import { writeInactiveFlag } from './write';

/** Its only field is the contact (descriptions/contact.ts). */
export const description: INodeProperties[] = [];

/** Marks a contact active again (or applies "reactivate" plan items). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => writeInactiveFlag(run, 'reactivate', false));
}
