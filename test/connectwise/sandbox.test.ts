import { encodeCachedValue } from '../../lib/transport/cachedValue';
import {
	chunkEmailLookups,
	cw,
	emailChildConditions,
	nextLink,
} from '../../lib/transport/connectwise';
import { VendorApiError } from '../../lib/transport/http';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { addBulkContacts, connectWiseSeed, directConnectWise } from './fixtures';

interface Contact {
	id: number;
	firstName: string;
	lastName: string;
	inactiveFlag?: boolean;
	company?: { id: number };
	communicationItems?: Array<{
		id: number;
		value: string;
		defaultFlag: boolean;
		communicationType: string;
		type: { id: number; name: string };
	}>;
	[key: string]: unknown;
}

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: connectWiseSeed() });
});

afterAll(async () => {
	await sandbox?.stop();
});

async function ids(conditions: string, childConditions?: string): Promise<number[]> {
	const { client } = directConnectWise(sandbox);
	const rows = await client.list<Contact>('/company/contacts', {
		conditions,
		childConditions,
		fields: ['id'],
	});
	return rows.map((row) => row.id).sort((a, b) => a - b);
}

async function vendorError(promise: Promise<unknown>): Promise<VendorApiError> {
	const outcome = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(outcome).toBeInstanceOf(VendorApiError);
	return outcome as VendorApiError;
}

describe('ConnectWise sandbox: discovery and authentication', () => {
	test('the codebase comes from login/companyinfo and the API answers under it', async () => {
		const { client, http } = directConnectWise(sandbox);
		const before = sandbox.log.count({ vendor: 'connectwise', path: '/login/companyinfo/' });
		const companies = await client.list<{ id: number; name: string }>('/company/companies', {
			fields: ['id', 'identifier', 'name'],
		});
		expect(companies.map((c) => c.name)).toEqual([
			'Contoso Ltd',
			'Fabrikam Inc',
			"O'Malley & Sons",
		]);
		expect(sandbox.log.count({ vendor: 'connectwise', path: '/login/companyinfo/' })).toBe(
			before + 1,
		);
		expect(http.preAuthenticationCalls).toBe(1);
		const last = sandbox.log.filter({ vendor: 'connectwise', path: '/company/companies' }).pop()!;
		expect(last.path).toBe(`/${SANDBOX_IDENTITIES.connectwise.codebase}apis/3.0/company/companies`);
		expect(last.status).toBe(200);
	});

	test('wrong keys: 401 in ConnectWise shape, explained', async () => {
		const { client } = directConnectWise(sandbox, { privateKey: 'wrong-private-key' });
		const error = await vendorError(client.list('/company/contacts'));
		expect(error.httpCode).toBe(401);
		expect(error.vendorCode).toBe('Unauthorized');
		expect(error.description).toMatch(/public and private key/);
		expect(error.message).not.toContain('wrong-private-key');
	});

	test('a missing clientId is refused with the vendor error', async () => {
		const { client } = directConnectWise(sandbox, { clientId: '' });
		const error = await vendorError(client.list('/company/contacts'));
		expect(error.httpCode).toBe(400);
		expect(error.message).toMatch(/clientId/);
		expect(error.description).toMatch(/developer\.connectwise\.com\/ClientID/);
	});

	test('bad keys through the v4_6_release router on a cloud site: a bare 404 the transport explains', async () => {
		const codebase = encodeCachedValue({
			owner: SANDBOX_IDENTITIES.connectwise.companyId,
			expiresAt: Date.now() + 3_600_000,
			value: 'v4_6_release/',
		});
		const { client } = directConnectWise(sandbox, { privateKey: 'wrong-private-key', codebase });
		const error = await vendorError(client.list('/company/contacts'));
		expect(error.httpCode).toBe(404);
		expect(error.description).toMatch(/wrong credentials/);
		// Good keys through the router work.
		const good = directConnectWise(sandbox, { codebase });
		expect(
			(await good.client.list('/company/contacts', { fields: ['id'] })).length,
		).toBeGreaterThan(0);
	});

	test('an unknown company falls back to v4_6_release and the 404 points at the credentials', async () => {
		const { client } = directConnectWise(sandbox, { companyId: 'nosuchcompany' });
		const error = await vendorError(client.list('/company/contacts'));
		expect(error.httpCode).toBe(404);
		expect(error.description).toMatch(/Company ID/);
	});
});

