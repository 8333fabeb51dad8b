import type {
	CanonicalContact,
	ContactPlanItem,
	PlanAction,
	SyncField,
} from '../contacts/canonical';
import type { ScopeState } from './state';

export type ReconcileMode = 'changes' | 'mirror';
export type TargetSystem = 'autotask' | 'connectwise';

/** The node's outputs, in order. */
export const PLAN_OUTPUTS = [
	'create',
	'update',
	'deactivate',
	'reactivate',
	'unchanged',
	'review',
] as const;
export type PlanOutput = (typeof PLAN_OUTPUTS)[number];

export interface SafetyGuard {
	/** Largest share (0..1) of a company's synced contacts one run may deactivate. */
	maxShare: number;
	/** Refuse every deactivation when the source has no users (in the synced domains). */
	refuseWhenSourceEmpty: boolean;
	/**
	 * Refuse every create when the target has no contacts although users were synced with
	 * contacts before (a failed or misdirected read would otherwise duplicate them all).
	 */
	refuseWhenTargetEmpty: boolean;
	/** Deactivations a company may always have, whatever the share (small companies). */
	alwaysAllow: number;
	/** Creates a company may always have in one run, whatever its size. */
	createAlwaysAllow: number;
	/**
	 * Largest number of creates in one run as a share (0..1) of the company's existing active
	 * contacts; more (and more than `createAlwaysAllow`) refuses the plan. An empty company has no
	 * limit (a first sync).
	 */
	maxCreateShare: number;
	/**
	 * Refuse creates into a company whose contacts all have addresses outside the run's domains
	 * (a mistyped company id: another customer's company).
	 */
	checkCompany: boolean;
}

export interface ReconcileOptions {
	targetSystem: TargetSystem;
	/** Company new contacts are created in. */
	companyId: string;
	/** Off: only creates. On: updates, deactivations and reactivations too. */
	updateExisting: boolean;
	mode: ReconcileMode;
	fields: readonly SyncField[];
	/** Lower-case domains; empty means every user. */
	domains: readonly string[];
	guard: SafetyGuard;
	dryRun: boolean;
}

/**
 * Contact Reconcile version 2's Always Allow Up To when it is not set: a handful of routine
 * leavers in a small company (2 of 9 is 22 %) go through instead of waiting for a person.
 * DEFAULT_GUARD keeps 0, version 1's, for saved workflows.
 */
export const ALWAYS_ALLOW_V2 = 3;

export const DEFAULT_GUARD: SafetyGuard = {
	maxShare: 0.2,
	refuseWhenSourceEmpty: true,
	refuseWhenTargetEmpty: true,
	alwaysAllow: 0,
	createAlwaysAllow: 25,
	maxCreateShare: 1,
	checkCompany: true,
};

export type ReviewProblem =
	| 'ambiguousMatch'
	| 'sharedContact'
	| 'duplicateAddress'
	| 'duplicateItem'
	| 'noAddress'
	| 'heldCreate'
	| 'heldDeactivation'
	| 'deactivationGuard'
	| 'createGuard'
	| 'companyGuard';

export interface ReviewDetails {
	problem: ReviewProblem;
	message: string;
	/** How to resolve it: a guard's explanation and release, on the items it held back. */
	description?: string;
	/** The action the plan would have taken; review items themselves never write. */
	heldAction?: PlanAction;
	sourceIds: string[];
	targetIds: string[];
	emails: string[];
}

/** A Needs Review item: a plan item with action "unchanged" (a PSA node applies nothing) plus why. */
export interface ReviewPlanItem extends ContactPlanItem {
	review: ReviewDetails;
}

export interface PlanEntry {
	output: PlanOutput;
	item: ContactPlanItem | ReviewPlanItem;
	/** Index into the source and target arrays the entry came from; -1 for none. */
	source: number;
	target: number;
	/** Needs Review entries about several users or contacts list every one of them. */
	related?: { sources: number[]; targets: number[] };
}

export interface GuardCompany {
	companyId: string;
	/** The company's name, where the PSA told it (guard messages and held items name it). */
	companyName?: string;
	/** Creates the create share guard held back in this company. */
	creates?: number;
	deactivations: number;
	synced: number;
	examples: string[];
}

export type GuardKind = 'deactivation' | 'create' | 'company';

export interface GuardVerdict {
	/** Which guard refused: too many deactivations, too many creates, or the wrong company. */
	kind: GuardKind;
	message: string;
	description: string;
	sourceEmpty: boolean;
	/** Set when creates were refused because the target was empty. */
	targetEmpty: boolean;
	companies: GuardCompany[];
	/**
	 * The creates (create share guard) or the deactivations of the companies over the share
	 * (deactivation guard) were held back, each on Needs Review with how to release it, and the
	 * rest of the plan goes ahead; unset = the whole plan is refused.
	 */
	heldBack?: boolean;
}

export interface ReconcileInput {
	source: readonly CanonicalContact[];
	target: readonly CanonicalContact[];
	/** Saved records of this scope (see state.ts). */
	state: ScopeState;
	options: ReconcileOptions;
	/**
	 * Why creates or absence-based deactivations cannot be trusted this run (items on an input
	 * could not be read): they go to Needs Review instead.
	 */
	hold?: { creates?: string; deactivations?: string };
	/** The customer the plan is for (customer map), named in guard messages and plan items. */
	customer?: string;
	/** PSA company names by id, where known: guard messages name companies, not only ids. */
	companyNames?: Readonly<Record<string, string>>;
}

export interface ReconcileResult {
	entries: PlanEntry[];
	/** The lines to save when the plan is applied (not on a dry run); see state.ts. */
	state: string[];
	counts: Record<PlanOutput, number>;
	/**
	 * Set when a safety guard refuses the whole plan (an empty source or target, the wrong
	 * company): nothing of it may be written.
	 */
	guard?: GuardVerdict;
	/**
	 * The guards that held some actions back (too many creates, too many deactivations in a
	 * company): those items are on Needs Review, the rest of the plan goes ahead.
	 */
	held: GuardVerdict[];
}
