import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PLAN_CHANGE_LABELS } from '../../../lib/contacts/canonical';
import { CONNECTWISE_CONTACT_PATH } from '../../../lib/contacts/connectwise';
import type { TruncatedValue } from '../../../lib/contacts/fieldLimits';
import type { ConnectWiseContact } from '../../../lib/contacts/connectwise';
import { checkContactInput, planToInput } from '../../../lib/contacts/connectwiseInput';
import type { ContactInput } from '../../../lib/contacts/connectwiseInput';
import { isBlank } from '../../../lib/contacts/normalize';
import {
	appliedPlanItem,
	planCompanyId,
	planItemContext,
	planItemSubject,
	planTargetId,
	readPlanItem,
	WRITE_SUMMARY,
} from '../../../lib/reconcile/planItem';
import type { ContactRun } from './contactRun';

export type WriteOperation = 'create' | 'update' | 'deactivate' | 'reactivate';

/** Errors about a plan item's values name its fields. */
const PLAN_LABELS: Partial<Record<keyof ContactInput, string>> = {
	...PLAN_CHANGE_LABELS,
	companyId: 'companyId',
};

/**
 * Runs a write operation: an item applies its plan item when "From Contact Reconcile" is on,
 * otherwise `manual` writes it from the node's fields.
 */
export async function writeItems(
	run: ContactRun,
	operation: WriteOperation,
	manual: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	return await run.perItem(
		async (itemIndex) => {
			const fromReconcile = run.ctx.getNodeParameter('fromReconcile', itemIndex, false) as boolean;
			const json = fromReconcile
				? await applyPlanItem(run, operation, itemIndex)
				: await manual(itemIndex);
			return [{ json }];
		},
		{
			...WRITE_SUMMARY,
			subject: (itemIndex) => planItemSubject(run.ctx.getInputData()[itemIndex]?.json),
			context: (itemIndex) => planItemContext(run.ctx.getInputData()[itemIndex]?.json),
		},
	);
}

/** Deactivate and Reactivate: the contact's inactive flag, and nothing else. */
export async function writeInactiveFlag(
	run: ContactRun,
	operation: 'deactivate' | 'reactivate',
	inactive: boolean,
): Promise<INodeExecutionData[][]> {
	return await writeItems(run, operation, async (itemIndex) => {
		const id = run.contactId(itemIndex);
		const contact = await run.client.patch<ConnectWiseContact>(
			`${CONNECTWISE_CONTACT_PATH}/${id}`,
			[{ op: 'replace', path: 'inactiveFlag', value: inactive }],
		);
		return await run.output(contact, itemIndex);
	});
}

/** A collection's values as text (the node's fields are typed as strings). */
export function stringFields(collection: IDataObject): ContactInput {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(collection))
		if (value !== undefined && value !== null) out[key] = String(value);
	return out as ContactInput;
}

/** "From Contact Reconcile": write exactly the plan item's changes (see lib/reconcile/planItem.ts). */
async function applyPlanItem(
	run: ContactRun,
	operation: WriteOperation,
	itemIndex: number,
): Promise<IDataObject> {
	const step = readPlanItem(run.ctx.getInputData()[itemIndex]?.json, operation, 'connectwise');
	if ('skip' in step) return step.skip as unknown as IDataObject;
	const plan = step.apply;
	// A sync's over-long value is cut at ConnectWise's length and reported on the item.
	const truncated: TruncatedValue[] = [];
	if (plan.action === 'create') {
		planCompanyId(plan);
		const input = checkContactInput(planToInput(plan), {
			creating: true,
			labels: PLAN_LABELS,
			truncated,
		});
		const created = await run.create(input, itemIndex, true);
		run.created.push({ itemIndex, plan, id: String(created.id) });
		const contact = await run.canonical(created, itemIndex);
		return appliedPlanItem(plan, String(created.id), contact, truncated) as unknown as IDataObject;
	}
	const id = planTargetId(plan);
	const input = checkContactInput(planToInput(plan), {
		creating: false,
		labels: PLAN_LABELS,
		truncated,
	});
	const written = await run.updateFromPlan(id, input, itemIndex, plan.targetRef);
	// Built from what ConnectWise answered to the writes: no read-back. When only email or phone
	// items were written, the rest of the contact is unknown (blank) and it carries no ref.
	const contact = await run.canonical(
		written.complete
			? written.contact
			: {
					...written.contact,
					company: isBlank(plan.companyId) ? null : { id: Number(plan.companyId) },
				},
		itemIndex,
		plan.targetRef,
	);
	if (!written.complete) delete contact.ref;
	return appliedPlanItem(
		plan,
		String(written.contact.id),
		contact,
		truncated,
	) as unknown as IDataObject;
}
