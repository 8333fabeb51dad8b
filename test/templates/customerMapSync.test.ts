import type { IDataObject } from 'n8n-workflow';

import { parseCustomerMap } from '../../lib/customers/map';
import { normalizeEmail } from '../../lib/contacts/normalize';
import { customerMapRows } from '../../dev/customerMap';
import { psaContacts } from '../../dev/psaState';
import type { Psa } from '../../dev/psaState';
import { CredentialStore } from '../../dev/runner/credentials';
import { StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowResult } from '../../dev/runner/engine';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';
import { dataTables } from '../../dev/runner/standInNodes';
import {
	CUSTOMER_MAP_TABLE,
	everyCustomerContactTemplate,
	readTemplate,
	scheduledRun,
} from '../../dev/templates';
import { DEFAULT_SEED_DIR, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { readScenario } from '../../sandbox/scenario';

/**
 * The map-driven contact templates (workflows/office365-to-<psa>-contacts-every-customer.json)
 * over the shipped seed's customer map, through real HTTP against the sandbox: every customer
 * with contact sync on and a company in the PSA is synced into its own company from its own
 * tenant, a second run changes nothing, and one broken customer (a tenant without consent, an
 * unknown company, a tripped company guard) fails alone while the others end exactly as they
 * end without it. Expectations come from the seed and the map, not from numbers written here.
 */
const pkg = loadSourcePackage();
const scenario = readScenario(DEFAULT_SEED_DIR);
const WRITERS = ['Create Contact', 'Update Contact', 'Deactivate Contact', 'Reactivate Contact'];

interface Run {
	sandbox: Sandbox;
	result: WorkflowResult;
	staticData: StaticDataStore;
}

const running: Sandbox[] = [];
afterEach(async () => {
	for (const sandbox of running.splice(0)) await sandbox.stop();
});

async function start(): Promise<Sandbox> {
	const sandbox = await startSandbox();
	running.push(sandbox);
	return sandbox;
}

async function run(
	sandbox: Sandbox,
	psa: Psa,
	rows: IDataObject[],
	staticData = new StaticDataStore(),
): Promise<Run> {
	// One table per run, so tests running side by side never read each other's rows.
	const table = `${CUSTOMER_MAP_TABLE} ${Math.random()}`;
	dataTables.set(table, rows);
	const workflow = everyCustomerContactTemplate(psa, table);
	const result = await scheduledRun({
		pkg,
		credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
		workflow,
		staticData,
	});
	dataTables.delete(table);
	return { sandbox, result, staticData };
}

const companyColumn = (psa: Psa) =>
	psa === 'autotask' ? 'autotaskCompanyId' : 'connectwiseCompanyId';

/** The customers the PSA's template syncs: contact sync on, a tenant and a company in the PSA. */
function synced(rows: IDataObject[], psa: Psa) {
	return parseCustomerMap(rows).customers.filter(
		(customer) =>
			customer.contactSync && customer.tenant && customer[companyColumn(psa)] !== undefined,
	);
}

/** A company's contacts, comparable across two sandboxes (ids differ, values do not). */
function companyState(sandbox: Sandbox, psa: Psa, companyId: string): string[] {
	return psaContacts(sandbox, psa, companyId)
		.map((c) =>
			JSON.stringify([c.emails, c.firstName, c.lastName, c.title, c.phone, c.mobile, c.active]),
		)
		.sort();
}

function report(result: WorkflowResult): IDataObject[] {
	return result.json('Contact Sync Report');
}

describe.each(['autotask', 'connectwise'] as const)('every mapped customer into %s', (psa) => {
	const rows = customerMapRows(scenario, undefined as never);
	const customers = synced(rows, psa);

	test('imports as an n8n workflow: every parameter exists on its node; the readers continue on fail', () => {
		const workflow = readTemplate(`office365-to-${psa}-contacts-every-customer.json`);
		for (const node of workflow.nodes) {
			if (!node.type.startsWith('n8n-nodes-msp.')) {
				expect([
					'n8n-nodes-base.scheduleTrigger',
					'n8n-nodes-base.manualTrigger',
					'n8n-nodes-base.stickyNote',
					'n8n-nodes-base.dataTable',
					'n8n-nodes-base.filter',
				]).toContain(node.type);
				continue;
			}
			const description = pkg.nodes[node.type.replace('n8n-nodes-msp.', '')].description;
			const names = new Set(description.properties.map((p) => p.name));
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
		}
		// A customer's failed read reaches Contact Reconcile as that customer's error item.
		for (const name of [
			'Microsoft 365 Users',
			psa === 'autotask' ? 'Autotask Contacts' : 'ConnectWise Contacts',
		])
			expect(workflow.nodes.find((node) => node.name === name)?.onError).toBe(
				'continueRegularOutput',
			);
	});

	test('one run syncs every customer into its own company; a second run changes nothing', async () => {
		expect(customers.length).toBeGreaterThan(1);
		const sandbox = await start();
		const first = await run(sandbox, psa, rows);
		expect(first.result.error?.message).toBeUndefined();
		expect(first.result.status).toBe('success');
		const names = report(first.result).map((line) => line.customer);
		expect([...names].sort()).toEqual(customers.map((c) => c.name).sort());

		for (const customer of customers) {
			const companyId = String(customer[companyColumn(psa)]);
			const users = sandbox.graph
				.users(customer.tenant)
				.filter(
					(user) =>
						user.accountEnabled !== false &&
						(user.assignedLicenses as unknown[] | undefined)?.length,
				)
				.map((user) => normalizeEmail(user.mail))
				.filter((mail) => customer.domains.some((domain) => mail.endsWith(`@${domain}`)));
			// Every in-scope user has a contact in the customer's own company, an active one unless
			// the row is create only (an inactive contact is then left as it is).
			const contacts = new Set(
				psaContacts(sandbox, psa, companyId)
					.filter((contact) => contact.active || !customer.updateExisting)
					.flatMap((contact) => contact.emails),
			);
			expect(users.filter((mail) => !contacts.has(mail))).toEqual([]);
		}

		const before = customers.map((c) => companyState(sandbox, psa, String(c[companyColumn(psa)])));
		const again = await run(sandbox, psa, rows, first.staticData);
		expect(again.result.status).toBe('success');
		for (const writer of WRITERS) expect(again.result.json(writer)).toEqual([]);
		expect(customers.map((c) => companyState(sandbox, psa, String(c[companyColumn(psa)])))).toEqual(
			before,
		);
	});

	test('one broken customer fails alone: a tenant without consent, a tripped company guard and an unknown company leave the others exactly as a run without them', async () => {
		const byName = (list: IDataObject[], name: string) => list.find((row) => row.name === name)!;
		const [healthy, brokenTenant, guarded] = [
			customers[1].name,
			customers[customers.length - 1].name,
			rows.find((row) => !synced([row], psa).length && row.tenant)?.name as string,
		];
		expect(guarded).toBeDefined();
		const others = customers.filter((c) => c.name !== brokenTenant);
		// The clean run: the same healthy customers, the broken ones switched off.
		const clean = rows.map((row) =>
			row.name === brokenTenant ? { ...row, contactSync: false } : row,
		);
		// Broken: the tenant's consent withdrawn; a customer pointed at a company that holds
		// another customer's contacts (the company check refuses it); a customer whose company
		// does not exist (every create fails).
		const otherCompany = psa === 'autotask' ? 29684105 : 254;
		const broken = [
			...rows.map((row) =>
				row.name === guarded
					? { ...row, contactSync: true, [companyColumn(psa)]: otherCompany }
					: row,
			),
			{
				...byName(rows, healthy),
				name: `${healthy} (typo)`,
				autotaskCompanyId: 29689999,
				connectwiseCompanyId: 259999,
				dattoSiteUids: '',
			},
		];

		const cleanSandbox = await start();
		const cleanRun = await run(cleanSandbox, psa, clean);
		expect(cleanRun.result.status).toBe('success');

		const sandbox = await start();
		const tenant = byName(rows, brokenTenant).tenant as string;
		sandbox.graph.tenant(tenant).consented = false;
		const otherBefore = companyState(sandbox, psa, String(otherCompany));
		const brokenBefore = companyState(
			sandbox,
			psa,
			String(customers.find((c) => c.name === brokenTenant)![companyColumn(psa)]),
		);
		const brokenRun = await run(sandbox, psa, broken);

		// The run looks failed, at the report, after everything else was written.
		expect(brokenRun.result.status).toBe('error');
		expect(brokenRun.result.error?.node).toBe('Contact Sync Report');
		const failed = new Set(
			brokenRun.result
				.json('Contact Reconcile', 5)
				.filter((json) => json.error)
				.map((json) => json.customer),
		);
		expect(failed).toEqual(new Set([brokenTenant, guarded]));
		// The report (built before the execution failed) names each broken customer.
		expect(brokenRun.result.error?.message).toContain('3 of');
		for (const name of [brokenTenant, guarded, `${healthy} (typo)`])
			expect(brokenRun.result.error?.description).toContain(`${name}:`);
		for (const customer of others)
			expect(brokenRun.result.error?.description).not.toContain(`${customer.name}:`);

		// The healthy customers end exactly as without the broken ones.
		for (const customer of others) {
			const companyId = String(customer[companyColumn(psa)]);
			expect([customer.name, companyState(sandbox, psa, companyId)]).toEqual([
				customer.name,
				companyState(cleanSandbox, psa, companyId),
			]);
		}
		// Nothing was written where the broken customers point.
		expect(companyState(sandbox, psa, String(otherCompany))).toEqual(otherBefore);
		expect(
			companyState(
				sandbox,
				psa,
				String(customers.find((c) => c.name === brokenTenant)![companyColumn(psa)]),
			),
		).toEqual(brokenBefore);
		expect(companyState(sandbox, psa, psa === 'autotask' ? '29689999' : '259999')).toEqual([]);
	});
});
