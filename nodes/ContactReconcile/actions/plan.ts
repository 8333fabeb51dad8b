import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IPairedItemData,
} from 'n8n-workflow';

import { SYNC_FIELDS } from '../../../lib/contacts/canonical';
import {
	ALWAYS_ALLOW_V2,
	PLAN_OUTPUTS,
	planReconcile,
	readContacts,
	readScopeState,
	reconcileOptions,
	scopeKey,
	writeScopeState,
} from '../../../lib/reconcile';
import type {
	InputIssue,
	PlanEntry,
	ReconcileInput,
	ReconcileOptions,
	ReconcileParameters,
	ReconcileResult,
} from '../../../lib/reconcile';
import { InputError } from '../../../lib/transport/http';
import { toNodeError } from '../../shared/errors';
import { parameters } from '../descriptions/parameters';
import { companyNames } from './companyNames';
import { firstPairing, guardJson, guardReviewItem } from './outputs';

/** Where the last-synced state lives in the node's static data. */
export const STATE_KEY = 'contactSync';
export const REVIEW_OUTPUT = PLAN_OUTPUTS.indexOf('review');

export const description: INodeProperties[] = parameters;

/**
 * Plans the sync of the Source users into the Target contacts: one output per action, Needs
 * Review for what must not be guessed; the share guards (creates, deactivations) hold back the
 * actions they guard (on Needs Review), the other guards stop the whole plan (Dry Run reports them).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const sourceItems = inputItems(this, 0);
	const targetItems = inputItems(this, 1);
	const continueOnFail = this.continueOnFail();

	let options: ReconcileOptions;
	try {
		options = readOptions(this);
	} catch (error) {
		throw toNodeError(node, error, undefined);
	}

	const sourceRead = readContacts(
		sourceItems.map((item) => item.json),
		'Source',
		['m365'],
	);
	const targetRead = readContacts(
		targetItems.map((item) => item.json),
		'Target',
		[options.targetSystem],
	);
	const issues = [...sourceRead.issues, ...targetRead.issues];
	if (issues.length > 0 && !continueOnFail) {
		const first = issues[0];
		const more = issues.length > 1 ? ` (and ${issues.length - 1} more item(s) like it)` : '';
		throw toNodeError(
			node,
			new InputError(first.field, `${first.message}${more}`, first.description),
			undefined,
		);
	}

	const staticData = this.getWorkflowStaticData('node');
	const key = scopeKey(options.targetSystem, options.companyId);
	const names = await companyNames(
		this,
		options.targetSystem,
		options.companyId,
		targetRead.contacts,
	);
	let result: ReconcileResult;
	try {
		result = planReconcile({
			source: sourceRead.contacts,
			target: targetRead.contacts,
			state: readScopeState(staticData[STATE_KEY], key),
			options,
			hold: holds(sourceRead.issues, targetRead.issues),
			companyNames: names,
		});
	} catch (error) {
		throw toNodeError(node, error, undefined);
	}

	const outputs: INodeExecutionData[][] = PLAN_OUTPUTS.map(() => []);
	const anyItem = firstPairing(sourceItems.length, targetItems.length);
	// A guard that held creates or deactivations back let the rest of the plan through: they are
	// on Needs Review. A guard that refused the plan stops it.
	if (result.guard) {
		if (!options.dryRun) {
			if (!continueOnFail) {
				throw new NodeOperationError(node, result.guard.message, {
					description: result.guard.description,
				});
			}
			// The plan is refused as a whole: nothing goes to the writing outputs.
			outputs[REVIEW_OUTPUT].push({
				json: {
					error: result.guard.message,
					errorDescription: result.guard.description,
					guard: guardJson(result.guard),
				},
				pairedItem: anyItem,
			});
			return outputs;
		}
		outputs[REVIEW_OUTPUT].push({
			json: guardReviewItem(result.guard, options),
			pairedItem: anyItem,
		});
	}

	for (const issue of issues) outputs[REVIEW_OUTPUT].push(issueItem(issue));
	emitEntries(
		outputs,
		result.entries,
		(s) => sourceRead.itemIndex[s],
		(t) => targetRead.itemIndex[t],
	);

	// n8n saves static data after production runs only; a manual or dry run leaves it untouched.
	if (!options.dryRun && this.getMode() !== 'manual') {
		staticData[STATE_KEY] = writeScopeState(
			staticData[STATE_KEY],
			key,
			result.state,
		) as unknown as IDataObject;
	}
	return outputs;
}

/** A Source or Target item that is not a contact, on Needs Review. */
export function issueItem(issue: InputIssue, extra: IDataObject = {}): INodeExecutionData {
	return {
		json: {
			error: issue.message,
			errorDescription: issue.description,
			input: issue.input,
			itemIndex: issue.itemIndex,
			field: issue.field,
			...extra,
		},
		pairedItem: { item: issue.itemIndex, input: issue.input === 'Source' ? 0 : 1 },
	};
}

