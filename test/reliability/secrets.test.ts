/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake, recognisable wrong credentials for leak checks, never shipped in dist */
/**
 * Secrets never leave the credential. Every error path runs with the sandbox's recognisable
 * credential values (and wrong ones), plus the tokens the sandbox issued: rejected secrets,
 * vendors that echo the secret, the token or the Basic header back in their error, refused and
 * failing token endpoints, network failures, bad input and guard refusals; with and without
 * "continue on error". No secret may appear in a thrown message, an output or error item, a
 * line n8n logs, or any request the sandbox received outside the token and zone endpoints.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

// Backoff waits are not what this file is about: persistent network failures end at once.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual<object>('n8n-workflow'),
	sleep: async () => await Promise.resolve(),
}));

import { parseAlertKey } from '../../lib/alerts/key';
import type { Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import type { WorkflowResult } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import {
	allJson,
	CapturedLog,
	credentialTypesWithTimeout,
	findSecrets,
	pkg,
	readTemplate,
	runSync,
	secretsInRequests,
	secretsOf,
	StaticDataStore,
	SYNC_FILES,
	TEST_TIMEOUT_MS,
	withSandbox,
} from './support';

/** Wrong values as recognisable as the right ones: a leak of either is a leak. */
const WRONG = {
	autotaskSecret: 'AT-WRONG-SECRET-3b1f9e-leakcheck',
	connectwisePrivateKey: 'CW-WRONG-PRIVATE-77aa-leakcheck',
	graphClientSecret: 'GRAPH-WRONG~secret-91-leakcheck',
	dattoApiSecret: 'DATTO-WRONG-secret-5150-leakcheck',
};

const wrongBasic = Buffer.from(
	`${SANDBOX_IDENTITIES.connectwise.companyId}+${SANDBOX_IDENTITIES.connectwise.publicKey}:${WRONG.connectwisePrivateKey}`,
).toString('base64');

const CREDENTIALS = {
	autotaskApi: { id: 'at', name: 'Autotask' },
	connectWiseManageApi: { id: 'cw', name: 'ConnectWise' },
	microsoftGraphAppApi: { id: 'g', name: 'Graph' },
	dattoRmmApi: { id: 'dr', name: 'Datto' },
};

type Probe = Omit<INode, 'id' | 'position' | 'typeVersion'>;

const PROBES: Record<'autotask' | 'connectwise' | 'graph' | 'datto', Probe> = {
	autotask: {
		name: 'Probe',
		type: `${PACKAGE_NAME}.autotaskContact`,
		parameters: {
			resource: 'contact',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: { companyId: '29684101' },
		},
		credentials: { autotaskApi: CREDENTIALS.autotaskApi },
	},
	connectwise: {
		name: 'Probe',
		type: `${PACKAGE_NAME}.connectWiseContact`,
		parameters: {
			resource: 'contact',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: { companyId: '250' },
		},
		credentials: { connectWiseManageApi: CREDENTIALS.connectWiseManageApi },
	},
	graph: {
		name: 'Probe',
		type: `${PACKAGE_NAME}.office365Users`,
		parameters: { resource: 'user', operation: 'getAll', returnAll: false, limit: 5 },
		credentials: { microsoftGraphAppApi: CREDENTIALS.microsoftGraphAppApi },
	},
	datto: {
		name: 'Probe',
		type: `${PACKAGE_NAME}.rmmAlertToTicket`,
		parameters: {
			operation: 'processAlert',
			catchAllCompany: { __rl: true, mode: 'id', value: '0' },
		},
		credentials: { autotaskApi: CREDENTIALS.autotaskApi, dattoRmmApi: CREDENTIALS.dattoRmmApi },
	},
};

const log = new CapturedLog();
const everything: unknown[] = [];

beforeAll(() => {
	log.install();
});

function store(
	sandbox: Sandbox,
	overrides: Record<string, ICredentialDataDecryptedObject> = {},
): CredentialStore {
	const types = credentialTypesWithTimeout(pkg().credentialTypes, TEST_TIMEOUT_MS);
	const data: Record<string, ICredentialDataDecryptedObject> = {};
	for (const [type, values] of Object.entries(sandbox.credentials))
		data[type] = { ...values, ...overrides[type] };
	return new CredentialStore(types, data);
}

/** Runs the probe twice: stopping on error (the thrown error) and continuing (error items). */
async function probe(
	sandbox: Sandbox,
	credentials: CredentialStore,
	vendor: keyof typeof PROBES,
): Promise<WorkflowResult[]> {
	const input: IDataObject[] =
		vendor === 'datto'
			? [
					sandbox.datto.webhookItem(
						// An open alert no ticket tracks yet: the node must read it from Datto.
						sandbox.datto.webhookBody(
							sandbox.datto.alerts.find(
								(a) =>
									!a.resolved &&
									!sandbox.autotask.tickets.some(
										(t) => parseAlertKey(t.externalID)?.alertUid === a.alertUid,
									),
							)!.alertUid,
							'raised',
						),
					) as unknown as IDataObject,
				]
			: [{}];
	const results: WorkflowResult[] = [];
	for (const onError of [undefined, 'continueRegularOutput'] as const) {
		const node = { ...PROBES[vendor], ...(onError ? { onError } : {}) };
		results.push(
			await runWorkflow({ pkg: pkg(), credentials, workflow: singleNodeWorkflow(node), input }),
		);
	}
	return results;
}

