/**
 * The Graph sandbox's live state: tenants (each with its own users, change history for delta
 * queries and optional throttling budget), the tokens issued and which tenant each belongs to.
 * Tests change users through the methods here so that every change feeds /users/delta. A tenant's
 * state and its tenants.json record: tenants.ts. User properties: userProperties.ts. Permissions:
 * permissions.ts.
 */
import { randomBytes } from 'node:crypto';

import { SANDBOX_IDENTITIES } from '../credentials';
import { DEFAULT_PARTNER_PERMISSIONS, DEFAULT_PERMISSIONS } from './permissions';
import {
	defaultRelationship,
	defaultVerifiedDomains,
	findUser,
	guidFrom,
	parseTenantRecords,
	tenantRecord,
} from './tenants';
import type { TenantInput, TenantState } from './tenants';
import type { GraphUser } from './userProperties';

export interface IssuedToken {
	tenantId: string;
	expiresAt: number;
	/** Expires once the API has answered this many more calls (tests force a refresh mid-run). */
	usesLeft?: number;
}

/** A seed's Graph part: one tenant's users.json, or tenants.json with each tenant's users. */
export interface GraphSeed {
	users?: unknown[];
	tenants?: unknown[];
	/** graph/tenants/<tenant id>/users.json, by tenant id. */
	tenantUsers?: Record<string, unknown[]>;
}

/** One Graph API call as the sandbox saw it (the request log has no headers; tests need this one). */
export interface GraphApiCall {
	method: string;
	path: string;
	/** The decoded query parameters. */
	query: Record<string, string>;
	/** The ConsistencyLevel header, if sent. */
	consistencyLevel?: string;
	/** The tenant of the token, when the token was known. */
	tenantId?: string;
	status: number;
}

export class GraphState {
	readonly tenants = new Map<string, TenantState>();

	/** Every Graph API call (token requests excluded), in arrival order. */
	readonly calls: GraphApiCall[] = [];

	readonly tokens = new Map<string, IssuedToken>();

	/** Token requests answered, by tenant GUID (successful mints only). */
	readonly tokensIssued = new Map<string, number>();

	/** Seconds a new token lives ("expires_in"). */
	tokenLifetimeSeconds = 3599;

	/** Users per page of /users/delta (Graph decides this itself; $top is ignored there). */
	deltaPageSize = 200;

	/** Page size of /users when $top is absent. */
	defaultPageSize = 100;

	readonly defaultTenantId: string;

	/** Whether the seed held graph/tenants.json (and the dump writes that layout back). */
	readonly multiTenant: boolean;

	/**
	 * One tenant (the credential's) from `users.json`, or every tenant of `tenants.json` with its
	 * own users; when tenants.json lists tenants, users.json is ignored. The credential's tenant is
	 * the default one if tenants.json has it, else its first tenant.
	 */
	constructor(seed: GraphSeed = {}) {
		const identity = SANDBOX_IDENTITIES.graph;
		const records = parseTenantRecords(seed.tenants ?? []);
		this.multiTenant = records.length > 0;
		if (!this.multiTenant) {
			this.defaultTenantId = this.addTenant({
				id: identity.tenantId,
				domain: identity.tenantDomain,
				users: (seed.users ?? []) as Array<Record<string, unknown>>,
			}).id;
			return;
		}
		for (const record of records) {
			this.addTenant({
				...record,
				users: (seed.tenantUsers?.[record.id!] ?? []) as Array<Record<string, unknown>>,
			});
		}
		this.defaultTenantId = this.tenants.has(identity.tenantId.toLowerCase())
			? identity.tenantId.toLowerCase()
			: records[0].id!.toLowerCase();
	}

