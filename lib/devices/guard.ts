import type { Customer } from '../customers/map';
import type { Item } from './item';
import type { DeactivationGuard, DevicePlanEntry, GuardRefusal } from './types';

/**
 * The deactivation guard, per customer: one run may deactivate up to `alwaysAllow` of a
 * customer's linked items whatever the share (a customer with four devices may lose one), and
 * above that no more than `maxShare` of them. Moves count in the company the device left: a whole
 * site appearing under another customer (a wrong row in the customer map) is exactly what the
 * guard is for, so the new items are held with the deactivations. A refused customer's other
 * writes go ahead; the run ends failed and says why.
 */
export function applyGuard(
	entries: DevicePlanEntry[],
	items: readonly Item[],
	companyCustomer: ReadonlyMap<number, Customer>,
	guard: DeactivationGuard,
): GuardRefusal[] {
	const linked = new Map<number, number>();
	for (const item of items)
		if (item.active && item.deviceKey)
			linked.set(item.companyId, (linked.get(item.companyId) ?? 0) + 1);

	const byCompany = new Map<number, { count: number; entries: Set<DevicePlanEntry> }>();
	const add = (companyId: number | undefined, entry: DevicePlanEntry) => {
		if (companyId === undefined) return;
		const company = byCompany.get(companyId) ?? { count: 0, entries: new Set() };
		company.count++;
		company.entries.add(entry);
		byCompany.set(companyId, company);
	};
	for (const entry of entries) {
		if (entry.output === 'deactivate') add(entry.companyId, entry);
		else if (entry.output === 'create')
			for (const old of entry.replaces ?? []) add(old.companyId, entry);
	}

	const refusals: GuardRefusal[] = [];
	for (const [companyId, company] of byCompany) {
		const total = linked.get(companyId) ?? 0;
		if (company.count <= guard.alwaysAllow) continue;
		if (company.count <= guard.maxShare * Math.max(total, 1) + 1e-9) continue;
		const name = companyCustomer.get(companyId)?.name ?? `company ${companyId}`;
		const percent = `${Math.round(guard.maxShare * 1000) / 10}%`;
		const message = `Deactivation guard: refused to deactivate ${company.count} of the ${total} configuration items of ${name} (company ${companyId}) linked to Datto RMM devices in one run (more than ${guard.alwaysAllow} and more than ${percent})`;
		const examples: string[] = [];
		for (const entry of company.entries) {
			if (examples.length < 5)
				examples.push(
					entry.device?.hostname
						? `${entry.device.hostname} (${entry.output === 'create' ? 'moved' : `item ${entry.configurationItemId}`})`
						: `item ${entry.configurationItemId}`,
				);
			entry.held = entry.output;
			entry.output = 'review';
			entry.review = {
				problem: 'deactivationGuard',
				message,
				configurationItemIds:
					entry.held === 'create'
						? (entry.replaces ?? []).map((old) => old.configurationItemId)
						: [entry.configurationItemId!],
			};
			entry.reason = `${message}: held back (it would have been ${entry.held === 'create' ? 'created, its item in the old company deactivated' : 'deactivated'})`;
			delete entry.body;
			entry.record = entry.keep;
		}
		refusals.push({
			customer: name,
			companyId,
			deactivations: company.count,
			linked: total,
			examples,
			message,
		});
	}
	return refusals;
}
