import type { IDataObject, INode } from 'n8n-workflow';

import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowResult } from '../../dev/runner/engine';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';
import { dataTables } from '../../dev/runner/standInNodes';
import { CUSTOMER_MAP_TABLE, deviceSyncTemplate } from '../../dev/templates';
import type { Template } from '../../dev/templates';
import { customerMapRows } from '../../dev/customerMap';
import type { Sandbox } from '../../sandbox/index';
import { defaultScenario } from '../../sandbox/scenario';

export const NODE = 'Sync Devices';
export const OUTPUTS = [
	'created',
	'updated',
	'deactivated',
	'unchanged',
	'review',
	'unmapped',
] as const;

export interface DeviceHarness {
	sandbox: Sandbox;
	pkg: LoadedPackage;
	credentials: CredentialStore;
	/** The workflow's static data between runs, as n8n keeps it. */
	staticData: StaticDataStore;
	/** The template set up for the shipped scenario's mappings. */
	template: Template;
	/** The customer map rows the Data Table holds. */
	rows: IDataObject[];
}

export function harness(sandbox: Sandbox): DeviceHarness {
	const pkg = loadSourcePackage();
	const scenario = defaultScenario();
	return {
		sandbox,
		pkg,
		credentials: new CredentialStore(pkg.credentialTypes, {
			autotaskApi: sandbox.credentials.autotaskApi,
			dattoRmmApi: sandbox.credentials.dattoRmmApi,
		}),
		staticData: new StaticDataStore(),
		template: deviceSyncTemplate(scenario),
		rows: customerMapRows(scenario, sandbox),
	};
}

export type Outputs = Record<(typeof OUTPUTS)[number], IDataObject[]> & { result: WorkflowResult };

export interface SyncOptions {
	/** Parameters of Sync Devices merged over the template's. */
	parameters?: IDataObject;
	/** Options collection entries merged over the template's. */
	options?: IDataObject;
	rows?: IDataObject[];
	/** 'trigger' (the schedule: the memory is saved) or 'manual' (Sync Now). */
	mode?: 'trigger' | 'manual';
	continueOnFail?: boolean;
}

/** One run of the template (schedule or Sync Now) over the harness's customer map. */
export async function sync(h: DeviceHarness, options: SyncOptions = {}): Promise<Outputs> {
	const workflow = structuredClone(h.template);
	const node = workflow.nodes.find((n) => n.name === NODE) as INode;
	node.parameters = {
		...node.parameters,
		...options.parameters,
		options: { ...(node.parameters.options as IDataObject), ...options.options },
	} as INode['parameters'];
	if (options.continueOnFail) node.onError = 'continueRegularOutput';
	dataTables.set(CUSTOMER_MAP_TABLE, options.rows ?? h.rows);
	const mode = options.mode ?? 'trigger';
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow,
		startNode: mode === 'manual' ? 'Sync Now' : 'Every 6 Hours',
		mode,
		staticData: h.staticData,
	});
	const out = Object.fromEntries(
		OUTPUTS.map((name, index) => [name, result.json(NODE, index)]),
	) as unknown as Outputs;
	out.result = result;
	return out;
}

/** Writes (POST/PATCH/PUT) to configuration items since a log position. */
export function itemWrites(
	h: DeviceHarness,
	since: number,
): Array<{ method: string; body: IDataObject }> {
	return h.sandbox.log.entries
		.filter((entry) => entry.seq > since && entry.vendor === 'autotask')
		.filter((entry) => /\/ConfigurationItems$/i.test(entry.path) && entry.method !== 'GET')
		.map((entry) => ({ method: entry.method, body: (entry.body ?? {}) as IDataObject }));
}

export function lastSeq(h: DeviceHarness): number {
	return h.sandbox.log.entries.at(-1)?.seq ?? 0;
}

export function itemById(h: DeviceHarness, id: unknown): IDataObject {
	const row = h.sandbox.autotask.configurationItems.find((ci) => Number(ci.id) === Number(id));
	if (!row) throw new Error(`No configuration item ${String(id)} in the sandbox`);
	return row as IDataObject;
}

export function deviceByHost(h: DeviceHarness, hostname: string) {
	const device = h.sandbox.datto.devices.find((d) => d.hostname === hostname);
	if (!device) throw new Error(`No Datto device ${hostname} in the sandbox`);
	return device;
}

export function itemsOfDevice(h: DeviceHarness, uid: string): IDataObject[] {
	return h.sandbox.autotask.configurationItems.filter(
		(ci) => String(ci.rmmDeviceUID ?? '').toLowerCase() === uid.toLowerCase(),
	) as IDataObject[];
}
