import type { SyncField } from '../contacts/canonical';

/**
 * The contact sync's memory between runs, in the workflow's static data (node scope), and the
 * only reader of its format (docs/adr/contact-sync-state-one-string-per-scope.md):
 *
 *   { v: 1, scopes: { "<targetSystem>:<companyId>": "<record>\n<record>..." } }
 *
 * One line per user, `id|t|m|f`: the user id (percent-encoded if it holds '|', '%' or a line
 * break), the PSA contact id, the address hash while that id is unknown, and the field slots
 * ('' never evaluated, `s` source hash, `s~p` with the PSA value's hash before a planned write).
 */
export const STATE_VERSION = 1;

/** Slot order of `f`. Append only: reordering would misread saved state. */
export const SLOT_FIELDS: readonly SyncField[] = [
	'firstName',
	'lastName',
	'title',
	'phone',
	'mobile',
	'email',
];

/** Saved records of one scope, in saved order, with an index by user id. */
export interface ScopeState {
	readonly ids: readonly string[];
	/** `t|m|f` of each user. */
	readonly records: readonly string[];
	/** User id -> position in `ids` and `records`. */
	readonly index: ReadonlyMap<string, number>;
}

export interface SyncStateRoot {
	v: number;
	scopes: Record<string, string>;
}

interface UserRecord {
	t: string;
	m: string;
	f: string;
}

/** One workflow can feed several PSA companies (or PSAs): each keeps its own memory. */
export function scopeKey(targetSystem: string, companyId: string): string {
	return `${targetSystem}:${companyId}`;
}

/** The saved records of one scope; empty when there are none or they are not in a shape we wrote. */
export function readScopeState(root: unknown, key: string): ScopeState {
	const ids: string[] = [];
	const records: string[] = [];
	const index = new Map<string, number>();
	const blob = isRoot(root) ? root.scopes[key] : undefined;
	if (typeof blob !== 'string') return { ids, records, index };
	let start = 0;
	while (start < blob.length) {
		let end = blob.indexOf('\n', start);
		if (end < 0) end = blob.length;
		const bar = blob.indexOf('|', start);
		if (bar > start && bar < end) {
			const raw = blob.slice(start, bar);
			const id = raw.includes('%') ? safeDecode(raw) : raw;
			if (!index.has(id)) {
				index.set(id, ids.length);
				ids.push(id);
				records.push(blob.slice(bar + 1, end));
			}
		}
		start = end + 1;
	}
	return { ids, records, index };
}

/** One saved line: the user id (percent-encoded when it holds a separator) and its record. */
export function stateLine(userId: string, record: string): string {
	return `${UNSAFE_ID.test(userId) ? encodeURIComponent(userId) : userId}|${record}`;
}

/** A new root with `key` replaced by `lines` (dropped when empty) and every other scope kept. */
export function writeScopeState(
	root: unknown,
	key: string,
	lines: readonly string[],
): SyncStateRoot {
	const scopes: Record<string, string> = {};
	if (isRoot(root)) {
		for (const other of Object.keys(root.scopes)) {
			if (other !== key && typeof root.scopes[other] === 'string')
				scopes[other] = root.scopes[other];
		}
	}
	if (lines.length > 0) scopes[key] = lines.join('\n');
	return { v: STATE_VERSION, scopes };
}

const UNSAFE_ID = /[|%\r\n]/;

function safeDecode(id: string): string {
	try {
		return decodeURIComponent(id);
	} catch {
		return id;
	}
}

function isRoot(value: unknown): value is SyncStateRoot {
	const root = value as Partial<SyncStateRoot> | null;
	return (
		!!root &&
		typeof root === 'object' &&
		root.v === STATE_VERSION &&
		!!root.scopes &&
		typeof root.scopes === 'object'
	);
}

const BAR = 124;

/** Where the `f` part of a record starts (after the second '|'); -1 if it is not a record. */
function slotsStart(record: string): number {
	const first = record.indexOf('|');
	const second = first < 0 ? -1 : record.indexOf('|', first + 1);
	return second < 0 ? -1 : second + 1;
}