describe('ConnectWise sandbox: conditions grammar', () => {
	test('and / or / parentheses / not', async () => {
		expect(await ids('company/id = 250 and inactiveFlag = false')).toEqual([1, 2]);
		expect(await ids('(firstName = "Ada" OR firstName = "Grace") AND company/id = 250')).toEqual([
			1, 3,
		]);
		expect(await ids('firstName = "Ada" or firstName = "Grace" and inactiveFlag = false')).toEqual([
			1,
		]);
		expect(await ids('not (company/id = 250)')).toEqual([4, 5]);
	});

	test('in, not in, like, not like, contains, comparisons, null, datetimes', async () => {
		expect(await ids('id in (1, 3, 99)')).toEqual([1, 3]);
		expect(await ids('id not in (1, 3)')).toEqual([2, 4, 5]);
		expect(await ids('lastName like "Love%"')).toEqual([1]);
		expect(await ids('firstName not like "%a%"')).toEqual([5]);
		expect(await ids('title contains "count"')).toEqual([2]);
		expect(await ids('id >= 4')).toEqual([4, 5]);
		expect(await ids('id < 2 or id > 4')).toEqual([1, 5]);
		expect(await ids('title = null')).toEqual([4]);
		expect(await ids('title != null and company/name = "Contoso Ltd"')).toEqual([1, 2, 3]);
		expect(await ids('lastUpdated > [2000-01-01T00:00:00Z]')).toEqual([1, 2, 3, 4, 5]);
		expect(await ids('lastUpdated < [2000-01-01T00:00:00Z]')).toEqual([]);
	});

	test('strings: case-insensitive, single and double quotes, backslash escapes, wildcards escaped', async () => {
		expect(await ids('firstName = "ADA"')).toEqual([1]);
		expect(await ids("lastName = 'O\\'Brien'")).toEqual([2]);
		expect(await ids(`lastName = "O'Brien"`)).toEqual([2]);
		expect(await ids(cw.eq('title', 'C:\\Temp'))).toEqual([5]);
		// A literal % does not act as a wildcard once escaped by the builder.
		expect(await ids(cw.contains('lastName', '100%'))).toEqual([5]);
		expect(await ids(cw.contains('lastName', '0% S'))).toEqual([5]);
		expect(await ids(cw.contains('lastName', '%'))).toEqual([5]);
		expect(await ids('lastName like "%"')).toEqual([1, 2, 3, 4, 5]);
	});

	test('childConditions hold per communication item; the builder escapes apostrophes and quotes', async () => {
		expect(await ids('', emailChildConditions(["o'brien@contoso.com"]))).toEqual([2]);
		expect(await ids('', emailChildConditions(['DJUMP@fabrikam.com', 'ada@contoso.com']))).toEqual([
			1, 4,
		]);
		// Value and type must match on the same item: Ada's phone number is not an Email item.
		expect(
			await ids(
				'',
				'communicationItems/value = "4255550100" AND communicationItems/communicationType = "Email"',
			),
		).toEqual([]);
		expect(
			await ids(
				'',
				'communicationItems/value = "4255550100" AND communicationItems/communicationType = "Phone"',
			),
		).toEqual([1]);
		// Input that tries to widen the query stays a value.
		expect(await ids('', emailChildConditions(['x" OR communicationItems/value != "']))).toEqual(
			[],
		);
		expect(await ids(cw.eq('firstName', 'Ada" or firstName != "x'))).toEqual([]);
	});

	test('count honours conditions and childConditions', async () => {
		const { client } = directConnectWise(sandbox);
		expect(await client.count('/company/contacts', { conditions: 'company/id = 250' })).toBe(3);
		expect(
			await client.count('/company/contacts', {
				childConditions: emailChildConditions(['grace@contoso.com']),
			}),
		).toBe(1);
	});

	test.each([
		[
			'inactiveFlag = 1',
			/^ConnectWise: Expected a boolean value, not a numeric\. String values should be enclosed with double or single quotes;/,
		],
		['firstName = Ada', /Expected a string value, not an unquoted word/],
		['company/id = "250"', /Expected a numeric value, not a string/],
		['firstName = "Ada', /Unterminated string/],
		['(firstName = "Ada"', /Missing "\)"/],
		['nosuchfield = 1', /Cannot find column "nosuchfield"/],
		['firstName "Ada"', /Expected an operator/],
		['lastUpdated > [yesterday]', /is not a valid date/],
		['firstName = "Ada" and', /end too early/],
	])(
		'malformed conditions %s → HTTP 400 in ConnectWise shape, never retried',
		async (conditions, message) => {
			const { client } = directConnectWise(sandbox);
			const before = client.requestCount;
			const error = await vendorError(client.list('/company/contacts', { conditions }));
			expect(error.httpCode).toBe(400);
			expect(error.vendorCode).toBe('InvalidObject');
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(/conditions were refused/);
			expect(client.requestCount - before).toBe(1);
		},
	);

	test('childConditions refuse "in" and plain fields', async () => {
		const { client } = directConnectWise(sandbox);
		const inError = await vendorError(
			client.list('/company/contacts', {
				childConditions: 'communicationItems/value in ("a@b.c")',
			}),
		);
		expect(inError.message).toMatch(/"in" operator is not supported in childConditions/);
		const plain = await vendorError(
			client.list('/company/contacts', { childConditions: 'firstName = "Ada"' }),
		);
		expect(plain.httpCode).toBe(400);
	});

	test('raw 400 body carries code, message and errors', async () => {
		const { http } = directConnectWise(sandbox);
		const response = await http.send({
			method: 'GET',
			url: '/company/contacts',
			qs: { conditions: 'inactiveFlag = 1' },
		});
		expect(response.status).toBe(400);
		expect(response.body).toEqual({
			code: 'InvalidObject',
			message: expect.stringMatching(/^Expected a boolean value, not a numeric\./),
			errors: null,
		});
	});
});

