import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/router';
import * as checkPermissions from './checkPermissions';
import * as create from './create';
import * as deactivate from './deactivate';
import * as findByEmail from './findByEmail';
import * as get from './get';
import * as getAll from './getAll';
import * as reactivate from './reactivate';
import * as update from './update';

const contact = { get, getAll, findByEmail, create, update, deactivate, reactivate };

/** The node's operations, each actions/<operation>.ts. */
export const operations = { ...contact, checkPermissions };

/** Runs the chosen operation (descriptions/operation.ts lists them). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
