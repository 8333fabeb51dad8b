import { createHash } from 'crypto';

import { decodeCachedValue, usableCachedValue } from './cachedValue';

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
