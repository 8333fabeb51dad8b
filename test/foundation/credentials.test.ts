import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { ConnectWiseManageApi } from '../../credentials/ConnectWiseManageApi.credentials';
import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { MicrosoftGraphAppApi } from '../../credentials/MicrosoftGraphAppApi.credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { testCredential } from '../../dev/runner/credentialTester';
import { json, loopbackServer } from '../support/loopbackServer';

const types = {
	autotaskApi: new AutotaskApi(),
	connectWiseManageApi: new ConnectWiseManageApi(),
	microsoftGraphAppApi: new MicrosoftGraphAppApi(),
	dattoRmmApi: new DattoRmmApi(),
};

describe('credential test requests, run as n8n runs them', () => {
	describe('Autotask: three failures, three different fixes', () => {
		let server: Awaited<ReturnType<typeof loopbackServer>>;
		beforeAll(async () => {
			server = await loopbackServer((request, res) => {
				if (request.url.includes('ZoneInformation')) {
					if (request.url.includes('unknown'))
						return json(res, 500, { errors: ['Zone information could not be determined'] });
					return json(res, 200, {
						zoneName: 'Z',
						url: `${server.url}/ATServicesRest/`,
						webUrl: '',
						ci: 7,
					});
				}
				if (request.headers.secret !== 'right-secret')
					return json(res, 401, { errors: ['Unauthorized'] });
				if (request.headers.apiintegrationcode !== 'RIGHTCODE')
					return json(res, 500, { errors: ['IntegrationCode is invalid.'] });
				return json(res, 200, {
					info: {
						name: 'Contact',
						canCreate: true,
						canQuery: true,
						canUpdate: true,
						canDelete: true,
					},
				});
			});
		});
		afterAll(async () => await server.close());

		const store = (values: Record<string, string>) =>
			new CredentialStore(types, {
				autotaskApi: {
					username: 'api@msp.example',
					secret: 'right-secret',
					integrationCode: 'RIGHTCODE',
					discoveryUrl: `${server.url}/atservicesrest`,
					...values,
				},
			});

		test('right values pass', async () => {
			expect(await testCredential(store({}), 'autotaskApi')).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
		});
		test('unknown user: zone discovery explains the username', async () => {
			const result = await testCredential(
				store({ username: 'unknown@msp.example' }),
				'autotaskApi',
			);
			expect(result.status).toBe('Error');
			expect(result.message).toContain(
				'Zone information could not be determined for API user "unknown@msp.example"',
			);
		});
		test('bad secret: 401 explains the secret', async () => {
			const result = await testCredential(store({ secret: 'wrong' }), 'autotaskApi');
			expect(result.message).toMatch(/rejected the secret \(401\)/);
		});
		test('bad integration code: 500 explains the tracking identifier', async () => {
			const result = await testCredential(store({ integrationCode: 'WRONG' }), 'autotaskApi');
			expect(result.message).toMatch(/IntegrationCode is invalid.*tracking identifier/);
		});
		test('a custom zone URL skips discovery', async () => {
			const before = server.seen.filter((r) => r.url.includes('ZoneInformation')).length;
			const result = await testCredential(
				store({ zone: 'custom', baseUrl: `${server.url}/ATServicesRest/` }),
				'autotaskApi',
			);
			expect(result.status).toBe('OK');
			expect(server.seen.filter((r) => r.url.includes('ZoneInformation')).length).toBe(before);
		});
	});

	test('ConnectWise: codebase discovered, Basic auth + clientId + pinned version sent; 404 explained', async () => {
		const server = await loopbackServer((request, res) => {
			if (request.url === '/login/companyinfo/mspco')
				return json(res, 200, { Codebase: 'v2025_1/', CompanyID: 'mspco' });
			if (request.url.startsWith('/v2025_1/apis/3.0/company/companies')) {
				const expected = `Basic ${Buffer.from('mspco+pub:priv').toString('base64')}`;
				if (
					request.headers.authorization !== expected ||
					request.headers.clientid !== 'client-guid'
				)
					return json(res, 404, { code: 'NotFound', message: 'x' });
				return json(res, 200, [{ id: 1 }]);
			}
			return json(res, 404, {});
		});
		const store = (privateKey: string) =>
			new CredentialStore(types, {
				connectWiseManageApi: {
					region: 'custom',
					customUrl: server.url,
					companyId: 'mspco',
					publicKey: 'pub',
					privateKey,
					clientId: 'client-guid',
					apiVersion: '2025.1',
				},
			});
		expect(await testCredential(store('priv'), 'connectWiseManageApi')).toMatchObject({
			status: 'OK',
		});
		const bad = await testCredential(store('nope'), 'connectWiseManageApi');
		await server.close();
		expect(bad.message).toMatch(/usually means wrong credentials/);
		const call = server.seen.find((r) => r.url.startsWith('/v2025_1/apis/3.0/company/companies'));
		expect(call?.headers.accept).toBe('application/vnd.connectwise.com+json; version=2025.1');
	});

	test("Graph: a refused token shows Microsoft's reason without the secret; missing permission is explained", async () => {
		const server = await loopbackServer((request, res) => {
			if (request.url.endsWith('/oauth2/v2.0/token')) {
				if (!request.body.includes('client_secret=good')) {
					return json(res, 401, {
						error: 'invalid_client',
						error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x',
					});
				}
				return json(res, 200, { access_token: 'tok', expires_in: 3600 });
			}
			if (request.url.startsWith('/v1.0/users')) {
				return json(res, 403, {
					error: {
						code: 'Authorization_RequestDenied',
						message: 'Insufficient privileges to complete the operation.',
					},
				});
			}
			return json(res, 404, {});
		});
		const store = (clientSecret: string) =>
			new CredentialStore(types, {
				microsoftGraphAppApi: {
					cloud: 'custom',
					graphUrl: server.url,
					loginUrl: server.url,
					tenantId: 'contoso.onmicrosoft.com',
					clientId: 'app',
					clientSecret,
				},
			});
		const refused = await testCredential(store('bad-SECRET-123'), 'microsoftGraphAppApi');
		const denied = await testCredential(store('good'), 'microsoftGraphAppApi');
		await server.close();
		expect(refused.message).toContain('AADSTS7000215: Invalid client secret provided.');
		expect(refused.message).not.toContain('bad-SECRET-123');
		expect(denied.message).toMatch(/User\.Read\.All.*admin consent/);
	});

	test('Datto: password grant with the public client; 404 points at the platform', async () => {
		const server = await loopbackServer((request, res) => {
			if (request.url === '/auth/oauth/token') {
				const basic = `Basic ${Buffer.from('public-client:public').toString('base64')}`;
				if (
					request.headers.authorization !== basic ||
					!request.body.includes('grant_type=password')
				)
					return json(res, 400, {});
				return json(res, 200, { access_token: 'dtok', token_type: 'bearer', expires_in: 360000 });
			}
			if (
				request.url.startsWith('/api/v2/account/sites') &&
				request.headers.authorization === 'Bearer dtok'
			) {
				return json(res, 200, { pageDetails: { count: 0 }, sites: [] });
			}
			return json(res, 404, { message: 'Not found' });
		});
		const ok = await testCredential(
			new CredentialStore(types, {
				dattoRmmApi: { platform: 'custom', customUrl: server.url, apiKey: 'k', apiSecret: 's' },
			}),
			'dattoRmmApi',
		);
		const wrongPlatform = await testCredential(
			new CredentialStore(types, {
				dattoRmmApi: {
					platform: 'custom',
					customUrl: `${server.url}/elsewhere`,
					apiKey: 'k',
					apiSecret: 's',
				},
			}),
			'dattoRmmApi',
		);
		await server.close();
		expect(ok.status).toBe('OK');
		expect(wrongPlatform.status).toBe('Error');
		expect(wrongPlatform.message).toMatch(/wrong platform/);
	});
});
