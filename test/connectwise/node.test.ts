import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { ContactPlanItem } from '../../lib/contacts/canonical';
import { chunkEmailLookups } from '../../lib/transport/connectwise';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import type { CwContact } from '../../sandbox/connectwise';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';
import { listSearch } from '../support/editorCall';
import { planItem } from '../support/planItem';
import { addBulkContacts, connectWiseSeed } from './fixtures';

let sandbox: Sandbox;
let pkg: LoadedPackage;
let credentials: CredentialStore;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: connectWiseSeed() });
	addBulkContacts(sandbox, 2_100, 251, 'bulk');
	pkg = loadSourcePackage();
	credentials = new CredentialStore(pkg.credentialTypes, {
		connectWiseManageApi: sandbox.credentials.connectWiseManageApi,
	});
});

afterAll(async () => {
	await sandbox?.stop();
});

const RENAMED_TYPES = { mobileTypeName: 'Cell' };

async function run(
	parameters: INodeParameters,
	input?: IDataObject[],
	options: { continueOnFail?: boolean; typeVersion?: number } = {},
) {
	const workflow = singleNodeWorkflow({
		name: 'CW',
		type: `${PACKAGE_NAME}.connectWiseContact`,
		typeVersion: options.typeVersion ?? 1,
		parameters: { resource: 'contact', ...parameters },
		credentials: { connectWiseManageApi: { id: '1', name: 'ConnectWise sandbox' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const result = await runWorkflow({ pkg, credentials, workflow, input });
	// Nothing secret ever leaves the node, whatever happened.
	expect(JSON.stringify(result.run.data)).not.toContain(SANDBOX_IDENTITIES.connectwise.privateKey);
	return result;
}

function contactsCalls(method: string, path: string | RegExp = '/company/contacts') {
	return sandbox.log.filter({ vendor: 'connectwise', method, path });
}

function stored(id: number | string): CwContact {
	const contact = sandbox.connectwise.contact(id);
	if (!contact) throw new Error(`contact ${id} is not in the sandbox`);
	return contact;
}

function byLocator(value: string) {
	return { __rl: true, mode: 'id', value };
}

describe('Get Many', () => {
	test('Return All pages forward-only past 1,000 and returns canonical contacts', async () => {
		const before = contactsCalls('GET').length;
		const result = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { companyId: '251' },
		});
		expect(result.status).toBe('success');
		const out = result.json('CW');
		expect(out).toHaveLength(2_101);
		expect(out[0]).toEqual({
			system: 'connectwise',
			id: '4',
			companyId: '251',
			// As ConnectWise lists it with the contact: plans name the company without a read.
			companyName: 'Fabrikam Inc',
			email: 'dan@fabrikam.com',
			emails: ['dan@fabrikam.com', 'djump@fabrikam.com'],
			firstName: 'Dan',
			lastName: 'Jump',
			title: '',
			phone: '',
			mobile: '',
			active: true,
			limits: { firstName: 30, lastName: 30, title: 100, email: 250, phone: 250, mobile: 250 },
			ref: {
				typeNames: 'email|direct|mobile',
				phoneItemId: 0,
				mobileItemId: 0,
				phoneDefault: false,
			},
		});
		const calls = contactsCalls('GET').slice(before);
		expect(calls).toHaveLength(3);
		const queries = calls.map((call) => new URLSearchParams(call.query));
		expect(queries.map((q) => q.get('pageSize'))).toEqual(['1000', '1000', '1000']);
		expect(queries[0].get('conditions')).toBe('company/id = 251');
		expect(queries[1].get('pageId')).toBe(String(out[999].id));
		expect(queries[0].get('fields')).toContain('communicationItems');
		expect(
			result
				.items('CW')
				.every((item, index) => index === 0 || (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	test('Limit asks for no more than needed; filters combine; raw output keeps ConnectWise fields', async () => {
		const limited = await run({
			operation: 'getAll',
			returnAll: false,
			limit: 3,
			filters: { status: 'all' },
			simplify: false,
		});
		const out = limited.json('CW');
		expect(out.map((c) => c.id)).toEqual([1, 2, 3]);
		expect(out[0]).toHaveProperty('communicationItems');
		expect(out[0]).toHaveProperty('_info');
		expect(new URLSearchParams(contactsCalls('GET').pop()!.query).get('pageSize')).toBe('3');

		const filtered = await run({
			operation: 'getAll',
			returnAll: true,
			filters: {
				companyId: '250',
				status: 'inactive',
				name: 'gra hop',
				updatedSince: '2000-01-01T00:00:00Z',
			},
		});
		expect(filtered.json('CW').map((c) => c.id)).toEqual(['3']);

		const all = await run({ operation: 'getAll', returnAll: true, filters: { companyId: '250' } });
		expect(all.json('CW').map((c) => c.id)).toEqual(['1', '2', '3']);
		const active = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { companyId: '250', status: 'active' },
		});
		expect(active.json('CW').map((c) => c.id)).toEqual(['1', '2']);
		expect(new URLSearchParams(contactsCalls('GET').pop()!.query).get('conditions')).toBe(
			'(company/id = 250) AND (inactiveFlag = false)',
		);

		const raw = await run({
			operation: 'getAll',
			returnAll: true,
			filters: {
				status: 'all',
				conditions: 'title contains "a" and company/identifier = "Contoso"',
				childConditions: 'communicationItems/value like "%@contoso.com"',
			},
		});
		// Ada is a "CTO": no "a" in her title.
		expect(raw.json('CW').map((c) => c.id)).toEqual(['2', '3']);
	});

	test('the email filter finds an address with an apostrophe, case-insensitively', async () => {
		const result = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { email: "O'Brien@Contoso.com" },
		});
		expect(result.json('CW').map((c) => c.lastName)).toEqual(["O'Brien"]);
		const sent = new URLSearchParams(contactsCalls('GET').pop()!.query).get('childConditions');
		expect(sent).toBe(
			'communicationItems/communicationType="Email" AND (communicationItems/value="o\'brien@contoso.com")',
		);
	});

	test("a malformed raw condition surfaces ConnectWise's 400 with its text; continueOnFail turns it into an item", async () => {
		const failed = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { conditions: 'inactiveFlag = 1' },
		});
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(
			/^ConnectWise: Expected a boolean value, not a numeric\. String values should be enclosed/,
		);
		expect(failed.error?.description).toMatch(/conditions were refused/);

		const kept = await run(
			{ operation: 'getAll', returnAll: true, filters: { conditions: 'firstName = Ada' } },
			[{}],
			{ continueOnFail: true },
		);
		expect(kept.status).toBe('success');
		expect(kept.json('CW')).toEqual([
			expect.objectContaining({
				error: expect.stringMatching(/Expected a string value, not an unquoted word.*\[item 0\]/),
				httpCode: '400',
			}),
		]);
	});
});

describe('Get and Find by Email', () => {
	test('Get maps renamed communication types to phone and mobile', async () => {
		const defaults = await run({ operation: 'get', contact: byLocator('1') });
		expect(defaults.json('CW')[0]).toMatchObject({ id: '1', phone: '4255550100', mobile: '' });
		const renamed = await run({
			operation: 'get',
			contact: byLocator('1'),
			options: RENAMED_TYPES,
		});
		expect(renamed.json('CW')[0]).toMatchObject({
			id: '1',
			email: 'ada@contoso.com',
			phone: '4255550100',
			mobile: '4255550101',
			title: 'CTO',
		});
		const missing = await run({ operation: 'get', contact: byLocator('999999') }, [{}], {
			continueOnFail: true,
		});
		expect(missing.json('CW')[0]).toMatchObject({
			error: expect.stringMatching(/Contact recId 999999 was not found/),
			httpCode: '404',
		});
	});

	test('Find by Email: the whole batch in one call, apostrophes and case handled, each item gets its matches', async () => {
		const input = [
			{ email: "o'brien@contoso.com" },
			{ email: 'ADA@contoso.com' },
			{ email: 'nobody@contoso.com' },
			{ email: 'not an address' },
			{ email: 'DJump@fabrikam.com' },
			...Array.from({ length: 30 }, (_, i) => ({ email: `bulk${i}@fabrikam.com` })),
		];
		const before = contactsCalls('GET').length;
		const result = await run(
			{ operation: 'findByEmail', email: '={{ $json.email }}', options: { includeNotFound: true } },
			input,
			{ continueOnFail: true },
		);
		expect(result.status).toBe('success');
		const calls = contactsCalls('GET').slice(before);
		// 34 distinct valid addresses: one childConditions query per URL-sized chunk.
		const distinct = [
			...new Set(
				input.map((i) => i.email.toLowerCase()).filter((e) => e.includes('@') && !e.includes(' ')),
			),
		];
		expect(calls).toHaveLength(chunkEmailLookups(distinct).length);
		expect(calls.length).toBeLessThanOrEqual(2);
		const items = result.items('CW');
		const byInput = (index: number) =>
			items
				.filter((item) => (item.pairedItem as { item: number }).item === index)
				.map((item) => item.json);
		expect(byInput(0).map((c) => c.id)).toEqual(['2']);
		expect(byInput(1).map((c) => c.id)).toEqual(['1']);
		expect(byInput(2)).toEqual([{ email: 'nobody@contoso.com', found: false }]);
		expect(byInput(3)[0]).toMatchObject({
			error: expect.stringMatching(
				/Email "not an address" is not a valid email address \[item 3\]/,
			),
			field: 'Email',
		});
		expect(byInput(4).map((c) => c.id)).toEqual(['4']);
		expect(byInput(34)).toHaveLength(1);
		expect(byInput(34)[0]).toMatchObject({ email: 'bulk29@fabrikam.com' });
	});

	test('Find by Email with hundreds of addresses: chunked by URL length, never one call per item', async () => {
		const input = Array.from({ length: 300 }, (_, i) => ({ email: `bulk${i}@fabrikam.com` }));
		const before = contactsCalls('GET').length;
		const result = await run({ operation: 'findByEmail', email: '={{ $json.email }}' }, input);
		expect(result.json('CW')).toHaveLength(300);
		const calls = contactsCalls('GET').slice(before);
		expect(calls.length).toBeGreaterThan(1);
		expect(calls.length).toBeLessThanOrEqual(20);
		for (const call of calls)
			expect(`${sandbox.urls.connectwise}${call.path}?${call.query}`.length).toBeLessThan(2000);
	});
});

describe('Create', () => {
	test('email, phone and a renamed mobile type become communication items; types are read once per run', async () => {
		const typeCallsBefore = sandbox.log.count({
			vendor: 'connectwise',
			path: '/company/communicationTypes',
		});
		const result = await run(
			{
				operation: 'create',
				company: '={{ { "__rl": true, "mode": "list", "value": $json.company } }}',
				firstName: '={{ $json.first }}',
				lastName: '={{ $json.last }}',
				additionalFields: {
					email: '={{ $json.email }}',
					phone: '={{ $json.phone }}',
					mobile: '={{ $json.mobile }}',
					title: 'Engineer',
				},
				options: RENAMED_TYPES,
			},
			[
				{
					company: '250',
					first: 'Hedy',
					last: 'Lamarr',
					email: 'Hedy@Contoso.com',
					phone: '+1 425 555 0130',
					mobile: '+1 425 555 0131',
				},
				{
					company: '250',
					first: 'Joan',
					last: 'Clarke',
					email: 'joan@contoso.com',
					phone: '',
					mobile: '+1 425 555 0140',
				},
				{
					company: '252',
					first: 'Alan',
					last: "O'Turing",
					email: "alan.o'turing@omalley.example",
					phone: '',
					mobile: '',
				},
			],
		);
		expect(result.status).toBe('success');
		const out = result.json('CW');
		expect(out[0]).toMatchObject({
			firstName: 'Hedy',
			email: 'hedy@contoso.com',
			phone: '+1 425 555 0130',
			mobile: '+1 425 555 0131',
			companyId: '250',
			title: 'Engineer',
			active: true,
		});
		expect(
			sandbox.log.count({ vendor: 'connectwise', path: '/company/communicationTypes' }) -
				typeCallsBefore,
		).toBe(1);

		const hedy = stored(String(out[0].id));
		expect(hedy.communicationItems.map((i) => [i.type.name, i.value, i.defaultFlag])).toEqual([
			['Email', 'hedy@contoso.com', true],
			['Direct', '+1 425 555 0130', true],
			['Cell', '+1 425 555 0131', false],
		]);
		// Without a business phone the mobile is the default phone.
		const joan = stored(String(out[1].id));
		expect(joan.communicationItems.map((i) => [i.type.name, i.defaultFlag])).toEqual([
			['Email', true],
			['Cell', true],
		]);
		expect(out[2]).toMatchObject({
			lastName: "O'Turing",
			email: "alan.o'turing@omalley.example",
			companyId: '252',
		});
	});

	test("a type name the tenant does not have is an error listing the tenant's types", async () => {
		const result = await run(
			{
				operation: 'create',
				company: byLocator('250'),
				firstName: 'Mo',
				additionalFields: { mobile: '123' },
			},
			[{}],
			{ continueOnFail: true },
		);
		expect(result.json('CW')[0]).toMatchObject({
			error: expect.stringMatching(
				/The communication type "Mobile" does not exist in this ConnectWise tenant\. Its types are: Email \(email\), Direct \(phone\), Cell \(phone\), Fax \(fax\), Business Email \(email\), Home \(phone\)\. \[item 0\]/,
			),
			field: 'Mobile Type Name',
		});
		expect(sandbox.connectwise.contacts.some((c) => c.firstName === 'Mo')).toBe(false);
	});

	test('over-long names and bad input fail per item before any call; the rest of the batch is created', async () => {
		const postsBefore = contactsCalls('POST').length;
		const result = await run(
			{
				operation: 'create',
				company: byLocator('={{ $json.company }}'),
				firstName: '={{ $json.first }}',
				lastName: '={{ $json.last }}',
				additionalFields: { email: '={{ $json.email }}', title: '={{ $json.title }}' },
			},
			[
				{ company: '250', first: 'Valid', last: 'One', email: 'valid.one@contoso.com', title: '' },
				{
					company: '250',
					first: 'F'.repeat(31),
					last: 'Long',
					email: 'long@contoso.com',
					title: '',
				},
				{
					company: '250',
					first: 'Short',
					last: 'L'.repeat(31),
					email: 'short@contoso.com',
					title: '',
				},
				{
					company: '250',
					first: 'Titled',
					last: 'Person',
					email: 'titled@contoso.com',
					title: 'T'.repeat(101),
				},
				{ company: '250', first: 'Bad', last: 'Mail', email: 'bad@', title: '' },
				{ company: '250', first: '', last: 'Nameless', email: 'nameless@contoso.com', title: '' },
				{ company: 'Contoso', first: 'Wrong', last: 'Company', email: 'wc@contoso.com', title: '' },
				{ company: '250', first: 'Valid', last: 'Two', email: 'valid.two@contoso.com', title: '' },
			],
			{ continueOnFail: true },
		);
		expect(result.status).toBe('success');
		const out = result.json('CW');
		expect(out).toHaveLength(8);
		expect(out[0]).toMatchObject({ firstName: 'Valid', lastName: 'One' });
		expect(out[1]).toMatchObject({
			error: 'First Name is 31 characters long; ConnectWise allows at most 30 [item 1]',
			field: 'First Name',
		});
		expect(out[2]).toMatchObject({
			error: expect.stringMatching(/^Last Name is 31 characters long.*\[item 2\]$/),
			field: 'Last Name',
		});
		expect(out[3]).toMatchObject({
			error: expect.stringMatching(
				/^Title is 101 characters long; ConnectWise allows at most 100 \[item 3\]$/,
			),
			field: 'Title',
		});
		expect(out[4]).toMatchObject({
			error: expect.stringMatching(/Email "bad@" is not a valid email address \[item 4\]/),
			field: 'Email',
		});
		expect(out[5]).toMatchObject({
			error: expect.stringMatching(/First Name is required.*\[item 5\]/),
			field: 'First Name',
		});
		expect(out[6]).toMatchObject({
			error: expect.stringMatching(/Company "Contoso" is not a ConnectWise company ID \[item 6\]/),
			field: 'Company',
		});
		expect(out[7]).toMatchObject({ firstName: 'Valid', lastName: 'Two' });
		expect(result.items('CW').map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5, 6, 7].map((item) => ({ item })),
		);
		expect(contactsCalls('POST').length - postsBefore).toBe(2);
	});

	test('a create whose answer is lost is found by email, not sent twice', async () => {
		sandbox.faults.add({
			vendor: 'connectwise',
			method: 'POST',
			path: /\/company\/contacts$/,
			kind: 'resetAfter',
			times: 1,
		});
		const result = await run({
			operation: 'create',
			company: byLocator('250'),
			firstName: 'Once',
			lastName: 'Only',
			additionalFields: { email: 'once.only@contoso.com' },
		});
		expect(result.status).toBe('success');
		expect(result.json('CW')[0]).toMatchObject({
			firstName: 'Once',
			email: 'once.only@contoso.com',
		});
		expect(sandbox.connectwise.contacts.filter((c) => c.firstName === 'Once')).toHaveLength(1);
	});
});

