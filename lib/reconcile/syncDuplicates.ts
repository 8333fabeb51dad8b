import type { CanonicalContact, ContactPlanItem } from '../contacts/canonical';
import { normalizeEmail } from '../contacts/normalize';
import { settle } from '../util/settled';
import type { PlanBuilder } from './planBuilder';
import type { PlanItemOutput } from './planItem';

/**
 * Contacts the sync created twice for one address (late or concurrent runs), found by a rule that
 * does not depend on timing (docs/adr/contact-creation-mark.md): among the active contacts of one
 * company with the same primary address, the lowest id stands, and every other one that carries
 * the sync's creation mark is a duplicate of it. A contact a person made is never a duplicate.
 * An inactive contact with the mark and a higher id than the one that stands is a duplicate
 * already settled (deactivated by an earlier run): it takes no part in matching either.
 *
 * Applied twice with the same rule: by Contact Reconcile before matching (what a stopped or late
 * run left), and by the PSA node's Create right after a run's creates, over the created addresses
 * re-read (docs/adr/contact-sync-settles-its-own-creates.md).
 *
 * Returns duplicate → the contact it duplicates, by index into `target`.
 */
export function findSyncDuplicates(target: readonly CanonicalContact[]): Map<number, number> {
	const groups = new Map<string, number[]>();
	for (let t = 0; t < target.length; t++) {
		const contact = target[t];
		if (!contact.email) continue;
		const key = `${contact.companyId}\n${contact.email}`;
		const group = groups.get(key);
		if (group) group.push(t);
		else groups.set(key, [t]);
	}
	const duplicateOf = new Map<number, number>();
	for (const group of groups.values()) {
		if (group.length < 2) continue;
		let winner = -1;
		for (const t of group)
			if (target[t].active && (winner < 0 || compareIds(target[t].id, target[winner].id) < 0))
				winner = t;
		if (winner < 0) continue;
		for (const t of group) {
			const contact = target[t];
			// The same contact twice on the input is not a duplicate (matching reports it).
			if (contact.id === target[winner].id || !contact.createdBySync) continue;
			if (!contact.active && compareIds(contact.id, target[winner].id) < 0) continue;
			duplicateOf.set(t, winner);
		}
	}
	return duplicateOf;
}

/** Deactivates each active duplicate the sync made (reported on the Deactivate output with why). */
export function planSyncDuplicates(plan: PlanBuilder, duplicateOf: Map<number, number>): void {
	for (const [t, winner] of duplicateOf) {
		const contact = plan.target[t];
		if (!contact.active) continue;
		const item = duplicateDeactivation(
			plan.contactItem(contact.email, '', t),
			plan.target[winner].id,
		);
		plan.emit('deactivate', item, -1, t);
	}
}

/** `item` (about the duplicate contact) as the plan item that deactivates it. */
export function duplicateDeactivation(item: ContactPlanItem, keptId: string): ContactPlanItem {
	return {
		...item,
		action: 'deactivate',
		changes: { ...item.changes, active: false },
		before: { ...item.before, active: true },
		after: { ...item.after, active: false },
		reason: `Duplicate of contact ${keptId}: the sync created ${item.email} twice (a late or concurrent run); the lowest id stays, this one is deactivated`,
	};
}

/**
 * After a run's creates: the contacts of one company re-read for the addresses it created, and
 * which of them to deactivate (the same rule as `findSyncDuplicates`, restricted to those
 * addresses). Whatever the interleaving of concurrent runs, the run whose create committed last
 * re-reads every copy, and every run keeps the same one (the lowest id).
 */
export function createdDuplicates(
	reread: readonly CanonicalContact[],
	createdEmails: ReadonlySet<string>,
): Array<{ duplicate: CanonicalContact; kept: CanonicalContact }> {
	const contacts = reread.filter((contact) => createdEmails.has(contact.email));
	const out: Array<{ duplicate: CanonicalContact; kept: CanonicalContact }> = [];
	for (const [t, winner] of findSyncDuplicates(contacts))
		if (contacts[t].active) out.push({ duplicate: contacts[t], kept: contacts[winner] });
	return out;
}

/** A contact a run created from a "create" plan item (the input item it came from). */
export interface CreatedBySync {
	itemIndex: number;
	plan: ContactPlanItem;
	id: string;
}

/** What settling a run's creates asks of the PSA node. */
export interface DuplicateStore {
	/** The company's contacts that have one of `emails` (canonical: `createdBySync` read from the record). */
	read(companyId: string, emails: string[]): Promise<CanonicalContact[]>;
	/** Marks the contact inactive (the same write as a "deactivate" plan item). */
	deactivate(contact: CanonicalContact): Promise<void>;
}

export interface SettledCreates {
	/** Duplicates deactivated: "deactivate" plan items as applied, paired with a create of their address. */
	items: Array<{ itemIndex: number; json: PlanItemOutput }>;
	/** A company whose re-read failed, or a duplicate whose deactivation failed: the next run settles it. */
	failures: Array<{ itemIndex: number; error: unknown; plan: ContactPlanItem }>;
}

/**
 * Right after a run's creates (docs/adr/contact-sync-settles-its-own-creates.md): per company, the
 * created addresses are read again and every duplicate the sync made among them is deactivated,
 * whoever created it; the lowest id stays. One query per company (per batch of addresses), one
 * write per duplicate.
 */
export async function settleCreatedDuplicates(
	created: readonly CreatedBySync[],
	store: DuplicateStore,
): Promise<SettledCreates> {
	const out: SettledCreates = { items: [], failures: [] };
	const byCompany = new Map<string, Map<string, CreatedBySync>>();
	for (const entry of created) {
		const email = normalizeEmail(entry.plan.email);
		if (!email) continue;
		const company = byCompany.get(entry.plan.companyId) ?? new Map<string, CreatedBySync>();
		if (!company.has(email)) company.set(email, entry);
		byCompany.set(entry.plan.companyId, company);
	}
	for (const [companyId, createdByEmail] of byCompany) {
		const reread = await settle(store.read(companyId, [...createdByEmail.keys()]));
		if (!reread.ok) {
			const first = createdByEmail.values().next().value!;
			out.failures.push({
				itemIndex: first.itemIndex,
				error: reread.error,
				plan: {
					...first.plan,
					action: 'deactivate',
					email: '',
					reason: `Reading company ${companyId}'s new contacts again (to deactivate duplicates of them) failed; the next run settles them`,
				},
			});
			continue;
		}
		for (const { duplicate, kept } of createdDuplicates(
			reread.value,
			new Set(createdByEmail.keys()),
		)) {
			const origin = createdByEmail.get(duplicate.email)!;
			const plan = duplicateDeactivation(
				{
					...origin.plan,
					targetId: duplicate.id,
					...(duplicate.ref !== undefined ? { targetRef: duplicate.ref } : {}),
					changes: {},
					before: {},
					after: {},
				},
				kept.id,
			);
			const written = await settle(store.deactivate(duplicate));
			if (!written.ok) {
				out.failures.push({ itemIndex: origin.itemIndex, error: written.error, plan });
				continue;
			}
			out.items.push({
				itemIndex: origin.itemIndex,
				json: { ...plan, applied: true, contact: { ...duplicate, active: false } },
			});
		}
	}
	return out;
}

/** Numeric ids by value ("9" < "10"), others as text. */
function compareIds(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}
