import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import type { Seed } from '../../../sandbox/index';
import { applyTicketEvents as applyAutotaskTicketEvents } from '../../../sandbox/autotask';
import type { ImportedTemplate, Lane } from '../lane';
import { executeWorkflow, nodeErrors, nodeOutputs } from '../../../dev/n8n/n8n';
import type { ExecutionResult } from '../../../dev/n8n/n8n';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { check, detail } from '../../../dev/n8n/progress';
import { PublicApi, waitFor, waitForWebhook } from '../../../dev/n8n/server';
import { describeDiff, diffState } from '../../../dev/n8n/state';
import type { StateDiff } from '../../../dev/n8n/state';
import { nodesOfType } from '../../../dev/n8n/templates';
import { createWorkflow, disableSchedules, nodeNamed, publish, saveWorkflow } from './editorSteps';
import type { StoredWorkflow } from './editorSteps';
import { outputCounts, writeRequests } from './shared';

const ALERT_OUTPUTS = ['created', 'updated', 'completed', 'skipped'];
/** Autotask's system status "Complete" [V]. */
const AUTOTASK_COMPLETE = 5;

export function alertOutputNames(lane: Lane): string[] {
	const names = (lane.nodeTypes.rmmAlertToTicket?.description.outputNames ?? []).map((name) =>
		String(name).toLowerCase(),
	);
	for (const name of ALERT_OUTPUTS)
		check(
			names.includes(name),
			`RMM Alert to Ticket has no "${name}" output (outputs: ${names.join(', ')})`,
		);
	return names;
}

interface TicketEffect {
	created: number;
	completed: number;
	notes: number;
	changed: number;
}

function ticketEffect(diff: StateDiff): TicketEffect {
	const tickets = diff['autotask.tickets'] ?? { added: [], removed: [], changed: [] };
	const notes = diff['autotask.ticketNotes'] ?? { added: [], removed: [], changed: [] };
	return {
		created: tickets.added.length,
		completed: tickets.changed.filter(
			(change) =>
				Number(change.after.status) === AUTOTASK_COMPLETE &&
				Number(change.before.status) !== AUTOTASK_COMPLETE,
		).length,
		notes: notes.added.length,
		changed: tickets.changed.length,
	};
}

function sumCounts(
	execution: ExecutionResult,
	nodeNames: string[],
	outputNames: string[],
): Record<string, number> {
	const total: Record<string, number> = {};
	for (const name of nodeNames) {
		for (const [output, count] of Object.entries(outputCounts(execution, name, outputNames)))
			total[output] = (total[output] ?? 0) + count;
	}
	return total;
}

/** "autotask 3, datto 2" (0 calls: "none"). */
export function formatCalls(calls: Record<string, number>): string {
	const entries = Object.entries(calls).filter(([, count]) => count > 0);
	return entries.length
		? entries.map(([vendor, count]) => `${vendor} ${count}`).join(', ')
		: 'none';
}

export function format(counts: Record<string, number>): string {
	return Object.entries(counts)
		.map(([name, count]) => `${name} ${count}`)
		.join(', ');
}

/**
 * `n8n execute` starts at the template's Manual Trigger (the CLI cannot start at a Webhook or
 * Schedule Trigger). Run 1: new tickets match the node's Created output, completed tickets its
 * Completed output, nothing deleted. Run 2: nothing changes.
 */
