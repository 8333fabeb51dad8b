import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';

/** The shipped default seed through the node: the tenant the demo and the templates use. */
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox?.stop();
});

test('the default seed loads, reads through the node, and its renamed mobile type ("Cell") is found', async () => {
	const pkg = loadSourcePackage();
	const credentials = new CredentialStore(pkg.credentialTypes, {
		connectWiseManageApi: sandbox.credentials.connectWiseManageApi,
	});
	const seeded = sandbox.connectwise.contacts.filter((c) => c.company?.id === 250).length;
	expect(seeded).toBeGreaterThan(100);

	const workflow = singleNodeWorkflow({
		name: 'CW',
		type: `${PACKAGE_NAME}.connectWiseContact`,
		parameters: {
			resource: 'contact',
			operation: 'getAll',
			returnAll: true,
			filters: { companyId: '250', status: 'all' },
			options: { mobileTypeName: 'Cell' },
		},
		credentials: { connectWiseManageApi: { id: '1', name: 'ConnectWise sandbox' } },
	});
	const result = await runWorkflow({ pkg, credentials, workflow });
	expect(result.status).toBe('success');
	const contacts = result.json('CW');
	expect(contacts).toHaveLength(seeded);
	expect(contacts.some((c) => c.mobile !== '')).toBe(true);
	expect(contacts.every((c) => c.system === 'connectwise' && c.companyId === '250')).toBe(true);

	// Writing a mobile with the default type name fails clearly on this tenant.
	const create = singleNodeWorkflow({
		name: 'CW',
		type: `${PACKAGE_NAME}.connectWiseContact`,
		parameters: {
			resource: 'contact',
			operation: 'create',
			company: { __rl: true, mode: 'id', value: '250' },
			firstName: 'Test',
			additionalFields: { mobile: '4255550100' },
		},
		credentials: { connectWiseManageApi: { id: '1', name: 'ConnectWise sandbox' } },
	});
	const failed = await runWorkflow({ pkg, credentials, workflow: create });
	expect(failed.status).toBe('error');
	expect(failed.error?.message).toMatch(
		/"Mobile" does not exist in this ConnectWise tenant\. Its types are: .*Cell \(phone\)/,
	);
	expect(sandbox.contractViolations.filter((v) => v.vendor === 'connectwise')).toEqual([]);
});
