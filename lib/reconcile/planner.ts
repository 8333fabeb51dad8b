import {
	checkCompanyContacts,
	checkCreates,
	checkCreateShare,
	checkDeactivations,
	checkNewContactCompany,
	runDomains,
} from './guards';
import { matchUsers } from './matching';
import { PlanBuilder } from './planBuilder';
import type { ReconcileInput, ReconcileResult } from './types';
import { findSyncDuplicates, planSyncDuplicates } from './syncDuplicates';
import { planUnmatchedContacts } from './unmatchedContacts';
import { planUsers } from './users';

/**
 * Plans one sync: Microsoft 365 users (source) against PSA contacts (target). Pure, one pass over
 * maps keyed by id and normalized address, no work that grows faster than the input.
 */
export function planReconcile(input: ReconcileInput): ReconcileResult {
	const plan = new PlanBuilder(input);
	const duplicates = findSyncDuplicates(input.target);
	const matching = matchUsers(plan, duplicates);
	planSyncDuplicates(plan, duplicates);
	const heldCreates = planUsers(plan, matching);
	planUnmatchedContacts(plan, matching);
	for (const entry of heldCreates) {
		plan.review(
			{ problem: 'heldCreate', message: input.hold?.creates ?? '', heldAction: 'create' },
			[entry.source],
			[],
			entry.item,
		);
	}

	const { entries, counts, options } = plan;
	checkNewContactCompany(entries, counts, options);
	const domains = runDomains(plan.source, matching.inScope, options);
	const guard =
		checkCreates(counts.create, plan.target.length, plan.previous, options) ??
		checkCompanyContacts(counts.create, plan.target, domains, options, input.customer) ??
		checkCreateShare(counts.create, plan.target, options) ??
		checkDeactivations(plan.deactivations, plan.synced, matching.scopeCount, options);
	for (const { entry } of plan.deactivations)
		plan.emit('deactivate', entry.item, entry.source, entry.target);
	return { entries, state: plan.next, counts, guard };
}