export async function checkAlertTemplateCli(lane: Lane, imported: ImportedTemplate): Promise<void> {
	const sandbox = lane.sandbox!;
	const manual = nodesOfType(imported.workflow, 'n8n-nodes-base.manualTrigger');
	check(
		manual.length > 0,
		`workflows/${imported.spec.file} has no Manual Trigger: \`n8n execute\` only starts at a Manual Trigger (or an Execute Workflow Trigger), so the CLI cannot run this template`,
	);
	const nodes = nodesOfType(imported.workflow, `${PACKAGE_NAME}.rmmAlertToTicket`).map(
		(node) => node.name,
	);
	check(nodes.length > 0, `workflows/${imported.spec.file} has no RMM Alert to Ticket node`);
	const outputNames = alertOutputNames(lane);

	const before = sandbox.dump();
	const logStart = sandbox.log.entries.length;
	const first = await executeWorkflow(imported.id, imported.spec.label);
	const errors1 = nodeErrors(first);
	check(errors1.length === 0, `run 1 recorded node errors: ${errors1.join('; ')}`);
	const counts1 = sumCounts(first, nodes, outputNames);
	const after1 = sandbox.dump();
	const diff1 = diffState(before, after1);
	const effect1 = ticketEffect(diff1);
	detail(
		`run 1 (from "${manual[0].name}"): ${format(counts1)}; ${sandbox.log.entries.length - logStart} API calls; sandbox: ${describeDiff(diff1)}`,
	);
	check((diff1['autotask.tickets']?.removed.length ?? 0) === 0, 'run 1 deleted Autotask tickets');
	check(
		counts1.created + counts1.updated + counts1.completed > 0,
		`run 1 did nothing against the default seed (${format(counts1)}): the check would prove nothing`,
	);
	check(
		effect1.created === counts1.created,
		`run 1 reported ${counts1.created} created tickets, the sandbox has ${effect1.created} new tickets`,
	);
	check(
		effect1.completed === counts1.completed,
		`run 1 reported ${counts1.completed} completed tickets, ${effect1.completed} tickets became Complete`,
	);

	const logMiddle = sandbox.log.entries.length;
	const second = await executeWorkflow(imported.id, `${imported.spec.label} (run 2)`);
	const errors2 = nodeErrors(second);
	check(errors2.length === 0, `run 2 recorded node errors: ${errors2.join('; ')}`);
	const counts2 = sumCounts(second, nodes, outputNames);
	const diff2 = diffState(after1, sandbox.dump());
	const writes2 = writeRequests(sandbox.log.entries.slice(logMiddle), 'autotask');
	detail(`run 2: ${format(counts2)}; ${writes2.length} writes; sandbox: ${describeDiff(diff2)}`);
	check(
		counts2.created === 0 && counts2.completed === 0 && counts2.updated === 0,
		`run 2 still acted: ${format(counts2)}`,
	);
	check(
		writes2.length === 0,
		`run 2 sent ${writes2.length} write requests: ${writes2.slice(0, 5).join(', ')}`,
	);
	check(Object.keys(diff2).length === 0, `run 2 changed the sandbox: ${describeDiff(diff2)}`);
	lane.notes.push(
		`${imported.spec.label} (CLI): run 1 ${format(counts1)}; run 2 ${format(counts2)}`,
	);
}

interface PublicExecution {
	id: string | number;
	status: string;
	mode?: string;
	finished?: boolean;
	data?: ExecutionResult['data'];
}

interface Delivery {
	label: string;
	body: Record<string, unknown>;
}

export interface DeliveryResult {
	outcomes: Array<{ output: string; json: Record<string, unknown> }>;
	diff: StateDiff;
	/** Vendor API calls the run made, by vendor (token requests included). */
	calls: Record<string, number>;
	/** The run's error message when it failed (n8n's execution list shows it failed). */
	error?: string;
}

/** What a webhook answered the caller. */
export interface Answer {
	status: number;
	body: string;
}

type Tickets = Map<number, Record<string, unknown>>;

function tickets(seed: Seed): Tickets {
	return new Map(
		(seed.autotask.tickets as Array<Record<string, unknown>>).map((ticket) => [
			Number(ticket.id),
			ticket,
		]),
	);
}

/** Posts a vendor's queued call (its exact bytes and headers) to a URL, as the vendor does. */
export async function post(
	url: string,
	headers: Record<string, string>,
	body: string,
): Promise<Answer> {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.text() };
}

/**
 * Sends one delivery to a published workflow's live webhook, waits for the one execution it
 * starts to finish, checks it ended as expected (a rejected delivery fails its run: n8n's
 * execution list shows it failed) and reads the RMM Alert to Ticket outcome from its data.
 */
export class WebhookDeliverer {
	private readonly seen = new Set<string>();

	constructor(
		private readonly lane: Lane,
		private readonly api: PublicApi,
		private readonly workflowId: string,
		private readonly nodeNames: string[],
		private readonly outputNames: string[],
	) {}

