import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/index';
import { DEFAULT_SEED_DIR } from '../../sandbox/core/seed';
import { readScenario } from '../../sandbox/scenario';
import { customerMapRows } from '../customerMap';
import { CUSTOMER_MAP_TABLE } from '../templates';
import { detail } from './progress';
import type { PublicApi } from './server';
import type { WorkflowJson } from './templates';

/**
 * The customer map as a real n8n Data Table, the way a user builds it: created through n8n's
 * public API (n8n 2.40.7: POST /api/v1/data-tables, then POST .../rows) in the owner's project,
 * with the rows the demo puts in its stand-in table, read from the sandbox's seed. The templates'
 * Data table node is then pointed at the table by id, as picking it from the node's list does.
 */

/** What the key creating and using the table needs, beside reading executions and workflows. */
export const DATA_TABLE_SCOPES = [
	'dataTable:create',
	'dataTable:list',
	'dataTable:read',
	'dataTableRow:create',
	'dataTableRow:read',
	'dataTableRow:delete',
	'workflow:update',
	'workflow:activate',
];

export interface DataTable {
	id: string;
	name: string;
	columns: Array<{ name: string; type: string }>;
	/** The rows as inserted. */
	data: IDataObject[];
}

type ColumnType = 'string' | 'number' | 'boolean';

/**
 * Columns in the order the rows first name them, typed by their values: a column whose every
 * value is a number (or boolean) is one; anything else is text.
 */
export function columnsOf(rows: IDataObject[]): Array<{ name: string; type: ColumnType }> {
	const types = new Map<string, Set<string>>();
	for (const row of rows)
		for (const [name, value] of Object.entries(row)) {
			const seen = types.get(name) ?? new Set<string>();
			if (value !== undefined && value !== null && value !== '') seen.add(typeof value);
			types.set(name, seen);
		}
	return [...types].map(([name, seen]) => ({
		name,
		type:
			seen.size === 1 && (seen.has('number') || seen.has('boolean'))
				? (([...seen][0] as ColumnType) ?? 'string')
				: 'string',
	}));
}

/** The customer map of the seed the sandbox was started from (its scenario's `customers`). */
export function seedCustomerMap(sandbox: Sandbox, seedDir = DEFAULT_SEED_DIR): IDataObject[] {
	return customerMapRows(readScenario(seedDir), sandbox);
}

/** Creates a Data Table with one column per field of `rows` and inserts the rows. */
export async function createDataTable(
	api: PublicApi,
	name: string,
	rows: IDataObject[],
): Promise<DataTable> {
	const columns = columnsOf(rows);
	const created = await api.post<{ id: string; name: string }>('/data-tables', { name, columns });
	const data = rows.map((row) =>
		Object.fromEntries(columns.map((column) => [column.name, row[column.name] ?? null])),
	);
	if (data.length > 0)
		await api.post(`/data-tables/${created.id}/rows`, { data, returnType: 'count' });
	const stored = await tableRows(api, created.id);
	if (stored.length !== rows.length)
		throw new Error(
			`Data Table "${name}" (${created.id}) holds ${stored.length} rows after inserting ${rows.length}`,
		);
	detail(
		`Data Table "${name}" created through POST /api/v1/data-tables as ${created.id}: ${columns.length} columns (${columns.map((column) => `${column.name} ${column.type}`).join(', ')}), ${rows.length} rows`,
	);
	return { id: created.id, name: created.name, columns, data };
}

/** Every row of a Data Table, as the public API returns them. */
export async function tableRows(api: PublicApi, tableId: string): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const page: { data: IDataObject[]; nextCursor?: string | null } = await api.get(
			`/data-tables/${tableId}/rows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		rows.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return rows;
}

/** The "Customer Map" table built from the seed's customer map. */
export async function createCustomerMap(api: PublicApi, sandbox: Sandbox): Promise<DataTable> {
	return await createDataTable(api, CUSTOMER_MAP_TABLE, seedCustomerMap(sandbox));
}

/**
 * Points every Data table node of the workflow at `table` by id (what choosing it "From list"
 * stores). Returns how many nodes it changed.
 */
export function pointAtDataTable(workflow: WorkflowJson, table: DataTable): number {
	let changed = 0;
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.dataTable' || node.disabled) continue;
		node.parameters = {
			...node.parameters,
			dataTableId: { __rl: true, mode: 'list', value: table.id, cachedResultName: table.name },
		};
		changed++;
	}
	return changed;
}

/**
 * Through the public API: the imported workflow re-pointed at `table` (and whatever else `adapt`
 * sets, as a user would in the editor), saved (PUT /workflows/:id) and published (POST /workflows/:id/activate), as a user saves and publishes it in the editor.
 */
export async function publishWithDataTable(
	api: PublicApi,
	workflowId: string,
	table: DataTable,
	adapt?: (workflow: WorkflowJson) => void,
): Promise<WorkflowJson> {
	const stored = await api.get<WorkflowJson & { settings?: Record<string, unknown> }>(
		`/workflows/${workflowId}`,
	);
	const changed = pointAtDataTable(stored, table);
	if (changed === 0) throw new Error(`workflow ${workflowId} has no Data table node to point at`);
	adapt?.(stored);
	await api.put(`/workflows/${workflowId}`, {
		name: stored.name,
		nodes: stored.nodes,
		connections: stored.connections,
		settings: stored.settings ?? {},
	});
	// A published workflow is published again by the PUT itself (n8n 2.40's publishIfActive).
	if (!stored.active) await api.post(`/workflows/${workflowId}/activate`, {});
	detail(
		`workflow ${workflowId}: ${changed} Data table node(s) pointed at "${table.name}" (${table.id}) with PUT /api/v1/workflows, ${stored.active ? 'published again by the PUT' : 'published with POST .../activate'}`,
	);
	return stored;
}
