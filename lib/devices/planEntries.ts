import type { Customer } from '../customers/map';
import { InputError } from '../transport/http';
import { deviceName, deviceTypeLabel } from './device';
import type { Device } from './device';
import type { Item } from './item';
import { itemName } from './item';
import type { DeviceRecord } from './state';
import type { DevicePlanEntry, DeviceSummary } from './types';

/**
 * The entries of the device sync's plan (plan.ts) built the same way everywhere: a device's
 * summary, a review, a deactivation with its move note, and the texts they carry.
 */

export const LOOK_UP = 'to be looked up in Datto RMM';

export interface Base {
	device: Device;
	customer?: Customer;
	companyId?: number;
	keep?: DeviceRecord;
}

export function summary(device: Device): DeviceSummary {
	return {
		uid: device.uid,
		hostname: device.hostname,
		siteUid: device.siteUid,
		siteName: device.siteName,
		deviceType: deviceTypeLabel(device),
		deviceClass: device.deviceClass,
		lastSeen: device.lastSeen === undefined ? undefined : new Date(device.lastSeen).toISOString(),
		deleted: device.deleted,
	};
}

export function customerOf(customer: Customer | undefined): DevicePlanEntry['customer'] {
	return customer ? { name: customer.name, row: customer.row } : undefined;
}

export function review(
	device: Device,
	problem: NonNullable<DevicePlanEntry['review']>['problem'],
	message: string,
	base: { customer?: Customer; companyId?: number; itemIds: number[]; keep?: DeviceRecord },
): DevicePlanEntry {
	return {
		output: 'review',
		deviceKey: device.key,
		device: summary(device),
		customer: customerOf(base.customer),
		companyId: base.companyId,
		configurationItemId: base.itemIds.length === 1 ? base.itemIds[0] : undefined,
		changes: {},
		before: {},
		after: {},
		reason: message,
		review: { problem, message, configurationItemIds: base.itemIds },
		record: base.keep,
	};
}

export function noCompanyMessage(device: Device, customer: Customer | undefined): string {
	const site = `Datto site "${device.siteName || device.siteUid}" (${device.siteUid})`;
	return customer
		? `${site} belongs to customer map row ${customer.row + 1} ("${customer.name}"), which has no autotaskCompanyId: no configuration item was written.`
		: `${site} is in no row of the customer map: no configuration item was written.`;
}

export function deactivation(
	base: { device?: Device; customer?: Customer; companyId?: number },
	item: Item,
	why: string,
	note?: string,
): DevicePlanEntry {
	const body: Record<string, unknown> = { id: item.id, isActive: false };
	const changes: Record<string, unknown> = { isActive: false };
	if (note) {
		const notes = [typeof item.record.notes === 'string' ? item.record.notes.trim() : '', note]
			.filter(Boolean)
			.join('\n');
		body.notes = notes;
		changes.notes = notes;
	}
	return {
		output: 'deactivate',
		deviceKey: item.deviceKey,
		device: base.device ? summary(base.device) : undefined,
		customer: customerOf(base.customer),
		companyId: item.companyId,
		configurationItemId: item.id,
		changes,
		before: { isActive: item.active, ...(note ? { notes: item.record.notes ?? null } : {}) },
		after: changes,
		reason: `Deactivated ${itemName(item)}: ${why}`,
		body,
	};
}

export function moveNote(
	device: Device,
	customer: Customer,
	companyId: number,
	newItemId: string,
	now: number,
): string {
	return `${new Date(now).toISOString().slice(0, 10)}: Datto RMM device ${deviceName(device)} moved to ${customer.name} (company ${companyId}); it is tracked by configuration item ${newItemId} there. Deactivated by n8n-nodes-msp.`;
}

/** Placeholder of a move note for the id of an item not created yet. */
export const NEW_ITEM_ID = '{new item}';

export function invalidValue(
	device: Device,
	error: unknown,
	base: Base & { itemIds: number[] },
): DevicePlanEntry {
	if (!(error instanceof InputError)) throw error;
	const entry = review(device, 'invalidValue', error.message, base);
	entry.error = error;
	return entry;
}
