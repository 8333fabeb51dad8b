/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * `npm run try`: the package in a real n8n against the vendor sandbox, to click through.
 *
 * Starts the sandbox, installs Node 24 and n8n 2.40.7 once (the e2e lane's cache), packs this
 * package and installs the tarball as n8n's community-package installer does, creates the owner
 * account and one credential per vendor pointed at the sandbox, imports the templates (the alert
 * workflow published), starts n8n and prints the editor URL with the login. Runs until Ctrl-C,
 * then stops everything it started, by process id, also when a step fails.
 *
 *   --check     start it all, check the editor answers and lists every node of the package, stop;
 *               the exit code says whether it worked (CI)
 *   --port N    n8n's port (default 5678; any free port when taken or with --check)
 */
import * as fs from 'node:fs';
import * as net from 'node:net';

import { ensureN8n, ensureNode24 } from '../dev/n8n/install';
import { freePort, n8nEnv, publishWorkflow } from '../dev/n8n/n8n';
import { installIntoCommunityFolder, packPackage } from '../dev/n8n/pack';
import {
	CACHE_DIR,
	LOG_DIR,
	N8N_VERSION,
	PACKAGE_NAME,
	SCRATCH_DIR,
	USER_FOLDER,
} from '../dev/n8n/paths';
import { cleanupAll, onCleanup } from '../dev/n8n/processes';
import { detail, say, setLabel, step } from '../dev/n8n/progress';
import { OWNER, RestSession, startN8n } from '../dev/n8n/server';
import type { N8nServer } from '../dev/n8n/server';
import { importSandboxCredentials, importTemplates } from '../dev/n8n/setup';
import { nodesOfType } from '../dev/n8n/templates';
import type { ImportedTemplate } from '../dev/n8n/templates';
import { loadBuiltPackage } from '../dev/runner/nodeTypes';
import { startSandbox } from '../sandbox/index';
import type { Sandbox } from '../sandbox/index';
import type { SandboxVendor } from '../sandbox/core/types';
interface TryArgs {
	check: boolean;
	port?: number;
}

const USAGE = 'npm run try [-- --check] [--port N]';

function parseArgs(argv: string[]): TryArgs {
	const args: TryArgs = { check: false };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--check') args.check = true;
		else if (arg === '--port' || arg.startsWith('--port=')) {
			const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++index];
			const port = Number(text);
			if (!Number.isInteger(port) || port < 1 || port > 65535)
				throw new TryFailure(`--port needs a port number from 1 to 65535. Usage: ${USAGE}`);
			args.port = port;
		} else if (arg === '--help' || arg === '-h') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		} else throw new TryFailure(`Unknown argument "${arg}". Usage: ${USAGE}`);
	}
	return args;
}

/** A failure this script explains itself (printed without a stack). */
class TryFailure extends Error {}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The sandbox on 7701-7704 as `npm run sandbox` uses them, or on free ports when those are taken or for --check. */
async function sandboxPorts(check: boolean): Promise<Record<SandboxVendor, number> | undefined> {
	const fixed: Record<SandboxVendor, number> = {
		autotask: 7701,
		connectwise: 7702,
		graph: 7703,
		datto: 7704,
	};
	if (check) return undefined;
	for (const port of Object.values(fixed)) if (!(await portIsFree(port))) return undefined;
	return fixed;
}

/** The editor's start page and every node of the installed package in /types/nodes.json. */
async function checkEditor(
	server: N8nServer,
	session: RestSession,
	expected: string[],
): Promise<string[]> {
	const problems: string[] = [];
	const page = await fetch(`${server.url}/`);
	const html = await page.text();
	if (page.status !== 200 || !/<html/i.test(html))
		problems.push(`the editor at ${server.url}/ answered ${page.status}, not its page`);
	const types = await session.get<Array<{ name: string }>>('/types/nodes.json');
	const listed = new Set(types.map((type) => type.name));
	for (const name of expected)
		if (!listed.has(`${PACKAGE_NAME}.${name}`))
			problems.push(`/types/nodes.json does not list ${PACKAGE_NAME}.${name}`);
	detail(
		`the editor answers at ${server.url}/; /types/nodes.json lists ${expected.filter((name) => listed.has(`${PACKAGE_NAME}.${name}`)).length} of the package's ${expected.length} nodes`,
	);
	return problems;
}

