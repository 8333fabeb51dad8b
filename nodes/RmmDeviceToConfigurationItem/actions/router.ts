import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as syncDevices from './syncDevices';

const operations = { syncDevices };

/** Runs the chosen operation (descriptions/operation.ts lists them). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!Object.prototype.hasOwnProperty.call(operations, operation))
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`, {
			description: 'Choose one of the operations the node offers.',
		});
	return await operations[operation as keyof typeof operations].execute.call(this);
}