/** Everything a user or an operator could see of these runs. */
function visible(results: WorkflowResult[]): unknown[] {
	return results.flatMap((result) => [
		result.error,
		result.run,
		result.json('Probe'),
		...[0, 1, 2, 3].map((o) => result.json('Probe', o)),
	]);
}

function failureText(results: WorkflowResult[]): string {
	return results
		.map((result) =>
			[result.error?.message, ...allJson(result, 'Probe').map((json) => json.error)]
				.filter(Boolean)
				.join(' | '),
		)
		.join(' || ');
}

function expectNoLeak(sandbox: Sandbox, seen: unknown, extra: string[] = []): void {
	const secrets = secretsOf(sandbox, [...Object.values(WRONG), wrongBasic, ...extra]);
	expect(findSecrets(seen, secrets)).toEqual([]);
	expect(findSecrets(log.lines, secrets)).toEqual([]);
	expect(secretsInRequests(sandbox, secrets)).toEqual([]);
	everything.push(seen);
}

describe('rejected credentials', () => {
	test.each([
		['autotask', { autotaskApi: { secret: WRONG.autotaskSecret } }, /Autotask/],
		[
			'connectwise',
			{ connectWiseManageApi: { privateKey: WRONG.connectwisePrivateKey } },
			/ConnectWise/,
		],
		['graph', { microsoftGraphAppApi: { clientSecret: WRONG.graphClientSecret } }, /Graph token/],
		[
			'datto',
			{ dattoRmmApi: { apiSecret: WRONG.dattoApiSecret } },
			/Datto RMM did not issue an API token/,
		],
	] as const)(
		'%s: the wrong secret is refused with a message that names the fix, never the secret',
		async (vendor, overrides, message) => {
			await withSandbox(async (sandbox) => {
				const results = await probe(
					sandbox,
					store(sandbox, overrides as Record<string, ICredentialDataDecryptedObject>),
					vendor,
				);
				expect(failureText(results)).toMatch(message);
				// Stopping on error: the run fails with the message; continuing: an error item carries it.
				expect(results[0].status).toBe('error');
				expect(results[1].status).toBe('success');
				expectNoLeak(sandbox, visible(results));
			});
		},
	);
});

describe('vendors that echo secrets back', () => {
	/** A 400 whose body repeats what a careless vendor (or a proxy) might: the secret, the header, the token. */
	function echoRule(
		sandbox: Sandbox,
		vendor: 'autotask' | 'connectwise' | 'graph' | 'datto',
	): FaultRule {
		const identities = SANDBOX_IDENTITIES;
		const basic = Buffer.from(
			`${identities.connectwise.companyId}+${identities.connectwise.publicKey}:${identities.connectwise.privateKey}`,
		).toString('base64');
		const graphToken = [...sandbox.graph.tokens.keys()].at(-1) ?? '';
		const dattoToken = [...sandbox.datto.tokens.keys()].at(-1) ?? '';
		const bodies = {
			autotask: {
				errors: [
					`Request rejected. Secret=${identities.autotask.secret}; ApiIntegrationCode=${identities.autotask.integrationCode}`,
				],
			},
			connectwise: {
				code: 'InvalidObject',
				message: `Header Authorization: Basic ${basic} was not accepted for ${identities.connectwise.privateKey}`,
			},
			graph: {
				error: {
					code: 'BadRequest',
					message: `Token Bearer ${graphToken} used with secret ${identities.graph.clientSecret}`,
				},
			},
			datto: {
				message: `Bad request for token ${dattoToken} (secret ${identities.datto.apiSecret})`,
			},
		};
		const paths = {
			autotask: '/Contacts/query',
			connectwise: '/company/contacts',
			graph: /\/v1\.0\/users$/,
			datto: '/v2/alert/',
		};
		return { vendor, path: paths[vendor], kind: 'status', status: 400, body: bodies[vendor] };
	}

	test.each(['autotask', 'connectwise', 'graph', 'datto'] as const)(
		"%s: the echoed values are redacted from the error; the vendor's other words stay",
		async (vendor) => {
			await withSandbox(async (sandbox) => {
				const credentials = store(sandbox);
				// A first run mints the tokens the vendor will echo.
				await probe(sandbox, credentials, vendor);
				sandbox.faults.add(echoRule(sandbox, vendor));
				const results = await probe(sandbox, credentials, vendor);
				const text = failureText(results);
				expect(text).toContain('[redacted]');
				expect(text).toMatch(/rejected|not accepted|used with secret|Bad request/);
				expectNoLeak(sandbox, visible(results));
			});
		},
	);
});

