/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from '../../sandbox';
import { DemoFailure, out } from './output';

const USAGE = 'npm run demo -- [--seed DIR] [--out DIR]';

export interface DemoArgs {
	/** A vendor-native seed folder; DIR/scenario.json optional. */
	seedDir: string;
	/** Where to write the sandbox's final state, in the seed layout. */
	outDir?: string;
}

export interface Scenario {
	contactSync: {
		autotaskCompanyId: number | string;
		connectwiseCompanyId: number | string;
		domains: string[];
		updateExisting: boolean;
		mode: 'changes' | 'mirror';
	};
}

export function parseArgs(argv: string[]): DemoArgs {
	const args: DemoArgs = { seedDir: DEFAULT_SEED_DIR };
	for (let i = 0; i < argv.length; i++) {
		const value = argv[i + 1];
		if (argv[i] === '--seed' && value) {
			args.seedDir = path.resolve(value);
			i++;
		} else if (argv[i] === '--out' && value) {
			args.outDir = path.resolve(value);
			i++;
		} else if (argv[i] === '--help' || argv[i] === '-h') {
			out(`Usage: ${USAGE}`);
			process.exit(0);
		} else {
			throw new DemoFailure(`Unknown argument "${argv[i]}". Usage: ${USAGE}`);
		}
	}
	if (!fs.existsSync(args.seedDir))
		throw new DemoFailure(`Seed folder ${args.seedDir} does not exist`);
	return args;
}

/** The seed's scenario.json, or the default seed's when the seed has none. */
export function readScenario(seedDir: string): Scenario {
	const file = path.join(seedDir, 'scenario.json');
	const fallback = path.join(DEFAULT_SEED_DIR, 'scenario.json');
	const chosen = fs.existsSync(file) ? file : fallback;
	const scenario = JSON.parse(fs.readFileSync(chosen, 'utf8')) as Scenario;
	const sync = scenario.contactSync;
	if (!sync || sync.autotaskCompanyId === undefined || sync.connectwiseCompanyId === undefined) {
		throw new DemoFailure(
			`${chosen} must hold {"contactSync": {"autotaskCompanyId", "connectwiseCompanyId", "domains", "updateExisting", "mode"}}`,
		);
	}
	return scenario;
}
