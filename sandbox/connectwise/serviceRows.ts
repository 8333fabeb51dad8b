/**
 * The rows of ConnectWise's service desk, who changes them, what the desk needs of the rest of the
 * PSA, and the look-ups every part of the desk shares (by id, by reference, next id, sort order).
 */
export type ServiceRow = Record<string, unknown>;

export interface Reference {
	id?: unknown;
	name?: unknown;
	identifier?: unknown;
}

/** Who makes a change: an API member (its key) or a technician. */
export interface Member {
	identifier: string;
	/** Numeric member id, when known (API keys carry one). */
	id?: number;
}

export interface ServiceDeps {
	companyFor(reference: unknown): { id: number; identifier: string; name: string } | undefined;
	contactExists(id: unknown): boolean;
	/** The PSA's login company id (sent in callbacks). */
	companyId: string;
	/** The PSA's own base URL (sent in callbacks). */
	baseUrl(): string;
}

export function byId(rows: ServiceRow[], id: unknown): ServiceRow | undefined {
	if (id === undefined || id === null || id === '') return undefined;
	return rows.find((row) => Number(row.id) === Number(id));
}

/** A reference (`{id}` or `{name}`) resolved among `rows`. */
export function findRef(rows: ServiceRow[], reference: unknown): ServiceRow | undefined {
	if (!reference || typeof reference !== 'object') return undefined;
	const { id, name } = reference as Reference;
	if (id !== undefined && id !== null) return byId(rows, id);
	if (typeof name === 'string' && name.trim())
		return rows.find((row) => String(row.name ?? '').toLowerCase() === name.trim().toLowerCase());
	return undefined;
}

export function ref(row: ServiceRow): ServiceRow {
	return { id: row.id, name: row.name };
}

export function configurationReference(configuration: ServiceRow): ServiceRow {
	return {
		id: configuration.id,
		deviceIdentifier: configuration.deviceIdentifier ?? '',
		_info: { configuration_href: `/company/configurations/${String(configuration.id)}` },
	};
}

export function sortByOrder(rows: ServiceRow[]): ServiceRow[] {
	return [...rows].sort(
		(a, b) => Number(a.sortOrder ?? 0) - Number(b.sortOrder ?? 0) || Number(a.id) - Number(b.id),
	);
}

export function nextId(rows: Array<{ id?: unknown }>, start: number): number {
	return rows.reduce((max, row) => Math.max(max, Number(row.id) || 0), start - 1) + 1;
}

export function now(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
