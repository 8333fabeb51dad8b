/**
 * A value a credential caches in its hidden "expirable" field (a token, a zone URL, a codebase),
 * stamped with who it belongs to and when it stops being good, as
 * `v1|<owner>|<expiresAtEpochMs>|<value>` (`owner` may be empty).
 * Why: docs/adr/credential-caches-stamped-with-owner.md.
 */
const PREFIX = 'v1|';

export interface CachedValue {
	owner: string;
	expiresAt: number;
	value: string;
}

export function encodeCachedValue(cached: CachedValue): string {
	return `${PREFIX}${encodeURIComponent(cached.owner)}|${Math.floor(cached.expiresAt)}|${cached.value}`;
}

export function decodeCachedValue(raw: unknown): CachedValue | undefined {
	if (typeof raw !== 'string' || !raw.startsWith(PREFIX)) return undefined;
	const rest = raw.slice(PREFIX.length);
	const first = rest.indexOf('|');
	const second = first < 0 ? -1 : rest.indexOf('|', first + 1);
	if (first < 0 || second < 0) return undefined;
	const expiresAt = Number(rest.slice(first + 1, second));
	if (!Number.isFinite(expiresAt)) return undefined;
	return {
		owner: decodeURIComponent(rest.slice(0, first)),
		expiresAt,
		value: rest.slice(second + 1),
	};
}

/** The cached value when it belongs to `owner` and stays valid for `marginMs` more. */
export function usableCachedValue(
	raw: unknown,
	owner: string,
	now: number,
	marginMs = 120_000,
): string | undefined {
	const cached = decodeCachedValue(raw);
	if (!cached) return undefined;
	if (cached.owner.toLowerCase() !== owner.toLowerCase()) return undefined;
	if (cached.expiresAt - marginMs <= now) return undefined;
	return cached.value;
}

/** Joins a base URL and a path with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
	if (!path) return base;
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Trims whitespace and any trailing slashes from a user-entered base URL. */
export function normalizeBaseUrl(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}
