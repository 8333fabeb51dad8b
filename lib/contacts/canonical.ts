import { isBlank } from './normalize';

/**
 * The package's one contact model: every contact node emits it (Simplify on), Contact Reconcile
 * plans over it, and the PSA nodes apply plan items back through their vendor mappers.
 *
 * Blank ('') means "unknown", never "clear this field".
 */
export type ContactSystem = 'm365' | 'autotask' | 'connectwise';

export const SYNC_FIELDS = ['firstName', 'lastName', 'title', 'phone', 'mobile', 'email'] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

/** The longest value each sync field of a PSA contact may hold; absent = unknown (not checked). */
export type FieldLimits = Partial<Record<SyncField, number>>;

export interface CanonicalContact {
	system: ContactSystem;
	/** The system's own id, as a string (Graph GUID, Autotask or ConnectWise integer). */
	id: string;
	/** PSA company id; '' for Microsoft 365 users. */
	companyId: string;
	/**
	 * PSA only, where the listing gave it: the company's name (ConnectWise lists it with every
	 * contact; Autotask Contact with Include Labels on). For the reader of plans, never a decision.
	 */
	companyName?: string;
	/** Primary address: lower-cased and trimmed; '' when the contact has none. */
	email: string;
	/** Every known address (Autotask has three), normalized, primary first, no duplicates. */
	emails: string[];
	firstName: string;
	lastName: string;
	title: string;
	phone: string;
	mobile: string;
	/** PSA: the contact is active. Microsoft 365: the account is enabled and licensed. */
	active: boolean;
	/**
	 * PSA only: the contact carries the sync's creation mark (it was created by Contact Reconcile's
	 * plan; see docs/adr/contact-creation-mark.md). Absent on contacts a person made.
	 */
	createdBySync?: boolean;
	/**
	 * PSA only: the tenant's field lengths (lib/contacts/fieldLimits.ts). Contact Reconcile counts a
	 * value the PSA holds cut at its limit as in sync with the longer value it was cut from.
	 */
	limits?: FieldLimits;
	/** Microsoft 365 only: why `active` is false ('disabled', 'unlicensed', 'deleted'). */
	inactiveReason?: string;
	/**
	 * Opaque, for the PSA node that produced it (e.g. ConnectWise's communication item ids, so a
	 * write needs no read first). Other nodes pass it on untouched and never look inside.
	 */
	ref?: Record<string, unknown>;
}

export type ContactChanges = Partial<Record<SyncField, string>> & { active?: boolean };

/** What Contact Reconcile emits on each output and the PSA contact nodes apply. */
export type PlanAction = 'create' | 'update' | 'deactivate' | 'reactivate' | 'unchanged';

export interface ContactPlanItem {
	/** Marks the item for the PSA nodes' "From Contact Reconcile" mode. */
	planVersion: 1;
	action: PlanAction;
	targetSystem: 'autotask' | 'connectwise';
	/** PSA contact id; '' for create. */
	targetId: string;
	/** The company to create in, or the contact's company. */
	companyId: string;
	/** That company's name, where the PSA told it: an engineer reading the plan sees the customer. */
	companyName?: string;
	email: string;
	/** Microsoft 365 user id; '' when the user is gone. */
	sourceId: string;
	/** Exactly what to write: only fields that change, never a blank. */
	changes: ContactChanges;
	/** Values before and after, for the fields in `changes`. */
	before: ContactChanges;
	after: ContactChanges;
	reason: string;
	/** Set by Reconcile's Dry Run: the PSA nodes pass the item on without writing. */
	dryRun: boolean;
	/** The customer (customer map name) the plan is for; reports and error summaries name it. */
	customer?: string;
	/** The target contact's opaque `ref`, copied by Contact Reconcile for the PSA node that made it. */
	targetRef?: Record<string, unknown>;
}

export function isContactPlanItem(value: unknown): value is ContactPlanItem {
	const v = value as Partial<ContactPlanItem> | null;
	return (
		!!v && v.planVersion === 1 && typeof v.action === 'string' && typeof v.changes === 'object'
	);
}

/**
 * What a plan item writes: its `changes` without blanks (a blank never overwrites a PSA value),
 * and the active flag its action implies (deactivate and reactivate set it whatever `changes`
 * says; otherwise `changes.active` when it is a boolean).
 */
export function planChanges(plan: ContactPlanItem): ContactChanges {
	const changes = plan.changes ?? {};
	const out: ContactChanges = {};
	for (const field of SYNC_FIELDS) {
		const value = changes[field];
		if (typeof value === 'string' && !isBlank(value)) out[field] = value;
	}
	if (plan.action === 'deactivate') out.active = false;
	else if (plan.action === 'reactivate') out.active = true;
	else if (typeof changes.active === 'boolean') out.active = changes.active;
	return out;
}

/** How errors name a plan item's fields: the path in the item ("changes.title"). */
export const PLAN_CHANGE_LABELS: Record<SyncField, string> = {
	firstName: 'changes.firstName',
	lastName: 'changes.lastName',
	title: 'changes.title',
	phone: 'changes.phone',
	mobile: 'changes.mobile',
	email: 'changes.email',
};
