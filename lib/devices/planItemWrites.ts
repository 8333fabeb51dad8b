import type { Customer } from '../customers/map';
import { InputError } from '../transport/http';
import { attempt } from '../util/settled';
import { alignItem, newItemFields } from './align';
import type { Alignment } from './align';
import { deviceName } from './device';
import type { Device } from './device';
import { createdNote, DEVICE_UID_FIELD } from './fields';
import type { MappedValues, SyncedField } from './fields';
import type { Item } from './item';
import { itemName } from './item';
import { customerOf, invalidValue, moveNote, NEW_ITEM_ID, review, summary } from './planEntries';
import type { Base } from './planEntries';
import { GONE, PRESENCE_SLOT, PRESENT } from './state';
import type { DeviceRecord } from './state';
import type { DevicePlanEntry, DeviceSyncInput, ReplacedItem } from './types';

/**
 * The device sync's plan for a device with a configuration item (planMatched: brought in line,
 * linked, reactivated) and for a device without one (planCreate: a new item, replacing the one
 * in its old company when it moved).
 */

export function planMatched(
	input: DeviceSyncInput,
	device: Device,
	match: Item,
	mapped: MappedValues,
	fields: { device: SyncedField[]; mapping: SyncedField[] },
	base: Base & { companyId: number },
	how: string,
): DevicePlanEntry {
	const { options, schema } = input;
	const previous = input.state.get(device.key);
	const saved = previous?.itemId === match.id ? previous.slots : new Map<string, number>();
	const entryBase = {
		tracked: true,
		deviceKey: device.key,
		device: summary(device),
		customer: customerOf(base.customer),
		companyId: base.companyId,
		configurationItemId: match.id,
	};
	const reactivate = !match.active && saved.get(PRESENCE_SLOT) === GONE;
	if (!match.active && !reactivate) {
		return {
			...entryBase,
			output: 'unchanged',
			changes: {},
			before: {},
			after: {},
			reason: `${itemName(match)} is inactive in Autotask (someone deactivated it): left as it is`,
			record: {
				itemId: match.id,
				lastSeenDay: base.keep?.lastSeenDay,
				slots: new Map([...saved, [PRESENCE_SLOT, PRESENT]]),
			},
		};
	}
	const synced = match.ours ? [...fields.device, ...fields.mapping] : fields.device;
	const aligned = attempt(() => alignItem(device, match, synced, mapped, saved, schema));
	if (!aligned.ok) return invalidValue(device, aligned.error, { ...base, itemIds: [match.id] });
	const alignment: Alignment = aligned.value;
	const reasons: string[] = [];
	if (reactivate) {
		alignment.fields.isActive = true as unknown as string;
		alignment.changes.isActive = true;
		alignment.before.isActive = false;
		alignment.after.isActive = true;
		reasons.push('the device is back in Datto RMM: reactivated');
	}
	if (match.deviceKey !== device.key) {
		const keyName = options.keyUdf ? `UDF ${options.keyUdf}` : DEVICE_UID_FIELD;
		if (options.keyUdf) alignment.udfs.push({ name: options.keyUdf, value: device.uid });
		else alignment.fields[DEVICE_UID_FIELD] = device.uid;
		alignment.changes[keyName] = device.uid;
		alignment.before[keyName] = options.keyUdf
			? (match.udfs.get(options.keyUdf.toLowerCase()) ?? null)
			: (match.record[DEVICE_UID_FIELD] ?? null);
		alignment.after[keyName] = device.uid;
		reasons.push(`${how || 'linked'}: the device's uid is written on it`);
	}
	if (alignment.reason) reasons.push(alignment.reason);
	if (!match.ours) reasons.push('created by someone else: only device fields are kept in line');
	alignment.slots.set(PRESENCE_SLOT, PRESENT);
	const record: DeviceRecord = {
		itemId: match.id,
		lastSeenDay: base.keep?.lastSeenDay,
		slots: alignment.slots,
	};
	const writes = Object.keys(alignment.fields).length + alignment.udfs.length;
	if (writes === 0) {
		return {
			...entryBase,
			output: 'unchanged',
			changes: {},
			before: {},
			after: {},
			reason: reasons.join('; ') || 'in line with the device',
			record,
		};
	}
	const body: Record<string, unknown> = { id: match.id, ...alignment.fields };
	if (alignment.udfs.length) body.userDefinedFields = alignment.udfs;
	return {
		...entryBase,
		output: 'update',
		changes: alignment.changes,
		before: alignment.before,
		after: alignment.after,
		reason: reasons.join('; '),
		body,
		record,
		keep: base.keep,
	} as DevicePlanEntry;
}

