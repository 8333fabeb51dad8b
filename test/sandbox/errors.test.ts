/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist: the test runs the commands as a user would */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { readSeed, SeedError, startSandbox } from '../../sandbox/index';

/**
 * Errors that name the thing: a bad seed file, a missing argument value, a webhook delivery that
 * cannot reach its URL. Each names the file (or URL) and what is wrong, the commands print no stack
 * trace, and they exit non-zero.
 */

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function seedWith(file: string, text: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-seed-'));
	fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
	fs.writeFileSync(path.join(dir, file), text);
	return dir;
}

function runCommand(script: string, args: string[]): { code: number | null; output: string } {
	const result = spawnSync(TSX, [path.join(ROOT, script), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		timeout: 120_000,
	});
	return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

describe('seed files', () => {
	test('malformed JSON: the file, the line and the column', () => {
		const dir = seedWith('autotask/contacts.json', '[\n  {"id": 1},\n  {id: 2}\n]\n');
		expect(() => readSeed(dir)).toThrow(SeedError);
		expect(() => readSeed(dir)).toThrow(
			`${path.join(dir, 'autotask', 'contacts.json')} is not valid JSON at line 3, column 4`,
		);
	});

	test('not an array, or a record that is not an object', () => {
		const object = seedWith('datto/sites.json', '{"uid": "s1"}');
		expect(() => readSeed(object)).toThrow(
			`${path.join(object, 'datto', 'sites.json')} must hold a JSON array of records`,
		);
		const row = seedWith('graph/users.json', '[{"id": "a"}, 42]');
		expect(() => readSeed(row)).toThrow(
			`${path.join(row, 'graph', 'users.json')} has record 2 = 42: every record must be an object`,
		);
	});

	test('the demo and the sandbox command say which file, without a stack, and exit non-zero', () => {
		const dir = seedWith('autotask/contacts.json', '[\n  {"id": 1},\n  {id: 2}\n]\n');
		const file = path.join(dir, 'autotask', 'contacts.json');
		for (const [script, args] of [
			['scripts/demo.ts', ['--seed', dir]],
			['scripts/sandbox.ts', ['--seed', dir, '--port-base', '0']],
		] as const) {
			const { code, output } = runCommand(script, [...args]);
			expect(code).toBe(1);
			expect(output).toContain(`${file} is not valid JSON at line 3, column 4`);
			expect(output).not.toMatch(STACK_FRAME);
			expect(output).not.toContain('SyntaxError');
		}
	}, 240_000);
});

describe('command-line arguments', () => {
	test('--seed without a folder says so, for the demo and the sandbox', () => {
		const demo = runCommand('scripts/demo.ts', ['--seed']);
		expect(demo.code).toBe(1);
		expect(demo.output).toContain('--seed needs a folder');
		expect(demo.output).not.toContain('Unknown argument');
		const sandbox = runCommand('scripts/sandbox.ts', ['--seed']);
		expect(sandbox.code).toBe(2);
		expect(sandbox.output).toContain('--seed needs a folder');
		for (const { output } of [demo, sandbox]) expect(output).not.toMatch(STACK_FRAME);
	}, 240_000);
});

describe('webhook delivery', () => {
	test('an unreachable URL is named in the answer, with the reason', async () => {
		const sandbox = await startSandbox({});
		try {
			const url = `http://127.0.0.1:${await closedPort()}/webhook/datto-rmm-alerts`;
			const response = await fetch(`${sandbox.urls.datto}/_sandbox/datto/webhooks/deliver`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ url }),
			});
			expect(response.status).toBe(502);
			const body = (await response.json()) as { message: string; delivered: number };
			expect(body.message).toContain(`Could not deliver the webhook to ${url}: ECONNREFUSED`);
			expect(body.delivered).toBe(0);
		} finally {
			await sandbox.stop();
		}
	});
});
