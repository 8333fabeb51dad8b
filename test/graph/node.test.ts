import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { buildUserQuery } from '../../lib/contacts/graph';
import { GraphClient } from '../../lib/transport/graph';
import { MicrosoftGraphAppApi } from '../../credentials/MicrosoftGraphAppApi.credentials';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { sandboxSecrets, SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow, StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { DirectClient } from '../../dev/directClient';
import { Office365Users } from '../../nodes/Office365Users/Office365Users.node';
import { bulkUsers, graphUser, messySeed, UPN } from './seed';

const pkg = loadSourcePackage();
let sandbox: Sandbox;
let store: CredentialStore;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: messySeed() });
	sandbox.graph.addTenant({
		domain: 'bulk.onmicrosoft.com',
		users: bulkUsers('bulk.example', 1250),
	});
	sandbox.graph.addTenant({
		domain: 'fabrikam.onmicrosoft.com',
		users: [
			graphUser({ upn: 'ann@fabrikam.com', given: 'Ann', surname: 'Fabrikam' }),
			graphUser({ upn: 'ben@fabrikam.com', given: 'Ben', surname: 'Fabrikam' }),
		],
	});
	store = new CredentialStore(pkg.credentialTypes, {
		microsoftGraphAppApi: sandbox.credentials.microsoftGraphAppApi,
	});
});

afterAll(async () => {
	await sandbox.stop();
});

afterEach(() => {
	sandbox.faults.clear();
});

function usersWorkflow(
	parameters: INodeParameters,
	options: { continueOnFail?: boolean; id?: string } = {},
): WorkflowDefinition {
	const workflow = singleNodeWorkflow({
		name: 'Users',
		type: `${PACKAGE_NAME}.office365Users`,
		parameters: { resource: 'user', ...parameters },
		credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph' } },
	});
	if (options.continueOnFail) workflow.nodes[1].onError = 'continueRegularOutput';
	if (options.id) workflow.id = options.id;
	return workflow;
}

