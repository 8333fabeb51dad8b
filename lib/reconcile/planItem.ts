import type {
	CanonicalContact,
	ContactChanges,
	ContactPlanItem,
	PlanAction,
} from '../contacts/canonical';
import { isContactPlanItem, planChanges } from '../contacts/canonical';
import type { TruncatedValue } from '../contacts/fieldLimits';
import { cleanText } from '../contacts/normalize';
import { InputError } from '../transport/http';
import type { TargetSystem } from './types';

/**
 * The plan-item protocol (docs/adr/plan-item-protocol.md): how a PSA contact node in "From Contact
 * Reconcile" mode reads one input item, which items pass through unwritten and why, and what an
 * applied item looks like. Both PSA nodes follow it; only the write itself is theirs.
 */

/** The PSA contact nodes' parameter that applies plan items (errors about the item name it). */
export const FROM_RECONCILE = 'From Contact Reconcile';

const TARGETS: Record<TargetSystem, { vendor: string; node: string; article: string }> = {
	autotask: { vendor: 'Autotask', node: 'Autotask Contact', article: 'an' },
	connectwise: { vendor: 'ConnectWise', node: 'ConnectWise Contact', article: 'a' },
};

/** Which plan actions each write operation applies. */
const OPERATION_ACTIONS: Record<string, readonly PlanAction[]> = {
	create: ['create'],
	update: ['update', 'deactivate', 'reactivate'],
	deactivate: ['deactivate'],
	reactivate: ['reactivate'],
};

/** A plan item as a PSA node outputs it: the item, whether it was written, and the result. */
export interface PlanItemOutput extends ContactPlanItem {
	applied: boolean;
	/** Why an item passed through unwritten. */
	skipReason?: string;
	/** The contact as written (canonical); fields not written are blank, i.e. unknown. */
	contact?: CanonicalContact;
	/** Values longer than the PSA's field allows, cut at its length and written (lib/contacts/fieldLimits.ts). */
	truncated?: TruncatedValue[];
}

export type PlanItemStep =
	| { apply: ContactPlanItem; changes: ContactChanges }
	| { skip: PlanItemOutput };

/**
 * Reads one input item for `operation` of the `system` node: the plan item and exactly what to
 * write, or the item to pass on unwritten (nothing to change, a dry run, no changes). An item
 * that is not a plan item, is for the other PSA or carries an action this operation does not
 * apply is an InputError naming the plan field.
 */
export function readPlanItem(json: unknown, operation: string, system: TargetSystem): PlanItemStep {
	const target = TARGETS[system];
	if (!isContactPlanItem(json)) {
		throw new InputError(
			FROM_RECONCILE,
			'The input item is not a Contact Reconcile plan item (it has no planVersion, action and changes)',
			'Connect an output of the Contact Reconcile node, or turn "From Contact Reconcile" off and map the fields.',
		);
	}
	const plan = json;
	if (plan.targetSystem !== system) {
		const other = TARGETS[plan.targetSystem as TargetSystem];
		throw new InputError(
			'targetSystem',
			`The plan item targets "${String(plan.targetSystem)}", not ${target.vendor}`,
			`Set the Contact Reconcile node's target system to ${target.vendor}${other ? `, or send these items to the ${other.node} node` : ''}.`,
		);
	}
	if (plan.action === 'unchanged') return { skip: skippedPlanItem(plan, 'Nothing to change') };
	if (!OPERATION_ACTIONS[operation]?.includes(plan.action)) {
		throw new InputError(
			'action',
			`The plan item's action is "${plan.action}", which this node's operation (${operation}) does not apply`,
			`Connect Contact Reconcile's "${plan.action}" output to a ${target.node} node whose operation is ${plan.action === 'create' ? 'Create' : 'Update'}.`,
		);
	}
	// A dry run still fails on a miswired item above: it shows what the real run would do.
	if (plan.dryRun) return { skip: skippedPlanItem(plan, 'Dry run') };
	const changes = planChanges(plan);
	if (plan.action !== 'create' && Object.keys(changes).length === 0)
		return { skip: skippedPlanItem(plan, 'The plan item has no changes') };
	return { apply: plan, changes };
}

export function skippedPlanItem(plan: ContactPlanItem, reason: string): PlanItemOutput {
	return { ...plan, applied: false, skipReason: reason };
}

/** A written plan item: its contact's id (new for a create) and the contact as written. */
export function appliedPlanItem(
	plan: ContactPlanItem,
	targetId: string,
	contact: CanonicalContact,
	truncated?: TruncatedValue[],
): PlanItemOutput {
	return { ...plan, applied: true, targetId, contact, ...(truncated?.length ? { truncated } : {}) };
}

/** The id of the contact an update, deactivate or reactivate plan item writes to. */
export function planTargetId(plan: ContactPlanItem): number {
	const target = TARGETS[plan.targetSystem];
	const id = cleanText(plan.targetId);
	if (!/^\d+$/.test(id) || Number(id) <= 0 || !Number.isSafeInteger(Number(id))) {
		throw new InputError(
			'targetId',
			id
				? `The plan item's targetId "${id}" is not ${target.article} ${target.vendor} contact ID`
				: 'The plan item has no targetId',
			"Pass Contact Reconcile's plan items on as they are: targetId is the id of the contact it planned for.",
		);
	}
	return Number(id);
}

/** The company a plan item's contact is created in (or, in Autotask, written through). */
export function planCompanyId(plan: ContactPlanItem): string {
	const target = TARGETS[plan.targetSystem];
	const id = cleanText(plan.companyId);
	if (!id) {
		throw new InputError(
			'companyId',
			'The plan item has no companyId',
			'Set "Company ID for New Contacts" in Contact Reconcile; for other actions, pass its plan items on as they are.',
		);
	}
	if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id))) {
		throw new InputError(
			'companyId',
			`The plan item's companyId "${id}" is not ${target.article} ${target.vendor} company ID`,
			`Set "Company ID for New Contacts" in Contact Reconcile to the numeric ${target.vendor} company ID.`,
		);
	}
	return id;
}

/** What a writer's failed item was about, for the run's one summary error. */
export const WRITE_SUMMARY = { noun: 'contact', nouns: 'contacts', verb: 'could not be written' };

/**
 * A plan item in a few words for a failure summary ("create ann@contoso.com in company 174
 * (Contoso)"); undefined for an item that is not a plan item.
 */
export function planItemSubject(json: unknown): string | undefined {
	if (!isContactPlanItem(json)) return undefined;
	const who = json.email || (json.targetId ? `contact ${json.targetId}` : 'a contact');
	const name = cleanText(json.companyName);
	const company = json.companyId ? ` in company ${json.companyId}${name ? ` (${name})` : ''}` : '';
	const customer = cleanText(json.customer);
	return `${json.action} ${who}${company}${customer && customer !== name ? ` (${customer})` : ''}`;
}

/**
 * What a failed plan item was about, kept on its Continue On Fail error item (under `plan`) so
 * the Contact Sync Report can tell the customer and action; undefined for other items.
 */
export function planItemContext(json: unknown): { plan: Record<string, string> } | undefined {
	if (!isContactPlanItem(json)) return undefined;
	const customer = cleanText(json.customer);
	const companyName = cleanText(json.companyName);
	return {
		plan: {
			action: json.action,
			targetSystem: json.targetSystem,
			companyId: cleanText(json.companyId),
			...(companyName ? { companyName } : {}),
			targetId: cleanText(json.targetId),
			email: cleanText(json.email),
			...(customer ? { customer } : {}),
		},
	};
}