/** Whether the record's contact id is `contactId`, without slicing. */
function recordTargetIs(record: string, contactId: string): boolean {
	return record.charCodeAt(contactId.length) === BAR && record.startsWith(contactId);
}

function formatRecord(t: string, m: string, f: string): string {
	return `${t}|${t ? '' : m}|${f}`;
}

/** The contact id a record links its user to; '' while it awaits the contact created for the user. */
export function recordContact(record: string): string {
	const first = record.indexOf('|');
	return first < 0 ? '' : record.slice(0, first);
}

/** Whether a saved record links its user to `contactId`. */
export function isRecordOf(record: string | undefined, contactId: string): boolean {
	return record !== undefined && recordTargetIs(record, contactId);
}

/**
 * Where the slots of a user's record start when they describe `contactId`: the record links to
 * that contact, or has no contact yet (it belongs to the contact created for the user, which is
 * adopted). -1 when they describe another contact (or there is no record): slots start afresh.
 */
export function slotsFor(record: string | undefined, contactId: string): number {
	if (record === undefined) return -1;
	return recordTargetIs(record, contactId) || record.charCodeAt(0) === BAR
		? slotsStart(record)
		: -1;
}

/** The record linking its user to `contactId`, keeping the slots from `slotsFrom` (see slotsFor). */
export function relinkedRecord(record: string, contactId: string, slotsFrom: number): string {
	return formatRecord(contactId, '', slotsFrom < 0 ? '' : record.slice(slotsFrom));
}

/** The slots of `record` from `slotsFrom` (see slotsFor) into the arrays; all NO_HASH when -1. */
export function readSlots(
	record: string,
	slotsFrom: number,
	sourceHashes: number[],
	pendingHashes: number[],
): void {
	parseSlots(record, slotsFrom < 0 ? record.length + 1 : slotsFrom, sourceHashes, pendingHashes);
}

/** The record of a user synced with `contactId`, with these slots. */
export function contactRecord(
	contactId: string,
	sourceHashes: readonly number[],
	pendingHashes: readonly number[],
): string {
	return formatRecord(contactId, '', formatSlots(sourceHashes, pendingHashes));
}

/**
 * The record of a user whose contact is being created: its id is not known yet, so the record
 * remembers a hash of the address the contact is created with.
 */
export function newContactRecord(
	email: string,
	sourceHashes: readonly number[],
	pendingHashes: readonly number[],
): string {
	return formatRecord('', hashEmail(email), formatSlots(sourceHashes, pendingHashes));
}

/** How many saved records link their user to a PSA contact (not only await a created one). */
export function linkedRecordCount(state: ScopeState): number {
	let linked = 0;
	for (const record of state.records) if (record.charCodeAt(0) !== BAR) linked++;
	return linked;
}

/** Saved users absent from this run's source, found by the contact they were synced with. */
export interface GoneUsers {
	/** The record position of the gone user synced with this contact, if any. */
	find(contact: { id: string; emails: readonly string[] }): number | undefined;
}

/**
 * The records whose user is not `seen` this run. A record names its contact by id; one that
 * never learnt the id names it by the hash of the address it was created with.
 */
export function goneUsers(state: ScopeState, seen: Uint8Array): GoneUsers {
	const byId = new Map<string, number>();
	const byEmail = new Map<string, number>();
	for (let p = 0; p < state.ids.length; p++) {
		if (seen[p]) continue;
		const saved = parseRecord(state.records[p]);
		if (saved.t) byId.set(saved.t, p);
		else if (saved.m) byEmail.set(saved.m, p);
	}
	return {
		find(contact) {
			let gone = byId.size > 0 ? byId.get(contact.id) : undefined;
			if (gone === undefined && byEmail.size > 0) {
				for (const address of contact.emails) {
					gone = byEmail.get(hashEmail(address));
					if (gone !== undefined) break;
				}
			}
			return gone;
		},
	};
}