function printWelcome(server: N8nServer, sandbox: Sandbox, templates: ImportedTemplate[]): void {
	const alerts = templates.find((template) => template.spec.kind === 'alerts');
	const webhook = alerts && nodesOfType(alerts.workflow, 'n8n-nodes-base.webhook')[0];
	const webhookPath = String(webhook?.parameters?.path ?? '').replace(/^\//, '');
	const lines = [
		'',
		`n8n ${N8N_VERSION} with ${PACKAGE_NAME} is running against the vendor sandbox.`,
		'',
		`  Editor    ${server.url}/`,
		`  Sign in   ${OWNER.email} / ${OWNER.password}`,
		'',
		'  Workflows (Overview): the three templates, credentials already set to the sandbox.',
		'    Open a contact-sync template and set it up as its Setup note says: pick the company',
		'    (e.g. Contoso Ltd) in Contact Reconcile and enter its domains (contoso.com,',
		'    contosoretail.com) in Microsoft 365 Users. Click "Sync Now" (Execute workflow) to see',
		'    the plan and the writes; run it again and nothing changes.',
	];
	if (alerts && webhookPath)
		lines.push(
			"    The alert workflow is published; push the sandbox's Datto webhooks into it with:",
			`      curl -X POST ${sandbox.urls.datto}/_sandbox/datto/webhooks/deliver -H 'Content-Type: application/json' \\`,
			`           -d '{"url": "${server.url}/webhook/${webhookPath}"}'`,
			'    and see each delivery under Executions.',
		);
	lines.push(
		'',
		`  Sandbox   Autotask ${sandbox.urls.autotask}, ConnectWise ${sandbox.urls.connectwise}, Graph ${sandbox.urls.graph}, Datto ${sandbox.urls.datto}`,
		`  Files     n8n user folder ${USER_FOLDER}; logs ${LOG_DIR}`,
		'',
		'Press Ctrl-C to stop n8n and the sandbox.',
	);
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
	setLabel('try');
	const args = parseArgs(process.argv.slice(2));
	say(
		`npm run try${args.check ? ' --check' : ''}: n8n ${N8N_VERSION} with ${PACKAGE_NAME}, against the sandbox`,
	);
	fs.rmSync(SCRATCH_DIR, { recursive: true, force: true });
	fs.mkdirSync(LOG_DIR, { recursive: true });

	await step(
		'Node 24 and n8n (installed once into the cache; the first time takes minutes)',
		async () => {
			await ensureNode24();
			await ensureN8n();
		},
	);
	const { nodeTypes } = await step(
		'Pack this package and install the tarball into a fresh n8n user folder',
		async () => {
			const packed = await packPackage();
			if (packed.missing.length > 0)
				throw new TryFailure(
					`the packed tarball lacks ${packed.missing.join(', ')}, which package.json declares`,
				);
			const directory = await installIntoCommunityFolder(packed, n8nEnv());
			return { nodeTypes: (await loadBuiltPackage(directory)).nodes };
		},
	);
	const sandbox = await step('Start the vendor sandbox', async () => {
		const started = await startSandbox({ ports: await sandboxPorts(args.check) });
		onCleanup('sandbox', async () => await started.stop());
		detail(
			Object.entries(started.urls)
				.map(([vendor, url]) => `${vendor} ${url}`)
				.join(', '),
		);
		return started;
	});
	const templates = await step(
		'Credentials pointed at the sandbox, and the templates',
		async () => {
			const refs = await importSandboxCredentials(sandbox);
			const imported = await importTemplates(refs, nodeTypes, (message) => {
				throw new TryFailure(message);
			});
			for (const template of imported)
				if (nodesOfType(template.workflow, 'n8n-nodes-base.webhook').length > 0) {
					await publishWorkflow(template.id);
					detail(`published ${template.spec.file}, so its production webhook answers`);
				}
			return imported;
		},
	);
	const port = args.port ?? (!args.check && (await portIsFree(5678)) ? 5678 : await freePort());
	if (args.port && !(await portIsFree(args.port)))
		throw new TryFailure(`port ${args.port} is taken; pick another with --port N`);
	const { server, session } = await step('Start n8n and create the owner account', async () => {
		const started = await startN8n({ port, name: 'n8n-try' });
		return { server: started, session: await RestSession.setupOwner(started) };
	});

	if (args.check) {
		const problems = await step(
			'Check: the editor answers and lists every node',
			async () => await checkEditor(server, session, Object.keys(nodeTypes)),
		);
		for (const violation of sandbox.contractViolations.slice(0, 5))
			problems.push(
				`contract violation: ${violation.vendor} ${violation.direction} ${violation.method} ${violation.path}: ${violation.errors.join('; ')}`,
			);
		if (problems.length > 0) {
			say(`FAILED: ${problems.join('; ')}`);
			return 1;
		}
		say('PASSED: npm run try works (stopping everything it started)');
		return 0;
	}
	printWelcome(server, sandbox, templates);
	return await new Promise<number>(() => undefined);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (stopping) return;
		stopping = true;
		say(`${signal}: stopping n8n and the sandbox`);
		void cleanupAll().then(() => process.exit(0));
	});
}

main()
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	})
	.catch(async (error: Error) => {
		say(
			error instanceof TryFailure
				? `FAILED: ${error.message}`
				: `FAILED: ${error.message}${process.env.E2E_DEBUG && error.stack ? `\n${error.stack}` : ''}`,
		);
		say(`logs: ${LOG_DIR}; cache: ${CACHE_DIR}`);
		await cleanupAll();
		process.exit(1);
	});