	private async executions(): Promise<PublicExecution[]> {
		const result = await this.api.get<{ data: PublicExecution[] }>(
			`/executions?workflowId=${this.workflowId}&limit=250`,
		);
		return result.data;
	}

	async prime(): Promise<void> {
		for (const execution of await this.executions()) this.seen.add(String(execution.id));
	}

	async send(
		label: string,
		send: () => Promise<Answer>,
		expected: 'success' | 'error' = 'success',
	): Promise<DeliveryResult> {
		const sandbox = this.lane.sandbox!;
		const before = sandbox.dump();
		const logStart = sandbox.log.entries.length;
		const response = await send();
		check(
			response.status >= 200 && response.status < 300,
			`${label}: the webhook answered ${response.status}: ${response.body.slice(0, 300)}`,
		);
		const execution = await waitFor(
			`the execution of ${label} to finish`,
			async () => {
				// Only executions a webhook started (no schedule runs: disableSchedules).
				const fresh = (await this.executions()).filter(
					(entry) => !this.seen.has(String(entry.id)) && (entry.mode ?? 'webhook') === 'webhook',
				);
				if (fresh.length > 1) throw new Error(`${label} started ${fresh.length} executions`);
				return fresh.length === 1 && !['new', 'running', 'waiting'].includes(fresh[0].status)
					? fresh[0]
					: undefined;
			},
			{ timeoutMs: 60_000, process: this.lane.server!.process },
		);
		this.seen.add(String(execution.id));
		check(
			execution.status === expected,
			`${label}: execution ${execution.id} ended ${execution.status}, expected ${expected}`,
		);
		const full = await this.api.get<PublicExecution>(
			`/executions/${execution.id}?includeData=true`,
		);
		check(full.data?.resultData, `${label}: execution ${execution.id} has no run data`);
		const run = { data: full.data } as ExecutionResult;
		const errors = nodeErrors(run);
		if (expected === 'success')
			check(errors.length === 0, `${label}: node errors ${errors.join('; ')}`);
		const outcomes: DeliveryResult['outcomes'] = [];
		for (const name of this.nodeNames) {
			(nodeOutputs(run, name) ?? []).forEach((items, index) => {
				for (const json of items) outcomes.push({ output: this.outputNames[index], json });
			});
		}
		const failures = [
			full.data.resultData.error,
			...Object.values(full.data.resultData.runData).flatMap((runs) =>
				runs.map((entry) => entry.error),
			),
		].flatMap((error) =>
			error ? [`${error.message ?? ''} ${error.description ?? ''}`.trim()] : [],
		);
		const calls: Record<string, number> = {};
		for (const entry of sandbox.log.entries.slice(logStart))
			calls[entry.vendor] = (calls[entry.vendor] ?? 0) + 1;
		return {
			outcomes,
			diff: diffState(before, sandbox.dump()),
			calls,
			error: failures.length ? [...new Set(failures)].join(' | ') : undefined,
		};
	}

	/** A Datto RMM webhook body, posted as Datto's monitor response posts it. */
	async deliver(url: string, delivery: Delivery): Promise<DeliveryResult> {
		return await this.send(
			delivery.label,
			async () => await this.lane.sandbox!.datto.deliver(url, delivery.body),
		);
	}
}

export function describeOutcome(result: DeliveryResult): string {
	return result.outcomes
		.map(
			({ output, json }) =>
				`${output}/${String(json.decision)}${json.ticketNumber ? ` ${String(json.ticketNumber)}` : ''}${json.reason ? ` (${String(json.reason).slice(0, 80)})` : ''}`,
		)
		.join(', ');
}

