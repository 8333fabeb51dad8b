/**
 * The Graph sandbox's live state: tenants (each with its own users, change history for delta
 * queries and optional throttling budget), the tokens issued and which tenant each belongs to.
 * Tests change users through the methods here so that every change feeds /users/delta.
 */
import { createHash, randomBytes } from 'node:crypto';

import { SANDBOX_IDENTITIES } from '../credentials';

export type GraphUser = Record<string, unknown> & { id: string };

/** The user properties of the trimmed contract plus the other default ones Graph returns. */
export const USER_PROPERTIES = [
	'id',
	'deletedDateTime',
	'accountEnabled',
	'assignedLicenses',
	'businessPhones',
	'companyName',
	'createdDateTime',
	'department',
	'displayName',
	'employeeId',
	'givenName',
	'jobTitle',
	'mail',
	'mailNickname',
	'mobilePhone',
	'officeLocation',
	'onPremisesSyncEnabled',
	'otherMails',
	'preferredLanguage',
	'proxyAddresses',
	'surname',
	'usageLocation',
	'userPrincipalName',
	'userType',
];

/** Returned when the request has no $select (user-list.md). */
export const DEFAULT_USER_PROPERTIES = [
	'businessPhones',
	'displayName',
	'givenName',
	'id',
	'jobTitle',
	'mail',
	'mobilePhone',
	'officeLocation',
	'preferredLanguage',
	'surname',
	'userPrincipalName',
];

/** Only on a single-user GET; on /users they answer 501 (user-list.md). */
export const SINGLE_USER_ONLY_PROPERTIES = [
	'aboutMe',
	'birthday',
	'hireDate',
	'interests',
	'mySite',
	'pastProjects',
	'preferredName',
	'responsibilities',
	'schools',
	'skills',
	'mailboxSettings',
];

export const COLLECTION_PROPERTIES = [
	'assignedLicenses',
	'businessPhones',
	'otherMails',
	'proxyAddresses',
];

/** Application permissions that allow reading users (least to most privileged). */
export const USER_READ_PERMISSIONS = [
	'User.Read.All',
	'User.ReadWrite.All',
	'Directory.Read.All',
	'Directory.ReadWrite.All',
];

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
}

export interface IssuedToken {
	tenantId: string;
	expiresAt: number;
	/** Expires once the API has answered this many more calls (tests force a refresh mid-run). */
	usesLeft?: number;
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

	constructor(seedUsers: unknown[]) {
		const identity = SANDBOX_IDENTITIES.graph;
		this.defaultTenantId = this.addTenant({
			id: identity.tenantId,
			domain: identity.tenantDomain,
			users: seedUsers as Array<Record<string, unknown>>,
		}).id;
	}

	addTenant(input: TenantInput): TenantState {
		const id = (input.id ?? guidFrom(`tenant:${input.domain}`)).toLowerCase();
		const tenant: TenantState = {
			id,
			domains: [input.domain.toLowerCase(), ...(input.domains ?? []).map((d) => d.toLowerCase())],
			users: new Map(),
			deletedUsers: new Map(),
			removals: [],
			version: 0,
			deltaEpoch: 1,
			deltaExpiryCode: 'syncStateNotFound',
			permissions: input.permissions ?? ['User.Read.All'],
			consented: input.consented ?? true,
		};
		this.tenants.set(id, tenant);
		for (const user of input.users ?? []) this.insert(tenant, user, 0);
		return tenant;
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

/** A stable GUID from a text (seeds without ids get the same ids on every start). */
export function guidFrom(text: string): string {
	const hex = createHash('sha1').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
