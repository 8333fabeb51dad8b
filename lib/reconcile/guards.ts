import { emailDomain } from '../contacts/normalize';
import type { CanonicalContact } from '../contacts/canonical';
import { InputError } from '../transport/http';
import type { ScopeState } from './state';
import { linkedRecordCount } from './state';
import type {
	GuardCompany,
	GuardVerdict,
	PlanEntry,
	ReconcileInput,
	ReconcileOptions,
} from './types';

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

/** A planned create, held back until the guards have seen them all, with the record it saves. */
export interface PendingCreate {
	entry: PlanEntry;
	/** The user's saved record (-1 for none), carried over as it was when the create is held. */
	previous: number;
	record: string;
}

/** New contacts need a company: refuses the plan when Company ID for New Contacts is empty. */
export function checkNewContactCompany(
	creates: readonly PendingCreate[],
	options: ReconcileOptions,
): void {
	if (options.companyId || creates.length === 0) return;
	throw new InputError(
		'Company ID for New Contacts',
		`Company ID for New Contacts is empty, but ${creates.length} new contact(s) need a company (the first is ${creates[0].entry.item.email})`,
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
	if (sourceEmpty) {
		return {
			message: `Deactivation guard: refused to deactivate ${refused} contact(s) because the Source input has no Microsoft 365 users${options.domains.length ? ` in ${options.domains.join(', ')}` : ''}`,
			description: [
				`It would have deactivated ${lines.join('; ')}.`,
				'Nothing was written: the whole plan was stopped.',
				"An empty source usually means Microsoft 365 Users returned nothing (permissions, a filter, the domain list or an outage), not that every user left. Check that node's output.",
			].join(' '),
			kind: 'deactivation',
			sourceEmpty,
			targetEmpty: false,
			companies,
		};
	}
	// Over the share: only these deactivations wait for a person; the rest of the plan is written.
	return {
		message: `Deactivation guard: held back ${refused} deactivation(s), more than ${percent(maxShare)} of a company's synced contacts (and more than ${alwaysAllow} always allowed)`,
		description: [
			`It would have deactivated ${lines.join('; ')}.`,
			'These contacts are on Needs Review and stay active; the rest of the plan (updates, creates, the other deactivations) was written.',
			'Check the Source input (account and licence status, the domain filter). To release them, confirm the leavers and raise "Always Allow Up To" or "Max Deactivation Share (%)" for one run; the next run then deactivates them.',
		].join(' '),
		kind: 'deactivation',
		sourceEmpty: false,
		targetEmpty: false,
		companies,
		heldBack: true,
	};
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
		kind: 'create',
		sourceEmpty: false,
		targetEmpty: true,
		companies: [],
	};
}

/** The run's domains: the synced domains, or those of the users in scope when none are set. */
export function runDomains(
	source: readonly CanonicalContact[],
	inScope: Uint8Array,
	options: ReconcileOptions,
): string[] {
	if (options.domains.length) return [...options.domains];
	const seen = new Set<string>();
	for (let s = 0; s < source.length; s++) if (inScope[s]) seen.add(emailDomain(source[s].email));
	seen.delete('');
	return [...seen].sort();
}

/**
 * Creates into a company that already has contacts, none of them at the run's domains: the
 * company id most likely names another customer's company (a digit off). A company without
 * contacts (a first sync into a new company) passes; so does one where any contact matches.
 */
