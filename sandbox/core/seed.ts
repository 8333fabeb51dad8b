/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */
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
