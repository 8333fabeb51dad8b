import type { ContactPlanItem } from '../../lib/contacts/canonical';

/** A Contact Reconcile plan item for the tests: an update with no changes unless told otherwise. */
export function planItem(overrides: Partial<ContactPlanItem>): ContactPlanItem {
	return {
		planVersion: 1,
		action: 'update',
		targetSystem: 'autotask',
		targetId: '',
		companyId: '',
		email: '',
		sourceId: 'graph-user-1',
		changes: {},
		before: {},
		after: {},
		reason: 'test',
		dryRun: false,
		...overrides,
	};
}
