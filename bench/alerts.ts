/**
 * The alert path (measure 5): workflows/datto-rmm-alerts-to-autotask-tickets.json through
 * n8n's WorkflowExecute against the sandbox (default seed), calls counted in its request log
 * (Autotask and Datto; token and zone look-ups reported apart).
 *
 * The RMM node's caches (Datto sites, configuration items, ticket field metadata, the site's
 * alert tickets, the assignee) live for ONE execution. "Warm caches" therefore means: several
 * alerts in one execution (a webhook batch, or Sync Open Alerts), the calls divided by the alerts,
 * so that what one alert filled is reused by the next. "Cold" means one webhook per execution,
 * the way Datto delivers them one by one.
 */
import type { IDataObject } from 'n8n-workflow';

import { readTemplate } from '../dev/templates';
import { parseAlertKey } from '../lib/alerts/key';
import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import type { RaiseAlertInput } from '../sandbox/datto/state';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { breakdown, round } from './measure';

const NODE = 'Process Alert';
const OUTPUTS = ['created', 'updated', 'completed', 'skipped'] as const;
export const AUTOTASK_HOURLY_BUDGET = 10_000;

export interface PerAlertCalls {
	/** Alerts measured and the calls they took (auth excluded), per alert. */
	alerts: number;
	newCalls: number;
	repeatCalls: number;
	resolveCalls: number;
}

export interface StormResult {
	alerts: number;
	/** How they arrived: all in one execution, or one execution per webhook. */
	delivery: 'one execution' | 'one execution per webhook';
	ticketsCreated: number;
	stormTickets: number;
	notes: number;
	decisions: Record<string, number>;
	autotaskCalls: number;
	dattoCalls: number;
	/** The most Autotask requests the sandbox counted in its rolling hour, and its 429s for the budget. */
	autotaskPeakHour: number;
	budgetRefusals: number;
	wallMs: number;
	/** Where the calls went ("vendor METHOD /path" → calls), token and zone look-ups included. */
	byRoute: Record<string, number>;
}

export interface AlertsBench {
	warm: PerAlertCalls & { devices: number; problemsPerDevice: number };
	cold: PerAlertCalls;
	storms: StormResult[];
	contractViolations: number;
	/** What "warm" and "cold" mean here. */
	definitions: { warm: string; cold: string };
}

interface Harness {
	pkg: LoadedPackage;
	sandbox: Sandbox;
	credentials: CredentialStore;
	workflow: WorkflowDefinition;
}

function device(sandbox: Sandbox, prefix: string): string {
	const found = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix));
	if (!found) throw new Error(`The default seed has no Datto device ${prefix}`);
	return found.uid;
}

/** A different problem each time: services, disks, processes, event codes. */
function problem(tag: string, index: number): RaiseAlertInput['alertContext'] {
	switch (index % 4) {
		case 0:
			return { '@class': 'srvc_status_ctx', serviceName: `${tag}Svc${index}`, status: 'STOPPED' };
		case 1:
			return {
				'@class': 'perf_disk_usage_ctx',
				diskName: `${tag}Vol${index}`,
				freeSpace: 1,
				totalVolume: 100,
				unitOfMeasure: 'GB',
			};
		case 2:
			return {
				'@class': 'process_status_ctx',
				processName: `${tag}proc${index}.exe`,
				status: 'NOT_RUNNING',
			};
		default:
			return {
				'@class': 'eventlog_ctx',
				logName: 'System',
				code: 7000 + index,
				source: tag,
				type: 'ERROR',
				description: 'failed',
			};
	}
}

