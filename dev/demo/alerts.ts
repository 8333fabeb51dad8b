import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../runner/engine';
import { readTemplate } from '../templates';
import type { Template } from '../templates';
import { callsByVendor, failIfErrored, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, failureText, formatCalls, step, table } from './output';

const TEMPLATE = 'datto-rmm-alerts-to-autotask-tickets.json';
/** The template's one alert node: every trigger reaches it. */
const ALERT_NODE = 'RMM Alert to Ticket';

interface Delivery {
	created: number;
	updated: number;
	completed: number;
	skipped: number;
	calls: Record<string, number>;
}

/** Every seed webhook, one execution each: as n8n runs the Webhook node for each delivery. */
async function deliver(
	demo: DemoContext,
	workflow: Template,
	bodies: unknown[],
): Promise<Delivery> {
	const { sandbox } = demo;
	const outcome: Delivery = { created: 0, updated: 0, completed: 0, skipped: 0, calls: {} };
	const from = lastSeq(sandbox);
	// Every delivery runs, as n8n runs each webhook; the failed ones are reported together.
	const failures: string[] = [];
	for (const [index, body] of bodies.entries()) {
		// Datto sends "resolved" because the alert is resolved: the replay makes that so first.
		const result = await runWorkflow({
			pkg: demo.pkg,
			credentials: demo.credentials,
			workflow,
			startNode: 'Datto RMM Webhook',
			mode: 'webhook',
			input: [
				sandbox.datto.webhookItem(sandbox.datto.replaySeedWebhook(body)) as unknown as IDataObject,
			],
		});
		try {
			failIfErrored(result, [], TEMPLATE);
		} catch (error) {
			failures.push(`delivery ${index + 1}: ${failureText(error)}`);
			continue;
		}
		outcome.created += result.items(ALERT_NODE, 0).length;
		outcome.updated += result.items(ALERT_NODE, 1).length;
		outcome.completed += result.items(ALERT_NODE, 2).length;
		const skipped = result.json(ALERT_NODE, 3);
		const failed = skipped.filter((json) => json.error);
		if (failed.length)
			failures.push(
				`delivery ${index + 1}: ${ALERT_NODE} reported an error: ${String(failed[0].error)}`,
			);
		outcome.skipped += skipped.length - failed.length;
	}
	outcome.calls = callsByVendor(sandbox, from);
	if (failures.length)
		throw new DemoFailure(
			`${failures.length} of ${bodies.length} webhook deliveries failed: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? '; ...' : ''}`,
		);
	return outcome;
}

/** The alert template over the seed's webhooks, delivered twice: the second delivery must change nothing. */
export const alertSection: DemoSection = async (demo) => {
	const { sandbox } = demo;
	const workflow = readTemplate(TEMPLATE);
	const bodies = sandbox.datto.takeSeedWebhooks();
	const ticketsBefore = sandbox.autotask.tickets.length;
	const first = await step(
		`Datto RMM → Autotask: delivering the seed's ${bodies.length} webhooks through workflows/${TEMPLATE}`,
		async () => await deliver(demo, workflow, bodies),
	);
	const ticketsAfterFirst = sandbox.autotask.tickets.length;
	const notesAfterFirst = sandbox.autotask.ticketNotes.length;
	const second = await step(
		'Datto RMM → Autotask: delivering the same webhooks again',
		async () => await deliver(demo, workflow, bodies),
	);
	if (
		second.created !== 0 ||
		sandbox.autotask.tickets.length !== ticketsAfterFirst ||
		sandbox.autotask.ticketNotes.length !== notesAfterFirst
	) {
		throw new DemoFailure(
			`Re-delivering the same webhooks created ${second.created} ticket(s) and ${sandbox.autotask.ticketNotes.length - notesAfterFirst} note(s); expected none`,
		);
	}
	if (second.updated !== 0 || second.completed !== 0) {
		throw new DemoFailure(
			`Re-delivering the same webhooks updated ${second.updated} and completed ${second.completed} ticket(s); expected none`,
		);
	}
	const rows = [
		['delivery', 'created', 'noted', 'completed', 'skipped', 'API calls'],
		...[first, second].map((d, i) => [
			i === 0 ? 'first' : 'again',
			String(d.created),
			String(d.updated),
			String(d.completed),
			String(d.skipped),
			formatCalls(d.calls),
		]),
	];
	return [
		'Datto RMM alerts → Autotask tickets:',
		...table(rows),
		`  Autotask tickets: ${ticketsBefore} before, ${ticketsAfterFirst} after the first delivery, ${sandbox.autotask.tickets.length} after the second`,
		'',
	];
};