describe('ConnectWise sandbox: paging', () => {
	beforeAll(() => addBulkContacts(sandbox, 2_300));

	test('forward-only at 1,000 a page follows the Link header past 1,000', async () => {
		const { client } = directConnectWise(sandbox);
		const before = sandbox.log.count({ vendor: 'connectwise', path: '/company/contacts' });
		const rows = await client.list<Contact>('/company/contacts', {
			conditions: 'company/id = 251',
			fields: ['id', 'firstName'],
		});
		expect(rows).toHaveLength(2_301);
		expect(new Set(rows.map((r) => r.id)).size).toBe(2_301);
		const calls = sandbox.log
			.filter({ vendor: 'connectwise', path: '/company/contacts' })
			.slice(before);
		expect(calls).toHaveLength(3);
		expect(calls.map((c) => new URLSearchParams(c.query).get('pageSize'))).toEqual([
			'1000',
			'1000',
			'1000',
		]);
		expect(new URLSearchParams(calls[0].query).get('pageId')).toBeNull();
		expect(Number(new URLSearchParams(calls[1].query).get('pageId'))).toBe(rows[999].id);
		expect(new URLSearchParams(calls[2].query).get('conditions')).toBe('company/id = 251');
	});

	test('a limit stops early and asks for no more than it needs', async () => {
		const { client } = directConnectWise(sandbox);
		const before = sandbox.log.count({ vendor: 'connectwise', path: '/company/contacts' });
		const rows = await client.list<Contact>('/company/contacts', { limit: 1_200, fields: ['id'] });
		expect(rows).toHaveLength(1_200);
		expect(sandbox.log.count({ vendor: 'connectwise', path: '/company/contacts' }) - before).toBe(
			2,
		);
	});

	test('navigable paging with orderBy and RFC 5988 links', async () => {
		const { client, http } = directConnectWise(sandbox);
		const response = await http.send({
			method: 'GET',
			url: '/company/contacts',
			qs: { page: 2, pageSize: 10, orderBy: 'lastName desc', fields: 'id,lastName' },
		});
		expect(response.status).toBe(200);
		const link = String(response.headers.link);
		for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
		expect(nextLink(link)).toContain('page=3');
		const rows = await client.list<Contact>('/company/contacts', {
			orderBy: 'lastName asc, id asc',
			conditions: 'company/id = 250',
			pageSize: 2,
		});
		expect(rows.map((r) => r.lastName)).toEqual(['Hopper', 'Lovelace', "O'Brien"]);
	});

	test('forward-only refuses orderBy; pageSize above 1,000 is refused', async () => {
		const { http } = directConnectWise(sandbox);
		const ordered = await http.send({
			method: 'GET',
			url: '/company/contacts',
			qs: { orderBy: 'id desc' },
			headers: { 'pagination-type': 'forward-only' },
		});
		expect(ordered.status).toBe(400);
		expect(ordered.body).toMatchObject({
			code: 'InvalidObject',
			message: expect.stringMatching(/forward-only/),
		});
		const big = await http.send({
			method: 'GET',
			url: '/company/contacts',
			qs: { pageSize: 1001 },
		});
		expect(big.status).toBe(400);
		expect(big.body).toMatchObject({ message: 'pageSize must be between 1 and 1000.' });
	});

	test('email lookups are chunked so every URL stays under 2,000 characters', async () => {
		const { client } = directConnectWise(sandbox);
		const emails = Array.from({ length: 150 }, (_, i) => `bulk${i * 7}@fabrikam.com`);
		const chunks = chunkEmailLookups(emails);
		expect(chunks.length).toBeGreaterThan(1);
		const before = sandbox.log.count({ vendor: 'connectwise', path: '/company/contacts' });
		const found: Contact[] = [];
		for (const chunk of chunks)
			found.push(
				...(await client.list<Contact>('/company/contacts', {
					childConditions: emailChildConditions(chunk),
					fields: ['id', 'communicationItems'],
				})),
			);
		expect(found).toHaveLength(150);
		const sent = sandbox.log
			.filter({ vendor: 'connectwise', path: '/company/contacts' })
			.slice(before);
		expect(sent).toHaveLength(chunks.length);
		for (const entry of sent)
			expect(`${sandbox.urls.connectwise}${entry.path}?${entry.query}`.length).toBeLessThan(2000);
	});
});

