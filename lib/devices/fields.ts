import { cleanText } from '../contacts/normalize';
import type { AutotaskFieldInfo } from '../transport/autotask/types';
import type { Device } from './device';

/**
 * Which configuration item fields the device sync writes, where each value comes from, and what
 * Autotask says about them on this tenant. The one place for the unverified ([U]) facts about
 * configuration items: Autotask's document marks none of the rmm* fields read-only, yet the Datto
 * RMM integration fills them, and which ones REST accepts is not documented. Every field here is
 * written only when the tenant's `/ConfigurationItems/entityInformation/fields` says it exists and
 * is not read-only; the rest are skipped and reported (see docs/adr/device-sync-changes-only.md).
 */

export type FieldKind = 'text' | 'date' | 'integer';

/** Values a device's mapping decides (product, type, contract), as ids; undefined = none. */
export interface MappedValues {
	productId?: number;
	configurationItemType?: number;
	contractId?: number;
	contractServiceId?: number;
	contractServiceBundleId?: number;
}

export interface SyncedField {
	/** The Autotask field name (a UDF's name for UDFs). */
	field: string;
	/** How reports name it. */
	label: string;
	kind: FieldKind;
	/**
	 * `device`: comes from the device and is kept up to date on every item linked to it, a
	 * person's included. `mapping`: comes from the node's mappings and is kept only on items this
	 * sync created (a person's choice of product, type or contract stays theirs).
	 */
	source: 'device' | 'mapping';
	udf: boolean;
	/** The value wanted; '' = blank (never written); undefined = not known this run (the slot is left as it was). */
	wanted(device: Device, mapped: MappedValues): string | undefined;
	/** Why this field is unverified, if it is. */
	unverified?: string;
}

const RMM_FIELD =
	'[U] an rmm* field: filled by the Datto RMM integration; REST writability unknown';

const field = (
	name: string,
	label: string,
	kind: FieldKind,
	source: SyncedField['source'],
	wanted: SyncedField['wanted'],
	unverified?: string,
): SyncedField => ({ field: name, label, kind, source, udf: false, wanted, unverified });

const numberText = (value: number | undefined): string =>
	value === undefined ? '' : String(value);

/**
 * Where the device's uid is kept on its configuration item, by default. [U] If the tenant refuses
 * it over REST (read-only in the field info), the node asks for a configuration item UDF instead
 * (Device UID Field).
 */
export const DEVICE_UID_FIELD = 'rmmDeviceUID';

/** The device-derived fields, in slot order (append only: the state names slots, but keep it tidy). */
export const DEVICE_FIELDS: readonly SyncedField[] = [
	field('referenceTitle', 'reference title (hostname)', 'text', 'device', (d) => d.hostname),
	field('serialNumber', 'serial number', 'text', 'device', (d) => d.serialNumber),
	field('installDate', 'install date', 'date', 'device', (d) =>
		d.creationDate === undefined ? '' : new Date(d.creationDate).toISOString(),
	),
	field('rmmDeviceID', 'RMM device id', 'integer', 'device', (d) => numberText(d.id), RMM_FIELD),
	field('rmmDeviceAuditHostname', 'audit hostname', 'text', 'device', (d) => d.hostname, RMM_FIELD),
	field(
		'rmmDeviceAuditIPAddress',
		'audit IP address',
		'text',
		'device',
		(d) => d.intIpAddress,
		RMM_FIELD,
	),
	field(
		'rmmDeviceAuditExternalIPAddress',
		'audit external IP address',
		'text',
		'device',
		(d) => d.extIpAddress,
		RMM_FIELD,
	),
	field(
		'rmmDeviceAuditOperatingSystem',
		'audit operating system',
		'text',
		'device',
		(d) => d.operatingSystem,
		RMM_FIELD,
	),
	field(
		'rmmDeviceAuditLastUser',
		'audit last user',
		'text',
		'device',
		(d) => d.lastLoggedInUser,
		RMM_FIELD,
	),
	field(
		'rmmDeviceAuditDescription',
		'audit description',
		'text',
		'device',
		(d) => d.description,
		RMM_FIELD,
	),
];