/** The sandbox change must match what the node said it did. */
function checkConsistent(
	label: string,
	result: DeliveryResult,
	before: Tickets,
	after: Tickets,
): void {
	check(
		result.outcomes.length === 1,
		`${label}: expected one RMM Alert to Ticket item, got ${result.outcomes.length}`,
	);
	const [{ output, json }] = result.outcomes;
	const effect = ticketEffect(result.diff);
	check(
		(result.diff['autotask.tickets']?.removed.length ?? 0) === 0,
		`${label}: tickets were deleted`,
	);
	const ticketId = json.ticketId === undefined ? undefined : Number(json.ticketId);
	if (output === 'created') {
		check(
			ticketId !== undefined && !before.has(ticketId) && after.has(ticketId),
			`${label}: Created ticket ${String(ticketId)}, but it is not a new ticket in Autotask`,
		);
		check(effect.created === 1, `${label}: Created, but ${effect.created} tickets appeared`);
	} else if (output === 'completed') {
		check(
			ticketId !== undefined && Number(after.get(ticketId)?.status) === AUTOTASK_COMPLETE,
			`${label}: Completed ticket ${String(ticketId)}, but it is not Complete in Autotask`,
		);
		check(effect.created === 0, `${label}: Completed, yet ${effect.created} tickets appeared`);
	} else if (output === 'updated') {
		check(
			ticketId !== undefined && after.has(ticketId),
			`${label}: Updated ticket ${String(ticketId)}, which does not exist`,
		);
		check(effect.created === 0, `${label}: Updated, yet ${effect.created} tickets appeared`);
		check(
			effect.notes + effect.changed > 0,
			`${label}: Updated ticket ${String(ticketId)}, but no note was added and no ticket changed`,
		);
	} else {
		check(
			effect.created === 0 && effect.completed === 0,
			`${label}: Skipped, yet ${effect.created} tickets appeared and ${effect.completed} were completed`,
		);
	}
}

/** A device at a site mapped to a customer company, for the live raise → repeat → resolve flow. */
export function mappedDevice(seed: Seed): string {
	const sites = new Map(
		(seed.datto.sites as Array<Record<string, unknown>>).map((site) => [String(site.uid), site]),
	);
	const device = (seed.datto.devices as Array<Record<string, unknown>>).find((entry) => {
		const company = sites.get(String(entry.siteUid))?.autotaskCompanyId;
		return (
			company !== undefined && company !== null && String(company) !== '' && String(company) !== '0'
		);
	});
	check(device, 'the sandbox has no Datto device at a site mapped to an Autotask company');
	return String(device.uid);
}

/**
 * The alert workflow, published before `n8n start`, receives Datto webhooks on its live URL:
 * 1. a fresh alert raised in the sandbox's Datto side, a repeat of it (same device, monitor and
 *    detail), an exact re-delivery, and the resolves: one ticket created, the repeat noted on it,
 *    the re-delivery creating nothing, the ticket completed;
 * 2. the seed's webhook bodies in order (raised, repeats, resolves, resolve-before-raise, alerts
 *    the native integration ticketed), each outcome checked against the sandbox;
 * 3. the seed bodies once more: not one new ticket.
 */
