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
		checkCompanyContacts(counts.create, plan.target, domains, options, input) ??
		checkCreateShare(counts.create, plan.target, options) ??
		checkDeactivations(plan.deactivations, plan.synced, matching.scopeCount, options);
	// A share guard holds back only the deactivations of the companies over it: creates, updates
	// and the other companies' deactivations still go ahead (see docs/adr/deactivation-guard-holds-back.md).
	const held = new Set(guard?.heldBack ? guard.companies.map((company) => company.companyId) : []);
	for (const { entry } of plan.deactivations) {
		if (!held.has(entry.item.companyId)) {
			plan.emit('deactivate', entry.item, entry.source, entry.target);
			continue;
		}
		plan.review(
			{ problem: 'heldDeactivation', message: guard!.message, heldAction: 'deactivate' },
			entry.source >= 0 ? [entry.source] : [],
			entry.target >= 0 ? [entry.target] : [],
			entry.item,
		);
	}
	return { entries, state: plan.next, counts, guard };
}
