/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist: the test runs the demo as a user would */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from '../../sandbox';

/**
 * The demo always finishes: a section that fails does not stop the others, --out is written,
 * and only then does the demo exit non-zero, naming what failed.
 */

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

test('a ConnectWise sync whose every create fails: the alerts still run, --out is written, exit 1', () => {
	const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-demo-seed-'));
	fs.cpSync(DEFAULT_SEED_DIR, seed, { recursive: true });
	const scenarioFile = path.join(seed, 'scenario.json');
	const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8')) as {
		contactSync: Record<string, unknown>;
	};
	// A company the ConnectWise tenant does not have: every create of that sync is refused.
	scenario.contactSync.connectwiseCompanyId = 987654;
	fs.writeFileSync(scenarioFile, JSON.stringify(scenario));
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'msp-demo-out-')), 'state');

	const result = spawnSync(
		TSX,
		[path.join(ROOT, 'scripts', 'demo.ts'), '--seed', seed, '--out', out],
		{
			cwd: ROOT,
			encoding: 'utf8',
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
			timeout: 240_000,
		},
	);
	const output = `${result.stdout}\n${result.stderr}`;

	expect(result.status).toBe(1);
	// The section after the failing one ran and reported.
	expect(output).toContain('Datto RMM alerts → Autotask tickets:');
	expect(output).toContain('Autotask company 29684101');
	// The dump is there to inspect, the failing company's contacts included.
	for (const file of [
		'connectwise/contacts.json',
		'autotask/contacts.json',
		'autotask/tickets.json',
	])
		expect(fs.existsSync(path.join(out, file))).toBe(true);
	expect(result.stderr).toContain('1 part(s) of the demo failed');
	expect(result.stderr).toContain('office365-to-connectwise-contacts.json');
	expect(result.stderr).toContain(`the final state is in ${out}`);
	expect(output).not.toMatch(STACK_FRAME);
}, 300_000);
