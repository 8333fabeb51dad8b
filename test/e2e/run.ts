/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * The real-n8n lane: the packed package installed as a community package into n8n 2.40.7 on
 * Node 24, the templates run by the n8n CLI against the sandbox, live webhooks, and the editor in
 * headless Chromium. `npm run test:e2e [-- --only cli,webhook,editor | install] [--keep]`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox/index';
import { loadBuiltPackage } from '../../dev/runner/nodeTypes';
import {
	checkAlertTemplateCli,
	checkAlertWebhooks,
	checkAutotaskTicketWebhook,
} from './checks/alerts';
import { checkConnectWiseAlertTemplate } from './checks/alertsConnectWise';
import { WORKFLOW_WRITE_SCOPES } from './checks/editorSteps';
import { checkContactTemplate, checkFailedRunsListed } from './checks/contacts';
import {
	checkCustomerContactTemplate,
	checkDeviceTemplate,
	setUpCustomerMap,
} from './checks/customerMap';
import { checkEditor, shootAlertTemplateAsImported } from './checks/editor';
import { checkNodeTypes, checkCredentialTests } from './checks/nodeTypes';
import { runSmokeWorkflow } from './checks/smoke';
import { ensureChromium, ensureN8n, ensureNode24 } from '../../dev/n8n/install';
import { EXPECTED_NODES, GROUPS, wants } from './lane';
import type { Group, Lane } from './lane';
import { n8nEnv, publishWorkflow } from '../../dev/n8n/n8n';
import { installIntoCommunityFolder, packPackage } from '../../dev/n8n/pack';
import {
	CACHE_DIR,
	LOG_DIR,
	N8N_VERSION,
	NODE_VERSION,
	PACKAGE_NAME,
	SCRATCH_DIR,
	USER_FOLDER,
	WORK_DIR,
} from '../../dev/n8n/paths';
import { cleanupAll, onCleanup } from '../../dev/n8n/processes';
import { detail, elapsed, say, seconds, step, steps } from '../../dev/n8n/progress';
import { PublicApi, RestSession, startN8n } from '../../dev/n8n/server';
import { importSandboxCredentials, importTemplates } from '../../dev/n8n/setup';

async function laneStep<T>(lane: Lane, name: string, body: () => Promise<T>): Promise<T> {
	return await step(name, body, () => lane.failures.length);
}

function parseArgs(argv: string[]): Pick<Lane, 'only' | 'keep'> {
	let only: Set<Group> | undefined;
	let keep = false;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--keep') keep = true;
		else if (arg === '--only' || arg.startsWith('--only=')) {
			const value = arg.includes('=') ? arg.split('=')[1] : argv[++index];
			only = new Set();
			for (const group of (value ?? '').split(',')) {
				if (!GROUPS.includes(group as Group))
					throw new Error(`--only takes ${GROUPS.join(', ')} (comma-separated); got "${group}"`);
				only.add(group as Group);
			}
		} else if (arg === '--help' || arg === '-h') {
			process.stdout.write(
				'npm run test:e2e [-- --only install|cli|webhook|map|editor[,...]] [--keep]\n' +
					'  --only   run only these parts (development; the full lane runs all of them)\n' +
					'  --keep   leave n8n and the sandbox running at the end until Ctrl-C\n',
			);
			process.exit(0);
		} else throw new Error(`Unknown argument ${arg} (try --help)`);
	}
	return { only, keep };
}

