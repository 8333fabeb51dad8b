import { PSA_NAMES, PSAS } from '../psaState';
import type { Psa } from '../psaState';
import { runWorkflow } from '../runner/engine';
import { companyIdOf, contactSyncTemplate } from '../templates';
import type { Template } from '../templates';
import { callsByVendor, failIfErrored, lastSeq } from './context';
import type { DemoContext, DemoSection } from './context';
import { DemoFailure, failureText, formatCalls, step, table } from './output';

/** Contact Reconcile's outputs, in order. */
const ACTIONS = [
	'Create',
	'Update',
	'Deactivate',
	'Reactivate',
	'Unchanged',
	'Needs Review',
] as const;
const WRITERS = [
	'Create Contact',
	'Update Contact',
	'Deactivate Contact',
	'Reactivate Contact',
] as const;

interface SyncRound {
	counts: Record<(typeof ACTIONS)[number], number>;
	applied: number;
	calls: Record<string, number>;
	writes: number;
}

async function runContactSync(
	demo: DemoContext,
	workflow: Template,
	label: string,
): Promise<SyncRound> {
	const { sandbox } = demo;
	const from = lastSeq(sandbox);
	// As the Schedule Trigger would start it: a production run, so the sync's memory is saved.
	const result = await runWorkflow({
		pkg: demo.pkg,
		credentials: demo.credentials,
		workflow,
		startNode: 'Every Hour',
		mode: 'trigger',
		staticData: demo.staticData,
	});
	failIfErrored(result, WRITERS, label);
	const counts = Object.fromEntries(
		ACTIONS.map((action, index) => [action, result.items('Contact Reconcile', index).length]),
	) as SyncRound['counts'];
	const applied = WRITERS.reduce(
		(sum, node) => sum + result.json(node).filter((json) => json.applied === true).length,
		0,
	);
	const writes = sandbox.log.entries.filter(
		(entry) =>
			entry.seq > from && entry.method !== 'GET' && !/\/query|\/token|oauth/i.test(entry.path),
	).length;
	return { counts, applied, calls: callsByVendor(sandbox, from), writes };
}

const changes = (round: SyncRound) =>
	round.counts.Create + round.counts.Update + round.counts.Deactivate + round.counts.Reactivate;

function syncTable(company: string, rounds: SyncRound[]): string[] {
	const header = ['run', ...ACTIONS.map((a) => a.toLowerCase()), 'applied', 'API calls'];
	const rows = rounds.map((round, index) => [
		index === 0 ? 'first' : 'again',
		...ACTIONS.map((action) => String(round.counts[action])),
		String(round.applied),
		formatCalls(round.calls) || '0',
	]);
	return [`  ${company}`, ...table([header, ...rows])];
}

/** Microsoft 365 → one PSA through its template, run twice: the second run must change nothing. */
async function syncOnePsa(demo: DemoContext, psa: Psa): Promise<string[]> {
	const name = PSA_NAMES[psa];
	const file = `office365-to-${psa}-contacts.json`;
	const companyId = companyIdOf(psa, demo.scenario);
	const workflow = contactSyncTemplate(psa, demo.scenario);
	const company =
		psa === 'autotask'
			? demo.sandbox.autotask.companies.find((c) => String(c.id) === companyId)?.companyName
			: demo.sandbox.connectwise.companies.find((c) => String(c.id) === companyId)?.name;
	const first = await step(
		`Microsoft 365 → ${name}: running workflows/${file}`,
		async () => await runContactSync(demo, workflow, file),
	);
	const second = await step(
		`Microsoft 365 → ${name}: running it again`,
		async () => await runContactSync(demo, workflow, file),
	);
	if (first.applied !== changes(first))
		throw new DemoFailure(
			`${name}: ${changes(first)} changes were planned but ${first.applied} applied`,
		);
	if (changes(second) !== 0 || second.writes !== 0) {
		throw new DemoFailure(
			`${name}: the second run was expected to change nothing, but it planned ${changes(second)} change(s) and made ${second.writes} write call(s)`,
		);
	}
	return syncTable(`${name} company ${companyId}${company ? ` (${String(company)})` : ''}`, [
		first,
		second,
	]);
}

/** The contact-sync templates, Microsoft 365 → Autotask and Microsoft 365 → ConnectWise. */
export const contactSyncSection: DemoSection = async (demo) => {
	const report = ['Contact sync (Microsoft 365 is the source of truth), per company:'];
	const failures: string[] = [];
	// One PSA's failure does not keep the other from running.
	for (const psa of PSAS) {
		try {
			report.push(...(await syncOnePsa(demo, psa)), '');
		} catch (error) {
			const text = failureText(error);
			failures.push(text);
			report.push(`  ${PSA_NAMES[psa]}: FAILED: ${text}`, '');
		}
	}
	if (failures.length) throw new DemoFailure(failures.join('; '), report);
	return report;
};
