import type {
	CanonicalContact,
	ContactPlanItem,
	PlanAction,
	SyncField,
} from '../contacts/canonical';
import { emailDomain } from '../contacts/normalize';
import { InputError } from '../transport/http';
import type { ScopeState } from './state';
import {
	contactRecord,
	goneUsers,
	hashDigits,
	hashText,
	isRecordOf,
	linkedRecordCount,
	NO_HASH,
	newContactRecord,
	readSlots,
	recordContact,
	relinkedRecord,
	SLOT_FIELDS,
	slotsFor,
	stateLine,
} from './state';

export type ReconcileMode = 'changes' | 'mirror';
export type TargetSystem = 'autotask' | 'connectwise';

/** The node's outputs, in order. */
export const PLAN_OUTPUTS = [
	'create',
	'update',
	'deactivate',
	'reactivate',
	'unchanged',
	'review',
] as const;
export type PlanOutput = (typeof PLAN_OUTPUTS)[number];

export interface SafetyGuard {
	/** Largest share (0..1) of a company's synced contacts one run may deactivate. */
	maxShare: number;
	/** Refuse every deactivation when the source has no users (in the synced domains). */
	refuseWhenSourceEmpty: boolean;
	/**
	 * Refuse every create when the target has no contacts although users were synced with
	 * contacts before (a failed or misdirected read would otherwise duplicate them all).
	 */
	refuseWhenTargetEmpty: boolean;
	/** Deactivations a company may always have, whatever the share (small companies). */
	alwaysAllow: number;
}

export interface ReconcileOptions {
	targetSystem: TargetSystem;
	/** Company new contacts are created in. */
	companyId: string;
	/** Off: only creates. On: updates, deactivations and reactivations too. */
	updateExisting: boolean;
	mode: ReconcileMode;
	fields: readonly SyncField[];
	/** Lower-case domains; empty means every user. */
	domains: readonly string[];
	guard: SafetyGuard;
	dryRun: boolean;
}

export const DEFAULT_GUARD: SafetyGuard = {
	maxShare: 0.2,
	refuseWhenSourceEmpty: true,
	refuseWhenTargetEmpty: true,
	alwaysAllow: 0,
};

export type ReviewProblem =
	| 'ambiguousMatch'
	| 'sharedContact'
	| 'duplicateAddress'
	| 'duplicateItem'
	| 'noAddress'
	| 'heldCreate'
	| 'heldDeactivation'
	| 'deactivationGuard';

export interface ReviewDetails {
	problem: ReviewProblem;
	message: string;
	/** The action the plan would have taken; review items themselves never write. */
	heldAction?: PlanAction;
	sourceIds: string[];
	targetIds: string[];
	emails: string[];
}

/** A Needs Review item: a plan item with action "unchanged" (a PSA node applies nothing) plus why. */
export interface ReviewPlanItem extends ContactPlanItem {
	review: ReviewDetails;
}

export interface PlanEntry {
	output: PlanOutput;
	item: ContactPlanItem | ReviewPlanItem;
	/** Index into the source and target arrays the entry came from; -1 for none. */
	source: number;
	target: number;
	/** Needs Review entries about several users or contacts list every one of them. */
	related?: { sources: number[]; targets: number[] };
}

export interface GuardCompany {
	companyId: string;
	deactivations: number;
	synced: number;
	examples: string[];
}

export interface GuardVerdict {
	message: string;
	description: string;
	sourceEmpty: boolean;
	/** Set when creates were refused because the target was empty. */
	targetEmpty: boolean;
	companies: GuardCompany[];
}

export interface ReconcileInput {
	source: readonly CanonicalContact[];
	target: readonly CanonicalContact[];
	/** Saved records of this scope (see state.ts). */
	state: ScopeState;
	options: ReconcileOptions;
	/**
	 * Why creates or absence-based deactivations cannot be trusted this run (items on an input
	 * could not be read): they go to Needs Review instead.
	 */
	hold?: { creates?: string; deactivations?: string };
}