async function main(): Promise<number> {
	const lane: Lane = {
		...parseArgs(process.argv.slice(2)),
		failures: [],
		notes: [],
		nodeTypes: {},
		credentialRefs: {},
		templates: [],
		failedRuns: [],
	};
	say(
		`n8n ${N8N_VERSION} on Node ${NODE_VERSION}, package ${PACKAGE_NAME}${lane.only ? `, only: ${[...lane.only].join(', ')}` : ''}`,
	);
	fs.rmSync(SCRATCH_DIR, { recursive: true, force: true });
	fs.mkdirSync(LOG_DIR, { recursive: true });
	fs.mkdirSync(WORK_DIR, { recursive: true });

	await laneStep(
		lane,
		'Prerequisites: Node 24, n8n, Chromium (installed once into the cache)',
		async () => {
			await ensureNode24();
			await ensureN8n();
			if (wants(lane, 'editor') || wants(lane, 'install')) await ensureChromium();
		},
	);
	if (lane.only?.size === 1 && lane.only.has('install')) return finish(lane);

	await laneStep(lane, 'Pack the package and install it into a fresh n8n user folder', async () => {
		const packed = await packPackage();
		lane.packed = packed;
		for (const file of packed.missing)
			lane.failures.push(
				`package.json declares ${file}, but the packed tarball does not contain it (not built / not written yet)`,
			);
		lane.packageDir = await installIntoCommunityFolder(packed, n8nEnv());
		try {
			const loaded = await loadBuiltPackage(lane.packageDir);
			lane.nodeTypes = loaded.nodes;
			const credentialNames = Object.keys(loaded.credentialTypes);
			detail(
				`loads with n8n-core's PackageDirectoryLoader: ${Object.keys(loaded.nodes).length} nodes, ${credentialNames.length} credentials`,
			);
		} catch (error) {
			lane.failures.push(
				`The installed package does not load with n8n-core's PackageDirectoryLoader: ${(error as Error).message}`,
			);
		}
		for (const [name, displayName] of Object.entries(EXPECTED_NODES)) {
			if (!lane.nodeTypes[name])
				lane.failures.push(
					`Node ${displayName} (${PACKAGE_NAME}.${name}) is not in the installed package`,
				);
		}
	});

	await laneStep(lane, 'Start the sandbox and import credentials pointing at it', async () => {
		const sandbox = await startSandbox({});
		lane.sandbox = sandbox;
		onCleanup('sandbox', async () => await sandbox.stop());
		detail(
			Object.entries(sandbox.urls)
				.map(([vendor, url]) => `${vendor} ${url}`)
				.join(', '),
		);
		lane.credentialRefs = await importSandboxCredentials(sandbox);
	});

	await laneStep(
		lane,
		'Import the template workflows (credentials bound, nothing else changed)',
		async () => {
			lane.templates = await importTemplates(
				lane.credentialRefs,
				lane.nodeTypes,
				(message) => lane.failures.push(message),
				undefined,
				{ webhookStarts: true },
			);
		},
	);

	if (wants(lane, 'cli')) {
		await laneStep(
			lane,
			'n8n CLI: a trivial workflow imported and executed',
			async () => await runSmokeWorkflow(),
		);
		// The map-driven templates read a Data Table, which `n8n execute` cannot: they run in n8n below.
		for (const imported of lane.templates.filter((template) => !template.spec.webhookPath)) {
			await laneStep(lane, `n8n CLI: ${imported.spec.label}, executed twice`, async () => {
				try {
					if (imported.spec.kind === 'alerts') await checkAlertTemplateCli(lane, imported);
					else await checkContactTemplate(lane, imported);
				} catch (error) {
					lane.failures.push(`${imported.spec.label} (CLI): ${(error as Error).message}`);
					detail(`FAILED: ${(error as Error).message}`);
				}
			});
		}
	}

	if (wants(lane, 'webhook') || wants(lane, 'map') || wants(lane, 'editor') || lane.keep) {
		const alerts = lane.templates.find((template) => template.spec.kind === 'alerts');
		await laneStep(
			lane,
			'n8n start on 127.0.0.1 (alert workflow published first) and owner set up',
			async () => {
				if (alerts && wants(lane, 'webhook')) {
					await publishWorkflow(alerts.id);
					detail(`published ${alerts.id} with n8n publish:workflow`);
				}
				lane.server = await startN8n();
				lane.session = await RestSession.setupOwner(lane.server);
				detail('owner created with POST /rest/owner/setup');
			},
		);

		await laneStep(
			lane,
			'n8n REST: node and credential types, icons, credential tests, failed runs in the execution list',
			async () => {
				await checkNodeTypes(lane);
				await checkCredentialTests(lane);
				await checkFailedRunsListed(lane);
			},
		);

		if (wants(lane, 'editor'))
			await laneStep(
				lane,
				'Editor: the alert template as imported, before the lane disables its schedule (README screenshots)',
				async () => {
					try {
						await shootAlertTemplateAsImported(lane);
					} catch (error) {
						lane.failures.push(`Editor: ${(error as Error).message}`);
						detail(`FAILED: ${(error as Error).message}`);
					}
				},
			);

		if (wants(lane, 'webhook')) {
			const alertApi = lane.session
				? await PublicApi.create(lane.session, 'e2e lane: alerts', WORKFLOW_WRITE_SCOPES)
				: undefined;
			const alertStep = async (name: string, body: (api: PublicApi) => Promise<void>) =>
				await laneStep(lane, name, async () => {
					try {
						await body(alertApi!);
					} catch (error) {
						lane.failures.push(`${name}: ${(error as Error).message}`);
						detail(`FAILED: ${(error as Error).message}`);
					}
				});
			if (!alerts) {
				lane.failures.push('Live webhooks: the alert template is missing, nothing to deliver to');
				detail('FAILED: no alert template');
			} else {
				await alertStep(
					'Live webhooks: Datto RMM deliveries to the published alert workflow',
					async (api) => await checkAlertWebhooks(lane, alerts, api),
				);
				await alertStep(
					'Live webhooks: a signed Autotask ticket webhook resolves the Datto alert (issue 22)',
					async (api) => await checkAutotaskTicketWebhook(lane, alerts, api),
				);
			}
			await alertStep(
				'Live webhooks: the ConnectWise alert template, its board picked, tickets and callback (issue 23)',
				async (api) => await checkConnectWiseAlertTemplate(lane, api),
			);
		}

		if (wants(lane, 'map')) {
			const mapDriven = lane.templates.filter((template) => template.spec.webhookPath);
			await laneStep(
				lane,
				'Data Table "Customer Map" from the seed through the public API; the map-driven templates pointed at it and published',
				async () => {
					try {
						await setUpCustomerMap(lane);
					} catch (error) {
						lane.failures.push(`Customer Map: ${(error as Error).message}`);
						detail(`FAILED: ${(error as Error).message}`);
					}
				},
			);
			for (const imported of lane.customerMap ? mapDriven : []) {
				await laneStep(
					lane,
					`n8n: ${imported.spec.label}, started through its webhook`,
					async () => {
						try {
							if (imported.spec.kind === 'devices') await checkDeviceTemplate(lane, imported);
							else await checkCustomerContactTemplate(lane, imported);
						} catch (error) {
							lane.failures.push(`${imported.spec.label}: ${(error as Error).message}`);
							detail(`FAILED: ${(error as Error).message}`);
						}
					},
				);
			}
		}

		if (wants(lane, 'editor')) {
			await laneStep(
				lane,
				'Editor in headless Chromium: node panel, icons, template canvas, screenshots',
				async () => {
					try {
						await checkEditor(lane);
					} catch (error) {
						lane.failures.push(`Editor: ${(error as Error).message}`);
						detail(`FAILED: ${(error as Error).message}`);
					}
				},
			);
		}
	}

	if (lane.sandbox && lane.sandbox.contractViolations.length > 0) {
		const violations = lane.sandbox.contractViolations;
		lane.failures.push(
			`${violations.length} contract violation(s) in the sandbox, e.g. ${violations
				.slice(0, 3)
				.map(
					(violation) =>
						`${violation.vendor} ${violation.direction} ${violation.method} ${violation.path}: ${violation.errors.join('; ')}`,
				)
				.join(' | ')}`,
		);
	}

	if (lane.keep && lane.server) {
		say(
			`--keep: n8n at ${lane.server.url} (owner owner@e2e-msp.example / E2e-Owner-Passw0rd), user folder ${USER_FOLDER}; Ctrl-C to stop`,
		);
		await new Promise(() => undefined);
	}
	return finish(lane);
}

