import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Outcome, OutputName } from '../../../lib/alerts/outcome';
import type { RoutedJson } from '../../shared/items';
import { failedRunError, failureItems } from '../../shared/failures';
import type { ItemFailure } from '../../shared/failures';

/** The node's outputs, in order: one per kind of outcome. */
export const OUTPUT_NAMES = ['Created', 'Updated', 'Completed', 'Skipped'];

const OUTPUT_INDEX: Record<OutputName, number> = {
	created: 0,
	updated: 1,
	completed: 2,
	skipped: 3,
};

/** An outcome as an item of its output. */
export function routed(result: Outcome): RoutedJson {
	return { json: result.json as IDataObject, output: OUTPUT_INDEX[result.output] };
}

/** One item's outcomes, or what it failed with. */
export interface ItemResult {
	itemIndex: number;
	outcomes: Outcome[];
	failures: ItemFailure[];
}

/**
 * Every item was applied; now its outcomes leave by their outputs (paired with the item). Failed
 * items become error items on Skipped (Continue On Fail), or one error for the whole run naming
 * them all, so that the execution shows as failed.
 */
export function emitResults(
	ctx: IExecuteFunctions,
	items: ItemResult[],
	what: { total: number; noun: string; nouns: string; verb: string },
	secrets: string[],
): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = OUTPUT_NAMES.map(() => []);
	const failures = items.flatMap((item) => item.failures);
	if (failures.length && !ctx.continueOnFail()) throw failedRunError(ctx, failures, what, secrets);
	const errorItems = failureItems(ctx, failures, secrets);
	for (const item of items) {
		for (const outcome of item.outcomes) {
			const { json, output } = routed(outcome);
			outputs[output ?? 0].push({ json, pairedItem: { item: item.itemIndex } });
		}
		for (const failed of errorItems)
			if (failed.itemIndex === item.itemIndex) outputs[OUTPUT_INDEX.skipped].push(failed.item);
	}
	return outputs;
}
