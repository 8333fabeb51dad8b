/**
 * RMM Alert to Ticket version 3 (issue 16): Site to Company picks the Datto RMM site and the PSA
 * company from lists (resource locators with list search), as Contact Reconcile's company
 * picker does; saved version 1 and 2 workflows keep their typed rows and work as before.
 * Against the default seed's sites and companies, read from the sandbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { editorCall as callEditorMethod } from '../support/editorCall';
import { alertNode, delivery, harness, NODE, SEED, ticket, webhook } from './helpers';
import type { AlertHarness } from './helpers';

let sandbox: Sandbox;
let h: AlertHarness;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});
afterAll(async () => await sandbox.stop());

const CALM = { options: { stormPerDevice: 0, stormPerSite: 0 } };

async function listSearch(version: number, method: string, filter?: string) {
	return (await callEditorMethod(
		{
			pkg: h.pkg,
			credentials: h.credentials,
			node: { ...alertNode({ operation: 'handleTrigger' }), typeVersion: version },
			kind: 'listSearch',
			method,
			path: 'parameters.siteCompanies',
		},
		filter,
	)) as { results: Array<{ name: string; value: string }> };
}

async function deliver(version: number, parameters: INodeParameters, alertUid: string) {
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: singleNodeWorkflow({
			...alertNode({ ...CALM, ...parameters }),
			typeVersion: version,
		}),
		input: [webhook(h, alertUid, 'raised')],
	});
	return delivery(result, NODE);
}

function tailspinAlert(service: string) {
	const device = sandbox.datto.devices.find((d) => d.uid.startsWith('0ec556dd'))!;
	return sandbox.datto.raiseAlert({
		deviceUid: device.uid,
		alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
	});
}

test('the site picker lists the Datto RMM sites by name (saying how Datto maps each) and searches them', async () => {
	const all = await listSearch(3, 'searchDattoSites');
	expect(all.results.map((r) => r.value).sort()).toEqual(
		sandbox.datto.sites.map((s) => s.uid).sort(),
	);
	const tailspin = sandbox.datto.sites.find((s) => s.uid.startsWith(SEED.tailspinSite))!;
	const found = await listSearch(3, 'searchDattoSites', String(tailspin.name).slice(0, 5));
	expect(found.results.map((r) => r.value)).toContain(tailspin.uid);
	expect(found.results.length).toBeLessThan(all.results.length);
	const contosoHq = all.results.find((r) => r.value === SEED.contosoHq)!;
	expect(contosoHq.name).toMatch(/\(Autotask: .+\)$/);
});

test("version 3: a site and a company picked from the lists map the site's alerts to that company; saved version 2 rows still do", async () => {
	const site = sandbox.datto.sites.find((s) => s.uid.startsWith(SEED.tailspinSite))!.uid;
	const companies = await listSearch(3, 'searchCompanies', 'Tailspin');
	const company = companies.results.find((r) => r.value === String(SEED.tailspinCompany))!;
	expect(company).toBeDefined();

	const picked = await deliver(
		3,
		{
			siteCompanies: {
				mappings: [
					{
						site: { __rl: true, mode: 'list', value: site, cachedResultName: 'Tailspin' },
						companyId: {
							__rl: true,
							mode: 'list',
							value: company.value,
							cachedResultName: company.name,
						},
					},
				],
			},
		},
		tailspinAlert('PickerV3').alertUid,
	);
	expect(picked.result.error?.message).toBeUndefined();
	expect(ticket(h, picked.created[0].ticketId).companyID).toBe(SEED.tailspinCompany);

	// By UID and by ID work the same.
	const typed = await deliver(
		3,
		{
			siteCompanies: {
				mappings: [
					{
						site: { __rl: true, mode: 'id', value: site },
						companyId: { __rl: true, mode: 'id', value: String(SEED.tailspinCompany) },
					},
				],
			},
		},
		tailspinAlert('TypedV3').alertUid,
	);
	expect(ticket(h, typed.created[0].ticketId).companyID).toBe(SEED.tailspinCompany);

	// A workflow saved with version 2 keeps its plain site and company number.
	const saved = await deliver(
		2,
		{
			operation: 'processAlert',
			siteCompanies: { mappings: [{ site, companyId: SEED.tailspinCompany }] },
		},
		tailspinAlert('SavedV2').alertUid,
	);
	expect(ticket(h, saved.created[0].ticketId).companyID).toBe(SEED.tailspinCompany);

	// Without the row the site's alerts go to the catch-all company: the row is what mapped them.
	const unmapped = await deliver(3, {}, tailspinAlert('NoRow').alertUid);
	expect(ticket(h, unmapped.created[0].ticketId).companyID).toBe(SEED.ownCompany);
});

test('version 3 shows the pickers, versions 1 and 2 the typed table', () => {
	const properties = h.pkg.nodes.rmmAlertToTicket.description.properties.filter(
		(p) => p.name === 'siteCompanies',
	);
	const values = (version: number) => {
		const property = properties.find((p) =>
			JSON.stringify(p.displayOptions?.show?.['@version']).includes(
				version >= 3 ? '_cnd' : String(version),
			),
		)!;
		return (property.options as unknown as Array<{ values: IDataObject[] }>)[0].values.map(
			(v) => v.type,
		);
	};
	expect(values(3)).toEqual(['resourceLocator', 'resourceLocator']);
	expect(values(2)).toEqual(['options', 'number']);
	expect(values(1)).toEqual(['options', 'number']);
});
