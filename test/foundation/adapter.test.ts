import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { MicrosoftGraphAppApi } from '../../credentials/MicrosoftGraphAppApi.credentials';
import { decodeCachedValue } from '../../lib/transport/cachedValue';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { json, loopbackServer } from '../support/loopbackServer';
import { TransportProbe } from '../support/probeNode';

function probePackage() {
	const pkg = loadSourcePackage();
	const probe = new TransportProbe();
	const original = pkg.nodeTypes.getByName.bind(pkg.nodeTypes);
	pkg.nodeTypes.getByName = (type: string) =>
		type === `${PACKAGE_NAME}.transportProbe` ? probe : original(type);
	pkg.nodeTypes.getByNameAndVersion = (type: string) =>
		(type === `${PACKAGE_NAME}.transportProbe` ? probe : original(type)) as never;
	return pkg;
}

function probeWorkflow(credentialType: string, url: string, overrides: object = {}) {
	return singleNodeWorkflow({
		name: 'Probe',
		type: `${PACKAGE_NAME}.transportProbe`,
		parameters: { credentialType, url, method: 'GET', overrides: JSON.stringify(overrides) },
		credentials: { [credentialType]: { id: '1', name: 'test' } },
	});
}

describe('n8n transport adapter inside WorkflowExecute', () => {
	test('Autotask: zone discovered once, headers and zone base URL applied, value persisted', async () => {
		const server = await loopbackServer((request, res) => {
			if (request.url.startsWith('/atservicesrest/V1.0/ZoneInformation')) {
				return json(res, 200, {
					zoneName: 'Sandbox',
					url: `${server.url}/ATServicesRest/`,
					webUrl: '',
					ci: 1,
				});
			}
			return json(res, 200, {
				info: { name: 'Contact' },
				echo: request.headers.secret === 'S3CRET-VALUE',
			});
		});
		const credentials = new CredentialStore(
			{ autotaskApi: new AutotaskApi() },
			{
				autotaskApi: {
					username: 'api@msp.example',
					secret: 'S3CRET-VALUE',
					integrationCode: 'CODE123',
					discoveryUrl: `${server.url}/atservicesrest`,
				},
			},
		);
		const pkg = probePackage();
		const first = await runWorkflow({
			pkg,
			credentials,
			workflow: probeWorkflow('autotaskApi', '/Contacts/entityInformation'),
		});
		const second = await runWorkflow({
			pkg,
			credentials,
			workflow: probeWorkflow('autotaskApi', '/Contacts/entityInformation'),
		});
		await server.close();

		expect(first.status).toBe('success');
		expect(first.json('Probe')[0]).toMatchObject({ status: 200, body: { echo: true } });
		expect(second.json('Probe')[0]).toMatchObject({ status: 200 });
		const apiCalls = server.seen.filter((r) =>
			r.url.startsWith('/ATServicesRest/V1.0/Contacts/entityInformation'),
		);
		expect(apiCalls).toHaveLength(2);
		expect(apiCalls[0].headers).toMatchObject({
			apiintegrationcode: 'CODE123',
			username: 'api@msp.example',
			secret: 'S3CRET-VALUE',
		});
		// The zone was looked up by the first execution only: the second used the persisted value.
		expect(server.seen.filter((r) => r.url.includes('ZoneInformation'))).toHaveLength(1);
		expect(decodeCachedValue(credentials.get('autotaskApi').resolvedZone)?.value).toBe(
			`${server.url}/ATServicesRest`,
		);
	});

	test('Autotask: a failed zone discovery becomes a setup error without secrets', async () => {
		const server = await loopbackServer((_request, res) =>
			json(res, 500, { errors: ['Zone information could not be determined'] }),
		);
		const credentials = new CredentialStore(
			{ autotaskApi: new AutotaskApi() },
			{
				autotaskApi: {
					username: 'nobody@msp.example',
					secret: 'S3CRET-VALUE',
					integrationCode: 'CODE123',
					discoveryUrl: `${server.url}/atservicesrest`,
				},
			},
		);
		const result = await runWorkflow({
			pkg: probePackage(),
			credentials,
			workflow: probeWorkflow('autotaskApi', '/Contacts/entityInformation'),
		});
		await server.close();
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(
			'Zone information could not be determined for API user "nobody@msp.example"',
		);
		expect(JSON.stringify(result.run.data)).not.toContain('S3CRET-VALUE');
	});

	test('Graph: a 401 makes n8n mint a new token once; a token for another tenant is never sent', async () => {
		let issued = 0;
		const server = await loopbackServer((request, res) => {
			const tokenMatch = /^\/([^/]+)\/oauth2\/v2.0\/token$/.exec(request.url);
			if (tokenMatch) {
				issued++;
				return json(res, 200, { access_token: `tok-${tokenMatch[1]}-${issued}`, expires_in: 3600 });
			}
			const auth = String(request.headers.authorization ?? '');
			// The first token of each tenant is "revoked" to force the refresh path.
			if (!auth || auth.endsWith('-1'))
				return json(res, 401, {
					error: { code: 'InvalidAuthenticationToken', message: 'expired' },
				});
			return json(res, 200, { value: [{ id: auth }] });
		});
		const credentials = new CredentialStore(
			{ microsoftGraphAppApi: new MicrosoftGraphAppApi() },
			{
				microsoftGraphAppApi: {
					cloud: 'custom',
					graphUrl: server.url,
					loginUrl: server.url,
					tenantId: 'tenant-a.example',
					clientId: 'app',
					clientSecret: 'GRAPH-S3CRET',
				},
			},
		);
		const pkg = probePackage();
		const a = await runWorkflow({
			pkg,
			credentials,
			workflow: probeWorkflow('microsoftGraphAppApi', '/users'),
		});
		const b = await runWorkflow({
			pkg,
			credentials,
			workflow: probeWorkflow('microsoftGraphAppApi', '/users', { tenantId: 'tenant-b.example' }),
		});
		await server.close();

		expect(a.json('Probe')[0]).toMatchObject({
			status: 200,
			body: { value: [{ id: 'Bearer tok-tenant-a.example-2' }] },
		});
		// Tenant B starts from A's persisted token, which must not be sent to B.
		expect(b.json('Probe')[0]).toMatchObject({
			status: 200,
			body: { value: [{ id: 'Bearer tok-tenant-b.example-3' }] },
		});
		const sentForB = server.seen.filter((r) => r.url === '/v1.0/users').slice(-1)[0];
		expect(sentForB.headers.authorization).toBe('Bearer tok-tenant-b.example-3');
		expect(
			server.seen.some(
				(r) =>
					r.url === '/v1.0/users' &&
					String(r.headers.authorization).includes('tenant-a') &&
					r === sentForB,
			),
		).toBe(false);
	});

	test('network failures surface as TransportError-based node errors; continueOnFail keeps the batch going', async () => {
		const server = await loopbackServer((request, res) => {
			if (request.url.includes('ZoneInformation'))
				return json(res, 200, { url: `${server.url}/ATServicesRest/` });
			if (request.url.includes('reset')) return void res.socket?.destroy();
			return json(res, 200, { ok: true });
		});
		const credentials = new CredentialStore(
			{ autotaskApi: new AutotaskApi() },
			{
				autotaskApi: {
					username: 'api@msp.example',
					secret: 'S3CRET-VALUE',
					integrationCode: 'CODE123',
					discoveryUrl: `${server.url}/atservicesrest`,
				},
			},
		);
		const workflow = probeWorkflow('autotaskApi', '={{ $json.path }}');
		workflow.nodes[1].onError = 'continueRegularOutput';
		const result = await runWorkflow({
			pkg: probePackage(),
			credentials,
			workflow,
			input: [{ path: '/reset' }, { path: '/fine' }],
		});
		await server.close();
		const out = result.json('Probe');
		expect(out[0].error).toMatch(
			/The connection was reset by the server and did not recover after retries \[item 0\]/,
		);
		expect(out[1]).toMatchObject({ status: 200, body: { ok: true } });
		expect(result.items('Probe').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});
});
