import type { Customer, CustomerMap } from '../customers/map';
import type { DattoClient, DattoDevice } from '../transport/datto';
import { InputError, VendorApiError } from '../transport/http';
import { mapWithConcurrency } from '../transport/limiter';
import { settle } from '../util/settled';
import { applyDevicePlan, nextDeviceState } from './apply';
import type { ApplyResult, DeviceFailure } from './apply';
import type { AutotaskItemStore } from './autotask';
import { hasAudit, readDattoDevice, serialFromAudit } from './device';
import type { Device } from './device';
import { DEVICE_UID_FIELD } from './fields';
import { readItem } from './item';
import type { DeviceMapping } from './mapping';
import { planDeviceSync } from './plan';
import { dayOf } from './state';
import type { DeviceState } from './state';
import type { DeactivationGuard, DeviceSyncPlan } from './types';

/**
 * One device sync: read (the customer map's sites and companies, the devices, the items, the
 * contracts, the audits a match needs), plan, look up what the listing missed, apply, and the
 * memory for the next run. Everything vendor-specific is behind the Datto client and the Autotask
 * item store.
 */

export interface DeviceSyncSettings {
	scope: 'account' | 'mappedSites';
	graceDays: number;
	guard: DeactivationGuard;
	keyUdf?: string;
	mapping: DeviceMapping;
	/** Bill items no contract rule covers on their company's default contract. */
	useDefaultContracts: boolean;
	/** Plan only: nothing is written and the memory is not changed. */
	dryRun: boolean;
	now: number;
}

/** A problem that fails the run without being one device's write (a site that cannot be read, a refused guard). */
export interface SyncProblem {
	message: string;
	description?: string;
	customer?: string;
}

export interface DeviceSyncRun {
	plan: DeviceSyncPlan;
	applied: ApplyResult;
	state: DeviceState;
	/** Customers left out this run (their sites could not be read): their items were not touched. */
	problems: SyncProblem[];
	/** Every failure the run ends with: writes, planning, refused guards, unreadable sites, bad map rows. */
	failures: Array<DeviceFailure | SyncProblem>;
}

/** Datto allows 600 reads a minute for the whole account: audits go two at a time. */
const AUDIT_CONCURRENCY = 2;

