import type { Customer, CustomerMap } from '../customers/map';
import type { Device } from './device';
import type { ItemSchema } from './fields';
import type { DeviceMapping } from './mapping';
import type { DeviceRecord, DeviceState } from './state';

/** The node's outputs, in order. */
export const DEVICE_OUTPUTS = [
	'create',
	'update',
	'deactivate',
	'unchanged',
	'review',
	'unmapped',
] as const;
export type DeviceOutput = (typeof DEVICE_OUTPUTS)[number];

export type PlanOutput = Exclude<DeviceOutput, 'unmapped'>;

export interface DeactivationGuard {
	/** Deactivations a customer may always have in one run, whatever the share (small customers). */
	alwaysAllow: number;
	/** Above that, the largest share (0..1) of a customer's linked items one run may deactivate. */
	maxShare: number;
}

export const DEFAULT_DEVICE_GUARD: DeactivationGuard = { alwaysAllow: 3, maxShare: 0.2 };

export interface DeviceSyncOptions {
	/** Epoch ms: "now" for grace periods and notes. */
	now: number;
	/** Days after a device's lastSeen before the item of a deleted or vanished device is deactivated. */
	graceDays: number;
	guard: DeactivationGuard;
	/** The configuration item UDF that holds the device uid; undefined = rmmDeviceUID. */
	keyUdf?: string;
	/**
	 * `account`: every device of the account was listed, so a device missing from the listing is
	 * gone. `mappedSites`: only the mapped sites' devices were listed, so a missing device may
	 * have moved to another site: it is looked up before its item is deactivated.
	 */
	scope: 'account' | 'mappedSites';
}

export interface DeviceSyncInput {
	/** Every device the listing returned (deleted ones included). */
	devices: readonly Device[];
	/** Configuration items of the mapped companies, as Autotask returned them. */
	items: readonly Record<string, unknown>[];
	customers: CustomerMap;
	mapping: DeviceMapping;
	schema: ItemSchema;
	state: DeviceState;
	options: DeviceSyncOptions;
	/**
	 * Devices looked up one by one after the listing missed them (scope `mappedSites`): the device,
	 * or null when Datto no longer knows it. A missing device without an entry is not deactivated.
	 */
	lookups?: ReadonlyMap<string, Device | null>;
}

export type ReviewProblem =
	| 'noCompany'
	| 'noProduct'
	| 'twoItemsClaim'
	| 'deactivationGuard'
	| 'invalidValue'
	| 'requiredField'
	| 'failed';

export interface DeviceSummary {
	uid: string;
	hostname: string;
	siteUid: string;
	siteName: string;
	deviceType: string;
	deviceClass: string;
	lastSeen?: string;
	deleted: boolean;
}

/** An item of another mapped company the device left: deactivated with a note naming the new item. */
export interface ReplacedItem {
	configurationItemId: number;
	companyId: number;
	customer?: string;
	notes: string;
}

export interface DevicePlanEntry {
	output: PlanOutput;
	/** The device's uid lower-cased (a gone item's: its rmmDeviceUID). */
	deviceKey: string;
	device?: DeviceSummary;
	customer?: Pick<Customer, 'name' | 'row'>;
	companyId?: number;
	/** The item written, kept or held; set after the write for a create. */
	configurationItemId?: number;
	/** What is written, by field (UDFs as "UDF <name>"); for a create, every field of the new item. */
	changes: Record<string, unknown>;
	before: Record<string, unknown>;
	after: Record<string, unknown>;
	reason: string;
	review?: { problem: ReviewProblem; message: string; configurationItemIds: number[] };
	/** A create's items in other mapped companies, deactivated once the new item exists. */
	replaces?: ReplacedItem[];
	/** The request body (id included for updates); absent when nothing is written. */
	body?: Record<string, unknown>;
	/** The device's memory once this entry is applied (or when it writes nothing). */
	record?: DeviceRecord;
	/** The device's memory when the write fails or is held: its previous record, lastSeen updated. */
	keep?: DeviceRecord;
	/** The entry leaves the device with this item, active: what the contract report looks at. */
	tracked?: boolean;
	/** A failure found while planning (a value Autotask would refuse): the entry writes nothing. */
	error?: Error;
	/** Held by the guard: it would have been written. */
	held?: PlanOutput;
}

export type UnmappedProblem =
	| 'siteWithoutCompany'
	| 'typeWithoutProduct'
	| 'noContract'
	| 'fieldsNotWritable'
	| 'customerMapRow';

export interface UnmappedEntry {
	problem: UnmappedProblem;
	message: string;
	/** Devices concerned, and a few of them by name. */
	devices: number;
	examples: string[];
	siteUid?: string;
	siteName?: string;
	deviceType?: string;
	customer?: string;
	companyId?: number;
	configurationItemType?: string;
	/** The contract the rules would bill these items on, when one would. */
	contractId?: number;
	fields?: string[];
	row?: number;
}

export interface GuardRefusal {
	customer: string;
	companyId: number;
	deactivations: number;
	linked: number;
	examples: string[];
	message: string;
}

export interface DeviceSyncPlan {
	entries: DevicePlanEntry[];
	unmapped: UnmappedEntry[];
	refusals: GuardRefusal[];
	/**
	 * Missing devices whose grace period is over (scope `mappedSites`, not looked up yet): look
	 * them up and plan again with `lookups`.
	 */
	toLookUp: string[];
	counts: Record<DeviceOutput, number>;
}
