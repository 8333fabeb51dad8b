import {
	checkExchange,
	createContractChecker,
	describeViolations,
	validateSchema,
} from '../../sandbox/core/contract';
import { CONTRACT_DEVIATIONS } from '../../sandbox/core/contract/deviations';
import type { ContractDeviation } from '../../sandbox/core/contract/deviations';
import { FaultInjector } from '../../sandbox/core/faults';
import { Router, VendorServer } from '../../sandbox/core/http';
import type { SandboxRequest, SandboxResponse, SandboxVendor } from '../../sandbox/core/types';
import { RequestLog } from '../../sandbox/core/log';

const AUTOTASK_HEADERS = { apiintegrationcode: 'CODE', username: 'api@msp.example', secret: 'S' };
const CW_HEADERS = { clientid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' };

function request(
	method: string,
	url: string,
	options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): SandboxRequest {
	const [path, query = ''] = url.split('?');
	const rawBody = options.raw ?? (options.body === undefined ? '' : JSON.stringify(options.body));
	return {
		method,
		path,
		query: new URLSearchParams(query),
		headers: { 'content-type': 'application/json', ...options.headers },
		rawBody,
		body: options.body,
		params: {},
		origin: 'http://127.0.0.1:1',
	};
}

function check(
	vendor: SandboxVendor,
	req: SandboxRequest,
	res: SandboxResponse,
	deviations?: ContractDeviation[],
) {
	return checkExchange(vendor, req, res, undefined, deviations);
}

const errorsOf = (violations: ReturnType<typeof check>) =>
	violations.flatMap((v) => v.errors.map((e) => `${v.direction}: ${e}`));

describe('contract checker: valid exchanges pass', () => {
	test('Autotask query, get, create, zone discovery and picklist metadata', () => {
		const violations = [
			check(
				'autotask',
				request('POST', '/ATServicesRest/V1.0/Contacts/query', {
					headers: AUTOTASK_HEADERS,
					body: {
						MaxRecords: 500,
						IncludeFields: ['id', 'emailAddress'],
						filter: [
							{
								op: 'or',
								items: [
									{ op: 'eq', field: 'emailAddress', value: 'a@contoso.com' },
									{ op: 'in', field: 'companyID', value: [1, 2] },
								],
							},
							{ op: 'exist', field: 'lastName' },
						],
					},
				}),
				{
					status: 200,
					body: {
						items: [
							{
								id: 30682901,
								companyID: 29684101,
								firstName: 'Adele',
								emailAddress: 'a@contoso.com',
								emailAddress2: null,
								isActive: 1,
								userDefinedFields: [],
							},
						],
						pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
					},
				},
			),
			check(
				'autotask',
				request('GET', '/ATServicesRest/V1.0/Contacts/30682901', { headers: AUTOTASK_HEADERS }),
				{ status: 200, body: { item: { id: 30682901, isActive: 0, title: null } } },
			),
			check(
				'autotask',
				request('POST', '/ATServicesRest/V1.0/Companies/29684101/Contacts', {
					headers: { ...AUTOTASK_HEADERS, impersonationresourceid: '29682887' },
					body: { companyID: 29684101, firstName: 'Ann', lastName: 'Lee', isActive: 1 },
				}),
				{ status: 200, body: { itemId: 30683999 } },
			),
			check(
				'autotask',
				request('GET', '/atservicesrest/v1.0/zoneInformation?user=api%40msp.example', {
					headers: AUTOTASK_HEADERS,
				}),
				{
					status: 200,
					body: {
						zoneName: 'Sandbox',
						url: 'http://127.0.0.1:1/ATServicesRest/',
						webUrl: 'http://127.0.0.1:1/',
						ci: 1,
					},
				},
			),
			check(
				'autotask',
				request('GET', '/ATServicesRest/V1.0/Tickets/entityInformation/fields', {
					headers: AUTOTASK_HEADERS,
				}),
				{
					status: 200,
					body: {
						fields: [
							{
								name: 'status',
								dataType: 'integer',
								isPickList: true,
								isSupportedWebhookField: true,
								picklistParentValueField: '',
								picklistValues: [
									{
										value: '5',
										label: 'Complete',
										isDefaultValue: false,
										sortOrder: 2,
										parentValue: '',
										isActive: true,
										isSystem: true,
									},
								],
							},
						],
					},
				},
			),
		];
		expect(describeViolations(violations.flat())).toBe('');
	});

	test('ConnectWise list, patch and create; Graph list with $select; Datto alert page', () => {
		const violations = [
			check(
				'connectwise',
				request(
					'GET',
					'/v2025_1/apis/3.0/company/contacts?conditions=company/id=250&pageSize=1000&pageId=1200',
					{ headers: CW_HEADERS },
				),
				{
					status: 200,
					body: [
						{
							id: 1201,
							firstName: 'Adele',
							inactiveFlag: false,
							company: { id: 250, identifier: 'Contoso', name: 'Contoso Ltd' },
							communicationItems: [
								{
									id: 9001,
									type: { id: 1, name: 'Email' },
									value: 'a@contoso.com',
									defaultFlag: true,
									communicationType: 'Email',
								},
							],
							_info: { lastUpdated: '2026-11-01T00:00:00Z' },
						},
					],
				},
			),
			check(
				'connectwise',
				request('PATCH', '/v2025_1/apis/3.0/company/contacts/1201', {
					headers: CW_HEADERS,
					body: [
						{ op: 'replace', path: 'inactiveFlag', value: true },
						{ op: 'replace', path: 'title', value: 'CTO' },
					],
				}),
				{ status: 200, body: { id: 1201, inactiveFlag: true } },
			),
			check(
				'connectwise',
				request('POST', '/v2025_1/apis/3.0/company/contacts', {
					headers: CW_HEADERS,
					body: {
						firstName: 'Ann',
						lastName: 'Lee',
						company: { id: 250 },
						communicationItems: [
							{ type: { name: 'Email' }, value: 'ann@contoso.com', defaultFlag: true },
						],
					},
				}),
				{ status: 201, body: { id: 1500, firstName: 'Ann' } },
			),
			check(
				'graph',
				request(
					'GET',
					'/v1.0/users?$select=id,mail,accountEnabled,assignedLicenses&$top=999&$count=true&$filter=accountEnabled eq true',
					{ headers: { consistencylevel: 'eventual' } },
				),
				{
					status: 200,
					body: {
						'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
						'@odata.count': 1,
						value: [
							{
								id: 'u1',
								mail: null,
								accountEnabled: true,
								assignedLicenses: [
									{ skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', disabledPlans: [] },
								],
								proxyAddresses: ['SMTP:a@contoso.com'],
							},
						],
					},
				},
			),
			check('datto', request('GET', '/api/v2/account/alerts/open?max=250&page=0'), {
				status: 200,
				body: {
					pageDetails: { count: 1, totalCount: 1, prevPageUrl: null, nextPageUrl: null },
					alerts: [
						{
							alertUid: 'a-1',
							priority: 'High',
							resolved: false,
							resolvedOn: null,
							ticketNumber: null,
							timestamp: 1763888000000,
							alertContext: {
								'@class': 'srvc_status_ctx',
								serviceName: 'Spooler',
								status: 'STOPPED',
							},
							alertSourceInfo: { deviceUid: 'd-1', siteUid: 's-1' },
							responseActions: [],
						},
					],
				},
			}),
		];
		expect(describeViolations(violations.flat())).toBe('');
	});
});

describe('contract checker: violations are caught', () => {
	test('a wrong type in the request body', () => {
		const found = check(
			'autotask',
			request('POST', '/ATServicesRest/V1.0/Contacts/query', {
				headers: AUTOTASK_HEADERS,
				body: { MaxRecords: '500', filter: [{ op: 'eq', field: 'id', udf: 'no' }] },
			}),
			{ status: 200, body: { items: [], pageDetails: { count: 0 } } },
		);
		expect(errorsOf(found)).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/request: request body \/MaxRecords must be integer/),
				expect.stringMatching(/filter\/0\/udf must be boolean/),
			]),
		);
		expect(found[0]).toMatchObject({
			vendor: 'autotask',
			direction: 'request',
			operation: 'POST /V1.0/Contacts/query',
		});
	});

	test('a wrong type in a path or query parameter', () => {
		expect(
			errorsOf(
				check(
					'autotask',
					request('GET', '/ATServicesRest/V1.0/Contacts/abc', { headers: AUTOTASK_HEADERS }),
					{ status: 404, body: {} },
				),
			),
		).toEqual(['request: path parameter id="abc" must be integer']);
		expect(
			errorsOf(
				check('graph', request('GET', '/v1.0/users?$top=all'), {
					status: 400,
					body: { error: { code: 'BadRequest', message: 'x' } },
				}),
			),
		).toEqual(['request: query parameter $top="all" must be integer']);
		expect(
			errorsOf(
				check('datto', request('GET', '/api/v2/account/alerts/open?muted=maybe'), {
					status: 200,
					body: { alerts: [] },
				}),
			),
		).toEqual(['request: query parameter muted="maybe" must be boolean']);
	});

	test('a missing required header or query parameter', () => {
		expect(
			errorsOf(
				check('connectwise', request('GET', '/v2025_1/apis/3.0/company/contacts'), {
					status: 200,
					body: [],
				}),
			),
		).toEqual(['request: required header parameter clientId is missing']);
		expect(
			errorsOf(
				check(
					'autotask',
					request('GET', '/atservicesrest/V1.0/ZoneInformation', { headers: AUTOTASK_HEADERS }),
					{ status: 200, body: { url: 'x' } },
				),
			),
		).toEqual(['request: required query parameter user is missing']);
		expect(
			errorsOf(
				check(
					'autotask',
					request('GET', '/ATServicesRest/V1.0/Contacts/1', { headers: { username: 'u' } }),
					{ status: 200, body: { item: { id: 1 } } },
				),
			),
		).toEqual([
			'request: required header parameter ApiIntegrationCode is missing',
			'request: required header parameter Secret is missing',
		]);
	});

	test('a missing or malformed request body', () => {
		expect(
			errorsOf(
				check(
					'connectwise',
					request('PATCH', '/v2025_1/apis/3.0/company/contacts/1', { headers: CW_HEADERS }),
					{ status: 200, body: { id: 1 } },
				),
			),
		).toEqual(['request: the request body is required']);
		expect(
			errorsOf(
				check(
					'connectwise',
					request('PATCH', '/v2025_1/apis/3.0/company/contacts/1', {
						headers: CW_HEADERS,
						raw: '{"op":',
					}),
					{ status: 200, body: { id: 1 } },
				),
			),
		).toEqual(['request: the request body is not JSON']);
		expect(
			errorsOf(
				check(
					'connectwise',
					request('PATCH', '/v2025_1/apis/3.0/company/contacts/1', {
						headers: CW_HEADERS,
						body: { op: 'replace', path: 'title', value: 'x' },
					}),
					{ status: 200, body: { id: 1 } },
				),
			),
		).toEqual(['request: request body must be array']);
	});

	test('an unknown path, and a known path with a method the document lacks', () => {
		const unknown = check(
			'autotask',
			request('GET', '/ATServicesRest/V1.0/Contact/1', { headers: AUTOTASK_HEADERS }),
			{ status: 404, body: {} },
		);
		expect(unknown).toEqual([
			expect.objectContaining({
				direction: 'request',
				status: 404,
				errors: [
					'no operation in the document matches this path, and no listed deviation covers it',
				],
			}),
		]);
		const method = check(
			'connectwise',
			request('POST', '/v2025_1/apis/3.0/company/companies', {
				headers: CW_HEADERS,
				body: { name: 'x' },
			}),
			{ status: 405, body: {} },
		);
		expect(errorsOf(method)).toEqual([
			'request: the document has no POST operation on this path, and no listed deviation covers it',
		]);
	});

	test('a response body that breaks the schema, and an undeclared success status', () => {
		const wrong = check('graph', request('GET', '/v1.0/users/u1'), {
			status: 200,
			body: { id: 'u1', accountEnabled: 'yes', businessPhones: '+1 425 555 0100' },
		});
		expect(errorsOf(wrong)).toEqual([
			'response: response body /accountEnabled must be boolean,null',
			'response: response body /businessPhones must be array',
		]);
		const status = check(
			'connectwise',
			request('POST', '/v2025_1/apis/3.0/company/contacts', {
				headers: CW_HEADERS,
				body: { firstName: 'A' },
			}),
			{ status: 200, body: { id: 1 } },
		);
		expect(errorsOf(status)).toEqual([
			'response: status 200 is not declared for POST /company/contacts (declared: 201)',
		]);
		const notJson = check('datto', request('GET', '/api/v2/alert/a-1'), {
			status: 200,
			raw: '<html>',
		});
		expect(errorsOf(notJson)).toEqual(['response: the response body is not JSON']);
	});

	test('error statuses are checked where the document (or a deviation) declares them, left alone elsewhere', () => {
		const graphError = check('graph', request('GET', '/v1.0/users/nobody'), {
			status: 404,
			body: { message: 'not found' },
		});
		expect(errorsOf(graphError)).toEqual([
			"response: response body must have required property 'error'",
		]);
		const dattoUndeclared = check('datto', request('GET', '/api/v2/alert/nobody'), {
			status: 404,
			body: 'Alert was not found.',
		});
		expect(dattoUndeclared).toEqual([]);
	});
});

