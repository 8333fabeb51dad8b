import type { IDataObject, INode } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { splitXRef } from '../../lib/alerts/psa/connectwiseRecords';
import type { Sandbox } from '../../sandbox';
import { applyTicketEvents as applyAutotaskTicketEvents } from '../../sandbox/autotask';
import { applyTicketEvents as applyConnectWiseTicketEvents } from '../../sandbox/connectwise';
import type { OutboundDelivery } from '../../sandbox/core/outbox';
import { runWorkflow, singleNodeWorkflow } from '../runner/engine';
import type { WorkflowResult } from '../runner/engine';
import { readTemplate } from '../templates';
import type { Template } from '../templates';
import { callsByVendor, failIfErrored, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, failureText, formatCalls, step, table } from './output';
import { ticketDeliveryItem } from './ticketDeliveries';

/** The templates' one alert node: every trigger reaches it. */
const ALERT_NODE = 'RMM Alert to Ticket';
/** The demo's secret for the PSA's ticket deliveries (the sandbox signs with what it is given). */
const TICKET_SECRET = ['demo', 'ticket', 'webhook', 'secret'].join('-');

/** What differs between the two PSAs in the demo; everything else is one flow. */
interface AlertPsaDemo {
	/** 'Autotask' or 'ConnectWise'. */
	label: string;
	file: string;
	workflow: Template;
	/** The template's Webhook node for the PSA's ticket deliveries. */
	hookNode: string;
	/** Where the PSA posts them (the sandbox queues them; the demo hands them to the template). */
	hookUrl: string;
	/** The parameters Set Up Ticket Webhook needs besides the URL (the secret, the board). */
	setupParameters: IDataObject;
	/** "completed" (Autotask) or "closed" (ConnectWise). */
	done: string;
	tickets(): number;
	notes(): number;
	/** The seed's ticket events not yet applied. */
	pendingEvents(): number;
	/** Applies the seed's ticket events; what each could not do. */
	applyEvents(): { changed: number; errors: string[] };
	/** Removes and returns the queued ticket deliveries. */
	takeDeliveries(): OutboundDelivery[];
}

interface Delivery {
	created: number;
	updated: number;
	completed: number;
	skipped: number;
	calls: Record<string, number>;
}

function countOutputs(result: WorkflowResult, into: Delivery, failures: string[], what: string) {
	into.created += result.items(ALERT_NODE, 0).length;
	into.updated += result.items(ALERT_NODE, 1).length;
	into.completed += result.items(ALERT_NODE, 2).length;
	const skipped = result.json(ALERT_NODE, 3);
	const failed = skipped.filter((json) => json.error);
	if (failed.length)
		failures.push(`${what}: ${ALERT_NODE} reported an error: ${String(failed[0].error)}`);
	into.skipped += skipped.length - failed.length;
}

/** Every seed webhook, one execution each: as n8n runs the Webhook node for each delivery. */
async function deliver(demo: DemoContext, psa: AlertPsaDemo, bodies: unknown[]): Promise<Delivery> {
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
			workflow: psa.workflow,
			startNode: 'Datto RMM Webhook',
			mode: 'webhook',
			input: [
				sandbox.datto.webhookItem(sandbox.datto.replaySeedWebhook(body)) as unknown as IDataObject,
			],
		});
		try {
			failIfErrored(result, [], psa.file);
		} catch (error) {
			failures.push(`delivery ${index + 1}: ${failureText(error)}`);
			continue;
		}
		countOutputs(result, outcome, failures, `delivery ${index + 1}`);
	}
	outcome.calls = callsByVendor(sandbox, from);
	if (failures.length)
		throw new DemoFailure(
			`${failures.length} of ${bodies.length} webhook deliveries failed: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? '; ...' : ''}`,
		);
	return outcome;
}

