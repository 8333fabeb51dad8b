/**
 * The alert template under measure (bench/alerts.ts): a fresh default-seed sandbox with the
 * template set up for a mode ("now" or "before"), the problems and devices alerts are raised for,
 * and one execution of the webhook path or of Sync Open Alerts (the backstop) through it.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { parseAlertKey } from '../lib/alerts/key';
import type { ParsedKey } from '../lib/alerts/key';
import { splitXRef } from '../lib/alerts/psa/connectwiseRecords';
import { PRIORITY_LABELS } from '../lib/alerts/settings';
import { customerMapRows } from '../dev/customerMap';
import { connectCustomerMap, CUSTOMER_MAP_TABLE, readTemplate } from '../dev/templates';
import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { entityByRoute } from '../sandbox/autotask/fields';
import { defaultScenario } from '../sandbox/scenario';
import { MSP } from '../sandbox/seed/customers';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { dataTables } from '../dev/runner/standInNodes';
import { AUTH_PATH, breakdown } from './measure';

const NODE = 'RMM Alert to Ticket';
const OUTPUTS = ['created', 'updated', 'completed', 'skipped'] as const;

export interface Harness {
	pkg: LoadedPackage;
	sandbox: Sandbox;
	credentials: CredentialStore;
	workflow: WorkflowDefinition;
	mode: AlertMode;
	psa: PsaView;
}

/**
 * How the alert template is set up for a measure. "now": the template as the README says to set
 * it up (a shared secret in the webhook URL, the customer map on the Customer Map inputs, the
 * ticket settings picked from the tenant's lists and so stored by id), with the node's other
 * defaults. "before": the path as it ran when issue 19 was filed, measured in the same run:
 * unsigned deliveries (every alert read from Datto before the tickets), no customer map (the
 * site read for its Autotask company), nothing picked (the ticket field metadata read per
 * execution) and a note on the storm ticket for every delivery (Storm Note Interval 0).
 * "connectwise": "now" through the ConnectWise template.
 */
export type AlertModeName = 'now' | 'before' | 'connectwise';

export type AlertPsa = 'autotask' | 'connectwise';

export interface AlertMode {
	name: AlertModeName;
	psa: AlertPsa;
	secret?: string;
	/** The customer map connected and the ticket settings picked by id. */
	setUp: boolean;
	options: IDataObject;
}

const SECRET = ['bench', 'shared', 'secret'].join('-');

export const MODES: Record<AlertModeName, AlertMode> = {
	now: { name: 'now', psa: 'autotask', secret: SECRET, setUp: true, options: {} },
	before: {
		name: 'before',
		psa: 'autotask',
		setUp: false,
		options: { stormNoteIntervalSeconds: 0 },
	},
	connectwise: {
		name: 'connectwise',
		psa: 'connectwise',
		secret: SECRET,
		setUp: true,
		options: {},
	},
};

const TEMPLATES: Record<AlertPsa, string> = {
	autotask: 'datto-rmm-alerts-to-autotask-tickets.json',
	connectwise: 'datto-rmm-alerts-to-connectwise-tickets.json',
};

const DATTO_PRIORITIES = ['Critical', 'High', 'Moderate', 'Low', 'Information'] as const;

/** What a user picks in the editor from the Autotask tenant's lists: the source and the priorities. */
function autotaskPicks(sandbox: Sandbox): IDataObject {
	const fields = sandbox.autotask.fields(entityByRoute('Tickets')!);
	const values = (name: string) => fields.find((f) => f.name === name)?.picklistValues ?? [];
	const byLabel = (name: string, labels: string[]) =>
		labels
			.map((label) => values(name).find((v) => v.label.trim().toLowerCase() === label))
			.find(Boolean)?.value ?? '';
	return {
		ticketDefaults: { source: byLabel('source', ['monitoring alert']) },
		priorityMap: {
			priorities: Object.fromEntries(
				DATTO_PRIORITIES.map((p) => [p.toLowerCase(), byLabel('priority', PRIORITY_LABELS[p])]),
			),
		},
	};
}

/**
 * The ConnectWise settings a user picks: the first board, its default open status and its first
 * closed status, the priorities by rank.
 */
function connectwisePicks(sandbox: Sandbox, setUp: boolean): IDataObject {
	const { service } = sandbox.connectwise;
	const board = service.boards[0];
	const picks: IDataObject = {
		connectwiseBoard: { __rl: true, mode: 'list', value: String(board.id) },
		catchAllCompany: { __rl: true, mode: 'id', value: String(MSP.connectwiseId) },
	};
	if (!setUp) return picks;
	const open = service.boardStatuses
		.filter((s) => Number((s.board as { id: number }).id) === Number(board.id) && !s.closedStatus)
		.sort((a, b) => Number(a.sortOrder) - Number(b.sortOrder));
	const closed = service.boardStatuses
		.filter((s) => Number((s.board as { id: number }).id) === Number(board.id) && s.closedStatus)
		.sort((a, b) => Number(a.sortOrder) - Number(b.sortOrder));
	const ranked = [...service.priorities].sort((a, b) => Number(a.sortOrder) - Number(b.sortOrder));
	const rank = (i: number) => String(ranked[Math.min(i, ranked.length - 1)]?.id ?? '');
	return {
		...picks,
		connectwiseTicket: {
			newStatus: String((open.find((s) => s.defaultFlag) ?? open[0]).id),
			closedStatus: String(closed[0].id),
		},
		connectwisePriorityMap: {
			priorities: {
				critical: rank(0),
				high: rank(1),
				moderate: rank(2),
				low: rank(3),
				information: rank(3),
			},
		},
	};
}

