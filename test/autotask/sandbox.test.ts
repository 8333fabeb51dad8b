import axios from 'axios';

import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { AutotaskClient, chunkForOrLimit, contactEmailFilter } from '../../lib/transport/autotask';
import { VendorApiError } from '../../lib/transport/http';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DirectClient } from '../../dev/directClient';
import {
	autotaskSeed,
	COMPANY,
	directAutotask,
	rawAutotask,
	READ_ONLY_API_USER,
	RESOURCE,
} from './fixtures';

type AnyRow = Record<string, unknown>;

let sandbox: Sandbox;
let client: AutotaskClient;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: autotaskSeed() });
	client = directAutotask(sandbox).client;
});

afterAll(async () => {
	await sandbox.stop();
});

afterEach(() => {
	sandbox.autotask.config.threadLimit = 3;
	sandbox.autotask.config.requestDurationMs = 0;
	sandbox.autotask.config.hourlyLimit = 10_000;
});

const ids = (rows: AnyRow[]) => rows.map((row) => row.id);

/**
 * Runs requests that are off the vendor's contract on purpose (malformed filters, wrong verbs):
 * their request-side violations are expected and dropped; the answers are still checked.
 */
async function deliberate<T>(run: () => Promise<T>): Promise<T> {
	const before = sandbox.contractViolations.length;
	const result = await run();
	const added = sandbox.contractViolations.splice(before);
	sandbox.contractViolations.push(
		...added.filter((violation) => violation.direction !== 'request'),
	);
	return result;
}

async function failure(promise: Promise<unknown>): Promise<VendorApiError> {
	const outcome = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(outcome).toBeInstanceOf(VendorApiError);
	return outcome as VendorApiError;
}

describe('zone discovery and authentication', () => {
	// Discovery is called without the auth headers by most clients (apigrate, autotask-node); the document lists them.
	test('zoneInformation answers the sandbox zone for a known user, 500 for an unknown one', async () =>
		await deliberate(async () => {
			const known = await axios.get(
				`${sandbox.urls.autotask}/atservicesrest/V1.0/ZoneInformation`,
				{
					params: {
						user: sandbox.credentials.autotaskApi.username.toUpperCase(),
					},
				},
			);
			expect(known.data).toMatchObject({
				url: `${sandbox.urls.autotask}/ATServicesRest/`,
				ci: expect.any(Number),
				zoneName: expect.any(String),
			});

			const unknown = await axios.get(
				`${sandbox.urls.autotask}/atservicesrest/V1.0/zoneInformation`,
				{
					params: { user: 'nobody@example.com' },
					validateStatus: () => true,
				},
			);
			expect(unknown.status).toBe(500);
			expect(unknown.data).toEqual({
				errors: ['Zone information could not be determined'],
			});
		}));

	test('the credential discovers the zone and the transport talks to it', async () => {
		const { http, client: fresh } = directAutotask(sandbox);
		const info = await fresh.entityInformation('Contacts');
		expect(info).toMatchObject({
			name: 'Contact',
			canCreate: true,
			userAccessForCreate: 'All',
		});
		expect(http.preAuthenticationCalls).toBe(1);
	});

	test('unknown user → 500 zone error; bad integration code → 500; bad secret → 401', async () => {
		const badUser = new DirectClient(new AutotaskApi(), {
			...sandbox.credentials.autotaskApi,
			username: 'ghost@example.com',
			resolvedZone: '',
		});
		const zoneFailure = await new AutotaskClient(badUser).entityInformation('Contacts').then(
			() => undefined,
			(error: Error) => error,
		);
		expect(zoneFailure?.message).toContain('Zone information could not be determined');

		const code = await failure(
			directAutotask(sandbox, {
				integrationCode: 'WRONGCODE',
			}).client.entityInformation('Contacts'),
		);
		expect(code.httpCode).toBe(500);
		expect(code.message).toBe('Autotask: IntegrationCode is invalid.');

		const secret = await failure(
			directAutotask(sandbox, {
				secret: 'wrong-secret',
			}).client.entityInformation('Contacts'),
		);
		expect(secret.httpCode).toBe(401);

		const raw = await rawAutotask(sandbox, 'GET', '/Contacts/30682001', {
			auth: { username: 'ghost@example.com' },
		});
		expect(raw).toEqual({
			status: 500,
			body: { errors: ['Zone information could not be determined'] },
		});
	});
});

