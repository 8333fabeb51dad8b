import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What every actions/<operation>.ts exports. */
export interface NodeOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** Runs the operation the node's Operation parameter chose (every node's actions/router.ts). */
export async function runOperation(
	ctx: IExecuteFunctions,
	operations: Record<string, NodeOperation>,
): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (!Object.prototype.hasOwnProperty.call(operations, operation))
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not known`, {
			description: 'Choose one of the operations the node offers.',
		});
	return await operations[operation].execute.call(ctx);
}

/** Every operation's own parameters, in the order the operations are listed. */
export function operationProperties(operations: Record<string, NodeOperation>): INodeProperties[] {
	return Object.values(operations).flatMap((operation) => operation.description);
}