/** Each plan entry on its output, paired with the Source and Target items it came from. */
export function emitEntries(
	outputs: INodeExecutionData[][],
	entries: readonly PlanEntry[],
	sourceItem: (source: number) => number,
	targetItem: (target: number) => number,
): void {
	const pair = (entry: PlanEntry): IPairedItemData | IPairedItemData[] => {
		const sources = entry.related?.sources ?? (entry.source >= 0 ? [entry.source] : []);
		const targets = entry.related?.targets ?? (entry.target >= 0 ? [entry.target] : []);
		const pairs: IPairedItemData[] = [];
		for (const s of sources) pairs.push({ item: sourceItem(s), input: 0 });
		for (const t of targets) pairs.push({ item: targetItem(t), input: 1 });
		return pairs.length === 1 ? pairs[0] : pairs;
	};
	for (const entry of entries) {
		outputs[PLAN_OUTPUTS.indexOf(entry.output)].push({
			json: entry.item as unknown as IDataObject,
			pairedItem: pair(entry),
		});
	}
}

export function inputItems(ctx: IExecuteFunctions, input: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(input);
	} catch {
		// An input with nothing connected (or that sent nothing) has no items.
		return [];
	}
}

/** The node's parameters as the planner reads them (the company's, in One Company mode). */
export function readParameters(ctx: IExecuteFunctions): ReconcileParameters {
	return {
		targetSystem: ctx.getNodeParameter('targetSystem', 0),
		companyId: readCompanyId(ctx),
		updateExisting: ctx.getNodeParameter('updateExisting', 0, false),
		mode: ctx.getNodeParameter('mode', 0, 'changes'),
		fields: ctx.getNodeParameter('fields', 0, [...SYNC_FIELDS]),
		domains: ctx.getNodeParameter('domains', 0, ''),
		dryRun: ctx.getNodeParameter('dryRun', 0, false),
		guard: guardParameters(ctx),
	};
}

function readCompanyId(ctx: IExecuteFunctions): unknown {
	// Hidden with Customer Map (each row names its company); n8n only extracts a shown parameter.
	if (ctx.getNodeParameter('customerSource', 0, 'company') === 'map') return '';
	return ctx.getNodeParameter('companyId', 0, '', { extractValue: true });
}

function readOptions(ctx: IExecuteFunctions): ReconcileOptions {
	return reconcileOptions(readParameters(ctx));
}

/** Creates and absence-based deactivations wait while items on an input could not be read. */
export function holds(
	sourceIssues: readonly InputIssue[],
	targetIssues: readonly InputIssue[],
): ReconcileInput['hold'] {
	return {
		creates: holdReason(
			targetIssues,
			'nothing is created this run: the contact a new user needs may be among them',
		),
		deactivations: holdReason(
			sourceIssues,
			'no contact is deactivated for a missing user this run: that user may be among them',
		),
	};
}

function holdReason(issues: readonly InputIssue[], consequence: string): string | undefined {
	if (issues.length === 0) return undefined;
	return `${issues.length} ${issues[0].input} item(s) could not be read (first: item ${issues[0].itemIndex}, field "${issues[0].field}"), so ${consequence}`;
}

function guardParameters(ctx: IExecuteFunctions): ReconcileParameters['guard'] {
	const guard = ctx.getNodeParameter('guard', 0, {}) as IDataObject;
	// Version 1 keeps its default of 0 so saved workflows hold back what they held back.
	if (ctx.getNode().typeVersion >= 2 && guard.alwaysAllow === undefined)
		return { ...guard, alwaysAllow: ALWAYS_ALLOW_V2 };
	return guard;
}