function alertWorkflow(mode: AlertMode, sandbox: Sandbox): WorkflowDefinition {
	const workflow = readTemplate(TEMPLATES[mode.psa]);
	const picks =
		mode.psa === 'connectwise'
			? connectwisePicks(sandbox, mode.setUp)
			: mode.setUp
				? autotaskPicks(sandbox)
				: {};
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-msp.rmmAlertToTicket') continue;
		node.parameters = {
			...node.parameters,
			...picks,
			...(node.name === NODE ? { sharedSecret: mode.secret ?? '' } : {}),
			options: {
				...((node.parameters.options as IDataObject) ?? {}),
				...mode.options,
			} as INodeParameters,
		} as INodeParameters;
	}
	if (mode.setUp) {
		// The template's one alert node takes every trigger, so the map feeds it once.
		connectCustomerMap(workflow, NODE, ['Datto RMM Webhook', 'Every 15 Minutes', 'Sync Now']);
		dataTables.set(CUSTOMER_MAP_TABLE, customerMapRows(defaultScenario(), sandbox));
	}
	return workflow;
}

/** The PSA's alert tickets and notes as the sandbox holds them. */
export interface PsaView {
	tickets(): Array<{ id: number; key?: ParsedKey }>;
	notes(): Array<{ ticketId: number; text: string }>;
}

function psaView(sandbox: Sandbox, psa: AlertPsa): PsaView {
	if (psa === 'connectwise')
		return {
			tickets: () =>
				sandbox.connectwise.service.tickets.map((row) => {
					const xref = splitXRef(row.externalXRef);
					return { id: Number(row.id), key: xref ? parseAlertKey(xref.key) : undefined };
				}),
			notes: () =>
				sandbox.connectwise.service.ticketNotes.map((note) => ({
					ticketId: Number(note.ticketId),
					text: String(note.text ?? ''),
				})),
		};
	return {
		tickets: () =>
			sandbox.autotask.tickets.map((row) => ({
				id: Number(row.id),
				key: parseAlertKey(row.externalID),
			})),
		notes: () =>
			sandbox.autotask.ticketNotes.map((note) => ({
				ticketId: Number(note.ticketID),
				text: String(note.description ?? ''),
			})),
	};
}

/** A fresh default-seed sandbox for one measure, the template set up for the mode. */
export async function withHarness<T>(
	pkg: LoadedPackage,
	mode: AlertMode,
	fn: (h: Harness) => Promise<T>,
): Promise<{ value: T; contractViolations: number }> {
	const sandbox = await startSandbox();
	try {
		// Datto's extra second above 90% of its read window is not what is measured here.
		sandbox.datto.config.cutoffDelayMs = 0;
		const h: Harness = {
			pkg,
			sandbox,
			credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
			workflow: alertWorkflow(mode, sandbox),
			mode,
			psa: psaView(sandbox, mode.psa),
		};
		const value = await fn(h);
		return { value, contractViolations: sandbox.contractViolations.length };
	} finally {
		await sandbox.stop();
	}
}

/** One execution of the webhook path over these deliveries; the decisions and the calls. */
export async function deliver(h: Harness, alertUids: string[], event: 'raised' | 'resolved') {
	const from = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const input = alertUids.map(
		(uid) =>
			h.sandbox.datto.webhookItem(
				h.sandbox.datto.webhookBody(uid, event),
				h.mode.secret ? { secret: h.mode.secret } : {},
			) as unknown as IDataObject,
	);
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: h.workflow,
		startNode: 'Datto RMM Webhook',
		mode: 'webhook',
		input,
	});
	if (result.status !== 'success')
		throw new Error(`the alert workflow failed: ${result.error?.message ?? result.status}`);
	const decisions: Record<string, number> = {};
	for (let output = 0; output < OUTPUTS.length; output++) {
		for (const json of result.json(NODE, output)) {
			if (json.error) throw new Error(`Process Alert: ${String(json.error)}`);
			const decision = String(json.decision);
			decisions[decision] = (decisions[decision] ?? 0) + 1;
		}
	}
	const entries = h.sandbox.log.entries.filter((entry) => entry.seq > from);
	const calls = breakdown(entries);
	return {
		decisions,
		calls: calls.total,
		psa: entries.filter((e) => e.vendor === h.mode.psa && !AUTH_PATH.test(e.path)).length,
		datto: entries.filter((e) => e.vendor === 'datto' && !/oauth/i.test(e.path)).length,
	};
}

export function expectOnly(
	decisions: Record<string, number>,
	decision: string,
	count: number,
	what: string,
): void {
	if (decisions[decision] !== count || Object.keys(decisions).length !== 1) {
		throw new Error(`${what}: expected ${count} x ${decision}, got ${JSON.stringify(decisions)}`);
	}
}

export async function backstop(h: Harness): Promise<void> {
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: h.workflow,
		startNode: 'Every 15 Minutes',
		mode: 'trigger',
	});
	if (result.status !== 'success')
		throw new Error(`Sync Open Alerts failed: ${result.error?.message ?? result.status}`);
}
