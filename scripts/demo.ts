/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * `npm run demo`: the package's main job, end to end, without real tenants.
 *
 * Starts the vendor sandbox, loads the BUILT package the way n8n loads a community package,
 * runs the three template workflows from workflows/ through n8n's execution engine (credentials
 * pointed at the sandbox), prints what they did, runs them again to show that nothing changes,
 * and exits 0 — or prints what went wrong and exits 1.
 *
 *   --seed DIR   a vendor-native seed folder (see sandbox/README.md); DIR/scenario.json optional
 *   --out DIR    write the sandbox's final state there, in the seed layout
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { DEFAULT_SEED_DIR, startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../dev/runner/engine';
import type { WorkflowDefinition, WorkflowResult } from '../dev/runner/engine';
import { loadBuiltPackage, PACKAGE_ROOT } from '../dev/runner/nodeTypes';
import type { LoadedPackage } from '../dev/runner/nodeTypes';

interface Scenario {
	contactSync: {
		autotaskCompanyId: number | string;
		connectwiseCompanyId: number | string;
		domains: string[];
		updateExisting: boolean;
		mode: 'changes' | 'mirror';
	};
}

const ACTIONS = [
	'Create',
	'Update',
	'Deactivate',
	'Reactivate',
	'Unchanged',
	'Needs Review',
] as const;
const WRITERS = [
	'Create Contact',
	'Update Contact',
	'Deactivate Contact',
	'Reactivate Contact',
] as const;

class DemoFailure extends Error {}

const out = (text = '') => process.stdout.write(`${text}\n`);
let stepNumber = 0;
async function step<T>(title: string, work: () => Promise<T>): Promise<T> {
	stepNumber++;
	const started = Date.now();
	process.stdout.write(`[${stepNumber}] ${title} ... `);
	const result = await work();
	out(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return result;
}

function parseArgs(argv: string[]): { seedDir: string; outDir?: string } {
	const args: { seedDir: string; outDir?: string } = { seedDir: DEFAULT_SEED_DIR };
	for (let i = 0; i < argv.length; i++) {
		const value = argv[i + 1];
		if (argv[i] === '--seed' && value) {
			args.seedDir = path.resolve(value);
			i++;
		} else if (argv[i] === '--out' && value) {
			args.outDir = path.resolve(value);
			i++;
		} else if (argv[i] === '--help' || argv[i] === '-h') {
			out('Usage: npm run demo -- [--seed DIR] [--out DIR]');
			process.exit(0);
		} else {
			throw new DemoFailure(
				`Unknown argument "${argv[i]}". Usage: npm run demo -- [--seed DIR] [--out DIR]`,
			);
		}
	}
	if (!fs.existsSync(args.seedDir))
		throw new DemoFailure(`Seed folder ${args.seedDir} does not exist`);
	return args;
}

function readScenario(seedDir: string): Scenario {
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

function readTemplate(file: string): WorkflowDefinition & { nodes: INode[] } {
	return JSON.parse(
		fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', file), 'utf8'),
	) as WorkflowDefinition & { nodes: INode[] };
}

/** The template as a user would set it up for this customer: company, domains, switches. */
function configureContactSync(
	workflow: WorkflowDefinition & { nodes: INode[] },
	psa: 'autotask' | 'connectwise',
	scenario: Scenario,
) {
	const sync = scenario.contactSync;
	const companyId = String(psa === 'autotask' ? sync.autotaskCompanyId : sync.connectwiseCompanyId);
	const domains = sync.domains.join(', ');
	for (const node of workflow.nodes) {
		const parameters = node.parameters as IDataObject;
		if (node.type === 'n8n-nodes-msp.office365Users') {
			parameters.filters = { ...(parameters.filters as IDataObject), emailDomains: domains };
		} else if (node.type === 'n8n-nodes-msp.contactReconcile') {
			Object.assign(parameters, {
				companyId,
				domains,
				updateExisting: sync.updateExisting,
				mode: sync.mode,
			});
		} else if (parameters.operation === 'getAll' && node.type !== 'n8n-nodes-msp.office365Users') {
			parameters.filters = { ...(parameters.filters as IDataObject), companyId };
		}
	}
	return workflow;
}

function callsByVendor(sandbox: Sandbox, fromSeq: number): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of sandbox.log.entries) {
		if (entry.seq <= fromSeq) continue;
		counts[entry.vendor] = (counts[entry.vendor] ?? 0) + 1;
	}
	return counts;
}

function lastSeq(sandbox: Sandbox): number {
	return sandbox.log.entries[sandbox.log.entries.length - 1]?.seq ?? 0;
}

function failIfErrored(result: WorkflowResult, nodes: readonly string[], what: string): void {
	if (result.status !== 'success') {
		throw new DemoFailure(
			`${what} did not finish: ${result.error?.message ?? result.status}${result.error?.description ? ` (${result.error.description})` : ''}`,
		);
	}
	for (const node of nodes) {
		const errors = result.json(node).filter((json) => json.error);
		if (errors.length)
			throw new DemoFailure(
				`${what}: "${node}" reported ${errors.length} error(s), first: ${String(errors[0].error)}`,
			);
	}
}

interface SyncRound {
	counts: Record<(typeof ACTIONS)[number], number>;
	applied: number;
	calls: Record<string, number>;
	writes: number;
}

async function runContactSync(
	pkg: LoadedPackage,
	sandbox: Sandbox,
	credentials: CredentialStore,
	staticData: StaticDataStore,
	workflow: WorkflowDefinition,
	label: string,
): Promise<SyncRound> {
	const from = lastSeq(sandbox);
	// As the Schedule Trigger would start it: a production run, so the sync's memory is saved.
	const result = await runWorkflow({
		pkg,
		credentials,
		workflow,
		startNode: 'Every Hour',
		mode: 'trigger',
		staticData,
	});
	failIfErrored(result, WRITERS, label);
	const counts = Object.fromEntries(
		ACTIONS.map((action, index) => [action, result.items('Contact Reconcile', index).length]),
	) as SyncRound['counts'];
	const applied = WRITERS.reduce(
		(sum, node) => sum + result.json(node).filter((json) => json.applied === true).length,
		0,
	);
	const writes = sandbox.log.entries.filter(
		(entry) =>
			entry.seq > from && entry.method !== 'GET' && !/\/query|\/token|oauth/i.test(entry.path),
	).length;
	return { counts, applied, calls: callsByVendor(sandbox, from), writes };
}

function syncTable(company: string, rounds: SyncRound[]): string {
	const header = ['run', ...ACTIONS.map((a) => a.toLowerCase()), 'applied', 'API calls'];
	const rows = rounds.map((round, index) => [
		index === 0 ? 'first' : 'again',
		...ACTIONS.map((action) => String(round.counts[action])),
		String(round.applied),
		Object.entries(round.calls)
			.map(([vendor, count]) => `${vendor} ${count}`)
			.join(', ') || '0',
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells: string[]) =>
		`  ${cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`;
	return [`  ${company}`, line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const scenario = readScenario(args.seedDir);
	out(
		'n8n-nodes-msp demo: the template workflows through the n8n engine, against the local vendor sandbox',
	);
	out(`seed: ${path.relative(process.cwd(), args.seedDir) || args.seedDir}`);
	out();

	const sandbox = await step(
		'Starting the Autotask, ConnectWise, Microsoft Graph and Datto RMM sandbox',
		async () => await startSandbox({ seedDir: args.seedDir }),
	);
	try {
		const pkg = await step(
			'Loading the built package as n8n loads a community package (dist/)',
			async () => await loadBuiltPackage(PACKAGE_ROOT),
		);
		const credentials = new CredentialStore(pkg.credentialTypes, sandbox.credentials);
		const staticData = new StaticDataStore();
		const tables: string[] = [];

		for (const psa of ['autotask', 'connectwise'] as const) {
			const name = psa === 'autotask' ? 'Autotask' : 'ConnectWise';
			const file = `office365-to-${psa}-contacts.json`;
			const companyId = String(
				psa === 'autotask'
					? scenario.contactSync.autotaskCompanyId
					: scenario.contactSync.connectwiseCompanyId,
			);
			const workflow = configureContactSync(readTemplate(file), psa, scenario);
			const company =
				psa === 'autotask'
					? sandbox.autotask.companies.find((c) => String(c.id) === companyId)?.companyName
					: sandbox.connectwise.companies.find((c) => String(c.id) === companyId)?.name;
			const first = await step(
				`Microsoft 365 → ${name}: running workflows/${file}`,
				async () => await runContactSync(pkg, sandbox, credentials, staticData, workflow, file),
			);
			const second = await step(
				`Microsoft 365 → ${name}: running it again`,
				async () => await runContactSync(pkg, sandbox, credentials, staticData, workflow, file),
			);
			const planned =
				first.counts.Create +
				first.counts.Update +
				first.counts.Deactivate +
				first.counts.Reactivate;
			if (first.applied !== planned)
				throw new DemoFailure(
					`${name}: ${planned} changes were planned but ${first.applied} applied`,
				);
			const changedAgain =
				second.counts.Create +
				second.counts.Update +
				second.counts.Deactivate +
				second.counts.Reactivate;
			if (changedAgain !== 0 || second.writes !== 0) {
				throw new DemoFailure(
					`${name}: the second run was expected to change nothing, but it planned ${changedAgain} change(s) and made ${second.writes} write call(s)`,
				);
			}
			tables.push(
				syncTable(`${name} company ${companyId}${company ? ` (${String(company)})` : ''}`, [
					first,
					second,
				]),
			);
		}

		const alerts = readTemplate('datto-rmm-alerts-to-autotask-tickets.json');
		const bodies = sandbox.datto.takeSeedWebhooks();
		const deliver = async () => {
			const outcome = {
				created: 0,
				updated: 0,
				completed: 0,
				skipped: 0,
				calls: {} as Record<string, number>,
			};
			const from = lastSeq(sandbox);
			for (const body of bodies) {
				// One webhook, one execution: as n8n runs the Webhook node for each delivery. Datto
				// sends "resolved" because the alert is resolved: the replay makes that so first.
				const result = await runWorkflow({
					pkg,
					credentials,
					workflow: alerts,
					startNode: 'Datto RMM Webhook',
					mode: 'webhook',
					input: [
						sandbox.datto.webhookItem(
							sandbox.datto.replaySeedWebhook(body),
						) as unknown as IDataObject,
					],
				});
				failIfErrored(result, [], 'datto-rmm-alerts-to-autotask-tickets.json');
				outcome.created += result.items('Process Alert', 0).length;
				outcome.updated += result.items('Process Alert', 1).length;
				outcome.completed += result.items('Process Alert', 2).length;
				const skipped = result.json('Process Alert', 3);
				const failed = skipped.filter((json) => json.error);
				if (failed.length)
					throw new DemoFailure(`Process Alert reported an error: ${String(failed[0].error)}`);
				outcome.skipped += skipped.length;
			}
			outcome.calls = callsByVendor(sandbox, from);
			return outcome;
		};
		const ticketsBefore = sandbox.autotask.tickets.length;
		const firstDelivery = await step(
			`Datto RMM → Autotask: delivering the seed's ${bodies.length} webhooks through workflows/datto-rmm-alerts-to-autotask-tickets.json`,
			deliver,
		);
		const ticketsAfterFirst = sandbox.autotask.tickets.length;
		const notesAfterFirst = sandbox.autotask.ticketNotes.length;
		const secondDelivery = await step(
			'Datto RMM → Autotask: delivering the same webhooks again',
			deliver,
		);
		if (
			secondDelivery.created !== 0 ||
			sandbox.autotask.tickets.length !== ticketsAfterFirst ||
			sandbox.autotask.ticketNotes.length !== notesAfterFirst
		) {
			throw new DemoFailure(
				`Re-delivering the same webhooks created ${secondDelivery.created} ticket(s) and ${sandbox.autotask.ticketNotes.length - notesAfterFirst} note(s); expected none`,
			);
		}
		if (secondDelivery.updated !== 0 || secondDelivery.completed !== 0) {
			throw new DemoFailure(
				`Re-delivering the same webhooks updated ${secondDelivery.updated} and completed ${secondDelivery.completed} ticket(s); expected none`,
			);
		}

		if (sandbox.contractViolations.length) {
			throw new DemoFailure(
				`${sandbox.contractViolations.length} request(s) or response(s) broke the vendors' API contracts, first: ${JSON.stringify(sandbox.contractViolations[0])}`,
			);
		}
		if (args.outDir)
			await step(`Writing the sandbox's final state to ${args.outDir}`, async () =>
				sandbox.dumpTo(args.outDir!),
			);

		out();
		out('Contact sync (Microsoft 365 is the source of truth), per company:');
		for (const table of tables) {
			out(table);
			out();
		}
		out('Datto RMM alerts → Autotask tickets:');
		const alertRows = [
			['delivery', 'created', 'noted', 'completed', 'skipped', 'API calls'],
			...[firstDelivery, secondDelivery].map((d, i) => [
				i === 0 ? 'first' : 'again',
				String(d.created),
				String(d.updated),
				String(d.completed),
				String(d.skipped),
				Object.entries(d.calls)
					.map(([vendor, count]) => `${vendor} ${count}`)
					.join(', '),
			]),
		];
		const widths = alertRows[0].map((_, i) => Math.max(...alertRows.map((row) => row[i].length)));
		for (const row of alertRows)
			out(`  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`);
		out(
			`  Autotask tickets: ${ticketsBefore} before, ${ticketsAfterFirst} after the first delivery, ${sandbox.autotask.tickets.length} after the second`,
		);
		out();
		out(
			`Contract checks: ${sandbox.log.count()} requests and responses validated against the vendors' OpenAPI documents, 0 violations.`,
		);
		out('Second runs changed nothing: the workflows are safe to re-run and to deliver twice.');
	} finally {
		await sandbox.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		out();
		if (error instanceof DemoFailure) {
			process.stderr.write(`Demo failed: ${error.message}\n`);
		} else {
			process.stderr.write(
				`Demo failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
		}
		process.exit(1);
	},
);
