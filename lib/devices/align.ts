import { InputError } from '../transport/http';
import type { Device } from './device';
import { deviceName } from './device';
import { comparable, writeValue } from './fields';
import type { ItemSchema, MappedValues, SyncedField } from './fields';
import type { Item } from './item';
import { itemValue } from './item';
import { slotName, valueHash } from './state';

/** What aligning one item with its device found: what to write and the slots to keep. */
export interface Alignment {
	/** Field → value to write (UDFs apart). */
	fields: Record<string, string | number>;
	udfs: Array<{ name: string; value: string }>;
	/** For the output, by label-free field name ("UDF <name>" for UDFs). */
	changes: Record<string, unknown>;
	before: Record<string, unknown>;
	after: Record<string, unknown>;
	slots: Map<string, number>;
	reason: string;
}

const display = (field: SyncedField) => (field.udf ? `UDF ${field.field}` : field.field);

/** A wanted value longer than the tenant's field takes: the device's write fails, naming the field. */
export function checkLength(
	device: Device,
	field: SyncedField,
	value: string,
	schema: ItemSchema,
): void {
	const max = field.udf ? 0 : schema.length(field.field);
	if (max > 0 && value.length > max) {
		throw new InputError(
			field.field,
			`Device ${deviceName(device)}: its ${field.label} is ${value.length} characters, more than the ${max} Autotask's ${field.field} takes`,
			`Shorten the value in Datto RMM, or leave ${field.field} out of the sync (Autotask refuses the whole write otherwise).`,
		);
	}
}

/**
 * The per-field rule for an item linked to a device (lib/devices/state.ts): a blank device value
 * never writes; an equal value writes nothing; a difference is written when the field was never
 * synced for this item (first sync), or the device's value changed since the last sync; otherwise
 * someone edited the item in Autotask and the edit is kept. `saved` holds the item's slots (empty
 * for a first sync).
 */
export function alignItem(
	device: Device,
	item: Item,
	fields: readonly SyncedField[],
	mapped: MappedValues,
	saved: ReadonlyMap<string, number>,
	schema: ItemSchema,
): Alignment {
	const out: Alignment = {
		fields: {},
		udfs: [],
		changes: {},
		before: {},
		after: {},
		slots: new Map(),
		reason: '',
	};
	const first: string[] = [];
	const changed: string[] = [];
	const kept: string[] = [];
	for (const field of fields) {
		const slot = slotName(field);
		const wanted = field.wanted(device, mapped);
		if (wanted === undefined) {
			// Not known this run (an audit not read): the slot stays as it was.
			const previous = saved.get(slot);
			if (previous !== undefined) out.slots.set(slot, previous);
			continue;
		}
		const want = comparable(field.kind, wanted);
		const hash = valueHash(want);
		const current = itemValue(item, field);
		const previous = saved.get(slot);
		if (want === '' || want === current) {
			out.slots.set(slot, hash);
			continue;
		}
		if (previous !== undefined && previous === hash) {
			kept.push(field.label);
			out.slots.set(slot, previous);
			continue;
		}
		(previous === undefined ? first : changed).push(field.label);
		checkLength(device, field, wanted, schema);
		out.slots.set(slot, hash);
		const name = display(field);
		if (field.udf) out.udfs.push({ name: field.field, value: wanted });
		else out.fields[field.field] = writeValue(field.kind, wanted);
		out.changes[name] = field.udf ? wanted : writeValue(field.kind, wanted);
		out.before[name] = field.udf
			? (item.udfs.get(field.field.toLowerCase()) ?? null)
			: (item.record[field.field] ?? null);
		out.after[name] = out.changes[name];
	}
	const parts: string[] = [];
	if (changed.length) parts.push(`changed in Datto RMM: ${changed.join(', ')}`);
	if (first.length) parts.push(`first sync, aligned to Datto RMM: ${first.join(', ')}`);
	if (kept.length) parts.push(`edited in Autotask and kept: ${kept.join(', ')}`);
	out.reason = parts.join('; ');
	return out;
}

/** A new item's fields: every non-blank value (slots record them as written, blanks as blank). */
export function newItemFields(
	device: Device,
	fields: readonly SyncedField[],
	mapped: MappedValues,
	schema: ItemSchema,
): Alignment {
	const out: Alignment = {
		fields: {},
		udfs: [],
		changes: {},
		before: {},
		after: {},
		slots: new Map(),
		reason: '',
	};
	for (const field of fields) {
		const wanted = field.wanted(device, mapped);
		if (wanted === undefined) continue;
		const want = comparable(field.kind, wanted);
		out.slots.set(slotName(field), valueHash(want));
		if (want === '') continue;
		checkLength(device, field, wanted, schema);
		const name = display(field);
		if (field.udf) out.udfs.push({ name: field.field, value: wanted });
		else out.fields[field.field] = writeValue(field.kind, wanted);
		out.changes[name] = field.udf ? wanted : writeValue(field.kind, wanted);
		out.after[name] = out.changes[name];
	}
	return out;
}