async function run(
	parameters: INodeParameters,
	options: { input?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runWorkflow({
		pkg,
		credentials: store,
		workflow: usersWorkflow(parameters, options),
		input: options.input,
	});
}

/** The Graph calls made during `action`, as the sandbox saw them. */
async function callsDuring<T>(action: () => Promise<T>) {
	const before = sandbox.graph.calls.length;
	const result = await action();
	return { result, calls: sandbox.graph.calls.slice(before) };
}

const emails = (items: IDataObject[]) => items.map((item) => item.email as string).sort();

const DEFAULT_FILTER =
	"accountEnabled eq true and assignedLicenses/$count ne 0 and userType eq 'Member'";

describe('Get Many', () => {
	test('default filters go to Graph as one advanced query; the messy users map to canonical contacts', async () => {
		const { result, calls } = await callsDuring(
			async () => await run({ operation: 'getAll', returnAll: true }),
		);
		expect(result.status).toBe('success');
		expect(calls).toHaveLength(1);
		expect(calls[0].query).toMatchObject({ $filter: DEFAULT_FILTER, $count: 'true', $top: '999' });
		expect(calls[0].query.$select.split(',').sort()).toEqual([
			'accountEnabled',
			'assignedLicenses',
			'businessPhones',
			'displayName',
			'givenName',
			'id',
			'jobTitle',
			'mail',
			'mobilePhone',
			'proxyAddresses',
			'surname',
			'userPrincipalName',
			'userType',
		]);
		expect(calls[0].consistencyLevel).toBe('eventual');

		const users = result.json('Users', 0);
		expect(emails(users)).toEqual([
			'adelev@contoso.com',
			'alexw@contoso.com',
			'confroom.seattle@contoso.com',
			'henriettam@contoso.com',
			'isaiah@contoso.com',
			'leeg@contoso.com',
			'meganb@contoso.com',
			'nestorw@contoso.co.uk',
			"patrick.o'brien@contoso.com",
			'pradeep@contoso.co.uk',
			'support@contoso.com',
			'zoe.angstrom@contoso.com',
		]);
		const byEmail = new Map(users.map((user) => [user.email, user]));
		expect(byEmail.get('adelev@contoso.com')).toEqual({
			system: 'm365',
			id: sandbox.graph.user(UPN.adele)!.id,
			companyId: '',
			email: 'adelev@contoso.com',
			emails: ['adelev@contoso.com', 'adele@contoso.onmicrosoft.com'],
			firstName: 'Adele',
			lastName: 'Vance',
			title: 'Retail Manager',
			phone: '+1 425 555 0109',
			mobile: '',
			active: true,
		});
		// Blank title, no phones, a whitespace mobile: blanks, never placeholders.
		expect(byEmail.get('alexw@contoso.com')).toMatchObject({ title: '', phone: '', mobile: '' });
		// mail null: the primary SMTP proxy address wins over the alias; else a routable UPN.
		expect(byEmail.get('meganb@contoso.com')).toMatchObject({
			firstName: 'Megan',
			emails: ['meganb@contoso.com', 'megan@contoso.onmicrosoft.com'],
		});
		expect(byEmail.get('leeg@contoso.com')).toMatchObject({ firstName: 'Lee', lastName: 'Gu' });
		// No given name or surname: both from "Last, First".
		expect(byEmail.get('isaiah@contoso.com')).toMatchObject({
			firstName: 'Isaiah',
			lastName: 'Langer',
		});
		expect(byEmail.get('zoe.angstrom@contoso.com')).toMatchObject({
			firstName: 'Zoë',
			lastName: 'Ångström',
			title: 'Ingénieure',
		});
		expect(byEmail.get("patrick.o'brien@contoso.com")).toMatchObject({
			lastName: "O'Brien",
			title: "Director of Children's Services",
		});
		expect(byEmail.get('henriettam@contoso.com')).toMatchObject({ mobile: '+1 206 555 0199' });

		// The account without any usable address is not dropped: it goes to the second output, with the reason.
		const noAddress = result.json('Users', 1);
		expect(noAddress).toHaveLength(1);
		expect(noAddress[0]).toMatchObject({
			id: sandbox.graph.user(UPN.noAddress)!.id,
			email: '',
			firstName: 'Sync',
			lastName: 'Admin',
		});
		expect(noAddress[0].noAddressReason).toBe(
			'No usable email address: no mail, no SMTP proxy address, the user principal name "syncadmin@contoso.onmicrosoft.com" is not a routable address',
		);
		expect(
			result.items('Users', 0).every((item) => JSON.stringify(item.pairedItem) === '{"item":0}'),
		).toBe(true);
	});

	test('no filters: every user, no $filter and no advanced-query header', async () => {
		const { result, calls } = await callsDuring(
			async () => await run({ operation: 'getAll', returnAll: true, filters: {} }),
		);
		expect(calls[0].query.$filter).toBeUndefined();
		expect(calls[0].query.$count).toBeUndefined();
		expect(calls[0].consistencyLevel).toBeUndefined();
		expect(result.json('Users', 0)).toHaveLength(17);
		expect(result.json('Users', 1)).toHaveLength(1);
		const disabled = result.json('Users', 0).find((user) => user.email === 'diegos@contoso.com');
		expect(disabled).toMatchObject({ active: false, inactiveReason: 'disabled' });
		expect(
			result.json('Users', 0).find((user) => user.email === 'gradya@contoso.com'),
		).toMatchObject({ active: false, inactiveReason: 'unlicensed' });
	});

	test.each([
		[
			'enabledOnly',
			{ enabledOnly: true },
			'accountEnabled eq true',
			false,
			[UPN.disabled, UPN.sharedInfo],
		],
		[
			'licensedOnly',
			{ licensedOnly: true },
			'assignedLicenses/$count ne 0',
			true,
			[UPN.unlicensed, UPN.guest, UPN.sharedInfo],
		],
		// Guests by userType at Graph; the #EXT# member by the node.
		[
			'membersOnly',
			{ membersOnly: true },
			"userType eq 'Member'",
			false,
			[UPN.guest, UPN.extMember],
		],
		// Not a Graph filter at all: the node drops the room and the role mailboxes.
		[
			'excludeShared',
			{ excludeShared: true },
			undefined,
			false,
			[UPN.sharedInfo, UPN.sharedSupport, UPN.room],
		],
		[
			'rawFilter',
			{ rawFilter: "not(startsWith(givenName,'A'))" },
			"(not(startsWith(givenName,'A')))",
			true,
			[UPN.adele, UPN.alex],
		],
	])(
		'%s: sent as %p, removes exactly its users',
		async (_name, filters, serverFilter, advanced, removedUpns) => {
			const { result, calls } = await callsDuring(
				async () => await run({ operation: 'getAll', returnAll: true, filters }),
			);
			expect(result.status).toBe('success');
			expect(calls[0].query.$filter).toBe(serverFilter);
			expect(calls[0].consistencyLevel).toBe(advanced ? 'eventual' : undefined);
			expect(calls[0].query.$count).toBe(advanced ? 'true' : undefined);
			const seen = new Set(
				[...result.json('Users', 0), ...result.json('Users', 1)].map((user) => user.id),
			);
			const removed = sandbox.graph
				.users()
				.filter((user) => !seen.has(user.id))
				.map((user) => String(user.userPrincipalName))
				.sort();
			expect(removed).toEqual([...removedUpns].sort());
		},
	);

	test('email domains: Graph narrows by mail, UPN and proxy addresses; the node keeps a user with any address there', async () => {
		const { result, calls } = await callsDuring(
			async () =>
				await run({
					operation: 'getAll',
					returnAll: true,
					filters: { emailDomains: '@Contoso.co.uk' },
				}),
		);
		expect(calls[0].query.$filter).toBe(
			"(endsWith(mail,'@contoso.co.uk') or endsWith(userPrincipalName,'@contoso.co.uk') or proxyAddresses/any(p:endsWith(p,'@contoso.co.uk')))",
		);
		expect(calls[0].consistencyLevel).toBe('eventual');
		expect(emails(result.json('Users', 0))).toEqual([
			'nestorw@contoso.co.uk',
			'pradeep@contoso.co.uk',
		]);

		// Pradeep's UPN and an alias are @contoso.com, his address @contoso.co.uk: he owns those
		// addresses, so he is kept (Contact Reconcile syncs by his address, but must know he exists).
		const contoso = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { enabledOnly: true, emailDomains: 'contoso.com, contoso.com' },
		});
		const users = contoso.json('Users', 0);
		const list = emails(users);
		expect(list).toContain('pradeep@contoso.co.uk');
		expect(list).toContain('meganb@contoso.com');
		expect(list).toContain('leeg@contoso.com');
		for (const user of users)
			expect((user.emails as string[]).some((e) => e.endsWith('@contoso.com'))).toBe(true);
		expect(list.filter((email) => !email.endsWith('@contoso.com'))).toEqual([
			'pradeep@contoso.co.uk',
		]);
		expect(contoso.json('Users', 1)).toEqual([]);
	});

	test('injection attempts cannot widen the result: a hostile domain is refused, escaped values match nothing', async () => {
		const result = await run(
			{ operation: 'getAll', returnAll: true, filters: { emailDomains: '={{ $json.domain }}' } },
			{
				input: [{ domain: "contoso.com') or (1 eq 1" }, { domain: 'contoso.co.uk' }],
				continueOnFail: true,
			},
		);
		const out = result.json('Users', 0);
		expect(out[0].error).toBe('"contoso.com\')" in Email Domains is not a domain [item 0]');
		expect(out[0].field).toBe('Email Domains');
		expect(emails(out.slice(1))).toEqual(['nestorw@contoso.co.uk', 'pradeep@contoso.co.uk']);

		// Below the input check, the filter builder escapes: the hostile text stays one literal.
		const query = buildUserQuery({
			enabledOnly: false,
			licensedOnly: false,
			membersOnly: false,
			domains: ["contoso.com') or (accountEnabled eq true"],
			excludeShared: false,
		});
		const http = new DirectClient(new MicrosoftGraphAppApi(), {
			...sandbox.credentials.microsoftGraphAppApi,
			accessToken: '',
		});
		expect(
			await new GraphClient(http).listUsers({ select: ['id'], filter: query.serverFilter }),
		).toEqual([]);

		// A raw filter that closes its group early is refused before it reaches Graph.
		const { result: raw, calls } = await callsDuring(
			async () =>
				await run(
					{
						operation: 'getAll',
						returnAll: true,
						filters: { rawFilter: "userType eq 'Guest') or (accountEnabled eq true" },
					},
					{ continueOnFail: true },
				),
		);
		expect(calls).toEqual([]);
		expect(raw.json('Users', 0)[0]).toMatchObject({
			error: 'Raw Filter has unbalanced parentheses [item 0]',
			field: 'Raw Filter',
		});
	});

	test('Graph rejecting a raw filter surfaces its code, message and a fix', async () => {
		const result = await run(
			{ operation: 'getAll', returnAll: true, filters: { rawFilter: 'shoeSize eq 44' } },
			{ continueOnFail: true },
		);
		const [error] = result.json('Users', 0);
		expect(error.error).toBe(
			"Microsoft Graph: Could not find a property named 'shoeSize' on type 'microsoft.graph.user'. (BadRequest) [item 0]",
		);
		expect(error.httpCode).toBe('400');
		expect(error.errorDescription).toContain('Raw Filter');
	});

	test('paging past 999 in another tenant: $top=999, every page with ConsistencyLevel and $count', async () => {
		const { result, calls } = await callsDuring(
			async () =>
				await run({ operation: 'getAll', returnAll: true, tenantId: 'bulk.onmicrosoft.com' }),
		);
		expect(result.status).toBe('success');
		const users = result.json('Users', 0);
		expect(users).toHaveLength(1250);
		expect(new Set(users.map((user) => user.id)).size).toBe(1250);
		expect(users.every((user) => String(user.email).endsWith('@bulk.example'))).toBe(true);
		expect(calls).toHaveLength(2);
		for (const call of calls) {
			expect(call).toMatchObject({
				status: 200,
				consistencyLevel: 'eventual',
				path: '/v1.0/users',
			});
			expect(call.query).toMatchObject({ $count: 'true', $top: '999', $filter: DEFAULT_FILTER });
		}
		expect(calls[1].query.$skiptoken).toBeDefined();
	});

	test("Limit stops early; Simplify off returns Graph's objects with the extra properties", async () => {
		const limited = await run({
			operation: 'getAll',
			returnAll: false,
			limit: 3,
			tenantId: 'bulk.onmicrosoft.com',
		});
		expect(limited.json('Users', 0)).toHaveLength(3);

		const raw = await run({
			operation: 'getAll',
			returnAll: true,
			simplify: false,
			filters: {},
			options: { extraProperties: 'department, officeLocation' },
		});
		const adele = raw.json('Users', 0).find((user) => user.userPrincipalName === UPN.adele)!;
		expect(adele).toMatchObject({
			mail: 'AdeleV@Contoso.com',
			accountEnabled: true,
			userType: 'Member',
			department: null,
			officeLocation: null,
		});
		expect(adele.assignedLicenses).toEqual([
			expect.objectContaining({ skuId: expect.any(String) }),
		]);
		expect(adele.email).toBeUndefined();
		expect(raw.json('Users', 1)[0]).toMatchObject({
			userPrincipalName: UPN.noAddress,
			noAddressReason: expect.stringContaining('No usable email address'),
		});

		const bad = await run(
			{ operation: 'getAll', options: { extraProperties: 'department, $expand=manager' } },
			{ continueOnFail: true },
		);
		expect(bad.json('Users', 0)[0].field).toBe('Extra Properties');
	});
});

