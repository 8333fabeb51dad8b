import { createHash } from 'crypto';

import { decodeCachedValue, encodeCachedValue, usableCachedValue } from './cachedValue';

/**
 * For each credential type: the hidden "expirable" field n8n refreshes through
 * preAuthentication, and who a value cached there belongs to. The credential stamps the owner
 * when it caches a value; the n8n adapter and the credential's `authenticate` use a cached value
 * only for that owner (a Graph token only for its tenant, a Datto token only for its key).
 * See docs/adr/credential-caches-stamped-with-owner.md.
 */
export interface CredentialCache {
	field: string;
	owner(credentials: Record<string, unknown>): string;
}

const text = (value: unknown) => String(value ?? '').trim();

export const CREDENTIAL_CACHES: Record<string, CredentialCache> = {
	autotaskApi: { field: 'resolvedZone', owner: (c) => text(c.username) },
	connectWiseManageApi: { field: 'codebase', owner: (c) => text(c.companyId) },
	microsoftGraphAppApi: { field: 'accessToken', owner: (c) => text(c.tenantId) },
	// A fingerprint, so the API key itself is not stored next to the token.
	dattoRmmApi: {
		field: 'accessToken',
		owner: (c) => createHash('sha256').update(text(c.apiKey)).digest('hex').slice(0, 16),
	},
};

/** The cached value of a credential when it belongs to this credential's owner (expired or not). */
export function ownedCachedValue(
	type: string,
	credentials: Record<string, unknown>,
): string | undefined {
	const cache = CREDENTIAL_CACHES[type];
	const cached = cache ? decodeCachedValue(credentials[cache.field]) : undefined;
	if (!cache || !cached) return undefined;
	return cached.owner.toLowerCase() === cache.owner(credentials).toLowerCase()
		? cached.value
		: undefined;
}

/** The same, only while it stays valid for a while longer: otherwise it is better minted anew. */
export function freshCachedValue(
	type: string,
	credentials: Record<string, unknown>,
	now: number,
): string | undefined {
	const cache = CREDENTIAL_CACHES[type];
	return cache
		? usableCachedValue(credentials[cache.field], cache.owner(credentials), now)
		: undefined;
}

/**
 * What a credential's preAuthentication returns: `value` in the type's cache field, stamped with
 * this credential's owner, good for `lifetimeMs`.
 */
export function cachedFor(
	type: string,
	credentials: Record<string, unknown>,
	value: string,
	lifetimeMs: number,
): Record<string, string> {
	const cache = CREDENTIAL_CACHES[type];
	return {
		[cache.field]: encodeCachedValue({
			owner: cache.owner(credentials),
			expiresAt: Date.now() + lifetimeMs,
			value,
		}),
	};
}

/**
 * Request options with the credential's cached token as a bearer, and `baseURL` unless the
 * request brings its own. A token minted for another owner is withheld: the vendor answers 401
 * and n8n mints one for this owner.
 */
export function withCachedBearer<O extends { headers?: object; baseURL?: string }>(
	type: string,
	credentials: Record<string, unknown>,
	requestOptions: O,
	baseURL: string,
): O {
	const token = ownedCachedValue(type, credentials);
	return {
		...requestOptions,
		headers: token
			? { ...requestOptions.headers, Authorization: `Bearer ${token}` }
			: { ...requestOptions.headers },
		baseURL: requestOptions.baseURL ?? baseURL,
	};
}