describe('token endpoints and the network', () => {
	test.each([
		[
			'graph',
			{
				vendor: 'graph',
				path: '/oauth2/v2.0/token',
				kind: 'status',
				status: 401,
				body: {
					error: 'invalid_client',
					error_description: `AADSTS7000215: Invalid client secret provided: ${SANDBOX_IDENTITIES.graph.clientSecret}`,
				},
			},
		],
		[
			'datto',
			{
				vendor: 'datto',
				path: '/auth/oauth/token',
				kind: 'status',
				status: 400,
				body: {
					error: 'invalid_grant',
					error_description: `Bad credentials for ${SANDBOX_IDENTITIES.datto.apiSecret}`,
				},
			},
		],
		[
			'autotask',
			{
				vendor: 'autotask',
				path: '/ZoneInformation',
				kind: 'status',
				status: 500,
				body: {
					errors: [
						`Zone information could not be determined (secret ${SANDBOX_IDENTITIES.autotask.secret})`,
					],
				},
			},
		],
		[
			'connectwise',
			{
				vendor: 'connectwise',
				path: '/login/companyinfo',
				kind: 'status',
				status: 500,
				body: `companyinfo failed for ${SANDBOX_IDENTITIES.connectwise.privateKey}`,
			},
		],
	] as const)(
		'%s: a refused look-up that quotes the secret becomes a setup error without it',
		async (vendor, rule) => {
			await withSandbox(async (sandbox) => {
				sandbox.faults.add(rule as FaultRule);
				const results = await probe(sandbox, store(sandbox), vendor);
				expect(failureText(results)).not.toBe('');
				expectNoLeak(sandbox, visible(results));
			});
		},
	);

	test.each(['autotask', 'connectwise', 'graph', 'datto'] as const)(
		'%s: a timeout, then resets on every call: a network error without secrets',
		async (vendor) => {
			await withSandbox(async (sandbox) => {
				const credentials = store(sandbox);
				await probe(sandbox, credentials, vendor);
				sandbox.faults.add({ vendor, kind: 'hang', hangMs: TEST_TIMEOUT_MS * 2, nth: [1] });
				sandbox.faults.add({ vendor, kind: 'reset' });
				const results = await probe(sandbox, credentials, vendor);
				expect(failureText(results)).toMatch(/could not be reached|connection (was reset|failed)/);
				expectNoLeak(sandbox, visible(results));
			});
		},
	);
});

describe('whole templates failing', () => {
	test('the Autotask sync with a rejected Autotask secret, then a rejected Graph secret: errors name the node, not the secret', async () => {
		await withSandbox(async (sandbox) => {
			const template = readTemplate(SYNC_FILES.autotask);
			const attempts: Array<Record<string, ICredentialDataDecryptedObject>> = [
				{ autotaskApi: { secret: WRONG.autotaskSecret } },
				{ microsoftGraphAppApi: { clientSecret: WRONG.graphClientSecret } },
			];
			for (const overrides of attempts) {
				const run = await runSync(
					sandbox,
					store(sandbox, overrides),
					new StaticDataStore(),
					template,
				);
				expect(run.result.status).toBe('error');
				expect(run.result.error?.node).toMatch(/Autotask Contacts|Microsoft 365 Users/);
				expectNoLeak(sandbox, [run.result.error, run.result.run]);
			}
		});
	});

	test('the ConnectWise sync whose writes are refused with echoed secrets: the error items carry no secret', async () => {
		await withSandbox(async (sandbox) => {
			const basic = Buffer.from(
				`${SANDBOX_IDENTITIES.connectwise.companyId}+${SANDBOX_IDENTITIES.connectwise.publicKey}:${SANDBOX_IDENTITIES.connectwise.privateKey}`,
			).toString('base64');
			sandbox.faults.add({
				vendor: 'connectwise',
				method: 'PATCH',
				kind: 'status',
				status: 400,
				rate: 0.5,
				body: { code: 'InvalidObject', message: `Basic ${basic} refused` },
			});
			const run = await runSync(
				sandbox,
				store(sandbox),
				new StaticDataStore(),
				readTemplate(SYNC_FILES.connectwise),
			);
			expect(run.writeErrors.length).toBeGreaterThan(0);
			expect(run.writeErrors.every((failure) => failure.error.includes('[redacted]'))).toBe(true);
			expectNoLeak(sandbox, [run.result.run, run.writeErrors]);
		});
	});
});

test('n8n logged the failures above, and no log line holds a secret', async () => {
	expect(log.lines.length).toBeGreaterThan(0);
	await withSandbox(async (sandbox) => {
		// Every token any sandbox issued is gone with its sandbox; the fixed values are what can be checked here.
		const secrets = secretsOf(sandbox, [...Object.values(WRONG), wrongBasic]);
		expect(findSecrets(log.lines, secrets)).toEqual([]);
		expect(findSecrets(everything, secrets)).toEqual([]);
	});
});