	addTenant(input: TenantInput): TenantState {
		const id = (input.id ?? guidFrom(`tenant:${input.domain}`)).toLowerCase();
		const names = [input.domain, ...(input.domains ?? [])].map((d) => d.toLowerCase());
		const verified =
			input.verifiedDomains?.map((domain) => ({
				name: domain.name.toLowerCase(),
				isDefault: domain.isDefault ?? false,
				isInitial: domain.isInitial ?? /\.onmicrosoft\.com$/.test(domain.name.toLowerCase()),
				type: domain.type ?? 'Managed',
				capabilities: domain.capabilities ?? 'Email, OfficeCommunicationsOnline',
			})) ?? defaultVerifiedDomains(names);
		const partner = input.partner === true;
		const tenant: TenantState = {
			id,
			domains: [...new Set([...names, ...verified.map((domain) => domain.name)])],
			users: new Map(),
			deletedUsers: new Map(),
			removals: [],
			version: 0,
			deltaEpoch: 1,
			deltaExpiryCode: 'syncStateNotFound',
			permissions: [
				...(input.permissions ?? (partner ? DEFAULT_PARTNER_PERMISSIONS : DEFAULT_PERMISSIONS)),
			],
			consented: input.consented ?? true,
			displayName: input.displayName ?? names[0].split('.')[0],
			verifiedDomains: verified,
			partner,
			relationships: structuredClone(
				input.relationships ??
					(partner ? [] : [defaultRelationship(id, input.displayName ?? names[0])]),
			),
		};
		this.tenants.set(id, tenant);
		for (const user of input.users ?? []) this.insert(tenant, user, 0);
		return tenant;
	}

	/** The MSP's own tenant (flagged `partner`), if the seed has one. */
	partnerTenant(): TenantState | undefined {
		return [...this.tenants.values()].find((tenant) => tenant.partner);
	}

	/**
	 * The seed's Graph part: users.json for a one-tenant seed; tenants.json and each tenant's
	 * users.json for a multi-tenant one (tenants added since included).
	 */
	dump(): { users: unknown[]; tenants: unknown[]; tenantUsers?: Record<string, unknown[]> } {
		if (!this.multiTenant)
			return { users: this.users().map((user) => structuredClone(user)), tenants: [] };
		const tenants = [...this.tenants.values()];
		return {
			users: [],
			tenants: tenants.map((tenant) => tenantRecord(tenant)),
			tenantUsers: Object.fromEntries(
				tenants.map((tenant) => [
					tenant.id,
					[...tenant.users.values()].map((entry) => structuredClone(entry.user)),
				]),
			),
		};
	}

	/** A tenant by GUID or verified domain; the default tenant when omitted. */
	tenant(idOrDomain?: string): TenantState {
		const found = this.findTenant(idOrDomain ?? this.defaultTenantId);
		if (!found) throw new Error(`The Graph sandbox has no tenant "${idOrDomain}"`);
		return found;
	}

	findTenant(idOrDomain: string): TenantState | undefined {
		const key = idOrDomain.trim().toLowerCase();
		const byId = this.tenants.get(key);
		if (byId) return byId;
		for (const tenant of this.tenants.values()) if (tenant.domains.includes(key)) return tenant;
		return undefined;
	}

	/** Current users of a tenant, as stored (vendor-native, all properties). */
	users(tenant?: string): GraphUser[] {
		return [...this.tenant(tenant).users.values()].map((entry) => entry.user);
	}

	user(idOrUpn: string, tenant?: string): GraphUser | undefined {
		return findUser(this.tenant(tenant), idOrUpn)?.user;
	}

	addUser(user: Record<string, unknown>, tenant?: string): GraphUser {
		const state = this.tenant(tenant);
		return this.insert(state, user, ++state.version);
	}

	/** Merges `patch` into the user (null clears a value), as a PATCH /users/{id} would. */
	updateUser(idOrUpn: string, patch: Record<string, unknown>, tenant?: string): GraphUser {
		const state = this.tenant(tenant);
		const entry = this.mustFind(state, idOrUpn);
		Object.assign(entry.user, patch, { id: entry.user.id });
		entry.version = ++state.version;
		return entry.user;
	}

	disableUser(idOrUpn: string, tenant?: string): GraphUser {
		return this.updateUser(idOrUpn, { accountEnabled: false }, tenant);
	}

