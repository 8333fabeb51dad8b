/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
/**
 * `scenario.json`, the seed layout's one settings file: which company and domains the demo's
 * contact sync targets, (optional) the customer map of every customer, and (optional) the device
 * sync's mappings. One type, one reader, one writer for the demo, the benchmarks, the sandbox CLI
 * and the seed generator.
 *
 *   {"contactSync": {"autotaskCompanyId", "connectwiseCompanyId", "domains", "updateExisting", "mode"},
 *    "customers": [{"name", "tenant", "domains", "autotaskCompanyId", "connectwiseCompanyId",
 *                   "dattoSiteUids", "contactSync", "updateExisting", "mode", "fields"}],
 *    "deviceSync": {"deviceTypeMap": {"<category>/<type> or <category>": {"productId", "configurationItemType"}},
 *                   "udfMap": {"udf1": "<UDF name>"},
 *                   "contracts": [{"companyId", "configurationItemType", "contractId"}]},
 *    "alerts": {"psa": "autotask" | "connectwise",
 *               "connectwise": {"boardId", "newStatusId", "closedStatusId"}}}
 *
 * The customers' rows are checked for types here (each problem names the file, the row and the
 * field); what a row means, its defaults and conflicts between rows are the customer map's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from './core/seed';

/** Contact Reconcile's Mode parameter. */
export type ContactSyncMode = 'changes' | 'mirror';

/** One row of the customer map as scenario.json holds it; absent fields take the map's defaults. */
export interface ScenarioCustomer {
	name: string;
	/** A tenant id (GUID) or one of its verified domains. */
	tenant?: string;
	domains?: string[];
	autotaskCompanyId?: number;
	connectwiseCompanyId?: number;
	dattoSiteUids?: string[];
	contactSync?: boolean;
	updateExisting?: boolean;
	mode?: ContactSyncMode;
	fields?: string[];
}

export const SCENARIO_CUSTOMER_FIELDS = [
	'name',
	'tenant',
	'domains',
	'autotaskCompanyId',
	'connectwiseCompanyId',
	'dattoSiteUids',
	'contactSync',
	'updateExisting',
	'mode',
	'fields',
] as const;

/** The device sync's mappings, by the tenant's ids. */
export interface DeviceSyncScenario {
	/** "Category/Type" or "Category" → product and configuration item type. */
	deviceTypeMap: Record<string, { productId: number; configurationItemType?: number }>;
	/** Datto UDF slot ("udf1" … "udf300") → configuration item UDF name. */
	udfMap: Record<string, string>;
	/** Contract rules; without configurationItemType a rule covers every type of the company. */
	contracts: Array<{ companyId: number; configurationItemType?: number; contractId: number }>;
}

/** Which PSA the demo's alert template writes to, and (ConnectWise) the board and its statuses. */
export interface AlertsScenario {
	/** Absent in the file: 'autotask'. */
	psa: 'autotask' | 'connectwise';
	/** Absent: the seed's first board, its default (or first) open status, its closed status. */
	connectwise?: { boardId?: number; newStatusId?: number; closedStatusId?: number };
}

export interface Scenario {
	/** Absent: alerts go to Autotask with the template's defaults. */
	alerts?: AlertsScenario;
	/** The customer map: every customer the demo serves (optional). */
	customers?: ScenarioCustomer[];
	/** Absent: the device template's own defaults. */
	deviceSync?: DeviceSyncScenario;
	contactSync: {
		autotaskCompanyId: number;
		connectwiseCompanyId: number;
		/** E-mail domains to sync; an empty list syncs every user. */
		domains: string[];
		/** Contact Reconcile's Update Existing Contacts (absent in the file: false, the node's default). */
		updateExisting: boolean;
		/** Absent in the file: 'changes', the node's default. */
		mode: ContactSyncMode;
	};
}

export const SCENARIO_FILE = 'scenario.json';
/** Used for a seed folder without a scenario: the shipped seed's. */
export const DEFAULT_SCENARIO_FILE = path.join(DEFAULT_SEED_DIR, SCENARIO_FILE);

