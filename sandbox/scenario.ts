/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * `scenario.json`, the seed layout's one settings file: which company and domains the demo's
 * contact sync targets. One type, one reader, one writer for the demo, the benchmarks, the sandbox
 * CLI and the seed generator.
 *
 *   {"contactSync": {"autotaskCompanyId", "connectwiseCompanyId", "domains", "updateExisting", "mode"}}
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from './core/seed';

/** Contact Reconcile's Mode parameter. */
export type ContactSyncMode = 'changes' | 'mirror';

export interface Scenario {
	contactSync: {
		autotaskCompanyId: number;
		connectwiseCompanyId: number;
		/** E-mail domains to sync; an empty list syncs every user. */
		domains: string[];
		/** Contact Reconcile's Update Existing Contacts (absent in the file: false, the node's default). */
		updateExisting: boolean;
		/** Absent in the file: 'changes', the node's default. */
		mode: ContactSyncMode;
	};
}

export const SCENARIO_FILE = 'scenario.json';
/** Used for a seed folder without a scenario: the shipped seed's. */
export const DEFAULT_SCENARIO_FILE = path.join(DEFAULT_SEED_DIR, SCENARIO_FILE);

const SHAPE =
	'{"contactSync": {"autotaskCompanyId", "connectwiseCompanyId", "domains", "updateExisting", "mode"}}';

/** A scenario file that cannot be used; the message names the file and the field. */
export class ScenarioError extends Error {
	constructor(
		readonly file: string,
		readonly field: string | undefined,
		problem: string,
	) {
		super(field ? `${file}: ${field} ${problem}` : `${file} ${problem}`);
		this.name = 'ScenarioError';
	}
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
	value === undefined ? 'missing' : `${JSON.stringify(value)}`;

function companyId(file: string, field: string, value: unknown): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const id = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
	if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
	throw new ScenarioError(
		file,
		field,
		`is ${describe(value)}: it must be the PSA company's id, a whole number such as 29684101`,
	);
}

/** Checks a parsed scenario.json; `file` names it in errors. */
export function parseScenario(value: unknown, file: string): Scenario {
	if (!isRecord(value) || !isRecord(value.contactSync)) {
		throw new ScenarioError(
			file,
			'contactSync',
			`is ${describe(isRecord(value) ? value.contactSync : value)}: the file must hold ${SHAPE}`,
		);
	}
	const sync = value.contactSync;
	const domains = sync.domains;
	if (
		!Array.isArray(domains) ||
		!domains.every((domain) => typeof domain === 'string' && domain.trim() !== '')
	) {
		throw new ScenarioError(
			file,
			'contactSync.domains',
			`is ${describe(domains)}: it must list the e-mail domains to sync, e.g. ["contoso.com"] ([] syncs every user)`,
		);
	}
	const updateExisting = sync.updateExisting ?? false;
	if (typeof updateExisting !== 'boolean') {
		throw new ScenarioError(
			file,
			'contactSync.updateExisting',
			`is ${describe(updateExisting)}: it must be true or false`,
		);
	}
	const mode = sync.mode ?? 'changes';
	if (mode !== 'changes' && mode !== 'mirror') {
		throw new ScenarioError(
			file,
			'contactSync.mode',
			`is ${describe(mode)}: it must be "changes" or "mirror"`,
		);
	}
	return {
		contactSync: {
			autotaskCompanyId: companyId(file, 'contactSync.autotaskCompanyId', sync.autotaskCompanyId),
			connectwiseCompanyId: companyId(
				file,
				'contactSync.connectwiseCompanyId',
				sync.connectwiseCompanyId,
			),
			domains: domains as string[],
			updateExisting,
			mode,
		},
	};
}

/** Reads and checks one scenario file; any problem is a ScenarioError naming the file. */
export function readScenarioFile(file: string): Scenario {
	let value: unknown;
	let problem: string | undefined;
	try {
		value = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		problem =
			error instanceof SyntaxError
				? `is not valid JSON (${error.message})`
				: `cannot be read (${(error as Error).message})`;
	}
	if (problem !== undefined) throw new ScenarioError(file, undefined, problem);
	return parseScenario(value, file);
}

/** The scenario of a seed folder: its scenario.json, or the shipped seed's when it has none. */
export function readScenario(seedDir: string): Scenario {
	const file = path.join(seedDir, SCENARIO_FILE);
	return readScenarioFile(fs.existsSync(file) ? file : DEFAULT_SCENARIO_FILE);
}

/** The shipped seed's scenario. */
export function defaultScenario(): Scenario {
	return readScenarioFile(DEFAULT_SCENARIO_FILE);
}

/** Writes scenario.json into a seed folder (as the generator and dumps lay it out). */
export function writeScenario(seedDir: string, scenario: Scenario): void {
	fs.mkdirSync(seedDir, { recursive: true });
	fs.writeFileSync(path.join(seedDir, SCENARIO_FILE), `${JSON.stringify(scenario, null, 2)}\n`);
}
