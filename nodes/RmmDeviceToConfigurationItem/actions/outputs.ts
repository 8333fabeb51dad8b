import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { DeviceFailure } from '../../../lib/devices/apply';
import type { DeviceSyncRun, SyncProblem } from '../../../lib/devices/sync';
import { DEVICE_OUTPUTS } from '../../../lib/devices/types';
import type { DeviceOutput, DevicePlanEntry, UnmappedEntry } from '../../../lib/devices/types';
import { redactSecrets } from '../../shared/secrets';

/** The node's outputs, in order (lib/devices/types.ts DEVICE_OUTPUTS). */
export const OUTPUT_NAMES = [
	'Created',
	'Updated',
	'Deactivated',
	'Unchanged',
	'Needs Review',
	'Unmapped',
];

const INDEX = Object.fromEntries(DEVICE_OUTPUTS.map((output, index) => [output, index])) as Record<
	DeviceOutput,
	number
>;

/** How output items are paired: with the customer map row they belong to, else the trigger item. */
export interface Pairing {
	/** Rows on the Customer Map input. */
	mapRows: number;
	/** Items on the first input. */
	triggerItems: number;
}

function pairOf(pairing: Pairing, row: number | undefined): IPairedItemData {
	if (row !== undefined && row < pairing.mapRows) return { item: row, input: 1 };
	return pairing.triggerItems > 0 || pairing.mapRows === 0
		? { item: 0, input: 0 }
		: { item: 0, input: 1 };
}

function entryJson(entry: DevicePlanEntry, dryRun: boolean): IDataObject {
	const json: IDataObject = {
		action: entry.held ?? (entry.output === 'review' ? 'none' : entry.output),
		customer: entry.customer?.name ?? null,
		companyId: entry.companyId ?? null,
		configurationItemId: entry.configurationItemId ?? null,
		device: (entry.device as unknown as IDataObject) ?? { uid: entry.deviceKey },
		changes: entry.changes as IDataObject,
		before: entry.before as IDataObject,
		after: entry.after as IDataObject,
		reason: entry.reason,
	};
	if (entry.review) json.review = { ...entry.review, heldAction: entry.held ?? null };
	if (entry.replaces)
		json.replaces = entry.replaces.map((old) => ({
			configurationItemId: old.configurationItemId,
			companyId: old.companyId,
			customer: old.customer ?? null,
		}));
	if (dryRun) json.dryRun = true;
	return json;
}

/** The items of each output: one per plan entry, the unmapped report, and every failure (Needs Review, with `error`). */
export function routeRun(
	run: DeviceSyncRun,
	pairing: Pairing,
	options: { dryRun: boolean; secrets: string[]; emptyMap: boolean },
): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = OUTPUT_NAMES.map(() => []);
	const clean = (text: string) => redactSecrets(text, options.secrets);
	const failed = new Map<DevicePlanEntry, DeviceFailure>();
	for (const failure of run.failures)
		if ('entry' in failure && !failed.has(failure.entry)) failed.set(failure.entry, failure);

	for (const entry of run.plan.entries) {
		const json = entryJson(entry, options.dryRun);
		const failure = failed.get(entry);
		let output: DeviceOutput = entry.output;
		if (failure) {
			output = 'review';
			json.error = clean(failure.message);
			if (failure.description) json.errorDescription = clean(failure.description);
			if (failure.field) json.field = failure.field;
			if (entry.configurationItemId && entry.output === 'create') json.createdButIncomplete = true;
		}
		outputs[INDEX[output]].push({ json, pairedItem: pairOf(pairing, entry.customer?.row) });
	}

	const problems = run.failures.filter((failure): failure is SyncProblem => !('entry' in failure));
	for (const problem of problems) {
		if (run.plan.unmapped.some((entry) => entry.message === problem.message)) continue;
		outputs[INDEX.review].push({
			json: {
				action: 'none',
				customer: problem.customer ?? null,
				error: clean(problem.message),
				...(problem.description ? { errorDescription: clean(problem.description) } : {}),
			},
			pairedItem: pairOf(pairing, undefined),
		});
	}

	const unmapped: UnmappedEntry[] = [...run.plan.unmapped];
	if (options.emptyMap)
		unmapped.push({
			problem: 'customerMapRow',
			message:
				'The Customer Map input has no rows: no Datto site belongs to a customer, so nothing was written. Connect the customer map (e.g. a Data Table node getting all rows) to the second input.',
			devices: 0,
			examples: [],
		});
	for (const entry of unmapped) {
		const json: IDataObject = { ...entry } as IDataObject;
		if (entry.problem === 'customerMapRow' && entry.row !== undefined) json.error = entry.message;
		outputs[INDEX.unmapped].push({ json, pairedItem: pairOf(pairing, entry.row) });
	}
	return outputs;
}

const MAX_LISTED = 25;

/** One error for the whole run: what failed and, in the description, each failure (capped). */
export function runFailedError(
	node: INode,
	failures: DeviceSyncRun['failures'],
	secrets: string[],
): NodeOperationError {
	const clean = (text: string) => redactSecrets(text, secrets);
	const lines = failures
		.slice(0, MAX_LISTED)
		.map(
			(failure) =>
				`- ${clean(failure.message)}${'detail' in failure || !failure.description ? '' : ` (${clean(failure.description)})`}`,
		);
	if (failures.length > MAX_LISTED) lines.push(`- and ${failures.length - MAX_LISTED} more`);
	return new NodeOperationError(
		node,
		clean(
			`The device sync finished with ${failures.length} problem(s); everything else was written. First: ${failures[0].message}`,
		),
		{
			description: [
				...lines,
				'The failed or held changes are tried again on the next run. Turn on "Continue On Fail" (Settings) to get them as items on Needs Review instead of a failed execution.',
			].join('\n'),
		},
	);
}