describe('contract checker: the listed deviations are honoured, and only they', () => {
	test('Datto epoch-millisecond timestamps pass, ISO strings (what the document says) do not', () => {
		const alert = (timestamp: unknown) => ({
			status: 200,
			body: {
				alertUid: 'a',
				timestamp,
				alertContext: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
			},
		});
		expect(check('datto', request('GET', '/api/v2/alert/a'), alert(1763888000000))).toEqual([]);
		expect(
			errorsOf(check('datto', request('GET', '/api/v2/alert/a'), alert('2026-11-23T09:00:00Z'))),
		).toEqual(['response: response body /timestamp must be integer,null']);
		// Without the list, the document's own reading applies: the live shape is a violation.
		expect(
			errorsOf(check('datto', request('GET', '/api/v2/alert/a'), alert(1763888000000), [])),
		).toEqual(expect.arrayContaining(['response: response body /timestamp must be string']));
	});

	test('Datto alertContext classes that match none of the document variants pass; a context without @class does not', () => {
		const alert = (alertContext: unknown) => ({
			status: 200,
			body: { alertUid: 'a', alertContext },
		});
		expect(
			check(
				'datto',
				request('GET', '/api/v2/alert/a'),
				alert({ '@class': 'comp_script_ctx', samples: { RESULT: 'failed' } }),
			),
		).toEqual([]);
		expect(
			errorsOf(check('datto', request('GET', '/api/v2/alert/a'), alert({ samples: {} }))),
		).toEqual(["response: response body /alertContext must have required property '@class'"]);
	});

	test("Graph /users/delta is the document's delta function; without the deviation it is not in the document", () => {
		const delta = {
			status: 200,
			body: {
				value: [
					{ id: 'u1', mail: 'a@contoso.com' },
					{ id: 'u2', '@removed': { reason: 'deleted' } },
				],
				'@odata.deltaLink': 'http://x/v1.0/users/delta?$deltatoken=abc',
			},
		};
		expect(check('graph', request('GET', '/v1.0/users/delta?$select=id,mail'), delta)).toEqual([]);
		const withoutList = check(
			'graph',
			request('GET', '/v1.0/users/delta?$select=id,mail'),
			delta,
			[],
		);
		// Read literally, "delta" is a user id and open types reject plain string properties.
		expect(withoutList.length).toBeGreaterThan(0);
		expect(withoutList[0].operation).toBe('GET /users/{user-id}');
	});

	test('Autotask errors on HTTP 500 must have the {"errors": [...]} shape', () => {
		const query = () =>
			request('POST', '/ATServicesRest/V1.0/Contacts/query', {
				headers: AUTOTASK_HEADERS,
				body: { MaxRecords: 900 },
			});
		expect(
			check('autotask', query(), {
				status: 500,
				body: { errors: ['maxCountOfRecordsToReturn must be between 1 and 500'] },
			}),
		).toEqual([]);
		expect(
			errorsOf(
				check('autotask', query(), { status: 500, body: { message: 'An error has occurred.' } }),
			),
		).toEqual(["response: response body must have required property 'errors'"]);
	});

	test('nulls are accepted in Autotask responses (live), in requests only where the list says so', () => {
		expect(
			check(
				'autotask',
				request('GET', '/ATServicesRest/V1.0/Companies/0', { headers: AUTOTASK_HEADERS }),
				{ status: 200, body: { item: { id: 0, companyName: 'MSP', phone: null } } },
			),
		).toEqual([]);
		const nullWrite = check(
			'autotask',
			request('PATCH', '/ATServicesRest/V1.0/Companies/1/Contacts', {
				headers: AUTOTASK_HEADERS,
				body: { id: 5, firstName: null },
			}),
			{ status: 200, body: { itemId: 5 } },
		);
		expect(errorsOf(nullWrite)).toEqual(['request: request body /firstName must be string']);
	});

	test('undocumented routes the package uses are accepted and still checked where the list gives a schema', () => {
		expect(
			check('connectwise', request('GET', '/login/companyinfo/sandboxmsp'), {
				status: 200,
				body: {
					CompanyName: 'Sandbox',
					Codebase: 'v2025_1/',
					VersionCode: 'v2025.1',
					CompanyID: 'sandboxmsp',
					IsCloud: true,
				},
			}),
		).toEqual([]);
		expect(
			errorsOf(
				check('connectwise', request('GET', '/login/companyinfo/sandboxmsp'), {
					status: 200,
					body: { Codebase: 'v2025_1' },
				}),
			),
		).toEqual(['response: response body /Codebase must match pattern "/$"']);
		expect(
			check(
				'graph',
				request('POST', '/6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c/oauth2/v2.0/token', {
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					raw: 'grant_type=client_credentials',
				}),
				{ status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: 'eyJ' } },
			),
		).toEqual([]);
		expect(
			check(
				'autotask',
				request('GET', '/ATServicesRest/V1.0/Resources/entityInformation/fields', {
					headers: AUTOTASK_HEADERS,
				}),
				{ status: 200, body: { fields: [] } },
			),
		).toEqual([]);
		expect(
			check(
				'autotask',
				request('POST', '/ATServicesRest/V1.0/Tickets/query/next?paging=%7b%7d&search=%7b%7d', {
					headers: AUTOTASK_HEADERS,
					body: { filter: [] },
				}),
				{ status: 200, body: { items: [], pageDetails: { count: 0 } } },
			),
		).toEqual([]);
		expect(
			check(
				'autotask',
				request('POST', '/ATServicesRest/V1.0/TimeEntries/query', {
					headers: AUTOTASK_HEADERS,
					body: { filter: [{ op: 'eq', field: 'ticketID', value: 1 }] },
				}),
				{ status: 200, body: { items: [{ id: 1, hoursWorked: 1 }], pageDetails: { count: 1 } } },
			),
		).toEqual([]);
		// ...but a query/next for an entity neither the document nor the list knows is still flagged.
		expect(
			errorsOf(
				check(
					'autotask',
					request('POST', '/ATServicesRest/V1.0/Widgets/query/next', {
						headers: AUTOTASK_HEADERS,
						body: {},
					}),
					{ status: 404, body: {} },
				),
			)[0],
		).toMatch(
			/same as \/V1.0\/Widgets\/query, which is neither in the document nor a listed route/,
		);
	});

	test('a document path whose parameters do not fit loses to a listed route', () => {
		// "/V1.0/Companies/{id}" would read "entityInformation" as an id; the generic listed route
		// "/V1.0/{entity}/entityInformation" is as specific, and wins because the id does not fit.
		const generic = CONTRACT_DEVIATIONS.filter(
			(d) => d.vendor === 'autotask' && d.path === '/V1.0/{entity}/entityInformation',
		);
		expect(generic).toHaveLength(1);
		expect(
			check(
				'autotask',
				request('GET', '/ATServicesRest/V1.0/Companies/entityInformation', {
					headers: AUTOTASK_HEADERS,
				}),
				{ status: 200, body: { info: { name: 'Company', canQuery: true } } },
				generic,
			),
		).toEqual([]);
		// With nothing else to match, the parameter error is what is reported.
		expect(
			errorsOf(
				check(
					'autotask',
					request('GET', '/ATServicesRest/V1.0/Companies/first', { headers: AUTOTASK_HEADERS }),
					{ status: 404, body: {} },
				),
			),
		).toEqual(['request: path parameter id="first" must be integer']);
	});

	test('a test-specific deviation list is read the same way', () => {
		const custom: ContractDeviation[] = [
			{
				vendor: 'datto',
				method: 'GET',
				path: '/v2/account/variables',
				differs: 'not in the trimmed document',
				why: 'test',
				source: 'test',
				effect: {
					kind: 'route',
					responses: { '200': { type: 'object', required: ['variables'] } },
				},
			},
		];
		expect(
			check(
				'datto',
				request('GET', '/api/v2/account/variables'),
				{ status: 200, body: { variables: [] } },
				custom,
			),
		).toEqual([]);
		expect(
			errorsOf(
				check(
					'datto',
					request('GET', '/api/v2/account/variables'),
					{ status: 200, body: {} },
					custom,
				),
			),
		).toEqual(["response: response body must have required property 'variables'"]);
		expect(
			check('datto', request('GET', '/api/v2/account/variables'), { status: 200, body: {} }),
		).toHaveLength(1);
	});

	test('an exact listed status wins over a listed status class, whatever the order', () => {
		const entry = (status: string, required: string): ContractDeviation => ({
			vendor: 'datto',
			method: '*',
			path: '*',
			differs: 'error body',
			why: 'test',
			source: 'test',
			effect: { kind: 'response', status, schema: { type: 'object', required: [required] } },
		});
		const custom = [entry('4XX', 'message'), entry('404', 'error')];
		const missing = (body: unknown) =>
			check('datto', request('GET', '/api/v2/alert/nobody'), { status: 404, body }, custom);
		expect(missing({ error: 'Not Found' })).toEqual([]);
		expect(errorsOf(missing({ message: 'Alert was not found.' }))).toEqual([
			"response: response body must have required property 'error'",
		]);
		expect(
			errorsOf(
				check(
					'datto',
					request('GET', '/api/v2/alert/nobody'),
					{ status: 400, body: { error: 'x' } },
					custom,
				),
			),
		).toEqual(["response: response body must have required property 'message'"]);
	});
});

