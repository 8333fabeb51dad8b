import { InputError } from '../transport/http';
import type { ScopeState } from './state';
import { linkedRecordCount } from './state';
import type { GuardCompany, GuardVerdict, PlanEntry, PlanOutput, ReconcileOptions } from './types';

/**
 * The safety rails a plan passes before anything is written, and the words they stop it with:
 * a deactivation share per company, an empty source, creates into an empty target, and creates
 * without a company.
 */

/** A planned deactivation, held back until the guard has seen them all; `why` is for examples. */
export interface PendingDeactivation {
	entry: PlanEntry;
	why: string;
}

/** New contacts need a company: refuses the plan when Company ID for New Contacts is empty. */
export function checkNewContactCompany(
	entries: readonly PlanEntry[],
	counts: Readonly<Record<PlanOutput, number>>,
	options: ReconcileOptions,
): void {
	if (options.companyId || counts.create === 0) return;
	const first = entries.find((entry) => entry.output === 'create');
	throw new InputError(
		'Company ID for New Contacts',
		`Company ID for New Contacts is empty, but ${counts.create} new contact(s) need a company (the first is ${first?.item.email})`,
		'Set "Company ID for New Contacts" to the id of the PSA company new contacts belong to.',
	);
}

export function checkDeactivations(
	deactivations: readonly PendingDeactivation[],
	synced: ReadonlyMap<string, number>,
	scopeCount: number,
	options: ReconcileOptions,
): GuardVerdict | undefined {
	if (deactivations.length === 0) return undefined;
	const byCompany = new Map<string, GuardCompany>();
	for (const { entry, why } of deactivations) {
		const companyId = entry.item.companyId;
		let company = byCompany.get(companyId);
		if (!company) {
			company = { companyId, deactivations: 0, synced: synced.get(companyId) ?? 0, examples: [] };
			byCompany.set(companyId, company);
		}
		company.deactivations++;
		if (company.examples.length < 5)
			company.examples.push(`${entry.item.email || `contact ${entry.item.targetId}`} (${why})`);
	}
	const { maxShare, alwaysAllow, refuseWhenSourceEmpty } = options.guard;
	const sourceEmpty = refuseWhenSourceEmpty && scopeCount === 0;
	const over = [...byCompany.values()].filter(
		(company) =>
			company.deactivations > alwaysAllow &&
			company.deactivations > maxShare * Math.max(company.synced, 1) + 1e-9,
	);
	if (!sourceEmpty && over.length === 0) return undefined;

	const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
	const companies = sourceEmpty ? [...byCompany.values()] : over;
	const lines = companies.map(
		(company) =>
			`in company ${company.companyId || '(none)'} ${company.deactivations} of ${company.synced} synced contacts (${percent(company.deactivations / Math.max(company.synced, 1))}), e.g. ${company.examples.join(', ')}`,
	);
	const refused = companies.reduce((sum, company) => sum + company.deactivations, 0);
	const message = sourceEmpty
		? `Deactivation guard: refused to deactivate ${refused} contact(s) because the Source input has no Microsoft 365 users${options.domains.length ? ` in ${options.domains.join(', ')}` : ''}`
		: `Deactivation guard: refused to deactivate ${refused} contact(s), more than ${percent(maxShare)} of a company's synced contacts`;
	const description = [
		`It would have deactivated ${lines.join('; ')}.`,
		'Nothing was written: the whole plan was stopped.',
		sourceEmpty
			? "An empty source usually means Office 365 Users returned nothing (permissions, a filter, the domain list or an outage), not that every user left. Check that node's output."
			: 'Check the Source input (account and licence status, the domain filter). If these deactivations are intended, raise "Max Deactivation Share (%)" for one run, or turn on Dry Run to see the whole plan.',
	].join(' ');
	return { message, description, sourceEmpty, targetEmpty: false, companies };
}

/** Creates into a company whose contacts did not arrive would duplicate every contact. */
export function checkCreates(
	creates: number,
	targets: number,
	previous: ScopeState,
	options: ReconcileOptions,
): GuardVerdict | undefined {
	if (!options.guard.refuseWhenTargetEmpty || targets > 0 || creates === 0) return undefined;
	const linked = linkedRecordCount(previous);
	if (linked === 0) return undefined;
	return {
		message: `Create guard: refused to create ${creates} contact(s) because the Target input has no contacts, though ${linked} user(s) were synced with PSA contacts before`,
		description: [
			'Creating them again would duplicate those contacts. Nothing was written: the whole plan was stopped.',
			"An empty Target usually means the PSA's Get Many returned nothing (wrong company, permissions, a filter, or the input is not connected). Check that node's output.",
			'If the contacts were really removed from the PSA, turn off "Refuse When Target Is Empty" for one run.',
		].join(' '),
		sourceEmpty: false,
		targetEmpty: true,
		companies: [],
	};
}
