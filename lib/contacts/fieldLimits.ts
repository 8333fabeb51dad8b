/**
 * Values longer than a PSA field allows: cut at the limit (at a word boundary where one is near)
 * and reported, so the contact is still written and the sync converges instead of failing on the
 * same user every run. The limits are the tenant's (Autotask's field metadata; ConnectWise's, see
 * lib/contacts/connectwiseInput.ts), never assumed here.
 */

import type { FieldLimits } from './canonical';
import { SYNC_FIELDS } from './canonical';

/** Whether `value` is a contact's `limits` as the PSA nodes emit them: positive whole numbers by sync field. */
export function isFieldLimits(value: unknown): value is FieldLimits {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	return Object.entries(value).every(
		([field, limit]) =>
			(SYNC_FIELDS as readonly string[]).includes(field) &&
			typeof limit === 'number' &&
			Number.isSafeInteger(limit) &&
			limit > 0,
	);
}

/** A value written shorter than given: on the writer's output item, under `truncated`. */
export interface TruncatedValue {
	/** The field as the item names it (a plan item's `title`, a node's `Title`). */
	field: string;
	/** The tenant's limit for the field. */
	limit: number;
	/** The value's length as given. */
	length: number;
	/** What was written. */
	written: string;
}

/** A word boundary counts when it keeps at least this share of the limit. */
const WORD_BOUNDARY_SHARE = 0.6;
const TRAILING = /[\s,;:/(\-–—&+]+$/u;

/**
 * `value` cut to at most `limit` characters: at the last space that keeps most of it (never a
 * half word when a boundary is near), else at the limit; trailing separators are dropped and a
 * surrogate pair is never split. Values within the limit come back unchanged.
 */
export function truncateToLimit(value: string, limit: number): string {
	if (!(limit > 0) || value.length <= limit) return value;
	let cut = limit;
	const code = value.charCodeAt(cut - 1);
	if (code >= 0xd800 && code <= 0xdbff) cut--;
	const boundary = value.lastIndexOf(' ', limit);
	const wordCut = boundary >= Math.ceil(limit * WORD_BOUNDARY_SHARE);
	const head = value.slice(0, wordCut ? boundary : cut).replace(TRAILING, '');
	return head || value.slice(0, cut);
}

/**
 * Whether the PSA's `current` value is what writing `wanted` under `limit` leaves: then the two
 * are in sync and nothing is planned (a second run does not write the cut value again).
 */
export function isTruncationOf(
	wanted: string,
	current: string,
	limit: number | undefined,
): boolean {
	return limit !== undefined && wanted.length > limit && truncateToLimit(wanted, limit) === current;
}
