import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { budgetReadingDue, notesOnlyReason, parseBudgetReading } from '../../../lib/alerts/budget';
import type { BudgetReading } from '../../../lib/alerts/budget';
import type { AlertTicketStore } from '../../../lib/alerts/ticketStore';
import { settle } from '../../../lib/util/settled';

/** Where the last budget reading is kept: the workflow's static data, shared by its alert nodes. */
const READING_KEY = 'rmmAlertRequestBudget';

/**
 * Why this execution is notes-only (lib/alerts/budget.ts), or undefined. Reads the PSA's budget
 * only when the reading kept in the workflow's static data is due; a reading that fails leaves
 * the decision to the kept one (the budget is advice: the deliveries still run).
 */
export async function notesOnlyNow(
	ctx: IExecuteFunctions,
	store: AlertTicketStore,
): Promise<string | undefined> {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const reserve = Number(options.hourlyBudgetReserve ?? 0);
	if (!Number.isFinite(reserve) || reserve <= 0 || !store.requestBudget) return undefined;
	const data = ctx.getWorkflowStaticData('global');
	let reading: BudgetReading | undefined = parseBudgetReading(data[READING_KEY]);
	const now = Date.now();
	if (budgetReadingDue(reading, now)) {
		const read = await settle(store.requestBudget());
		if (read.ok && read.value.threshold > 0) {
			reading = { ...read.value, readAt: now };
			data[READING_KEY] = { ...reading };
		}
	}
	return notesOnlyReason(reading, Math.min(reserve, 90), store.name);
}