describe("Version 2: Autotask Contact's parameter names and defaults", () => {
	const v2 = (parameters: INodeParameters, input?: IDataObject[]) =>
		run(parameters, input, { typeVersion: 2, continueOnFail: true });

	test("the contact is contactId; version 1's name is not read", async () => {
		const got = await v2({ operation: 'get', contactId: byLocator('1') });
		expect(got.json('CW')[0]).toMatchObject({ id: '1', lastName: 'Lovelace' });
		await expect(v2({ operation: 'get', contact: byLocator('1') })).rejects.toThrow(
			'Parameter "Contact" is required',
		);
	});

	test('Find by Email: items not found are output by default; Find Options switch that off and skip inactive contacts', async () => {
		const input = [{ email: 'grace@contoso.com' }, { email: 'nobody@contoso.com' }];
		const email = '={{ $json.email }}';
		const plain = await v2({ operation: 'findByEmail', email }, input);
		expect(plain.json('CW').map((c) => c.id ?? c.found)).toEqual(['3', false]);
		const activeOnly = await v2(
			{ operation: 'findByEmail', email, findOptions: { activeOnly: true, outputNotFound: false } },
			input,
		);
		expect(activeOnly.json('CW')).toEqual([]);
		expect(new URLSearchParams(contactsCalls('GET').pop()!.query).get('conditions')).toBe(
			'inactiveFlag = false',
		);
	});

	test('Get Many: Last Modified Since is modifiedSince, at or after the time', async () => {
		const stamp = String(stored(2)._info?.lastUpdated);
		const later = sandbox.connectwise.contacts
			.filter((c) => c.company?.id === 250 && String(c._info?.lastUpdated) >= stamp)
			.map((c) => String(c.id));
		const result = await v2({
			operation: 'getAll',
			returnAll: true,
			filters: { companyId: '250', status: 'all', modifiedSince: stamp },
		});
		expect(result.json('CW').map((c) => c.id)).toEqual(later);
		expect(later).toContain('2');
	});

	test("Create: Email next to the names, optional; the fields carry Autotask Contact's names", async () => {
		const result = await v2({
			operation: 'create',
			company: byLocator('250'),
			firstName: 'Vera',
			lastName: 'Two',
			emailAddress: 'vera.two@contoso.com',
			additionalFields: {
				mobilePhone: '4255550199',
				addressLine: '1 Main Street',
				addressLine1: 'Suite 2',
				zipCode: '98052',
			},
			options: RENAMED_TYPES,
		});
		expect(result.json('CW')[0]).toMatchObject({
			firstName: 'Vera',
			email: 'vera.two@contoso.com',
			mobile: '4255550199',
		});
		const vera = sandbox.connectwise.contacts.find((c) => c.firstName === 'Vera')!;
		expect(vera).toMatchObject({
			addressLine1: '1 Main Street',
			addressLine2: 'Suite 2',
			zip: '98052',
		});

		const noEmail = await v2({
			operation: 'create',
			company: byLocator('250'),
			firstName: 'Nomail',
		});
		expect(noEmail.json('CW')[0]).toMatchObject({ firstName: 'Nomail', email: '' });
	});

	test("Update: Update Fields carry Autotask Contact's names", async () => {
		const created = await v2({
			operation: 'create',
			company: byLocator('250'),
			firstName: 'Uma',
			emailAddress: 'uma@contoso.com',
		});
		const id = String(created.json('CW')[0].id);
		const result = await v2({
			operation: 'update',
			contactId: byLocator(id),
			updateFields: { emailAddress: 'uma.two@contoso.com', zipCode: '98101' },
		});
		expect(result.json('CW')[0]).toMatchObject({ id, email: 'uma.two@contoso.com' });
		expect(stored(id).zip).toBe('98101');
	});
});

