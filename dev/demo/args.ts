/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from '../../sandbox';
import { readScenario, ScenarioError } from '../../sandbox/scenario';
import type { Scenario } from '../../sandbox/scenario';
import { DemoFailure, out } from './output';

const USAGE = 'npm run demo -- [--seed DIR] [--out DIR]';

export interface DemoArgs {
	/** A vendor-native seed folder; DIR/scenario.json optional. */
	seedDir: string;
	/** Where to write the sandbox's final state, in the seed layout. */
	outDir?: string;
}

export function parseArgs(argv: string[]): DemoArgs {
	const args: DemoArgs = { seedDir: DEFAULT_SEED_DIR };
	// --seed=DIR is --seed DIR.
	const words = argv.flatMap((arg) =>
		/^--(seed|out)=/.test(arg)
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg],
	);
	for (let i = 0; i < words.length; i++) {
		const arg = words[i];
		if (arg === '--seed' || arg === '--out') {
			const value = words[i + 1];
			if (value === undefined || value === '' || value.startsWith('--'))
				throw new DemoFailure(
					`${arg} needs a folder, e.g. ${arg} ${arg === '--seed' ? 'my-seed' : 'out/state'}. Usage: ${USAGE}`,
				);
			if (arg === '--seed') args.seedDir = path.resolve(value);
			else args.outDir = path.resolve(value);
			i++;
		} else if (arg === '--help' || arg === '-h') {
			out(`Usage: ${USAGE}`);
			process.exit(0);
		} else {
			throw new DemoFailure(`Unknown argument "${arg}". Usage: ${USAGE}`);
		}
	}
	if (!fs.existsSync(args.seedDir))
		throw new DemoFailure(`--seed: the folder ${args.seedDir} does not exist`);
	if (!fs.statSync(args.seedDir).isDirectory())
		throw new DemoFailure(`--seed: ${args.seedDir} is a file; give the seed's folder`);
	return args;
}

/** The seed's scenario.json (the shipped seed's when it has none); a bad file is a DemoFailure naming the file and the field. */
export function scenarioOf(seedDir: string): Scenario {
	try {
		return readScenario(seedDir);
	} catch (error) {
		if (error instanceof ScenarioError) throw new DemoFailure(error.message);
		throw error;
	}
}
