import { emailDomain } from '../contacts/normalize';
import type { PlanBuilder } from './planBuilder';
import { recordContact } from './state';

/** `match[s]` of a user no contact matches. */
export const NO_MATCH = -1;
/** `match[s]` of a user that is reported for review instead of matched. */
export const AMBIGUOUS = -2;

/** Which PSA contact each Microsoft 365 user is, by index into the plan's source and target. */
export interface Matching {
	/** The user's saved record position, -1 for none. */
	recordOf: Int32Array;
	/** Users this sync covers (in the synced domains, with an address). */
	inScope: Uint8Array;
	/** The contact each user matched, NO_MATCH or AMBIGUOUS. */
	match: Int32Array;
	/** Contacts that arrived twice on the input: the repeat is ignored. */
	skipped: Uint8Array;
	/** Contacts already reported for review (shared or ambiguous). */
	reported: Uint8Array;
	/** Saved records whose user is in the source; the others are gone users. */
	seen: Uint8Array;
	/** Addresses several contacts have, and those contacts. */
	sharedAddresses: Map<string, number[]>;
	/** Users in scope (the deactivation guard refuses everything when it is 0). */
	scopeCount: number;
}

/**
 * Matches users to contacts by every address (contacts in `ignored` take no part), then by the contact a user was synced with (an
 * address changed in Microsoft 365). A contact two users point at, and a user pointing at two
 * contacts, are reported for review, never guessed.
 */
export function matchUsers(
	plan: PlanBuilder,
	ignored: ReadonlyMap<number, unknown> = new Map(),
): Matching {
	const { source, target, previous } = plan;
	const domains = new Set(plan.options.domains);
	const byAddress = new Map<string, number>();
	const matching: Matching = {
		recordOf: new Int32Array(source.length).fill(-1),
		inScope: new Uint8Array(source.length),
		match: new Int32Array(source.length).fill(NO_MATCH),
		skipped: new Uint8Array(target.length),
		reported: new Uint8Array(target.length),
		seen: new Uint8Array(previous.ids.length),
		sharedAddresses: new Map<string, number[]>(),
		scopeCount: 0,
	};
	// Contacts handled before matching (the sync's own duplicates) are not matched to anyone.
	for (const t of ignored.keys()) matching.skipped[t] = 1;
	indexContacts(plan, matching, byAddress);
	const claims = new Int32Array(target.length);
	const candidatesOf = new Map<number, number[]>();
	const { recordOf, inScope, match, skipped, seen, sharedAddresses } = matching;

	for (let s = 0; s < source.length; s++) {
		const user = source[s];
		const noAddress = !user.email;
		// A user without an address has no known domain: its absence from the scope is never read
		// as a deletion, so it counts as present either way.
		if (!noAddress && domains.size > 0 && !domains.has(emailDomain(user.email))) continue;
		const p = previous.index.get(user.id);
		if (p !== undefined) {
			recordOf[s] = p;
			seen[p] = 1;
		}
		if (noAddress) {
			if (domains.size === 0 && user.active) {
				plan.review(
					{
						problem: 'noAddress',
						message:
							'This Microsoft 365 user has no usable email address, so it can be neither matched nor created',
						emails: [],
					},
					[s],
					[],
				);
			}
			continue;
		}
		inScope[s] = 1;
		matching.scopeCount++;

		let found = NO_MATCH;
		let many: number[] | undefined;
		const emails = user.emails;
		for (let a = 0; a < emails.length; a++) {
			const single = byAddress.get(emails[a]);
			if (single === undefined) continue;
			const group = sharedAddresses.get(emails[a]);
			if (!group) {
				if (found === NO_MATCH) found = single;
				else if (single !== found && !many) many = [found, single];
				else if (many && !many.includes(single)) many.push(single);
				continue;
			}
			for (const t of group) {
				if (skipped[t]) continue;
				if (found === NO_MATCH) found = t;
				else if (t !== found && !many) many = [found, t];
				else if (many && !many.includes(t)) many.push(t);
			}
		}
		if (many) {
			match[s] = AMBIGUOUS;
			candidatesOf.set(s, many);
		} else if (found !== NO_MATCH) {
			match[s] = found;
			claims[found]++;
		}
	}

	followLinks(plan, matching, claims);
	reportConflicts(plan, matching, claims, candidatesOf);
	return matching;
}

