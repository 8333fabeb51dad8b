/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * Writes the shipped default seed (defaultSeed.ts) into the seed layout.
 *
 *   npx tsx sandbox/seed/generate.ts            rewrites sandbox/seed/default
 *   npx tsx sandbox/seed/generate.ts --out DIR  writes the default seed elsewhere
 *
 * Everything is drawn from a seeded generator and a fixed clock (random.ts), so the same call
 * always gives the same bytes. Records are in each vendor's own response shape (sandbox/specs);
 * the two sandbox-specific files are autotask/picklists.json (`{entity, field, values:
 * PickListValue[]}`) and datto/webhooks.json (webhook bodies to deliver, in order).
 */
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from '../core/seed';
import { generateDefaultSeed } from './defaultSeed';
import { writeGeneratedSeed } from './layout';

if (require.main === module) {
	const outIndex = process.argv.indexOf('--out');
	const directory = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : DEFAULT_SEED_DIR;
	writeGeneratedSeed(directory, generateDefaultSeed());
	process.stdout.write(`Seed written to ${directory}\n`);
}
