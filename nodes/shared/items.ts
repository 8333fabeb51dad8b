import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../lib/transport/limiter';
import { errorItemJson, toNodeError } from './errors';
import { failedRunError } from './failures';
import type { ItemFailure } from './failures';

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
	/** Added to a Continue On Fail error item: what the item was for (a tenant, a company). */
	errorContext?: (itemIndex: number) => IDataObject | undefined;
	/**
	 * Set for nodes that write: every item is tried, and without Continue On Fail the failures
	 * leave together as one error at the end ("3 of 20 contacts could not be written"), so the
	 * execution fails after everything that could be written was written.
	 */
	summary?: {
		noun: string;
		nouns: string;
		verb: string;
		/** What an item is about, for the summary (action, address, company). */
		subject?: (itemIndex: number) => string | undefined;
		/** Added to a Continue On Fail error item, so what comes after knows what failed. */
		context?: (itemIndex: number) => IDataObject | undefined;
	};
}

/**
 * Runs `handle` once per input item. Output keeps input order, every item is paired with the
 * input it came from, and a failing item becomes an error item (continueOnFail). Without
 * Continue On Fail a failing item stops the run with an error that names the item (the items in
 * flight finish), or, with `summary`, the other items still run and one error sums up the
 * failures at the end.
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
			if (!continueOnFail && !options.summary) stopped = true;
			return { itemIndex, routed: [] as RoutedJson[], error, skipped: false };
		}
	});

	if (options.summary && !continueOnFail) {
		const failures: ItemFailure[] = results
			.filter((result) => result.error !== undefined)
			.map((result) => ({
				itemIndex: result.itemIndex,
				error: result.error,
				subject: options.summary?.subject?.(result.itemIndex),
			}));
		if (failures.length) {
			throw failedRunError(
				ctx,
				failures,
				{ total: items.length, ...options.summary },
				options.secrets?.() ?? [],
			);
		}
	}

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
				json: {
					...errorItemJson(nodeError, result.error),
					...options.errorContext?.(result.itemIndex),
					...options.summary?.context?.(result.itemIndex),
				},
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

/**
 * A Get Many's company filter, for its Continue On Fail error item: whose read failed (Contact
 * Reconcile gives the failure to that company's customer only).
 */
export function companyFilterContext(
	ctx: IExecuteFunctions,
): (itemIndex: number) => IDataObject | undefined {
	return (itemIndex) => {
		const companyId = String(collectionParameter(ctx, 'filters', itemIndex).companyId ?? '').trim();
		return companyId ? { companyId } : undefined;
	};
}
