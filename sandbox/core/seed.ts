/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The shipped seed. */
export const DEFAULT_SEED_DIR = path.join(__dirname, '..', 'seed', 'default');

/**
 * A seed is a folder of JSON arrays in each vendor's own response shape; a missing file is an
 * empty array. The same layout is written when the sandbox dumps its state. Graph's one nested
 * part: when graph/tenants.json lists tenants, each tenant's users are in
 * graph/tenants/<tenant id>/users.json (and graph/users.json is ignored).
 */
export const SEED_FILES = {
	graph: ['users', 'tenants'],
	autotask: [
		'companies',
		'contacts',
		'resources',
		'tickets',
		'ticketNotes',
		'configurationItems',
		'timeEntries',
		'picklists',
		'fieldLengths',
		'ticketWebhooks',
		'ticketEvents',
		'products',
		'contracts',
		'configurationItemTypes',
		'contractServices',
		'contractServiceBundles',
	],
	connectwise: [
		'companies',
		'contacts',
		'communicationTypes',
		'tickets',
		'ticketNotes',
		'boards',
		'boardStatuses',
		'boardTypes',
		'boardSubTypes',
		'boardItems',
		'priorities',
		'sources',
		'configurations',
		'configurationTypes',
		'ticketConfigurations',
		'timeEntries',
		'callbacks',
		'ticketEvents',
	],
	datto: ['sites', 'devices', 'deviceAudits', 'alerts', 'webhooks'],
} as const;

export type SeedVendor = keyof typeof SEED_FILES;
export type Seed = { [V in SeedVendor]: Record<(typeof SEED_FILES)[V][number], unknown[]> } & {
	graph: {
		/** graph/tenants/<tenant id>/users.json, by tenant id (multi-tenant seeds only). */
		tenantUsers?: Record<string, unknown[]>;
	};
};

/** Where a tenant's users are in the seed layout. */
export function tenantUsersFile(directory: string, tenantId: string): string {
	return path.join(directory, 'graph', 'tenants', tenantId, 'users.json');
}

export function emptySeed(): Seed {
	const seed = {} as Record<string, Record<string, unknown[]>>;
	for (const [vendor, files] of Object.entries(SEED_FILES)) {
		seed[vendor] = {};
		for (const file of files) seed[vendor][file] = [];
	}
	return seed as Seed;
}

/** A seed file that cannot be used; the message names the file (and the row) and what is wrong. */
export class SeedError extends Error {
	constructor(
		readonly file: string,
		problem: string,
	) {
		super(`${file} ${problem}`);
		this.name = 'SeedError';
	}
}

/** "line 2, column 5" for a JSON.parse position ("… at position 13") in `text`. */
function where(text: string, message: string): string {
	const position = /at position (\d+)/.exec(message);
	if (!position) return '';
	const before = text.slice(0, Number(position[1]));
	const line = before.split('\n').length;
	return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

function readSeedFile(filePath: string): unknown[] {
	const text = fs.readFileSync(filePath, 'utf8');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		const message = (error as Error).message;
		throw new SeedError(
			filePath,
			`is not valid JSON${where(text, message)}: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
		);
	}
	if (!Array.isArray(parsed))
		throw new SeedError(filePath, 'must hold a JSON array of records ([{...}, ...])');
	const row = parsed.findIndex(
		(record) => !record || typeof record !== 'object' || Array.isArray(record),
	);
	if (row >= 0)
		throw new SeedError(
			filePath,
			`has record ${row + 1} = ${JSON.stringify(parsed[row])}: every record must be an object ({...})`,
		);
	return parsed;
}

/** Reads a seed folder; a file that is not a JSON array of objects is a SeedError naming it. */
export function readSeed(directory: string): Seed {
	const seed = emptySeed() as unknown as Record<string, Record<string, unknown[]>>;
	for (const [vendor, files] of Object.entries(SEED_FILES)) {
		for (const file of files) {
			const filePath = path.join(directory, vendor, `${file}.json`);
			if (!fs.existsSync(filePath)) continue;
			seed[vendor][file] = readSeedFile(filePath);
		}
	}
	const graph = seed.graph as unknown as Seed['graph'];
	if (graph.tenants.length) {
		graph.tenantUsers = {};
		graph.tenants.forEach((tenant, index) => {
			const id = (tenant as { id?: unknown }).id;
			if (typeof id !== 'string' || !id.trim() || /[\\/]|^\.\.?$/.test(id))
				throw new SeedError(
					path.join(directory, 'graph', 'tenants.json'),
					`has record ${index + 1} without a usable "id" (the tenant's GUID, which names its folder graph/tenants/<id>/)`,
				);
			const file = tenantUsersFile(directory, id);
			graph.tenantUsers![id] = fs.existsSync(file) ? readSeedFile(file) : [];
		});
	}
	return seed as unknown as Seed;
}

export function writeSeed(directory: string, seed: Seed): void {
	const write = (file: string, rows: unknown) => {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
	};
	for (const [vendor, files] of Object.entries(SEED_FILES)) {
		const rows = seed[vendor as SeedVendor] as Record<string, unknown[]>;
		for (const file of files) write(path.join(directory, vendor, `${file}.json`), rows[file] ?? []);
	}
	for (const [tenantId, users] of Object.entries(seed.graph.tenantUsers ?? {}))
		write(tenantUsersFile(directory, tenantId), users);
}