describe('the deviation list', () => {
	test('every entry says what differs, why and where it is documented, and resolves against its document', () => {
		for (const deviation of CONTRACT_DEVIATIONS) {
			expect({
				path: deviation.path,
				differs: deviation.differs.length > 10,
				why: deviation.why.length > 5,
				source: deviation.source.length > 5,
			}).toEqual({ path: deviation.path, differs: true, why: true, source: true });
		}
		// Building the four documents applies every property patch (a bad pointer throws).
		for (const vendor of ['autotask', 'connectwise', 'graph', 'datto'] as SandboxVendor[]) {
			expect(() => check(vendor, request('GET', '/_probe_/x'), { status: 404 })).not.toThrow();
		}
		// Every sameAs target is in its document (or is itself a listed route) for some concrete entity.
		for (const deviation of CONTRACT_DEVIATIONS) {
			if (deviation.effect.kind !== 'sameAs') continue;
			const concrete = deviation.path.replace(/\{[^}]+\}/g, 'Contacts');
			const base = {
				autotask: '/ATServicesRest',
				connectwise: '/v2025_1/apis/3.0',
				graph: '/v1.0',
				datto: '/api',
			}[deviation.vendor];
			const method = deviation.method === '*' ? 'POST' : deviation.method;
			const found = check(
				deviation.vendor,
				request(method, `${base}${concrete}`, {
					headers: { ...AUTOTASK_HEADERS, ...CW_HEADERS },
					body: method === 'GET' ? undefined : {},
				}),
				{ status: 500 },
			);
			expect({
				path: deviation.path,
				errors: errorsOf(found).filter((e) => /neither in the document|no operation/.test(e)),
			}).toEqual({ path: deviation.path, errors: [] });
		}
	});

	test('named schemas validate records, read through the list', () => {
		expect(
			validateSchema('autotask', 'ContactModel', { id: 1, isActive: 1, emailAddress2: null }),
		).toEqual([]);
		expect(validateSchema('autotask', 'ContactModel', { id: 1, isActive: true })).toEqual([
			'ContactModel /isActive must be integer,null',
		]);
		expect(validateSchema('connectwise', 'CommunicationType', { id: 1 })).toEqual([
			"CommunicationType must have required property 'description'",
		]);
		expect(() => validateSchema('graph', 'NoSuchSchema', {})).toThrow(
			/no schema named NoSuchSchema/,
		);
	});
});