/** Indexes the PSA contacts by every address; a contact that arrived twice is reviewed once. */
function indexContacts(plan: PlanBuilder, matching: Matching, byAddress: Map<string, number>) {
	const { target } = plan;
	const { skipped, sharedAddresses } = matching;
	for (let t = 0; t < target.length; t++) {
		if (skipped[t]) continue;
		const contact = target[t];
		const emails = contact.emails;
		for (let a = 0; a < emails.length; a++) {
			const address = emails[a];
			const other = byAddress.get(address);
			if (other === undefined) {
				byAddress.set(address, t);
			} else if (a === 0 && target[other].id === contact.id) {
				// The same contact twice on the input (e.g. two pages merged): one is enough.
				skipped[t] = 1;
				plan.review(
					{
						problem: 'duplicateItem',
						message: `Contact ${contact.id} arrived twice on the Target input; the repeat was ignored`,
					},
					[],
					[t],
				);
				break;
			} else if (other !== t) {
				const group = sharedAddresses.get(address);
				if (!group) sharedAddresses.set(address, [other, t]);
				else if (!group.includes(t)) group.push(t);
			}
		}
	}
}

/** A user whose address changed in Microsoft 365 keeps the contact it was synced with. */
function followLinks(plan: PlanBuilder, matching: Matching, claims: Int32Array) {
	const { source, target, previous } = plan;
	const { recordOf, inScope, match, skipped } = matching;
	const linkWanted = new Map<string, number[]>();
	for (let s = 0; s < source.length; s++) {
		if (!inScope[s] || match[s] !== NO_MATCH) continue;
		if (recordOf[s] < 0) continue;
		const linked = recordContact(previous.records[recordOf[s]]);
		if (!linked) continue;
		const users = linkWanted.get(linked);
		if (users) users.push(s);
		else linkWanted.set(linked, [s]);
	}
	if (linkWanted.size === 0) return;
	for (let t = 0; t < target.length; t++) {
		const users = linkWanted.get(target[t].id);
		if (!users || skipped[t] || claims[t] > 0) continue;
		for (const s of users) {
			match[s] = t;
			claims[t]++;
		}
	}
}

/** A contact two users point at, and a user pointing at two contacts, go to review. */
function reportConflicts(
	plan: PlanBuilder,
	matching: Matching,
	claims: Int32Array,
	candidatesOf: Map<number, number[]>,
) {
	const { source, target } = plan;
	const { recordOf, match, reported } = matching;
	const claimants = new Map<number, number[]>();
	for (let s = 0; s < source.length; s++) {
		const t = match[s];
		if (t < 0 || claims[t] < 2) continue;
		const users = claimants.get(t);
		if (users) users.push(s);
		else claimants.set(t, [s]);
	}
	for (const [t, users] of claimants) {
		if (users.every((s) => source[s].id === source[users[0]].id)) {
			// The same user more than once on the input: the first one counts.
			for (const s of users.slice(1)) {
				match[s] = AMBIGUOUS;
				plan.review(
					{
						problem: 'duplicateItem',
						message: `User ${source[s].id} arrived more than once on the Source input; the repeat was ignored`,
					},
					[s],
					[],
				);
			}
			continue;
		}
		reported[t] = 1;
		for (const s of users) {
			match[s] = AMBIGUOUS;
			plan.keep(recordOf[s]);
		}
		plan.review(
			{
				problem: 'sharedContact',
				message: `Contact ${target[t].id} matches ${users.length} Microsoft 365 users (${users.map((s) => source[s].email).join(', ')}); give each user a contact of its own`,
				emails: users.map((s) => source[s].email),
			},
			users,
			[t],
		);
	}
	for (const [s, candidates] of candidatesOf) {
		for (const t of candidates) reported[t] = 1;
		plan.keep(recordOf[s]);
		plan.review(
			{
				problem: 'ambiguousMatch',
				message: `${source[s].email} matches ${candidates.length} contacts (${candidates.map((t) => target[t].id).join(', ')}); merge them or change the address of all but one`,
			},
			[s],
			candidates,
		);
	}
}
