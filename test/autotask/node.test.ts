import type { IDataObject } from 'n8n-workflow';

import type { ContactPlanItem } from '../../lib/contacts/canonical';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { sandboxSecrets } from '../../sandbox/credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';
import { listSearch } from '../support/editorCall';
import { planItem as aPlanItem } from '../support/planItem';
import { autotaskSeed, COMPANY, READ_ONLY_API_USER, RESOURCE, WRONG_SECRET } from './fixtures';

type Row = Record<string, unknown>;

let sandbox: Sandbox;
let pkg: LoadedPackage;
let credentials: CredentialStore;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: autotaskSeed() });
	pkg = loadSourcePackage();
	credentials = new CredentialStore(pkg.credentialTypes, {
		autotaskApi: sandbox.credentials.autotaskApi,
	});
});

afterAll(async () => {
	await sandbox.stop();
});

afterEach(() => {
	sandbox.autotask.config.requestDurationMs = 0;
	sandbox.faults.clear();
});

interface RunOptions {
	input?: IDataObject[];
	continueOnFail?: boolean;
	store?: CredentialStore;
}

async function run(parameters: IDataObject, options: RunOptions = {}) {
	const workflow = singleNodeWorkflow({
		name: 'Autotask',
		type: 'n8n-nodes-msp.autotaskContact',
		parameters: { resource: 'contact', ...parameters },
		credentials: { autotaskApi: { id: '1', name: 'Autotask' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const result = await runWorkflow({
		pkg,
		credentials: options.store ?? credentials,
		workflow,
		input: options.input,
	});
	return {
		result,
		out: result.json('Autotask'),
		paired: result.items('Autotask').map((item) => (item.pairedItem as { item: number }).item),
	};
}

/** Requests logged while `action` ran, as "METHOD /path-after-V1.0". */
async function calls<T>(
	action: () => Promise<T>,
): Promise<{ value: T; requests: Array<{ line: string; body: unknown }> }> {
	const before = sandbox.log.entries.length;
	const value = await action();
	const requests = sandbox.log.entries
		.slice(before)
		.filter((entry) => entry.vendor === 'autotask')
		.map((entry) => ({
			line: `${entry.method} ${entry.path.replace(/^.*?\/V1\.0/i, '')}`,
			body: entry.body,
		}));
	return { value, requests };
}

const byCompany = (mode: 'id' | 'list', value: number) => ({
	__rl: true,
	mode,
	value: String(value),
});
const contactRef = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });
const contactRow = (id: number) =>
	sandbox.autotask.contacts.find((row) => Number(row.id) === id) as Row;

const planItem = (overrides: Partial<ContactPlanItem>): ContactPlanItem =>
	aPlanItem({ companyId: String(COMPANY.contoso), ...overrides });

describe('Create', () => {
	test('creates through the company, returns the canonical contact, no metadata call for short values', async () => {
		const { value, requests } = await calls(
			async () =>
				await run({
					operation: 'create',
					company: byCompany('list', COMPANY.fabrikam),
					firstName: ' Gwen ',
					lastName: 'Stacy',
					emailAddress: 'Gwen.Stacy@Fabrikam.example',
					additionalFields: {
						title: 'Engineer',
						phone: '+1 425 555 0199',
						mobilePhone: '+1 425 555 0198',
						emailAddress2: '',
					},
				}),
		);
		const [contact] = value.out;
		expect(contact).toMatchObject({
			system: 'autotask',
			companyId: String(COMPANY.fabrikam),
			firstName: 'Gwen',
			lastName: 'Stacy',
			email: 'gwen.stacy@fabrikam.example',
			title: 'Engineer',
			phone: '+1 425 555 0199',
			mobile: '+1 425 555 0198',
			active: true,
		});
		expect(contactRow(Number(contact.id))).toMatchObject({
			companyID: COMPANY.fabrikam,
			isActive: 1,
			emailAddress: 'gwen.stacy@fabrikam.example',
		});
		const post = requests.find((r) => r.line === `POST /Companies/${COMPANY.fabrikam}/Contacts`);
		expect(post?.body).toEqual({
			firstName: 'Gwen',
			lastName: 'Stacy',
			emailAddress: 'gwen.stacy@fabrikam.example',
			title: 'Engineer',
			phone: '+1 425 555 0199',
			mobilePhone: '+1 425 555 0198',
			isActive: 1,
			companyID: COMPANY.fabrikam,
		});
		expect(requests.some((r) => r.line.includes('entityInformation'))).toBe(false);
		expect(value.paired).toEqual([0]);
	});

	test('values over the documented floor are checked against the tenant metadata, read once per run', async () => {
		const long = 'Maximiliana-Josephine'; // 21 characters: over the floor of 20, within the tenant's 50
		const { value, requests } = await calls(
			async () =>
				await run(
					{
						operation: 'create',
						company: byCompany('id', COMPANY.contoso),
						firstName: '={{ $json.first }}',
						lastName: 'Long',
						emailAddress: '={{ $json.email }}',
					},
					{
						continueOnFail: true,
						input: [
							{ first: long, email: 'max1@contoso.example' },
							{ first: 'x'.repeat(51), email: 'max2@contoso.example' },
							{ first: `${long}-2`, email: 'max3@contoso.example' },
						],
					},
				),
		);
		expect(
			requests.filter((r) => r.line === 'GET /Contacts/entityInformation/fields'),
		).toHaveLength(1);
		expect(value.out[0]).toMatchObject({ firstName: long, email: 'max1@contoso.example' });
		expect(value.out[1]).toMatchObject({ field: 'First Name' });
		expect(String(value.out[1].error)).toBe(
			'First Name is 51 characters long; this Autotask tenant allows at most 50 [item 1]',
		);
		expect(value.out[2]).toMatchObject({ firstName: `${long}-2` });
		expect(
			sandbox.autotask.contacts.some((row) => row.emailAddress === 'max2@contoso.example'),
		).toBe(false);
		expect(value.paired).toEqual([0, 1, 2]);
	});

	test('bad input fails per item before any call, naming item and field; the batch continues', async () => {
		const before = sandbox.autotask.contacts.length;
		const { value, requests } = await calls(
			async () =>
				await run(
					{
						operation: 'create',
						company: { __rl: true, mode: 'id', value: '={{ $json.company }}' },
						firstName: '={{ $json.first }}',
						lastName: 'Batch',
						emailAddress: '={{ $json.email }}',
						additionalFields: { emailAddress3: '={{ $json.email3 }}' },
					},
					{
						continueOnFail: true,
						input: [
							{ company: COMPANY.contoso, first: 'Ok', email: 'ok1@contoso.example', email3: '' },
							{ company: COMPANY.contoso, first: 'Bad', email: 'not-an-address', email3: '' },
							{ company: '', first: 'NoCompany', email: 'ok2@contoso.example', email3: '' },
							{ company: 'acme', first: 'Word', email: 'ok3@contoso.example', email3: '' },
							{ company: COMPANY.contoso, first: '', email: 'ok4@contoso.example', email3: '' },
							{
								company: COMPANY.contoso,
								first: 'Three',
								email: 'ok5@contoso.example',
								email3: 'three@@x',
							},
							{ company: COMPANY.contoso, first: 'Ok2', email: 'ok6@contoso.example', email3: '' },
						],
					},
				),
		);
		expect(value.out.map((item) => item.error ?? item.firstName)).toEqual([
			'Ok',
			'Email "not-an-address" is not a valid email address [item 1]',
			'Company is missing [item 2]',
			'Company "acme" is not an Autotask company ID [item 3]',
			'First Name is required to create an Autotask contact [item 4]',
			'Email 3 "three@@x" is not a valid email address [item 5]',
			'Ok2',
		]);
		expect(value.out.filter((item) => item.error).map((item) => item.field)).toEqual([
			'Email',
			'Company',
			'Company',
			'First Name',
			'Email 3',
		]);
		expect(requests.filter((r) => r.line.startsWith('POST /Companies'))).toHaveLength(2);
		expect(sandbox.autotask.contacts.length).toBe(before + 2);
	});

	test('without continueOnFail the run stops with an error naming the item', async () => {
		const { result } = await run(
			{
				operation: 'create',
				company: byCompany('id', COMPANY.contoso),
				firstName: 'A',
				lastName: 'B',
				emailAddress: '={{ $json.email }}',
			},
			{ input: [{ email: 'broken' }] },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Email "broken" is not a valid email address [item 0]');
	});

	test('a contact without an email is created: Autotask requires none (ConnectWise Contact agrees)', async () => {
		const { out } = await run(
			{
				operation: 'create',
				company: byCompany('id', COMPANY.contoso),
				firstName: 'No',
				lastName: 'Address',
			},
			{ continueOnFail: true },
		);
		expect(out[0]).toMatchObject({ firstName: 'No', lastName: 'Address', email: '' });
		expect(sandbox.autotask.contacts.filter((c) => c.lastName === 'Address')).toHaveLength(1);
	});

	test('Autotask validation messages surface verbatim with a fix; no secret in the output', async () => {
		const { out } = await run(
			{
				operation: 'create',
				company: byCompany('id', 99999),
				firstName: 'A',
				lastName: 'B',
				emailAddress: 'a@b.example',
			},
			{ continueOnFail: true },
		);
		expect(out[0]).toMatchObject({
			error: 'Autotask: companyID: Value 99999 does not exist or is invalid. [item 0]',
			httpCode: '500',
		});
		expect(String(out[0].errorDescription)).toMatch(/Correct the value it names/);
		const failed = await run(
			{
				operation: 'create',
				company: byCompany('id', 99999),
				firstName: 'A',
				lastName: 'B',
				emailAddress: 'a@b.example',
			},
			{},
		);
		const everything = JSON.stringify({ out, run: failed.result.run });
		for (const secret of sandboxSecrets()) expect(everything).not.toContain(secret);
	});

	test('a rejected secret is reported without the secret or the integration code', async () => {
		const store = new CredentialStore(pkg.credentialTypes, {
			autotaskApi: { ...sandbox.credentials.autotaskApi, secret: WRONG_SECRET },
		});
		const { result, out } = await run(
			{ operation: 'get', contactId: contactRef(30682001) },
			{ store, continueOnFail: true },
		);
		expect(out[0]).toMatchObject({ httpCode: '401' });
		expect(String(out[0].errorDescription)).toMatch(/rejected the API user's secret/);
		const everything = JSON.stringify(result.run);
		for (const secret of [WRONG_SECRET, ...sandboxSecrets()])
			expect(everything).not.toContain(secret);
	});

	test('an ambiguous failure (the create landed, the answer was lost) never duplicates', async () => {
		sandbox.faults.add({
			kind: 'resetAfter',
			vendor: 'autotask',
			method: 'POST',
			path: `/Companies/${COMPANY.contoso}/Contacts`,
			times: 1,
		});
		const { out } = await run({
			operation: 'create',
			company: byCompany('id', COMPANY.contoso),
			firstName: 'Once',
			lastName: 'Only',
			emailAddress: 'once.only@contoso.example',
		});
		const rows = sandbox.autotask.contacts.filter(
			(row) => row.emailAddress === 'once.only@contoso.example',
		);
		expect(rows).toHaveLength(1);
		expect(out[0]).toMatchObject({ id: String(rows[0].id), email: 'once.only@contoso.example' });
	});
});

describe('Get and Get Many', () => {
	test('Get by ID: canonical or raw, labels on request, 404 per item', async () => {
		const simple = await run({ operation: 'get', contactId: contactRef(30682002) });
		expect(simple.result.error).toBeUndefined();
		expect(simple.out[0]).toEqual({
			system: 'autotask',
			id: '30682002',
			companyId: String(COMPANY.contoso),
			email: 'ben@contoso.example',
			emails: ['ben@contoso.example', 'ben.oneil@contoso.example'],
			firstName: 'Ben',
			lastName: "O'Neil",
			title: '',
			phone: '',
			mobile: '',
			active: true,
		});
		const raw = await run({
			operation: 'get',
			contactId: contactRef(30682003),
			simplify: false,
			options: { includeLabels: true },
		});
		expect(raw.out[0]).toMatchObject({
			id: 30682003,
			isActive: 0,
			companyID: COMPANY.contoso,
			companyID_label: 'Contoso Ltd',
			namePrefix_label: null,
		});
		const labelled = await run({
			operation: 'get',
			contactId: contactRef(30682004),
			options: { includeLabels: true },
		});
		expect(labelled.out[0]).toMatchObject({ active: true, companyName: 'Fabrikam Inc' });
		const missing = await run(
			{ operation: 'get', contactId: contactRef(123) },
			{ continueOnFail: true },
		);
		expect(missing.out[0]).toMatchObject({
			error: 'Autotask: contact 123 was not found [item 0]',
			httpCode: '404',
		});
	});

	test('Get By ID: a typed id that is not a number fails its own item, naming the field, with no call', async () => {
		const { value, requests } = await calls(
			async () =>
				await run(
					{
						operation: 'get',
						contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					},
					{ input: [{ id: '30682002' }, { id: 'ben@contoso' }], continueOnFail: true },
				),
		);
		expect(value.out[0]).toMatchObject({ id: '30682002', firstName: 'Ben' });
		expect(value.out[1]).toMatchObject({
			error: 'Contact "ben@contoso" is not an Autotask contact ID [item 1]',
			field: 'Contact',
			errorDescription: 'Pick the contact from the list, or enter its numeric Autotask ID.',
		});
		expect(value.paired).toEqual([0, 1]);
		expect(requests.filter((r) => r.line.startsWith('GET /Contacts'))).toHaveLength(1);
	});

	test('filters: company, email in any of the three fields, status, name, modified since, raw filter', async () => {
		const ids = async (filters: IDataObject) =>
			(await run({ operation: 'getAll', returnAll: true, filters })).out
				.map((contact) => contact.id)
				.filter((id) => Number(id) < 40000000);
		expect(
			await ids({
				companyId: String(COMPANY.contoso),
				status: 'all',
				rawFilter: '[{"op":"lt","field":"id","value":30682006}]',
			}),
		).toEqual(['30682001', '30682002', '30682003']);
		expect(await ids({ email: 'ANN.LEE@contoso.example' })).toEqual(['30682001', '30682004']);
		expect(await ids({ email: 'Ben.ONeil@contoso.example' })).toEqual(['30682002']);
		expect(await ids({ companyId: String(COMPANY.contoso), status: 'inactive' })).toEqual([
			'30682003',
		]);
		expect(await ids({ name: 'ann lee' })).toEqual(['30682001']);
		expect(await ids({ name: 'øster' })).toEqual(['30682004']);
		expect(
			await ids({ modifiedSince: '2026-04-01T00:00:00Z', companyId: String(COMPANY.fabrikam) }),
		).toEqual(expect.arrayContaining(['30682004', '30682005']));
		const bad = await run(
			{ operation: 'getAll', filters: { rawFilter: '{"op":' } },
			{ continueOnFail: true },
		);
		expect(bad.out[0].error).toBe('Raw Autotask Filter is not valid JSON [item 0]');
		const malformed = await run(
			{
				operation: 'getAll',
				filters: { rawFilter: '[{"op":"startsWith","field":"firstName","value":"A"}]' },
			},
			{ continueOnFail: true },
		);
		expect(malformed.out[0].error).toBe(
			"Autotask: Invalid query syntax. The operator 'startsWith' is not supported. [item 0]",
		);
	});

	describe('paging', () => {
		const BULK = 40000000;
		beforeAll(() => {
			for (let i = 0; i < 1100; i++) {
				sandbox.autotask.contacts.push({
					id: BULK + i,
					companyID: COMPANY.northwind,
					firstName: `Bulk${i}`,
					lastName: 'Paged',
					emailAddress: `bulk${i}@northwind.example`,
					isActive: 1,
				});
			}
		});
		afterAll(() => {
			sandbox.autotask.contacts = sandbox.autotask.contacts.filter((row) => Number(row.id) < BULK);
		});

		test('Return All reads past 500 records over nextPageUrl; Limit asks for no more than needed', async () => {
			const all = await calls(
				async () =>
					await run({
						operation: 'getAll',
						returnAll: true,
						filters: { companyId: String(COMPANY.northwind) },
					}),
			);
			expect(all.value.out).toHaveLength(1100);
			expect(new Set(all.value.out.map((c) => c.id)).size).toBe(1100);
			expect(
				all.requests.filter((r) => r.line.startsWith('POST /Contacts/query')).map((r) => r.line),
			).toEqual(['POST /Contacts/query', 'POST /Contacts/query/next', 'POST /Contacts/query/next']);
			const some = await calls(
				async () =>
					await run({
						operation: 'getAll',
						limit: 7,
						filters: { companyId: String(COMPANY.northwind) },
					}),
			);
			expect(some.value.out).toHaveLength(7);
			const queries = some.requests.filter((r) => r.line.startsWith('POST /Contacts/query'));
			expect(queries).toHaveLength(1);
			expect(queries[0].body).toMatchObject({ MaxRecords: 7 });
		});
	});
});

describe('Find by Email', () => {
	test('400 items in 3 queries (the 500-condition split), each item paired with its own matches', async () => {
		const input: IDataObject[] = Array.from({ length: 400 }, (_, i) => ({
			email: `nobody${i}@nowhere.example`,
		}));
		input[10] = { email: 'ANN.LEE@contoso.example' };
		input[11] = { email: 'ben.oneil@CONTOSO.example' };
		input[12] = { email: 'ann.lee@contoso.example' };
		input[13] = { email: 'not an address' };
		const { value, requests } = await calls(
			async () =>
				await run(
					{ operation: 'findByEmail', email: '={{ $json.email }}' },
					{ input, continueOnFail: true },
				),
		);
		const queries = requests.filter((r) => r.line === 'POST /Contacts/query');
		expect(queries).toHaveLength(3);
		const sizes = queries.map(
			(q) =>
				(
					(q.body as { filter: Array<{ items: Array<{ value: string[] }> }> }).filter[0].items[0]
						.value ?? []
				).length,
		);
		expect(sizes).toEqual([166, 166, 66]);
		const { out, paired } = value;
		const forItem = (i: number) => out.filter((_, index) => paired[index] === i);
		expect(forItem(10).map((c) => c.id)).toEqual(['30682001', '30682004']);
		expect(forItem(10)[0]).toMatchObject({ found: true, matchedEmail: 'ann.lee@contoso.example' });
		expect(forItem(11).map((c) => c.id)).toEqual(['30682002']);
		expect(forItem(12).map((c) => c.id)).toEqual(['30682001', '30682004']);
		expect(forItem(13)[0]).toMatchObject({
			error: 'Email "not an address" is not a valid email address [item 13]',
			field: 'Email',
		});
		expect(forItem(0)).toEqual([{ email: 'nobody0@nowhere.example', found: false }]);
		expect(paired.every((item, index) => index === 0 || item >= paired[index - 1])).toBe(true);
	});

	test('a refused look-up fails every item that needed it, each paired with its own item', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 400,
			body: { errors: ['Refused by the test'] },
			vendor: 'autotask',
			method: 'POST',
			path: '/Contacts/query',
		});
		const { out, paired } = await run(
			{ operation: 'findByEmail', email: '={{ $json.email }}' },
			{
				input: [{ email: 'ann.lee@contoso.example' }, { email: '' }, { email: 'dana@x.example' }],
				continueOnFail: true,
			},
		);
		expect(paired).toEqual([0, 1, 2]);
		expect(out.map((item) => item.field ?? null)).toEqual([null, 'Email', null]);
		expect(String(out[0].error)).toMatch(/Refused by the test.*\[item 0\]/);
		expect(String(out[2].error)).toMatch(/Refused by the test.*\[item 2\]/);
	});

	test('Active Only and Output Items Not Found', async () => {
		const { out } = await run(
			{
				operation: 'findByEmail',
				email: '={{ $json.email }}',
				findOptions: { activeOnly: true, outputNotFound: false },
			},
			{ input: [{ email: 'cleo@contoso.example' }, { email: 'dana@fabrikam.example' }] },
		);
		expect(out.map((c) => c.id)).toEqual(['30682004']);
	});
});

describe('Update, Deactivate, Reactivate', () => {
	test('PATCH sends only the given fields; blanks never clear; Fields to Clear does', async () => {
		const id = 30682001;
		const { value, requests } = await calls(
			async () =>
				await run({
					operation: 'update',
					contactId: contactRef(id),
					updateFields: {
						title: 'Chief Executive',
						phone: '',
						mobilePhone: '  ',
						emailAddress2: 'Ann@Home.example',
					},
					fieldsToClear: ['alternatePhone'],
				}),
		);
		const patch = requests.find((r) => r.line === `PATCH /Companies/${COMPANY.contoso}/Contacts`);
		expect(patch?.body).toEqual({
			id,
			title: 'Chief Executive',
			emailAddress2: 'ann@home.example',
			alternatePhone: null,
		});
		expect(contactRow(id)).toMatchObject({
			title: 'Chief Executive',
			phone: '+1 425 555 0110',
			emailAddress2: 'ann@home.example',
			firstName: 'Ann',
		});
		expect(value.out[0]).toMatchObject({
			id: String(id),
			title: 'Chief Executive',
			phone: '+1 425 555 0110',
			emails: ['ann.lee@contoso.example', 'ann@home.example'],
		});
		// One lookup of the contacts' companies, one PATCH, one read-back.
		expect(requests.map((r) => r.line)).toEqual([
			'POST /Contacts/query',
			`PATCH /Companies/${COMPANY.contoso}/Contacts`,
			'POST /Contacts/query',
		]);
	});

	test('a batch of updates: companies looked up once, a missing contact fails on its own item', async () => {
		const { value, requests } = await calls(
			async () =>
				await run(
					{
						operation: 'update',
						contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						updateFields: { title: '={{ $json.title }}' },
					},
					{
						input: [
							{ id: 30682002, title: 'Sales' },
							{ id: 999, title: 'Ghost' },
							{ id: 30682004, title: 'IT Lead' },
						],
						continueOnFail: true,
					},
				),
		);
		expect(value.out.map((item) => item.error ?? item.title)).toEqual([
			'Sales',
			'Autotask: contact 999 was not found [item 1]',
			'IT Lead',
		]);
		expect(requests.filter((r) => r.line.startsWith('PATCH'))).toHaveLength(2);
		expect(requests.filter((r) => r.line === 'POST /Contacts/query')).toHaveLength(2);
	});

	test('Fields to Clear refuses required fields', async () => {
		const { out } = await run(
			{ operation: 'update', contactId: contactRef(30682002), fieldsToClear: ['firstName'] },
			{ continueOnFail: true },
		);
		expect(out[0]).toMatchObject({
			error: 'First Name cannot be cleared: Autotask requires it [item 0]',
			field: 'Fields to Clear',
		});
	});

	test('Deactivate and Reactivate flip isActive (0/1) and report active', async () => {
		const off = await run({ operation: 'deactivate', contactId: contactRef(30682005) });
		expect(off.out[0]).toMatchObject({ id: '30682005', active: false });
		expect(contactRow(30682005).isActive).toBe(0);
		const on = await run({
			operation: 'reactivate',
			contactId: contactRef(30682005),
			simplify: false,
		});
		expect(on.out[0]).toMatchObject({ id: 30682005, isActive: 1 });
		expect(contactRow(30682005).isActive).toBe(1);
	});
});

describe('Act As (Resource Email)', () => {
	test('writes as the active resource with that email; one resource query per distinct email', async () => {
		const { value, requests } = await calls(
			async () =>
				await run(
					{
						operation: 'create',
						company: byCompany('id', COMPANY.fabrikam),
						firstName: '={{ $json.first }}',
						lastName: 'Owned',
						emailAddress: '={{ $json.first.toLowerCase() }}@fabrikam.example',
						options: { actAsEmail: 'Alice@Sandbox-MSP.example' },
					},
					{ input: [{ first: 'One' }, { first: 'Two' }, { first: 'Three' }] },
				),
		);
		expect(requests.filter((r) => r.line === 'POST /Resources/query')).toHaveLength(1);
		for (const item of value.out) {
			expect(item.actAs).toEqual({
				email: 'alice@sandbox-msp.example',
				resourceId: RESOURCE.alice,
				applied: true,
				reason: '',
			});
			expect(contactRow(Number(item.id)).impersonatorCreatorResourceID).toBe(RESOURCE.alice);
		}
	});

	test('falls back to the credential default when no active resource matches or Autotask refuses', async () => {
		const noResource = await run({
			operation: 'update',
			contactId: contactRef(30682004),
			updateFields: { title: 'Ops' },
			options: { actAsEmail: 'bob@sandbox-msp.example' }, // Bob is inactive
		});
		expect(noResource.out[0].actAs).toEqual({
			email: 'bob@sandbox-msp.example',
			resourceId: null,
			applied: false,
			reason:
				"No active Autotask resource has this email; written as the credential's default resource",
		});
		expect(contactRow(30682004).title).toBe('Ops');

		const { value, requests } = await calls(
			async () =>
				await run({
					operation: 'create',
					company: byCompany('id', COMPANY.fabrikam),
					firstName: 'Refused',
					lastName: 'Imp',
					emailAddress: 'refused@fabrikam.example',
					options: { actAsEmail: 'carol@sandbox-msp.example' }, // Carol's level does not allow impersonation
				}),
		);
		expect(value.out[0].actAs).toMatchObject({
			email: 'carol@sandbox-msp.example',
			resourceId: RESOURCE.carol,
			applied: false,
		});
		expect(String((value.out[0].actAs as IDataObject).reason)).toMatch(
			/^Autotask refused to act as resource 29683003 \(ImpersonationResourceId: .*does not allow impersonation.*\); written as the credential's default resource$/,
		);
		const posts = requests.filter((r) => r.line === `POST /Companies/${COMPANY.fabrikam}/Contacts`);
		expect(posts).toHaveLength(2);
		const created = sandbox.autotask.contacts.filter(
			(row) => row.emailAddress === 'refused@fabrikam.example',
		);
		expect(created).toHaveLength(1);
		expect(created[0].impersonatorCreatorResourceID).toBeNull();
	});

	test('a malformed Act As address fails the item', async () => {
		const { out } = await run(
			{
				operation: 'deactivate',
				contactId: contactRef(30682002),
				options: { actAsEmail: 'alice' },
			},
			{ continueOnFail: true },
		);
		expect(out[0]).toMatchObject({
			error: 'Act As (Resource Email) "alice" is not a valid email address [item 0]',
			field: 'Act As (Resource Email)',
		});
		expect(contactRow(30682002).isActive).toBe(1);
	});
});

describe('From Contact Reconcile', () => {
	test('create, update, deactivate and reactivate plan items are applied exactly; the output carries the result', async () => {
		const create = planItem({
			action: 'create',
			email: 'hana@contoso.example',
			companyId: String(COMPANY.contoso),
			changes: {
				firstName: 'Hana',
				lastName: 'Kim',
				email: 'hana@contoso.example',
				title: 'Analyst',
				phone: '',
			},
		});
		const created = await calls(
			async () =>
				await run(
					{ operation: 'create', fromReconcile: true },
					{ input: [create as unknown as IDataObject] },
				),
		);
		const post = created.requests.find((r) => r.line.startsWith('POST /Companies'));
		expect(post?.body).toEqual({
			firstName: 'Hana',
			lastName: 'Kim',
			emailAddress: 'hana@contoso.example',
			title: 'Analyst',
			isActive: 1,
			// The creation mark: the sync's own duplicates are recognised by it.
			externalID: 'n8n-msp-sync:graph-user-1',
			companyID: COMPANY.contoso,
		});
		const createdOut = created.value.out[0];
		expect(createdOut).toMatchObject({
			planVersion: 1,
			action: 'create',
			applied: true,
			contact: { firstName: 'Hana', email: 'hana@contoso.example', active: true },
		});
		const newId = String(createdOut.targetId);
		expect(contactRow(Number(newId))).toMatchObject({
			firstName: 'Hana',
			companyID: COMPANY.contoso,
		});

		const update = planItem({
			action: 'update',
			targetId: newId,
			changes: { title: 'Senior Analyst', mobile: '+1 425 555 0177' },
		});
		const deactivate = planItem({
			action: 'deactivate',
			targetId: '30682002',
			changes: { active: false },
		});
		const reactivate = planItem({
			action: 'reactivate',
			targetId: '30682003',
			changes: { active: true, title: 'Back' },
		});
		const updated = await calls(
			async () =>
				await run(
					{ operation: 'update', fromReconcile: true },
					{ input: [update, deactivate, reactivate] as unknown as IDataObject[] },
				),
		);
		expect(updated.requests.filter((r) => r.line.startsWith('PATCH')).map((r) => r.body)).toEqual(
			expect.arrayContaining([
				{ id: Number(newId), title: 'Senior Analyst', mobilePhone: '+1 425 555 0177' },
				{ id: 30682002, isActive: 0 },
				{ id: 30682003, title: 'Back', isActive: 1 },
			]),
		);
		expect(
			updated.value.out.map((item) => [item.applied, (item.contact as IDataObject).active]),
		).toEqual([
			[true, true],
			[true, false],
			[true, true],
		]);
		// Companies come from the plan items: no lookup query before the PATCHes.
		expect(updated.requests[0].line).toMatch(/^PATCH/);
		expect(contactRow(Number(newId))).toMatchObject({
			title: 'Senior Analyst',
			mobilePhone: '+1 425 555 0177',
		});
		// The blank phone of the plan item was never written.
		expect(contactRow(Number(newId)).phone ?? null).toBeNull();
	});

	test('without Continue On Fail every plan item is still written, then one error names the failed ones and the run fails', async () => {
		const good = (title: string, targetId: string) =>
			planItem({ action: 'update', targetId, changes: { title } });
		const input = [
			good('Summary A', '30682001'),
			planItem({ action: 'update', targetId: '99999999', changes: { title: 'Nobody' } }),
			good('Summary B', '30682003'),
			planItem({ action: 'update', targetId: 'not-a-number', changes: { title: 'Bad' } }),
		] as unknown as IDataObject[];
		const { result } = await run({ operation: 'update', fromReconcile: true }, { input });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('2 of 4 contacts could not be written');
		expect(result.error?.description).toContain('Everything else was done.');
		expect(result.error?.description).toMatch(/Item 1 \(update contact 99999999 in company \d+\)/);
		expect(result.error?.description).toMatch(
			/Item 3 \(update contact not-a-number in company \d+\)/,
		);
		// The items after the first failure were written all the same.
		expect(contactRow(30682001).title).toBe('Summary A');
		expect(contactRow(30682003).title).toBe('Summary B');
	});

	test('dry run writes nothing; non-plan items and mismatched actions fail on their own item', async () => {
		const dry = planItem({
			action: 'deactivate',
			targetId: '30682001',
			changes: { active: false },
			dryRun: true,
		});
		const wrong = planItem({
			action: 'create',
			changes: { firstName: 'X', lastName: 'Y', email: 'x@y.example' },
		});
		const { value, requests } = await calls(
			async () =>
				await run(
					{ operation: 'deactivate', fromReconcile: true },
					{
						input: [
							dry as unknown as IDataObject,
							{ email: 'someone@x.example' },
							wrong as unknown as IDataObject,
						],
						continueOnFail: true,
					},
				),
		);
		expect(
			requests.filter((r) => r.line.startsWith('PATCH') || r.line.startsWith('POST /Companies')),
		).toHaveLength(0);
		expect(value.out[0]).toMatchObject({
			action: 'deactivate',
			applied: false,
			dryRun: true,
			targetId: '30682001',
		});
		expect(value.out[1]).toMatchObject({
			error:
				'The input item is not a Contact Reconcile plan item (it has no planVersion, action and changes) [item 1]',
			field: 'From Contact Reconcile',
		});
		expect(String(value.out[2].error)).toMatch(
			/action is "create", which this node's operation \(deactivate\) does not apply \[item 2\]/,
		);
		expect(contactRow(30682001).isActive).toBe(1);
	});
});

describe('Check API User Permissions', () => {
	test('a full API user passes every check, with one item per permission', async () => {
		const { out, paired } = await run({ operation: 'checkPermissions' }, { input: [{}, {}] });
		expect(out.map((item) => item.permission)).toEqual([
			'Read contacts',
			'Create contacts',
			'Update contacts',
			'Read companies',
			'Read resources',
			'Create tickets',
			'Update tickets',
			'Create ticket notes',
			'Read configuration items',
			'Read picklists',
			'Read protected contact data',
		]);
		expect(out.every((item) => item.passed === true && item.status === 'pass')).toBe(true);
		expect(paired.every((item) => item === 0)).toBe(true);
	});

	test('a restricted API user gets failures with the place to fix them, and nothing is written', async () => {
		sandbox.autotask.addApiUser({
			...READ_ONLY_API_USER,
			permissions: {
				Contacts: { query: true },
				Companies: { query: true },
				Resources: { query: true },
				Tickets: { query: true },
			},
			protectedData: false,
		});
		const store = new CredentialStore(pkg.credentialTypes, {
			autotaskApi: {
				...sandbox.credentials.autotaskApi,
				username: READ_ONLY_API_USER.username,
				secret: READ_ONLY_API_USER.secret,
				integrationCode: READ_ONLY_API_USER.integrationCode,
			},
		});
		const before = sandbox.log.count({ method: 'POST', path: /\/Contacts$|\/Tickets$|\/Notes$/ });
		const { out } = await run({ operation: 'checkPermissions' }, { store });
		const status = Object.fromEntries(out.map((item) => [item.permission, item.status]));
		expect(status).toEqual({
			'Read contacts': 'pass',
			'Create contacts': 'fail',
			'Update contacts': 'fail',
			'Read companies': 'pass',
			'Read resources': 'pass',
			'Create tickets': 'fail',
			'Update tickets': 'fail',
			'Create ticket notes': 'fail',
			'Read configuration items': 'fail',
			'Read picklists': 'pass',
			'Read protected contact data': 'fail',
		});
		const createContacts = out.find((item) => item.permission === 'Create contacts')!;
		expect(createContacts.fix).toMatch(
			/^Admin > Features & Settings > Resources\/Users \(HR\) > Security Levels: .*add \(create\) under CRM > Contacts/,
		);
		expect(out.find((item) => item.permission === 'Read protected contact data')!.fix).toMatch(
			/Protected Data Permission/,
		);
		expect(sandbox.log.count({ method: 'POST', path: /\/Contacts$|\/Tickets$|\/Notes$/ })).toBe(
			before,
		);
	});
});

test('concurrent writes never exceed the 3-thread limit', async () => {
	sandbox.autotask.config.requestDurationMs = 40;
	const rejections = sandbox.autotask.threadRejections;
	const input = Array.from({ length: 12 }, (_, i) => ({ n: i }));
	const { out } = await run(
		{
			operation: 'create',
			company: byCompany('id', COMPANY.fabrikam),
			firstName: 'Parallel',
			lastName: '={{ "P" + $json.n }}',
			emailAddress: '={{ "parallel" + $json.n + "@fabrikam.example" }}',
		},
		{ input },
	);
	expect(out).toHaveLength(12);
	expect(out.every((item) => item.id && !item.error)).toBe(true);
	expect(sandbox.autotask.threadRejections).toBe(rejections);
	const key = `${sandbox.credentials.autotaskApi.integrationCode.toLowerCase()}|companies/contacts`;
	expect(sandbox.autotask.peakThreads[key]).toBe(3);
	expect(sandbox.log.count({ vendor: 'autotask', status: 429 })).toBe(0);
});

describe('pickers', () => {
	const node = {
		name: 'Autotask',
		type: 'n8n-nodes-msp.autotaskContact',
		parameters: { resource: 'contact', operation: 'create' },
		credentials: { autotaskApi: { id: '1', name: 'Autotask' } },
	};
	const search = (method: string, filter?: string, paginationToken?: string) =>
		listSearch({ pkg, credentials, node }, method, filter, paginationToken);

	test('the company picker lists active companies by name and searches', async () => {
		expect((await search('searchCompanies')).results).toEqual([
			{ name: 'Contoso Ltd (174)', value: '174' },
			{ name: 'Fabrikam Inc (175)', value: '175' },
			{ name: 'Sandbox MSP (0)', value: '0' },
		]);
		expect((await search('searchCompanies', 'FAB')).results).toEqual([
			{ name: 'Fabrikam Inc (175)', value: '175' },
		]);
	});

	test('the company picker pages over nextPageUrl too (no cap at the first page)', async () => {
		for (let i = 0; i < 60; i++)
			sandbox.autotask.companies.push({
				id: 51000 + i,
				companyName: `Pager ${String(i).padStart(2, '0')}`,
				isActive: true,
			});
		try {
			const first = await search('searchCompanies', 'pager');
			expect(first.results).toHaveLength(50);
			expect(first.paginationToken).toMatch(/\/V1\.0\/Companies\/query\/next\?paging=/);
			const second = await search('searchCompanies', 'pager', first.paginationToken as string);
			expect(second.results.map((r) => r.value)).toEqual(
				Array.from({ length: 10 }, (_, i) => String(51050 + i)),
			);
			expect(second.paginationToken).toBeUndefined();
		} finally {
			sandbox.autotask.companies = sandbox.autotask.companies.filter(
				(row) => Number(row.id) < 51000,
			);
		}
	});

	test('the contact picker searches names and addresses and pages over nextPageUrl', async () => {
		expect((await search('searchContacts', "o'neil")).results).toEqual([
			{ name: "Ben O'Neil (ben@contoso.example)", value: '30682002' },
		]);
		expect((await search('searchContacts', 'dana@')).results.map((r) => r.value)).toEqual([
			'30682004',
		]);
		for (let i = 0; i < 60; i++)
			sandbox.autotask.contacts.push({
				id: 41000000 + i,
				companyID: COMPANY.fabrikam,
				firstName: 'Picker',
				lastName: `P${i}`,
				isActive: 1,
			});
		try {
			const first = await search('searchContacts', 'picker');
			expect(first.results).toHaveLength(50);
			expect(first.paginationToken).toMatch(/\/V1\.0\/Contacts\/query\/next\?paging=/);
			const second = await search('searchContacts', 'picker', first.paginationToken as string);
			expect(second.results.map((r) => r.value)).toEqual(
				Array.from({ length: 10 }, (_, i) => String(41000050 + i)),
			);
			expect(second.paginationToken).toBeUndefined();
			// A token is only ever a next-page link of this entity: anything else is not followed.
			const before = sandbox.log.entries.length;
			expect(
				(await search('searchContacts', 'picker', 'https://elsewhere.example/steal')).results,
			).toEqual([]);
			expect(sandbox.log.entries.length).toBe(before);
		} finally {
			sandbox.autotask.contacts = sandbox.autotask.contacts.filter(
				(row) => Number(row.id) < 41000000,
			);
		}
	});
});

test('no contract violations in any exchange of this file', () => {
	expect(sandbox.contractViolations).toEqual([]);
});
