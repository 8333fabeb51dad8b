/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist: the test runs the documented commands as a user would */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR, startSandbox } from '../../sandbox/index';

/**
 * Every command the README and sandbox/README.md show, run as written: each command line of their
 * code blocks must be claimed by one of the handlers below, so a new example cannot go untested.
 * What cannot be the same here is substituted and said so: a placeholder folder (DIR) becomes a
 * copy of the shipped seed, fixed ports become free ones, another host address becomes 127.0.0.1.
 * Commands that need what this machine has not (Docker, an installed n8n) or that CI runs itself
 * are listed with where they are exercised instead.
 */

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const DOCS = ['README.md', 'sandbox/README.md'];

interface Example {
	doc: string;
	line: number;
	command: string;
}

/** Command lines of the docs' code blocks (not JSON, TypeScript or printed output). */
function examples(): Example[] {
	const found: Example[] = [];
	for (const doc of DOCS) {
		const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
		let inBlock = false;
		let language = '';
		for (let index = 0; index < lines.length; index++) {
			const fence = /^```(\w*)/.exec(lines[index]);
			if (fence) {
				inBlock = !inBlock;
				language = fence[1];
				continue;
			}
			if (!inBlock || ['json', 'ts', 'typescript', 'js'].includes(language)) continue;
			let text = lines[index];
			const start = index;
			while (text.trimEnd().endsWith('\\') && index + 1 < lines.length)
				text = `${text.trimEnd().slice(0, -1)} ${lines[++index].trim()}`;
			const command = text.replace(/\s+#\s.*$/, '').trim();
			if (/^(npm|npx|curl|docker|mkdir|cd) /.test(command) || command === 'npm')
				found.push({ doc, line: start + 1, command });
		}
	}
	return found;
}

/** Run by .ci/run (or by a named test) rather than here: what covers each. */
const RUN_ELSEWHERE: Array<[RegExp, string]> = [
	[/^npm ci && npm (test|run demo|run try)$/, '.ci/run'],
	[
		/^npm ci && npm pack --ignore-scripts=false$/,
		'test/packaging/pack.test.ts (the same npm pack of a fresh checkout without dist/) and npm run try -- --check in .ci/run (dev/n8n/pack.ts packs with it and installs the tarball into n8n 2.40.7)',
	],
];

/** Not runnable here, with the reason and what exercises the same steps. */
const NOT_RUN: Array<[RegExp, string]> = [
	[
		/^docker /,
		'needs a Docker daemon; npm run try installs the tarball into a user folder the same way',
	],
	[
		/^mkdir -p ~\/\.n8n\/nodes && cd ~\/\.n8n\/nodes$/,
		"would change this machine's own n8n user folder; npm run try does it in a scratch one",
	],
	[
		/^npm install \/path\/to\/n8n-nodes-msp-[\d.]+\.tgz$/,
		'a placeholder path into an n8n user folder; npm run try installs the packed tarball the same way',
	],
];

async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

function copyOfSeed(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-doc-seed-'));
	fs.cpSync(DEFAULT_SEED_DIR, dir, { recursive: true });
	return dir;
}

function argsOf(command: string, script: string): string[] {
	const rest = command.slice(`npm run ${script}`.length).trim();
	return rest === '' ? [] : rest.replace(/^--\s*/, '').split(/\s+/);
}

/** `npm run sandbox -- ARGS`: starts, says Ready, stops cleanly on Ctrl-C, writes --dump. */
async function runSandbox(command: string): Promise<void> {
	const args = argsOf(command, 'sandbox').map((arg) => (arg === 'DIR' ? copyOfSeed() : arg));
	// Ports are the machine's: any free ones. Another host address: this machine's loopback.
	const portIndex = args.indexOf('--port-base');
	if (portIndex >= 0) args.splice(portIndex, 2);
	const hostIndex = args.indexOf('--host');
	if (hostIndex >= 0) args[hostIndex + 1] = '127.0.0.1';
	const dumpIndex = args.indexOf('--dump');
	const dump = dumpIndex >= 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'msp-doc-dump-')) : undefined;
	if (dump) args[dumpIndex + 1] = dump;
	// Node itself with tsx's loader, not the tsx command: that wrapper relays Ctrl-C to its child,
	// waits 30 ms for the child to report it, and otherwise kills it and exits 130, which a loaded
	// machine's slow report triggers. A terminal's Ctrl-C reaches both processes, so users never do.
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'scripts/sandbox.ts', ...args, '--port-base', '0'],
		{
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	);
	const deadline = Date.now() + 90_000;
	while (!output.includes('Ready.') && Date.now() < deadline && child.exitCode === null)
		await new Promise((resolve) => setTimeout(resolve, 200));
	expect(output).toContain('Ready.');
	child.kill('SIGINT');
	expect(await exited).toBe(0);
	expect(output).toContain('Stopped on SIGINT');
	if (dump) expect(fs.existsSync(path.join(dump, 'autotask', 'tickets.json'))).toBe(true);
}

/** `npm run demo -- ARGS`: the demo over a copy of the seed, exit 0, --out written. */
function runDemo(command: string): void {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-doc-out-'));
	const args = argsOf(command, 'demo');
	const seedIndex = args.indexOf('--seed');
	if (seedIndex >= 0) args[seedIndex + 1] = copyOfSeed();
	const outIndex = args.indexOf('--out');
	if (outIndex >= 0) args[outIndex + 1] = out;
	const result = spawnSync(TSX, ['scripts/demo.ts', ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		timeout: 240_000,
	});
	expect(`${result.stderr}`).toBe('');
	expect(result.status).toBe(0);
	if (outIndex >= 0) expect(fs.existsSync(path.join(out, 'autotask', 'tickets.json'))).toBe(true);
}

/** The deliver example: the sandbox posts the seed's webhooks to the path the alert template listens on. */
async function runDeliverExample(command: string): Promise<void> {
	const template = JSON.parse(
		fs.readFileSync(
			path.join(ROOT, 'workflows', 'datto-rmm-alerts-to-autotask-tickets.json'),
			'utf8',
		),
	) as { nodes: Array<{ type: string; parameters: { path?: string } }> };
	const webhookPath = template.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')
		?.parameters.path;
	const received: string[] = [];
	const receiver = http.createServer((request, response) => {
		received.push(`${request.method} ${request.url?.split('?')[0]}`);
		request.resume();
		response.end('{"message":"Workflow was started"}');
	});
	const receiverPort = await freePort();
	await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
	const sandbox = await startSandbox({});
	try {
		const datto = new URL(sandbox.urls.datto);
		const substituted = command
			.replace('http://127.0.0.1:7704', `http://127.0.0.1:${datto.port}`)
			.replace('localhost:5678', `127.0.0.1:${receiverPort}`);
		// Asynchronously: the sandbox answers from this very process.
		const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
			const child = spawn('sh', ['-c', substituted], { stdio: ['ignore', 'pipe', 'ignore'] });
			let stdout = '';
			child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
			child.once('exit', (code) => resolve({ code, stdout }));
		});
		expect(result.code).toBe(0);
		const answer = JSON.parse(result.stdout) as { delivered: number; statuses: number[] };
		expect(answer.delivered).toBeGreaterThan(0);
		expect(new Set(answer.statuses)).toEqual(new Set([200]));
		expect(new Set(received)).toEqual(new Set([`POST /webhook/${webhookPath}`]));
	} finally {
		await sandbox.stop();
		receiver.close();
	}
}

