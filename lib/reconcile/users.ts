import type { CanonicalContact, ContactPlanItem } from '../contacts/canonical';
import { alignFields, enabledSlots, newContactFields } from './fieldRule';
import type { Matching } from './matching';
import { AMBIGUOUS, NO_MATCH } from './matching';
import type { PlanBuilder } from './planBuilder';
import {
	contactRecord,
	isRecordOf,
	NO_HASH,
	newContactRecord,
	readSlots,
	relinkedRecord,
	SLOT_FIELDS,
	slotsFor,
} from './state';

const INACTIVE_REASONS: Record<string, string> = {
	disabled: 'the Microsoft 365 account is disabled',
	unlicensed: 'the Microsoft 365 user has no licence',
	deleted: 'the Microsoft 365 user was deleted',
};

/**
 * Decides every user in scope: a new user's contact is created, a matched user's contact is
 * updated, deactivated, reactivated or left as it is. Creates wait on `plan.creates` until the
 * guards have seen them all (planner.ts emits or holds them).
 */
export function planUsers(plan: PlanBuilder, matching: Matching): void {
	const { source, target, previous, options } = plan;
	const { recordOf, inScope, match } = matching;
	const enabled = enabledSlots(options.fields);
	const creating = new Set<string>();
	const sourceHashes: number[] = new Array<number>(SLOT_FIELDS.length).fill(NO_HASH);
	const pendingHashes: number[] = new Array<number>(SLOT_FIELDS.length).fill(NO_HASH);

	for (let s = 0; s < source.length; s++) {
		if (!inScope[s]) continue;
		const t = match[s];
		if (t === AMBIGUOUS) continue;
		const user = source[s];
		const p = recordOf[s];
		const record = p < 0 ? undefined : previous.records[p];

		if (t === NO_MATCH) {
			if (!user.active) continue; // nothing to create, and no contact to remember it by
			if (creating.has(user.email)) {
				plan.review(
					{
						problem: 'duplicateItem',
						message: `${user.email} arrived more than once on the Source input; one contact is created`,
					},
					[s],
					[],
				);
				continue;
			}
			creating.add(user.email);
			const item = plan.item('create', user.email, user.id, '', options.companyId);
			newContactFields(user, enabled, sourceHashes, pendingHashes, item);
			item.reason = 'New Microsoft 365 user with no matching contact';
			plan.creates.push({
				entry: { output: 'create', item, source: s, target: -1 },
				previous: p,
				record: newContactRecord(user.email, sourceHashes, pendingHashes),
			});
			continue;
		}

		const contact = target[t];
		plan.countSynced(contact);
		// Slots describe the contact they were synced with; another contact starts afresh.
		const saved = record ?? '';
		const sameContact = isRecordOf(record, contact.id);
		const slotsFrom = slotsFor(record, contact.id);
		const item = plan.contactItem(user.email, user.id, t);

		if (!options.updateExisting || !user.active) {
			plan.save(user.id, p, sameContact ? saved : relinkedRecord(saved, contact.id, slotsFrom));
			if (!options.updateExisting) {
				item.reason = 'Update Existing Contacts is off: existing contacts are left as they are';
				plan.emit('unchanged', item, s, t);
			} else {
				planInactiveUser(plan, user, contact, s, t, item);
			}
			continue;
		}

		readSlots(saved, slotsFrom, sourceHashes, pendingHashes);
		const fields = alignFields(
			user,
			contact,
			options.mode,
			enabled,
			sourceHashes,
			pendingHashes,
			item,
		);
		plan.save(
			user.id,
			p,
			fields.slotsChanged || !sameContact
				? contactRecord(contact.id, sourceHashes, pendingHashes)
				: saved,
		);
		if (!contact.active) {
			item.action = 'reactivate';
			item.changes.active = true;
			item.before.active = false;
			item.after.active = true;
			item.reason = fields.reason
				? `The Microsoft 365 user is active again; ${fields.reason}`
				: 'The Microsoft 365 user is active again';
			plan.emit('reactivate', item, s, t);
		} else if (fields.written > 0) {
			item.action = 'update';
			item.reason = capitalize(fields.reason);
			plan.emit('update', item, s, t);
		} else {
			item.reason = fields.reason ? capitalize(fields.reason) : 'In sync with Microsoft 365';
			plan.emit('unchanged', item, s, t);
		}
	}
}

/** A disabled, unlicensed or deleted user: its active contact is deactivated (once the guard agrees). */
function planInactiveUser(
	plan: PlanBuilder,
	user: CanonicalContact,
	contact: CanonicalContact,
	s: number,
	t: number,
	item: ContactPlanItem,
): void {
	if (!contact.active) {
		item.reason = 'The Microsoft 365 user is inactive and the contact already is too';
		plan.emit('unchanged', item, s, t);
		return;
	}
	item.action = 'deactivate';
	item.changes.active = false;
	item.before.active = true;
	item.after.active = false;
	item.reason = `Deactivated because ${INACTIVE_REASONS[user.inactiveReason ?? ''] ?? 'the Microsoft 365 user is no longer enabled and licensed'}`;
	plan.deactivations.push({
		entry: { output: 'deactivate', item, source: s, target: t },
		why: user.inactiveReason ?? 'inactive',
	});
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
