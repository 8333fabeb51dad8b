/**
 * The contact sync's report: what the PSA nodes wrote and what Contact Reconcile left alone,
 * per customer (or per PSA company when the plan names no customer), and what failed. The contact
 * templates end in one Contact Sync Report node that builds it once every writer has finished and
 * fails the execution when anything failed (a failed run looks failed).
 */

/** The report node's inputs, in order: the four writers' outputs, then Unchanged and Needs Review. */
export const REPORT_INPUTS = [
	'created',
	'updated',
	'deactivated',
	'reactivated',
	'unchanged',
	'review',
] as const;
export type ReportInput = (typeof REPORT_INPUTS)[number];

/** Review problems that are a guard holding an action back, not a contact to look at. */
const HELD_BACK = new Set([
	'heldCreate',
	'heldDeactivation',
	'deactivationGuard',
	'createGuard',
	'companyGuard',
]);

/** Failures listed per customer; the rest are counted. */
const LISTED = 20;

export interface ReportFailure {
	/** The plan action that failed ('create'...), or the input the item came on. */
	action: string;
	email: string;
	error: string;
}

export interface CustomerReport {
	/** The customer's name (customer map), or "<PSA> company <id>". */
	customer: string;
	targetSystem: string;
	companyId: string;
	/** The PSA company's name, where the plan items carried it. */
	companyName?: string;
	created: number;
	updated: number;
	deactivated: number;
	reactivated: number;
	unchanged: number;
	needsReview: number;
	heldBack: number;
	/** Plan items passed on unwritten (Dry Run, nothing to change). */
	notWritten: number;
	errors: number;
	failures: ReportFailure[];
}

export interface SyncReport {
	customers: CustomerReport[];
	errors: number;
}

const WRITTEN: Partial<Record<ReportInput, keyof CustomerReport>> = {
	created: 'created',
	updated: 'updated',
	deactivated: 'deactivated',
	reactivated: 'reactivated',
};

const WRITTEN_ACTION: Record<string, keyof CustomerReport> = {
	create: 'created',
	update: 'updated',
	deactivate: 'deactivated',
	reactivate: 'reactivated',
};

type Json = Record<string, unknown>;

const text = (value: unknown): string =>
	typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** Builds the report from the items each input received (any order, any customer mix). */
export function buildSyncReport(
	inputs: Partial<Record<ReportInput, readonly unknown[]>>,
): SyncReport {
	const customers = new Map<string, CustomerReport>();
	let errors = 0;
	const customerOf = (json: Json): CustomerReport => {
		// A writer's error item carries its plan item's context under `plan`.
		const source = (json.plan && typeof json.plan === 'object' ? json.plan : json) as Json;
		const system = text(source.targetSystem);
		const companyId = text(source.companyId);
		const companyName = text(source.companyName);
		// Grouped by customer, else by company id; the name only labels the group.
		const company = `${system ? `${system} ` : ''}company ${companyId}`;
		const key = text(source.customer) || (companyId ? company : NO_COMPANY);
		let report = customers.get(key);
		if (!report) {
			report = {
				customer: key === company && companyName ? `${company} (${companyName})` : key,
				targetSystem: system,
				companyId,
				...(companyName ? { companyName } : {}),
				created: 0,
				updated: 0,
				deactivated: 0,
				reactivated: 0,
				unchanged: 0,
				needsReview: 0,
				heldBack: 0,
				notWritten: 0,
				errors: 0,
				failures: [],
			};
			customers.set(key, report);
		}
		if (!report.companyId && companyId) report.companyId = companyId;
		if (!report.companyName && companyName) {
			report.companyName = companyName;
			if (report.customer === company) report.customer = `${company} (${companyName})`;
		}
		if (!report.targetSystem && system) report.targetSystem = system;
		return report;
	};
	for (const input of REPORT_INPUTS) {
		for (const item of inputs[input] ?? []) {
			const json = (item && typeof item === 'object' ? item : {}) as Json;
			const report = customerOf(json);
			if (json.error !== undefined) {
				errors++;
				report.errors++;
				if (report.failures.length < LISTED) {
					const plan = (json.plan ?? json) as Json;
					report.failures.push({
						action: text(plan.action) || input,
						email: text(plan.email),
						error: text(json.error) || JSON.stringify(json.error),
					});
				}
				continue;
			}
			const written = WRITTEN[input];
			if (written) {
				// Create also deactivates the run's own duplicates: an item counts as what it did.
				const did = WRITTEN_ACTION[text(json.action)] ?? written;
				if (json.applied === true) (report[did] as number)++;
				else report.notWritten++;
				continue;
			}
			if (input === 'unchanged') {
				report.unchanged++;
				continue;
			}
			const problem = text((json.review as Json | undefined)?.problem);
			if (HELD_BACK.has(problem)) report.heldBack++;
			else report.needsReview++;
		}
	}
	// Items that name no company (a user without an address...) belong to the run's only company.
	const orphans = customers.get(NO_COMPANY);
	const named = [...customers.values()].filter((customer) => customer !== orphans);
	if (orphans && named.length === 1) {
		const [only] = named;
		for (const key of COUNTS) only[key] += orphans[key];
		only.failures.push(...orphans.failures.slice(0, LISTED - only.failures.length));
		customers.delete(NO_COMPANY);
	}
	return { customers: [...customers.values()], errors };
}

const NO_COMPANY = 'no company';
const COUNTS = [
	'created',
	'updated',
	'deactivated',
	'reactivated',
	'unchanged',
	'needsReview',
	'heldBack',
	'notWritten',
	'errors',
] as const;

/** One line per customer with failures, for the error that fails the execution. */
export function describeFailures(report: SyncReport): string {
	return report.customers
		.filter((customer) => customer.errors > 0)
		.map((customer) => {
			const listed = customer.failures
				.slice(0, 5)
				.map((failure) => `${failure.action} ${failure.email || '(no address)'}: ${failure.error}`)
				.join('; ');
			const more = customer.errors > 5 ? `; and ${customer.errors - 5} more` : '';
			return `${customer.customer}: ${customer.errors} failed (${listed}${more})`;
		})
		.join('\n');
}