const HANDLERS: Array<[RegExp, (command: string) => Promise<void> | void]> = [
	[/^npm run sandbox( -- .*)?$/, runSandbox],
	[/^npm run demo -- .*$/, runDemo],
	[
		/^curl -X POST http:\/\/127\.0\.0\.1:7704\/_sandbox\/datto\/webhooks\/deliver /,
		runDeliverExample,
	],
];

const all = examples();

describe('the documented commands', () => {
	test('the docs show commands, and each is run here, run by CI, or listed with why not', () => {
		expect(all.length).toBeGreaterThan(8);
		const unclaimed = all.filter(
			({ command }) =>
				![...HANDLERS, ...RUN_ELSEWHERE, ...NOT_RUN].some(([pattern]) => pattern.test(command)),
		);
		expect(unclaimed).toEqual([]);
		const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
		for (const { command } of all)
			if (RUN_ELSEWHERE.some(([pattern, where]) => pattern.test(command) && where === '.ci/run'))
				expect(ci).toContain(command.replace(/^npm ci && /, ''));
	});

	for (const example of all) {
		const handler = HANDLERS.find(([pattern]) => pattern.test(example.command));
		if (!handler) continue;
		test(`${example.doc}:${example.line}: ${example.command}`, async () => {
			await handler[1](example.command);
		}, 300_000);
	}
});
