import { companyOf } from '../customers/map';
import type { Customer, CustomerMap } from '../customers/map';
import type { InputIssue, ReadContactsResult } from './contacts';
import { reconcileOptions } from './options';
import type { ReconcileParameters } from './options';
import type { ReconcileOptions, TargetSystem } from './types';

/**
 * One Contact Reconcile run over a whole customer map: the Source users and Target contacts of
 * every customer arrive together, and each customer gets its own scope (its tenant's users in its
 * domains, its PSA company's contacts, its row's switches). A customer that cannot be planned
 * (no tenant, a read that failed, a bad row) fails on its own; the others are planned as if it
 * were not there (docs/adr/contact-sync-one-scope-per-customer.md).
 */

/** What a Source or Target item says it belongs to, read from the item as it arrived. */
export interface ItemOwner {
	/** Source: the tenant the user was read from (Microsoft 365 Users' Tenant, lower case). */
	tenant?: string;
	/** Target: the PSA company the contact belongs to, or the company a failed read asked for. */
	companyId?: string;
}

/** A customer the run plans, with the positions (in the read contacts) of its users and contacts. */
export interface CustomerScope {
	customer: Customer;
	companyId: string;
	/** Set when the customer is not planned this run; the text says why and how to fix it. */
	failure?: { message: string; description: string };
	options?: ReconcileOptions;
	/** Positions in `source.contacts` and `target.contacts`. */
	source: number[];
	target: number[];
	/** The input issues that are this customer's (or nobody's): creates and deactivations wait. */
	issues: InputIssue[];
}

export interface ScopeCustomersInput {
	map: CustomerMap;
	targetSystem: TargetSystem;
	/** The node's own settings; the row overrides company, domains, Update Existing, mode, fields. */
	parameters: Omit<ReconcileParameters, 'companyId' | 'domains' | 'updateExisting' | 'mode'>;
	source: ReadContactsResult;
	target: ReadContactsResult;
	/** Owner of each Source / Target input item, by item index. */
	sourceOwners: readonly ItemOwner[];
	targetOwners: readonly ItemOwner[];
}

export interface ScopedCustomers {
	scopes: CustomerScope[];
	/** Rows with contact sync off or without a company in this PSA: not this run's customers. */
	skipped: Customer[];
}

const PSA_NAME: Record<TargetSystem, string> = { autotask: 'Autotask', connectwise: 'ConnectWise' };

/** Splits the run into one scope per customer with contact sync on and a company in this PSA. */
export function scopeCustomers(input: ScopeCustomersInput): ScopedCustomers {
	const { map, targetSystem, source, target, sourceOwners, targetOwners } = input;
	const scopes: CustomerScope[] = [];
	const skipped: Customer[] = [];
	const byTenant = new Map<string, CustomerScope[]>();
	const byCompany = new Map<string, CustomerScope>();

	for (const customer of map.customers) {
		const company = companyOf(customer, targetSystem);
		if (!customer.contactSync || company === undefined) {
			skipped.push(customer);
			continue;
		}
		const scope: CustomerScope = {
			customer,
			companyId: String(company),
			source: [],
			target: [],
			issues: [],
		};
		scopes.push(scope);
		byCompany.set(scope.companyId, scope);
		if (!customer.tenant) {
			scope.failure = {
				message: `Customer "${customer.name}": contact sync is on but the customer map row has no tenant`,
				description:
					"Fill the row's tenant column with the customer's Microsoft 365 tenant id or one of its verified domains, or set contactSync to false.",
			};
			continue;
		}
		byTenant.set(customer.tenant, [...(byTenant.get(customer.tenant) ?? []), scope]);
		try {
			scope.options = reconcileOptions({
				...input.parameters,
				targetSystem,
				companyId: scope.companyId,
				domains: customer.domains.join(', '),
				updateExisting: customer.updateExisting,
				mode: customer.mode,
				fields: customer.fields.length ? customer.fields : input.parameters.fields,
			});
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			scope.failure = {
				message: `Customer "${customer.name}" (customer map row ${customer.row + 1}): ${message}`,
				description:
					(error as { description?: string }).description ?? 'Correct the customer map row.',
			};
		}
	}

	const tenantOf = (index: number) => sourceOwners[index]?.tenant?.trim().toLowerCase() || '';
	let untenanted = 0;
	source.contacts.forEach((_contact, s) => {
		const tenant = tenantOf(source.itemIndex[s]);
		if (!tenant) untenanted++;
		for (const scope of byTenant.get(tenant) ?? []) scope.source.push(s);
	});
	target.contacts.forEach((contact, t) => {
		byCompany.get(contact.companyId)?.target.push(t);
	});

	const everyone: InputIssue[] = [];
	for (const issue of source.issues) {
		const owners = byTenant.get(tenantOf(issue.itemIndex));
		if (!owners) everyone.push(issue);
		else for (const scope of owners) claim(scope, issue, 'Source', targetSystem);
	}
	for (const issue of target.issues) {
		const companyId = targetOwners[issue.itemIndex]?.companyId?.trim() ?? '';
		const owner = companyId ? byCompany.get(companyId) : undefined;
		if (!owner) everyone.push(issue);
		else claim(owner, issue, 'Target', targetSystem);
	}
	for (const scope of scopes) {
		scope.issues.push(...everyone);
		if (!scope.failure && scope.source.length === 0 && untenanted > 0) {
			scope.failure = {
				message: `Customer "${scope.customer.name}": none of the ${untenanted} Source user(s) says which tenant it was read from, so none can be given to this customer`,
				description:
					"Set Microsoft 365 Users' Tenant to the customer map row's tenant (e.g. {{ $json.tenant }}), one item per customer: each user then carries the tenant it came from.",
			};
		}
	}
	return { scopes, skipped };
}

/** A failed read of the customer's users or contacts fails the customer; other issues hold it. */
function claim(
	scope: CustomerScope,
	issue: InputIssue,
	input: 'Source' | 'Target',
	targetSystem: TargetSystem,
): void {
	scope.issues.push(issue);
	if (issue.field !== 'error' || scope.failure) return;
	const what =
		input === 'Source'
			? `the Microsoft 365 users of tenant ${scope.customer.tenant}`
			: `the ${PSA_NAME[targetSystem]} contacts of company ${scope.companyId}`;
	scope.failure = {
		message: `Customer "${scope.customer.name}": ${what} could not be read, so nothing was planned for this customer`,
		description: `${issue.message}. The other customers were planned as usual. ${
			input === 'Source'
				? "Check the customer map row's tenant and that an administrator of that tenant consented to the app (Microsoft Graph application permission User.Read.All)."
				: `Check the customer map row's company id and that the ${PSA_NAME[targetSystem]} credential may read that company's contacts.`
		}`,
	};
}