/** Set Up Ticket Webhook, as a user runs it once: what it did. */
async function setUpTicketWebhook(demo: DemoContext, psa: AlertPsaDemo): Promise<string> {
	const node = psa.workflow.nodes.find((n) => n.name === ALERT_NODE)!;
	const result = await runWorkflow({
		pkg: demo.pkg,
		credentials: demo.credentials,
		workflow: singleNodeWorkflow({
			name: ALERT_NODE,
			type: node.type,
			typeVersion: node.typeVersion,
			credentials: node.credentials,
			parameters: {
				...(node.parameters.psa ? { psa: node.parameters.psa } : {}),
				operation: 'setUpTicketWebhook',
				ticketWebhookUrl: psa.hookUrl,
				...psa.setupParameters,
			} as INode['parameters'],
		}),
	});
	failIfErrored(result, [], 'Set Up Ticket Webhook');
	const said = [0, 1, 3].flatMap((output) => result.json(ALERT_NODE, output))[0] ?? {};
	return `${String(said.action)} (${(said.changes as string[] | undefined)?.join('; ') || 'as wanted already'})`;
}

/** Whether the PSA posts this delivery to the template's ticket Webhook node (its URL, any query). */
function toHook(psa: AlertPsaDemo, delivery: OutboundDelivery): boolean {
	const url = new URL(delivery.url);
	return `${url.origin}${url.pathname}` === psa.hookUrl;
}

interface Reverse {
	events: number;
	changed: number;
	deliveries: number;
	own: number;
	decisions: Record<string, number>;
	resolved: number;
	calls: Record<string, number>;
}

/**
 * The technicians' changes from the seed (ticketEvents.json), then every ticket delivery the PSA
 * queued (the node's own completions during the first delivery included), one execution each
 * through the template's ticket branch.
 */
async function reversePath(demo: DemoContext, psa: AlertPsaDemo): Promise<Reverse> {
	const { sandbox } = demo;
	const own = psa.takeDeliveries();
	const events = psa.pendingEvents();
	const applied = psa.applyEvents();
	const deliveries = [...own, ...psa.takeDeliveries()];
	const from = lastSeq(sandbox);
	const failures: string[] = [...applied.errors];
	const decisions: Record<string, number> = {};
	const openBefore = new Set(
		sandbox.datto.alerts.filter((a) => !a.resolved).map((a) => a.alertUid),
	);
	for (const [index, delivery] of deliveries.entries()) {
		if (!toHook(psa, delivery)) continue;
		const result = await runWorkflow({
			pkg: demo.pkg,
			credentials: demo.credentials,
			workflow: psa.workflow,
			startNode: psa.hookNode,
			mode: 'webhook',
			input: [ticketDeliveryItem(delivery)],
		});
		try {
			failIfErrored(result, [], psa.file);
		} catch (error) {
			failures.push(
				`ticket delivery ${index + 1} (${delivery.description}): ${failureText(error)}`,
			);
			continue;
		}
		for (const output of [0, 1, 2, 3])
			for (const json of result.json(ALERT_NODE, output)) {
				const decision = String(json.decision ?? 'error');
				decisions[decision] = (decisions[decision] ?? 0) + 1;
			}
	}
	const resolved = sandbox.datto.alerts.filter(
		(a) => a.resolved && openBefore.has(a.alertUid),
	).length;
	if (failures.length)
		throw new DemoFailure(
			`${failures.length} ticket event(s) or deliveries failed: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? '; ...' : ''}`,
		);
	return {
		events,
		changed: applied.changed,
		deliveries: deliveries.filter((d) => toHook(psa, d)).length,
		own: own.filter((d) => toHook(psa, d)).length,
		decisions,
		resolved,
		calls: callsByVendor(sandbox, from),
	};
}