export interface ReconcileResult {
	entries: PlanEntry[];
	/** The lines to save when the plan is applied (not on a dry run); see state.ts. */
	state: string[];
	counts: Record<PlanOutput, number>;
	/** Set when a safety guard (deactivations, or creates into an empty target) refuses the plan. */
	guard?: GuardVerdict;
}

const FIELD_LABELS: Record<SyncField, string> = {
	firstName: 'first name',
	lastName: 'last name',
	title: 'title',
	phone: 'phone',
	mobile: 'mobile',
	email: 'email',
};

const INACTIVE_REASONS: Record<string, string> = {
	disabled: 'the Microsoft 365 account is disabled',
	unlicensed: 'the Microsoft 365 user has no licence',
	deleted: 'the Microsoft 365 user was deleted',
};

const HASH_OF_BLANK = hashText('');
const NO_MATCH = -1;
const AMBIGUOUS = -2;

const PHONE_SLOT = SLOT_FIELDS.map((field) => field === 'phone' || field === 'mobile');

/** Equal as compared: digits only for phones, the cleaned text (case kept) for the rest. */
function sameValue(phone: boolean, a: string, b: string): boolean {
	if (a === b) return true;
	if (!phone) return false;
	let i = 0;
	let j = 0;
	for (;;) {
		while (i < a.length && !isDigit(a.charCodeAt(i))) i++;
		while (j < b.length && !isDigit(b.charCodeAt(j))) j++;
		if (i === a.length || j === b.length) return i === a.length && j === b.length;
		if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
		i++;
		j++;
	}
}

function isDigit(code: number): boolean {
	return code >= 48 && code <= 57;
}

function isBlankValue(phone: boolean, value: string): boolean {
	if (!phone) return value === '';
	for (let i = 0; i < value.length; i++) if (isDigit(value.charCodeAt(i))) return false;
	return true;
}

function hashOf(phone: boolean, value: string): number {
	return phone ? hashDigits(value) : hashText(value);
}

/**
 * Plans one sync: Microsoft 365 users (source) against PSA contacts (target). Pure, one pass over
 * maps keyed by id and normalized address, no work that grows faster than the input.
 */
