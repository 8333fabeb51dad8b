import type { Customer } from '../customers/map';
import { InputError } from '../transport/http';
import { deviceName, deviceTypeLabel, serialKey } from './device';
import type { Device } from './device';
import { DEVICE_FIELDS, MAPPING_FIELDS, udfField } from './fields';
import type { SyncedField } from './fields';
import { applyGuard } from './guard';
import type { Item } from './item';
import { itemName, readItem } from './item';
import { mappedValues } from './mapping';
import {
	customerOf,
	deactivation,
	LOOK_UP,
	moveNote,
	noCompanyMessage,
	review,
	summary,
} from './planEntries';
import { planCreate, planMatched } from './planItemWrites';
import { unmappedReport } from './report';
import { dayOf, GONE, PRESENCE_SLOT, timeOfDay } from './state';
import type { DeviceRecord } from './state';
import { DEVICE_OUTPUTS } from './types';
import type { DevicePlanEntry, DeviceSyncInput, DeviceSyncPlan } from './types';

/**
 * The device sync's plan (pure: devices + items + customer map + mappings + field information +
 * memory → one entry per device or item, the unmapped report and the guard's refusals):
 * - a device is matched to an item of its customer's company by its uid, then by serial number
 *   within that company (never across companies);
 * - a matched item is brought in line field by field (align.ts), its product, type and contract
 *   only when this sync created it;
 * - a device without an item gets one, unless its type has no product;
 * - a device whose site now belongs to another mapped customer gets a new item there, and its
 *   item in the old company is deactivated with a note naming the new one;
 * - the items of a deleted or vanished device are deactivated once the grace period after its
 *   lastSeen is over; nothing is ever deleted;
 * - items of companies outside the customer map are never read or written.
 */