export async function syncDevices(
	clients: { datto: DattoClient; items: AutotaskItemStore },
	customerMap: CustomerMap,
	settings: DeviceSyncSettings,
	previous: DeviceState,
): Promise<DeviceSyncRun> {
	const { datto, items } = clients;
	const { mapping } = settings;
	const problems: SyncProblem[] = [];

	const schema = await items.schema(mapping.udfRules.length > 0 || !!settings.keyUdf);
	checkSchema(schema, settings);

	// Rows without an Autotask company are not read for items, but their sites' devices are
	// planned (and reported as sites without company), never dropped silently.
	const withoutCompany = customerMap.customers.filter((c) => c.autotaskCompanyId === undefined);
	let customers = customerMap.customers.filter((c) => c.autotaskCompanyId !== undefined);
	const version = mapping.udfRules.length ? 3 : 2;
	let raw: DattoDevice[];
	if (settings.scope === 'account') {
		const known = new Set((await datto.listSites()).map((site) => site.uid.toLowerCase()));
		customers = customers.filter((customer) => {
			const unknown = customer.dattoSiteUids.filter((site) => !known.has(site.toLowerCase()));
			if (unknown.length === 0) return true;
			problems.push(unknownSites(customer, unknown));
			return false;
		});
		raw = await datto.listDevices({ level: 'account' }, { version });
	} else {
		raw = [];
		const listed = await mapWithConcurrency(customers.length, 2, async (index) => {
			const customer = customers[index];
			const devices: DattoDevice[] = [];
			for (const site of customer.dattoSiteUids) {
				const got = await settle(datto.listDevices({ level: 'site', uid: site }, { version }));
				if (!got.ok) return { customer, error: got.error, site };
				devices.push(...got.value);
			}
			return { customer, devices };
		});
		customers = [];
		for (const result of listed) {
			if ('error' in result) {
				if (result.error instanceof VendorApiError && result.error.httpCode === 404)
					problems.push(unknownSites(result.customer, [result.site!]));
				else
					problems.push({
						customer: result.customer.name,
						message: `${result.customer.name}: the devices of Datto site ${result.site} could not be read, so its configuration items were left as they are: ${(result.error as Error).message}`,
						description: (result.error as { description?: string }).description,
					});
				continue;
			}
			customers.push(result.customer);
			raw.push(...result.devices!);
		}
	}
	const map: CustomerMap = {
		customers: [...customers, ...withoutCompany],
		errors: customerMap.errors,
	};
	// The devices of customers left out (their sites could not be read) are not touched this run.
	const excluded = new Set(
		customerMap.customers
			.filter(
				(customer) => customer.autotaskCompanyId !== undefined && !customers.includes(customer),
			)
			.flatMap((customer) => customer.dattoSiteUids.map((site) => site.toLowerCase())),
	);
	const devices = raw
		.map(readDattoDevice)
		.filter((device): device is Device => !!device && !excluded.has(device.siteUid.toLowerCase()));

	const companyIds = customers.map((customer) => customer.autotaskCompanyId!);
	const itemRecords = await items.itemsOf(
		companyIds,
		mapping.udfRules.length > 0 || !!settings.keyUdf,
	);

	await resolveContracts(items, mapping, companyIds, settings.useDefaultContracts);
	await readSerials(datto, devices, itemRecords, map, settings.keyUdf);

	const input = {
		devices,
		items: itemRecords,
		customers: map,
		mapping,
		schema,
		state: previous,
		options: {
			now: settings.now,
			graceDays: settings.graceDays,
			guard: settings.guard,
			keyUdf: settings.keyUdf,
			scope: settings.scope,
		},
	};
	let plan = planDeviceSync(input);
	if (plan.toLookUp.length) {
		const lookups = new Map<string, Device | null>();
		await mapWithConcurrency(plan.toLookUp.length, AUDIT_CONCURRENCY, async (index) => {
			const key = plan.toLookUp[index];
			const found = await datto.getDevice(key);
			lookups.set(key, found ? (readDattoDevice(found) ?? null) : null);
		});
		plan = planDeviceSync({ ...input, lookups });
	}

	const applied: ApplyResult = settings.dryRun
		? { failures: [], created: new Map(), succeeded: new Set() }
		: await applyDevicePlan(plan, items);
	if (settings.dryRun)
		for (const entry of plan.entries)
			if (entry.error)
				applied.failures.push({
					entry,
					message: entry.error.message,
					detail: entry.error.message,
					cause: entry.error,
				});
	const state = settings.dryRun
		? previous
		: nextDeviceState(previous, plan, applied, dayOf(settings.now));
	const failures: Array<DeviceFailure | SyncProblem> = [
		...problems,
		...applied.failures,
		...plan.refusals.map((refusal) => ({
			customer: refusal.customer,
			message: refusal.message,
			description: `It would have deactivated ${refusal.examples.join(', ')}${refusal.deactivations > refusal.examples.length ? ' and more' : ''}. The customer's other changes were written. Check the customer map and Datto RMM (a site moved to the wrong customer, devices removed by mistake); if the deactivations are intended, raise "Always Allow Up To" or "Max Deactivation Share (%)" for one run.`,
		})),
		...customerMap.errors.map((error) => ({
			message: error.message,
			description: error.description,
		})),
	];
	return { plan, applied, state, problems, failures };
}