function parseRecord(record: string): UserRecord {
	const first = record.indexOf('|');
	const second = first < 0 ? -1 : record.indexOf('|', first + 1);
	if (second < 0) return { t: '', m: '', f: '' };
	return {
		t: record.slice(0, first),
		m: record.slice(first + 1, second),
		f: record.slice(second + 1),
	};
}

/** Slot value meaning "nothing saved". Hashes are unsigned 32-bit, so -1 never collides. */
export const NO_HASH = -1;

/**
 * Field slots of a record, parsed from `record` starting at `from` (the `f` part) into
 * caller-owned arrays, allocating nothing: `sourceHashes[i]` is the saved source hash of
 * SLOT_FIELDS[i] and `pendingHashes[i]` the PSA value hash before our write (NO_HASH if none).
 */
function parseSlots(
	record: string,
	from: number,
	sourceHashes: number[],
	pendingHashes: number[],
): void {
	let start = from;
	for (let i = 0; i < SLOT_FIELDS.length; i++) {
		sourceHashes[i] = NO_HASH;
		pendingHashes[i] = NO_HASH;
		if (start > record.length) continue;
		let end = record.indexOf(',', start);
		if (end < 0) end = record.length;
		if (end - start === HASH_LENGTH) {
			sourceHashes[i] = decodeHash(record, start);
		} else if (
			end - start === 2 * HASH_LENGTH + 1 &&
			record.charCodeAt(start + HASH_LENGTH) === TILDE
		) {
			sourceHashes[i] = decodeHash(record, start);
			pendingHashes[i] = decodeHash(record, start + HASH_LENGTH + 1);
		}
		start = end + 1;
	}
}

function formatSlots(sourceHashes: readonly number[], pendingHashes: readonly number[]): string {
	let last = -1;
	for (let i = 0; i < SLOT_FIELDS.length; i++) if (sourceHashes[i] !== NO_HASH) last = i;
	let text = '';
	for (let i = 0; i <= last; i++) {
		if (i > 0) text += ',';
		if (sourceHashes[i] === NO_HASH) continue;
		text += encodeHash(sourceHashes[i]);
		if (pendingHashes[i] !== NO_HASH) text += `~${encodeHash(pendingHashes[i])}`;
	}
	return text;
}

const TILDE = 126;
const HASH_LENGTH = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-';
const DIGIT = Array.from(ALPHABET, (char) => char.charCodeAt(0));
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGIT.length; i++) VALUE[DIGIT[i]] = i;

/** An unsigned 32-bit hash as six characters of [0-9A-Za-z_-]. */
export function encodeHash(hash: number): string {
	return String.fromCharCode(
		DIGIT[hash & 63],
		DIGIT[(hash >>> 6) & 63],
		DIGIT[(hash >>> 12) & 63],
		DIGIT[(hash >>> 18) & 63],
		DIGIT[(hash >>> 24) & 63],
		DIGIT[hash >>> 30],
	);
}

/** The hash six characters at `start` of `text` encode; NO_HASH if they are not a hash. */
export function decodeHash(text: string, start: number): number {
	let hash = 0;
	for (let i = HASH_LENGTH - 1; i >= 0; i--) {
		const code = text.charCodeAt(start + i);
		const value = code < 128 ? VALUE[code] : -1;
		if (value < 0 || (i === HASH_LENGTH - 1 && value > 3)) return NO_HASH;
		hash = hash * 64 + value;
	}
	return hash;
}

/** 32-bit FNV-1a of a compared value. */
export function hashText(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** `hashText(phoneDigits(text))` for cleaned text, without building the digit string. */
export function hashDigits(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 48 || code > 57) continue;
		hash ^= code;
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
 * 64-bit hash of an address (two independent 32-bit mixes), twelve characters. Wider than field
 * hashes because it is looked up among every unmatched PSA contact's addresses, where a false hit
 * would mark someone else's contact as ours.
 */
export function hashEmail(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
	h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
	h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return encodeHash(h1 >>> 0) + encodeHash(h2 >>> 0);
}