describe('contract checker inside a vendor server', () => {
	test('records violations of real HTTP exchanges without changing the answer, and skips sandbox control routes', async () => {
		const router = new Router()
			.add('GET', '/v1.0/users/{id}', (req) => ({
				status: 200,
				body: { id: req.params.id, accountEnabled: 'yes' },
			}))
			.add('GET', '/v1.0/users', () => ({
				status: 200,
				body: { value: [{ id: 'u1', mail: 'a@contoso.com' }] },
			}))
			.add('POST', '/_sandbox/reset', () => ({ status: 204 }));
		const checker = createContractChecker({ maxViolations: 1 });
		const server = new VendorServer({
			vendor: 'graph',
			router,
			log: new RequestLog(),
			faults: new FaultInjector(),
			contract: checker,
		});
		const base = await server.start(0);
		try {
			const bad = await fetch(`${base}/v1.0/users/u1?$select=id,accountEnabled`);
			expect(bad.status).toBe(200);
			expect(await bad.json()).toEqual({ id: 'u1', accountEnabled: 'yes' });
			const good = await fetch(`${base}/v1.0/users?$select=id,mail&$top=5`);
			expect(good.status).toBe(200);
			expect((await fetch(`${base}/_sandbox/reset`, { method: 'POST' })).status).toBe(204);
			await fetch(`${base}/v1.0/users/u2`);
		} finally {
			await server.stop();
		}
		expect(checker.violations).toEqual([
			expect.objectContaining({
				vendor: 'graph',
				direction: 'response',
				method: 'GET',
				path: '/v1.0/users/u1',
				template: '/v1.0/users/{id}',
				status: 200,
				errors: ['response body /accountEnabled must be boolean,null'],
			}),
		]);
		// The second bad answer is counted beyond maxViolations, not kept.
		expect(checker.dropped).toBe(1);
	});
});

describe('contract checker: projections', () => {
	test('a ConnectWise response narrowed by fields= may leave out required properties; the same body without fields= may not', () => {
		const narrowed = { status: 200, body: [{ id: 250 }] };
		const projected = check(
			'connectwise',
			request('GET', '/v2025_1/apis/3.0/company/companies?pageSize=1&fields=id', {
				headers: CW_HEADERS,
			}),
			narrowed,
		);
		const full = check(
			'connectwise',
			request('GET', '/v2025_1/apis/3.0/company/companies?pageSize=1', { headers: CW_HEADERS }),
			narrowed,
		);
		expect(describeViolations(projected)).toBe('');
		expect(errorsOf(full).join('\n')).toMatch(/required/);
		// Types still hold under a projection.
		const wrongType = check(
			'connectwise',
			request('GET', '/v2025_1/apis/3.0/company/companies?fields=id', { headers: CW_HEADERS }),
			{ status: 200, body: [{ id: 'not a number' }] },
		);
		expect(errorsOf(wrongType).length).toBeGreaterThan(0);
	});
});
