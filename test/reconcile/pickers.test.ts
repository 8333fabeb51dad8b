import type { IDataObject, INode } from 'n8n-workflow';

import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { FIXTURE, packageWithFixture } from '../../dev/fixtureNode';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { listSearch } from '../support/editorCall';
import { contact, user } from './helpers';

/**
 * Contact Reconcile version 2 (issue 16): the company is picked from the PSA (resource locator
 * with list search over the PSA's credential), saved version 1 workflows keep their typed id, and
 * the wrong-company refusal names both companies. Against the default seed's companies, read
 * from the sandbox, not written here.
 */
const pkg = packageWithFixture();
let sandbox: Sandbox;
let credentials: CredentialStore;

beforeAll(async () => {
	sandbox = await startSandbox();
	credentials = new CredentialStore(pkg.credentialTypes, sandbox.credentials);
});
afterAll(async () => await sandbox.stop());

const CREDENTIAL = {
	autotask: { autotaskApi: { id: '1', name: 'Autotask' } },
	connectwise: { connectWiseManageApi: { id: '1', name: 'ConnectWise' } },
};

function companies(psa: 'autotask' | 'connectwise') {
	return psa === 'autotask'
		? sandbox.autotask.companies
				.filter((c) => c.isActive !== false)
				.map((c) => ({ id: String(c.id), name: String(c.companyName) }))
		: sandbox.connectwise.companies.map((c) => ({ id: String(c.id), name: String(c.name) }));
}

function reconcile(
	parameters: IDataObject,
	typeVersion: number,
	psa: 'autotask' | 'connectwise',
	withCredential = true,
): Omit<INode, 'id' | 'position'> {
	return {
		name: 'Reconcile',
		type: `${PACKAGE_NAME}.contactReconcile`,
		typeVersion,
		parameters: { targetSystem: psa, ...parameters } as INode['parameters'],
		...(withCredential ? { credentials: CREDENTIAL[psa] } : {}),
	};
}

async function plan(
	node: Omit<INode, 'id' | 'position'>,
	source: object[],
	target: object[],
): Promise<Awaited<ReturnType<typeof runWorkflow>>> {
	const fixture = (name: string, items: object[], y: number): INode => ({
		id: name,
		name,
		type: FIXTURE,
		typeVersion: 1,
		position: [200, y],
		parameters: { items: JSON.stringify(items) },
	});
	return await runWorkflow({
		pkg,
		credentials,
		mode: 'trigger',
		workflow: {
			id: 'pickers',
			nodes: [
				{
					id: 'Start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				fixture('Users', source, -100),
				fixture('Contacts', target, 100),
				{ id: 'Reconcile', position: [400, 0], ...node } as INode,
			],
			connections: {
				Start: {
					main: [
						[
							{ node: 'Users', type: 'main', index: 0 },
							{ node: 'Contacts', type: 'main', index: 0 },
						],
					],
				},
				Users: { main: [[{ node: 'Reconcile', type: 'main', index: 0 }]] },
				Contacts: { main: [[{ node: 'Reconcile', type: 'main', index: 1 }]] },
			},
		},
	});
}

describe.each(['autotask', 'connectwise'] as const)('Contact Reconcile v2 for %s', (psa) => {
	const method = psa === 'autotask' ? 'searchAutotaskCompanies' : 'searchConnectWiseCompanies';
	const system = psa;

	test('the company picker lists the PSA companies by name and searches', async () => {
		const node = reconcile({ companyId: { __rl: true, mode: 'list', value: '' } }, 2, psa);
		const all = await listSearch({ pkg, credentials, node }, method);
		const expected = companies(psa);
		expect(all.results.map((r) => r.value).sort()).toEqual(expected.map((c) => c.id).sort());
		for (const result of all.results)
			expect(result.name).toContain(expected.find((c) => c.id === result.value)!.name);
		const [first] = expected.filter((c) => c.id !== '0');
		const found = await listSearch({ pkg, credentials, node }, method, first.name.slice(0, 6));
		expect(found.results.map((r) => r.value)).toContain(first.id);
	});

	test('a picked company plans creates into it; a saved version 1 node with a typed id still plans', async () => {
		const [company] = companies(psa).filter((c) => c.id !== '0');
		const picked = {
			__rl: true,
			mode: 'list',
			value: company.id,
			cachedResultName: `${company.name} (${company.id})`,
		};
		for (const [version, companyId] of [
			[2, picked],
			[1, company.id],
		] as const) {
			const result = await plan(reconcile({ companyId }, version, psa), [user('nia')], []);
			expect(result.status).toBe('success');
			expect(result.json('Reconcile', 0)).toEqual([
				expect.objectContaining({ action: 'create', companyId: company.id, targetSystem: system }),
			]);
		}
	});

	test('the wrong-company refusal names both companies', async () => {
		const [mine, other] = companies(psa).filter((c) => c.id !== '0');
		const picked = { __rl: true, mode: 'id', value: mine.id };
		const result = await plan(
			reconcile({ companyId: picked }, 2, psa),
			[user('nia')],
			[contact(1, 'jane', { system, companyId: other.id })],
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`company ${mine.id} (${mine.name})`);
		expect(result.error?.message).toContain(`company ${other.id} (${other.name})`);
	});
});
