import { emailDomain } from '../contacts/normalize';
import type { CanonicalContact } from '../contacts/canonical';
import type { Matching } from './matching';
import type { PlanBuilder } from './planBuilder';
import { goneUsers } from './state';

/**
 * Contacts no user matched: ours (a gone user's, or in the synced domains) are deactivated once
 * the guard agrees; the others are not managed by this sync and stay as they are.
 */
export function planUnmatchedContacts(plan: PlanBuilder, matching: Matching): void {
	const { source, target, options } = plan;
	const { match, skipped, reported, sharedAddresses } = matching;
	const domains = new Set(options.domains);
	const gone = goneUsers(plan.previous, matching.seen);
	const matched = new Uint8Array(target.length);
	for (let s = 0; s < source.length; s++) if (match[s] >= 0) matched[match[s]] = 1;
	const owners = activeOwners(source);

	for (let t = 0; t < target.length; t++) {
		if (skipped[t] || reported[t] || matched[t]) continue;
		const contact = target[t];
		const goneUser = gone.find(contact);
		const inDomains =
			domains.size > 0 && contact.email !== '' && domains.has(emailDomain(contact.email));
		const managed = goneUser !== undefined || inDomains;
		// A deleted user is remembered until its contact is inactive (or gone from the PSA).
		if (goneUser !== undefined && contact.active) plan.keep(goneUser);
		if (managed) plan.countSynced(contact);

		const item = plan.contactItem(contact.email, '', t);
		if (!managed) {
			item.reason = 'Not managed by this sync: no Microsoft 365 user matches this contact';
			plan.emit('unchanged', item, -1, t);
			continue;
		}
		// An active user owns the address (an alias, or a user outside the sync's scope): the
		// contact is that user's, not a leaver's, and is left as it is.
		const owner = contact.active ? ownerOf(owners, contact.emails) : undefined;
		if (owner) {
			item.reason = `Not deactivated: ${owner.address} belongs to the active Microsoft 365 user ${owner.user} (an alias or sign-in name; the user is not synced into this company by its primary address)`;
			plan.emit('unchanged', item, -1, t);
			continue;
		}
		if (!contact.active || !options.updateExisting) {
			item.reason = contact.active
				? 'Update Existing Contacts is off: existing contacts are left as they are'
				: 'No Microsoft 365 user matches this contact and it is already inactive';
			plan.emit('unchanged', item, -1, t);
			continue;
		}
		const shared = contact.emails.filter((address) => sharedAddresses.has(address));
		if (shared.length > 0) {
			const group = sharedAddresses.get(shared[0]) ?? [];
			plan.review(
				{
					problem: 'duplicateAddress',
					message: `${shared[0]} belongs to ${group.length} contacts (${group.map((o) => target[o].id).join(', ')}); none is deactivated while the address is shared`,
					heldAction: 'deactivate',
					emails: shared,
				},
				[],
				[t],
			);
			continue;
		}
		item.action = 'deactivate';
		item.changes.active = false;
		item.before.active = true;
		item.after.active = false;
		item.reason =
			goneUser !== undefined
				? 'Deactivated because the Microsoft 365 user it was synced with is gone (deleted, or moved out of the synced domains)'
				: 'Deactivated because no Microsoft 365 user has this address in the synced domains';
		if (plan.hold?.deactivations) {
			plan.review(
				{
					problem: 'heldDeactivation',
					message: plan.hold.deactivations,
					heldAction: 'deactivate',
				},
				[],
				[t],
				item,
			);
		} else {
			plan.deactivations.push({
				entry: { output: 'deactivate', item, source: -1, target: t },
				why: goneUser !== undefined ? 'user deleted' : 'no such user',
			});
		}
	}
}

/** Every address of every active user on the Source input, in scope or not, and whose it is. */
function activeOwners(source: readonly CanonicalContact[]): Map<string, string> {
	const owners = new Map<string, string>();
	for (const user of source) {
		if (!user.active) continue;
		for (const address of user.emails) if (!owners.has(address)) owners.set(address, user.email);
	}
	return owners;
}

function ownerOf(
	owners: ReadonlyMap<string, string>,
	emails: readonly string[],
): { address: string; user: string } | undefined {
	for (const address of emails) {
		const user = owners.get(address);
		if (user !== undefined) return { address, user };
	}
	return undefined;
}
