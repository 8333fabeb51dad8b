import type { CanonicalContact, ContactPlanItem, SyncField } from '../../lib/contacts/canonical';
import { SYNC_FIELDS } from '../../lib/contacts/canonical';
import {
	DEFAULT_GUARD,
	planReconcile,
	readContacts,
	readScopeState,
	scopeKey,
	writeScopeState,
} from '../../lib/reconcile';
import type {
	PlanOutput,
	ReconcileInput,
	ReconcileOptions,
	ReconcileResult,
	ReviewPlanItem,
} from '../../lib/reconcile';

/** A Microsoft 365 user as Microsoft 365 Users emits it (Simplify on). */
export function user(key: string, over: Partial<CanonicalContact> = {}): CanonicalContact {
	const email = over.email ?? `${key}@contoso.example`;
	return {
		system: 'm365',
		id: `u-${key}`,
		companyId: '',
		email,
		emails: over.emails ?? [email],
		firstName: cap(key),
		lastName: 'Example',
		title: 'Engineer',
		phone: '+1 425 555 0100',
		mobile: '',
		active: true,
		...over,
	};
}

/** A PSA contact as Autotask Contact emits it (Simplify on). */
export function contact(
	id: number,
	key: string,
	over: Partial<CanonicalContact> = {},
): CanonicalContact {
	const email = over.email ?? `${key}@contoso.example`;
	return {
		system: 'autotask',
		id: String(id),
		companyId: '100',
		email,
		emails: over.emails ?? [email],
		firstName: cap(key),
		lastName: 'Example',
		title: 'Engineer',
		phone: '+1 (425) 555-0100',
		mobile: '',
		active: true,
		...over,
	};
}

function cap(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

export const OPTIONS: ReconcileOptions = {
	targetSystem: 'autotask',
	companyId: '100',
	updateExisting: true,
	mode: 'changes',
	fields: [...SYNC_FIELDS],
	domains: [],
	guard: {
		...DEFAULT_GUARD,
		maxShare: 0.2,
		refuseWhenSourceEmpty: true,
		refuseWhenTargetEmpty: true,
		alwaysAllow: 0,
	},
	dryRun: false,
};

export interface Run {
	result: ReconcileResult;
	/** The static data the node would save after this run. */
	saved: unknown;
	of(output: PlanOutput): ContactPlanItem[];
	/** The single item about this email (any output), failing when there is not exactly one. */
	about(email: string): { output: PlanOutput; item: ContactPlanItem };
	review(): ReviewPlanItem[];
}

/** One planner run the way the node does it: read both inputs, plan, build the state to save. */
export function plan(
	source: readonly object[],
	target: readonly object[],
	options: Partial<ReconcileOptions> = {},
	saved?: unknown,
	hold?: ReconcileInput['hold'],
	companyNames?: ReconcileInput['companyNames'],
): Run {
	const opts = { ...OPTIONS, ...options };
	const sourceRead = readContacts(source, 'Source', ['m365']);
	const targetRead = readContacts(target, 'Target', [opts.targetSystem]);
	if (sourceRead.issues.length || targetRead.issues.length) {
		throw new Error(
			`unexpected input issues: ${JSON.stringify([...sourceRead.issues, ...targetRead.issues])}`,
		);
	}
	const key = scopeKey(opts.targetSystem, opts.companyId);
	const result = planReconcile({
		source: sourceRead.contacts,
		target: targetRead.contacts,
		state: readScopeState(saved, key),
		options: opts,
		hold,
		companyNames,
	});
	// Static data goes through JSON in n8n's database between runs.
	const next = JSON.parse(JSON.stringify(writeScopeState(saved, key, result.state))) as unknown;
	return {
		result,
		saved: next,
		of: (output) =>
			result.entries.filter((entry) => entry.output === output).map((entry) => entry.item),
		about(email) {
			const found = result.entries.filter((entry) => entry.item.email === email);
			if (found.length !== 1)
				throw new Error(`expected one entry for ${email}, got ${JSON.stringify(found)}`);
			return { output: found[0].output, item: found[0].item };
		},
		review: () =>
			result.entries
				.filter((entry) => entry.output === 'review')
				.map((entry) => entry.item as ReviewPlanItem),
	};
}

/**
 * What the PSA nodes do with a plan, on an in-memory PSA: creates get the next id, updates write
 * exactly `changes`. `skip` leaves chosen items unapplied (a failed write).
 */
export function apply(
	target: readonly CanonicalContact[],
	run: Run,
	skip: (item: ContactPlanItem) => boolean = () => false,
): CanonicalContact[] {
	const next = target.map((c) => ({ ...c, emails: [...c.emails] }));
	let id = Math.max(1000, ...target.map((c) => Number(c.id))) + 1;
	for (const entry of run.result.entries) {
		const item = entry.item;
		if (item.dryRun || skip(item) || entry.output === 'review' || entry.output === 'unchanged')
			continue;
		if (item.action === 'create') {
			const email = item.changes.email ?? item.email;
			next.push({
				system: 'autotask',
				id: String(id++),
				companyId: item.companyId,
				email,
				emails: [email],
				firstName: item.changes.firstName ?? '',
				lastName: item.changes.lastName ?? '',
				title: item.changes.title ?? '',
				phone: item.changes.phone ?? '',
				mobile: item.changes.mobile ?? '',
				active: true,
			});
			continue;
		}
		const found = next.find((c) => c.id === item.targetId);
		if (!found) throw new Error(`plan names contact ${item.targetId}, which does not exist`);
		for (const field of SYNC_FIELDS) {
			const value = item.changes[field as SyncField];
			if (value === undefined) continue;
			found[field] = value;
			if (field === 'email') found.emails = [value, ...found.emails.filter((e) => e !== value)];
		}
		if (item.changes.active !== undefined) found.active = item.changes.active;
	}
	return next;
}