export async function checkAlertWebhooks(
	lane: Lane,
	imported: ImportedTemplate,
	api: PublicApi,
): Promise<void> {
	const server = lane.server!;
	const sandbox = lane.sandbox!;
	// The template's other Webhook node receives the PSA's ticket webhook.
	const webhooks = nodesOfType(imported.workflow, 'n8n-nodes-base.webhook').filter(
		(node) => node.name === 'Datto RMM Webhook',
	);
	check(
		webhooks.length === 1,
		`workflows/${imported.spec.file} should have exactly one Webhook node named "Datto RMM Webhook", it has ${webhooks.length}`,
	);
	const webhook = webhooks[0];
	const webhookPath = String(webhook.parameters?.path ?? '').replace(/^\//, '');
	const method = String(webhook.parameters?.httpMethod ?? 'GET').toUpperCase();
	check(webhookPath, `the Webhook node "${webhook.name}" has no path`);
	check(
		method === 'POST',
		`the Webhook node "${webhook.name}" listens for ${method}; Datto RMM delivers with POST`,
	);
	const nodeNames = nodesOfType(imported.workflow, `${PACKAGE_NAME}.rmmAlertToTicket`).map(
		(node) => node.name,
	);
	const outputNames = alertOutputNames(lane);
	const disabled = await savePublished(lane, api, imported.id);
	if (disabled.length) detail(`disabled in the published copy: ${disabled.join(', ')}`);
	await waitForWebhook(server, webhookPath);
	const url = `${server.url}/webhook/${webhookPath}`;
	detail(`production webhook registered: POST ${url}`);

	const deliverer = new WebhookDeliverer(lane, api, imported.id, nodeNames, outputNames);
	await deliverer.prime();
	const calls = new Map<string, string>();
	const deliver = async (delivery: Delivery): Promise<DeliveryResult> => {
		const before = tickets(sandbox.dump());
		const result = await deliverer.deliver(url, delivery);
		detail(
			`${delivery.label}: ${describeOutcome(result)}; ${describeDiff(result.diff)}; API calls: ${formatCalls(result.calls)}`,
		);
		calls.set(delivery.label, formatCalls(result.calls));
		checkConsistent(delivery.label, result, before, tickets(sandbox.dump()));
		return result;
	};
	const only = (result: DeliveryResult) => result.outcomes[0];

	// 1. raise → repeat → re-delivery → resolve, driven through the sandbox's Datto side.
	const deviceUid = mappedDevice(sandbox.dump());
	const context = { '@class': 'srvc_status_ctx', serviceName: 'E2eLaneService', status: 'STOPPED' };
	sandbox.datto.takeOutbox();
	const first = sandbox.datto.raiseAlert({ deviceUid, alertContext: context, priority: 'High' });
	const [raisedFirst] = sandbox.datto.takeOutbox();
	const created = await deliver({ label: 'live raised', body: raisedFirst.body });
	check(
		only(created).output === 'created',
		`live raised: expected Created, got ${describeOutcome(created)}`,
	);
	const ticketId = Number(only(created).json.ticketId);
	const repeat = sandbox.datto.raiseAlert({ deviceUid, alertContext: context, priority: 'High' });
	const [raisedRepeat] = sandbox.datto.takeOutbox();
	const noted = await deliver({ label: 'live repeat', body: raisedRepeat.body });
	check(
		only(noted).output === 'updated' && Number(only(noted).json.ticketId) === ticketId,
		`live repeat: expected a note on ticket ${ticketId}, got ${describeOutcome(noted)}`,
	);
	const again = await deliver({ label: 'live re-delivery', body: raisedFirst.body });
	check(
		only(again).output !== 'created',
		`live re-delivery created a second ticket: ${describeOutcome(again)}`,
	);
	sandbox.datto.resolveAlert(repeat.alertUid);
	sandbox.datto.resolveAlert(first.alertUid);
	for (const [index, entry] of sandbox.datto.takeOutbox().entries())
		await deliver({ label: `live resolved ${index + 1}`, body: entry.body });
	const ticket = tickets(sandbox.dump()).get(ticketId);
	check(
		Number(ticket?.status) === AUTOTASK_COMPLETE,
		`live resolved: ticket ${ticketId} is status ${String(ticket?.status)}, not Complete`,
	);
	check(
		(sandbox.dump().autotask.ticketNotes as Array<Record<string, unknown>>).some(
			(note) => Number(note.ticketID) === ticketId,
		),
		`ticket ${ticketId} has no notes after a repeat and a resolve`,
	);

	// 2. the seed's bodies, in order (each replayed: a resolved body resolves its alert in Datto first).
	const bodies = sandbox.datto.takeSeedWebhooks() as Array<Record<string, unknown>>;
	check(bodies.length > 0, 'the sandbox has no seed webhook bodies (datto/webhooks.json)');
	const totals: Record<string, number> = {};
	for (const [index, body] of bodies.entries()) {
		const result = await deliver({
			label: `seed ${index + 1} ${String(body.event ?? '?')} ${String(body.alertUid ?? '').slice(0, 8)}`,
			body: sandbox.datto.replaySeedWebhook(body),
		});
		const output = only(result).output;
		totals[output] = (totals[output] ?? 0) + 1;
	}
	// 3. all of them again: nothing new.
	const ticketsBefore = tickets(sandbox.dump()).size;
	for (const [index, body] of bodies.entries()) {
		const result = await deliver({
			label: `seed ${index + 1} again`,
			body: sandbox.datto.replaySeedWebhook(body),
		});
		check(
			only(result).output !== 'created',
			`re-delivering seed body ${index + 1} created a ticket: ${describeOutcome(result)}`,
		);
	}
	check(
		tickets(sandbox.dump()).size === ticketsBefore,
		're-delivering the seed bodies created tickets',
	);
	lane.notes.push(
		`Live webhooks: raise → repeat → re-delivery → resolve on ticket ${String(only(created).json.ticketNumber)} (API calls: ${['live raised', 'live repeat', 'live re-delivery', 'live resolved 1'].map((label) => `${label.replace('live ', '')} ${calls.get(label) ?? '?'}`).join('; ')}); seed bodies ${bodies.length}: ${format(totals)}; re-delivered: 0 new tickets`,
	);
}

/**
 * Saves the published workflow with its Schedule Trigger disabled (`disableSchedules`) and the
 * given RMM Alert to Ticket parameters (n8n publishes the change), then waits until none of its
 * executions is still running (a schedule run that started before the save).
 */
export async function savePublished(
	lane: Lane,
	api: PublicApi,
	workflowId: string,
	parameters: Record<string, unknown> = {},
): Promise<string[]> {
	const stored = await api.get<StoredWorkflow>(`/workflows/${workflowId}`);
	const disabled = disableSchedules(stored);
	const alertNode = nodeNamed(stored, 'RMM Alert to Ticket');
	alertNode.parameters = { ...alertNode.parameters, ...parameters };
	await saveWorkflow(api, stored);
	await waitFor(
		`the executions of workflow ${workflowId} to finish`,
		async () => {
			const { data } = await api.get<{ data: PublicExecution[] }>(
				`/executions?workflowId=${workflowId}&limit=250`,
			);
			return data.some((entry) => ['new', 'running', 'waiting'].includes(entry.status))
				? undefined
				: true;
		},
		{ timeoutMs: 120_000, process: lane.server!.process },
	);
	return disabled;
}

/** A long random secret, as a user types into the node (never the same two runs). */
export function randomSecret(): string {
	return randomBytes(24).toString('base64url');
}

/**
 * Set Up Ticket Webhook run in n8n the way the template's note tells a user: an RMM Alert to
 * Ticket node with that operation, run once (here behind a Webhook node, since n8n's API cannot
 * start a Manual Trigger). Returns what the node said it did.
 */
export async function runSetUpTicketWebhook(
	lane: Lane,
	api: PublicApi,
	psa: 'autotask' | 'connectwise',
	parameters: Record<string, unknown>,
): Promise<Array<Record<string, unknown>>> {
	const credential = psa === 'autotask' ? 'autotaskApi' : 'connectWiseManageApi';
	const path = `e2e-set-up-ticket-webhook-${psa}`;
	const created = await createWorkflow(api, {
		name: `e2e: Set Up Ticket Webhook (${psa})`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Run Once',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Set Up Ticket Webhook',
				type: `${PACKAGE_NAME}.rmmAlertToTicket`,
				typeVersion: 2,
				position: [240, 0],
				parameters: { psa, operation: 'setUpTicketWebhook', ...parameters },
				credentials: {
					[credential]: lane.credentialRefs[credential],
					dattoRmmApi: lane.credentialRefs.dattoRmmApi,
				},
			},
		],
		connections: {
			'Run Once': { main: [[{ node: 'Set Up Ticket Webhook', type: 'main', index: 0 }]] },
		},
	});
	await publish(api, created);
	await waitForWebhook(lane.server!, path);
	const deliverer = new WebhookDeliverer(
		lane,
		api,
		created.id,
		['Set Up Ticket Webhook'],
		alertOutputNames(lane),
	);
	await deliverer.prime();
	const result = await deliverer.send(
		`Set Up Ticket Webhook (${psa})`,
		async () => await post(`${lane.server!.url}/webhook/${path}`, {}, ''),
	);
	return result.outcomes.map((outcome) => outcome.json);
}