export function planDeviceSync(input: DeviceSyncInput): DeviceSyncPlan {
	const { options, mapping } = input;
	const today = dayOf(options.now);
	const siteCustomer = new Map<string, Customer>();
	const companyCustomer = new Map<number, Customer>();
	for (const customer of input.customers.customers) {
		for (const site of customer.dattoSiteUids) siteCustomer.set(site.toLowerCase(), customer);
		if (customer.autotaskCompanyId !== undefined)
			companyCustomer.set(customer.autotaskCompanyId, customer);
	}

	const items: Item[] = [];
	for (const record of input.items) {
		const item = readItem(record, options.keyUdf);
		if (item && companyCustomer.has(item.companyId)) items.push(item);
	}
	const byKey = group(items, (item) => item.deviceKey || undefined);
	const bySerial = group(items, (item) =>
		item.serial ? `${item.companyId}|${item.serial}` : undefined,
	);

	const present = new Map<string, Device>();
	for (const device of input.devices) if (!present.has(device.key)) present.set(device.key, device);

	const companyOf = (device: Device) => siteCustomer.get(device.siteUid.toLowerCase());
	const serialDevices = new Map<string, number>();
	for (const device of present.values()) {
		const companyId = companyOf(device)?.autotaskCompanyId;
		if (device.deleted || companyId === undefined || !device.serialNumber) continue;
		const key = `${companyId}|${serialKey(device.serialNumber)}`;
		serialDevices.set(key, (serialDevices.get(key) ?? 0) + 1);
	}

	const fields = syncedFields(input);
	const claimed = new Set<number>();
	const entries: DevicePlanEntry[] = [];
	const lastSeenDay = (device: Device) =>
		device.lastSeen !== undefined ? dayOf(device.lastSeen) : today;
	const kept = (device: Device): DeviceRecord | undefined => {
		const previous = input.state.get(device.key);
		return {
			itemId: previous?.itemId,
			lastSeenDay: lastSeenDay(device),
			slots: previous?.slots ?? new Map(),
		};
	};

	for (const device of present.values()) {
		if (device.deleted) continue;
		const customer = companyOf(device);
		const companyId = customer?.autotaskCompanyId;
		const all = byKey.get(device.key) ?? [];
		if (!customer || companyId === undefined) {
			for (const item of all) claimed.add(item.id);
			entries.push(
				review(device, 'noCompany', noCompanyMessage(device, customer), {
					customer,
					itemIds: all.map((item) => item.id),
					keep: kept(device),
				}),
			);
			continue;
		}
		const base = { device, customer, companyId, keep: kept(device) };
		const inCompany = all.filter((item) => item.companyId === companyId).sort(byId);
		const elsewhere = all.filter((item) => item.companyId !== companyId && item.active);
		const active = inCompany.filter((item) => item.active);
		let match: Item | undefined;
		let how = '';
		if (active.length > 1) {
			const [winner, ...others] = active;
			if (!others.every((item) => item.ours)) {
				for (const item of [...inCompany, ...elsewhere]) claimed.add(item.id);
				entries.push(
					review(
						device,
						'twoItemsClaim',
						`${active.length} active configuration items of company ${companyId} carry the device's uid (${active.map((item) => item.id).join(', ')}), and not only this sync created them: nothing was written. Deactivate the extra ones in Autotask.`,
						{ ...base, itemIds: active.map((item) => item.id) },
					),
				);
				continue;
			}
			match = winner;
			for (const duplicate of others) {
				claimed.add(duplicate.id);
				entries.push(
					deactivation(
						base,
						duplicate,
						`a duplicate of configuration item ${winner.id}, which this sync created earlier for the same device (the lowest id is kept)`,
					),
				);
			}
		} else if (active.length === 1) {
			match = active[0];
		} else if (inCompany.length > 0) {
			match = inCompany[inCompany.length - 1];
		} else if (device.serialNumber) {
			const serial = `${companyId}|${serialKey(device.serialNumber)}`;
			if ((serialDevices.get(serial) ?? 0) === 1) {
				const candidates = (bySerial.get(serial) ?? []).filter(
					(item) =>
						item.active &&
						!claimed.has(item.id) &&
						(!item.deviceKey ||
							!present.has(item.deviceKey) ||
							present.get(item.deviceKey)!.deleted),
				);
				if (candidates.length > 1) {
					for (const item of candidates) claimed.add(item.id);
					entries.push(
						review(
							device,
							'twoItemsClaim',
							`${candidates.length} configuration items of company ${companyId} have the device's serial number ${device.serialNumber} (${candidates.map((item) => item.id).join(', ')}) and none carries its uid: nothing was written. Put the device's uid on the right one, or deactivate the others.`,
							{ ...base, itemIds: candidates.map((item) => item.id) },
						),
					);
					continue;
				}
				if (candidates.length === 1) {
					match = candidates[0];
					how = `matched by serial number ${device.serialNumber}`;
				}
			}
		}

		const mapped = mappedValues(mapping, device, companyId);
		if (match) {
			claimed.add(match.id);
			const entry = planMatched(input, device, match, mapped, fields, base, how);
			entries.push(entry);
			for (const old of elsewhere) {
				claimed.add(old.id);
				entries.push(
					deactivation(
						{ device, customer: companyCustomer.get(old.companyId), companyId: old.companyId },
						old,
						`the device's site belongs to ${customer.name} (company ${companyId}) now, whose configuration item ${match.id} tracks it`,
						moveNote(device, customer, companyId, String(match.id), options.now),
					),
				);
			}
			continue;
		}

		for (const old of elsewhere) claimed.add(old.id);
		if (device.auditFailed) {
			const message = `Device ${deviceName(device)}: its Datto RMM audit could not be read (${device.auditFailed}), so it could not be matched by serial number: no configuration item was created this run`;
			const entry = review(device, 'failed', message, { ...base, itemIds: [] });
			entry.error = new InputError(
				'serialNumber',
				message,
				'Run again; if it keeps failing, check the device in Datto RMM.',
			);
			entries.push(entry);
			continue;
		}
		if (mapped.productId === undefined) {
			entries.push(
				review(
					device,
					'noProduct',
					`No product for device type "${deviceTypeLabel(device)}": no Device Type Rule names it and there is no Default Product, so no configuration item was created.`,
					{ ...base, itemIds: elsewhere.map((item) => item.id) },
				),
			);
			continue;
		}
		entries.push(planCreate(input, device, mapped, fields, base, elsewhere, companyCustomer));
	}

	planGone(input, items, claimed, present, companyCustomer, entries);

	const refusals = applyGuard(entries, items, companyCustomer, options.guard);
	const toLookUp = entries
		.filter((entry) => entry.reason.startsWith(LOOK_UP))
		.map((entry) => entry.deviceKey);
	entries.sort(
		(a, b) =>
			(a.customer?.name ?? '\uffff').localeCompare(b.customer?.name ?? '\uffff') ||
			(a.device?.hostname ?? '').localeCompare(b.device?.hostname ?? '') ||
			(a.configurationItemId ?? 0) - (b.configurationItemId ?? 0),
	);
	const unmapped = unmappedReport(input, entries, items);
	const counts = Object.fromEntries(
		DEVICE_OUTPUTS.map((output) => [output, 0]),
	) as DeviceSyncPlan['counts'];
	for (const entry of entries) counts[entry.output]++;
	counts.unmapped = unmapped.length;
	return { entries, unmapped, refusals, toLookUp: [...new Set(toLookUp)], counts };
}

