import axios from 'axios';
import type { AxiosResponse } from 'axios';

import { MicrosoftGraphAppApi } from '../../credentials/MicrosoftGraphAppApi.credentials';
import {
	GraphClient,
	GraphDeltaExpiredError,
	needsAdvancedQuery,
	odataString,
} from '../../lib/transport/graph';
import type { GraphRemovedUser, GraphUser } from '../../lib/transport/graph';
import { VendorApiError } from '../../lib/transport/http';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { DirectClient } from '../../dev/directClient';
import { bulkUsers, graphUser, messySeed, UPN } from './seed';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: messySeed() });
	sandbox.graph.addTenant({
		domain: 'bulk.onmicrosoft.com',
		users: bulkUsers('bulk.example', 1250),
	});
	sandbox.graph.addTenant({
		domain: 'fabrikam.onmicrosoft.com',
		users: [graphUser({ upn: 'ann@fabrikam.com', given: 'Ann', surname: 'Fab' })],
	});
});

afterAll(async () => {
	await sandbox.stop();
});

afterEach(() => {
	sandbox.faults.clear();
});

function direct(tenantId?: string) {
	const http = new DirectClient(new MicrosoftGraphAppApi(), {
		...sandbox.credentials.microsoftGraphAppApi,
		...(tenantId ? { tenantId } : {}),
		accessToken: '',
	});
	return { http, graph: new GraphClient(http) };
}

/** Off-contract requests on purpose: their request-side violations are expected and dropped. */
async function deliberate<T>(run: () => Promise<T>): Promise<T> {
	const before = sandbox.contractViolations.length;
	const result = await run();
	const added = sandbox.contractViolations.splice(before);
	sandbox.contractViolations.push(
		...added.filter((violation) => violation.direction !== 'request'),
	);
	return result;
}