const SHAPE =
	'{"contactSync": {"autotaskCompanyId", "connectwiseCompanyId", "domains", "updateExisting", "mode"}}';

/** A scenario file that cannot be used; the message names the file and the field. */
export class ScenarioError extends Error {
	constructor(
		readonly file: string,
		readonly field: string | undefined,
		problem: string,
	) {
		super(field ? `${file}: ${field} ${problem}` : `${file} ${problem}`);
		this.name = 'ScenarioError';
	}
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
	value === undefined ? 'missing' : `${JSON.stringify(value)}`;

function companyId(file: string, field: string, value: unknown): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const id = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
	if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
	throw new ScenarioError(
		file,
		field,
		`is ${describe(value)}: it must be the PSA company's id, a whole number such as 29684101`,
	);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A list written as a JSON array of strings or as one comma-separated string. */
function textList(file: string, field: string, value: unknown, example: string): string[] {
	const items =
		typeof value === 'string'
			? value.split(/[,;]/)
			: Array.isArray(value) && value.every((item) => typeof item === 'string')
				? (value as string[])
				: undefined;
	if (!items)
		throw new ScenarioError(file, field, `is ${describe(value)}: it must list ${example}`);
	return items.map((item) => item.trim()).filter(Boolean);
}

function parseCustomer(file: string, value: unknown, index: number): ScenarioCustomer {
	const at = `customers[${index}]`;
	if (!isRecord(value))
		throw new ScenarioError(file, at, `is ${describe(value)}: each customer is an object`);
	for (const key of Object.keys(value)) {
		if (!(SCENARIO_CUSTOMER_FIELDS as readonly string[]).includes(key))
			throw new ScenarioError(
				file,
				`${at}.${key}`,
				`is not a customer field; the fields are ${SCENARIO_CUSTOMER_FIELDS.join(', ')}`,
			);
	}
	if (typeof value.name !== 'string' || !value.name.trim())
		throw new ScenarioError(
			file,
			`${at}.name`,
			`is ${describe(value.name)}: every customer needs a name`,
		);
	const customer: ScenarioCustomer = { name: value.name.trim() };
	const field = (name: string) => `${at}.${name}`;
	if (value.tenant !== undefined) {
		const tenant = typeof value.tenant === 'string' ? value.tenant.trim() : '';
		if (!GUID.test(tenant) && !DOMAIN.test(tenant))
			throw new ScenarioError(
				file,
				field('tenant'),
				`is ${describe(value.tenant)}: it must be the Microsoft 365 tenant id (a GUID) or one of its verified domains`,
			);
		customer.tenant = tenant;
	}
	if (value.domains !== undefined)
		customer.domains = textList(
			file,
			field('domains'),
			value.domains,
			'e-mail domains, e.g. ["contoso.com"]',
		);
	for (const name of ['autotaskCompanyId', 'connectwiseCompanyId'] as const) {
		if (value[name] !== undefined && value[name] !== null)
			customer[name] = companyId(file, field(name), value[name]);
	}
	if (value.dattoSiteUids !== undefined)
		customer.dattoSiteUids = textList(
			file,
			field('dattoSiteUids'),
			value.dattoSiteUids,
			'Datto RMM site uids',
		);
	for (const name of ['contactSync', 'updateExisting'] as const) {
		if (value[name] === undefined) continue;
		if (typeof value[name] !== 'boolean')
			throw new ScenarioError(
				file,
				field(name),
				`is ${describe(value[name])}: it must be true or false`,
			);
		customer[name] = value[name];
	}
	if (value.mode !== undefined) {
		if (value.mode !== 'changes' && value.mode !== 'mirror')
			throw new ScenarioError(
				file,
				field('mode'),
				`is ${describe(value.mode)}: it must be "changes" or "mirror"`,
			);
		customer.mode = value.mode;
	}
	if (value.fields !== undefined)
		customer.fields = textList(
			file,
			field('fields'),
			value.fields,
			'contact fields, e.g. ["title", "phone"]',
		);
	return customer;
}

/** Checks a parsed scenario.json; `file` names it in errors. */
export function parseScenario(value: unknown, file: string): Scenario {
	if (!isRecord(value) || !isRecord(value.contactSync)) {
		throw new ScenarioError(
			file,
			'contactSync',
			`is ${describe(isRecord(value) ? value.contactSync : value)}: the file must hold ${SHAPE}`,
		);
	}
	const sync = value.contactSync;
	const domains = sync.domains;
	if (
		!Array.isArray(domains) ||
		!domains.every((domain) => typeof domain === 'string' && domain.trim() !== '')
	) {
		throw new ScenarioError(
			file,
			'contactSync.domains',
			`is ${describe(domains)}: it must list the e-mail domains to sync, e.g. ["contoso.com"] ([] syncs every user)`,
		);
	}
	const updateExisting = sync.updateExisting ?? false;
	if (typeof updateExisting !== 'boolean') {
		throw new ScenarioError(
			file,
			'contactSync.updateExisting',
			`is ${describe(updateExisting)}: it must be true or false`,
		);
	}
	const mode = sync.mode ?? 'changes';
	if (mode !== 'changes' && mode !== 'mirror') {
		throw new ScenarioError(
			file,
			'contactSync.mode',
			`is ${describe(mode)}: it must be "changes" or "mirror"`,
		);
	}
	let customers: ScenarioCustomer[] | undefined;
	if (value.customers !== undefined) {
		if (!Array.isArray(value.customers))
			throw new ScenarioError(
				file,
				'customers',
				`is ${describe(value.customers)}: it must be an array of customers [{"name", "tenant", ...}]`,
			);
		customers = value.customers.map((customer, index) => parseCustomer(file, customer, index));
	}
	const scenario: Scenario = {
		contactSync: {
			autotaskCompanyId: companyId(file, 'contactSync.autotaskCompanyId', sync.autotaskCompanyId),
			connectwiseCompanyId: companyId(
				file,
				'contactSync.connectwiseCompanyId',
				sync.connectwiseCompanyId,
			),
			domains: domains as string[],
			updateExisting,
			mode,
		},
		...(customers ? { customers } : {}),
	};
	if (value.deviceSync !== undefined) scenario.deviceSync = parseDeviceSync(file, value.deviceSync);
	if (value.alerts !== undefined) scenario.alerts = parseAlerts(file, value.alerts);
	return scenario;
}

function parseAlerts(file: string, value: unknown): AlertsScenario {
	if (!isRecord(value))
		throw new ScenarioError(
			file,
			'alerts',
			`is ${describe(value)}: it must be {"psa": "autotask" | "connectwise", "connectwise": {...}}`,
		);
	const psa = value.psa ?? 'autotask';
	if (psa !== 'autotask' && psa !== 'connectwise')
		throw new ScenarioError(
			file,
			'alerts.psa',
			`is ${describe(psa)}: it must be "autotask" or "connectwise"`,
		);
	const alerts: AlertsScenario = { psa };
	if (value.connectwise !== undefined) {
		const cw = value.connectwise;
		if (!isRecord(cw))
			throw new ScenarioError(
				file,
				'alerts.connectwise',
				`is ${describe(cw)}: it must be {"boardId", "newStatusId", "closedStatusId"}`,
			);
		alerts.connectwise = {};
		for (const name of ['boardId', 'newStatusId', 'closedStatusId'] as const) {
			const id = optionalId(file, `alerts.connectwise.${name}`, cw[name]);
			if (id !== undefined) alerts.connectwise[name] = id;
		}
	}
	return alerts;
}

function optionalId(file: string, field: string, value: unknown): number | undefined {
	return value === undefined || value === null || value === ''
		? undefined
		: companyId(file, field, value);
}

function parseDeviceSync(file: string, value: unknown): DeviceSyncScenario {
	const field = 'deviceSync';
	if (!isRecord(value))
		throw new ScenarioError(
			file,
			field,
			`is ${describe(value)}: it must be {"deviceTypeMap": {...}, "udfMap": {...}, "contracts": [...]}`,
		);
	const typeMap = value.deviceTypeMap ?? {};
	if (!isRecord(typeMap))
		throw new ScenarioError(
			file,
			`${field}.deviceTypeMap`,
			`is ${describe(typeMap)}: it must be an object`,
		);
	const deviceTypeMap: DeviceSyncScenario['deviceTypeMap'] = {};
	for (const [type, target] of Object.entries(typeMap)) {
		const at = `${field}.deviceTypeMap["${type}"]`;
		if (!type.trim() || !isRecord(target))
			throw new ScenarioError(
				file,
				at,
				`is ${describe(target)}: it must be {"productId": <id>, "configurationItemType": <id>}`,
			);
		deviceTypeMap[type] = {
			productId: companyId(file, `${at}.productId`, target.productId),
			configurationItemType: optionalId(
				file,
				`${at}.configurationItemType`,
				target.configurationItemType,
			),
		};
	}
	const udfs = value.udfMap ?? {};
	if (!isRecord(udfs))
		throw new ScenarioError(file, `${field}.udfMap`, `is ${describe(udfs)}: it must be an object`);
	const udfMap: Record<string, string> = {};
	for (const [slot, name] of Object.entries(udfs)) {
		const at = `${field}.udfMap["${slot}"]`;
		const number = /^udf(\d{1,3})$/i.exec(slot.trim());
		if (!number || Number(number[1]) < 1 || Number(number[1]) > 300)
			throw new ScenarioError(file, at, 'names no Datto UDF: use "udf1" to "udf300"');
		if (typeof name !== 'string' || !name.trim())
			throw new ScenarioError(
				file,
				at,
				`is ${describe(name)}: it must be the configuration item UDF's name`,
			);
		udfMap[slot.trim().toLowerCase()] = name.trim();
	}
	const contracts = value.contracts ?? [];
	if (!Array.isArray(contracts))
		throw new ScenarioError(
			file,
			`${field}.contracts`,
			`is ${describe(contracts)}: it must be an array`,
		);
	return {
		deviceTypeMap,
		udfMap,
		contracts: contracts.map((rule, index) => {
			const at = `${field}.contracts[${index}]`;
			if (!isRecord(rule))
				throw new ScenarioError(
					file,
					at,
					`is ${describe(rule)}: it must be {"companyId", "configurationItemType", "contractId"}`,
				);
			return {
				companyId: companyId(file, `${at}.companyId`, rule.companyId),
				configurationItemType: optionalId(
					file,
					`${at}.configurationItemType`,
					rule.configurationItemType,
				),
				contractId: companyId(file, `${at}.contractId`, rule.contractId),
			};
		}),
	};
}

/** Reads and checks one scenario file; any problem is a ScenarioError naming the file. */
export function readScenarioFile(file: string): Scenario {
	let value: unknown;
	let problem: string | undefined;
	try {
		value = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		problem =
			error instanceof SyntaxError
				? `is not valid JSON (${error.message})`
				: `cannot be read (${(error as Error).message})`;
	}
	if (problem !== undefined) throw new ScenarioError(file, undefined, problem);
	return parseScenario(value, file);
}

/** The scenario of a seed folder: its scenario.json, or the shipped seed's when it has none. */
export function readScenario(seedDir: string): Scenario {
	const file = path.join(seedDir, SCENARIO_FILE);
	return readScenarioFile(fs.existsSync(file) ? file : DEFAULT_SCENARIO_FILE);
}

/** The shipped seed's scenario. */
export function defaultScenario(): Scenario {
	return readScenarioFile(DEFAULT_SCENARIO_FILE);
}

/** Writes scenario.json into a seed folder (as the generator and dumps lay it out). */
export function writeScenario(seedDir: string, scenario: Scenario): void {
	fs.mkdirSync(seedDir, { recursive: true });
	fs.writeFileSync(path.join(seedDir, SCENARIO_FILE), `${JSON.stringify(scenario, null, 2)}\n`);
}
