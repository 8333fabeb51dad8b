import type { Seed } from '../../sandbox/index';

/** What changed in the sandbox between two dumps, per vendor collection. */
export interface CollectionDiff {
	added: Array<Record<string, unknown>>;
	removed: Array<Record<string, unknown>>;
	changed: Array<{
		before: Record<string, unknown>;
		after: Record<string, unknown>;
		fields: string[];
	}>;
}

export type StateDiff = Record<string, CollectionDiff>;

function keyOf(row: Record<string, unknown>): string {
	const key = row.id ?? row.uid ?? row.alertUid;
	return key === undefined ? JSON.stringify(row) : String(key);
}

function stable(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(
					Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
				)
			: inner,
	);
}

/**
 * A vendor's collections as lists of rows: a collection kept by key (Graph's users per tenant,
 * `tenantUsers`) becomes one list per key, `tenantUsers.<tenant id>`.
 */
function collectionsOf(vendorSeed: unknown): Record<string, unknown[]> {
	const collections: Record<string, unknown[]> = {};
	for (const [name, value] of Object.entries((vendorSeed ?? {}) as Record<string, unknown>)) {
		if (Array.isArray(value)) collections[name] = value;
		else if (value && typeof value === 'object')
			for (const [key, rows] of Object.entries(value as Record<string, unknown>))
				collections[`${name}.${key}`] = Array.isArray(rows) ? rows : [rows];
	}
	return collections;
}

export function diffState(before: Seed, after: Seed): StateDiff {
	const diff: StateDiff = {};
	const vendors = new Set([...Object.keys(before), ...Object.keys(after)]);
	for (const vendor of vendors) {
		const beforeVendor = collectionsOf((before as unknown as Record<string, unknown>)[vendor]);
		const afterVendor = collectionsOf((after as unknown as Record<string, unknown>)[vendor]);
		for (const collection of new Set([...Object.keys(beforeVendor), ...Object.keys(afterVendor)])) {
			const oldRows = new Map(
				(beforeVendor[collection] ?? []).map((row) => [
					keyOf(row as Record<string, unknown>),
					row as Record<string, unknown>,
				]),
			);
			const newRows = new Map(
				(afterVendor[collection] ?? []).map((row) => [
					keyOf(row as Record<string, unknown>),
					row as Record<string, unknown>,
				]),
			);
			const entry: CollectionDiff = { added: [], removed: [], changed: [] };
			for (const [key, row] of newRows) {
				const old = oldRows.get(key);
				if (!old) {
					entry.added.push(row);
					continue;
				}
				if (stable(old) === stable(row)) continue;
				const fields = [...new Set([...Object.keys(old), ...Object.keys(row)])].filter(
					(field) => stable(old[field]) !== stable(row[field]),
				);
				entry.changed.push({ before: old, after: row, fields });
			}
			for (const [key, row] of oldRows) if (!newRows.has(key)) entry.removed.push(row);
			if (entry.added.length + entry.removed.length + entry.changed.length > 0)
				diff[`${vendor}.${collection}`] = entry;
		}
	}
	return diff;
}

export function describeDiff(diff: StateDiff): string {
	const lines = Object.entries(diff).map(
		([collection, entry]) =>
			`${collection}: +${entry.added.length} added, ~${entry.changed.length} changed, -${entry.removed.length} removed`,
	);
	return lines.length > 0 ? lines.join('; ') : 'no change';
}
