/**
 * The alert key on the Autotask ticket (`externalID`): `DR:<site 5><device 6><problem 6>:<alert>`.
 * Why and how: docs/adr/alert-key-on-the-ticket.md.
 */

export const KEY_PREFIX = 'DR:';
export const KEY_MAX_LENGTH = 50;
export const STORM_MARK = 'zzzzzz';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RAW_PATTERN = /^[A-Za-z0-9_.-]{1,26}$/;

/** cyrb53: a small, well-mixed 53-bit string hash (no crypto import needed in shipped code). */
export function hash53(input: string, seed = 0): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < input.length; i++) {
		const ch = input.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
	h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
	h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `length` base32hex characters (5 bits each, at most 10) of the hash of `input`. */
export function hashCode(input: string, length: number, seed = 0): string {
	let value = hash53(input, seed);
	let out = '';
	for (let i = 0; i < length; i++) {
		out = ALPHABET[value % 32] + out;
		value = Math.floor(value / 32);
	}
	return out;
}

function uuidToBase32(uuid: string): string {
	let value = BigInt(`0x${uuid.replace(/-/g, '')}`);
	let out = '';
	for (let i = 0; i < 26; i++) {
		out = ALPHABET[Number(value & 31n)] + out;
		value >>= 5n;
	}
	return out;
}

function base32ToUuid(code: string): string | undefined {
	let value = 0n;
	for (const ch of code.toLowerCase()) {
		const digit = ALPHABET.indexOf(ch);
		if (digit < 0) return undefined;
		value = (value << 5n) | BigInt(digit);
	}
	if (value >> 128n) return undefined;
	const hex = value.toString(16).padStart(32, '0');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The alert part of the key ("u…", "r…" or "h…"). */
export function alertPart(alertUid: string): string {
	const uid = alertUid.trim();
	if (UUID_PATTERN.test(uid)) return `u${uuidToBase32(uid)}`;
	if (RAW_PATTERN.test(uid)) return `r${uid}`;
	return `h${hashCode(uid, 10, 1)}${hashCode(uid, 10, 2)}${hashCode(uid, 6, 3)}`;
}

export function siteCode(siteUid: string): string {
	return hashCode(`site|${siteUid.trim().toLowerCase()}`, 5);
}

export function deviceCode(deviceUid: string): string {
	return hashCode(`device|${deviceUid.trim().toLowerCase()}`, 6);
}

export function problemCode(monitorClass: string, detail: string): string {
	return hashCode(`problem|${monitorClass.toLowerCase()}|${detail.toLowerCase()}`, 6);
}

export interface KeyParts {
	siteUid: string;
	deviceUid: string;
	monitorClass: string;
	detail: string;
}

/** The prefixes of an alert's key: its site's, its device's and its problem's tickets. */
export interface AlertKeyInfo {
	sitePrefix: string;
	devicePrefix: string;
	problemPrefix: string;
}

/** "DR:<site>" — every alert ticket of a site. */
export function sitePrefix(siteUid: string): string {
	return `${KEY_PREFIX}${siteCode(siteUid)}`;
}

/** "DR:<site><device>" — every alert ticket of a device. */
export function devicePrefix(siteUid: string, deviceUid: string): string {
	return `${sitePrefix(siteUid)}${deviceCode(deviceUid)}`;
}

/** "DR:<site><device><problem>" — the tickets of one problem on one device. */
export function problemPrefix(parts: KeyParts): string {
	return `${devicePrefix(parts.siteUid, parts.deviceUid)}${problemCode(parts.monitorClass, parts.detail)}`;
}

export function alertKey(parts: KeyParts, alertUid: string): string {
	return `${problemPrefix(parts)}:${alertPart(alertUid)}`;
}

/** The ':<alert>' end of every key that tracks this alert. */
export function alertSuffix(alertUid: string): string {
	return `:${alertPart(alertUid)}`;
}

export function deviceStormPrefix(siteUid: string, deviceUid: string): string {
	return `${devicePrefix(siteUid, deviceUid)}${STORM_MARK}`;
}

export function siteStormPrefix(siteUid: string): string {
	return `${sitePrefix(siteUid)}${STORM_MARK}${STORM_MARK}`;
}

/** The prefixes without those another one in the set already covers ("DR:<site>" covers its devices). */
export function narrowest(prefixes: Iterable<string>): string[] {
	const all = [...new Set(prefixes)];
	return all.filter((prefix) => !all.some((other) => other !== prefix && prefix.startsWith(other)));
}

export interface ParsedKey {
	key: string;
	site: string;
	device: string;
	problem: string;
	/** "DR:<site><device><problem>" */
	problemPrefix: string;
	devicePrefix: string;
	sitePrefix: string;
	alertPart: string;
	/** The alert uid, when the key carries it losslessly. */
	alertUid?: string;
	storm?: 'device' | 'site';
}

/** Reads a ticket's externalID; undefined when it is not one of our keys. */
export function parseAlertKey(externalID: unknown): ParsedKey | undefined {
	if (typeof externalID !== 'string') return undefined;
	const match = /^DR:([0-9a-z]{5})([0-9a-z]{6})([0-9a-z]{6}):([urh])(.+)$/i.exec(externalID.trim());
	if (!match) return undefined;
	const [, site, device, problem, kind, rest] = match;
	let alertUid: string | undefined;
	if (kind.toLowerCase() === 'u' && rest.length === 26) alertUid = base32ToUuid(rest);
	else if (kind.toLowerCase() === 'r') alertUid = rest;
	const lowerDevice = device.toLowerCase();
	const lowerProblem = problem.toLowerCase();
	const prefixSite = `${KEY_PREFIX}${site.toLowerCase()}`;
	return {
		key: externalID.trim(),
		site: site.toLowerCase(),
		device: lowerDevice,
		problem: lowerProblem,
		sitePrefix: prefixSite,
		devicePrefix: `${prefixSite}${lowerDevice}`,
		problemPrefix: `${prefixSite}${lowerDevice}${lowerProblem}`,
		alertPart: `${kind.toLowerCase()}${kind.toLowerCase() === 'r' ? rest : rest.toLowerCase()}`,
		alertUid,
		storm:
			lowerProblem === STORM_MARK ? (lowerDevice === STORM_MARK ? 'site' : 'device') : undefined,
	};
}

/** Whether a parsed key tracks this alert uid (the comparison Autotask's endsWith makes). */
export function keyTracksAlert(parsed: ParsedKey, alertUid: string): boolean {
	return parsed.alertPart.toLowerCase() === alertPart(alertUid).toLowerCase();
}
