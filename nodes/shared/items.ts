import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../lib/transport/limiter';
import { errorItemJson, toNodeError } from './errors';

export interface RoutedJson {
	json: IDataObject;
	/** Output index for multi-output nodes; 0 by default. */
	output?: number;
}

export interface RunItemsOptions {
	/** Items handled at once; writes still queue behind the vendor's own limits in the transport. */
	concurrency: number;
	outputs?: number;
	/** Output that receives continueOnFail error items. */
	errorOutput?: number;
	secrets?: () => string[];
}

/**
 * Runs `handle` once per input item. Output keeps input order, every item is paired with the
 * input it came from, and a failing item becomes an error item (continueOnFail) or stops the run
 * with an error that names the item, while the items already in flight finish.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	options: RunItemsOptions,
	handle: (itemIndex: number) => Promise<RoutedJson[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs ?? 1 }, () => []);
	const continueOnFail = ctx.continueOnFail();
	let stopped = false;

	const results = await mapWithConcurrency(items.length, options.concurrency, async (itemIndex) => {
		if (stopped)
			return { itemIndex, routed: [] as RoutedJson[], error: undefined as unknown, skipped: true };
		try {
			return {
				itemIndex,
				routed: await handle(itemIndex),
				error: undefined as unknown,
				skipped: false,
			};
		} catch (error) {
			if (!continueOnFail) stopped = true;
			return { itemIndex, routed: [] as RoutedJson[], error, skipped: false };
		}
	});

	for (const result of results) {
		if (result.error !== undefined) {
			const nodeError = toNodeError(
				ctx.getNode(),
				result.error,
				result.itemIndex,
				options.secrets?.(),
			);
			if (!continueOnFail) throw nodeError;
			outputs[options.errorOutput ?? 0].push({
				json: errorItemJson(nodeError, result.error),
				pairedItem: { item: result.itemIndex },
			});
			continue;
		}
		for (const routed of result.routed) {
			outputs[routed.output ?? 0].push({
				json: routed.json,
				pairedItem: { item: result.itemIndex },
			});
		}
	}
	return outputs;
}

/** A collection parameter (Filters, Options...) of one item; {} when it is not set. */
export function collectionParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): IDataObject {
	return ctx.getNodeParameter(name, itemIndex, {}) as IDataObject;
}
