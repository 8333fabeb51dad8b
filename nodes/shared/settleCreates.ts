import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { planItemContext } from '../../lib/reconcile/planItem';
import { settleCreatedDuplicates } from '../../lib/reconcile/syncDuplicates';
import type { CreatedBySync, DuplicateStore } from '../../lib/reconcile/syncDuplicates';
import { errorItemJson, toNodeError } from './errors';

/**
 * Create in "From Contact Reconcile" mode, after every item was written: the run's own duplicates
 * are settled (lib/reconcile/syncDuplicates.ts) and each contact deactivated is one more output
 * item, a "deactivate" plan item as applied, so the report shows it. A failure leaves the
 * duplicate for the next run (same rule): an error item under Continue On Fail, else the node's
 * error, after the creates were written.
 */
export async function settleOwnCreates(
	ctx: IExecuteFunctions,
	outputs: INodeExecutionData[][],
	created: readonly CreatedBySync[],
	store: DuplicateStore,
	secrets: () => string[],
): Promise<INodeExecutionData[][]> {
	if (!created.length) return outputs;
	const settled = await settleCreatedDuplicates(created, store);
	for (const { itemIndex, json } of settled.items)
		outputs[0].push({ json: json as unknown as IDataObject, pairedItem: { item: itemIndex } });
	for (const failure of settled.failures) {
		const nodeError = toNodeError(ctx.getNode(), failure.error, failure.itemIndex, secrets());
		if (!ctx.continueOnFail()) throw nodeError;
		outputs[0].push({
			json: {
				...errorItemJson(nodeError, failure.error),
				...planItemContext(failure.plan),
			},
			pairedItem: { item: failure.itemIndex },
		});
	}
	return outputs;
}