/** The end of n8n's server log, printed when something failed. */
function printServerLogTail(): void {
	const file = path.join(LOG_DIR, 'n8n-start.log');
	if (!fs.existsSync(file)) return;
	// Stack frames and the failed look-ups of n8n's own hosts (closed network) are noise here.
	const lines = fs
		.readFileSync(file, 'utf8')
		.trimEnd()
		.split('\n')
		.filter(
			(line) =>
				!/^\s+at /.test(line) && !/ENOTFOUND|Strapi API|A system task run failed|^\s*$/.test(line),
		);
	say(`last lines of ${file} (without stack frames and closed-network look-ups):`);
	detail(lines.slice(-40).join('\n'));
}

function finish(lane: Lane): number {
	say('summary');
	for (const record of steps)
		detail(
			`${record.status === 'passed' ? 'ok    ' : 'FAILED'} ${seconds(record.durationMs).padStart(9)}  ${record.name}`,
		);
	for (const note of lane.notes) detail(note);
	detail(`total ${seconds(elapsed())}; cache ${CACHE_DIR}; logs ${LOG_DIR}`);
	if (lane.failures.length > 0) {
		printServerLogTail();
		say(`FAILED: ${lane.failures.length} problem(s)`);
		lane.failures.forEach((failure, index) => detail(`${index + 1}. ${failure}`));
		return 1;
	}
	say('PASSED');
	return 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		say(`${signal}: stopping everything the lane started`);
		void cleanupAll().then(() => process.exit(130));
	});
}

main()
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	})
	.catch(async (error: Error) => {
		printServerLogTail();
		say(`FAILED: ${error.message}`);
		if (process.env.E2E_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
		await cleanupAll();
		process.exit(1);
	});
