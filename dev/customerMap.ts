import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox';
import type { Scenario } from '../sandbox/scenario';

/**
 * The customer map rows the demo and the tests put in the "Customer Map" Data Table: the
 * scenario's `customers`, or, for a seed whose scenario has none, one row per Autotask company
 * that Datto's own site mapping names (its sites as dattoSiteUids), the way an MSP moving from the
 * native integration would start the map. A site the native mapping leaves out stays unmapped.
 */
export function customerMapRows(scenario: Scenario, sandbox: Sandbox): IDataObject[] {
	// A Data Table column holds text, numbers or booleans: lists become comma-separated text.
	if (scenario.customers)
		return scenario.customers.map((row) =>
			Object.fromEntries(
				Object.entries(row).map(([column, value]) => [
					column,
					Array.isArray(value) ? value.join(', ') : value,
				]),
			),
		) as IDataObject[];
	const byCompany = new Map<number, string[]>();
	for (const site of sandbox.datto.sites) {
		const companyId = Number(site.autotaskCompanyId);
		if (!Number.isSafeInteger(companyId) || companyId <= 0) continue;
		byCompany.set(companyId, [...(byCompany.get(companyId) ?? []), site.uid]);
	}
	return [...byCompany].map(([companyId, sites]) => {
		const company = sandbox.autotask.companies.find((row) => Number(row.id) === companyId);
		return {
			name: String(company?.companyName ?? `Company ${companyId}`),
			autotaskCompanyId: companyId,
			dattoSiteUids: sites.join(', '),
		};
	});
}
