/**
 * The alert template under measure (bench/alerts.ts): a fresh default-seed sandbox with the
 * template set up for a mode ("now" or "before"), the problems and devices alerts are raised for,
 * and one execution of the webhook path or of Sync Open Alerts (the backstop) through it.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { readTemplate } from '../dev/templates';
import { startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import type { RaiseAlertInput } from '../sandbox/datto/state';
import { CredentialStore } from '../dev/runner/credentials';
import { runWorkflow } from '../dev/runner/engine';
import type { WorkflowDefinition } from '../dev/runner/engine';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { breakdown } from './measure';

const NODE = 'Process Alert';
const OUTPUTS = ['created', 'updated', 'completed', 'skipped'] as const;

export interface Harness {
	pkg: LoadedPackage;
	sandbox: Sandbox;
	credentials: CredentialStore;
	workflow: WorkflowDefinition;
	mode: AlertMode;
}

/**
 * How the alert template is set up for a measure. "now": the template as its notes tell (a
 * shared secret in the webhook URL) with the node's defaults. "before": the path as it ran when
 * issue 19 was filed, measured in the same run: unsigned deliveries (every alert read from Datto
 * before the tickets) and a note on the storm ticket for every delivery (Storm Note Interval 0).
 */
export type AlertModeName = 'now' | 'before';

export interface AlertMode {
	name: AlertModeName;
	secret?: string;
	options: IDataObject;
}

export const MODES: Record<AlertModeName, AlertMode> = {
	now: { name: 'now', secret: ['bench', 'shared', 'secret'].join('-'), options: {} },
	before: { name: 'before', options: { stormNoteIntervalSeconds: 0 } },
};

function alertWorkflow(mode: AlertMode): WorkflowDefinition {
	const workflow = readTemplate('datto-rmm-alerts-to-autotask-tickets.json');
	for (const node of workflow.nodes) {
		if (node.name !== NODE) continue;
		node.parameters = {
			...node.parameters,
			sharedSecret: mode.secret ?? '',
			options: {
				...((node.parameters.options as IDataObject) ?? {}),
				...mode.options,
			} as INodeParameters,
		};
	}
	return workflow;
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
			workflow: alertWorkflow(mode),
			mode,
		};
		const value = await fn(h);
		return { value, contractViolations: sandbox.contractViolations.length };
	} finally {
		await sandbox.stop();
	}
}

export function device(sandbox: Sandbox, prefix: string): string {
	const found = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix));
	if (!found) throw new Error(`The default seed has no Datto device ${prefix}`);
	return found.uid;
}

/** A different problem each time: services, disks, processes, event codes. */
export function problem(tag: string, index: number): RaiseAlertInput['alertContext'] {
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
		autotask: entries.filter((e) => e.vendor === 'autotask' && !/ZoneInformation/i.test(e.path))
			.length,
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
