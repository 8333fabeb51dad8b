import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/router';
import * as get from './get';
import * as getAll from './getAll';
import * as getChanges from './getChanges';
import * as suggestCustomerMap from './suggestCustomerMap';

/** The node's operations, each actions/<operation>.ts. */
export const operations = { get, getAll, getChanges, suggestCustomerMap };

/** Runs the chosen operation (descriptions/operation.ts lists them). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