function checkSchema(
	schema: Awaited<ReturnType<AutotaskItemStore['schema']>>,
	settings: DeviceSyncSettings,
): void {
	if (!settings.keyUdf && !schema.writable(DEVICE_UID_FIELD)) {
		throw new InputError(
			'Device UID Field',
			`Autotask does not accept ${DEVICE_UID_FIELD} over REST on this tenant (its field information says it is read-only), so new configuration items could not be linked to their devices`,
			'Create a text UDF for configuration items in Autotask (Admin > Features & Settings > Configuration Items > User-Defined Fields) and choose it in "Device UID Field".',
		);
	}
	const names = schema.udfNames;
	if (!names) return;
	if (settings.keyUdf && !names.has(settings.keyUdf.toLowerCase())) {
		throw new InputError(
			'Device UID Field',
			`The configuration item UDF "${settings.keyUdf}" chosen as Device UID Field does not exist in Autotask`,
			'Choose one of the configuration item UDFs from the list.',
		);
	}
	settings.mapping.udfRules.forEach((rule, index) => {
		if (!names.has(rule.udfName.toLowerCase()))
			throw new InputError(
				'Configuration Item UDF',
				`UDF Rules, rule ${index + 1}: the configuration item UDF "${rule.udfName}" does not exist in Autotask`,
				'Choose one of the configuration item UDFs from the list.',
			);
	});
}

function unknownSites(customer: Customer, sites: string[]): SyncProblem {
	return {
		customer: customer.name,
		message: `Customer map row ${customer.row + 1} ("${customer.name}"): Datto RMM has no site ${sites.join(', ')}, so the customer's configuration items were left as they are`,
		description:
			"Copy the site's uid from Datto RMM (Sites > the site > its settings) into the row's dattoSiteUids.",
	};
}

/** The rules' contracts: each rule applies to its contract's company. */
async function resolveContracts(
	items: AutotaskItemStore,
	mapping: DeviceMapping,
	companyIds: number[],
	useDefaults: boolean,
): Promise<void> {
	const contracts = new Map(
		(await items.contracts(mapping.contractRules.map((rule) => rule.contractId))).map(
			(contract) => [contract.id, contract],
		),
	);
	mapping.contractRules.forEach((rule, index) => {
		const contract = contracts.get(rule.contractId);
		if (!contract)
			throw new InputError(
				'Contract',
				`Contract Rules, rule ${index + 1}: Autotask has no contract ${rule.contractId}`,
				'Choose the contract from the list again.',
			);
		rule.companyId = Number(contract.companyID);
	});
	mapping.defaultContracts =
		useDefaults && companyIds.length ? await items.defaultContracts(companyIds) : undefined;
}

/**
 * Serial numbers from Datto's audits, only where a match needs one: a device of a mapped site
 * with no item of its company carrying its uid, or whose item has no serial yet. An audit that
 * cannot be read marks the device so it is not created blindly.
 */
async function readSerials(
	datto: DattoClient,
	devices: Device[],
	itemRecords: readonly Record<string, unknown>[],
	map: CustomerMap,
	keyUdf: string | undefined,
): Promise<void> {
	const companyOfSite = new Map<string, number>();
	for (const customer of map.customers)
		for (const site of customer.dattoSiteUids)
			if (customer.autotaskCompanyId !== undefined)
				companyOfSite.set(site.toLowerCase(), customer.autotaskCompanyId);
	const linked = new Map<string, boolean>();
	for (const record of itemRecords) {
		const item = readItem(record, keyUdf);
		if (!item?.deviceKey) continue;
		const key = `${item.companyId}|${item.deviceKey}`;
		linked.set(key, (linked.get(key) ?? false) || !!item.serial);
	}
	const needed = devices.filter((device) => {
		if (device.deleted || device.serialNumber !== undefined || !hasAudit(device)) return false;
		const companyId = companyOfSite.get(device.siteUid.toLowerCase());
		if (companyId === undefined) return false;
		return linked.get(`${companyId}|${device.key}`) !== true;
	});
	await mapWithConcurrency(needed.length, AUDIT_CONCURRENCY, async (index) => {
		const device = needed[index];
		const audit = await settle(datto.getDeviceAudit(device.uid));
		if (audit.ok) device.serialNumber = serialFromAudit(audit.value);
		else device.auditFailed = (audit.error as Error).message;
	});
}