export function planReconcile(input: ReconcileInput): ReconcileResult {
	const { source, target, options } = input;
	const previous = input.state;
	/** The state to save, one line per user; `written[p]` marks saved records already carried. */
	const next: string[] = [];
	const written = new Uint8Array(previous.ids.length);
	/** Saved records whose user is in the source (present); the others are gone users. */
	const seen = new Uint8Array(previous.ids.length);
	const entries: PlanEntry[] = [];
	const counts = { create: 0, update: 0, deactivate: 0, reactivate: 0, unchanged: 0, review: 0 };
	const domains = new Set(options.domains);
	const enabled = SLOT_FIELDS.map((field) => options.fields.includes(field));

	const base = (
		action: PlanAction,
		email: string,
		sourceId: string,
		targetId: string,
		companyId: string,
	): ContactPlanItem => ({
		planVersion: 1,
		action,
		targetSystem: options.targetSystem,
		targetId,
		companyId,
		email,
		sourceId,
		changes: {},
		before: {},
		after: {},
		reason: '',
		dryRun: options.dryRun,
	});
	const emit = (output: PlanOutput, item: ContactPlanItem, s: number, t: number) => {
		entries.push({ output, item, source: s, target: t });
		counts[output]++;
	};
	/** Carries a saved record over unchanged (nothing about its user was decided this run). */
	const keep = (p: number) => {
		if (p < 0 || written[p]) return;
		written[p] = 1;
		next.push(stateLine(previous.ids[p], previous.records[p]));
	};
	const save = (userId: string, p: number, record: string) => {
		if (p >= 0) written[p] = 1;
		next.push(stateLine(userId, record));
	};
	const review = (
		details: {
			problem: ReviewProblem;
			message: string;
			heldAction?: PlanAction;
			emails?: string[];
		},
		sources: number[],
		targets: number[],
		held?: ContactPlanItem,
	) => {
		const first = sources.length ? source[sources[0]] : target[targets[0]];
		const item: ReviewPlanItem = {
			...(held ??
				base(
					'unchanged',
					first.email,
					sources.length ? source[sources[0]].id : '',
					targets.length === 1 ? target[targets[0]].id : '',
					targets.length === 1 ? target[targets[0]].companyId : '',
				)),
			action: 'unchanged',
			changes: {},
			reason: held ? `${details.message} (planned: ${held.reason})` : details.message,
			review: {
				problem: details.problem,
				message: details.message,
				...(details.heldAction ? { heldAction: details.heldAction } : {}),
				sourceIds: sources.map((i) => source[i].id),
				targetIds: targets.map((i) => target[i].id),
				emails: details.emails ?? (first.email ? [first.email] : []),
			},
		};
		entries.push({
			output: 'review',
			item,
			source: sources.length ? sources[0] : -1,
			target: targets.length ? targets[0] : -1,
			related: { sources, targets },
		});
		counts.review++;
	};

	// 1. Index the PSA contacts by every address.
	const byAddress = new Map<string, number>();
	const sharedAddresses = new Map<string, number[]>();
	const skipped = new Uint8Array(target.length);
	for (let t = 0; t < target.length; t++) {
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
				review(
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

	// 2. The users this sync covers, and the contacts their addresses point at.
	const recordOf = new Int32Array(source.length).fill(-1);
	const inScope = new Uint8Array(source.length);
	const match = new Int32Array(source.length).fill(NO_MATCH);
	const claims = new Int32Array(target.length);
	const reported = new Uint8Array(target.length);
	const candidatesOf = new Map<number, number[]>();
	let scopeCount = 0;
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
				review(
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
		scopeCount++;

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

	// A user whose address changed in Microsoft 365 keeps the contact it was synced with.
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
	if (linkWanted.size > 0) {
		for (let t = 0; t < target.length; t++) {
			const users = linkWanted.get(target[t].id);
			if (!users || skipped[t] || claims[t] > 0) continue;
			for (const s of users) {
				match[s] = t;
				claims[t]++;
			}
		}
	}

	// A contact two users point at, and a user pointing at two contacts, are reported, not guessed.
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
				review(
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
			keep(recordOf[s]);
		}
		review(
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
		keep(recordOf[s]);
		review(
			{
				problem: 'ambiguousMatch',
				message: `${source[s].email} matches ${candidates.length} contacts (${candidates.map((t) => target[t].id).join(', ')}); merge them or change the address of all but one`,
			},
			[s],
			candidates,
		);
	}

	// 3. Matched users and new users.
	const synced = new Map<string, number>();
	const countSynced = (contact: CanonicalContact) => {
		if (contact.active) synced.set(contact.companyId, (synced.get(contact.companyId) ?? 0) + 1);
	};
	const deactivations: Array<{ entry: PlanEntry; why: string }> = [];
	const heldCreates: PlanEntry[] = [];
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
				review(
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
			const item = base('create', user.email, user.id, '', options.companyId);
			// A new contact starts its slots afresh: the field is written now, the PSA held nothing.
			for (let i = 0; i < SLOT_FIELDS.length; i++) {
				const field = SLOT_FIELDS[i];
				sourceHashes[i] = NO_HASH;
				pendingHashes[i] = NO_HASH;
				if (!enabled[i] && field !== 'email') continue;
				const value = user[field];
				const blank = isBlankValue(PHONE_SLOT[i], value);
				if (!blank) {
					item.changes[field] = value;
					item.after[field] = value;
				}
				if (!enabled[i]) continue;
				sourceHashes[i] = hashOf(PHONE_SLOT[i], value);
				if (!blank) pendingHashes[i] = HASH_OF_BLANK;
			}
			item.reason = 'New Microsoft 365 user with no matching contact';
			if (input.hold?.creates) {
				// Not created this run: the saved record stays as it was.
				heldCreates.push({ output: 'create', item, source: s, target: -1 });
				keep(p);
			} else {
				save(user.id, p, newContactRecord(user.email, sourceHashes, pendingHashes));
				emit('create', item, s, -1);
			}
			continue;
		}

		const contact = target[t];
		countSynced(contact);
		// Slots describe the contact they were synced with; another contact starts afresh.
		const saved = record ?? '';
		const sameContact = isRecordOf(record, contact.id);
		const slotsFrom = slotsFor(record, contact.id);
		const item = base('unchanged', user.email, user.id, contact.id, contact.companyId);
		if (contact.ref !== undefined) item.targetRef = contact.ref;

		if (!options.updateExisting) {
			save(user.id, p, sameContact ? saved : relinkedRecord(saved, contact.id, slotsFrom));
			item.reason = 'Update Existing Contacts is off: existing contacts are left as they are';
			emit('unchanged', item, s, t);
			continue;
		}
		if (!user.active) {
			save(user.id, p, sameContact ? saved : relinkedRecord(saved, contact.id, slotsFrom));
			if (contact.active) {
				item.action = 'deactivate';
				item.changes.active = false;
				item.before.active = true;
				item.after.active = false;
				item.reason = `Deactivated because ${INACTIVE_REASONS[user.inactiveReason ?? ''] ?? 'the Microsoft 365 user is no longer enabled and licensed'}`;
				deactivations.push({
					entry: { output: 'deactivate', item, source: s, target: t },
					why: user.inactiveReason ?? 'inactive',
				});
			} else {
				item.reason = 'The Microsoft 365 user is inactive and the contact already is too';
				emit('unchanged', item, s, t);
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
		save(
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
			emit('reactivate', item, s, t);
		} else if (fields.written > 0) {
			item.action = 'update';
			item.reason = capitalize(fields.reason);
			emit('update', item, s, t);
		} else {
			item.reason = fields.reason ? capitalize(fields.reason) : 'In sync with Microsoft 365';
			emit('unchanged', item, s, t);
		}
	}

	// 4. Contacts no user matched: ours (a deleted user's, or in the synced domains) or not.
	const gone = goneUsers(previous, seen);
	const matched = new Uint8Array(target.length);
	for (let s = 0; s < source.length; s++) if (match[s] >= 0) matched[match[s]] = 1;

	for (let t = 0; t < target.length; t++) {
		if (skipped[t] || reported[t] || matched[t]) continue;
		const contact = target[t];
		const goneUser = gone.find(contact);
		const inDomains =
			domains.size > 0 && contact.email !== '' && domains.has(emailDomain(contact.email));
		const managed = goneUser !== undefined || inDomains;
		// A deleted user is remembered until its contact is inactive (or gone from the PSA).
		if (goneUser !== undefined && contact.active) keep(goneUser);
		if (managed) countSynced(contact);

		const item = base('unchanged', contact.email, '', contact.id, contact.companyId);
		if (contact.ref !== undefined) item.targetRef = contact.ref;
		if (!managed) {
			item.reason = 'Not managed by this sync: no Microsoft 365 user matches this contact';
			emit('unchanged', item, -1, t);
			continue;
		}
		if (!contact.active || !options.updateExisting) {
			item.reason = contact.active
				? 'Update Existing Contacts is off: existing contacts are left as they are'
				: 'No Microsoft 365 user matches this contact and it is already inactive';
			emit('unchanged', item, -1, t);
			continue;
		}
		const shared = contact.emails.filter((address) => sharedAddresses.has(address));
		if (shared.length > 0) {
			const group = sharedAddresses.get(shared[0]) ?? [];
			review(
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
		if (input.hold?.deactivations) {
			review(
				{
					problem: 'heldDeactivation',
					message: input.hold.deactivations,
					heldAction: 'deactivate',
				},
				[],
				[t],
				item,
			);
		} else {
			deactivations.push({
				entry: { output: 'deactivate', item, source: -1, target: t },
				why: goneUser !== undefined ? 'user deleted' : 'no such user',
			});
		}
	}

	for (const entry of heldCreates) {
		review(
			{ problem: 'heldCreate', message: input.hold?.creates ?? '', heldAction: 'create' },
			[entry.source],
			[],
			entry.item,
		);
	}

	if (!options.companyId && counts.create > 0) {
		const first = entries.find((entry) => entry.output === 'create');
		throw new InputError(
			'Company ID for New Contacts',
			`Company ID for New Contacts is empty, but ${counts.create} new contact(s) need a company (the first is ${first?.item.email})`,
			'Set "Company ID for New Contacts" to the id of the PSA company new contacts belong to.',
		);
	}
	const guard =
		checkCreates(counts.create, target.length, previous, options) ??
		checkGuard(deactivations, synced, scopeCount, options);
	for (const { entry } of deactivations) emit('deactivate', entry.item, entry.source, entry.target);
	return { entries, state: next, counts, guard };
}

interface FieldOutcome {
	written: number;
	reason: string;
	/** Whether any slot differs from what was saved. */
	slotsChanged: boolean;
}

/**
 * The per-field rule, writing into `item` and the slot arrays. A blank source value never writes.
 * Mirror writes every difference. Changes Only writes a difference when the field was never
 * synced (initial alignment), when Microsoft 365 changed it since the last sync, or when our last
 * write never landed (the PSA still holds the value it had before it); a PSA value someone
 * changed after a sync is kept.
 */
function alignFields(
	user: CanonicalContact,
	contact: CanonicalContact,
	mode: ReconcileMode,
	enabled: readonly boolean[],
	sourceHashes: number[],
	pendingHashes: number[],
	item: ContactPlanItem,
): FieldOutcome {
	let written = 0;
	let slotsChanged = false;
	let first: string[] | undefined;
	let changed: string[] | undefined;
	let retried: string[] | undefined;
	let mirrored: string[] | undefined;
	let kept: string[] | undefined;
	for (let i = 0; i < SLOT_FIELDS.length; i++) {
		if (!enabled[i]) continue;
		const field = SLOT_FIELDS[i];
		const phone = PHONE_SLOT[i];
		const wanted = user[field];
		const current = contact[field];
		const savedSource = sourceHashes[i];
		const savedPending = pendingHashes[i];
		const sourceHash = hashOf(phone, wanted);
		sourceHashes[i] = sourceHash;
		pendingHashes[i] = NO_HASH;
		if (sameValue(phone, wanted, current) || isBlankValue(phone, wanted)) {
			if (savedSource !== sourceHash || savedPending !== NO_HASH) slotsChanged = true;
			continue;
		}
		const label = FIELD_LABELS[field];
		const currentHash = hashOf(phone, current);
		if (mode === 'mirror') (mirrored ??= []).push(label);
		else if (savedSource === NO_HASH) (first ??= []).push(label);
		else if (savedSource !== sourceHash) (changed ??= []).push(label);
		else if (savedPending !== NO_HASH && savedPending === currentHash) (retried ??= []).push(label);
		else {
			(kept ??= []).push(label);
			if (savedSource !== sourceHash || savedPending !== NO_HASH) slotsChanged = true;
			continue;
		}
		slotsChanged = true;
		pendingHashes[i] = currentHash;
		item.changes[field] = wanted;
		item.before[field] = current;
		item.after[field] = wanted;
		written++;
	}
	const parts: string[] = [];
	if (changed) parts.push(`changed in Microsoft 365: ${changed.join(', ')}`);
	if (first) parts.push(`first sync, aligned to Microsoft 365: ${first.join(', ')}`);
	if (retried) parts.push(`earlier write not applied, written again: ${retried.join(', ')}`);
	if (mirrored) parts.push(`Mirror mode: ${mirrored.join(', ')}`);
	if (kept) parts.push(`edited in the PSA and kept: ${kept.join(', ')}`);
	return { written, reason: parts.join('; '), slotsChanged };
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function checkGuard(
	deactivations: ReadonlyArray<{ entry: PlanEntry; why: string }>,
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
function checkCreates(
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
