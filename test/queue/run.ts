/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * The queue-mode lane, `npm run test:queue [-- --full] [-- --keep]`: n8n 2.40.7 in queue mode (a
 * main, two workers and a webhook processor over a fresh Redis and PostgreSQL 17, each process
 * with the packed package in its own user folder), the alert template and the Autotask contact
 * template imported and published, then:
 * - alerts: concurrent deliveries through both production webhook entry points (new problems,
 *   the same body up to three times, repeats, resolves before and after their raise, 20
 *   deliveries of one alert at once, a storm on one device) while 5% of vendor calls fail or answer
 *   late and one worker is SIGKILLed and restarted; the backstop once; the PSA state checked;
 * - contacts: the sync started twice at once, then again; compared with one clean run.
 * One summary line; the exit code is non-zero when any invariant is broken. `--full` is the
 * issue's load (1,000 deliveries, a 300-problem storm); the default is the smaller CI variant.
 * `--datto-reads-per-minute N` sets the sandbox's Datto RMM account window (Datto's: 600 reads per
 * 60 s, shared by every process) to N for the run, so that the deliveries run into it and the
 * node's waiting on 429 is exercised by two real workers; the lane then prints the reads refused
 * and how long executions ran. N = 60 suits the CI variant: its 174 deliveries make about 200
 * reads sent within about two minutes, over three minutes of that window's budget (sizing rule:
 * 60 / 1.17 reads = 51 deliveries a minute), and the 20 executions in flight share a read a
 * second; each read may wait 180 s (measured: none failed, the longest execution ran about three
 * minutes). A delivery that waits longer fails with Datto's account-wide error, which the lane
 * counts as explained by its message; lower N makes such failures likely.
 */
import * as fs from 'node:fs';

import { ensureN8n, ensureNode24 } from '../../dev/n8n/install';
import { executeWorkflow, importWorkflows, n8nEnv, publishWorkflow } from '../../dev/n8n/n8n';
import { installIntoCommunityFolder, packPackage } from '../../dev/n8n/pack';
import { CACHE_DIR, LOG_DIR, N8N_VERSION, SCRATCH_DIR, WORK_DIR } from '../../dev/n8n/paths';
import { cleanupAll, onCleanup } from '../../dev/n8n/processes';
import { detail, elapsed, say, seconds, setLabel, step, steps } from '../../dev/n8n/progress';
import { ensurePostgres, ensureRedis } from '../../dev/n8n/services';
import { importSandboxCredentials } from '../../dev/n8n/setup';
import { bindTemplate, nodesOfType, readTemplate, TEMPLATES } from '../../dev/n8n/templates';
import type { ImportedTemplate, TemplateSpec, WorkflowJson } from '../../dev/n8n/templates';
import { CUSTOMER_MAP_TABLE, everyCustomerContactTemplate } from '../../dev/templates';
import { dataTables } from '../../dev/runner/standInNodes';
import {
	createCustomerMap,
	DATA_TABLE_SCOPES,
	publishWithDataTable,
} from '../../dev/n8n/dataTables';
import { PublicApi, RestSession } from '../../dev/n8n/server';
import { parseCustomerMap } from '../../lib/customers/map';
import { loadBuiltPackage } from '../../dev/runner/nodeTypes';
import { startSandbox } from '../../sandbox/index';
import { ALERT_SIZES, alertSection } from './alertSection';
import { CONTACT_WEBHOOK_PATH, contactSection, withContactWebhook } from './contactSection';
import {
	prepareCluster,
	startMain,
	startWebhookProcessor,
	startWorker,
	waitForWebhookPath,
} from './cluster';
import { ResourceMeter } from './figures';
import { heldKnownOpen, KNOWN_OPEN } from './lane';
import type { QueueLane } from './lane';

const WORKERS = 2;
/**
 * The alert nodes' write timeout in the lane's copy of the template (a setting users have, default
 * 60 s): short, so that creates the sandbox answers only after it ("late" faults) are looked up
 * within the lane's minutes.
 */
const WRITE_TIMEOUT_SECONDS = 5;

/** A template as the lane imports it: credentials bound, then `adapt` (the lane's own changes). */
function laneWorkflow(
	spec: TemplateSpec,
	refs: Parameters<typeof bindTemplate>[2],
	nodeTypes: Parameters<typeof bindTemplate>[3],
	adapt: (workflow: WorkflowJson) => WorkflowJson,
): ImportedTemplate {
	const template = readTemplate(spec);
	if (!template) throw new Error(`workflows/${spec.file} is missing`);
	const { workflow } = bindTemplate(template, spec, refs, nodeTypes);
	const adapted = adapt(workflow) as WorkflowJson & { id: string };
	return { spec, id: adapted.id, workflow: adapted };
}

const USAGE = 'npm run test:queue [-- --full] [-- --keep] [-- --datto-reads-per-minute N]';

