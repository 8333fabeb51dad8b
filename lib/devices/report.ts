import { DEVICE_UID_FIELD } from './fields';
import { contractFor } from './mapping';
import type { Item } from './item';
import type { DevicePlanEntry, DeviceSyncInput, UnmappedEntry } from './types';

const EXAMPLES = 5;

interface Group {
	entry: UnmappedEntry;
	names: string[];
}

/**
 * The Unmapped report, one item per gap rather than per device (a site of 2,000 devices is one
 * line): sites with no company, device types with no product, items with no contract (so no device
 * escapes billing), fields the tenant does not accept over REST, and customer map rows that could
 * not be read.
 */
export function unmappedReport(
	input: DeviceSyncInput,
	entries: readonly DevicePlanEntry[],
	items: readonly Item[],
): UnmappedEntry[] {
	const groups = new Map<string, Group>();
	const add = (key: string, make: () => UnmappedEntry, name: string | undefined) => {
		let found = groups.get(key);
		if (!found) {
			found = { entry: make(), names: [] };
			groups.set(key, found);
		}
		found.entry.devices++;
		if (name && found.names.length < EXAMPLES) found.names.push(name);
	};
	const itemsById = new Map(items.map((item) => [item.id, item]));

	for (const entry of entries) {
		const device = entry.device;
		const name = device?.hostname || device?.uid;
		if (entry.review?.problem === 'noCompany' && device) {
			add(
				`site|${device.siteUid.toLowerCase()}`,
				() => ({
					problem: 'siteWithoutCompany',
					message: entry.customer
						? `Datto site "${device.siteName || device.siteUid}" belongs to "${entry.customer.name}" in the customer map, which has no autotaskCompanyId`
						: `Datto site "${device.siteName || device.siteUid}" is in no row of the customer map`,
					devices: 0,
					examples: [],
					siteUid: device.siteUid,
					siteName: device.siteName,
					customer: entry.customer?.name,
				}),
				name,
			);
			continue;
		}
		if (entry.review?.problem === 'noProduct' && device) {
			add(
				`type|${device.deviceType.toLowerCase()}`,
				() => ({
					problem: 'typeWithoutProduct',
					message: `Device type "${device.deviceType}" has no product (no Device Type Rule and no Default Product): its new devices get no configuration item`,
					devices: 0,
					examples: [],
					deviceType: device.deviceType,
				}),
				name,
			);
			continue;
		}
		if (entry.companyId === undefined || !device || !entry.tracked) continue;
		const contract = contractAfter(entry, itemsById.get(entry.configurationItemId ?? -1));
		if (contract === undefined) continue;
		if (contract !== '') continue;
		const item = itemsById.get(entry.configurationItemId ?? -1);
		const typeValue = typeAfter(entry, item);
		const typeLabel =
			typeValue === undefined
				? '(no type)'
				: (input.schema.typeLabel(typeValue) ?? `type ${typeValue}`);
		const ruled = contractFor(input.mapping, entry.companyId, typeValue).contractId;
		const whose = `${entry.customer?.name ?? `company ${entry.companyId}`} (company ${entry.companyId})`;
		const why =
			ruled === undefined
				? `no Contract Rule covers ${whose}'s type "${typeLabel}"`
				: `the Contract Rules bill them on contract ${ruled}, but the sync sets contracts only on items it created: set it on these in Autotask`;
		add(
			`contract|${entry.companyId}|${typeLabel}|${ruled === undefined ? 'rule' : 'item'}`,
			() => ({
				problem: 'noContract',
				message: `Configuration items of ${whose} of type "${typeLabel}" have no contract: ${why}`,
				devices: 0,
				examples: [],
				customer: entry.customer?.name,
				companyId: entry.companyId,
				configurationItemType: typeLabel,
				contractId: ruled,
			}),
			name,
		);
	}

	const out: UnmappedEntry[] = [...groups.values()].map((found) => ({
		...found.entry,
		examples: found.names,
	}));
	const notWritable = input.schema.notWritable.filter(
		(field) => !(input.options.keyUdf && field === DEVICE_UID_FIELD),
	);
	if (notWritable.length) {
		out.push({
			problem: 'fieldsNotWritable',
			message: `Autotask does not accept ${notWritable.join(', ')} over REST on this tenant (read-only or absent in its field information): the sync leaves them out`,
			devices: 0,
			examples: [],
			fields: notWritable,
		});
	}
	for (const error of input.customers.errors) {
		out.push({
			problem: 'customerMapRow',
			message: error.message,
			devices: 0,
			examples: [],
			row: error.row,
		});
	}
	return out;
}

/**
 * The contract an entry's item has once the plan is applied: '' for none, undefined when the
 * entry does not end with an active item (a review, a deactivation, an item left inactive).
 */
function contractAfter(entry: DevicePlanEntry, item: Item | undefined): string | undefined {
	if (entry.output === 'create') return text(entry.body?.contractID);
	if (entry.output !== 'update' && entry.output !== 'unchanged') return undefined;
	if (!item || !item.active) {
		if (entry.output === 'update' && entry.body?.isActive === true)
			return text(item?.record.contractID);
		return undefined;
	}
	if (entry.body && 'contractID' in entry.body) return text(entry.body.contractID);
	return text(item.record.contractID);
}

function typeAfter(entry: DevicePlanEntry, item: Item | undefined): number | undefined {
	const value = entry.body?.configurationItemType ?? item?.record.configurationItemType;
	const number = Number(value);
	return value === null || value === undefined || !Number.isFinite(number) ? undefined : number;
}

const text = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();