/** One execution of the webhook path over these deliveries; the decisions and the calls. */
async function deliver(h: Harness, alertUids: string[], event: 'raised' | 'resolved') {
	const from = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const input = alertUids.map(
		(uid) =>
			h.sandbox.datto.webhookItem(
				h.sandbox.datto.webhookBody(uid, event),
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
		autotask: entries.filter((e) => e.vendor === 'autotask' && !/ZoneInformation/i.test(e.path))
			.length,
		datto: entries.filter((e) => e.vendor === 'datto' && !/oauth/i.test(e.path)).length,
	};
}

function expectOnly(
	decisions: Record<string, number>,
	decision: string,
	count: number,
	what: string,
): void {
	if (decisions[decision] !== count || Object.keys(decisions).length !== 1) {
		throw new Error(`${what}: expected ${count} x ${decision}, got ${JSON.stringify(decisions)}`);
	}
}

/** New, repeat and resolve of the same problems: all in one execution each (warm), or one webhook per execution (cold). */
async function perAlert(
	h: Harness,
	devices: string[],
	problemsPerDevice: number,
	tag: string,
	batched: boolean,
): Promise<PerAlertCalls> {
	const problems = devices.flatMap((prefix) =>
		Array.from({ length: problemsPerDevice }, (_, n) => ({
			uid: device(h.sandbox, prefix),
			context: problem(tag, n),
		})),
	);
	const raise = () =>
		problems.map(
			(p) => h.sandbox.datto.raiseAlert({ deviceUid: p.uid, alertContext: p.context }).alertUid,
		);
	const run = async (uids: string[], event: 'raised' | 'resolved', decision: string) => {
		const batches = batched ? [uids] : uids.map((uid) => [uid]);
		let calls = 0;
		for (const batch of batches) {
			const outcome = await deliver(h, batch, event);
			expectOnly(outcome.decisions, decision, batch.length, `${tag} ${event}`);
			calls += outcome.calls;
		}
		return round(calls / uids.length, 2);
	};
	const fresh = raise();
	const newCalls = await run(fresh, 'raised', 'created');
	const repeats = raise();
	const repeatCalls = await run(repeats, 'raised', 'repeatNoted');
	// The problem is over: both alerts resolve in Datto, and the ticket's own alert's webhook completes it.
	for (const uid of [...fresh, ...repeats]) h.sandbox.datto.resolveAlert(uid);
	const resolveCalls = await run(fresh, 'resolved', 'completed');
	return { alerts: problems.length, newCalls, repeatCalls, resolveCalls };
}

async function storm(
	h: Harness,
	prefix: string,
	count: number,
	delivery: StormResult['delivery'],
): Promise<StormResult> {
	const uid = device(h.sandbox, prefix);
	const alerts = Array.from(
		{ length: count },
		(_, i) =>
			h.sandbox.datto.raiseAlert({ deviceUid: uid, alertContext: problem(`Storm${prefix}`, i) })
				.alertUid,
	);
	const ticketsBefore = new Set(h.sandbox.autotask.tickets.map((t) => Number(t.id)));
	const notesBefore = h.sandbox.autotask.ticketNotes.length;
	const refusalsBefore = h.sandbox.log.count({ vendor: 'autotask', status: 429 });
	let peak = 0;
	const decisions: Record<string, number> = {};
	let autotaskCalls = 0;
	let dattoCalls = 0;
	const from = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const started = performance.now();
	const batches = delivery === 'one execution' ? [alerts] : alerts.map((alert) => [alert]);
	for (const batch of batches) {
		const outcome = await deliver(h, batch, 'raised');
		for (const [decision, n] of Object.entries(outcome.decisions))
			decisions[decision] = (decisions[decision] ?? 0) + n;
		autotaskCalls += outcome.autotask;
		dattoCalls += outcome.datto;
		peak = Math.max(peak, h.sandbox.autotask.requestTimes.length);
	}
	const wallMs = Math.round(performance.now() - started);
	const created = h.sandbox.autotask.tickets.filter((t) => !ticketsBefore.has(Number(t.id)));
	return {
		alerts: count,
		delivery,
		ticketsCreated: created.length,
		stormTickets: created.filter((t) => parseAlertKey(t.externalID)?.storm).length,
		notes: h.sandbox.autotask.ticketNotes.length - notesBefore,
		decisions,
		autotaskCalls,
		dattoCalls,
		autotaskPeakHour: peak,
		budgetRefusals: h.sandbox.log.count({ vendor: 'autotask', status: 429 }) - refusalsBefore,
		wallMs,
		byRoute: breakdown(h.sandbox.log.entries.filter((entry) => entry.seq > from)).byRoute,
	};
}

export async function benchAlerts(
	pkg: LoadedPackage,
	options: { stormSize?: number; oneByOneStormSize?: number } = {},
): Promise<AlertsBench> {
	const sandbox = await startSandbox();
	try {
		// Datto's extra second above 90% of its read window is not what is measured here.
		sandbox.datto.config.cutoffDelayMs = 0;
		const h: Harness = {
			pkg,
			sandbox,
			credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
			workflow: readTemplate('datto-rmm-alerts-to-autotask-tickets.json'),
		};
		// Three Contoso HQ servers, three problems each: under the default storm limits (3 per device, 10 per site).
		const warmDevices = ['1d7d3962', '63ebc7f7', '3f2fc960'];
		const warm = await perAlert(h, warmDevices, 3, 'Warm', true);
		sandbox.datto.resetRateWindows();
		// One problem on each of three retail tills, one webhook per execution.
		const cold = await perAlert(h, ['5423870e', '233cb1dd', 'aaeab3d6'], 1, 'Cold', false);
		sandbox.datto.resetRateWindows();

		const storms: StormResult[] = [];
		storms.push(await storm(h, '0bccf47d', options.stormSize ?? 1000, 'one execution'));
		sandbox.datto.resetRateWindows();
		// 1,000 webhooks, 1,000 executions: Datto's 600 reads a minute would spread them over two
		// minutes of throttling waits; lifted here so the run stays short (the calls are counted).
		const readLimit = sandbox.datto.config.readLimit;
		sandbox.datto.config.readLimit = Number.MAX_SAFE_INTEGER;
		storms.push(
			await storm(
				h,
				'51db25bc',
				options.oneByOneStormSize ?? options.stormSize ?? 1000,
				'one execution per webhook',
			),
		);
		sandbox.datto.config.readLimit = readLimit;

		return {
			warm: { ...warm, devices: warmDevices.length, problemsPerDevice: 3 },
			cold,
			storms,
			contractViolations: sandbox.contractViolations.length,
			definitions: {
				warm: "several alerts in one execution (the node's caches of sites, configuration items, ticket metadata and the site's alert tickets live for one execution): calls of the execution / alerts; 3 devices x 3 problems",
				cold: 'one webhook per execution, as Datto delivers them: every execution starts with empty caches (token and zone already in the credential)',
			},
		};
	} finally {
		await sandbox.stop();
	}
}
