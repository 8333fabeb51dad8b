import type { IDataObject } from 'n8n-workflow';

import { parseCustomerMap } from '../../lib/customers/map';
import type { Customer } from '../../lib/customers/map';
import { CredentialStore } from '../runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../runner/engine';
import { PACKAGE_NAME } from '../runner/nodeTypes';
import { callsByVendor, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, formatCalls, step, table } from './output';

/**
 * The customer map (scenario.json's `customers`) checked against what the vendors say: Office 365
 * Users' Suggest Customer Map, run with the MSP's partner tenant over the PSA companies and Datto
 * sites, proposes rows from the evidence; every map row is compared with it and each mistake is
 * reported. Run twice: the same proposals, nothing written.
 */
async function suggestOnce(demo: DemoContext, credentials: CredentialStore) {
	const { sandbox } = demo;
	const from = lastSeq(sandbox);
	const input = [
		...sandbox.autotask.companies.filter((company) => company.id !== 0),
		...sandbox.connectwise.companies,
		...sandbox.datto.sites,
	].map((record) => structuredClone(record) as IDataObject);
	const result = await runWorkflow({
		pkg: demo.pkg,
		credentials,
		workflow: singleNodeWorkflow({
			name: 'Suggest Customer Map',
			type: `${PACKAGE_NAME}.office365Users`,
			parameters: {
				resource: 'customerTenant',
				operation: 'suggestCustomerMap',
				tenantSource: 'gdap',
			},
			credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph' } },
		}),
		input,
	});
	if (result.status !== 'success')
		throw new DemoFailure(`Suggest Customer Map did not finish: ${result.error?.message}`);
	const writes = sandbox.log.entries.filter(
		(entry) => entry.seq > from && entry.method !== 'GET' && !/token|oauth/i.test(entry.path),
	).length;
	return { out: result.json('Suggest Customer Map'), calls: callsByVendor(sandbox, from), writes };
}

/** What is wrong with one map row, judged against the suggestions. */
function findings(customer: Customer, suggestions: IDataObject[]): string[] {
	const found: string[] = [];
	if (!customer.tenant) {
		found.push('no Microsoft 365 tenant');
		return found;
	}
	const tenant = customer.tenant.toLowerCase();
	const suggestion = suggestions.find(
		(s) =>
			String(s.tenant).toLowerCase() === tenant ||
			String(s.domains)
				.split(', ')
				.some((domain) => domain === tenant),
	);
	if (!suggestion) {
		found.push('tenant not among the GDAP customers (no active relationship)');
		return found;
	}
	for (const [psa, column] of [
		['autotask', 'autotaskCompanyId'],
		['connectwise', 'connectwiseCompanyId'],
	] as const) {
		const mapped = customer[column];
		const ambiguity = (suggestion.ambiguities as IDataObject[]).find((a) => a.what === psa);
		if (ambiguity)
			found.push(
				`${psa}: ${(ambiguity.candidates as IDataObject[]).map((c) => `${String(c.name)} (${String(c.id)})`).join(' and ')} share the evidence`,
			);
		else if (mapped === undefined && suggestion[column] === '') found.push(`no ${psa} company`);
		else if (mapped !== undefined && suggestion[column] !== '' && suggestion[column] !== mapped)
			found.push(`${psa}: the map says ${mapped}, the evidence ${String(suggestion[column])}`);
	}
	if (customer.dattoSiteUids.length && customer.autotaskCompanyId === undefined)
		found.push('a Datto site but no PSA company');
	return found;
}

export const customersSection: DemoSection = async (demo) => {
	const rows = demo.scenario.customers;
	if (!rows?.length) return [];
	const map = parseCustomerMap(rows);
	const partner = demo.sandbox.graph.partnerTenant();
	if (!partner)
		return ['Customer map: the seed has no GDAP partner tenant to check it against.', ''];
	const credentials = new CredentialStore(demo.credentials.types, {
		...Object.fromEntries(demo.credentials.data),
		microsoftGraphAppApi: {
			...demo.credentials.data.get('microsoftGraphAppApi'),
			tenantId: partner.id,
		},
	});
	const first = await step(
		`Customer map: Suggest Customer Map over the GDAP customers, ${map.customers.length} map rows`,
		async () => await suggestOnce(demo, credentials),
	);
	const again = await step(
		'Customer map: suggesting again',
		async () => await suggestOnce(demo, credentials),
	);
	if (JSON.stringify(first.out) !== JSON.stringify(again.out) || first.writes || again.writes)
		throw new DemoFailure(
			`Suggest Customer Map was expected to propose the same and write nothing (writes: ${first.writes}, ${again.writes})`,
		);

	const suggestions = first.out.filter((json) => !json.unmatched);
	const mapped = new Set(map.customers.flatMap((c) => c.dattoSiteUids.map((u) => u.toLowerCase())));
	const header = [
		'customer',
		'tenant',
		'Autotask',
		'ConnectWise',
		'sites',
		'contact sync',
		'found',
	];
	const lines = map.customers.map((customer) => {
		const found = findings(customer, suggestions);
		return [
			customer.name,
			customer.tenant
				? customer.tenant.length > 20
					? `${customer.tenant.slice(0, 8)}…`
					: customer.tenant
				: '-',
			String(customer.autotaskCompanyId ?? '-'),
			String(customer.connectwiseCompanyId ?? '-'),
			String(customer.dattoSiteUids.length),
			customer.contactSync ? 'on' : 'off',
			found.join('; ') || 'ok',
		];
	});
	const unmappedSites = first.out.filter(
		(json) => json.unmatched === 'dattoSite' && !mapped.has(String(json.uid).toLowerCase()),
	);
	const report = [
		`Customer map (${map.customers.length} rows) checked against Microsoft 365 (GDAP), both PSAs and Datto RMM:`,
		...map.errors.map((error) => `  ${error.message}`),
		...table([header, ...lines]).map((line) => line.trimEnd()),
		`  ${suggestions.length} rows suggested from the evidence (${suggestions.filter((s) => s.confidence === 'high').length} high confidence); ${first.out.length - suggestions.length} tenants, companies or sites matched nothing${unmappedSites.length ? `, of them Datto sites in no map row: ${unmappedSites.map((s) => String(s.name)).join(', ')}` : ''}`,
		`  suggesting twice: the same ${suggestions.length} rows, ${formatCalls(first.calls)} each time, nothing written`,
		'',
	];
	return report;
};
