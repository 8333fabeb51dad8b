import type { CanonicalContact } from '../contacts/canonical';
import type { PlanBuilder } from './planBuilder';

/**
 * Contacts the sync created twice for one address (late or concurrent runs), found by a rule that
 * does not depend on timing (docs/adr/contact-creation-mark.md): among the active contacts of one
 * company with the same primary address, the lowest id stands, and every other one that carries
 * the sync's creation mark is a duplicate of it. A contact a person made is never a duplicate.
 *
 * Returns duplicate → the contact it duplicates, by index into `target`.
 */
export function findSyncDuplicates(target: readonly CanonicalContact[]): Map<number, number> {
	const groups = new Map<string, number[]>();
	for (let t = 0; t < target.length; t++) {
		const contact = target[t];
		if (!contact.active || !contact.email) continue;
		const key = `${contact.companyId}\n${contact.email}`;
		const group = groups.get(key);
		if (group) group.push(t);
		else groups.set(key, [t]);
	}
	const duplicateOf = new Map<number, number>();
	for (const group of groups.values()) {
		if (group.length < 2) continue;
		let winner = group[0];
		for (const t of group) if (compareIds(target[t].id, target[winner].id) < 0) winner = t;
		for (const t of group) {
			// The same contact twice on the input is not a duplicate (matching reports it).
			if (target[t].id === target[winner].id || !target[t].createdBySync) continue;
			duplicateOf.set(t, winner);
		}
	}
	return duplicateOf;
}

/** Deactivates each duplicate the sync made (reported on the Deactivate output with why). */
export function planSyncDuplicates(plan: PlanBuilder, duplicateOf: Map<number, number>): void {
	for (const [t, winner] of duplicateOf) {
		const contact = plan.target[t];
		const item = plan.contactItem(contact.email, '', t);
		item.action = 'deactivate';
		item.changes.active = false;
		item.before.active = true;
		item.after.active = false;
		item.reason = `Duplicate of contact ${plan.target[winner].id}: the sync created ${contact.email} twice (a late or concurrent run); the lowest id stays, this one is deactivated`;
		plan.emit('deactivate', item, -1, t);
	}
}

/** Numeric ids by value ("9" < "10"), others as text. */
function compareIds(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}
