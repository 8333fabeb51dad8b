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
import type { GuardVerdict, ReconcileInput, ReconcileResult } from './types';
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
	planUsers(plan, matching);
	planUnmatchedContacts(plan, matching);

	const { entries, counts, options } = plan;
	// Creates an unreadable Target item may already have are held whatever the guards say.
	const creates = plan.hold?.creates ? [] : plan.creates;
	checkNewContactCompany(creates, options);
	const domains = runDomains(plan.source, matching.inScope, options);
	const refused =
		checkCreates(creates.length, plan.target.length, plan.previous, options) ??
		checkCompanyContacts(creates.length, plan.target, domains, options, input);
	const heldCreates = refused
		? undefined
		: checkCreateShare(creates, plan.target, options, input.companyNames);
	const deactivationVerdict = refused
		? undefined
		: checkDeactivations(plan.deactivations, plan.synced, matching.scopeCount, options);
	const guard = refused ?? (deactivationVerdict?.heldBack ? undefined : deactivationVerdict);
	const held = [
		heldCreates,
		deactivationVerdict?.heldBack ? deactivationVerdict : undefined,
	].filter((verdict): verdict is GuardVerdict => verdict !== undefined);

	// A held create is not recorded as done (its saved record stays as it was): the next run
	// plans it again. See docs/adr/deactivation-guard-holds-back.md.
	const holdCreates = plan.hold?.creates ?? heldCreates;
	for (const { entry, previous, record } of plan.creates) {
		if (!holdCreates) {
			plan.save(plan.source[entry.source].id, previous, record);
			plan.emit('create', entry.item, entry.source, -1);
			continue;
		}
		plan.keep(previous);
		plan.review(
			typeof holdCreates === 'string'
				? { problem: 'heldCreate', message: holdCreates, heldAction: 'create' }
				: {
						problem: 'heldCreate',
						message: holdCreates.message,
						description: holdCreates.description,
						heldAction: 'create',
					},
			[entry.source],
			[],
			entry.item,
		);
	}
	// A share guard holds back only the deactivations of the companies over it: creates, updates
	// and the other companies' deactivations still go ahead.
	const heldCompanies = new Set(
		deactivationVerdict?.heldBack
			? deactivationVerdict.companies.map((company) => company.companyId)
			: [],
	);
	for (const { entry } of plan.deactivations) {
		if (!heldCompanies.has(entry.item.companyId)) {
			plan.emit('deactivate', entry.item, entry.source, entry.target);
			continue;
		}
		plan.review(
			{
				problem: 'heldDeactivation',
				message: deactivationVerdict!.message,
				description: deactivationVerdict!.description,
				heldAction: 'deactivate',
			},
			entry.source >= 0 ? [entry.source] : [],
			entry.target >= 0 ? [entry.target] : [],
			entry.item,
		);
	}
	return { entries, state: plan.next, counts, guard, held };
}