/** The mapping-derived fields (only on items this sync created). */
export const MAPPING_FIELDS: readonly SyncedField[] = [
	field('productID', 'product', 'integer', 'mapping', (_, m) => numberText(m.productId)),
	field('configurationItemType', 'configuration item type', 'integer', 'mapping', (_, m) =>
		numberText(m.configurationItemType),
	),
	field('contractID', 'contract', 'integer', 'mapping', (_, m) => numberText(m.contractId)),
	field(
		'contractServiceID',
		'contract service',
		'integer',
		'mapping',
		(_, m) => numberText(m.contractServiceId),
		"[U] that a service must belong to the item's contract",
	),
	field('contractServiceBundleID', 'contract service bundle', 'integer', 'mapping', (_, m) =>
		numberText(m.contractServiceBundleId),
	),
];

/** A Datto UDF slot written into a configuration item UDF (by the UDF's name). */
export function udfField(slot: number, udfName: string): SyncedField {
	return {
		field: udfName,
		label: `UDF "${udfName}" (Datto UDF ${slot})`,
		kind: 'text',
		source: 'device',
		udf: true,
		wanted: (device) => device.udfs.get(slot) ?? '',
	};
}

/**
 * The line this sync writes into `notes` of every item it creates: how it recognises its own items
 * (a person's item without it keeps its product, type and contract), for people as much as for
 * the sync. [U] that `notes` is writable on create; the sandbox and the field info say so.
 */
export const CREATED_MARK = 'Created by n8n-nodes-msp from Datto RMM device';

export function createdNote(device: Pick<Device, 'uid' | 'hostname'>): string {
	return `${CREATED_MARK} ${device.uid}${device.hostname ? ` (${device.hostname})` : ''}.`;
}

export function isCreatedBySync(notes: unknown): boolean {
	return typeof notes === 'string' && notes.includes(CREATED_MARK);
}

/** What the tenant's field information says about configuration item fields. */
export interface ItemSchema {
	/** Exists and is not read-only. */
	writable(field: string): boolean;
	/** Required on create (and not read-only). */
	required(): string[];
	/** The most characters a text field takes; 0 = no limit known. */
	length(field: string): number;
	/** Labels of the configurationItemType picklist, by value. */
	typeLabel(value: number): string | undefined;
	/** UDF names the tenant defines (lower-cased), when they were read. */
	udfNames?: ReadonlySet<string>;
	/** The field names Autotask does not accept over REST on this tenant, among those the sync would write. */
	notWritable: string[];
}

/** The schema from `/ConfigurationItems/entityInformation/fields` (and the UDF definitions). */
export function itemSchema(fields: AutotaskFieldInfo[], udfNames?: readonly string[]): ItemSchema {
	const byName = new Map(fields.map((info) => [info.name.toLowerCase(), info]));
	const writable = (name: string) => {
		const info = byName.get(name.toLowerCase());
		return !!info && !info.isReadOnly;
	};
	const types = new Map(
		(byName.get('configurationitemtype')?.picklistValues ?? []).map((value) => [
			Number(value.value),
			value.label,
		]),
	);
	const intended = [DEVICE_UID_FIELD, ...DEVICE_FIELDS, ...MAPPING_FIELDS].map((entry) =>
		typeof entry === 'string' ? entry : entry.field,
	);
	return {
		writable,
		required: () =>
			fields.filter((info) => info.isRequired && !info.isReadOnly).map((info) => info.name),
		length: (name) => {
			const info = byName.get(name.toLowerCase());
			return info && info.dataType === 'string' ? info.length || 0 : 0;
		},
		typeLabel: (value) => types.get(value),
		udfNames: udfNames ? new Set(udfNames.map((name) => name.toLowerCase())) : undefined,
		notWritable: intended.filter((name) => !writable(name)),
	};
}

/** A value as compared: trimmed text, a UTC day for dates, digits for integers; '' = blank. */
export function comparable(kind: FieldKind, value: unknown): string {
	if (value === null || value === undefined) return '';
	if (kind === 'date') {
		const time =
			typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
		return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : '';
	}
	if (kind === 'integer') {
		const number = typeof value === 'number' ? value : Number(String(value).trim());
		return Number.isFinite(number) && String(value).trim() !== '' ? String(Math.trunc(number)) : '';
	}
	return cleanText(value);
}

/** A wanted value in the type Autotask takes. */
export function writeValue(kind: FieldKind, value: string): string | number {
	return kind === 'integer' ? Number(value) : value;
}