async function token(
	tenant: string = SANDBOX_IDENTITIES.graph.tenantDomain,
	overrides: Record<string, string> = {},
): Promise<AxiosResponse> {
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: SANDBOX_IDENTITIES.graph.clientId,
		client_secret: SANDBOX_IDENTITIES.graph.clientSecret,
		scope: `${sandbox.urls.graph}/.default`,
		...overrides,
	});
	return await axios.post(
		`${sandbox.urls.graph}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
		form.toString(),
		{
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			validateStatus: () => true,
		},
	);
}

async function rawGet(
	path: string,
	params: Record<string, string>,
	options: { tenant?: string; eventual?: boolean } = {},
): Promise<AxiosResponse> {
	const minted = await token(options.tenant);
	return await axios.get(`${sandbox.urls.graph}/v1.0${path}`, {
		params,
		headers: {
			Authorization: `Bearer ${minted.data.access_token}`,
			...(options.eventual ? { ConsistencyLevel: 'eventual' } : {}),
		},
		validateStatus: () => true,
	});
}

async function failure(promise: Promise<unknown>): Promise<VendorApiError> {
	const outcome = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(outcome).toBeInstanceOf(VendorApiError);
	return outcome as VendorApiError;
}

const upns = (users: Array<Record<string, unknown>>) =>
	users.map((user) => user.userPrincipalName).sort();

describe('token endpoint', () => {
	test('client credentials give a bearer token for a tenant by domain or GUID', async () => {
		const byDomain = await token();
		expect(byDomain.status).toBe(200);
		expect(byDomain.data).toMatchObject({
			token_type: 'Bearer',
			expires_in: 3599,
			ext_expires_in: 3599,
		});
		expect(typeof byDomain.data.access_token).toBe('string');
		const byId = await token(SANDBOX_IDENTITIES.graph.tenantId);
		expect(byId.status).toBe(200);
	});

	test('a wrong secret is AADSTS7000215 (401), an unknown tenant AADSTS90002 (400), a bad scope invalid_scope', async () => {
		const secret = await token(undefined, { client_secret: 'wrong' });
		expect(secret.status).toBe(401);
		expect(secret.data.error).toBe('invalid_client');
		expect(secret.data.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);

		const tenant = await token('nowhere.onmicrosoft.com');
		expect(tenant.status).toBe(400);
		expect(tenant.data.error_description).toMatch(
			/^AADSTS90002: Tenant 'nowhere.onmicrosoft.com' not found/,
		);

		const scope = await token(undefined, { scope: 'User.Read.All' });
		expect(scope.status).toBe(400);
		expect(scope.data.error).toBe('invalid_scope');
	});

	test('the credential turns an AADSTS answer into a setup error naming the tenant, without the secret', async () => {
		const http = new DirectClient(new MicrosoftGraphAppApi(), {
			...sandbox.credentials.microsoftGraphAppApi,
			clientSecret: 'WRONG-SECRET-VALUE',
			accessToken: '',
		});
		const outcome = await new GraphClient(http).listUsers({ select: ['id'] }).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(outcome?.message).toContain(
			`did not issue a Graph token for tenant "${SANDBOX_IDENTITIES.graph.tenantId}"`,
		);
		expect(outcome?.message).toContain('AADSTS7000215');
		expect(outcome?.message).not.toContain('WRONG-SECRET-VALUE');
	});

	test('a token is bound to its tenant: /users answers with that tenant only', async () => {
		const contoso = await direct().graph.listUsers({ select: ['userPrincipalName'] });
		const fabrikam = await direct('fabrikam.onmicrosoft.com').graph.listUsers({
			select: ['userPrincipalName'],
		});
		expect(contoso).toHaveLength(sandbox.graph.users().length);
		expect(upns(fabrikam)).toEqual(['ann@fabrikam.com']);
	});

	test('missing, unknown and expired tokens are 401 InvalidAuthenticationToken', async () => {
		const none = await axios.get(`${sandbox.urls.graph}/v1.0/users`, {
			validateStatus: () => true,
		});
		expect(none.status).toBe(401);
		expect(none.data.error).toMatchObject({
			code: 'InvalidAuthenticationToken',
			message: 'Access token is empty.',
		});

		const minted = await token();
		sandbox.graph.expireTokens();
		const expired = await axios.get(`${sandbox.urls.graph}/v1.0/users`, {
			headers: { Authorization: `Bearer ${minted.data.access_token}` },
			validateStatus: () => true,
		});
		expect(expired.status).toBe(401);
		expect(expired.data.error.message).toBe('Lifetime validation failed, the token is expired.');
	});
});

describe('GET /users', () => {
	test('$select returns only the selected properties; without it, the default set', async () => {
		const selected = await rawGet('/users', { $select: 'id,mail,accountEnabled', $top: '2' });
		expect(selected.status).toBe(200);
		for (const user of selected.data.value)
			expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'id', 'mail']);

		const defaults = await rawGet('/users', { $top: '1' });
		expect(Object.keys(defaults.data.value[0]).sort()).toEqual([
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
		]);
		expect(defaults.data.value[0].accountEnabled).toBeUndefined();

		const unknown = await deliberate(
			async () => await rawGet('/users', { $select: 'id,shoeSize' }),
		);
		expect(unknown.status).toBe(400);
		expect(unknown.data.error.message).toContain("Could not find a property named 'shoeSize'");
	});

	test("$top must be 1..999, with Graph's own message", async () => {
		const tooBig = await rawGet('/users', { $top: '1000' });
		expect(tooBig.status).toBe(400);
		expect(tooBig.data.error.message).toBe(
			"Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
		);
		expect((await rawGet('/users', { $top: '0' })).status).toBe(400);
	});

	test('advanced filters fail without ConsistencyLevel: eventual + $count=true, exactly as Graph fails', async () => {
		const endsWith = await rawGet('/users', { $filter: "endsWith(mail,'@contoso.com')" });
		expect(endsWith.status).toBe(400);
		expect(endsWith.data.error.code).toBe('Request_UnsupportedQuery');
		expect(endsWith.data.error.message).toMatch(
			/^Operator 'endsWith' is not supported because the 'ConsistencyLevel:eventual' header is missing/,
		);

		const count = await rawGet('/users', { $filter: 'accountEnabled eq true', $count: 'true' });
		expect(count.status).toBe(400);
		expect(count.data.error).toMatchObject({
			code: 'Request_BadRequest',
			message: '$count is not currently supported.',
		});

		for (const filter of [
			'accountEnabled ne false',
			'not(accountEnabled eq true)',
			'assignedLicenses/$count ne 0',
		]) {
			const response = await rawGet('/users', { $filter: filter });
			expect([filter, response.status, response.data.error?.code]).toEqual([
				filter,
				400,
				'Request_UnsupportedQuery',
			]);
			// The header alone is not enough: $count=true is part of the contract.
			const headerOnly = await rawGet('/users', { $filter: filter }, { eventual: true });
			expect([filter, headerOnly.status]).toEqual([filter, 400]);
			const advanced = await rawGet(
				'/users',
				{ $filter: filter, $count: 'true' },
				{ eventual: true },
			);
			expect([filter, advanced.status]).toEqual([filter, 200]);
		}
		expect(endsWith.data.error.innerError).toHaveProperty('request-id');
	});

	test("every filter form we send evaluates like the directory (case-insensitive, '' escapes)", async () => {
		const cases: Array<[string, string[]]> = [
			["userType eq 'Guest'", [UPN.guest]],
			["mail eq 'adelev@contoso.com'", [UPN.adele]],
			["startsWith(displayName,'lan')", [UPN.isaiah]],
			["endsWith(mail,'@CONTOSO.CO.UK')", [UPN.nestor, UPN.pradeep]],
			["endsWith(userPrincipalName,'@contoso.co.uk')", [UPN.nestor]],
			["proxyAddresses/any(p:endsWith(p,'@contoso.co.uk'))", [UPN.nestor, UPN.pradeep]],
			["surname eq 'O''Brien'", [UPN.patrick]],
			[
				"userPrincipalName in ('diegos@contoso.com', 'gradya@contoso.com')",
				[UPN.disabled, UPN.unlicensed],
			],
			['accountEnabled eq false', [UPN.disabled, UPN.sharedInfo]],
			['assignedLicenses/$count eq 0', [UPN.guest, UPN.unlicensed, UPN.sharedInfo]],
			['mail eq null', [UPN.lee, UPN.megan, UPN.noAddress]],
			[`assignedLicenses/any(x:x/skuId eq 6070a4c8-34c6-4937-8dfb-39bbc6397a60)`, [UPN.room]],
			["(givenName eq 'Zoë' or givenName eq 'Lee') and not(surname eq 'Gu')", [UPN.zoe]],
		];
		for (const [filter, expected] of cases) {
			const response = await rawGet(
				'/users',
				{ $filter: filter, $count: 'true', $select: 'userPrincipalName' },
				{ eventual: true },
			);
			expect([filter, response.status]).toEqual([filter, 200]);
			expect([filter, upns(response.data.value)]).toEqual([filter, [...expected].sort()]);
			expect(response.data['@odata.count']).toBe(expected.length);
		}
	});

	test('a malformed or injected $filter is a 400 BadRequest with innerError', async () => {
		for (const filter of [
			"mail eq 'unterminated",
			'accountEnabled eq',
			"endsWith(mail,'@contoso.com') or (1 eq 1)",
			'shoeSize eq 3',
			"((mail eq 'a@b.c')",
		]) {
			const response = await rawGet(
				'/users',
				{ $filter: filter, $count: 'true' },
				{ eventual: true },
			);
			expect([filter, response.status, response.data.error?.code]).toEqual([
				filter,
				400,
				'BadRequest',
			]);
			expect(response.data.error.innerError).toHaveProperty('date');
		}
	});

	test('nextLink pages carry the query; a nextLink without the header fails like the first call', async () => {
		const first = await rawGet(
			'/users',
			{ $filter: 'assignedLicenses/$count ne 0', $count: 'true', $top: '600', $select: 'id' },
			{ tenant: 'bulk.onmicrosoft.com', eventual: true },
		);
		expect(first.status).toBe(200);
		expect(first.data['@odata.count']).toBe(1250);
		const next = first.data['@odata.nextLink'] as string;
		expect(next).toMatch(/\$skiptoken=/);
		expect(decodeURIComponent(next)).toContain('$filter=assignedLicenses/$count ne 0');
		const minted = await token('bulk.onmicrosoft.com');
		const withoutHeader = await axios.get(next, {
			headers: { Authorization: `Bearer ${minted.data.access_token}` },
			validateStatus: () => true,
		});
		expect(withoutHeader.status).toBe(400);
		expect(withoutHeader.data.error.message).toBe('$count is not currently supported.');
		const withHeader = await axios.get(next, {
			headers: {
				Authorization: `Bearer ${minted.data.access_token}`,
				ConsistencyLevel: 'eventual',
			},
			validateStatus: () => true,
		});
		expect(withHeader.status).toBe(200);
		expect(withHeader.data.value).toHaveLength(600);
		expect(withHeader.data['@odata.count']).toBeUndefined();
		// A page token of one tenant is not valid in another.
		const fabrikam = await token('fabrikam.onmicrosoft.com');
		const crossTenant = await axios.get(next, {
			headers: {
				Authorization: `Bearer ${fabrikam.data.access_token}`,
				ConsistencyLevel: 'eventual',
			},
			validateStatus: () => true,
		});
		expect(crossTenant.status).toBe(400);
	});

	test('a user by id or user principal name (#EXT# included); 404 Request_ResourceNotFound otherwise', async () => {
		const { graph } = direct();
		const guest = sandbox.graph.user(UPN.guest)!;
		expect((await graph.getUser(UPN.guest, ['id', 'userType'])).id).toBe(guest.id);
		expect(await graph.getUser(guest.id, ['id', 'mail'])).toEqual({
			'@odata.context': expect.any(String),
			id: guest.id,
			mail: 'jane@fabrikam.com',
		});
		const missing = await failure(graph.getUser('nobody@contoso.com', ['id']));
		expect(missing.httpCode).toBe(404);
		expect(missing.vendorCode).toBe('Request_ResourceNotFound');
		expect(missing.description).toMatch(/no user with this ID or user principal name/);
	});

	test('without the permission: 403 Authorization_RequestDenied, mapped to the admin-consent fix', async () => {
		sandbox.graph.addTenant({ domain: 'noconsent.onmicrosoft.com', permissions: [] });
		const error = await failure(
			direct('noconsent.onmicrosoft.com').graph.listUsers({ select: ['id'] }),
		);
		expect(error.httpCode).toBe(403);
		expect(error.vendorCode).toBe('Authorization_RequestDenied');
		expect(error.message).toBe(
			'Microsoft Graph: Insufficient privileges to complete the operation. (Authorization_RequestDenied)',
		);
		expect(error.description).toContain('User.Read.All');
		expect(error.description).toContain('admin consent');
	});
});

describe('GraphClient (transport)', () => {
	test('pages past 999 with $top=999 and sends the advanced-query header on every page', async () => {
		const { graph } = direct('bulk.onmicrosoft.com');
		const before = sandbox.graph.calls.length;
		const users = await graph.listUsers({
			select: ['id', 'mail'],
			filter:
				"accountEnabled eq true and assignedLicenses/$count ne 0 and endsWith(mail,'@bulk.example')",
		});
		expect(users).toHaveLength(1250);
		expect(new Set(users.map((user) => user.id)).size).toBe(1250);
		const calls = sandbox.graph.calls.slice(before);
		expect(calls).toHaveLength(2);
		for (const call of calls) {
			expect(call).toMatchObject({ status: 200, consistencyLevel: 'eventual' });
			expect(call.query).toMatchObject({ $count: 'true', $top: '999', $select: 'id,mail' });
		}
		expect(calls[1].query.$skiptoken).toBeDefined();
	});

	test('a standard filter is sent without the advanced-query header; limit stops paging', async () => {
		const { graph } = direct('bulk.onmicrosoft.com');
		const before = sandbox.graph.calls.length;
		const users = await graph.listUsers({
			select: ['id'],
			filter: 'accountEnabled eq true',
			top: 500,
			limit: 700,
		});
		expect(users).toHaveLength(700);
		const calls = sandbox.graph.calls.slice(before);
		expect(calls).toHaveLength(2);
		expect(
			calls.every((call) => call.consistencyLevel === undefined && call.query.$count === undefined),
		).toBe(true);
	});

	test('needsAdvancedQuery and odataString: quoted text never counts, apostrophes are doubled', () => {
		expect(needsAdvancedQuery("accountEnabled eq true and userType eq 'Member'")).toBe(false);
		expect(needsAdvancedQuery("displayName eq 'not ne endsWith(x)'")).toBe(false);
		for (const filter of [
			"endsWith(mail,'@x.com')",
			'accountEnabled ne false',
			'not(accountEnabled eq true)',
			'assignedLicenses/$count ne 0',
			"proxyAddresses/any(p:startsWith(p,'smtp:'))",
			'mail eq null',
		]) {
			expect([filter, needsAdvancedQuery(filter)]).toEqual([filter, true]);
		}
		expect(odataString("contoso.com') or (1 eq 1")).toBe("'contoso.com'') or (1 eq 1'");
	});

	test('an escaped value cannot widen a filter', async () => {
		const { graph } = direct();
		const hostile = "@contoso.com') or (accountEnabled eq true";
		const users = await graph.listUsers({
			select: ['id'],
			filter: `endsWith(mail,${odataString(hostile)})`,
		});
		expect(users).toEqual([]);
	});

	test('429 with Retry-After is waited out; the caller sees the data', async () => {
		const { graph } = direct('fabrikam.onmicrosoft.com');
		sandbox.graph.setThrottle(1, 1, 'fabrikam.onmicrosoft.com');
		const before = sandbox.log.count({ vendor: 'graph', status: 429 });
		const first = await graph.listUsers({ select: ['id'] });
		const second = await graph.listUsers({ select: ['id'] });
		sandbox.graph.setThrottle(undefined, 1, 'fabrikam.onmicrosoft.com');
		expect(first).toHaveLength(1);
		expect(second).toHaveLength(1);
		expect(sandbox.log.count({ vendor: 'graph', status: 429 }) - before).toBeGreaterThanOrEqual(1);
		const throttled = sandbox.log.filter({ vendor: 'graph', status: 429 }).slice(-1)[0];
		expect(throttled.path).toBe('/v1.0/users');
	});

	test('503 faults are retried; a fault that persists surfaces with the fix', async () => {
		const { graph } = direct('fabrikam.onmicrosoft.com');
		sandbox.faults.add({
			vendor: 'graph',
			kind: 'status',
			status: 503,
			retryAfterSeconds: 0,
			path: '/v1.0/users',
			nth: [1],
			body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } },
		});
		expect(await graph.listUsers({ select: ['id'] })).toHaveLength(1);
	});
});

describe('GET /users/delta', () => {
	test('a full round, then only changes and removals; reasons changed/deleted; disabled users as changes', async () => {
		const tenant = 'delta.onmicrosoft.com';
		sandbox.graph.deltaPageSize = 3;
		sandbox.graph.addTenant({ domain: tenant, users: bulkUsers('delta.example', 7) });
		const { graph } = direct(tenant);
		const select = ['id', 'userPrincipalName', 'accountEnabled'];

		const initial = await graph.delta({ select });
		expect(initial.items).toHaveLength(7);
		expect(initial.pages).toBe(3);
		expect(initial.deltaLink).toMatch(/^\/users\/delta\(\)\?\$deltatoken=/);

		const unchanged = await graph.delta({ select, link: initial.deltaLink });
		expect(unchanged.items).toEqual([]);

		const added = sandbox.graph.addUser(
			graphUser({ upn: 'new@delta.example', given: 'New', surname: 'Person' }),
			tenant,
		);
		sandbox.graph.disableUser('user0002@delta.example', tenant);
		sandbox.graph.updateUser('user0003@delta.example', { jobTitle: 'Changed title' }, tenant);
		const softDeleted = sandbox.graph.user('user0004@delta.example', tenant)!.id;
		const hardDeleted = sandbox.graph.user('user0005@delta.example', tenant)!.id;
		sandbox.graph.deleteUser(softDeleted, {}, tenant);
		sandbox.graph.deleteUser(hardDeleted, { permanent: true }, tenant);

		const changes = await graph.delta({ select, link: unchanged.deltaLink });
		const byId = new Map(changes.items.map((item) => [item.id, item]));
		expect(byId.size).toBe(5);
		expect(byId.get(added.id)).toMatchObject({ userPrincipalName: 'new@delta.example' });
		expect(byId.get(sandbox.graph.user('user0002@delta.example', tenant)!.id)).toMatchObject({
			accountEnabled: false,
		});
		// jobTitle was not selected: the change still surfaces, with the selected properties only.
		expect(
			Object.keys(byId.get(sandbox.graph.user('user0003@delta.example', tenant)!.id)!).sort(),
		).toEqual(select.slice().sort());
		expect((byId.get(softDeleted) as GraphRemovedUser)['@removed']).toEqual({ reason: 'changed' });
		expect((byId.get(hardDeleted) as GraphRemovedUser)['@removed']).toEqual({ reason: 'deleted' });

		// Delta links may be replayed: the same link gives the same changes again.
		const replay = await graph.delta({ select, link: unchanged.deltaLink });
		expect(replay.items.map((item) => item.id).sort()).toEqual([...byId.keys()].sort());

		// Restoring a soft-deleted user brings it back as a change.
		sandbox.graph.restoreUser(softDeleted, tenant);
		const restored = await graph.delta({ select, link: changes.deltaLink });
		expect(restored.items).toEqual([
			expect.objectContaining({ id: softDeleted, userPrincipalName: 'user0004@delta.example' }),
		]);
		sandbox.graph.deltaPageSize = 200;
	});

	test('an expired link answers 410 syncStateNotFound with a Location; the transport falls back to a full read', async () => {
		const { graph } = direct('fabrikam.onmicrosoft.com');
		const round = await graph.delta({ select: ['id'] });
		sandbox.graph.expireDeltaTokens('fabrikam.onmicrosoft.com');
		const minted = await token('fabrikam.onmicrosoft.com');
		const raw = await axios.get(`${sandbox.urls.graph}/v1.0${round.deltaLink}`, {
			headers: { Authorization: `Bearer ${minted.data.access_token}` },
			validateStatus: () => true,
		});
		expect(raw.status).toBe(410);
		expect(raw.data.error.code).toBe('syncStateNotFound');
		expect(raw.headers.location).toContain('/v1.0/users/delta()');

		const expired = await failure(graph.delta({ select: ['id'], link: round.deltaLink }));
		expect(expired).toBeInstanceOf(GraphDeltaExpiredError);
		const fallback = await graph.deltaOrFullRead({ select: ['id'], link: round.deltaLink });
		expect(fallback.expired?.vendorCode).toBe('syncStateNotFound');
		expect(fallback.items).toHaveLength(1);
	});

	test('a delta link of one tenant is refused in another', async () => {
		const fabrikam = await direct('fabrikam.onmicrosoft.com').graph.delta({ select: ['id'] });
		const error = await failure(direct().graph.delta({ select: ['id'], link: fabrikam.deltaLink }));
		expect(error.httpCode).toBe(400);
	});

	test('the SDK spelling of the delta path answers too', async () => {
		const response = await rawGet(
			'/users/microsoft.graph.delta()',
			{ $select: 'id' },
			{ tenant: 'fabrikam.onmicrosoft.com' },
		);
		expect(response.status).toBe(200);
		expect(response.data['@odata.deltaLink']).toBeDefined();
	});
});

describe('state and contract', () => {
	test('dump() writes the default tenant in the seed layout', () => {
		const dumped = sandbox.dump().graph.users as GraphUser[];
		expect(dumped.map((user) => user.userPrincipalName).sort()).toEqual(
			sandbox.graph
				.users()
				.map((user) => user.userPrincipalName)
				.sort(),
		);
		expect(dumped.find((user) => user.userPrincipalName === UPN.adele)).toMatchObject({
			assignedLicenses: [expect.any(Object)],
			proxyAddresses: expect.any(Array),
		});
	});

	test('every request and response matched the Graph contract', () => {
		expect(sandbox.contractViolations).toEqual([]);
	});
});