export function planCreate(
	input: DeviceSyncInput,
	device: Device,
	mapped: MappedValues,
	fields: { device: SyncedField[]; mapping: SyncedField[] },
	base: Base & { customer: Customer; companyId: number },
	elsewhere: Item[],
	companyCustomer: ReadonlyMap<number, Customer>,
): DevicePlanEntry {
	const { options, schema } = input;
	const made = attempt(() =>
		newItemFields(device, [...fields.device, ...fields.mapping], mapped, schema),
	);
	if (!made.ok) return invalidValue(device, made.error, { ...base, itemIds: [] });
	const alignment = made.value;
	const body: Record<string, unknown> = {
		companyID: base.companyId,
		isActive: true,
		...alignment.fields,
	};
	if (options.keyUdf) alignment.udfs.push({ name: options.keyUdf, value: device.uid });
	else body[DEVICE_UID_FIELD] = device.uid;
	if (schema.writable('notes')) body.notes = createdNote(device);
	if (alignment.udfs.length) body.userDefinedFields = alignment.udfs;
	const missing = schema
		.required()
		.filter((name) => body[name] === undefined || body[name] === null || body[name] === '');
	if (missing.length) {
		const message = `Device ${deviceName(device)}: Autotask requires ${missing.join(', ')} on a new configuration item, and the sync has no value for ${missing.length === 1 ? 'it' : 'them'}: no configuration item was created`;
		const entry = review(device, 'requiredField', message, { ...base, itemIds: [] });
		entry.error = new InputError(
			missing[0],
			message,
			missing.includes('configurationItemType')
				? 'Set a Configuration Item Type on the device type rule, or a Default Configuration Item Type.'
				: 'Map a value for it, or ask the Autotask administrator whether the field must be required.',
		);
		return entry;
	}
	const changes: Record<string, unknown> = { ...body, ...alignment.changes };
	delete changes.userDefinedFields;
	if (options.keyUdf) changes[`UDF ${options.keyUdf}`] = device.uid;
	const replaces: ReplacedItem[] = elsewhere.map((old) => ({
		configurationItemId: old.id,
		companyId: old.companyId,
		customer: companyCustomer.get(old.companyId)?.name,
		notes: [
			typeof old.record.notes === 'string' ? old.record.notes.trim() : '',
			moveNote(device, base.customer, base.companyId, NEW_ITEM_ID, options.now),
		]
			.filter(Boolean)
			.join('\n'),
	}));
	const reasons = [
		`new device: no configuration item of company ${base.companyId} carries its uid${device.serialNumber ? ' or serial number' : ''}`,
	];
	if (replaces.length)
		reasons.push(
			`it moved from ${replaces.map((old) => `${old.customer ?? 'company'} (company ${old.companyId}, item ${old.configurationItemId})`).join(', ')}, whose item is deactivated with a note naming the new one`,
		);
	alignment.slots.set(PRESENCE_SLOT, PRESENT);
	return {
		output: 'create',
		tracked: true,
		deviceKey: device.key,
		device: summary(device),
		customer: customerOf(base.customer),
		companyId: base.companyId,
		changes,
		before: {},
		after: changes,
		reason: reasons.join('; '),
		replaces: replaces.length ? replaces : undefined,
		body,
		record: { itemId: undefined, lastSeenDay: base.keep?.lastSeenDay, slots: alignment.slots },
		keep: base.keep,
	} as DevicePlanEntry;
}
