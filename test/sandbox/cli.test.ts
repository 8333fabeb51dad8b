/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist: the test runs the CLI as a user would */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULT_PORT_BASE, parseArguments } from '../../scripts/sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { DEFAULT_SEED_DIR } from '../../sandbox/index';

const ROOT = path.join(__dirname, '..', '..');

describe('sandbox command line: arguments', () => {
	test('defaults: the shipped seed on 7701-7704', () => {
		expect(parseArguments([])).toEqual({
			seedDir: DEFAULT_SEED_DIR,
			portBase: DEFAULT_PORT_BASE,
			latencyMs: 0,
			host: '127.0.0.1',
			quiet: false,
			contract: true,
		});
		expect(DEFAULT_PORT_BASE).toBe(7701);
	});

	test('every option, in both spellings', () => {
		const dump = path.join(os.tmpdir(), 'sandbox-dump');
		expect(
			parseArguments([
				'--seed',
				DEFAULT_SEED_DIR,
				'--port-base=9100',
				'--latency',
				'100',
				`--dump=${dump}`,
				'--host',
				'0.0.0.0',
				'--quiet',
				'--no-contract',
			]),
		).toEqual({
			seedDir: DEFAULT_SEED_DIR,
			portBase: 9100,
			latencyMs: 100,
			dumpDir: dump,
			host: '0.0.0.0',
			quiet: true,
			contract: false,
		});
		expect(parseArguments(['--help'])).toEqual({ help: true });
	});

	test('clear errors for bad input', () => {
		expect(parseArguments(['--seed', path.join(os.tmpdir(), 'no-such-seed-folder-xyz')])).toEqual({
			error: expect.stringMatching(/is not a folder/),
		});
		expect(parseArguments(['--port-base', 'abc'])).toEqual({
			error: '--port-base needs a whole number from 0 to 65532',
		});
		expect(parseArguments(['--latency'])).toEqual({
			error: '--latency needs a whole number from 0 to 600000',
		});
		expect(parseArguments(['--seeds', 'x'])).toEqual({ error: 'unknown option --seeds' });
	});
});

function waitFor(
	child: ChildProcessWithoutNullStreams,
	output: { text: string },
	pattern: RegExp,
): Promise<RegExpMatchArray> {
	return new Promise((resolve, reject) => {
		const look = () => {
			const found = pattern.exec(output.text);
			if (found) {
				child.stdout.off('data', look);
				child.off('exit', exited);
				resolve(found);
			}
		};
		const exited = (code: number | null) =>
			reject(new Error(`the CLI exited (${code}) before printing ${pattern}:\n${output.text}`));
		child.stdout.on('data', look);
		child.once('exit', exited);
		look();
	});
}

describe('sandbox command line: a real run', () => {
	test('starts all four servers, prints URLs and credentials, logs requests, dumps on Ctrl-C', async () => {
		const dump = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-'));
		const child = spawn(
			process.execPath,
			['--import', 'tsx', 'scripts/sandbox.ts', '--port-base', '0', '--dump', dump],
			{
				cwd: ROOT,
				env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
			},
		);
		const output = { text: '' };
		let errors = '';
		child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		const exit = new Promise<number | null>((resolve) =>
			child.once('exit', (code) => resolve(code)),
		);
		try {
			await waitFor(child, output, /Ready\./);
			const url = (name: string) =>
				new RegExp(`${name}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(output.text)?.[1];
			const urls = {
				autotask: url('Autotask PSA'),
				connectwise: url('ConnectWise Manage'),
				graph: url('Microsoft Graph'),
				datto: url('Datto RMM'),
			};
			expect(Object.values(urls).every(Boolean)).toBe(true);
			expect(new Set(Object.values(urls)).size).toBe(4);

			// Credential values as n8n labels them, pointing at these servers.
			expect(output.text).toContain(`Zone Discovery URL    ${urls.autotask}/atservicesrest`);
			expect(output.text).toMatch(new RegExp(`Custom Host URL\\s+${urls.connectwise}`));
			expect(output.text).toMatch(/Site\s+Custom Host \(On-Premises or Sandbox\)/);
			expect(output.text).toMatch(new RegExp(`Graph URL\\s+${urls.graph}`));
			expect(output.text).toMatch(new RegExp(`Custom URL\\s+${urls.datto}`));
			expect(output.text).toContain(SANDBOX_IDENTITIES.datto.apiKey);
			expect(output.text).toContain(
				'Contact sync demo: Microsoft 365 users of contoso.com, contosoretail.com',
			);

			// Every server answers HTTP; requests are listed as they arrive.
			for (const base of Object.values(urls)) {
				const response = await fetch(`${base}/sandbox-cli-test`);
				expect(response.status).toBeGreaterThanOrEqual(400);
			}
			await waitFor(child, output, /\[datto\] GET \/sandbox-cli-test -> 4\d\d/);

			child.kill('SIGINT');
			expect(await exit).toBe(0);
			expect(output.text).toMatch(
				/Stopped on SIGINT\. Requests: autotask 1, connectwise 1, graph 1, datto 1\./,
			);
			for (const file of [
				'graph/users.json',
				'autotask/contacts.json',
				'connectwise/contacts.json',
				'datto/alerts.json',
			]) {
				expect(Array.isArray(JSON.parse(fs.readFileSync(path.join(dump, file), 'utf8')))).toBe(
					true,
				);
			}
			expect(errors).toBe('');
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
			fs.rmSync(dump, { recursive: true, force: true });
		}
	});

	test('a port already in use is a clear error, not a hang', async () => {
		const blocker = await new Promise<net.Server>((resolve) => {
			const server = net.createServer();
			server.listen(0, '127.0.0.1', () => resolve(server));
		});
		const port = (blocker.address() as net.AddressInfo).port;
		try {
			const child = spawn(
				process.execPath,
				['--import', 'tsx', 'scripts/sandbox.ts', '--port-base', String(port)],
				{ cwd: ROOT },
			);
			let errors = '';
			child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
			const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
			expect(code).toBe(1);
			expect(errors).toMatch(/already in use.*pick another --port-base/);
		} finally {
			await new Promise<void>((resolve) => blocker.close(() => resolve()));
		}
	});
});
