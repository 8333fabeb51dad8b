/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * Contact Reconcile through the n8n engine (measure 4): the node over N + N items in
 * n8n-core's WorkflowExecute, in a production-mode run that saves static data, the second run
 * with the state the first one saved. The node's own time is n8n's recorded executionTime.
 *
 *   npx tsx bench/reconcileNode.ts [--size 10000] [--runs 3]
 */
import type { INode } from 'n8n-workflow';

import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import { PACKAGE_NAME } from '../dev/runner/nodeTypes';
import { FIXTURE, packageWithFixture } from '../dev/fixtureNode';
import { makeDataset } from './planner';

export interface ReconcileNodeBenchResult {
	size: number;
	runs: number;
	/** The node's executionTime in the first run (no saved state) and the median of later runs. */
	firstRunMs: number;
	medianMs: number;
	/** Median node time per input item (source + target), microseconds. */
	perItemUs: number;
	/** Whole workflow (fixture nodes parsing their JSON included), median. */
	workflowMedianMs: number;
	outputs: Record<string, number>;
}

const OUTPUTS = ['create', 'update', 'deactivate', 'reactivate', 'unchanged', 'review'];

function workflow(source: object[], target: object[]): WorkflowDefinition {
	const node = (
		name: string,
		type: string,
		x: number,
		y: number,
		parameters: INode['parameters'] = {},
	): INode => ({
		id: name,
		name,
		type,
		typeVersion: 1,
		position: [x, y],
		parameters,
	});
	return {
		id: 'bench-contact-sync',
		nodes: [
			node('Start', 'n8n-nodes-base.scheduleTrigger', 0, 0),
			node('Users', FIXTURE, 200, -100, { items: JSON.stringify(source) }),
			node('Contacts', FIXTURE, 200, 100, { items: JSON.stringify(target) }),
			node('Reconcile', `${PACKAGE_NAME}.contactReconcile`, 400, 0, {
				targetSystem: 'autotask',
				companyId: '100',
				updateExisting: true,
			}),
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'Users', type: 'main', index: 0 },
						{ node: 'Contacts', type: 'main', index: 0 },
					],
				],
			},
			Users: { main: [[{ node: 'Reconcile', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Reconcile', type: 'main', index: 1 }]] },
		},
	};
}

export async function benchReconcileNode(
	options: { size?: number; runs?: number } = {},
): Promise<ReconcileNodeBenchResult> {
	const size = options.size ?? 10_000;
	const runs = Math.max(2, options.runs ?? 3);
	const pkg = packageWithFixture();
	const credentials = new CredentialStore(pkg.credentialTypes, {});
	const staticData = new StaticDataStore();
	const { source, target } = makeDataset(size);
	const definition = workflow(source, target);
	const nodeTimes: number[] = [];
	const workflowTimes: number[] = [];
	let outputs: Record<string, number> = {};
	for (let run = 0; run < runs; run++) {
		const start = performance.now();
		const result = await runWorkflow({
			pkg,
			credentials,
			workflow: definition,
			mode: 'trigger',
			staticData,
		});
		workflowTimes.push(performance.now() - start);
		if (result.status !== 'success')
			throw new Error(`the benchmark workflow failed: ${result.error?.message}`);
		nodeTimes.push(result.run.data.resultData.runData.Reconcile[0].executionTime);
		outputs = Object.fromEntries(
			OUTPUTS.map((name, index) => [name, result.items('Reconcile', index).length]),
		);
	}
	const median = (values: number[]) =>
		[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const later = nodeTimes.slice(1);
	return {
		size,
		runs,
		firstRunMs: nodeTimes[0],
		medianMs: median(later),
		perItemUs: Math.round((median(later) / (2 * size)) * 1000 * 10) / 10,
		workflowMedianMs: Math.round(median(workflowTimes.slice(1))),
		outputs,
	};
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const value = (flag: string) => {
		const at = args.indexOf(flag);
		return at >= 0 ? Number(args[at + 1]) : undefined;
	};
	benchReconcileNode({ size: value('--size'), runs: value('--runs') }).then(
		(result) => {
			process.stdout.write(
				`Contact Reconcile in WorkflowExecute, ${result.size} users + ${result.size} contacts: node ${result.medianMs} ms median (${result.perItemUs} µs per item), first run ${result.firstRunMs} ms, workflow ${result.workflowMedianMs} ms\n${JSON.stringify(result)}\n`,
			);
		},
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