/** The fields the sync writes on this tenant: the device's, the UDF rules', the mapping's. */
function syncedFields(input: DeviceSyncInput): { device: SyncedField[]; mapping: SyncedField[] } {
	const { schema } = input;
	const udfs = input.mapping.udfRules
		.map((rule) => udfField(rule.slot, rule.udfName))
		.filter((field) => !schema.udfNames || schema.udfNames.has(field.field.toLowerCase()));
	return {
		device: [...DEVICE_FIELDS.filter((field) => schema.writable(field.field)), ...udfs],
		mapping: MAPPING_FIELDS.filter((field) => schema.writable(field.field)),
	};
}

/** Items whose device was deleted or left Datto: deactivated after the grace period. */
function planGone(
	input: DeviceSyncInput,
	items: readonly Item[],
	claimed: ReadonlySet<number>,
	present: ReadonlyMap<string, Device>,
	companyCustomer: ReadonlyMap<number, Customer>,
	entries: DevicePlanEntry[],
): void {
	const { options } = input;
	const today = dayOf(options.now);
	const gone = group(
		items.filter((item) => !claimed.has(item.id) && item.active && item.deviceKey),
		(item) => item.deviceKey,
	);
	for (const [key, group_] of gone) {
		const listed = present.get(key);
		let device = listed;
		const looked = input.lookups?.get(key);
		if (!listed && looked) {
			if (!looked.deleted) {
				for (const item of group_) {
					entries.push({
						output: 'unchanged',
						deviceKey: key,
						device: summary(looked),
						customer: customerOf(companyCustomer.get(item.companyId)),
						companyId: item.companyId,
						configurationItemId: item.id,
						changes: {},
						before: {},
						after: {},
						reason: `the device is in Datto site "${looked.siteName || looked.siteUid}", which has no company in the customer map: its ${itemName(item)} is left as it is`,
					});
				}
				continue;
			}
			device = looked;
		}
		const previous = input.state.get(key);
		const seenDay =
			device?.lastSeen !== undefined ? dayOf(device.lastSeen) : (previous?.lastSeenDay ?? today);
		const since = new Date(timeOfDay(seenDay)).toISOString().slice(0, 10);
		const why = device?.deleted
			? `the device was deleted in Datto RMM (last seen ${since})`
			: `the device is no longer in Datto RMM (last seen ${since})`;
		const due = seenDay + options.graceDays;
		const record = (presence?: number): DeviceRecord => {
			const slots = new Map(previous?.slots ?? []);
			if (presence !== undefined) slots.set(PRESENCE_SLOT, presence);
			return { itemId: previous?.itemId ?? group_[0].id, lastSeenDay: seenDay, slots };
		};
		const expired = today >= due;
		const unconfirmed =
			expired && options.scope === 'mappedSites' && !listed && !input.lookups?.has(key);
		group_.forEach((item, index) => {
			const customer = companyCustomer.get(item.companyId);
			if (!expired || unconfirmed) {
				entries.push({
					output: 'unchanged',
					deviceKey: key,
					device: device ? summary(device) : undefined,
					customer: customerOf(customer),
					companyId: item.companyId,
					configurationItemId: item.id,
					changes: {},
					before: {},
					after: {},
					reason: unconfirmed
						? `${LOOK_UP}: ${why}`
						: `${why}: its ${itemName(item)} is deactivated after the ${options.graceDays}-day grace period, on ${new Date(timeOfDay(due)).toISOString().slice(0, 10)}`,
					record: index === 0 ? record() : undefined,
				});
				return;
			}
			const entry = deactivation(
				{ device, customer, companyId: item.companyId },
				item,
				`${why}, more than ${options.graceDays} day(s) ago`,
			);
			entry.deviceKey = key;
			if (index === 0) {
				entry.record = record(GONE);
				entry.keep = record();
			}
			entries.push(entry);
		});
	}
}

function group<T>(values: readonly T[], key: (value: T) => string | undefined): Map<string, T[]> {
	const out = new Map<string, T[]>();
	for (const value of values) {
		const k = key(value);
		if (k === undefined) continue;
		const list = out.get(k);
		if (list) list.push(value);
		else out.set(k, [value]);
	}
	return out;
}

const byId = (a: Item, b: Item) => a.id - b.id;