export function checkCompanyContacts(
	creates: number,
	target: readonly CanonicalContact[],
	domains: readonly string[],
	options: ReconcileOptions,
	names: Pick<ReconcileInput, 'customer' | 'companyNames'> = {},
): GuardVerdict | undefined {
	if (!options.guard.checkCompany || creates === 0) return undefined;
	const { customer } = names;
	const company = (id: string) => companyLabel(id, names.companyNames);
	const elsewhere = otherCompanies(target, options.companyId);
	if (elsewhere) {
		const others = elsewhere.map(company).join(', ');
		return {
			kind: 'company',
			message: `Company check: refused to create ${creates} contact(s) in ${company(options.companyId)}: the Target contacts are of ${others}`,
			description: [
				`New contacts would go to ${company(options.companyId)}, but every contact they were compared with belongs to ${others}: one of the two company ids is mistyped.`,
				'Nothing was written: the whole plan was stopped.',
				'Use the same company id for Company ID for New Contacts and for the PSA Get Many that feeds the Target input (a customer map row sets both).',
			].join(' '),
			sourceEmpty: false,
			targetEmpty: false,
			companies: [{ companyId: options.companyId, deactivations: 0, synced: 0, examples: [] }],
		};
	}
	if (domains.length === 0) return undefined;
	const wanted = new Set(domains);
	const found = new Map<string, number>();
	for (const contact of target) {
		for (const address of contact.emails) {
			const domain = emailDomain(address);
			if (wanted.has(domain)) return undefined;
			if (domain) found.set(domain, (found.get(domain) ?? 0) + 1);
		}
	}
	if (found.size === 0) return undefined;
	const seen = [...found.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 5)
		.map(([domain, count]) => `${domain} (${count})`);
	const what = customer ? `the customer "${customer}" (${domains.join(', ')})` : domains.join(', ');
	return {
		kind: 'company',
		message: `Company check: refused to create ${creates} contact(s) in ${company(options.companyId)}: none of its contacts has an address in ${what}`,
		description: [
			`The contacts of ${company(options.companyId)} have addresses in ${seen.join(', ')}: it looks like another customer's company.`,
			'Nothing was written: the whole plan was stopped.',
			'Check the company id (Company ID for New Contacts, or the customer map row) and the company the Target contacts were read from.',
			'If it is the right company, turn off "Check Company Before Creating" in the Safety Guard for one run.',
		].join(' '),
		sourceEmpty: false,
		targetEmpty: false,
		companies: [{ companyId: options.companyId, deactivations: 0, synced: 0, examples: seen }],
	};
}

/** "company 29684101 (Contoso Ltd)", or "company 29684101" when its name is not known. */
export function companyLabel(id: string, names?: Readonly<Record<string, string>>): string {
	const name = names?.[id];
	return `company ${id || '(none)'}${name ? ` (${name})` : ''}`;
}

/** The companies of the target's contacts when none is `companyId` (up to three), else undefined. */
function otherCompanies(
	target: readonly CanonicalContact[],
	companyId: string,
): string[] | undefined {
	const others = new Set<string>();
	for (const contact of target) {
		if (contact.companyId === companyId) return undefined;
		if (contact.companyId) others.add(contact.companyId);
	}
	return others.size ? [...others].slice(0, 3) : undefined;
}

/**
 * Many creates beside few existing contacts (more than `createAlwaysAllow` and more than
 * `maxCreateShare` of the company's active contacts) look like a misdirected run (a mistyped
 * company id, an incomplete Target), not joiners: the creates are held back on Needs Review,
 * the rest of the plan goes ahead. An empty company has no limit (a first sync).
 */
export function checkCreateShare(
	creates: readonly PendingCreate[],
	target: readonly CanonicalContact[],
	options: ReconcileOptions,
	names?: Readonly<Record<string, string>>,
): GuardVerdict | undefined {
	const { createAlwaysAllow, maxCreateShare } = options.guard;
	if (creates.length <= createAlwaysAllow) return undefined;
	let existing = 0;
	for (const contact of target)
		if (contact.active && contact.companyId === options.companyId) existing++;
	if (existing === 0 || creates.length <= maxCreateShare * existing + 1e-9) return undefined;
	const percent = Math.round(maxCreateShare * 100);
	const company = companyLabel(options.companyId, names);
	const examples = creates.slice(0, 5).map(({ entry }) => entry.item.email);
	return {
		kind: 'create',
		message: `Create guard: held back ${creates.length} create(s) in ${company}, which has ${existing} active contact(s): more than ${createAlwaysAllow} and more than ${percent}% of them`,
		description: [
			`It would have created ${examples.join(', ')}${creates.length > examples.length ? ` and ${creates.length - examples.length} more` : ''}.`,
			'These users are on Needs Review and no contact was created for them; updates, deactivations and reactivations were written.',
			"So many new contacts beside the existing ones usually mean a mistyped company id (another customer's company) or an incomplete Target input: check the company id (Company ID for New Contacts, or the customer map row) and the company the Target contacts were read from.",
			'If these contacts are really new (a first sync into a company that already has a few contacts), raise "Always Allow Creates Up To" or "Max Create Share (%)" for one run; the next run then creates them.',
		].join(' '),
		sourceEmpty: false,
		targetEmpty: false,
		companies: [
			{
				companyId: options.companyId,
				...(names?.[options.companyId] ? { companyName: names[options.companyId] } : {}),
				creates: creates.length,
				deactivations: 0,
				synced: existing,
				examples,
			},
		],
		heldBack: true,
	};
}