describe('Update, Deactivate, Reactivate, Delete', () => {
	test('an email and phone change goes through /communications, keeps the other items and one default per kind', async () => {
		const before = {
			...stored(1),
			communicationItems: stored(1).communicationItems.map((i) => ({ ...i })),
		};
		const logStart = sandbox.log.entries.length;
		const result = await run({
			operation: 'update',
			contact: byLocator('1'),
			updateFields: {
				email: 'ada.lovelace@contoso.com',
				phone: '+1 (425) 555-0177',
				mobile: '4255550101',
				title: 'Chief Technology Officer',
				lastName: '',
			},
			options: RENAMED_TYPES,
		});
		expect(result.status).toBe('success');
		expect(result.json('CW')[0]).toMatchObject({
			id: '1',
			email: 'ada.lovelace@contoso.com',
			phone: '+1 (425) 555-0177',
			mobile: '4255550101',
			title: 'Chief Technology Officer',
			lastName: 'Lovelace',
		});

		const after = stored(1);
		const emailItem = before.communicationItems.find((i) => i.type.name === 'Email')!;
		const directItem = before.communicationItems.find((i) => i.type.name === 'Direct')!;
		expect(
			after.communicationItems.map((i) => [i.id, i.type.name, i.value, i.defaultFlag]),
		).toEqual([
			[emailItem.id, 'Email', 'ada.lovelace@contoso.com', true],
			[directItem.id, 'Direct', '+1 (425) 555-0177', true],
			[before.communicationItems[2].id, 'Cell', '4255550101', false],
			[before.communicationItems[3].id, 'Home', '4255550109', false],
		]);
		const calls = sandbox.log.entries.slice(logStart).filter((e) => e.vendor === 'connectwise');
		expect(
			calls.filter((c) => c.method === 'PATCH').map((c) => c.path.replace(/^.*apis\/3\.0/, '')),
		).toEqual([
			'/company/contacts/1',
			`/company/contacts/1/communications/${emailItem.id}`,
			`/company/contacts/1/communications/${directItem.id}`,
		]);
		// The contact PATCH carries only the title: no blank, no unchanged mobile, never communicationItems.
		const contactPatch = calls.find(
			(c) => c.method === 'PATCH' && c.path.endsWith('/company/contacts/1'),
		)!;
		expect(contactPatch.body).toEqual([
			{ op: 'replace', path: 'title', value: 'Chief Technology Officer' },
		]);
	});

	test('changing to an address the contact already has makes it the default and keeps both', async () => {
		const result = await run({
			operation: 'update',
			contact: byLocator('4'),
			updateFields: { email: 'djump@fabrikam.com' },
		});
		expect(result.json('CW')[0]).toMatchObject({
			email: 'djump@fabrikam.com',
			emails: ['djump@fabrikam.com', 'dan@fabrikam.com'],
		});
		expect(stored(4).communicationItems.map((i) => [i.value, i.defaultFlag])).toEqual([
			['dan@fabrikam.com', false],
			['DJump@Fabrikam.com', true],
		]);
	});

	test('a phone added where none exists is created through /communications as the default phone', async () => {
		const result = await run({
			operation: 'update',
			contact: byLocator('3'),
			updateFields: { mobile: '4255550150' },
			options: RENAMED_TYPES,
		});
		expect(result.json('CW')[0]).toMatchObject({ mobile: '4255550150' });
		expect(stored(3).communicationItems.map((i) => [i.type.name, i.defaultFlag])).toEqual([
			['Email', true],
			['Cell', true],
		]);
		expect(contactsCalls('POST', /\/company\/contacts\/3\/communications$/)).toHaveLength(1);
	});

	test('Deactivate and Reactivate flip inactiveFlag; Delete returns {deleted: true}', async () => {
		const off = await run({ operation: 'deactivate', contact: byLocator('2') });
		expect(off.json('CW')[0]).toMatchObject({ id: '2', active: false });
		expect(stored(2).inactiveFlag).toBe(true);
		const on = await run({ operation: 'reactivate', contact: byLocator('2'), simplify: false });
		expect(on.json('CW')[0]).toMatchObject({ id: 2, inactiveFlag: false });
		expect(stored(2).inactiveFlag).toBe(false);

		const victim = sandbox.connectwise.addContact({
			firstName: 'Temp',
			lastName: 'Contact',
			company: { id: 250 },
			communicationItems: [],
		});
		const deleted = await run({ operation: 'delete', contact: byLocator(String(victim.id)) });
		expect(deleted.json('CW')).toEqual([{ deleted: true }]);
		expect(sandbox.connectwise.contact(victim.id)).toBeUndefined();
	});

	test('continueOnFail: a bad id, a missing contact and an over-long value fail alone', async () => {
		const result = await run(
			{
				operation: 'update',
				contact: byLocator('={{ $json.id }}'),
				updateFields: { title: '={{ $json.title }}' },
			},
			[
				{ id: 'abc', title: 'x' },
				{ id: '999999', title: 'x' },
				{ id: '5', title: 'T'.repeat(101) },
				{ id: '5', title: 'Quartermaster' },
			],
			{ continueOnFail: true },
		);
		const out = result.json('CW');
		expect(out[0]).toMatchObject({
			error: expect.stringMatching(/Contact "abc" is not a ConnectWise contact ID \[item 0\]/),
			field: 'Contact',
		});
		expect(out[1]).toMatchObject({
			error: expect.stringMatching(
				/^ConnectWise: Contact recId 999999 was not found\. \[item 1\]$/,
			),
			httpCode: '404',
		});
		expect(out[2]).toMatchObject({ field: 'Title' });
		expect(out[3]).toMatchObject({ id: '5', title: 'Quartermaster' });
	});
});