	unlicenseUser(idOrUpn: string, tenant?: string): GraphUser {
		return this.updateUser(idOrUpn, { assignedLicenses: [] }, tenant);
	}

	/** Soft delete (restorable, delta reason "changed") or permanent (reason "deleted"). */
	deleteUser(idOrUpn: string, options: { permanent?: boolean } = {}, tenant?: string): void {
		const state = this.tenant(tenant);
		const entry = this.mustFind(state, idOrUpn);
		state.users.delete(entry.user.id);
		state.version++;
		if (options.permanent) {
			state.deletedUsers.delete(entry.user.id);
		} else {
			state.deletedUsers.set(entry.user.id, {
				...entry.user,
				deletedDateTime: new Date().toISOString(),
			});
		}
		state.removals.push({
			id: entry.user.id,
			reason: options.permanent ? 'deleted' : 'changed',
			version: state.version,
		});
	}

	restoreUser(id: string, tenant?: string): GraphUser {
		const state = this.tenant(tenant);
		const deleted = state.deletedUsers.get(id);
		if (!deleted) throw new Error(`No soft-deleted user ${id}`);
		state.deletedUsers.delete(id);
		const user: Record<string, unknown> = { ...deleted };
		delete user.deletedDateTime;
		return this.insert(state, user, ++state.version);
	}

	/** Every token issued so far answers 401 "expired" from now on. */
	expireTokens(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	/** Tokens issued so far expire after `calls` more API calls: a refresh in the middle of a run. */
	expireTokensAfter(calls: number): void {
		for (const token of this.tokens.values()) token.usesLeft = calls;
	}

	/** Delta links issued so far answer 410 Gone. */
	expireDeltaTokens(
		tenant?: string,
		code: TenantState['deltaExpiryCode'] = 'syncStateNotFound',
	): void {
		const state = this.tenant(tenant);
		state.deltaEpoch++;
		state.deltaExpiryCode = code;
	}

	/** At most `limit` API calls per `windowSeconds` for the tenant, then 429 with Retry-After. */
	setThrottle(limit: number | undefined, windowSeconds = 10, tenant?: string): void {
		const state = this.tenant(tenant);
		state.throttle =
			limit === undefined
				? undefined
				: { limit, windowMs: windowSeconds * 1000, windowStart: Date.now(), used: 0 };
	}

	issueToken(tenant: TenantState): { token: string; expiresIn: number } {
		const expiresIn = this.tokenLifetimeSeconds;
		const claims = Buffer.from(
			JSON.stringify({ tid: tenant.id, exp: Math.floor(Date.now() / 1000) + expiresIn }),
		).toString('base64url');
		const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${claims}.${randomBytes(18).toString('base64url')}`;
		this.tokens.set(token, { tenantId: tenant.id, expiresAt: Date.now() + expiresIn * 1000 });
		this.tokensIssued.set(tenant.id, (this.tokensIssued.get(tenant.id) ?? 0) + 1);
		return { token, expiresIn };
	}

	private insert(tenant: TenantState, raw: Record<string, unknown>, version: number): GraphUser {
		const upn = String(raw.userPrincipalName ?? '');
		const id = String(
			raw.id ?? guidFrom(`user:${tenant.id}:${upn || JSON.stringify(raw)}`),
		).toLowerCase();
		if (tenant.users.has(id)) throw new Error(`Tenant ${tenant.id} already has a user ${id}`);
		const user: GraphUser = { ...raw, id };
		tenant.users.set(id, { user, version });
		const domain = upn.includes('@') ? upn.slice(upn.lastIndexOf('@') + 1).toLowerCase() : '';
		if (domain && !domain.includes('#') && !tenant.domains.includes(domain))
			tenant.domains.push(domain);
		return user;
	}

	private mustFind(tenant: TenantState, idOrUpn: string): { user: GraphUser; version: number } {
		const entry = findUser(tenant, idOrUpn);
		if (!entry) throw new Error(`Tenant ${tenant.id} has no user "${idOrUpn}"`);
		return entry;
	}
}
