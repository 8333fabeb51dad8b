import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseCustomerMap } from '../../../lib/customers/map';
import {
	PLAN_OUTPUTS,
	planReconcile,
	readContacts,
	readScopeState,
	reconcileOptions,
	scopeCustomers,
	scopeKey,
	writeScopeState,
} from '../../../lib/reconcile';
import type { CustomerScope, InputIssue, ItemOwner, ReconcileResult } from '../../../lib/reconcile';
import { cleanText } from '../../../lib/contacts/normalize';
import { toNodeError } from '../../shared/errors';
import { guardJson, guardReviewItem } from './outputs';
import {
	emitEntries,
	holds,
	inputItems,
	issueItem,
	readParameters,
	REVIEW_OUTPUT,
	STATE_KEY,
} from './plan';

const CUSTOMERS_INPUT = 2;

/**
 * Customer Map mode: one plan per customer of the map on the Customers input, each over its own
 * tenant's users and its own company's contacts, with its own switches, guards and saved state.
 * A customer that cannot be planned, or whose plan a guard refuses, becomes one error item on
 * Needs Review naming it (Contact Sync Report then fails the execution after everything else
 * was written); it never stops or changes the other customers' plans.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const sourceItems = inputItems(this, 0);
	const targetItems = inputItems(this, 1);
	const customerItems = inputItems(this, CUSTOMERS_INPUT);

	const parameters = readParameters(this);
	let dryRun: boolean;
	let targetSystem: 'autotask' | 'connectwise';
	try {
		// Checks the node's own settings once (the guard, Fields to Sync) before any customer.
		({ dryRun, targetSystem } = reconcileOptions({ ...parameters, companyId: '' }));
	} catch (error) {
		throw toNodeError(node, error, undefined);
	}

	const source = readContacts(
		sourceItems.map((item) => item.json),
		'Source',
		['m365'],
	);
	const target = readContacts(
		targetItems.map((item) => item.json),
		'Target',
		[targetSystem],
	);
	const owner = (item: INodeExecutionData): ItemOwner => ({
		tenant: cleanText(item.json.tenant) || undefined,
		companyId: cleanText(item.json.companyId) || undefined,
	});
	const map = parseCustomerMap(customerItems.map((item) => item.json));
	const { scopes } = scopeCustomers({
		map,
		targetSystem,
		parameters,
		source,
		target,
		sourceOwners: sourceItems.map(owner),
		targetOwners: targetItems.map(owner),
	});

	const outputs: INodeExecutionData[][] = PLAN_OUTPUTS.map(() => []);
	const review = outputs[REVIEW_OUTPUT];
	const rowItem = (row: number) => ({ item: row, input: CUSTOMERS_INPUT });
	for (const error of map.errors) {
		review.push({
			json: {
				error: error.message,
				errorDescription: error.description,
				customer: error.rowName ?? `Customer map row ${error.row + 1}`,
				targetSystem,
			},
			pairedItem: rowItem(error.row),
		});
	}
	if (customerItems.length === 0) {
		review.push({
			json: {
				error: 'The Customers input has no customer map rows, so no customer was planned',
				errorDescription:
					'Connect the customer map (e.g. a Data table node getting every row) to the third input, or set Customers to One Company.',
				targetSystem,
			},
			pairedItem: { item: 0, input: sourceItems.length ? 0 : 1 },
		});
	}

	const staticData = this.getWorkflowStaticData('node');
	let state = staticData[STATE_KEY];
	// An issue a failed customer explains is reported with it, not again on its own.
	const explained = new Set<InputIssue>();
	const reported = new Set<InputIssue>();
	for (const scope of scopes) {
		const context = {
			customer: scope.customer.name,
			targetSystem,
			companyId: scope.companyId,
		};
		const fail = (message: string, description: string, extra: IDataObject = {}) =>
			review.push({
				json: { error: message, errorDescription: description, ...context, ...extra },
				pairedItem: rowItem(scope.customer.row),
			});
		if (scope.failure || !scope.options) {
			for (const issue of scope.issues) explained.add(issue);
			fail(scope.failure?.message ?? '', scope.failure?.description ?? '');
			continue;
		}
		const options = scope.options;
		const key = scopeKey(targetSystem, scope.companyId);
		let result: ReconcileResult;
		try {
			result = planReconcile({
				source: scope.source.map((s) => source.contacts[s]),
				target: scope.target.map((t) => target.contacts[t]),
				state: readScopeState(state, key),
				options,
				hold: holdsOf(scope),
				customer: scope.customer.name,
			});
		} catch (error) {
			const nodeError = toNodeError(node, error, undefined);
			fail(`Customer "${scope.customer.name}": ${nodeError.message}`, nodeError.description ?? '');
			continue;
		}
		for (const issue of scope.issues) reported.add(issue);
		if (result.guard) {
			if (!dryRun) {
				// This customer's plan is refused as a whole; the others go ahead.
				fail(
					`Customer "${scope.customer.name}": ${result.guard.message}`,
					result.guard.description,
					{
						guard: guardJson(result.guard),
					},
				);
				continue;
			}
			review.push({
				json: { ...guardReviewItem(result.guard, options), customer: scope.customer.name },
				pairedItem: rowItem(scope.customer.row),
			});
		}
		emitEntries(
			outputs,
			result.entries,
			(s) => source.itemIndex[scope.source[s]],
			(t) => target.itemIndex[scope.target[t]],
		);
		// n8n saves static data after production runs only; a manual or dry run leaves it untouched.
		if (!dryRun && this.getMode() !== 'manual') state = writeScopeState(state, key, result.state);
	}
	for (const issue of [...source.issues, ...target.issues]) {
		if (explained.has(issue) && !reported.has(issue)) continue;
		review.push(issueItem(issue));
	}
	if (state !== staticData[STATE_KEY]) staticData[STATE_KEY] = state as unknown as IDataObject;
	return outputs;
}

/** The customer's own input issues (and the unattributed ones) hold its creates or deactivations. */
function holdsOf(scope: CustomerScope) {
	return holds(
		scope.issues.filter((issue) => issue.input === 'Source'),
		scope.issues.filter((issue) => issue.input === 'Target'),
	);
}
