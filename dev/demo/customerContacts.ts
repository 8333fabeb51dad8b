import type { IDataObject } from 'n8n-workflow';

import { companyOf, parseCustomerMap } from '../../lib/customers/map';
import { customerMapRows } from '../customerMap';
import { PSA_NAMES, PSAS } from '../psaState';
import type { Psa } from '../psaState';
import { runWorkflow, StaticDataStore } from '../runner/engine';
import type { WorkflowResult } from '../runner/engine';
import { dataTables } from '../runner/standInNodes';
import { CUSTOMER_MAP_TABLE, everyCustomerContactTemplate } from '../templates';
import { callsByVendor, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, failureText, formatCalls, step, table } from './output';

const COUNTS = [
	'created',
	'updated',
	'deactivated',
	'reactivated',
	'unchanged',
	'needsReview',
	'heldBack',
	'errors',
] as const;

interface MapRound {
	result: WorkflowResult;
	report: IDataObject[];
	calls: Record<string, number>;
	writes: number;
}

async function runOnce(demo: DemoContext, psa: Psa, staticData: StaticDataStore) {
	const { sandbox } = demo;
	const from = lastSeq(sandbox);
	const result = await runWorkflow({
		pkg: demo.pkg,
		credentials: demo.credentials,
		workflow: everyCustomerContactTemplate(psa, CUSTOMER_MAP_TABLE),
		startNode: 'Every Hour',
		mode: 'trigger',
		staticData,
	});
	const writes = sandbox.log.entries.filter(
		(entry) =>
			entry.seq > from && entry.method !== 'GET' && !/\/query|\/token|oauth/i.test(entry.path),
	).length;
	// A failed execution still built its report: the error names the failing customers.
	const report = result.json('Contact Sync Report');
	return { result, report, calls: callsByVendor(sandbox, from), writes } satisfies MapRound;
}

/** Every customer of the map into one PSA through its every-customer template, run twice. */
async function syncMapped(demo: DemoContext, psa: Psa): Promise<string[]> {
	const name = PSA_NAMES[psa];
	const file = `office365-to-${psa}-contacts-every-customer.json`;
	const staticData = new StaticDataStore();
	const first = await step(
		`Every mapped customer → ${name}: running workflows/${file}`,
		async () => await runOnce(demo, psa, staticData),
	);
	const second = await step(
		`Every mapped customer → ${name}: running it again`,
		async () => await runOnce(demo, psa, staticData),
	);
	const header = [
		'customer',
		'run',
		...COUNTS.map((count) => count.replace('needsReview', 'review')),
	];
	const rows: string[][] = [];
	for (const [label, round] of [
		['first', first],
		['again', second],
	] as const) {
		for (const line of round.report)
			rows.push([String(line.customer), label, ...COUNTS.map((count) => String(line[count] ?? 0))]);
	}
	rows.sort((a, b) => a[0].localeCompare(b[0]) || (a[1] === 'first' ? -1 : 1));
	const lines = [
		`  ${name}: ${first.report.length} customer(s); API calls ${formatCalls(first.calls)}, then ${formatCalls(second.calls)}`,
		...table([header, ...rows]).map((line) => line.trimEnd()),
	];
	const failed = [first, second].find((round) => round.result.status !== 'success');
	if (failed)
		throw new DemoFailure(
			`${name}: workflows/${file} failed: ${failed.result.error?.message ?? failed.result.status}${failed.result.error?.description ? ` (${failed.result.error.description})` : ''}`,
			lines,
		);
	const changed = second.report.filter((line) =>
		['created', 'updated', 'deactivated', 'reactivated'].some((count) => Number(line[count]) > 0),
	);
	if (changed.length || second.writes)
		throw new DemoFailure(
			`${name}: the second run was expected to change nothing, but ${changed.map((line) => String(line.customer)).join(', ') || 'it'} made ${second.writes} write call(s)`,
			lines,
		);
	return lines;
}

/**
 * The customer map (scenario.json's `customers`) run by the every-customer contact templates:
 * each customer with contact sync on, a tenant and a company in a PSA is synced from one
 * workflow; the rows that are not say why.
 */
export const customerContactsSection: DemoSection = async (demo) => {
	if (!demo.scenario.customers?.length) return [];
	const rows = customerMapRows(demo.scenario, demo.sandbox);
	dataTables.set(CUSTOMER_MAP_TABLE, rows);
	const map = parseCustomerMap(rows);
	const report = [
		`Contact sync for every customer of the customer map (${map.customers.length} rows), one workflow per PSA:`,
	];
	for (const customer of map.customers) {
		const psas = PSAS.filter((psa) => companyOf(customer, psa) !== undefined);
		const why = !customer.contactSync
			? 'contact sync off'
			: !customer.tenant
				? 'no Microsoft 365 tenant'
				: !psas.length
					? 'no PSA company'
					: '';
		if (why) report.push(`  not synced: ${customer.name} (${why})`);
	}
	const failures: string[] = [];
	for (const psa of PSAS) {
		try {
			report.push(...(await syncMapped(demo, psa)));
		} catch (error) {
			failures.push(failureText(error));
			if (error instanceof DemoFailure) report.push(...error.report);
			report.push(`  ${PSA_NAMES[psa]}: FAILED: ${failureText(error)}`);
		}
	}
	report.push('');
	if (failures.length) throw new DemoFailure(failures.join('; '), report);
	return report;
};
