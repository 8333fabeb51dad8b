import { cleanText } from '../contacts/normalize';

/**
 * A Datto RMM device as the device sync sees it, read from the v2 or v3 device record (and the
 * audit, for the serial number). Blank text means unknown: a blank never clears a value in
 * Autotask.
 */
export interface Device {
	uid: string;
	/** The uid lower-cased: how devices and items are matched. */
	key: string;
	/** Datto's numeric device id (rmmDeviceID); undefined when the record has none. */
	id?: number;
	siteUid: string;
	siteName: string;
	hostname: string;
	/** `deviceType.category` and `deviceType.type`, as Datto writes them. */
	category: string;
	type: string;
	/** device, printer, esxihost, rmmnetworkdevice or unknown. */
	deviceClass: string;
	intIpAddress: string;
	extIpAddress: string;
	operatingSystem: string;
	lastLoggedInUser: string;
	description: string;
	/** From the device record when it has one, else from its audit; undefined until read ('' = none). */
	serialNumber?: string;
	/** Epoch milliseconds; undefined when Datto sent none. */
	creationDate?: number;
	lastSeen?: number;
	lastAuditDate?: number;
	/** Why its audit (the serial number) could not be read this run, when it could not. */
	auditFailed?: string;
	/** Datto marked the device deleted. */
	deleted: boolean;
	/** UDF slot (1 to 300) to its value; blank values are left out. */
	udfs: Map<number, string>;
}

/** Datto's UDF slots: current builds have 300 (older data carry udf1 to udf30). */
export const DATTO_UDF_SLOTS = 300;

const text = (value: unknown): string => cleanText(value);

/** Datto sends dates as epoch milliseconds (the live API) or ISO strings (its document). */
export function dattoTime(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
	if (typeof value === 'string' && value.trim()) {
		const trimmed = value.trim();
		if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
		const parsed = Date.parse(trimmed);
		if (Number.isFinite(parsed)) return parsed;
	}
	return undefined;
}

function udfValue(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return '';
	return text(value);
}

/**
 * UDF values from either shape: v2's `udf: {udf1 … udf300}` (live data and older builds) or v3's
 * `udfs: [{ordinal, valueString | valueNumber | valueBoolean | valueDate}]`.
 */
function readUdfs(record: Record<string, unknown>): Map<number, string> {
	const udfs = new Map<number, string>();
	const v2 = record.udf;
	if (v2 && typeof v2 === 'object' && !Array.isArray(v2)) {
		for (const [name, value] of Object.entries(v2 as Record<string, unknown>)) {
			const slot = /^udf(\d{1,3})$/i.exec(name);
			const ordinal = slot ? Number(slot[1]) : 0;
			const cell = udfValue(value);
			if (ordinal >= 1 && ordinal <= DATTO_UDF_SLOTS && cell) udfs.set(ordinal, cell);
		}
	}
	if (Array.isArray(record.udfs)) {
		for (const entry of record.udfs as Array<Record<string, unknown> | null>) {
			if (!entry || typeof entry !== 'object') continue;
			const ordinal = Number(entry.ordinal);
			if (!Number.isInteger(ordinal) || ordinal < 1 || ordinal > DATTO_UDF_SLOTS) continue;
			const raw =
				entry.valueString ?? entry.valueNumber ?? entry.valueBoolean ?? entry.valueDate ?? null;
			const cell = udfValue(raw);
			if (cell) udfs.set(ordinal, cell);
		}
	}
	return udfs;
}

/** A device record of Datto's v2 or v3 device listing; undefined when it has no uid. */
export function readDattoDevice(json: unknown): Device | undefined {
	if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
	const record = json as Record<string, unknown>;
	const uid = text(record.uid);
	if (!uid) return undefined;
	const deviceType =
		record.deviceType && typeof record.deviceType === 'object'
			? (record.deviceType as Record<string, unknown>)
			: {};
	const id = Number(record.id);
	return {
		uid,
		key: uid.toLowerCase(),
		id: Number.isSafeInteger(id) && id > 0 ? id : undefined,
		siteUid: text(record.siteUid),
		siteName: text(record.siteName),
		hostname: text(record.hostname),
		category: text(deviceType.category),
		type: text(deviceType.type),
		deviceClass: text(record.deviceClass).toLowerCase(),
		intIpAddress: text(record.intIpAddress),
		extIpAddress: text(record.extIpAddress),
		operatingSystem: text(record.operatingSystem),
		lastLoggedInUser: text(record.lastLoggedInUser),
		description: text(record.description),
		serialNumber:
			record.serialNumber === undefined || record.serialNumber === null
				? undefined
				: usableSerial(text(record.serialNumber)),
		creationDate: dattoTime(record.creationDate),
		lastSeen: dattoTime(record.lastSeen),
		lastAuditDate: dattoTime(record.lastAuditDate),
		deleted: record.deleted === true,
		udfs: readUdfs(record),
	};
}

/**
 * Serial numbers that say nothing: firmware placeholders and fillers several machines share.
 * Matching on one would join unrelated devices, so they count as blank.
 */
const PLACEHOLDER_SERIALS = new Set(
	[
		'to be filled by o.e.m.',
		'to be filled by oem',
		'default string',
		'system serial number',
		'not specified',
		'not applicable',
		'none',
		'n/a',
		'na',
		'null',
		'unknown',
		'invalid',
		'oem',
		'chassis serial number',
		'serial number',
		'0123456789',
		'123456789',
		'1234567890',
	].map((serial) => serial.replace(/\s+/g, '')),
);

/** The serial as written, or '' when it is a placeholder (too short, only zeros, filler text). */
export function usableSerial(serial: string): string {
	const compact = serial.replace(/\s+/g, '').toLowerCase();
	if (compact.length < 4) return '';
	if (/^[0.\-x*]+$/.test(compact)) return '';
	if (PLACEHOLDER_SERIALS.has(compact)) return '';
	return serial;
}

/** Serials compare without case and whitespace. */
export function serialKey(serial: string): string {
	return serial.replace(/\s+/g, '').toLowerCase();
}

/** The serial number in a Datto device audit (`bios.serialNumber`); '' when it has none. */
export function serialFromAudit(audit: unknown): string {
	if (!audit || typeof audit !== 'object') return '';
	const bios = (audit as Record<string, unknown>).bios;
	if (!bios || typeof bios !== 'object') return '';
	return usableSerial(text((bios as Record<string, unknown>).serialNumber));
}

/** Datto answers audits only for devices of class "device" (others: 400). */
export function hasAudit(device: Device): boolean {
	return device.deviceClass === 'device' || device.deviceClass === '';
}

/** The keys a device-type rule may name: "Category/Type", then "Category" (lower-cased). */
export function deviceTypeKeys(device: Pick<Device, 'category' | 'type'>): string[] {
	const category = device.category.toLowerCase();
	const keys: string[] = [];
	if (device.type) keys.push(`${category}/${device.type.toLowerCase()}`);
	keys.push(category);
	return keys;
}

/** How a device type is shown: "Server / Rack Mount Chassis", or the category alone. */
export function deviceTypeLabel(device: Pick<Device, 'category' | 'type'>): string {
	if (!device.category && !device.type) return '(no device type)';
	if (!device.type || device.type.toLowerCase() === device.category.toLowerCase())
		return device.category || device.type;
	return `${device.category} / ${device.type}`;
}

/** "CONTOSO-DC01 (1d7d3962-…)": how reports and errors name a device. */
export function deviceName(device: Pick<Device, 'hostname' | 'uid'>): string {
	return device.hostname ? `${device.hostname} (${device.uid})` : `device ${device.uid}`;
}
