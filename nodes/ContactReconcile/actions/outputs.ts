import type { IDataObject, IPairedItemData } from 'n8n-workflow';

import type { GuardVerdict, ReconcileOptions } from '../../../lib/reconcile';

/** Output names, in PLAN_OUTPUTS order. */
export const OUTPUT_NAMES = [
	'Create',
	'Update',
	'Deactivate',
	'Reactivate',
	'Unchanged',
	'Needs Review',
];

export function firstPairing(sources: number, targets: number): IPairedItemData {
	return sources > 0 ? { item: 0, input: 0 } : { item: 0, input: targets > 0 ? 1 : 0 };
}

export function guardJson(guard: GuardVerdict): IDataObject {
	return {
		sourceEmpty: guard.sourceEmpty,
		companies: guard.companies.map((company) => ({ ...company })),
	};
}

/** Dry Run: the guard's verdict is reported with the plan instead of stopping it. */
export function guardReviewItem(guard: GuardVerdict, options: ReconcileOptions): IDataObject {
	return {
		planVersion: 1,
		action: 'unchanged',
		targetSystem: options.targetSystem,
		targetId: '',
		companyId: '',
		email: '',
		sourceId: '',
		changes: {},
		before: {},
		after: {},
		reason: `${guard.message}; without Dry Run the run would stop here`,
		dryRun: true,
		review: {
			problem: `${guard.kind}Guard`,
			message: guard.message,
			description: guard.description,
			sourceIds: [],
			targetIds: [],
			emails: [],
			...guardJson(guard),
		},
	};
}
