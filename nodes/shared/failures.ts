import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItemJson, toNodeError } from './errors';

/**
 * A run that failed looks failed: a node that writes applies every item it can, then reports the
 * items that failed together. With Continue On Fail each becomes an error item (with its
 * pairedItem); without it the node throws one error that says how many failed and which, each
 * with its own words (the successful items were written all the same).
 */

export interface ItemFailure {
	itemIndex: number;
	error: unknown;
	/** What the item was about, for the summary (an alert and its device, a contact...). */
	subject?: string;
}

/** Failures listed in the summary's description; the rest are counted. */
const LISTED = 10;

/** The error items for Continue On Fail, in item order, each paired with its item. */
export function failureItems(
	ctx: IExecuteFunctions,
	failures: ItemFailure[],
	secrets: string[],
): Array<{ itemIndex: number; item: INodeExecutionData }> {
	return failures.map((failure) => {
		const nodeError = toNodeError(ctx.getNode(), failure.error, failure.itemIndex, secrets);
		return {
			itemIndex: failure.itemIndex,
			item: {
				json: {
					...errorItemJson(nodeError, failure.error),
					...(failure.subject ? { subject: failure.subject } : {}),
				},
				pairedItem: { item: failure.itemIndex },
			},
		};
	});
}

/**
 * The one error of a run in which items failed: a single failure is its own error; several are
 * summed up ("3 of 20 deliveries could not be applied") with each one in the description.
 */
export function failedRunError(
	ctx: IExecuteFunctions,
	failures: ItemFailure[],
	what: { total: number; noun: string; nouns: string; verb: string },
	secrets: string[],
): Error {
	if (failures.length === 1)
		return toNodeError(ctx.getNode(), failures[0].error, failures[0].itemIndex, secrets);
	const lines = failures.slice(0, LISTED).map((failure) => {
		const nodeError = toNodeError(ctx.getNode(), failure.error, undefined, secrets);
		const subject = failure.subject ? ` (${failure.subject})` : '';
		return `Item ${failure.itemIndex}${subject}: ${nodeError.message}${nodeError.description ? ` ${nodeError.description}` : ''}`;
	});
	if (failures.length > LISTED) lines.push(`… and ${failures.length - LISTED} more.`);
	return new NodeOperationError(
		ctx.getNode(),
		`${failures.length} of ${what.total} ${what.total === 1 ? what.noun : what.nouns} ${what.verb}`,
		{
			description: `Everything else was done. ${lines.join('\n')}`,
		},
	);
}
