import {
	decodeHash,
	encodeHash,
	hashText,
	NO_HASH,
	readScopeState,
	stateLine,
	writeScopeState,
} from '../reconcile/state';
import type { SyncStateRoot } from '../reconcile/state';

/**
 * The device sync's memory between runs, in the node's static data with the contact sync's
 * layout (`{v, scopes}`, one string per scope, lib/reconcile/state.ts), scope "devices":
 *
 *   #|<slot>,<slot>,...                 the slot names, in the order every line uses
 *   <device uid>|<item id>|<day>|<hash>,<hash>,...
 *
 * - `item id`: the configuration item the slots describe (another item, e.g. after a move, starts
 *   afresh);
 * - `day`: the device's lastSeen (days since 1970) as last seen in Datto, or the day it was first
 *   missed: the grace period before deactivation counts from it;
 * - one slot per synced field: the hash of the value the device (or the mapping) had when the item
 *   was last brought in line, '' when never. Slots are named (field names, `udf:<name>`,
 *   `isActive`), so a changed mapping never misreads them.
 * A field whose item value differs from the device's is written when the device's value differs
 * from its slot (it changed in Datto) or the slot is empty (first sync); otherwise someone edited
 * the item in Autotask and the edit is kept.
 */
export const DEVICE_SCOPE = 'devices';

const HEADER_ID = '#';
const DAY_MS = 86_400_000;

export interface DeviceRecord {
	/** The item the slots describe; undefined when none yet. */
	itemId?: number;
	/** Days since 1970 of the device's last sighting; undefined when unknown. */
	lastSeenDay?: number;
	/** Slot name → hash of the value last brought in line. */
	slots: Map<string, number>;
}

export type DeviceState = Map<string, DeviceRecord>;

export function dayOf(time: number): number {
	return Math.floor(time / DAY_MS);
}

export function timeOfDay(day: number): number {
	return day * DAY_MS;
}

/** The saved records, by device key; empty when there are none or they are not in a shape we wrote. */
export function readDeviceState(root: unknown): DeviceState {
	const scope = readScopeState(root, DEVICE_SCOPE);
	const state: DeviceState = new Map();
	const header = scope.index.get(HEADER_ID);
	if (header === undefined) return state;
	const names = scope.records[header].split(',');
	for (let i = 0; i < scope.ids.length; i++) {
		if (i === header) continue;
		const parts = scope.records[i].split('|');
		if (parts.length !== 3) continue;
		const itemId = Number(parts[0]);
		const day = Number(parts[1]);
		const slots = new Map<string, number>();
		const hashes = parts[2] ? parts[2].split(',') : [];
		for (let s = 0; s < hashes.length && s < names.length; s++) {
			const hash = hashes[s] ? decodeHash(hashes[s], 0) : NO_HASH;
			if (hash !== NO_HASH && hashes[s].length === 6) slots.set(names[s], hash);
		}
		state.set(scope.ids[i], {
			itemId: parts[0] && Number.isSafeInteger(itemId) ? itemId : undefined,
			lastSeenDay: parts[1] && Number.isSafeInteger(day) ? day : undefined,
			slots,
		});
	}
	return state;
}

/** A new static-data root holding `state` (other scopes kept). */
export function writeDeviceState(root: unknown, state: DeviceState): SyncStateRoot {
	const names: string[] = [];
	const position = new Map<string, number>();
	for (const record of state.values()) {
		for (const name of record.slots.keys()) {
			if (!position.has(name)) {
				position.set(name, names.length);
				names.push(name);
			}
		}
	}
	const lines: string[] = [];
	if (state.size > 0) {
		lines.push(stateLine(HEADER_ID, names.join(',')));
		for (const [key, record] of state) {
			const hashes: string[] = new Array(names.length).fill('');
			for (const [name, hash] of record.slots) hashes[position.get(name)!] = encodeHash(hash);
			let last = hashes.length;
			while (last > 0 && hashes[last - 1] === '') last--;
			lines.push(
				stateLine(
					key,
					`${record.itemId ?? ''}|${record.lastSeenDay ?? ''}|${hashes.slice(0, last).join(',')}`,
				),
			);
		}
	}
	return writeScopeState(root, DEVICE_SCOPE, lines);
}

/** The hash a slot keeps for a value as compared. */
export function valueHash(comparableValue: string): number {
	return hashText(comparableValue);
}

/** The slot name of a synced field (without the separators a state line uses). */
export function slotName(field: { field: string; udf: boolean }): string {
	const name = field.udf ? `udf:${field.field.toLowerCase()}` : field.field;
	return name.replace(/[,|\r\n]/g, ' ');
}

/** The slot that remembers whether the device was present (active) or gone (inactive). */
export const PRESENCE_SLOT = 'isActive';
export const PRESENT = valueHash('active');
export const GONE = valueHash('inactive');
