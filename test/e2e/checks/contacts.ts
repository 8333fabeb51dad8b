import type { Lane, ImportedTemplate } from '../lane';
import { executeWorkflow, nodeErrors } from '../../../dev/n8n/n8n';
import type { ExecutionResult } from '../../../dev/n8n/n8n';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { check, detail } from '../../../dev/n8n/progress';
import { describeDiff, diffState } from '../../../dev/n8n/state';
import { nodesOfType } from '../../../dev/n8n/templates';
import { outputCounts, writeRequests } from './shared';

const ACTIONS = ['create', 'update', 'deactivate', 'reactivate'] as const;

function isActive(row: Record<string, unknown>): boolean | undefined {
	if ('isActive' in row) return Boolean(Number(row.isActive));
	if ('inactiveFlag' in row) return !row.inactiveFlag;
	return undefined;
}

/**
 * Runs a contact-sync template twice with `n8n execute`. Run 1: the PSA's contacts change
 * exactly as Contact Reconcile planned (one new contact per Create, one changed contact per
 * Update/Deactivate/Reactivate, the active flag flipped for Deactivate/Reactivate, nothing
 * deleted, nothing outside the PSA's contacts touched). Run 2: nothing is planned, no write
 * request reaches the PSA, and the sandbox state is identical.
 */
export async function checkContactTemplate(lane: Lane, imported: ImportedTemplate): Promise<void> {
	const sandbox = lane.sandbox!;
	const psa = imported.spec.kind === 'contacts-autotask' ? 'autotask' : 'connectwise';
	const [reconcile] = nodesOfType(imported.workflow, `${PACKAGE_NAME}.contactReconcile`);
	check(reconcile, `workflows/${imported.spec.file} has no Contact Reconcile node`);
	const outputNames = reconcileOutputNames(lane);

	const plan = (execution: ExecutionResult) => outputCounts(execution, reconcile.name, outputNames);

	const before = sandbox.dump();
	const logStart = sandbox.log.entries.length;
	const first = await executeWorkflow(imported.id, imported.spec.label);
	const errors1 = nodeErrors(first);
	check(errors1.length === 0, `run 1 recorded node errors: ${errors1.join('; ')}`);
	const plan1 = plan(first);
	const after1 = sandbox.dump();
	const diff1 = diffState(before, after1);
	const calls1 = sandbox.log.entries.length - logStart;
	detail(`run 1: plan ${formatPlan(plan1)}; ${calls1} API calls; sandbox: ${describeDiff(diff1)}`);

	const contactsKey = `${psa}.contacts`;
	const outside = Object.keys(diff1).filter((key) => key !== contactsKey);
	check(outside.length === 0, `run 1 changed more than ${contactsKey}: ${outside.join(', ')}`);
	const contacts = diff1[contactsKey] ?? { added: [], removed: [], changed: [] };
	const writes1 = ACTIONS.reduce((sum, action) => sum + (plan1[action] ?? 0), 0);
	check(
		writes1 > 0,
		`run 1 planned no writes at all against the default seed (plan ${formatPlan(plan1)}): the check would prove nothing`,
	);
	check(contacts.removed.length === 0, `run 1 deleted ${contacts.removed.length} ${psa} contacts`);
	check(
		contacts.added.length === (plan1.create ?? 0),
		`run 1 planned ${plan1.create ?? 0} creates, the sandbox has ${contacts.added.length} new ${psa} contacts`,
	);
	const deactivated = contacts.changed.filter(
		(change) => isActive(change.before) === true && isActive(change.after) === false,
	);
	const reactivated = contacts.changed.filter(
		(change) => isActive(change.before) === false && isActive(change.after) === true,
	);
	check(
		deactivated.length === (plan1.deactivate ?? 0),
		`run 1 planned ${plan1.deactivate ?? 0} deactivations, ${deactivated.length} ${psa} contacts became inactive`,
	);
	check(
		reactivated.length === (plan1.reactivate ?? 0),
		`run 1 planned ${plan1.reactivate ?? 0} reactivations, ${reactivated.length} ${psa} contacts became active`,
	);
	const planned = (plan1.update ?? 0) + (plan1.deactivate ?? 0) + (plan1.reactivate ?? 0);
	check(
		contacts.changed.length === planned,
		`run 1 planned ${planned} changes to existing contacts, ${contacts.changed.length} ${psa} contacts changed`,
	);

	const logMiddle = sandbox.log.entries.length;
	const second = await executeWorkflow(imported.id, `${imported.spec.label} (run 2)`);
	const errors2 = nodeErrors(second);
	check(errors2.length === 0, `run 2 recorded node errors: ${errors2.join('; ')}`);
	const plan2 = plan(second);
	const diff2 = diffState(after1, sandbox.dump());
	const writes2 = writeRequests(sandbox.log.entries.slice(logMiddle), psa);
	detail(
		`run 2: plan ${formatPlan(plan2)}; ${sandbox.log.entries.length - logMiddle} API calls, ${writes2.length} writes; sandbox: ${describeDiff(diff2)}`,
	);
	const planned2 = ACTIONS.filter((action) => (plan2[action] ?? 0) > 0);
	check(planned2.length === 0, `run 2 still planned ${formatPlan(plan2)}`);
	check(
		writes2.length === 0,
		`run 2 sent ${writes2.length} write requests: ${writes2.slice(0, 5).join(', ')}`,
	);
	check(Object.keys(diff2).length === 0, `run 2 changed the sandbox: ${describeDiff(diff2)}`);
	lane.notes.push(
		`${imported.spec.label}: run 1 ${formatPlan(plan1)} (${calls1} calls); run 2 ${formatPlan(plan2)}, 0 writes`,
	);
}

function reconcileOutputNames(lane: Lane): string[] {
	const names = lane.nodeTypes.contactReconcile?.description.outputNames ?? [];
	const normalized = names.map((name) => String(name).toLowerCase());
	for (const action of [...ACTIONS, 'unchanged']) {
		check(
			normalized.includes(action),
			`Contact Reconcile has no "${action}" output (outputs: ${names.join(', ')})`,
		);
	}
	return normalized;
}

function formatPlan(plan: Record<string, number>): string {
	return Object.entries(plan)
		.map(([name, count]) => `${name} ${count}`)
		.join(', ');
}
