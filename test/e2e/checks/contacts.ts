import type { Lane, ImportedTemplate } from '../lane';
import {
	executeWorkflow,
	executeWorkflowRun,
	importWorkflow,
	nodeErrors,
	nodeOutputs,
} from '../../../dev/n8n/n8n';
import { contactTemplateSetupFor, setUpContactTemplate } from '../../../dev/templates';
import type { ExecutionResult } from '../../../dev/n8n/n8n';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { check, detail } from '../../../dev/n8n/progress';
import { PublicApi } from '../../../dev/n8n/server';
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

	// Imported as shipped (no company, no domains): set up as its Setup note asks a user, the
	// company found by the tenant's domains and picked, then saved (imported again).
	const setup = contactTemplateSetupFor(sandbox, psa);
	setUpContactTemplate(imported.workflow, setup);
	await importWorkflow(imported.workflow);
	detail(
		`set up: ${setup.companyName} (${setup.companyId}) picked in ${reconcile.name}, domains ${setup.domains.join(', ')}`,
	);

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
	const failed = await checkRefusedRun(lane, imported, reconcile.name, outputNames, second);
	lane.notes.push(
		`${imported.spec.label}: run 1 ${formatPlan(plan1)} (${calls1} calls); run 2 ${formatPlan(plan2)}, 0 writes; ${failed}`,
	);
}

/** The body each PSA answers a refused write with (its own error shape). */
const REFUSAL = {
	autotask: { errors: ['E2E lane: the PSA refused this write'] },
	connectwise: {
		code: 'InvalidObject',
		message: 'E2E lane: the PSA refused this write',
		errors: [],
	},
};

/**
 * Issue 16, "a run that failed looks failed": a user's job title changes in Microsoft 365, so the
 * sync plans an update, and the PSA refuses every contact update (400). The run must end failed,
 * in the template's Contact Sync Report node (n8n stores it as an error, which the execution list
 * shows: checked once n8n runs), with the PSA unchanged; the next run, with the PSA answering
 * again, writes the change (the failed run did not record it as done).
 */
async function checkRefusedRun(
	lane: Lane,
	imported: ImportedTemplate,
	reconcileName: string,
	outputNames: string[],
	previous: ExecutionResult,
): Promise<string> {
	const sandbox = lane.sandbox!;
	const psa = imported.spec.kind === 'contacts-autotask' ? 'autotask' : 'connectwise';
	const unchanged = (nodeOutputs(previous, reconcileName) ?? [])[
		outputNames.indexOf('unchanged')
	]?.find((item) => item.sourceId && item.targetId && String(item.email).includes('@'));
	check(unchanged, 'run 2 left no unchanged contact with a Microsoft 365 user to change');
	const email = String(unchanged.email);
	const tenant = sandbox.graph.findTenant(email.split('@')[1]);
	check(tenant, `no Graph tenant has the domain of ${email}`);
	const title = `E2E lane title ${Date.now() % 100000}`;
	sandbox.graph.updateUser(String(unchanged.sourceId), { jobTitle: title }, tenant.id);

	const [report] = nodesOfType(imported.workflow, `${PACKAGE_NAME}.contactSyncReport`);
	check(report, `workflows/${imported.spec.file} has no Contact Sync Report node`);
	for (const method of ['PATCH', 'PUT'])
		sandbox.faults.add({ vendor: psa, kind: 'status', status: 400, method, body: REFUSAL[psa] });
	const before = sandbox.dump();
	let refused: ExecutionResult;
	try {
		refused = await executeWorkflowRun(imported.id, `${imported.spec.label} (PSA refusing)`);
	} finally {
		sandbox.faults.clear();
	}
	const error = refused.data.resultData.error;
	const diff3 = diffState(before, sandbox.dump());
	detail(
		`run 3 (${email}'s title changed in Microsoft 365, every ${psa} contact update refused): status ${refused.status ?? '?'}, last node ${refused.data.resultData.lastNodeExecuted ?? '?'}: ${error?.message ?? 'no error'}; sandbox: ${describeDiff(diff3)}`,
	);
	check(
		error,
		'run 3: every update was refused, yet the run ended without an error (it looks green)',
	);
	check(
		refused.data.resultData.lastNodeExecuted === report.name,
		`run 3 failed in ${refused.data.resultData.lastNodeExecuted ?? '?'}, not in the report node "${report.name}" that fails the run after every writer ran`,
	);
	check(
		`${error.message ?? ''} ${error.description ?? ''}`.toLowerCase().includes(email.toLowerCase()),
		`run 3's error does not name the contact that failed (${email}): ${error.message ?? ''} ${error.description ?? ''}`,
	);
	check(Object.keys(diff3).length === 0, `run 3 changed the sandbox: ${describeDiff(diff3)}`);
	lane.failedRuns.push({ workflowId: imported.id, label: `${imported.spec.label} (PSA refusing)` });

	const fourth = await executeWorkflow(imported.id, `${imported.spec.label} (run 4)`);
	const plan4 = outputCounts(fourth, reconcileName, outputNames);
	const diff4 = diffState(before, sandbox.dump());
	detail(
		`run 4 (the PSA answers again): plan ${formatPlan(plan4)}; sandbox: ${describeDiff(diff4)}`,
	);
	const changed = diff4[`${psa}.contacts`]?.changed ?? [];
	check(
		changed.length === 1 && JSON.stringify(changed[0].after).includes(title),
		`run 4 should write the refused change (title "${title}" on ${email}), the ${psa} contacts changed: ${changed.length}`,
	);
	return `run 3 with every ${psa} update refused ended failed in "${report.name}", run 4 wrote the change`;
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

/**
 * The CLI runs that failed on purpose (checkRefusedRun) show as failed in n8n's execution list,
 * as a user sees it: the public API's list of the workflow's executions with status error.
 */
export async function checkFailedRunsListed(lane: Lane): Promise<void> {
	if (lane.failedRuns.length === 0) return;
	const api = await PublicApi.create(lane.session!, 'e2e lane: execution list');
	for (const workflowId of new Set(lane.failedRuns.map((run) => run.workflowId))) {
		const expected = lane.failedRuns.filter((run) => run.workflowId === workflowId);
		const listed = await api.get<{ data: Array<{ id: string | number; status: string }> }>(
			`/executions?workflowId=${workflowId}&status=error&limit=100`,
		);
		detail(
			`execution list of ${workflowId}: ${listed.data.length} failed (${listed.data.map((row) => `#${row.id} ${row.status}`).join(', ')}); expected ${expected.length}: ${expected.map((run) => run.label).join(', ')}`,
		);
		if (listed.data.length < expected.length)
			lane.failures.push(
				`n8n's execution list shows ${listed.data.length} failed runs of ${workflowId}, but ${expected.map((run) => `"${run.label}"`).join(', ')} failed`,
			);
	}
}
