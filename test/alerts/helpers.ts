import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import type { Sandbox } from '../../sandbox/index';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import type { WorkflowResult } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import type { LoadedPackage } from '../../dev/runner/nodeTypes';
import { editorCall as callEditorMethod } from '../support/editorCall';

export const NODE = 'RMM Alert to Ticket';
export const OUTPUTS = ['created', 'updated', 'completed', 'skipped'] as const;

/** Seed facts (sandbox/seed/default) the tests lean on. */
export const SEED = {
	contosoHq: 'f351e87c-7394-412b-9498-9ff2730c2da8',
	contosoCompany: 29684101,
	fabrikamCompany: 29684102,
	tailspinSite: '243f1361',
	tailspinCompany: 29684104,
	ownCompany: 0,
	fs01: { uid: '63ebc7f7-c905-45e4-a00a-049462c8cde0', ci: 29700102 },
	completeStatus: 5,
};

export interface AlertHarness {
	sandbox: Sandbox;
	pkg: LoadedPackage;
	credentials: CredentialStore;
}

export function harness(sandbox: Sandbox): AlertHarness {
	const pkg = loadSourcePackage();
	const credentials = new CredentialStore(pkg.credentialTypes, {
		autotaskApi: sandbox.credentials.autotaskApi,
		dattoRmmApi: sandbox.credentials.dattoRmmApi,
	});
	return { sandbox, pkg, credentials };
}

export function alertNode(
	parameters: INodeParameters,
	options: { continueOnFail?: boolean } = {},
): Omit<INode, 'id' | 'position' | 'typeVersion'> {
	return {
		name: NODE,
		type: `${PACKAGE_NAME}.rmmAlertToTicket`,
		parameters: {
			operation: 'processAlert',
			catchAllCompany: { __rl: true, mode: 'id', value: '0' },
			...parameters,
		},
		credentials: {
			autotaskApi: { id: 'at', name: 'Autotask sandbox' },
			dattoRmmApi: { id: 'dr', name: 'Datto sandbox' },
		},
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

export interface Delivery {
	result: WorkflowResult;
	created: IDataObject[];
	updated: IDataObject[];
	completed: IDataObject[];
	skipped: IDataObject[];
	/** Every output item, with the output it came out of. */
	all: Array<IDataObject & { output: string }>;
}

/** Runs the node once over `items` (Webhook-node items or bodies) through the engine. */
export async function run(
	h: AlertHarness,
	items: IDataObject[],
	parameters: INodeParameters = {},
	options: { continueOnFail?: boolean } = {},
): Promise<Delivery> {
	const result = await runWorkflow({
		pkg: h.pkg,
		credentials: h.credentials,
		workflow: singleNodeWorkflow(alertNode(parameters, options)),
		input: items,
	});
	return delivery(result, NODE);
}

export function delivery(result: WorkflowResult, node: string): Delivery {
	const outputs = OUTPUTS.map((_, index) => result.json(node, index));
	return {
		result,
		created: outputs[0],
		updated: outputs[1],
		completed: outputs[2],
		skipped: outputs[3],
		all: outputs.flatMap((items, index) =>
			items.map((json) => ({ ...json, output: OUTPUTS[index] })),
		),
	};
}

/** The Webhook-node item Datto's delivery of this alert event would produce. */
export function webhook(
	h: AlertHarness,
	alertUid: string,
	event: 'raised' | 'resolved',
	options: { secret?: string } = {},
): IDataObject {
	return h.sandbox.datto.webhookItem(
		h.sandbox.datto.webhookBody(alertUid, event),
		options.secret ? { secret: options.secret } : {},
	) as unknown as IDataObject;
}

/** Autotask tickets that carry an alert key, optionally for one alert. */
export function alertTickets(h: AlertHarness, alertUid?: string): IDataObject[] {
	return (h.sandbox.autotask.tickets as IDataObject[]).filter((ticket) => {
		const key = parseAlertKey(ticket.externalID);
		return key && (!alertUid || key.alertUid === alertUid);
	});
}

export function ticket(h: AlertHarness, id: unknown): IDataObject {
	const found = (h.sandbox.autotask.tickets as IDataObject[]).find(
		(row) => Number(row.id) === Number(id),
	);
	if (!found) throw new Error(`No ticket ${String(id)} in the sandbox`);
	return found;
}

export function notesOf(h: AlertHarness, ticketId: unknown): IDataObject[] {
	return (h.sandbox.autotask.ticketNotes as IDataObject[]).filter(
		(note) => Number(note.ticketID) === Number(ticketId),
	);
}

/** API calls (both vendors) made between two log positions, token requests excluded. */
export function apiCallsSince(
	h: AlertHarness,
	seq: number,
): Array<{ vendor: string; method: string; path: string }> {
	return h.sandbox.log.entries
		.filter((entry) => entry.seq > seq && (entry.vendor === 'autotask' || entry.vendor === 'datto'))
		.filter((entry) => !/oauth\/token|zoneInformation/i.test(entry.path))
		.map((entry) => ({ vendor: entry.vendor, method: entry.method, path: entry.path }));
}

export function lastSeq(h: AlertHarness): number {
	return h.sandbox.log.entries.at(-1)?.seq ?? 0;
}

/** Calls one of the node's loadOptions / listSearch methods as the editor does. */
export async function editorCall(
	h: AlertHarness,
	kind: 'loadOptions' | 'listSearch',
	method: string,
	...args: unknown[]
): Promise<unknown> {
	const call = { pkg: h.pkg, credentials: h.credentials, node: alertNode({}), kind, method };
	return await callEditorMethod({ ...call, path: 'parameters.ticketDefaults' }, ...args);
}