describe('query language', () => {
	const query = (entity: string, filter: object[], extra: object = {}) =>
		rawAutotask(sandbox, 'POST', `/${entity}/query`, {
			body: { filter, ...extra },
		});

	test('comparison operators, case-insensitive strings, SQL nulls', async () => {
		const q = async (filter: object[]) =>
			ids(await client.query('Contacts', { filter: filter as never }));
		expect(
			await q([{ op: 'eq', field: 'emailaddress', value: 'ANN.LEE@contoso.EXAMPLE' }]),
		).toEqual([30682001]);
		expect(await q([{ op: 'noteq', field: 'companyID', value: COMPANY.contoso }])).toEqual([
			30682004, 30682005,
		]);
		expect(await q([{ op: 'gt', field: 'id', value: 30682003 }])).toEqual([30682004, 30682005]);
		expect(await q([{ op: 'gte', field: 'id', value: 30682004 }])).toEqual([30682004, 30682005]);
		expect(await q([{ op: 'lt', field: 'id', value: 30682002 }])).toEqual([30682001]);
		expect(
			await q([{ op: 'lte', field: 'lastModifiedDate', value: '2026-01-10T08:00:00Z' }]),
		).toEqual([30682001, 30682003]);
		expect(await q([{ op: 'beginsWith', field: 'lastName', value: 'o' }])).toEqual([
			30682002, 30682003,
		]);
		expect(
			await q([{ op: 'endsWith', field: 'emailAddress', value: '@FABRIKAM.example' }]),
		).toEqual([30682004]);
		expect(await q([{ op: 'contains', field: 'firstName', value: 'LE' }])).toEqual([30682003]);
		expect(await q([{ op: 'exist', field: 'emailAddress2' }])).toEqual([30682002]);
		// '' and null are both "not there".
		expect(
			await q([
				{ op: 'notExist', field: 'title' },
				{ op: 'eq', field: 'companyID', value: COMPANY.contoso },
			]),
		).toEqual([30682002, 30682003]);
		expect(await q([{ op: 'in', field: 'firstName', value: ['ann', 'EVE'] }])).toEqual([
			30682001, 30682005,
		]);
		expect(await q([{ op: 'notIn', field: 'companyID', value: [COMPANY.contoso] }])).toEqual([
			30682004, 30682005,
		]);
		// NULL satisfies no comparison, "<>" included.
		expect(
			await q([
				{ op: 'noteq', field: 'emailAddress', value: 'x@y.example' },
				{ op: 'eq', field: 'companyID', value: COMPANY.fabrikam },
			]),
		).toEqual([30682004]);
		expect(await q([{ op: 'eq', field: 'isActive', value: 0 }])).toEqual([30682003]);
	});

	test('nested and/or groups', async () => {
		const filter = [
			{
				op: 'or',
				items: [
					{
						op: 'and',
						items: [
							{ op: 'eq', field: 'companyID', value: COMPANY.contoso },
							{ op: 'eq', field: 'isActive', value: 0 },
						],
					},
					{
						op: 'or',
						items: [
							{
								op: 'eq',
								field: 'emailAddress3',
								value: 'ann.lee@contoso.example',
							},
							{ op: 'eq', field: 'firstName', value: 'Eve' },
						],
					},
				],
			},
		];
		expect(ids(await client.query('Contacts', { filter: filter as never }))).toEqual([
			30682003, 30682004, 30682005,
		]);
		// The package's own email filter: any of the three address fields.
		expect(
			ids(
				await client.query('Contacts', {
					filter: [contactEmailFilter(['ann.lee@contoso.example'])],
				}),
			),
		).toEqual([30682001, 30682004]);
	});

	test('one UDF per query; UDF comparisons', async () => {
		expect(
			ids(
				await client.query('Contacts', {
					filter: [{ op: 'eq', field: 'Customer Tier', udf: true, value: 'gold' }],
				}),
			),
		).toEqual([30682001]);
		const two = await query('Contacts', [
			{ op: 'eq', field: 'Customer Tier', udf: true, value: 'Gold' },
			{ op: 'eq', field: 'Region', udf: true, value: 'West' },
		]);
		expect(two.status).toBe(500);
		expect(two.body.errors?.[0]).toMatch(/one user-defined field at a time/);
	});

	test('malformed filters get the vendor error shape', async () =>
		await deliberate(async () => {
			const cases: Array<[object, RegExp]> = [
				[
					{ filter: [{ op: 'startsWith', field: 'firstName', value: 'A' }] },
					/operator 'startsWith' is not supported/,
				],
				[{ filter: [{ op: 'or', field: 'firstName' }] }, /needs an "items" array/],
				[
					{ filter: [{ op: 'eq', field: 'nickname', value: 'A' }] },
					/Unable to find nickname in the Contact Entity/,
				],
				[{ filter: [{ op: 'in', field: 'firstName', value: 'Ann' }] }, /non-empty array "value"/],
				[
					{ filter: [{ op: 'eq', field: 'isActive', value: true }] },
					/Conversion failed when converting the bit value 'true' to data type int/,
				],
				[
					{ filter: [{ op: 'eq', field: 'companyID', value: 'acme' }] },
					/Conversion failed when converting the varchar value 'acme' to data type int/,
				],
				[{ filter: [{ op: 'eq', field: 'surveyOptOut', value: true }] }, /cannot be queried/],
				[{ filter: [{ op: 'eq', field: 'firstName' }] }, /needs a "value"/],
				[{ filter: [] }, /needs a "filter" array/],
				[{ MaxRecords: 10 }, /needs a "filter" array/],
			];
			for (const [body, message] of cases) {
				const answer = await rawAutotask(sandbox, 'POST', '/Contacts/query', {
					body,
				});
				expect(answer.status).toBe(500);
				expect(Object.keys(answer.body)).toEqual(['errors']);
				expect(answer.body.errors?.[0]).toMatch(message);
			}
			// Through the transport: the vendor's words, not retried.
			const before = sandbox.log.count({ path: '/Companies/query' });
			const error = await failure(
				client.query('Companies', {
					filter: [{ op: 'like', field: 'companyName', value: 'x' }],
				}),
			);
			expect(error.httpCode).toBe(500);
			expect(error.message).toMatch(
				/^Autotask: Invalid query syntax\. The operator 'like' is not supported\./,
			);
			expect(sandbox.log.count({ path: '/Companies/query' }) - before).toBe(1);
		}));

	test('MaxRecords must be 1-500; IncludeFields limits the fields', async () =>
		await deliberate(async () => {
			for (const max of [0, 501, 20000, 'many']) {
				const answer = await query('Contacts', [{ op: 'exist', field: 'id' }], {
					MaxRecords: max,
				});
				expect(answer).toEqual({
					status: 500,
					body: {
						errors: ['maxCountOfRecordsToReturn must be between 1 and 500'],
					},
				});
			}
			const one = await query('Contacts', [{ op: 'exist', field: 'id' }], {
				MaxRecords: 1,
				IncludeFields: ['ID', 'firstname'],
			});
			expect(one.status).toBe(200);
			expect(one.body.items).toEqual([{ id: 30682001, firstName: 'Ann' }]);
			expect(one.body.pageDetails).toMatchObject({
				count: 1,
				requestCount: 1,
				prevPageUrl: null,
				nextPageUrl: expect.stringContaining('/V1.0/Contacts/query/next'),
			});
		}));

	test("more than 500 'OR' conditions are refused; in-values count one each", async () => {
		const values = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@x.example`);
		const ok = await query('Contacts', [{ op: 'in', field: 'emailAddress', value: values(500) }]);
		expect(ok.status).toBe(200);
		const over = await query('Contacts', [{ op: 'in', field: 'emailAddress', value: values(501) }]);
		expect(over).toEqual({
			status: 500,
			body: {
				errors: ["Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions."],
			},
		});
		// Three fields x 167 addresses = 501.
		const email = await query('Contacts', [contactEmailFilter(values(167))]);
		expect(email.status).toBe(500);
		// The transport's chunking keeps each query at or under the limit.
		const chunks = chunkForOrLimit(values(400), 3);
		for (const chunk of chunks)
			expect((await query('Contacts', [contactEmailFilter(chunk)])).status).toBe(200);
		expect(chunks.length).toBe(3);
	});

	test('count and GET ?search= queries', async () => {
		expect(await client.count('Contacts', [{ op: 'eq', field: 'isActive', value: 1 }])).toBe(4);
		const search = encodeURIComponent(
			JSON.stringify({
				filter: [{ op: 'eq', field: 'companyID', value: COMPANY.fabrikam }],
			}),
		);
		const got = await rawAutotask(sandbox, 'GET', `/Contacts/query?search=${search}`);
		expect(ids(got.body.items as AnyRow[])).toEqual([30682004, 30682005]);
		const counted = await rawAutotask(sandbox, 'GET', `/Contacts/query/count?search=${search}`);
		expect(counted.body).toEqual({ queryCount: 2 });
	});
});

describe('paging', () => {
	beforeAll(() => {
		for (let i = 0; i < 1100; i++) {
			sandbox.autotask.contacts.push({
				id: 40000000 + i,
				companyID: COMPANY.fabrikam,
				firstName: `Bulk${i}`,
				lastName: 'Contact',
				emailAddress: `bulk${i}@fabrikam.example`,
				isActive: 1,
			});
		}
	});

	afterAll(() => {
		sandbox.autotask.contacts = sandbox.autotask.contacts.filter(
			(row) => Number(row.id) < 40000000,
		);
	});

	test('the transport follows nextPageUrl with the same body until every record is read', async () => {
		const before = sandbox.log.entries.length;
		const all = await client.query<AnyRow>('Contacts', {
			filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }],
		});
		expect(all).toHaveLength(1100);
		expect(new Set(ids(all)).size).toBe(1100);
		const calls = sandbox.log.entries.slice(before);
		expect(calls.map((c) => `${c.method} ${c.path.replace(/^.*V1\.0/, '')}`)).toEqual([
			'POST /Contacts/query',
			'POST /Contacts/query/next',
			'POST /Contacts/query/next',
		]);
		expect(calls[2].body).toEqual(calls[0].body);
	});

	test("a limit stops paging early; GET on a POST query's next page is 405", async () =>
		await deliberate(async () => {
			const before = sandbox.log.entries.length;
			const some = await client.query<AnyRow>('Contacts', {
				filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }],
				limit: 600,
			});
			expect(some).toHaveLength(600);
			expect(sandbox.log.entries.length - before).toBe(2);

			const first = await rawAutotask(sandbox, 'POST', '/Contacts/query', {
				body: { filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }] },
			});
			const next = (first.body.pageDetails as { nextPageUrl: string }).nextPageUrl;
			const viaGet = await rawAutotask(sandbox, 'GET', next);
			expect(viaGet).toEqual({
				status: 405,
				body: {
					Message: "The requested resource does not support http method 'GET'.",
				},
			});
			const second = await rawAutotask(sandbox, 'POST', next, {
				body: { filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }] },
			});
			expect((second.body.items as AnyRow[])[0].id).toBe(40000500);
			const prev = (second.body.pageDetails as { prevPageUrl: string }).prevPageUrl;
			const back = await rawAutotask(sandbox, 'POST', prev, {
				body: { filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }] },
			});
			expect((back.body.items as AnyRow[])[0].id).toBe(40000000);
		}));

	test('a GET ?search= query pages with GET', async () => {
		const search = encodeURIComponent(
			JSON.stringify({
				MaxRecords: 400,
				filter: [{ op: 'eq', field: 'lastName', value: 'Contact' }],
			}),
		);
		const first = await rawAutotask(sandbox, 'GET', `/Contacts/query?search=${search}`);
		const next = await rawAutotask(
			sandbox,
			'GET',
			(first.body.pageDetails as { nextPageUrl: string }).nextPageUrl,
		);
		expect(next.status).toBe(200);
		expect((next.body.items as AnyRow[])[0].id).toBe(40000400);
	});
});

describe('contacts are written through their company', () => {
	test('create, PATCH only what is sent, PUT nulls the rest, DELETE', async () => {
		const id = await client.create(`/Companies/${COMPANY.fabrikam}/Contacts`, {
			companyID: COMPANY.fabrikam,
			firstName: 'Finn',
			lastName: 'New',
			emailAddress: 'finn@fabrikam.example',
			title: 'Buyer',
			phone: '+1 425 555 0190',
			isActive: 1,
			impersonatorCreatorResourceID: 1, // read-only: ignored
		});
		const created = (await client.get<AnyRow>('Contacts', id))!;
		expect(created).toMatchObject({
			companyID: COMPANY.fabrikam,
			firstName: 'Finn',
			title: 'Buyer',
			isActive: 1,
			impersonatorCreatorResourceID: null,
		});
		expect(created.createDate).toEqual(expect.any(String));

		await client.update(`/Companies/${COMPANY.fabrikam}/Contacts`, {
			id,
			title: 'Head Buyer',
		});
		expect(await client.get<AnyRow>('Contacts', id)).toMatchObject({
			title: 'Head Buyer',
			phone: '+1 425 555 0190',
			emailAddress: 'finn@fabrikam.example',
		});

		await client.request('PUT', `/Companies/${COMPANY.fabrikam}/Contacts`, {
			body: { id, firstName: 'Finn', lastName: 'New', isActive: 1 },
			idempotent: true,
		});
		expect(await client.get<AnyRow>('Contacts', id)).toMatchObject({
			firstName: 'Finn',
			title: null,
			phone: null,
			emailAddress: null,
			companyID: COMPANY.fabrikam,
		});

		const deleted = await client.request<{ itemId: number }>(
			'DELETE',
			`/Companies/${COMPANY.fabrikam}/Contacts/${id}`,
			{ idempotent: true },
		);
		expect(deleted).toEqual({ itemId: id });
		expect(await client.get('Contacts', id)).toBeUndefined();
	});

	test('validation answers 500 with the reason; no writes on /Contacts', async () =>
		await deliberate(async () => {
			const post = (companyId: number, body: object) =>
				rawAutotask(sandbox, 'POST', `/Companies/${companyId}/Contacts`, {
					body,
				});
			expect((await post(COMPANY.contoso, { firstName: 'No', isActive: 1 })).body).toEqual({
				errors: ['lastName: Value is required.'],
			});
			expect(
				(await post(COMPANY.contoso, { firstName: 'No', lastName: 'Active' })).body.errors?.[0],
			).toBe('isActive: Value is required.');
			expect((await post(99999, { firstName: 'A', lastName: 'B', isActive: 1 })).body).toEqual({
				errors: ['companyID: Value 99999 does not exist or is invalid.'],
			});
			const long = await post(COMPANY.contoso, {
				firstName: 'A',
				lastName: 'B',
				isActive: 1,
				title: 'x'.repeat(51),
			});
			expect(long).toEqual({
				status: 500,
				body: {
					errors: ['Contact.title: Value exceeds the maximum length of 50 characters (got 51).'],
				},
			});
			expect(
				(
					await post(COMPANY.contoso, {
						firstName: 'A',
						lastName: 'B',
						isActive: true,
					})
				).body.errors?.[0],
			).toMatch(/isActive/);
			expect(
				(
					await post(COMPANY.contoso, {
						firstName: 'A',
						lastName: 'B',
						isActive: 1,
						nickname: 'x',
					})
				).body.errors?.[0],
			).toBe('Unable to find nickname in the Contact Entity.');
			expect(
				(
					await post(COMPANY.contoso, {
						firstName: 'A',
						lastName: 'B',
						isActive: 1,
						companyID: COMPANY.fabrikam,
					})
				).status,
			).toBe(500);
			const patchBlank = await rawAutotask(
				sandbox,
				'PATCH',
				`/Companies/${COMPANY.contoso}/Contacts`,
				{ body: { id: 30682001, firstName: '' } },
			);
			expect(patchBlank.body).toEqual({
				errors: ['firstName: Value is required.'],
			});
			const wrongCompany = await rawAutotask(
				sandbox,
				'PATCH',
				`/Companies/${COMPANY.fabrikam}/Contacts`,
				{ body: { id: 30682001, title: 'x' } },
			);
			expect(wrongCompany.status).toBe(500);

			for (const method of ['POST', 'PUT', 'PATCH']) {
				const answer = await rawAutotask(sandbox, method, '/Contacts', {
					body: { firstName: 'A' },
				});
				expect(answer).toEqual({
					status: 405,
					body: {
						Message: `The requested resource does not support http method '${method}'.`,
					},
				});
			}
			expect((await rawAutotask(sandbox, 'DELETE', '/Contacts/30682001')).status).toBe(405);
			expect((await rawAutotask(sandbox, 'GET', '/Contacts/123')).status).toBe(404);
			expect(sandbox.autotask.contacts.find((row) => row.id === 30682001)).toMatchObject({
				firstName: 'Ann',
				title: 'CEO',
			});
		}));

	test("GET /Companies/{id}/Contacts lists the company's contacts", async () => {
		const listed = await rawAutotask(sandbox, 'GET', `/Companies/${COMPANY.contoso}/Contacts`);
		expect(ids(listed.body.items as AnyRow[])).toEqual([30682001, 30682002, 30682003]);
		const one = await rawAutotask(
			sandbox,
			'GET',
			`/Companies/${COMPANY.fabrikam}/Contacts/30682001`,
		);
		expect(one.status).toBe(404);
	});
});

describe('tickets, notes and what the alert path reads', () => {
	test('create a ticket: number, dates, creator; completing stamps completedDate', async () => {
		const id = await client.create('/Tickets', {
			companyID: COMPANY.contoso,
			title: '[RMM] CPU high on CONTOSO-DC01',
			description: 'CPU above 95% for 15 minutes',
			status: 1,
			priority: 2,
			ticketType: 5,
			queueID: 29683481,
			issueType: 4,
			subIssueType: 12,
			source: 6,
			configurationItemID: 5001,
			externalID: 'rmm:alert-77',
		});
		const ticket = (await client.get<AnyRow>('Tickets', id))!;
		expect(ticket.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
		expect(ticket).toMatchObject({
			creatorResourceID: 29682885,
			creatorType: 1,
			completedDate: null,
			status: 1,
		});
		expect(Date.parse(String(ticket.createDate))).toBeGreaterThan(Date.now() - 60_000);

		await client.update('/Tickets', {
			id,
			status: 5,
			resolution: 'Auto-resolved by RMM',
		});
		const done = (await client.get<AnyRow>('Tickets', id))!;
		expect(done).toMatchObject({
			status: 5,
			resolution: 'Auto-resolved by RMM',
			title: '[RMM] CPU high on CONTOSO-DC01',
		});
		expect(done.completedDate).toEqual(expect.any(String));

		await client.update('/Tickets', { id, status: 8 });
		expect(await client.get<AnyRow>('Tickets', id)).toMatchObject({
			status: 8,
			completedDate: null,
		});

		const open = await client.query<AnyRow>('Tickets', {
			filter: [
				{ op: 'eq', field: 'externalID', value: 'rmm:alert-77' },
				{ op: 'noteq', field: 'status', value: 5 },
			],
		});
		expect(ids(open)).toEqual([id]);
	});

	test('ticket validation: picklists, dependent sub-issue types, references, resource+role', async () =>
		await deliberate(async () => {
			const base = {
				companyID: COMPANY.contoso,
				title: 'x',
				status: 1,
				priority: 2,
			};
			const post = async (body: object) =>
				(await rawAutotask(sandbox, 'POST', '/Tickets', { body })).body.errors?.[0];
			expect(await post({ companyID: COMPANY.contoso, title: 'x', status: 1 })).toBe(
				'priority: Value is required.',
			);
			expect(await post({ ...base, status: 99 })).toBe(
				'status: Value 99 is not a valid picklist value.',
			);
			expect(await post({ ...base, issueType: 2, subIssueType: 10 })).toMatch(
				/subIssueType: Value 10 does not belong to issueType 2/,
			);
			expect(await post({ ...base, configurationItemID: 5002 })).toMatch(
				/configurationItemID: Value 5002 does not belong to company 174/,
			);
			expect(await post({ ...base, contactID: 30682003 })).toBe(
				'contactID: Value 30682003 does not exist or is invalid.',
			);
			expect(await post({ ...base, assignedResourceID: RESOURCE.alice })).toBe(
				'When assigning a Resource, you must assign both a assignedResourceID and assignedResourceRoleID.',
			);
			expect((await rawAutotask(sandbox, 'DELETE', '/Tickets/7001')).status).toBe(405);
		}));

	test('notes through /Tickets/{id}/Notes; TicketNotes, CIs, resources and time entries queried', async () =>
		await deliberate(async () => {
			const noteId = await client.create('/Tickets/7001/Notes', {
				ticketID: 7001,
				title: 'Re-fired',
				description: 'Still below 10%',
				noteType: 1,
				publish: 1,
			});
			const notes = await client.query<AnyRow>('TicketNotes', {
				filter: [{ op: 'eq', field: 'ticketID', value: 7001 }],
			});
			expect(ids(notes)).toEqual([31101, noteId]);
			expect(notes[1]).toMatchObject({
				creatorResourceID: 29682885,
				description: 'Still below 10%',
			});
			expect(
				(
					await rawAutotask(sandbox, 'POST', '/Tickets/999/Notes', {
						body: { description: 'x', noteType: 1, publish: 1 },
					})
				).body,
			).toEqual({
				errors: ['ticketID: Value 999 does not exist or is invalid.'],
			});
			expect(
				(
					await rawAutotask(sandbox, 'POST', '/TicketNotes', {
						body: { ticketID: 7001 },
					})
				).status,
			).toBe(405);

			const ci = await client.query<AnyRow>('ConfigurationItems', {
				filter: [{ op: 'eq', field: 'rmmDeviceUID', value: 'A1B2C3D4-0002' }],
			});
			expect(ci).toEqual([
				expect.objectContaining({
					id: 5002,
					companyID: COMPANY.fabrikam,
					isActive: true,
				}),
			]);

			const resource = await client.query<AnyRow>('Resources', {
				filter: [
					{
						op: 'or',
						items: ['email', 'email2', 'email3'].map((field) => ({
							op: 'eq',
							field,
							value: 'dave.ops@other.example',
						})),
					},
					{ op: 'eq', field: 'isActive', value: true },
				],
			});
			expect(ids(resource)).toEqual([RESOURCE.dave]);
			expect(resource[0]).not.toHaveProperty('_sandbox');

			const time = await client.query<AnyRow>('TimeEntries', {
				filter: [{ op: 'eq', field: 'ticketID', value: 7001 }],
			});
			expect(time).toEqual([expect.objectContaining({ id: 52001, hoursWorked: 0.5 })]);
			expect(await client.get<AnyRow>('Companies', COMPANY.contoso)).toMatchObject({
				companyName: 'Contoso Ltd',
				isActive: true,
			});
		}));

	test('field metadata carries picklists, dependent values and lengths', async () => {
		const fields = await client.fields('Tickets');
		const byName = (name: string) => fields.find((f) => f.name === name)!;
		expect(byName('status').picklistValues!.map((v) => [v.value, v.label])).toEqual(
			expect.arrayContaining([
				['1', 'New'],
				['5', 'Complete'],
				['8', 'In Progress'],
			]),
		);
		expect(byName('ticketType').picklistValues!.find((v) => v.value === '5')?.label).toBe('Alert');
		expect(byName('subIssueType')).toMatchObject({
			isPickList: true,
			picklistParentValueField: 'issueType',
		});
		expect(byName('subIssueType').picklistValues!.find((v) => v.value === '10')?.parentValue).toBe(
			'4',
		);
		for (const name of ['queueID', 'issueType', 'priority', 'source', 'billingCodeID'])
			expect(byName(name).isPickList).toBe(true);
		expect(byName('title')).toMatchObject({
			dataType: 'string',
			length: 255,
			isRequired: true,
		});
		const noteFields = await client.fields('TicketNotes');
		expect(
			noteFields
				.filter((f) => f.isPickList)
				.map((f) => f.name)
				.sort(),
		).toEqual(['noteType', 'publish']);
		const contactFields = await client.fields('Contacts');
		expect(contactFields.find((f) => f.name === 'isActive')).toMatchObject({
			dataType: 'integer',
			isRequired: true,
		});
		for (const entity of ['Companies', 'ConfigurationItems', 'Resources', 'TimeEntries']) {
			expect((await client.fields(entity)).length).toBeGreaterThan(5);
		}
	});

	test('a seed picklist overrides the built-in one', async () => {
		const seed = autotaskSeed();
		seed.autotask.picklists = [
			{
				entity: 'Tickets',
				field: 'queueID',
				values: [{ value: '42', label: 'Only Queue', isActive: true }],
			},
		];
		const other = await startSandbox({ seed });
		try {
			const { client: otherClient } = directAutotask(other);
			expect((await otherClient.picklist('Tickets', 'queueID')).map((v) => v.label)).toEqual([
				'Only Queue',
			]);
			const refused = await rawAutotask(other, 'POST', '/Tickets', {
				body: {
					companyID: COMPANY.contoso,
					title: 'x',
					status: 1,
					priority: 2,
					queueID: 29683481,
				},
			});
			expect(refused.body.errors?.[0]).toBe(
				'queueID: Value 29683481 is not a valid picklist value.',
			);
			expect(other.dump().autotask.picklists).toEqual([
				expect.objectContaining({ entity: 'Tickets', field: 'queueID' }),
			]);
		} finally {
			await other.stop();
		}
	});
});

describe('impersonation', () => {
	test('records created while impersonating carry the resource', async () => {
		const contactId = await client.create(
			`/Companies/${COMPANY.contoso}/Contacts`,
			{ firstName: 'Imp', lastName: 'Ersonated', isActive: 1 },
			{ impersonateResourceId: String(RESOURCE.alice) },
		);
		expect(await client.get<AnyRow>('Contacts', contactId)).toMatchObject({
			impersonatorCreatorResourceID: RESOURCE.alice,
		});
		const ticketId = await client.create(
			'/Tickets',
			{ companyID: COMPANY.contoso, title: 'As Alice', status: 1, priority: 3 },
			{ impersonateResourceId: String(RESOURCE.dave) },
		);
		expect(await client.get<AnyRow>('Tickets', ticketId)).toMatchObject({
			creatorResourceID: RESOURCE.dave,
			impersonatorCreatorResourceID: RESOURCE.dave,
		});
	});

	test('unknown, inactive and non-impersonable resources are refused', async () => {
		const attempt = (resourceId: string) =>
			rawAutotask(sandbox, 'POST', `/Companies/${COMPANY.contoso}/Contacts`, {
				body: { firstName: 'No', lastName: 'Body', isActive: 1 },
				headers: { ImpersonationResourceId: resourceId },
			});
		const before = sandbox.autotask.contacts.length;
		expect((await attempt('123')).body).toEqual({
			errors: ['ImpersonationResourceId: Value 123 does not exist or is invalid.'],
		});
		expect((await attempt(String(RESOURCE.bob))).body.errors?.[0]).toMatch(
			/inactive and cannot be impersonated/,
		);
		expect((await attempt(String(RESOURCE.carol))).body.errors?.[0]).toMatch(
			/does not allow impersonation/,
		);
		expect(sandbox.autotask.contacts.length).toBe(before);
	});
});

describe('API user security levels', () => {
	const restricted = {
		...READ_ONLY_API_USER,
		permissions: { Contacts: { query: true }, Companies: { query: true } },
		protectedData: false,
	};

	beforeAll(() => {
		sandbox.autotask.addApiUser(restricted);
	});

	test('forbidden actions answer 403; entityInformation reports the access; protected data is masked', async () => {
		const auth = {
			username: restricted.username,
			secret: restricted.secret,
			integrationCode: restricted.integrationCode,
		};
		const created = await rawAutotask(sandbox, 'POST', `/Companies/${COMPANY.contoso}/Contacts`, {
			auth,
			body: { firstName: 'A', lastName: 'B', isActive: 1 },
		});
		expect(created.status).toBe(403);
		expect(created.body.errors?.[0]).toMatch(/does not have permission to create Contacts/);
		expect(
			(
				await rawAutotask(sandbox, 'POST', '/Tickets/query', {
					auth,
					body: { filter: [{ op: 'exist', field: 'id' }] },
				})
			).status,
		).toBe(403);

		const info = await rawAutotask(sandbox, 'GET', '/Contacts/entityInformation', { auth });
		expect(info.body.info).toMatchObject({
			canCreate: true,
			userAccessForCreate: 'None',
			userAccessForQuery: 'All',
		});

		const contact = await rawAutotask(sandbox, 'GET', '/Contacts/30682001', {
			auth,
		});
		expect(contact.body.item).toMatchObject({
			firstName: 'Ann',
			emailAddress: null,
			phone: null,
		});
	});
});

describe('limits', () => {
	test('a fourth concurrent request on one endpoint is refused with Itgenatr005', async () => {
		sandbox.autotask.config.requestDurationMs = 150;
		const answers = await Promise.all(
			Array.from(
				{ length: 5 },
				async () =>
					await rawAutotask(sandbox, 'POST', '/Companies/query', {
						body: { filter: [{ op: 'exist', field: 'id' }] },
					}),
			),
		);
		const refused = answers.filter((a) => a.status === 429);
		expect(refused.length).toBe(2);
		expect(refused[0].body).toEqual({
			errors: [
				'Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)',
			],
		});
		// Another endpoint has its own three threads.
		expect((await rawAutotask(sandbox, 'GET', '/Contacts/30682001')).status).toBe(200);
	});

	test('the transport never exceeds the thread limit, even with many calls in flight', async () => {
		sandbox.autotask.config.requestDurationMs = 30;
		const { client: fresh } = directAutotask(sandbox);
		const before = sandbox.autotask.threadRejections;
		const results = await Promise.all(
			Array.from(
				{ length: 12 },
				async (_, i) => await fresh.get<AnyRow>('Contacts', 30682001 + (i % 5)),
			),
		);
		expect(results.every((row) => row !== undefined)).toBe(true);
		expect(sandbox.autotask.threadRejections).toBe(before);
		const key = `${sandbox.credentials.autotaskApi.integrationCode.toLowerCase()}|contacts`;
		expect(sandbox.autotask.peakThreads[key]).toBe(3);
	});

	test('ThresholdInformation counts the rolling hour; over the limit answers 429', async () => {
		const first = await client.threshold();
		const second = await client.threshold();
		expect(first).toMatchObject({
			externalRequestThreshold: 10000,
			requestThresholdTimeframe: 60,
		});
		expect(second.currentTimeframeRequestCount).toBe(first.currentTimeframeRequestCount + 1);
		sandbox.autotask.config.hourlyLimit = second.currentTimeframeRequestCount;
		const over = await rawAutotask(sandbox, 'GET', '/Contacts/30682001');
		expect(over.status).toBe(429);
		expect(over.body.errors?.[0]).toMatch(/threshold of \d+ requests per 60 minutes/);
		expect((await rawAutotask(sandbox, 'GET', '/ThresholdInformation')).status).toBe(200);
	});
});

test('dump() returns the seed layout with the live state', async () => {
	const dump = sandbox.dump().autotask;
	expect(Object.keys(dump).sort()).toEqual([
		'companies',
		'configurationItemTypes',
		'configurationItems',
		'contacts',
		'contractServiceBundles',
		'contractServices',
		'contracts',
		'fieldLengths',
		'picklists',
		'products',
		'resources',
		'ticketEvents',
		'ticketNotes',
		'ticketWebhooks',
		'tickets',
		'timeEntries',
	]);
	expect(dump.contacts.some((row) => (row as AnyRow).lastName === 'Ersonated')).toBe(true);
	expect(dump.resources.find((row) => (row as AnyRow).id === RESOURCE.carol)).toMatchObject({
		_sandbox: { allowImpersonation: false },
	});
	expect(sandbox.contractViolations).toEqual([]);
});
