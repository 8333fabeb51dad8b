/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The shipped seed. */
export const DEFAULT_SEED_DIR = path.join(__dirname, '..', 'seed', 'default');

/**
 * A seed is a folder of JSON arrays in each vendor's own response shape; a missing file is an
 * empty array. The same layout is written when the sandbox dumps its state.
 */
export const SEED_FILES = {
	graph: ['users'],
	autotask: [
		'companies',
		'contacts',
		'resources',
		'tickets',
		'ticketNotes',
		'configurationItems',
		'timeEntries',
		'picklists',
		'ticketWebhooks',
		'ticketEvents',
	],
	connectwise: ['companies', 'contacts', 'communicationTypes'],
	datto: ['sites', 'devices', 'alerts', 'webhooks'],
} as const;

export type SeedVendor = keyof typeof SEED_FILES;
export type Seed = { [V in SeedVendor]: Record<(typeof SEED_FILES)[V][number], unknown[]> };

export function emptySeed(): Seed {
	const seed = {} as Record<string, Record<string, unknown[]>>;
	for (const [vendor, files] of Object.entries(SEED_FILES)) {
		seed[vendor] = {};
		for (const file of files) seed[vendor][file] = [];
	}
	return seed as Seed;
}

export function readSeed(directory: string): Seed {
	const seed = emptySeed() as unknown as Record<string, Record<string, unknown[]>>;
	for (const [vendor, files] of Object.entries(SEED_FILES)) {
		for (const file of files) {
			const filePath = path.join(directory, vendor, `${file}.json`);
			if (!fs.existsSync(filePath)) continue;
			const parsed = JSON.parse(fs.readFileSync(filePath, 'utf8')) as unknown;
			if (!Array.isArray(parsed)) throw new Error(`${filePath} must hold a JSON array`);
			seed[vendor][file] = parsed;
		}
	}
	return seed as unknown as Seed;
}

export function writeSeed(directory: string, seed: Seed): void {
	for (const [vendor, files] of Object.entries(seed)) {
		fs.mkdirSync(path.join(directory, vendor), { recursive: true });
		for (const [file, rows] of Object.entries(files as Record<string, unknown[]>)) {
			fs.writeFileSync(
				path.join(directory, vendor, `${file}.json`),
				`${JSON.stringify(rows, null, 2)}\n`,
			);
		}
	}
}
