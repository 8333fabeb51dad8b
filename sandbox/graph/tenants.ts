/**
 * One tenant of the Graph sandbox: its state (users, change history for delta queries, grants,
 * domains, GDAP relationships), finding its users, and its record in graph/tenants.json (read and
 * written back, with the defaults a record leaves out). The whole sandbox: state.ts.
 */
import { createHash } from 'node:crypto';

import { DEFAULT_PARTNER_PERMISSIONS, DEFAULT_PERMISSIONS } from './permissions';
import type { GraphUser } from './userProperties';

/** One of the tenant's domains as `/organization` lists it. */
export interface VerifiedDomain {
	name: string;
	isDefault: boolean;
	isInitial: boolean;
	type: string;
	capabilities: string;
}

export interface Removal {
	id: string;
	reason: 'changed' | 'deleted';
	version: number;
}

export interface TenantState {
	/** Directory GUID (lower-case). */
	id: string;
	/** Verified domains (lower-case); the first is the initial *.onmicrosoft.com domain. */
	domains: string[];
	users: Map<string, { user: GraphUser; version: number }>;
	/** Soft-deleted users (restorable), by id. */
	deletedUsers: Map<string, GraphUser>;
	removals: Removal[];
	/** Bumped by every change; delta tokens remember the version they were issued at. */
	version: number;
	/** Delta tokens from an older epoch answer 410. */
	deltaEpoch: number;
	deltaExpiryCode: 'syncStateNotFound' | 'resyncRequired';
	permissions: string[];
	/** False: the app has no service principal here (admin consent never given). */
	consented: boolean;
	throttle?: { limit: number; windowMs: number; windowStart: number; used: number };
	displayName: string;
	/** As `/organization` lists them (the lookup list `domains` also holds the users' domains). */
	verifiedDomains: VerifiedDomain[];
	/** The MSP's own tenant: it answers the GDAP lists. */
	partner: boolean;
	/** GDAP relationships of the partner with this tenant as customer (microsoft.graph.delegatedAdminRelationship, customer filled in on read). */
	relationships: Array<Record<string, unknown>>;
}

export interface TenantInput {
	/** GUID; generated from the domain when absent. */
	id?: string;
	/** The initial domain, e.g. fabrikam.onmicrosoft.com. */
	domain: string;
	/** More verified domains; the users' own domains are added automatically. */
	domains?: string[];
	users?: Array<Record<string, unknown>>;
	permissions?: string[];
	consented?: boolean;
	displayName?: string;
	/** Default: the initial domain and `domains`, the first non-onmicrosoft one as default. */
	verifiedDomains?: Array<Partial<VerifiedDomain> & { name: string }>;
	partner?: boolean;
	relationships?: Array<Record<string, unknown>>;
}

export function findUser(
	tenant: TenantState,
	idOrUpn: string,
): { user: GraphUser; version: number } | undefined {
	const key = idOrUpn.trim().toLowerCase();
	const byId = tenant.users.get(key);
	if (byId) return byId;
	for (const entry of tenant.users.values()) {
		if (String(entry.user.userPrincipalName ?? '').toLowerCase() === key) return entry;
	}
	return undefined;
}

/** Checks graph/tenants.json records: an id, verified domains with names. */
export function parseTenantRecords(raw: unknown[]): TenantInput[] {
	return raw.map((value, index) => {
		const record = value as Record<string, unknown>;
		const where = `graph/tenants.json record ${index + 1}`;
		if (typeof record.id !== 'string' || !record.id.trim())
			throw new Error(`${where} has no "id" (the tenant's GUID)`);
		const domains = (record.verifiedDomains ?? []) as Array<Record<string, unknown>>;
		if (
			!Array.isArray(domains) ||
			!domains.length ||
			domains.some((domain) => typeof domain?.name !== 'string' || !domain.name)
		)
			throw new Error(
				`${where} (${record.id}) needs "verifiedDomains": [{"name", "isDefault"}, ...]`,
			);
		const extension = (record._sandbox ?? {}) as Record<string, unknown>;
		const initial =
			domains.find((domain) => domain.isInitial === true) ??
			domains.find((domain) => /\.onmicrosoft\.com$/i.test(String(domain.name))) ??
			domains[0];
		return {
			id: record.id.trim(),
			domain: String(initial.name),
			displayName: typeof record.displayName === 'string' ? record.displayName : undefined,
			verifiedDomains: domains as TenantInput['verifiedDomains'],
			partner: extension.partner === true,
			consented: typeof extension.consented === 'boolean' ? extension.consented : undefined,
			permissions: Array.isArray(extension.permissions)
				? (extension.permissions as string[])
				: undefined,
			relationships: Array.isArray(extension.relationships)
				? (extension.relationships as Array<Record<string, unknown>>)
				: undefined,
		};
	});
}

/** A tenant as graph/tenants.json holds it (what the sandbox adds in `_sandbox`). */
export function tenantRecord(tenant: TenantState): Record<string, unknown> {
	const extension: Record<string, unknown> = {};
	if (tenant.partner) extension.partner = true;
	if (!tenant.consented) extension.consented = false;
	const defaults = tenant.partner ? DEFAULT_PARTNER_PERMISSIONS : DEFAULT_PERMISSIONS;
	if (JSON.stringify(tenant.permissions) !== JSON.stringify(defaults))
		extension.permissions = [...tenant.permissions];
	if (tenant.relationships.length) extension.relationships = structuredClone(tenant.relationships);
	return {
		id: tenant.id,
		displayName: tenant.displayName,
		verifiedDomains: tenant.verifiedDomains.map((domain) => ({ ...domain })),
		...(Object.keys(extension).length ? { _sandbox: extension } : {}),
	};
}

export function defaultVerifiedDomains(names: string[]): VerifiedDomain[] {
	const custom = names.find((name) => !name.endsWith('.onmicrosoft.com'));
	return names.map((name, index) => ({
		name,
		isDefault: custom ? name === custom : index === 0,
		isInitial: index === 0,
		type: 'Managed',
		capabilities: 'Email, OfficeCommunicationsOnline',
	}));
}

/** [U] The relationship a customer gets when its seed names none: active, two years, Directory Readers. */
export function defaultRelationship(
	tenantId: string,
	displayName: string,
): Record<string, unknown> {
	const activated = Date.UTC(2026, 0, 5, 10, 0, 0);
	return {
		id: `${guidFrom(`gdap:${tenantId}`)}-${guidFrom(`gdap2:${tenantId}`)}`,
		displayName: `MSP-${displayName}`.slice(0, 50),
		status: 'active',
		duration: 'P730D',
		createdDateTime: new Date(activated - 86_400_000).toISOString(),
		activatedDateTime: new Date(activated).toISOString(),
		lastModifiedDateTime: new Date(activated).toISOString(),
		endDateTime: new Date(activated + 730 * 86_400_000).toISOString(),
		autoExtendDuration: 'P180D',
		accessDetails: {
			unifiedRoles: [{ roleDefinitionId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' }],
		},
	};
}

/** A stable GUID from a text (seeds without ids get the same ids on every start). */
export function guidFrom(text: string): string {
	const hex = createHash('sha1').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
