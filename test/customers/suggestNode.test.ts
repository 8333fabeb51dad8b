import type { IDataObject } from 'n8n-workflow';

import { parseCustomerMap } from '../../lib/customers/map';
import { webDomain } from '../../lib/customers/suggest';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { DEFAULT_SEED_DIR, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { readScenario } from '../../sandbox/scenario';

/**
 * Microsoft 365 Users > Customer Tenant > Suggest Customer Map over the shipped seed: customer tenants
 * found through GDAP (the credential set to the MSP's partner tenant), matched to the PSA companies
 * and Datto sites given as input. Expectations come from the seed (its scenario.json map and its
 * records), not from numbers written here.
 */
const pkg = loadSourcePackage();
let sandbox: Sandbox;
let store: CredentialStore;
const scenario = readScenario(DEFAULT_SEED_DIR);
const map = parseCustomerMap(scenario.customers ?? []);
const customer = (name: string) => map.customers.find((c) => c.name === name)!;

beforeAll(async () => {
	sandbox = await startSandbox();
	store = new CredentialStore(pkg.credentialTypes, {
		microsoftGraphAppApi: {
			...sandbox.credentials.microsoftGraphAppApi,
			tenantId: sandbox.graph.partnerTenant()!.id,
		},
	});
});

afterAll(async () => {
	await sandbox.stop();
});

/** What an HTTP Request node (or a PSA company list) hands the node: the vendors' own records. */
function psaAndSites(): IDataObject[] {
	return [
		...sandbox.autotask.companies.filter((c) => c.id !== 0),
		...sandbox.connectwise.companies.filter((c) => c.name !== 'Northwind IT Services'),
		...sandbox.datto.sites,
	].map((record) => structuredClone(record) as IDataObject);
}

async function suggest(parameters: IDataObject, input: IDataObject[], continueOnFail = false) {
	const workflow = singleNodeWorkflow({
		name: 'Suggest',
		type: `${PACKAGE_NAME}.office365Users`,
		parameters: { resource: 'customerTenant', operation: 'suggestCustomerMap', ...parameters },
		credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph' } },
	});
	if (continueOnFail) workflow.nodes[1].onError = 'continueRegularOutput';
	return await runWorkflow({ pkg, credentials: store, workflow, input });
}

describe('Suggest Customer Map (Microsoft 365 Users, Customer Tenant)', () => {
	test("GDAP tenants matched to the seed's companies and sites: exact, ambiguous, unmatched", async () => {
		const result = await suggest({ tenantSource: 'gdap' }, psaAndSites());
		expect(result.status).toBe('success');
		const out = result.json('Suggest');
		const byTenant = (name: string) => out.find((json) => json.name === name && !json.unmatched);

		// Exact: Contoso's web address is a verified domain in both PSAs; its sites by their mapping.
		const contoso = customer('Contoso Ltd');
		expect(byTenant('Contoso Ltd')).toMatchObject({
			tenant: contoso.tenant,
			autotaskCompanyId: contoso.autotaskCompanyId,
			connectwiseCompanyId: contoso.connectwiseCompanyId,
			confidence: 'high',
			contactSync: false,
			ambiguities: [],
		});
		expect(String(byTenant('Contoso Ltd')!.dattoSiteUids).split(', ').sort()).toEqual(
			[...contoso.dattoSiteUids].sort(),
		);

		// Ambiguous: every company on Fabrikam's web domain is a candidate, none is chosen.
		const fabrikam = byTenant('Fabrikam, Inc.')!;
		const onFabrikamDomain = sandbox.autotask.companies.filter(
			(c) => webDomain(String(c.webAddress)) === 'fabrikam.com',
		);
		expect(onFabrikamDomain.length).toBeGreaterThan(1);
		expect(fabrikam.autotaskCompanyId).toBe('');
		const ambiguities = fabrikam.ambiguities as IDataObject[];
		expect(ambiguities.find((a) => a.what === 'autotask')!.candidates).toEqual(
			onFabrikamDomain.map((c) => ({ id: c.id, name: c.companyName })),
		);

		// Unmatched: the lapsed GDAP tenant is not discovered, so its companies and site are left;
		// a company without a tenant too. A tenant with a site but no company gets only the site.
		const unmatchedNames = out.filter((json) => json.unmatched).map((json) => json.name);
		expect(unmatchedNames).toEqual(
			expect.arrayContaining(['Tailspin Toys', 'Alpine Ski House', 'Tailspin Toys (Spokane)']),
		);
		expect(byTenant('Tailspin Toys')).toBeUndefined();
		expect(byTenant('Wingtip Toys')).toMatchObject({
			autotaskCompanyId: '',
			connectwiseCompanyId: '',
			dattoSiteUids: customer('Wingtip Toys').dattoSiteUids.join(', '),
			confidence: 'low',
		});
		// Every suggestion is a row the customer map reads.
		expect(parseCustomerMap(out.filter((json) => !json.unmatched)).errors).toEqual([]);
		// Writes nothing: Graph reads only.
		expect(sandbox.log.entries.filter((e) => e.method !== 'GET' && !/token/.test(e.path))).toEqual(
			[],
		);
	});

	test('a listed tenant that cannot be read is reported on its own; the others are still matched', async () => {
		const result = await suggest(
			{ tenantSource: 'list', tenantList: `adventure-works.com, nosuchtenant.example` },
			psaAndSites(),
		);
		expect(result.status).toBe('success');
		const out = result.json('Suggest');
		expect(
			out.find((json) => json.name === 'Adventure Works Cycles' && !json.unmatched),
		).toMatchObject({ autotaskCompanyId: customer('Adventure Works Cycles').autotaskCompanyId });
		const failed = out.find((json) => json.tenant === 'nosuchtenant.example')!;
		expect(failed.unmatched).toBe('tenant');
		expect(String(failed.error)).toMatch(/AADSTS90002|tenant/i);
	});

	test('an input item that is not a company, contact or site fails the run naming it (or is an error item with Continue On Fail)', async () => {
		const input = [...psaAndSites().slice(0, 2), { hello: 'world' }];
		const failed = await suggest({ tenantSource: 'gdap' }, input);
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toBe(
			'Item 2 is neither a PSA company, a PSA contact nor a Datto RMM site',
		);
		const kept = await suggest({ tenantSource: 'gdap' }, input, true);
		expect(kept.status).toBe('success');
		expect(kept.json('Suggest')[0]).toMatchObject({
			error: 'Item 2 is neither a PSA company, a PSA contact nor a Datto RMM site',
		});
	});
});