/** The alert template over the seed's webhooks, delivered twice: the second delivery must change nothing. */
async function alertDemo(demo: DemoContext, psa: AlertPsaDemo): Promise<string[]> {
	const { sandbox } = demo;
	const bodies = sandbox.datto.takeSeedWebhooks();
	const withEvents = psa.pendingEvents() > 0;
	// Set up before the first delivery: the node's own completions call back too, as in the PSA.
	const setUp = withEvents
		? await step(
				`${psa.label} → Datto RMM: Set Up Ticket Webhook for ${psa.hookUrl}`,
				async () => await setUpTicketWebhook(demo, psa),
			)
		: undefined;
	const ticketsBefore = psa.tickets();
	const first = await step(
		`Datto RMM → ${psa.label}: delivering the seed's ${bodies.length} webhooks through workflows/${psa.file}`,
		async () => await deliver(demo, psa, bodies),
	);
	const ticketsAfterFirst = psa.tickets();
	const reverse = withEvents
		? await step(
				`${psa.label} → Datto RMM: the seed's ${psa.pendingEvents()} ticket event(s), their deliveries through the ticket branch`,
				async () => await reversePath(demo, psa),
			)
		: undefined;
	const ticketsBeforeSecond = psa.tickets();
	const notesBeforeSecond = psa.notes();
	const second = await step(
		`Datto RMM → ${psa.label}: delivering the same webhooks again`,
		async () => await deliver(demo, psa, bodies),
	);
	if (
		second.created !== 0 ||
		psa.tickets() !== ticketsBeforeSecond ||
		psa.notes() !== notesBeforeSecond
	) {
		throw new DemoFailure(
			`Re-delivering the same webhooks created ${second.created} ticket(s) and ${psa.notes() - notesBeforeSecond} note(s); expected none`,
		);
	}
	if (second.updated !== 0 || second.completed !== 0) {
		throw new DemoFailure(
			`Re-delivering the same webhooks updated ${second.updated} and completed ${second.completed} ticket(s); expected none`,
		);
	}
	const echoes = withEvents ? psa.takeDeliveries().filter((d) => toHook(psa, d)) : [];
	if (echoes.length)
		throw new DemoFailure(
			`Re-delivering the same webhooks changed ${echoes.length} ticket(s) in ${psa.label} (${echoes[0].description}); expected none`,
		);
	const rows = [
		['delivery', 'created', 'noted', psa.done, 'skipped', 'API calls'],
		...[first, second].map((d, i) => [
			i === 0 ? 'first' : 'again',
			String(d.created),
			String(d.updated),
			String(d.completed),
			String(d.skipped),
			formatCalls(d.calls),
		]),
	];
	const lines = [
		`Datto RMM alerts → ${psa.label} tickets:`,
		...table(rows),
		`  ${psa.label} tickets: ${ticketsBefore} before, ${ticketsAfterFirst} after the first delivery, ${psa.tickets()} after the second`,
	];
	if (reverse && setUp)
		lines.push(
			`Tickets ${psa.done} in ${psa.label} → alerts resolved in Datto RMM:`,
			`  ticket webhook: ${setUp}`,
			`  ${reverse.events} technician event(s) changed ${reverse.changed} ticket(s); ${reverse.deliveries} ticket deliveries through the template (${reverse.own} from the node's own changes)`,
			`  alerts resolved in Datto RMM: ${reverse.resolved}; decisions: ${Object.entries(
				reverse.decisions,
			)
				.map(([decision, count]) => `${decision} ${count}`)
				.join(', ')}; API calls: ${formatCalls(reverse.calls)}`,
		);
	return [...lines, ''];
}

const alertUidOfKey = (key: string | undefined) => (key ? parseAlertKey(key)?.alertUid : undefined);

function autotaskDemo(sandbox: Sandbox): AlertPsaDemo {
	const workflow = readTemplate('datto-rmm-alerts-to-autotask-tickets.json');
	setAlertNode(workflow, { webhookSecretKey: TICKET_SECRET });
	const state = sandbox.autotask;
	return {
		label: 'Autotask',
		file: 'datto-rmm-alerts-to-autotask-tickets.json',
		workflow,
		hookNode: 'Autotask Ticket Webhook',
		hookUrl: 'http://127.0.0.1:5678/webhook/autotask-ticket-webhook',
		setupParameters: { webhookSecretKey: TICKET_SECRET },
		done: 'completed',
		tickets: () => state.tickets.length,
		notes: () => state.ticketNotes.length,
		pendingEvents: () => state.ticketEvents.length,
		applyEvents: () => {
			const applied = applyAutotaskTicketEvents(state, {
				carriesAlert: (ticket, uid) =>
					alertUidOfKey(String(ticket.externalID ?? ''))?.toLowerCase() === uid.toLowerCase(),
			});
			return {
				changed: new Set(applied.outcomes.flatMap((o) => o.ticketIds)).size,
				errors: applied.outcomes.flatMap((o) => (o.error ? [o.error] : [])),
			};
		},
		takeDeliveries: () => state.ticketWebhooks.outbox.take(),
	};
}