describe('Get', () => {
	test('by id, by user principal name (a guest #EXT# UPN), and a 404 that names the item', async () => {
		const adele = sandbox.graph.user(UPN.adele)!;
		const result = await run(
			{ operation: 'get', user: { __rl: true, mode: 'id', value: '={{ $json.user }}' } },
			{
				input: [{ user: adele.id }, { user: UPN.guest }, { user: 'nobody@contoso.com' }],
				continueOnFail: true,
			},
		);
		const out = result.json('Users', 0);
		expect(out[0]).toMatchObject({ id: adele.id, email: 'adelev@contoso.com' });
		expect(out[1]).toMatchObject({
			email: 'jane@fabrikam.com',
			active: false,
			inactiveReason: 'unlicensed',
		});
		expect(out[2].error).toBe(
			"Microsoft Graph: Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present. (Request_ResourceNotFound) [item 2]",
		);
		expect(out[2].httpCode).toBe('404');
		expect(result.items('Users', 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);

		const noAddress = await run({
			operation: 'get',
			user: { __rl: true, mode: 'userPrincipalName', value: UPN.noAddress },
		});
		expect(noAddress.json('Users', 0)).toEqual([]);
		expect(noAddress.json('Users', 1)[0]).toMatchObject({
			firstName: 'Sync',
			noAddressReason: expect.any(String),
		});

		const empty = await run(
			{ operation: 'get', user: { __rl: true, mode: 'id', value: '={{ $json.user }}' } },
			{ input: [{ user: ' ' }], continueOnFail: true },
		);
		expect(empty.json('Users', 0)[0]).toMatchObject({
			error: 'User is empty [item 0]',
			field: 'User',
		});
	});

	test('a typed value that is neither an ID nor a user principal name fails its own item, naming the field', async () => {
		const adele = sandbox.graph.user(UPN.adele)!;
		const result = await run(
			{ operation: 'get', user: { __rl: true, mode: 'id', value: '={{ $json.user }}' } },
			{ input: [{ user: 'Adele Vance' }, { user: adele.id }], continueOnFail: true },
		);
		const out = result.json('Users', 0);
		expect(out[0]).toMatchObject({
			error:
				'User "Adele Vance" is neither a Microsoft 365 user ID (a GUID) nor a user principal name (name@domain) [item 0]',
			field: 'User',
			errorDescription: expect.stringContaining('Pick the user from the list'),
		});
		expect(out[1]).toMatchObject({ id: adele.id, email: 'adelev@contoso.com' });
		expect(result.items('Users', 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});
});

describe('user picker (list search)', () => {
	/** A load-options context whose HTTP goes through the real credential class (DirectClient). */
	function loadOptionsContext(tenantParameter: string) {
		const client = new DirectClient(new MicrosoftGraphAppApi(), {
			...sandbox.credentials.microsoftGraphAppApi,
			accessToken: '',
		});
		return {
			getCurrentNodeParameter: (name: string) =>
				name === 'tenantId' ? tenantParameter : undefined,
			getNode: () => ({
				name: 'Users',
				credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph' } },
			}),
			getCredentials: async () => ({ ...client.credentials }),
			helpers: {
				httpRequestWithAuthentication: async (
					_type: string,
					options: IDataObject,
					extra: { credentialsDecrypted: { data: IDataObject } },
				) => {
					Object.assign(client.credentials, { tenantId: extra.credentialsDecrypted.data.tenantId });
					const response = await client.send({
						method: 'GET',
						url: String(options.url),
						qs: options.qs as never,
						headers: options.headers as never,
					});
					return { statusCode: response.status, headers: response.headers, body: response.body };
				},
			},
		};
	}

	test('searches by name, mail or UPN with an escaped value, pages with the nextLink, honours a literal tenant', async () => {
		const search = new Office365Users().methods.listSearch.searchUsers;
		const { result, calls } = await callsDuring(
			async () => await search.call(loadOptionsContext('') as never, "patrick.o'"),
		);
		expect(calls[0].query.$filter).toBe(
			"startsWith(displayName,'patrick.o''') or startsWith(mail,'patrick.o''') or startsWith(userPrincipalName,'patrick.o''')",
		);
		expect(result.results).toEqual([
			{
				name: "Patrick O'Brien (patrick.o'brien@contoso.com)",
				value: sandbox.graph.user(UPN.patrick)!.id,
			},
		]);

		const bulk = loadOptionsContext('bulk.onmicrosoft.com');
		const first = await search.call(bulk as never);
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBeDefined();
		const second = await search.call(bulk as never, undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(50);
		expect(second.results[0].value).not.toBe(first.results[0].value);
	});
});

describe('tenants, tokens and throttling', () => {
	test('two tenants in one execution: each item reads its own tenant, with its own token', async () => {
		const mintsBefore = new Map(sandbox.graph.tokensIssued);
		const { result, calls } = await callsDuring(
			async () =>
				await run(
					{ operation: 'getAll', returnAll: true, tenantId: '={{ $json.tenant }}' },
					{
						input: [
							{ tenant: 'fabrikam.onmicrosoft.com' },
							{ tenant: SANDBOX_IDENTITIES.graph.tenantId },
							{ tenant: 'FABRIKAM.onmicrosoft.com' },
						],
					},
				),
		);
		expect(result.status).toBe('success');
		const items = result.items('Users', 0);
		const forItem = (index: number) =>
			items
				.filter((item) => (item.pairedItem as { item: number }).item === index)
				.map((item) => item.json.email)
				.sort();
		expect(forItem(0)).toEqual(['ann@fabrikam.com', 'ben@fabrikam.com']);
		expect(forItem(1)).toHaveLength(12);
		expect(forItem(1).every((email) => /@contoso\.co(m|\.uk)$/.test(String(email)))).toBe(true);
		expect(forItem(2)).toEqual(['ann@fabrikam.com', 'ben@fabrikam.com']);
		const fabrikam = sandbox.graph.tenant('fabrikam.onmicrosoft.com').id;
		expect(calls.map((call) => call.tenantId)).toEqual(
			expect.arrayContaining([fabrikam, SANDBOX_IDENTITIES.graph.tenantId]),
		);
		expect(calls.filter((call) => call.status === 200)).toHaveLength(3);
		// One new token per tenant in this execution (the case of the domain does not matter).
		const minted = (tenantId: string) =>
			(sandbox.graph.tokensIssued.get(tenantId) ?? 0) - (mintsBefore.get(tenantId) ?? 0);
		expect(minted(fabrikam)).toBe(1);
		expect(minted(SANDBOX_IDENTITIES.graph.tenantId)).toBeLessThanOrEqual(1);
	});

	test('a token that expires mid-run is refreshed once, without a user-visible error', async () => {
		await run({
			operation: 'getAll',
			returnAll: false,
			limit: 1,
			tenantId: 'bulk.onmicrosoft.com',
		});
		sandbox.graph.expireTokensAfter(1);
		const refreshesBefore = store.preAuthenticationCalls.get('microsoftGraphAppApi') ?? 0;
		const { result, calls } = await callsDuring(
			async () =>
				await run({ operation: 'getAll', returnAll: true, tenantId: 'bulk.onmicrosoft.com' }),
		);
		expect(result.status).toBe('success');
		expect(result.json('Users', 0)).toHaveLength(1250);
		expect(calls.map((call) => call.status)).toEqual([200, 401, 200]);
		expect(calls[1].query.$skiptoken).toBeDefined();
		expect(calls[2].query.$skiptoken).toBe(calls[1].query.$skiptoken);
		expect(calls[2].consistencyLevel).toBe('eventual');
		expect((store.preAuthenticationCalls.get('microsoftGraphAppApi') ?? 0) - refreshesBefore).toBe(
			1,
		);
	});

	test('429 with Retry-After is waited out by the transport', async () => {
		sandbox.faults.add({
			vendor: 'graph',
			kind: 'status',
			status: 429,
			retryAfterSeconds: 1,
			path: '/v1.0/users',
			nth: [1],
			body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
		});
		const before = sandbox.log.count({ vendor: 'graph', status: 429 });
		const result = await run({
			operation: 'getAll',
			returnAll: true,
			tenantId: 'fabrikam.onmicrosoft.com',
		});
		expect(result.status).toBe('success');
		expect(result.json('Users', 0)).toHaveLength(2);
		expect(sandbox.log.count({ vendor: 'graph', status: 429 }) - before).toBe(1);
	});

	test('missing permission: the Graph code and message, and the admin-consent fix; no secret anywhere', async () => {
		sandbox.graph.addTenant({ domain: 'noperm.onmicrosoft.com', permissions: [] });
		const failed = await run({ operation: 'getAll', tenantId: 'noperm.onmicrosoft.com' });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toBe(
			'Microsoft Graph: Insufficient privileges to complete the operation. (Authorization_RequestDenied) [item 0]',
		);
		expect(failed.error?.description).toContain('User.Read.All');
		const text = JSON.stringify(failed.run.data);
		for (const secret of sandboxSecrets()) expect(text).not.toContain(secret);
		for (const token of sandbox.graph.tokens.keys()) expect(text).not.toContain(token);
	});

	test('a tenant that is not a GUID or domain is an input error naming the item and the field', async () => {
		const result = await run(
			{ operation: 'getAll', tenantId: '={{ $json.tenant }}' },
			{
				input: [{ tenant: 'contoso.onmicrosoft.com/../x' }, { tenant: 'fabrikam.onmicrosoft.com' }],
				continueOnFail: true,
			},
		);
		const out = result.json('Users', 0);
		expect(out[0]).toMatchObject({
			error: '"contoso.onmicrosoft.com/../x" in Tenant is not a tenant ID or domain [item 0]',
			field: 'Tenant',
		});
		expect(
			out
				.slice(1)
				.map((user) => user.email)
				.sort(),
		).toEqual(['ann@fabrikam.com', 'ben@fabrikam.com']);
	});

	test('an unknown tenant fails at the token endpoint with the AADSTS reason', async () => {
		const result = await run(
			{ operation: 'getAll', tenantId: 'unknown.onmicrosoft.com' },
			{ continueOnFail: true },
		);
		expect(result.json('Users', 0)[0].error).toMatch(
			/^Microsoft did not issue a Graph token for tenant "unknown.onmicrosoft.com": AADSTS90002: Tenant 'unknown.onmicrosoft.com' not found/,
		);
	});
});

describe('Get Changes', () => {
	const tenant = 'changes.onmicrosoft.com';
	const staticData = new StaticDataStore();
	const changes = (parameters: INodeParameters = {}, mode: 'trigger' | 'manual' = 'trigger') =>
		runWorkflow({
			pkg,
			credentials: store,
			workflow: usersWorkflow(
				{ operation: 'getChanges', tenantId: tenant, ...parameters },
				{ id: 'changes-workflow' },
			),
			staticData,
			mode,
		});

	beforeAll(() => {
		sandbox.graph.addTenant({
			domain: tenant,
			users: [
				...bulkUsers('changes.example', 5),
				graphUser({
					upn: 'guest_x.com#EXT#@changes.onmicrosoft.com',
					given: 'Gus',
					surname: 'Guest',
					mail: 'gus@x.com',
					type: 'Guest',
				}),
				graphUser({
					upn: 'nomail@changes.onmicrosoft.com',
					given: 'No',
					surname: 'Mail',
					mail: null,
					proxies: [],
				}),
			],
		});
	});

	const position = () =>
		(staticData.load('changes-workflow')['node:Users'] as IDataObject | undefined)
			?.deltaPositions as IDataObject | undefined;

	test('first run: every user (members only), position saved per tenant', async () => {
		const result = await changes();
		expect(result.status).toBe('success');
		const users = result.json('Users', 0);
		expect(users).toHaveLength(5);
		expect(users.every((user) => user.changeType === 'current' && user.sync === 'initial')).toBe(
			true,
		);
		expect(result.json('Users', 1)).toEqual([
			expect.objectContaining({
				firstName: 'No',
				noAddressReason: expect.any(String),
				changeType: 'current',
			}),
		]);
		const saved = position()?.[sandbox.graph.tenant(tenant).domains[0]] as IDataObject;
		expect(saved.link).toMatch(/^\/users\/delta\(\)\?\$deltatoken=/);
		expect(saved.previousLink).toBe('');
	});

	test('later runs: only additions, changes, disabled, unlicensed and removed users, each reported as such', async () => {
		expect((await changes()).json('Users', 0)).toEqual([]);

		const added = sandbox.graph.addUser(
			graphUser({ upn: 'new.starter@changes.example', given: 'New', surname: 'Starter' }),
			tenant,
		);
		const disabled = sandbox.graph.disableUser('user0001@changes.example', tenant);
		const unlicensed = sandbox.graph.unlicenseUser('user0002@changes.example', tenant);
		const retitled = sandbox.graph.updateUser(
			'user0003@changes.example',
			{ jobTitle: 'Head of Sales' },
			tenant,
		);
		const softDeleted = sandbox.graph.user('user0004@changes.example', tenant)!.id;
		const hardDeleted = sandbox.graph.user('user0005@changes.example', tenant)!.id;
		sandbox.graph.deleteUser(softDeleted, {}, tenant);
		sandbox.graph.deleteUser(hardDeleted, { permanent: true }, tenant);
		sandbox.graph.updateUser(
			'guest_x.com#EXT#@changes.onmicrosoft.com',
			{ jobTitle: 'Guest change' },
			tenant,
		);

		const result = await changes();
		const byId = new Map(result.json('Users', 0).map((user) => [user.id, user]));
		expect(byId.size).toBe(6);
		expect(byId.get(added.id)).toMatchObject({
			email: 'new.starter@changes.example',
			active: true,
			changeType: 'changed',
			sync: 'incremental',
		});
		expect(byId.get(disabled.id)).toMatchObject({
			active: false,
			inactiveReason: 'disabled',
			changeType: 'changed',
		});
		expect(byId.get(unlicensed.id)).toMatchObject({ active: false, inactiveReason: 'unlicensed' });
		expect(byId.get(retitled.id)).toMatchObject({ title: 'Head of Sales', active: true });
		expect(byId.get(softDeleted)).toMatchObject({
			active: false,
			inactiveReason: 'deleted',
			email: '',
			changeType: 'removed',
			removedReason: 'changed',
		});
		expect(byId.get(hardDeleted)).toMatchObject({
			inactiveReason: 'deleted',
			changeType: 'removed',
			removedReason: 'deleted',
		});
		expect(result.json('Users', 1)).toEqual([]);
	});

	test('a manual run previews the changes without moving the saved position', async () => {
		const savedBefore = JSON.stringify(position());
		sandbox.graph.updateUser('user0003@changes.example', { mobilePhone: '+1 555 0100' }, tenant);
		const manual = await changes({}, 'manual');
		expect(manual.json('Users', 0)).toEqual([
			expect.objectContaining({ mobile: '+1 555 0100', changeType: 'changed' }),
		]);
		expect(JSON.stringify(position())).toBe(savedBefore);
		const production = await changes();
		expect(production.json('Users', 0)).toEqual([
			expect.objectContaining({ mobile: '+1 555 0100', changeType: 'changed' }),
		]);
		expect(JSON.stringify(position())).not.toBe(savedBefore);
		expect((await changes()).json('Users', 0)).toEqual([]);
	});

	test('Replay Previous Changes reads the last round again; Start Over reads everything', async () => {
		sandbox.graph.updateUser('user0003@changes.example', { mobilePhone: '+1 555 0111' }, tenant);
		const lost = await changes();
		expect(lost.json('Users', 0).map((user) => user.mobile)).toEqual(['+1 555 0111']);
		// Say a later node failed on that change: the replay reads the same round again.
		const replay = await changes({ options: { replayPrevious: true } });
		expect(replay.json('Users', 0).map((user) => user.mobile)).toEqual(['+1 555 0111']);
		const fresh = await changes({ options: { startOver: true } });
		expect(fresh.json('Users', 0).every((user) => user.changeType === 'current')).toBe(true);
		expect(fresh.json('Users', 0)).toHaveLength(4);
	});

	test('an expired link (410) falls back to a full read and says so; the next run is incremental again', async () => {
		sandbox.graph.expireDeltaTokens(tenant);
		const { result, calls } = await callsDuring(async () => await changes());
		expect(calls.map((call) => call.status)).toEqual([410, 200]);
		const users = result.json('Users', 0);
		expect(users).toHaveLength(4);
		for (const user of users) {
			expect(user).toMatchObject({ changeType: 'current', sync: 'resync' });
			expect(user.syncNote).toContain(
				'The saved position expired (syncStateNotFound): this is a full read',
			);
		}
		sandbox.graph.updateUser('user0003@changes.example', { jobTitle: 'After resync' }, tenant);
		const next = await changes();
		expect(next.json('Users', 0)).toEqual([
			expect.objectContaining({ title: 'After resync', sync: 'incremental' }),
		]);
	});

	test('filters: email domains keep matching users and every removal', async () => {
		sandbox.graph.addUser(
			graphUser({ upn: 'other@elsewhere.example', given: 'Other', surname: 'Domain' }),
			tenant,
		);
		sandbox.graph.addUser(
			graphUser({ upn: 'second@changes.example', given: 'Second', surname: 'Starter' }),
			tenant,
		);
		const leaver = sandbox.graph.user('new.starter@changes.example', tenant)!.id;
		sandbox.graph.deleteUser(leaver, {}, tenant);
		const result = await changes({
			changeFilters: { membersOnly: true, emailDomains: 'changes.example' },
		});
		const out = result.json('Users', 0);
		expect(out.map((user) => user.email ?? '').sort()).toEqual(['', 'second@changes.example']);
		expect(out.find((user) => user.changeType === 'removed')).toMatchObject({ id: leaver });
	});

	test('each tenant keeps its own position', async () => {
		const fabrikam = await changes({ tenantId: 'fabrikam.onmicrosoft.com' });
		expect(
			fabrikam
				.json('Users', 0)
				.map((user) => user.email)
				.sort(),
		).toEqual(['ann@fabrikam.com', 'ben@fabrikam.com']);
		expect(Object.keys(position() ?? {}).sort()).toEqual([
			'changes.onmicrosoft.com',
			'fabrikam.onmicrosoft.com',
		]);
		expect((await changes()).json('Users', 0)).toEqual([]);
	});
});

test('every request the node sent and every answer matched the Graph contract', () => {
	expect(sandbox.contractViolations.filter((violation) => violation.vendor === 'graph')).toEqual(
		[],
	);
});
