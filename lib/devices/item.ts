import { cleanText } from '../contacts/normalize';
import { serialKey, usableSerial } from './device';
import { comparable, DEVICE_UID_FIELD, isCreatedBySync } from './fields';
import type { SyncedField } from './fields';

/** An Autotask configuration item as the device sync reads it; `record` is the item as Autotask sent it. */
export interface Item {
	id: number;
	companyId: number;
	active: boolean;
	/** The device uid it is linked to (lower-cased); '' when none. */
	deviceKey: string;
	/** Its serial number as compared (see serialKey); '' when none or a placeholder. */
	serial: string;
	/** It carries this sync's creation mark (see CREATED_MARK). */
	ours: boolean;
	record: Record<string, unknown>;
	/** UDF values by lower-cased name. */
	udfs: Map<string, string>;
}

/**
 * Reads one configuration item. The device uid is looked for in `keyUdf` (when the node keeps
 * it in a UDF) and in rmmDeviceUID (where the Datto RMM integration and, by default, this sync
 * keep it). Undefined for a record without a numeric id.
 */
export function readItem(record: Record<string, unknown>, keyUdf?: string): Item | undefined {
	const id = Number(record.id);
	if (!Number.isSafeInteger(id) || id <= 0) return undefined;
	const udfs = new Map<string, string>();
	if (Array.isArray(record.userDefinedFields)) {
		for (const udf of record.userDefinedFields as Array<{ name?: unknown; value?: unknown }>) {
			if (udf && typeof udf.name === 'string')
				udfs.set(udf.name.toLowerCase(), cleanText(udf.value));
		}
	}
	const fromUdf = keyUdf ? (udfs.get(keyUdf.toLowerCase()) ?? '') : '';
	const deviceKey = (fromUdf || cleanText(record[DEVICE_UID_FIELD])).toLowerCase();
	return {
		id,
		companyId: Number(record.companyID),
		active: record.isActive === true || record.isActive === 1 || record.isActive === 'true',
		deviceKey,
		serial: serialKey(usableSerial(cleanText(record.serialNumber))),
		ours: isCreatedBySync(record.notes),
		record,
		udfs,
	};
}

/** The item's value of a synced field, as compared. */
export function itemValue(item: Item, field: SyncedField): string {
	if (field.udf) return comparable(field.kind, item.udfs.get(field.field.toLowerCase()) ?? '');
	return comparable(field.kind, item.record[field.field]);
}

/** "item 29700101": how reports name an item. */
export function itemName(item: Pick<Item, 'id'>): string {
	return `configuration item ${item.id}`;
}
