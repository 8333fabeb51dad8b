import { mapWithConcurrency } from '../transport/limiter';
import { VendorApiError } from '../transport/http';
import { settle } from '../util/settled';
import { deviceName } from './device';
import { NEW_ITEM_ID } from './planEntries';
import type { DeviceRecord, DeviceState } from './state';
import type { DevicePlanEntry, DeviceSyncPlan } from './types';

/** What applying the plan needs from the PSA: create (never twice) and update an item. */
export interface ItemWriter {
	/** Creates an item; `find` looks it up by the device after an unclear failure. */
	create(body: Record<string, unknown>, find: () => Promise<number | undefined>): Promise<number>;
	/** Sets the fields in `body` (with `id`) and nothing else. */
	update(body: Record<string, unknown> & { id: number }): Promise<void>;
	/** The active item of `companyId` linked to the device, if any (the create's look-up). */
	findByDevice(companyId: number, deviceUid: string): Promise<number | undefined>;
}

/** One write that failed, in words a person acts on. */
export interface DeviceFailure {
	entry: DevicePlanEntry;
	/** "Device CONTOSO-WS001 (uid) of Contoso Ltd: creating its configuration item failed". */
	message: string;
	/** The vendor's words (or the planner's). */
	detail: string;
	/** How to fix it, when known. */
	description?: string;
	/** The field the vendor named, when it named one. */
	field?: string;
	cause: unknown;
}

export interface ApplyResult {
	failures: DeviceFailure[];
	/** Entry → the id of the item it created. */
	created: Map<DevicePlanEntry, number>;
	/** Entries whose write landed (or that write nothing). */
	succeeded: Set<DevicePlanEntry>;
}

/** Autotask's 3 requests per endpoint: every write goes to ConfigurationItems. */
export const WRITE_CONCURRENCY = 3;

/**
 * Applies every write of the plan (creates, then the deactivation of a moved device's old item,
 * updates, deactivations), all of them even when some fail: failures are collected, named by
 * device and action, and reported together at the end (the node fails the run with them).
 */
export async function applyDevicePlan(
	plan: DeviceSyncPlan,
	writer: ItemWriter,
	options: { concurrency?: number } = {},
): Promise<ApplyResult> {
	const result: ApplyResult = { failures: [], created: new Map(), succeeded: new Set() };
	const writes = plan.entries.filter((entry) => entry.body && !entry.error);
	for (const entry of plan.entries) {
		if (entry.error) result.failures.push(planningFailure(entry, entry.error));
		else if (!entry.body) result.succeeded.add(entry);
	}
	await mapWithConcurrency(
		writes.length,
		options.concurrency ?? WRITE_CONCURRENCY,
		async (index) => {
			const entry = writes[index];
			const body = entry.body!;
			if (entry.output === 'create') {
				const companyId = Number(body.companyID);
				const made = await settle(
					writer.create(body, async () => await writer.findByDevice(companyId, entry.device!.uid)),
				);
				if (!made.ok) {
					result.failures.push(writeFailure(entry, 'creating its configuration item', made.error));
					return;
				}
				result.created.set(entry, made.value);
				entry.configurationItemId = made.value;
				entry.after = { ...entry.after, id: made.value };
				// The new item exists: the memory follows it even if an old item stays active (the next run deactivates it).
				result.succeeded.add(entry);
				for (const old of entry.replaces ?? []) {
					const notes = old.notes.split(NEW_ITEM_ID).join(String(made.value));
					old.notes = notes;
					const moved = await settle(
						writer.update({ id: old.configurationItemId, isActive: false, notes }),
					);
					if (!moved.ok) {
						result.failures.push(
							writeFailure(
								entry,
								`deactivating its old configuration item ${old.configurationItemId} (company ${old.companyId}) after creating ${made.value}`,
								moved.error,
							),
						);
					}
				}
				return;
			}
			const written = await settle(writer.update(body as Record<string, unknown> & { id: number }));
			if (!written.ok) {
				const action =
					entry.output === 'deactivate'
						? `deactivating configuration item ${entry.configurationItemId}`
						: `updating configuration item ${entry.configurationItemId}`;
				result.failures.push(writeFailure(entry, action, written.error));
				return;
			}
			result.succeeded.add(entry);
		},
	);
	return result;
}

function who(entry: DevicePlanEntry): string {
	const device = entry.device
		? `Device ${deviceName(entry.device)}`
		: `Configuration item ${entry.configurationItemId} (device ${entry.deviceKey})`;
	return entry.customer ? `${device} of ${entry.customer.name}` : device;
}

function planningFailure(entry: DevicePlanEntry, error: Error): DeviceFailure {
	const field = (error as { field?: unknown }).field;
	return {
		entry,
		message: error.message,
		detail: error.message,
		description: (error as { description?: string }).description,
		field: typeof field === 'string' ? field : undefined,
		cause: error,
	};
}

/** Autotask names the field first: "serialNumber: Value exceeds the maximum length…". */
const FIELD_FIRST = /(?:^|Autotask:\s*)(?:[A-Za-z]+\.)?([a-z][A-Za-z0-9]*):\s/;

function writeFailure(entry: DevicePlanEntry, action: string, error: unknown): DeviceFailure {
	const detail = error instanceof Error ? error.message : String(error);
	const field = FIELD_FIRST.exec(detail)?.[1];
	return {
		entry,
		message: `${who(entry)}: ${action} failed${field ? ` (field ${field})` : ''}: ${detail}`,
		detail,
		description: error instanceof VendorApiError ? error.description : undefined,
		field,
		cause: error,
	};
}

/** Records older than this are forgotten (a device gone for good, its item long deactivated). */
export const FORGET_AFTER_DAYS = 400;

/**
 * The memory after the run: each entry's record where its write landed (or wrote nothing), its
 * previous record where it failed or was held (so the next run tries again), and the records of
 * devices this run did not see, until they are FORGET_AFTER_DAYS old.
 */
export function nextDeviceState(
	previous: DeviceState,
	plan: DeviceSyncPlan,
	applied: ApplyResult,
	today: number,
): DeviceState {
	const next: DeviceState = new Map();
	const failed = new Set(applied.failures.map((failure) => failure.entry));
	for (const entry of plan.entries) {
		const landed =
			applied.created.has(entry) || (applied.succeeded.has(entry) && !failed.has(entry));
		const chosen: DeviceRecord | undefined = landed
			? entry.record
			: (entry.keep ?? (entry.record ? previous.get(entry.deviceKey) : undefined));
		if (!chosen) continue;
		const created = applied.created.get(entry);
		next.set(entry.deviceKey, created === undefined ? chosen : { ...chosen, itemId: created });
	}
	for (const [key, record] of previous) {
		if (next.has(key)) continue;
		if (record.lastSeenDay !== undefined && today - record.lastSeenDay > FORGET_AFTER_DAYS)
			continue;
		next.set(key, record);
	}
	return next;
}