describe('ConnectWise sandbox: writes', () => {
	test('field limits are enforced with {code, message, errors}', async () => {
		const { http } = directConnectWise(sandbox);
		const response = await http.send({
			method: 'POST',
			url: '/company/contacts',
			body: {
				firstName: 'A'.repeat(31),
				lastName: 'B'.repeat(31),
				title: 'T'.repeat(101),
				company: { id: 250 },
				communicationItems: [
					{ type: { name: 'Email' }, value: `${'x'.repeat(245)}@a.com`, defaultFlag: true },
				],
			},
		});
		expect(response.status).toBe(400);
		const body = response.body as {
			code: string;
			message: string;
			errors: Array<{ field: string; resource: string; code: string; message: string }>;
		};
		expect(body.code).toBe('InvalidObject');
		expect(body.message).toBe('contact object is invalid');
		expect(body.errors.map((e) => e.field).sort()).toEqual([
			'communicationItems[0].value',
			'firstName',
			'lastName',
			'title',
		]);
		expect(body.errors.find((e) => e.field === 'firstName')).toEqual({
			code: 'InvalidField',
			message: 'The field firstName must be a string with a maximum length of 30.',
			resource: 'contact',
			field: 'firstName',
		});
		const missing = await http.send({
			method: 'POST',
			url: '/company/contacts',
			body: { lastName: 'Only' },
		});
		expect(missing.status).toBe(400);
		expect((missing.body as typeof body).errors[0]).toMatchObject({
			field: 'firstName',
			code: 'NullOrEmpty',
		});
	});

	test('create, JSON-patch, the InvalidPatch trap, false 200 on sub-paths, delete', async () => {
		const { client, http } = directConnectWise(sandbox);
		const created = await client.create<Contact>('/company/contacts', {
			firstName: 'Katherine',
			lastName: 'Johnson',
			company: { id: 250 },
			communicationItems: [
				{ type: { name: 'email' }, value: 'kj@contoso.com', defaultFlag: true },
				{ type: { id: 3 }, value: '4255550111' },
			],
		});
		expect(created.id).toBeGreaterThan(5);
		expect(created.company).toMatchObject({ id: 250, identifier: 'Contoso', name: 'Contoso Ltd' });
		expect(created.communicationItems).toEqual([
			expect.objectContaining({
				type: { id: 1, name: 'Email' },
				communicationType: 'Email',
				domain: '@contoso.com',
				defaultFlag: true,
			}),
			expect.objectContaining({
				type: { id: 3, name: 'Cell' },
				communicationType: 'Phone',
				defaultFlag: false,
			}),
		]);
		// The company's switchboard shows through when the contact has no default phone.
		expect(created.defaultPhoneNbr).toBe('4255550000');

		const patched = await client.patch<Contact>(`/company/contacts/${created.id}`, [
			{ op: 'replace', path: 'title', value: 'Mathematician' },
			{ op: 'replace', path: 'inactiveFlag', value: true },
		]);
		expect(patched).toMatchObject({ title: 'Mathematician', inactiveFlag: true });

		const trap = await http.send({
			method: 'PATCH',
			url: `/company/contacts/${created.id}`,
			body: [{ op: 'replace', path: 'communicationItems', value: 'kj2@contoso.com' }],
		});
		expect(trap.status).toBe(400);
		expect(trap.body).toEqual({
			code: 'InvalidPatch',
			message:
				'Could not cast or convert from System.String to ConnectWise.Apis.v3_0.v2015_3.Company.Contact.ContactCommunicationItem[].',
			errors: null,
		});
		const error = await vendorError(
			client.patch(`/company/contacts/${created.id}`, [
				{ op: 'replace', path: 'communicationItems', value: 'x' },
			]),
		);
		expect(error.description).toMatch(/communications/);

		const subPath = await client.patch<Contact>(`/company/contacts/${created.id}`, [
			{ op: 'replace', path: 'company/identifier', value: 'Fabrikam' },
		]);
		expect(subPath.company).toMatchObject({ id: 250 });

		const wrongCase = await http.send({
			method: 'PATCH',
			url: `/company/contacts/${created.id}`,
			body: [{ op: 'replace', path: 'FirstName', value: 'K' }],
		});
		expect(wrongCase.status).toBe(400);

		const tooLong = await vendorError(
			client.patch(`/company/contacts/${created.id}`, [
				{ op: 'replace', path: 'lastName', value: 'L'.repeat(31) },
			]),
		);
		expect(tooLong.message).toMatch(
			/lastName: The field lastName must be a string with a maximum length of 30/,
		);
		expect(sandbox.connectwise.contact(created.id)?.lastName).toBe('Johnson');

		await client.delete(`/company/contacts/${created.id}`);
		expect(sandbox.connectwise.contact(created.id)).toBeUndefined();
		expect(await client.get(`/company/contacts/${created.id}`)).toBeUndefined();
		const gone = await http.send({ method: 'GET', url: `/company/contacts/${created.id}` });
		expect(gone.status).toBe(404);
		expect(gone.body).toMatchObject({ code: 'NotFound' });
	});

	test('communications: a new default clears the old one of the same kind; PATCH and DELETE per item', async () => {
		const { client, http } = directConnectWise(sandbox);
		const created = await client.create<Contact>('/company/contacts', {
			firstName: 'Mary',
			lastName: 'Jackson',
			company: { id: 250 },
			communicationItems: [
				{ type: { name: 'Email' }, value: 'mary@contoso.com', defaultFlag: true },
				{ type: { name: 'Direct' }, value: '4255550120', defaultFlag: true },
			],
		});
		const base = `/company/contacts/${created.id}/communications`;
		const added = await client.create<{ id: number; contactId: number; defaultFlag: boolean }>(
			base,
			{ type: { id: 5 }, value: 'mjackson@contoso.com', defaultFlag: true },
		);
		expect(added).toMatchObject({
			contactId: created.id,
			defaultFlag: true,
			communicationType: 'Email',
			type: { id: 5, name: 'Business Email' },
		});
		const items = await client.list<{
			id: number;
			value: string;
			defaultFlag: boolean;
			communicationType: string;
		}>(base);
		expect(
			items.filter((i) => i.communicationType === 'Email' && i.defaultFlag).map((i) => i.value),
		).toEqual(['mjackson@contoso.com']);
		expect(items.find((i) => i.communicationType === 'Phone')?.defaultFlag).toBe(true);

		const phone = items.find((i) => i.communicationType === 'Phone')!;
		const changed = await client.patch<{ value: string }>(`${base}/${phone.id}`, [
			{ op: 'replace', path: 'value', value: '4255550199' },
		]);
		expect(changed.value).toBe('4255550199');
		expect(sandbox.connectwise.contact(created.id)?.defaultPhoneNbr).toBe('4255550199');

		const tooLong = await http.send({
			method: 'POST',
			url: base,
			body: { type: { id: 1 }, value: 'x'.repeat(251) },
		});
		expect(tooLong.status).toBe(400);
		expect(tooLong.body).toMatchObject({
			code: 'InvalidObject',
			errors: [expect.objectContaining({ field: 'value', resource: 'contactCommunication' })],
		});

		await client.delete(`${base}/${added.id}`);
		expect((await client.list<{ id: number }>(base)).map((i) => i.id)).not.toContain(added.id);
		expect(await client.count(base)).toBe(2);
	});

	test('PUT replaces the whole record: what it leaves out is gone', async () => {
		const { client } = directConnectWise(sandbox);
		const created = await client.create<Contact>('/company/contacts', {
			firstName: 'Put',
			lastName: 'Target',
			title: 'Keeper',
			company: { id: 251 },
			communicationItems: [
				{ type: { name: 'Email' }, value: 'put@fabrikam.com', defaultFlag: true },
			],
		});
		const replaced = await client.put<Contact>(`/company/contacts/${created.id}`, {
			firstName: 'Put',
			company: { id: 251 },
		});
		expect(replaced.id).toBe(created.id);
		expect(replaced.title).toBeUndefined();
		expect(replaced.lastName).toBeUndefined();
		expect(replaced.communicationItems).toEqual([]);
	});

	test('429 with Retry-After is waited out; a create survives a reset after it landed without duplicating', async () => {
		const { client } = directConnectWise(sandbox);
		sandbox.faults.add({
			vendor: 'connectwise',
			method: 'GET',
			path: '/company/communicationTypes',
			kind: 'status',
			status: 429,
			retryAfterSeconds: 0,
			body: {
				code: 'ConnectWiseAPI',
				message: 'Too many requests. Please try again in 30 seconds.',
			},
			times: 1,
		});
		const before = client.requestCount;
		const types = await client.list<{ description: string }>('/company/communicationTypes');
		expect(types.map((t) => t.description)).toContain('Cell');
		expect(client.requestCount - before).toBe(2);

		sandbox.faults.add({
			vendor: 'connectwise',
			method: 'POST',
			path: '/company/contacts',
			kind: 'resetAfter',
			times: 1,
		});
		const email = 'resilient@contoso.com';
		const created = await client.create<Contact>(
			'/company/contacts',
			{
				firstName: 'Resilient',
				company: { id: 250 },
				communicationItems: [{ type: { name: 'Email' }, value: email, defaultFlag: true }],
			},
			{
				findExisting: async () =>
					(
						await client.list<Contact>('/company/contacts', {
							childConditions: emailChildConditions([email]),
						})
					)[0],
			},
		);
		expect(created.firstName).toBe('Resilient');
		expect(sandbox.connectwise.contacts.filter((c) => c.firstName === 'Resilient')).toHaveLength(1);
	});

	test('dump() writes the seed layout', () => {
		const dump = sandbox.dump().connectwise;
		expect(Object.keys(dump).sort()).toEqual([
			'boardItems',
			'boardStatuses',
			'boardSubTypes',
			'boardTypes',
			'boards',
			'callbacks',
			'communicationTypes',
			'companies',
			'configurationTypes',
			'configurations',
			'contacts',
			'priorities',
			'sources',
			'ticketConfigurations',
			'ticketEvents',
			'ticketNotes',
			'tickets',
			'timeEntries',
		]);
		expect(dump.companies).toHaveLength(3);
		expect((dump.contacts as Contact[]).find((c) => c.id === 2)?.lastName).toBe("O'Brien");
	});

	test('no contract violations', () => {
		expect(sandbox.contractViolations.filter((v) => v.vendor === 'connectwise')).toEqual([]);
	});
});
