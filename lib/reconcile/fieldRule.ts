import type { CanonicalContact, ContactPlanItem, SyncField } from '../contacts/canonical';
import { isTruncationOf } from '../contacts/fieldLimits';
import { hashDigits, hashText, NO_HASH, SLOT_FIELDS } from './state';
import type { ReconcileMode } from './types';

const FIELD_LABELS: Record<SyncField, string> = {
	firstName: 'first name',
	lastName: 'last name',
	title: 'title',
	phone: 'phone',
	mobile: 'mobile',
	email: 'email',
};

const HASH_OF_BLANK = hashText('');

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

/** Which slots the sync compares: the fields chosen, in SLOT_FIELDS order. */
export function enabledSlots(fields: readonly SyncField[]): boolean[] {
	return SLOT_FIELDS.map((field) => fields.includes(field));
}

/**
 * A new contact's fields: every non-blank value of the enabled fields (and the address, always).
 * Its slots start afresh: the value is written now, and the PSA held nothing before.
 */
export function newContactFields(
	user: CanonicalContact,
	enabled: readonly boolean[],
	sourceHashes: number[],
	pendingHashes: number[],
	item: ContactPlanItem,
): void {
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
}

export interface FieldOutcome {
	written: number;
	reason: string;
	/** Whether any slot differs from what was saved. */
	slotsChanged: boolean;
}

/**
 * The per-field rule for a matched contact (docs/adr/contact-sync-field-rule.md), writing into
 * `item` and the slot arrays (which hold the saved slots on entry): a blank never writes, Mirror
 * writes every difference, Changes Only what changed in Microsoft 365 or never landed.
 */
export function alignFields(
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
		// A value the PSA holds cut at its field's length is the longer one, written as far as it fits.
		if (
			sameValue(phone, wanted, current) ||
			isBlankValue(phone, wanted) ||
			isTruncationOf(wanted, current, contact.limits?.[field])
		) {
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
