import type { CanonicalContact, ContactPlanItem, PlanAction } from '../contacts/canonical';
import type { ScopeState } from './state';
import { stateLine } from './state';
import type { PendingCreate, PendingDeactivation } from './guards';
import { PLAN_OUTPUTS } from './types';
import type {
	PlanEntry,
	PlanOutput,
	ReconcileInput,
	ReconcileOptions,
	ReviewProblem,
	ReviewPlanItem,
} from './types';

export interface ReviewRequest {
	problem: ReviewProblem;
	message: string;
	/** How to resolve it (a guard's release), where there is more to say than the message. */
	description?: string;
	heldAction?: PlanAction;
	emails?: string[];
}

/**
 * One plan being built: the input it reads, the entries and counts it emits, and the state it
 * will save (one line per user; a saved record nothing decided about is carried over as it was).
 */
export class PlanBuilder {
	readonly source: readonly CanonicalContact[];

	readonly target: readonly CanonicalContact[];

	readonly previous: ScopeState;

	readonly options: ReconcileOptions;

	readonly hold: ReconcileInput['hold'];

	readonly customer: string | undefined;

	/** PSA company names by id: the node's (picker, PSA read) and those the Target contacts carry. */
	readonly companyNames = new Map<string, string>();

	readonly entries: PlanEntry[] = [];

	readonly counts = Object.fromEntries(PLAN_OUTPUTS.map((output) => [output, 0])) as Record<
		PlanOutput,
		number
	>;

	/** The state to save, one line per user. */
	readonly next: string[] = [];

	/** Active contacts this sync manages, per company (the deactivation guard's denominator). */
	readonly synced = new Map<string, number>();

	/** Deactivations, emitted only after the guards have passed the whole plan. */
	readonly deactivations: PendingDeactivation[] = [];

	/** Creates, emitted (and their records saved) only after the guards have passed the whole plan. */
	readonly creates: PendingCreate[] = [];

	/** `written[p]` marks saved records already carried into `next`. */
	private readonly written: Uint8Array;

	constructor(input: ReconcileInput) {
		this.source = input.source;
		this.target = input.target;
		this.previous = input.state;
		this.options = input.options;
		this.hold = input.hold;
		this.customer = input.customer;
		for (const contact of input.target)
			if (contact.companyName && !this.companyNames.has(contact.companyId))
				this.companyNames.set(contact.companyId, contact.companyName);
		for (const [id, name] of Object.entries(input.companyNames ?? {}))
			if (name) this.companyNames.set(id, name);
		this.written = new Uint8Array(input.state.ids.length);
	}

	item(
		action: PlanAction,
		email: string,
		sourceId: string,
		targetId: string,
		companyId: string,
	): ContactPlanItem {
		const companyName = this.companyNames.get(companyId);
		return {
			planVersion: 1,
			action,
			targetSystem: this.options.targetSystem,
			targetId,
			companyId,
			...(companyName ? { companyName } : {}),
			email,
			sourceId,
			changes: {},
			before: {},
			after: {},
			reason: '',
			dryRun: this.options.dryRun,
			...(this.customer ? { customer: this.customer } : {}),
		};
	}

	/** A plan item about PSA contact `t`, carrying the contact's opaque ref for its PSA node. */
	contactItem(email: string, sourceId: string, t: number): ContactPlanItem {
		const contact = this.target[t];
		const item = this.item('unchanged', email, sourceId, contact.id, contact.companyId);
		if (contact.ref !== undefined) item.targetRef = contact.ref;
		return item;
	}

	emit(output: PlanOutput, item: ContactPlanItem, s: number, t: number): void {
		this.entries.push({ output, item, source: s, target: t });
		this.counts[output]++;
	}

	/** Carries a saved record over unchanged (nothing about its user was decided this run). */
	keep(p: number): void {
		if (p < 0 || this.written[p]) return;
		this.written[p] = 1;
		this.next.push(stateLine(this.previous.ids[p], this.previous.records[p]));
	}

	save(userId: string, p: number, record: string): void {
		if (p >= 0) this.written[p] = 1;
		this.next.push(stateLine(userId, record));
	}

	/** Counts a contact the sync manages towards its company's synced contacts. */
	countSynced(contact: CanonicalContact): void {
		if (contact.active)
			this.synced.set(contact.companyId, (this.synced.get(contact.companyId) ?? 0) + 1);
	}

	/**
	 * A Needs Review entry about users `sources` and contacts `targets`: action "unchanged" (a PSA
	 * node applies nothing) plus why; `held` is the item the plan would otherwise have emitted.
	 */
	review(
		details: ReviewRequest,
		sources: number[],
		targets: number[],
		held?: ContactPlanItem,
	): void {
		const { source, target } = this;
		const first = sources.length ? source[sources[0]] : target[targets[0]];
		const item: ReviewPlanItem = {
			...(held ??
				this.item(
					'unchanged',
					first.email,
					sources.length ? source[sources[0]].id : '',
					targets.length === 1 ? target[targets[0]].id : '',
					targets.length === 1 ? target[targets[0]].companyId : '',
				)),
			action: 'unchanged',
			changes: {},
			reason: held ? `${details.message} (planned: ${held.reason})` : details.message,
			review: {
				problem: details.problem,
				message: details.message,
				...(details.description ? { description: details.description } : {}),
				...(details.heldAction ? { heldAction: details.heldAction } : {}),
				sourceIds: sources.map((i) => source[i].id),
				targetIds: targets.map((i) => target[i].id),
				emails: details.emails ?? (first.email ? [first.email] : []),
			},
		};
		this.entries.push({
			output: 'review',
			item,
			source: sources.length ? sources[0] : -1,
			target: targets.length ? targets[0] : -1,
			related: { sources, targets },
		});
		this.counts.review++;
	}
}