function parseArguments(args: string[]): {
	keep: boolean;
	full: boolean;
	dattoReadsPerMinute?: number;
} {
	const parsed: ReturnType<typeof parseArguments> = { keep: false, full: false };
	for (let index = 0; index < args.length; index++) {
		const [arg, inline] = args[index].split('=', 2);
		if (arg === '--keep' && inline === undefined) parsed.keep = true;
		else if (arg === '--full' && inline === undefined) parsed.full = true;
		else if (arg === '--datto-reads-per-minute') {
			const value = inline ?? args[++index];
			const reads = Number(value);
			if (!Number.isInteger(reads) || reads < 1)
				throw new Error(
					`--datto-reads-per-minute needs a whole number of reads above 0, not ${value} (${USAGE})`,
				);
			parsed.dattoReadsPerMinute = reads;
		} else throw new Error(`Unknown argument ${args[index]} (${USAGE})`);
	}
	return parsed;
}

async function main(): Promise<number> {
	setLabel('queue');
	const { keep, full, dattoReadsPerMinute } = parseArguments(process.argv.slice(2));
	const size = full ? ALERT_SIZES.full : ALERT_SIZES.ci;
	say(
		`n8n ${N8N_VERSION} in queue mode: a main, ${WORKERS} workers and a webhook processor (${full ? 'full load' : 'the CI variant; --full for the full load'})${dattoReadsPerMinute === undefined ? '' : `; Datto RMM's account window set to ${dattoReadsPerMinute} reads per 60 s`}`,
	);
	fs.rmSync(SCRATCH_DIR, { recursive: true, force: true });
	fs.mkdirSync(LOG_DIR, { recursive: true });
	fs.mkdirSync(WORK_DIR, { recursive: true });

	await step(
		'Prerequisites: Node 24, n8n, Redis, PostgreSQL 17 (installed once into the cache)',
		async () => {
			await ensureNode24();
			await ensureN8n();
			await ensureRedis();
			await ensurePostgres();
		},
	);
	const packed = await step('Pack the package', async () => {
		const result = await packPackage();
		if (result.missing.length > 0)
			throw new Error(
				`the tarball lacks ${result.missing.join(', ')}, which package.json declares`,
			);
		return result;
	});
	const sandbox = await step('Start the vendor sandbox', async () => {
		const started = await startSandbox({});
		onCleanup('sandbox', async () => await started.stop());
		if (dattoReadsPerMinute !== undefined) started.datto.config.readLimit = dattoReadsPerMinute;
		return started;
	});
	const cluster = await step(
		"Fresh Redis and PostgreSQL, the package in each process's user folder",
		async () => await prepareCluster(packed, WORKERS),
	);
	const pkg = await loadBuiltPackage(
		await installIntoCommunityFolder(packed, n8nEnv(), `${WORK_DIR}/types`),
	);
	const nodeTypes = pkg.nodes;
	const failures: string[] = [];
	const spec = (kind: TemplateSpec['kind']) => TEMPLATES.find((entry) => entry.kind === kind)!;
	const [alerts, contacts] = await step(
		'CLI: credentials pointed at the sandbox, the alert and every-customer Autotask contact templates, both published',
		async () => {
			const refs = await importSandboxCredentials(sandbox, cluster.env);
			const workflows = [
				laneWorkflow(spec('alerts'), refs, nodeTypes, (workflow) => {
					for (const node of workflow.nodes)
						if (node.type === 'n8n-nodes-msp.rmmAlertToTicket')
							node.parameters = {
								...node.parameters,
								options: {
									...(node.parameters?.options as object),
									writeTimeoutSeconds: WRITE_TIMEOUT_SECONDS,
								},
							};
					return workflow;
				}),
				laneWorkflow(spec('customer-contacts-autotask'), refs, nodeTypes, withContactWebhook),
			];
			await importWorkflows(
				workflows.map((entry) => entry.workflow),
				cluster.env,
			);
			await Promise.all(
				workflows.map(async (entry) => await publishWorkflow(entry.id, cluster.env)),
			);
			detail(
				`imported and published ${workflows.map((entry) => `${entry.spec.file} (${entry.id})`).join(', ')}; the alert nodes' Write Timeout ${WRITE_TIMEOUT_SECONDS} s; the contact template also starts from a Webhook node at /webhook/${CONTACT_WEBHOOK_PATH}`,
			);
			return workflows;
		},
	);
	const webhookPath = String(
		nodesOfType(alerts.workflow, 'n8n-nodes-base.webhook')[0]?.parameters?.path ?? '',
	).replace(/^\//, '');
	await step(
		'Start the main, the workers and the webhook processor; wait until each is ready',
		async () => {
			await Promise.all([
				startMain(cluster, [webhookPath, CONTACT_WEBHOOK_PATH]),
				startWebhookProcessor(cluster, [webhookPath, CONTACT_WEBHOOK_PATH]),
				...Array.from({ length: WORKERS }, async (_, index) => await startWorker(cluster, index)),
			]);
		},
	);

	const customerMap = await step(
		'Data Table "Customer Map" from the seed through the main\'s public API; the contact template pointed at it',
		async () => {
			const main = cluster.main!;
			const session = await RestSession.setupOwner({
				url: main.url,
				port: Number(new URL(main.url).port),
				process: main.process,
				logFile: '',
				stop: main.process.stop,
			});
			const api = await PublicApi.create(session, 'queue lane: customer map', DATA_TABLE_SCOPES);
			const table = await createCustomerMap(api, sandbox);
			await publishWithDataTable(api, contacts.id, table);
			await Promise.all(
				[main, cluster.webhook!].map(
					async (entry) => await waitForWebhookPath(entry, CONTACT_WEBHOOK_PATH),
				),
			);
			return table;
		},
	);

	const lane: QueueLane = {
		cluster,
		sandbox,
		templates: [alerts, contacts],
		pkg,
		nodeTypes,
		failures,
		known: [],
		summary: [],
		figures: [],
		meter: new ResourceMeter(() => cluster.processes()),
	};
	// A section that cannot finish is a broken invariant; the other sections still run and the
	// figures gathered so far are still printed.
	const section = async (name: string, work: () => Promise<void>) =>
		await work().catch((error: Error) => failures.push(`${name}: ${error.message.split('\n')[0]}`));
	await section(
		'alerts',
		async () =>
			await alertSection(
				lane,
				alerts,
				webhookPath,
				size,
				async (label) => await executeWorkflow(alerts.id, label, cluster.env),
			),
	);
	// The reference run in n8n's engine reads the same rows from the stand-in Data table node.
	dataTables.set(CUSTOMER_MAP_TABLE, customerMap.data);
	const companyIds = parseCustomerMap(customerMap.data)
		.customers.filter((customer) => customer.contactSync && customer.tenant)
		.map((customer) => customer.autotaskCompanyId)
		.filter((id): id is number => id !== undefined)
		.map(String);
	await section(
		'contacts',
		async () =>
			await contactSection(
				lane,
				contacts.id,
				everyCustomerContactTemplate('autotask', CUSTOMER_MAP_TABLE),
				companyIds,
			),
	);

	if (sandbox.contractViolations.length > 0)
		failures.push(
			`${sandbox.contractViolations.length} contract violation(s) in the sandbox, e.g. ${sandbox.contractViolations
				.slice(0, 2)
				.map((v) => `${v.vendor} ${v.direction} ${v.method} ${v.path}: ${v.errors.join('; ')}`)
				.join(' | ')}`,
		);

	if (keep) {
		say(`--keep: main ${cluster.main?.url}, webhook ${cluster.webhook?.url}; Ctrl-C to stop`);
		await new Promise(() => undefined);
	}
	return finish(lane);
}

function finish(lane: QueueLane): number {
	say('summary');
	for (const record of steps)
		detail(
			`${record.status === 'passed' ? 'ok    ' : 'FAILED'} ${seconds(record.durationMs).padStart(9)}  ${record.name}`,
		);
	for (const line of lane.figures) detail(line);
	detail(`total ${seconds(elapsed())}; cache ${CACHE_DIR}; logs ${LOG_DIR}`);
	lane.failures.forEach((failure, index) => detail(`${index + 1}. ${failure}`));
	for (const entry of lane.known) detail(`KNOWN OPEN ${entry}`);
	for (const invariant of Object.keys(KNOWN_OPEN))
		if (lane.known.some((entry) => entry.startsWith(`${invariant}:`)))
			detail(`KNOWN OPEN ${invariant} is owned by: ${KNOWN_OPEN[invariant]}`);
	const held = heldKnownOpen(lane);
	for (const invariant of held)
		detail(`${invariant} held on this run: remove it from KNOWN_OPEN in test/queue/lane.ts`);
	const open = Object.keys(KNOWN_OPEN).filter((invariant) => !held.includes(invariant));
	const verdict =
		(lane.failures.length === 0
			? 'PASSED'
			: `FAILED (${lane.failures.length} broken invariant${lane.failures.length === 1 ? '' : 's'})`) +
		(open.length > 0 ? ` [known open: ${open.join(', ')}]` : '');
	process.stdout.write(`queue lane ${verdict}: ${lane.summary.join('; ')}\n`);
	return lane.failures.length === 0 ? 0 : 1;
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
		say(`FAILED: ${error.message}`);
		if (process.env.E2E_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
		process.stdout.write(`queue lane FAILED: ${error.message.split('\n')[0]}\n`);
		await cleanupAll();
		process.exit(1);
	});
