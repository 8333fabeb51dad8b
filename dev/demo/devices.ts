import type { IDataObject } from 'n8n-workflow';

import { customerMapRows } from '../customerMap';
import { runWorkflow } from '../runner/engine';
import type { WorkflowResult } from '../runner/engine';
import { dataTables } from '../runner/standInNodes';
import { CUSTOMER_MAP_TABLE, DEVICE_TEMPLATE, deviceSyncTemplate } from '../templates';
import { callsByVendor, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, formatCalls, step, table } from './output';

const NODE = 'Sync Devices';
const COLUMNS = ['created', 'updated', 'deactivated', 'unchanged', 'needs review'] as const;

interface DeviceRun {
	result: WorkflowResult;
	/** Per customer: items on each of the first five outputs. */
	byCustomer: Map<string, number[]>;
	unmapped: IDataObject[];
	writes: number;
	calls: Record<string, number>;
}

async function syncOnce(
	demo: DemoContext,
	workflow: ReturnType<typeof deviceSyncTemplate>,
): Promise<DeviceRun> {
	const { sandbox } = demo;
	const from = lastSeq(sandbox);
	const result = await runWorkflow({
		pkg: demo.pkg,
		credentials: demo.credentials,
		workflow,
		startNode: 'Every 6 Hours',
		mode: 'trigger',
		staticData: demo.staticData,
	});
	if (result.status !== 'success') {
		throw new DemoFailure(
			`${DEVICE_TEMPLATE} did not finish: ${result.error?.message ?? result.status}${result.error?.description ? `\n${result.error.description}` : ''}`,
		);
	}
	const byCustomer = new Map<string, number[]>();
	COLUMNS.forEach((_, output) => {
		for (const json of result.json(NODE, output)) {
			const customer = typeof json.customer === 'string' ? json.customer : '(no customer)';
			const counts = byCustomer.get(customer) ?? COLUMNS.map(() => 0);
			counts[output]++;
			byCustomer.set(customer, counts);
		}
	});
	const writes = sandbox.log.entries.filter(
		(entry) =>
			entry.seq > from &&
			entry.vendor === 'autotask' &&
			entry.method !== 'GET' &&
			/\/ConfigurationItems$/i.test(entry.path),
	).length;
	return {
		result,
		byCustomer,
		unmapped: result.json(NODE, 5),
		writes,
		calls: callsByVendor(sandbox, from),
	};
}

/** The scenario's contract rules must name contracts of the companies they are given for. */
function checkContracts(demo: DemoContext): void {
	for (const rule of demo.scenario.deviceSync?.contracts ?? []) {
		const contract = demo.sandbox.autotask.deviceRows.contracts.find(
			(row) => Number(row.id) === rule.contractId,
		);
		if (!contract)
			throw new DemoFailure(
				`scenario.json: deviceSync.contracts names contract ${rule.contractId}, which the seed's autotask/contracts.json does not have`,
			);
		if (Number(contract.companyID) !== rule.companyId)
			throw new DemoFailure(
				`scenario.json: deviceSync.contracts gives contract ${rule.contractId} for company ${rule.companyId}, but it is company ${String(contract.companyID)}'s`,
			);
	}
}

/**
 * Datto RMM devices → Autotask configuration items through the device template, for every
 * customer of the map, twice: the second run must write nothing.
 */
export const deviceSection: DemoSection = async (demo) => {
	const { sandbox, scenario } = demo;
	checkContracts(demo);
	const rows = customerMapRows(scenario, sandbox);
	dataTables.set(CUSTOMER_MAP_TABLE, rows);
	const workflow = deviceSyncTemplate(scenario);
	const itemsBefore = sandbox.autotask.configurationItems.length;
	const first = await step(
		`Datto RMM → Autotask: ${sandbox.datto.devices.length} devices of ${rows.length} mapped customer(s) through workflows/${DEVICE_TEMPLATE}`,
		async () => await syncOnce(demo, workflow),
	);
	const itemsAfter = sandbox.autotask.configurationItems.length;
	const second = await step(
		'Datto RMM → Autotask: the same device sync again',
		async () => await syncOnce(demo, workflow),
	);
	const changed = [...second.byCustomer.values()].reduce(
		(sum, counts) => sum + counts[0] + counts[1] + counts[2],
		0,
	);
	if (second.writes !== 0 || changed !== 0) {
		throw new DemoFailure(
			`The second device sync wrote ${second.writes} time(s) (${changed} created, updated or deactivated item(s)); expected nothing`,
		);
	}

	const customers = [...first.byCustomer.keys()].sort((a, b) =>
		a === '(no customer)' ? 1 : b === '(no customer)' ? -1 : a.localeCompare(b),
	);
	const lines = [
		'Datto RMM devices → Autotask configuration items:',
		...table([
			['customer', ...COLUMNS],
			...customers.map((customer) => [customer, ...first.byCustomer.get(customer)!.map(String)]),
		]),
	];
	for (const entry of first.unmapped)
		lines.push(
			`  unmapped: ${String(entry.message)}${Number(entry.devices) ? ` (${String(entry.devices)} device(s))` : ''}`,
		);
	lines.push(
		`  Autotask configuration items: ${itemsBefore} before, ${itemsAfter} after; API calls ${formatCalls(first.calls)}`,
		`  second run: ${second.writes} writes, ${[...second.byCustomer.values()].reduce((sum, counts) => sum + counts[3], 0)} unchanged; API calls ${formatCalls(second.calls)}`,
		'',
	);
	return lines;
};