describe('From Contact Reconcile', () => {
	const plan = (overrides: Partial<ContactPlanItem>): ContactPlanItem =>
		planItem({
			targetSystem: 'connectwise',
			companyId: '250',
			sourceId: 'm365-user',
			...overrides,
		});

	test('create, update and dry run apply exactly the changes', async () => {
		const created = await run(
			{ operation: 'create', fromReconcile: true, options: RENAMED_TYPES },
			[
				plan({
					action: 'create',
					email: 'new.hire@contoso.com',
					changes: {
						firstName: 'New',
						lastName: 'Hire',
						email: 'new.hire@contoso.com',
						mobile: '4255550160',
						title: '',
					},
				}) as unknown as IDataObject,
				plan({
					action: 'create',
					dryRun: true,
					email: 'dry@contoso.com',
					changes: { firstName: 'Dry', email: 'dry@contoso.com' },
				}) as unknown as IDataObject,
			],
		);
		const out = created.json('CW');
		expect(out[0]).toMatchObject({
			action: 'create',
			applied: true,
			contact: {
				firstName: 'New',
				lastName: 'Hire',
				email: 'new.hire@contoso.com',
				mobile: '4255550160',
				companyId: '250',
				title: '',
			},
		});
		const id = String(out[0].targetId);
		expect(stored(id).communicationItems.map((i) => i.type.name)).toEqual(['Email', 'Cell']);
		expect(out[1]).toMatchObject({ action: 'create', dryRun: true, applied: false, targetId: '' });
		expect(sandbox.connectwise.contacts.some((c) => c.firstName === 'Dry')).toBe(false);

		const patchesBefore = contactsCalls('PATCH').length;
		const updated = await run(
			{ operation: 'update', fromReconcile: true, options: RENAMED_TYPES },
			[
				plan({
					action: 'update',
					targetId: id,
					changes: { title: 'Analyst', email: 'new.hire2@contoso.com', phone: '' },
				}) as unknown as IDataObject,
			],
		);
		expect(updated.json('CW')[0]).toMatchObject({
			applied: true,
			targetId: id,
			contact: {
				title: 'Analyst',
				email: 'new.hire2@contoso.com',
				lastName: 'Hire',
				mobile: '4255550160',
			},
		});
		const patches = contactsCalls('PATCH').slice(patchesBefore);
		expect(patches.map((p) => p.body)).toEqual([
			[{ op: 'replace', path: 'title', value: 'Analyst' }],
			[{ op: 'replace', path: 'value', value: 'new.hire2@contoso.com' }],
		]);
	});

	test('deactivate and reactivate plan items; items that are not plans fail alone', async () => {
		const result = await run(
			{ operation: 'deactivate', fromReconcile: true },
			[
				plan({
					action: 'deactivate',
					targetId: '5',
					changes: { active: false },
				}) as unknown as IDataObject,
				{ email: 'not-a-plan@contoso.com' },
				plan({ action: 'create', changes: { firstName: 'Wrong' } }) as unknown as IDataObject,
				plan({
					action: 'deactivate',
					targetSystem: 'autotask',
					targetId: '5',
				} as Partial<ContactPlanItem>) as unknown as IDataObject,
			],
			{ continueOnFail: true },
		);
		const out = result.json('CW');
		expect(out[0]).toMatchObject({ applied: true, targetId: '5', contact: { active: false } });
		expect(stored(5).inactiveFlag).toBe(true);
		expect(out[1]).toMatchObject({
			error: expect.stringMatching(
				/not a Contact Reconcile plan item \(it has no planVersion, action and changes\) \[item 1\]/,
			),
			field: 'From Contact Reconcile',
		});
		expect(out[2]).toMatchObject({
			error: expect.stringMatching(
				/action is "create", which this node's operation \(deactivate\) does not apply \[item 2\]/,
			),
		});
		expect(out[3]).toMatchObject({
			error: expect.stringMatching(/targets "autotask", not ConnectWise \[item 3\]/),
		});

		const back = await run({ operation: 'reactivate', fromReconcile: true }, [
			plan({
				action: 'reactivate',
				targetId: '5',
				changes: { active: true },
			}) as unknown as IDataObject,
		]);
		expect(back.json('CW')[0]).toMatchObject({ applied: true, contact: { active: true } });
		expect(stored(5).inactiveFlag).toBe(false);
	});

	test('without Continue On Fail every plan item is still written, then one error names the failed ones', async () => {
		const result = await run({ operation: 'update', fromReconcile: true }, [
			plan({ action: 'update', targetId: '999999', changes: { title: 'Nobody' } }),
			plan({ action: 'update', targetId: '5', changes: { title: 'Written anyway' } }),
			plan({ action: 'update', targetId: '6', changes: { email: 'broken' } }),
		] as unknown as IDataObject[]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('2 of 3 contacts could not be written');
		expect(result.error?.description).toMatch(/Item 0 \(update contact 999999/);
		expect(result.error?.description).toMatch(/Item 2 \(update contact 6.*changes\.email/s);
		expect(stored(5).title).toBe('Written anyway');
	});

	test("an over-long value in a plan is cut at ConnectWise's length, written and reported; a person's is refused", async () => {
		const result = await run(
			{ operation: 'update', fromReconcile: true },
			[
				plan({
					action: 'update',
					targetId: '5',
					changes: { firstName: 'X'.repeat(40) },
				}) as unknown as IDataObject,
			],
			{ continueOnFail: true },
		);
		expect(result.json('CW')[0]).toMatchObject({
			applied: true,
			truncated: [{ field: 'firstName', limit: 30, length: 40, written: 'X'.repeat(30) }],
		});
		expect(stored(5).firstName).toBe('X'.repeat(30));
		const typed = await run(
			{ operation: 'update', contact: byLocator('5'), updateFields: { firstName: 'Y'.repeat(40) } },
			[{}],
			{ continueOnFail: true },
		);
		expect(typed.json('CW')[0]).toMatchObject({
			error: expect.stringMatching(
				/^First Name is 40 characters long; ConnectWise allows at most 30/,
			),
		});
		expect(stored(5).firstName).toBe('X'.repeat(30));
	});
});

describe('Pickers and contract', () => {
	const node = {
		name: 'CW',
		type: `${PACKAGE_NAME}.connectWiseContact`,
		parameters: { resource: 'contact', operation: 'create' },
		credentials: { connectWiseManageApi: { id: '1', name: 'ConnectWise sandbox' } },
	};
	const search = (method: string, filter?: string, paginationToken?: string) =>
		listSearch({ pkg, credentials, node }, method, filter, paginationToken);

	test('the company picker searches by name with an apostrophe, ordered by name', async () => {
		const all = await search('searchCompanies');
		expect(all.results.map((r) => r.name)).toEqual([
			'Contoso Ltd (Contoso)',
			'Fabrikam Inc (Fabrikam)',
			"O'Malley & Sons (OMalley)",
		]);
		expect(all.paginationToken).toBeUndefined();
		const found = await search('searchCompanies', "o'mal");
		expect(found.results).toEqual([{ name: "O'Malley & Sons (OMalley)", value: '252' }]);
	});

	test('the contact picker searches names and addresses and pages', async () => {
		const byName = await search('searchContacts', 'lovelace');
		expect(byName.results).toEqual([
			{
				name: expect.stringMatching(/^Ada Lovelace \(ada.*@contoso\.com, Contoso Ltd\)$/),
				value: '1',
			},
		]);
		const byAddress = await search('searchContacts', "o'brien@");
		expect(byAddress.results.map((r) => r.value)).toEqual(['2']);
		const first = await search('searchContacts', 'bulk1');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		const second = await search('searchContacts', 'bulk1', first.paginationToken as string);
		expect(second.results[0].value).not.toBe(first.results[0].value);
	});

	test("every API call of the node pinned the credential's API version", () => {
		expect(Object.keys(sandbox.connectwise.acceptHeaders)).toEqual([
			'application/vnd.connectwise.com+json; version=2025.1',
		]);
	});

	test('every request and response matched the ConnectWise contract', () => {
		expect(sandbox.contractViolations.filter((v) => v.vendor === 'connectwise')).toEqual([]);
	});
});
