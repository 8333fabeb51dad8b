import { executeWorkflow, importWorkflow, nodeOutputs } from '../../../dev/n8n/n8n';
import { check, detail } from '../../../dev/n8n/progress';

/** Manual Trigger → Set: proves import:workflow and execute --rawOutput work in this n8n. */
export async function runSmokeWorkflow(): Promise<void> {
	const id = 'e2eSmokeWorkflow01';
	await importWorkflow({
		id,
		name: 'e2e smoke',
		active: false,
		nodes: [
			{
				id: 'a1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a2',
				name: 'Mark',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					assignments: { assignments: [{ id: 'f1', name: 'lane', value: 'e2e', type: 'string' }] },
					options: {},
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Mark', type: 'main', index: 0 }]] } },
		settings: {},
	});
	const execution = await executeWorkflow(id, 'e2e smoke');
	const items = nodeOutputs(execution, 'Mark')?.[0] ?? [];
	check(
		items.length === 1 && items[0].lane === 'e2e',
		`the smoke workflow returned ${JSON.stringify(items)} instead of one item {lane: "e2e"}`,
	);
	detail(`status ${execution.status ?? '?'}, output ${JSON.stringify(items[0])}`);
}