function connectwiseDemo(demo: DemoContext): AlertPsaDemo {
	const { sandbox, scenario } = demo;
	const desk = sandbox.connectwise.service;
	const chosen = scenario.alerts?.connectwise ?? {};
	const board = chosen.boardId ?? Number(desk.boards[0]?.id);
	if (!board)
		throw new DemoFailure('alerts.psa is "connectwise" but the seed has no ConnectWise board');
	const statuses = desk.boardStatuses.filter(
		(status) => Number((status.board as { id?: unknown } | undefined)?.id) === board,
	);
	const newStatus =
		chosen.newStatusId ??
		Number(statuses.find((status) => !status.closedStatus && !status.inactive)?.id ?? 0);
	const closedStatus =
		chosen.closedStatusId ?? Number(statuses.find((status) => status.closedStatus)?.id ?? 0);
	// Site to company from the customer map: a Datto site names only Autotask companies.
	const mappings = (scenario.customers ?? []).flatMap((customer) =>
		customer.connectwiseCompanyId === undefined
			? []
			: (customer.dattoSiteUids ?? []).map((site) => ({
					site,
					companyId: customer.connectwiseCompanyId,
				})),
	);
	const workflow = readTemplate('datto-rmm-alerts-to-connectwise-tickets.json');
	setAlertNode(workflow, {
		callbackSecret: TICKET_SECRET,
		connectwiseBoard: { __rl: true, mode: 'id', value: String(board) },
		connectwiseTicket: {
			...(newStatus ? { newStatus: String(newStatus) } : {}),
			...(closedStatus ? { closedStatus: String(closedStatus) } : {}),
		},
		siteCompanies: { mappings },
	});
	return {
		label: 'ConnectWise',
		file: 'datto-rmm-alerts-to-connectwise-tickets.json',
		workflow,
		hookNode: 'ConnectWise Ticket Callback',
		hookUrl: 'http://127.0.0.1:5678/webhook/connectwise-ticket-callback',
		setupParameters: {
			callbackSecret: TICKET_SECRET,
			connectwiseBoard: { __rl: true, mode: 'id', value: String(board) },
		},
		done: 'closed',
		tickets: () => desk.tickets.length,
		notes: () => desk.ticketNotes.length,
		pendingEvents: () => desk.ticketEvents.length,
		applyEvents: () => {
			const applied = applyConnectWiseTicketEvents(sandbox.connectwise, {
				carriesAlert: (ticket, uid) =>
					alertUidOfKey(splitXRef(ticket.externalXRef)?.key)?.toLowerCase() === uid.toLowerCase(),
			});
			return {
				changed: new Set(applied.outcomes.flatMap((o) => o.ticketIds)).size,
				errors: applied.outcomes.flatMap((o) => (o.error ? [o.error] : [])),
			};
		},
		takeDeliveries: () => desk.outbox.take(),
	};
}

function setAlertNode(workflow: Template, parameters: IDataObject): void {
	const node = workflow.nodes.find((n) => n.name === ALERT_NODE);
	if (!node) throw new DemoFailure(`the alert template has no "${ALERT_NODE}" node`);
	node.parameters = { ...node.parameters, ...parameters } as INode['parameters'];
}

/** The alert template of the scenario's PSA (alerts.psa, default Autotask) over the seed. */
export const alertSection: DemoSection = async (demo) =>
	await alertDemo(
		demo,
		demo.scenario.alerts?.psa === 'connectwise'
			? connectwiseDemo(demo)
			: autotaskDemo(demo.sandbox),
	);