const isResolved = (lane: Lane, alertUid: string) =>
	lane.sandbox!.datto.alert(alertUid)?.resolved === true;

/**
 * Issue 22 in real n8n: the published Autotask alert template, its Autotask Webhook Secret Key set
 * (saved and published again through n8n's API), the ticket webhook set up by Set Up Ticket
 * Webhook; a fresh alert's ticket completed by a technician in the sandbox's Autotask, which signs
 * the callout with the webhook's secret key:
 * 1. the callout re-signed with another key, and the callout without its signature, are rejected:
 *    their runs fail, nothing changes;
 * 2. the callout as Autotask sent it resolves the alert in Datto RMM;
 * 3. the same callout again changes nothing (the alert is already resolved).
 */
export async function checkAutotaskTicketWebhook(
	lane: Lane,
	imported: ImportedTemplate,
	api: PublicApi,
): Promise<void> {
	const server = lane.server!;
	const sandbox = lane.sandbox!;
	const hookNode = nodeNamed(imported.workflow, 'Autotask Ticket Webhook');
	const hookPath = String(hookNode.parameters?.path ?? '').replace(/^\//, '');
	const hookUrl = `${server.url}/webhook/${hookPath}`;
	const dattoPath = String(
		nodeNamed(imported.workflow, 'Datto RMM Webhook').parameters?.path ?? '',
	).replace(/^\//, '');
	const nodeNames = nodesOfType(imported.workflow, `${PACKAGE_NAME}.rmmAlertToTicket`).map(
		(node) => node.name,
	);
	const secret = randomSecret();

	// The user types the secret key into the node and saves: n8n publishes the change.
	await savePublished(lane, api, imported.id, { webhookSecretKey: secret });
	await waitForWebhook(server, hookPath);
	await waitForWebhook(server, dattoPath);

	const setUp = await runSetUpTicketWebhook(lane, api, 'autotask', {
		webhookSecretKey: secret,
		ticketWebhookUrl: hookUrl,
	});
	const hooks = sandbox.autotask.ticketWebhooks.webhooks.filter(
		(row) => row.webhookUrl === hookUrl,
	);
	check(
		hooks.length === 1 && hooks[0].secretKey === secret && hooks[0].isReady === true,
		`Set Up Ticket Webhook left ${hooks.length} ready ticket webhook(s) for ${hookUrl} with the secret key (said: ${JSON.stringify(setUp).slice(0, 300)})`,
	);
	detail(`Set Up Ticket Webhook: ${String(setUp[0]?.changes ?? setUp[0]?.action ?? '?')}`);

	const deliverer = new WebhookDeliverer(lane, api, imported.id, nodeNames, alertOutputNames(lane));
	await deliverer.prime();
	// A fresh alert and its ticket.
	const deviceUid = mappedDevice(sandbox.dump());
	sandbox.datto.takeOutbox();
	const alert = sandbox.datto.raiseAlert({
		deviceUid,
		alertContext: {
			'@class': 'srvc_status_ctx',
			serviceName: 'E2eTicketWebhook',
			status: 'STOPPED',
		},
		priority: 'High',
	});
	const [raised] = sandbox.datto.takeOutbox();
	const created = await deliverer.deliver(`${server.url}/webhook/${dattoPath}`, {
		label: 'ticket webhook: alert raised',
		body: raised.body,
	});
	check(
		created.outcomes.length === 1 && created.outcomes[0].output === 'created',
		`ticket webhook: the fresh alert should open a ticket, got ${describeOutcome(created)}`,
	);
	const ticketId = Number(created.outcomes[0].json.ticketId);
	// What the node's own writes called out is not this check's subject (the in-process tests'):
	// only the technician's change is delivered here.
	sandbox.autotask.ticketWebhooks.outbox.take();

	// A technician completes it in Autotask: one signed callout to the template.
	const applied = applyAutotaskTicketEvents(sandbox.autotask, {
		events: [{ ticketId, status: AUTOTASK_COMPLETE }],
	});
	check(
		!applied.outcomes[0]?.error,
		`completing ticket ${ticketId}: ${applied.outcomes[0]?.error}`,
	);
	const callouts = sandbox.autotask.ticketWebhooks.outbox.take();
	check(
		callouts.length === 1 && callouts[0].url === hookUrl,
		`completing ticket ${ticketId} queued ${callouts.length} callout(s) to ${callouts.map((c) => c.url).join(', ')}`,
	);
	const [callout] = callouts;
	check(
		Object.keys(callout.headers).some((name) => name.toLowerCase() === 'x-hook-signature'),
		'the callout carries no X-Hook-Signature',
	);
	check(!isResolved(lane, alert.alertUid), 'the alert was resolved before any callout arrived');

	// 1. Signed with another key: rejected, nothing changes.
	const forged = {
		...Object.fromEntries(
			Object.entries(callout.headers).filter(([name]) => name.toLowerCase() !== 'x-hook-signature'),
		),
		'X-Hook-Signature': `sha1=${createHmac('sha1', randomSecret()).update(callout.body, 'utf8').digest('base64')}`,
	};
	const logBefore = sandbox.log.entries.length;
	const rejected = await deliverer.send(
		'ticket webhook: bad signature',
		async () => await post(hookUrl, forged, callout.body),
		'error',
	);
	const writes = writeRequests(sandbox.log.entries.slice(logBefore));
	check(
		/X-Hook-Signature/i.test(rejected.error ?? ''),
		`ticket webhook: the bad signature's run failed with "${rejected.error}", not the signature error`,
	);
	check(
		!(rejected.error ?? '').includes(secret),
		'ticket webhook: the error message contains the secret key',
	);
	check(
		Object.keys(rejected.diff).length === 0 && writes.length === 0,
		`ticket webhook: the bad signature changed the sandbox: ${describeDiff(rejected.diff)} ${writes.join(', ')}`,
	);
	check(!isResolved(lane, alert.alertUid), 'ticket webhook: the bad signature resolved the alert');
	detail(`bad signature: execution failed ("${(rejected.error ?? '').slice(0, 90)}"), 0 writes`);
	const unsigned = await deliverer.send(
		'ticket webhook: no signature',
		async () =>
			await post(
				hookUrl,
				Object.fromEntries(
					Object.entries(callout.headers).filter(
						([name]) => name.toLowerCase() !== 'x-hook-signature',
					),
				),
				callout.body,
			),
		'error',
	);
	check(
		/X-Hook-Signature header is missing/i.test(unsigned.error ?? '') &&
			Object.keys(unsigned.diff).length === 0 &&
			!isResolved(lane, alert.alertUid),
		`ticket webhook: the unsigned callout's run failed with "${unsigned.error}", changes: ${describeDiff(unsigned.diff)}`,
	);

	// 2. As Autotask sent it: the alert is resolved in Datto RMM.
	const accepted = await deliverer.send(
		'ticket webhook: signed callout',
		async () => await post(callout.url, callout.headers, callout.body),
	);
	check(
		isResolved(lane, alert.alertUid),
		`ticket webhook: ticket ${ticketId} completed, yet alert ${alert.alertUid} is still open (${describeOutcome(accepted)})`,
	);
	check(
		accepted.outcomes.some((outcome) => outcome.json.decision === 'alertResolved'),
		`ticket webhook: expected an alertResolved outcome, got ${describeOutcome(accepted)}`,
	);
	check(
		(accepted.diff['autotask.tickets']?.added.length ?? 0) === 0,
		'ticket webhook: the callout created a ticket',
	);
	detail(
		`signed callout: ${describeOutcome(accepted)}; ${describeDiff(accepted.diff)}; API calls: ${formatCalls(accepted.calls)}`,
	);

	// 3. Delivered again: harmless.
	const again = await deliverer.send(
		'ticket webhook: the same callout again',
		async () => await post(callout.url, callout.headers, callout.body),
	);
	check(
		!again.outcomes.some((outcome) => outcome.json.decision === 'alertResolved'),
		`ticket webhook: the re-delivery resolved again: ${describeOutcome(again)}`,
	);
	check(
		Object.keys(again.diff).length === 0,
		`ticket webhook: the re-delivery changed the sandbox: ${describeDiff(again.diff)}`,
	);
	lane.notes.push(
		`Autotask ticket webhook: ticket ${String(created.outcomes[0].json.ticketNumber)} completed in Autotask → alert resolved in Datto RMM (${String(accepted.outcomes[0]?.json.decision)}; API calls: ${formatCalls(accepted.calls)}); bad or missing signature: run failed, 0 writes (${formatCalls(rejected.calls)} / ${formatCalls(unsigned.calls)}); same callout again: ${String(again.outcomes[0]?.json.decision)} (${formatCalls(again.calls)})`,
	);
}
