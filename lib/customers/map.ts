import { parseDomains } from '../contacts/domains';
import { InputError } from '../transport/http';
import { attempt } from '../util/settled';

/**
 * The customer map: one row per customer, wherever the rows come from (an n8n Data Table, a
 * sheet, a Code node, scenario.json's `customers`). This module is the one place that reads and
 * checks rows; every node that needs a customer's tenant, domains, PSA companies or Datto sites
 * asks it. Errors name the row (its number and, when known, its name) and the column.
 */

export const CUSTOMER_MAP_COLUMNS = [
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

export type CustomerMapColumn = (typeof CUSTOMER_MAP_COLUMNS)[number];

export type ContactSyncMode = 'changes' | 'mirror';

export interface Customer {
	/** 0-based position of the row in the map (items or array order). */
	row: number;
	name: string;
	/** A tenant id (GUID) or one of the tenant's verified domains; undefined when the row has none. */
	tenant?: string;
	/** Lower-case e-mail domains to sync; empty = every domain of the tenant. */
	domains: string[];
	autotaskCompanyId?: number;
	connectwiseCompanyId?: number;
	/** Datto RMM site uids, as written (compare case-insensitively). */
	dattoSiteUids: string[];
	contactSync: boolean;
	/**
	 * Off (blank) = create missing contacts only, as Contact Reconcile's own Update Existing
	 * default: a row typed in a hurry never updates or deactivates a contact until a person turns
	 * this on for that customer.
	 */
	updateExisting: boolean;
	mode: ContactSyncMode;
	/** Canonical contact fields to sync; empty = the node's default set. */
	fields: string[];
}

/** A row that cannot be used: `column` is the map's column name. */
export class CustomerMapError extends InputError {
	constructor(
		readonly row: number,
		readonly rowName: string | undefined,
		column: CustomerMapColumn,
		problem: string,
		fix: string,
	) {
		super(
			column,
			`Customer map row ${row + 1}${rowName ? ` ("${rowName}")` : ''}: ${column} ${problem}`,
			fix,
		);
		this.name = 'CustomerMapError';
	}
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blank = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** "a, b; c" or an array → trimmed, non-empty strings. */
function list(value: unknown): string[] {
	if (blank(value)) return [];
	const parts = Array.isArray(value)
		? value.map((part) => String(part ?? ''))
		: String(value).split(/[,;\n]+/);
	return parts.map((part) => part.trim()).filter(Boolean);
}

const TRUE_WORDS = ['true', 'yes', 'y', '1', 'on'];
const FALSE_WORDS = ['false', 'no', 'n', '0', 'off'];

interface RowContext {
	row: number;
	name?: string;
}

function fail(ctx: RowContext, column: CustomerMapColumn, problem: string, fix: string): never {
	throw new CustomerMapError(ctx.row, ctx.name, column, problem, fix);
}

function flag(
	ctx: RowContext,
	column: CustomerMapColumn,
	value: unknown,
	fallback: boolean,
): boolean {
	if (blank(value)) return fallback;
	if (typeof value === 'boolean') return value;
	const word = String(value).trim().toLowerCase();
	if (TRUE_WORDS.includes(word)) return true;
	if (FALSE_WORDS.includes(word)) return false;
	return fail(ctx, column, `is "${String(value)}"`, 'Use true or false (yes/no and 1/0 work too).');
}

function companyId(ctx: RowContext, column: CustomerMapColumn, value: unknown): number | undefined {
	if (blank(value)) return undefined;
	const text = String(value).trim();
	const id = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
	if (Number.isSafeInteger(id) && id > 0) return id;
	return fail(
		ctx,
		column,
		`is "${text}": it must be the PSA company's id, a whole number such as 29684101`,
		'Pick the company in the PSA and copy its id, or leave the cell empty when the customer has no company in that PSA.',
	);
}

/** Reads one row (a Data Table row, a sheet row, a scenario.json entry). */
export function parseCustomer(value: unknown, row: number): Customer {
	const ctx: RowContext = { row };
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return fail(
			ctx,
			'name',
			'is missing: the row is not an object',
			`Each row needs the columns ${CUSTOMER_MAP_COLUMNS.join(', ')}.`,
		);
	}
	const cells = value as Record<string, unknown>;
	const name = blank(cells.name) ? '' : String(cells.name).trim();
	if (!name)
		return fail(ctx, 'name', 'is empty', 'Give every customer a name: reports and errors use it.');
	ctx.name = name;

	const tenant = blank(cells.tenant) ? undefined : String(cells.tenant).trim().toLowerCase();
	if (tenant !== undefined && !GUID.test(tenant)) {
		const domain = attempt(() => parseDomains(tenant, 'tenant'));
		if (!domain.ok || domain.value.length !== 1) {
			fail(
				ctx,
				'tenant',
				`is "${String(cells.tenant)}": neither a tenant id nor a domain`,
				'Enter the Microsoft 365 tenant id (a GUID) or one of its verified domains, e.g. contoso.onmicrosoft.com.',
			);
		}
	}

	const domains = attempt(() => parseDomains(list(cells.domains), 'domains'));
	if (!domains.ok) {
		const error = domains.error as InputError;
		return fail(ctx, 'domains', error.message.replace(/ in domains is/, ' is'), error.description);
	}

	const mode = blank(cells.mode) ? 'changes' : String(cells.mode).trim().toLowerCase();
	if (mode !== 'changes' && mode !== 'mirror') {
		fail(
			ctx,
			'mode',
			`is "${String(cells.mode)}"`,
			'Use changes (write what changed in Microsoft 365) or mirror (enforce every field).',
		);
	}

	return {
		row,
		name,
		tenant,
		domains: domains.value,
		autotaskCompanyId: companyId(ctx, 'autotaskCompanyId', cells.autotaskCompanyId),
		connectwiseCompanyId: companyId(ctx, 'connectwiseCompanyId', cells.connectwiseCompanyId),
		dattoSiteUids: [...new Set(list(cells.dattoSiteUids))],
		contactSync: flag(ctx, 'contactSync', cells.contactSync, true),
		updateExisting: flag(ctx, 'updateExisting', cells.updateExisting, false),
		mode: mode as ContactSyncMode,
		fields: list(cells.fields),
	};
}

export interface CustomerMap {
	customers: Customer[];
	/** Rows that could not be read, each on its own; the other rows still count. */
	errors: CustomerMapError[];
}

/**
 * Reads every row. A bad row is reported and left out; a conflict between rows (a name, a Datto
 * site or a PSA company claimed twice) is reported on the later row, which is left out, so no
 * site or company is ever given to two customers.
 */
export function parseCustomerMap(rows: unknown[]): CustomerMap {
	const customers: Customer[] = [];
	const errors: CustomerMapError[] = [];
	const names = new Map<string, Customer>();
	const sites = new Map<string, Customer>();
	const companies = new Map<string, Customer>();
	rows.forEach((value, row) => {
		const parsed = attempt(() => parseCustomer(value, row));
		if (!parsed.ok) {
			if (!(parsed.error instanceof CustomerMapError)) throw parsed.error;
			errors.push(parsed.error);
			return;
		}
		const customer = parsed.value;
		const conflict = (column: CustomerMapColumn, what: string, other: Customer): void => {
			errors.push(
				new CustomerMapError(
					row,
					customer.name,
					column,
					`${what} is already in row ${other.row + 1} ("${other.name}")`,
					'A customer map row may claim a name, a Datto site or a PSA company only once: merge the two rows or correct one.',
				),
			);
		};
		const name = customer.name.toLowerCase();
		if (names.has(name)) return conflict('name', `"${customer.name}"`, names.get(name)!);
		for (const site of customer.dattoSiteUids) {
			const other = sites.get(site.toLowerCase());
			if (other) return conflict('dattoSiteUids', `Datto site ${site}`, other);
		}
		const keys: Array<[CustomerMapColumn, string | undefined]> = [
			[
				'autotaskCompanyId',
				customer.autotaskCompanyId === undefined
					? undefined
					: `autotask:${customer.autotaskCompanyId}`,
			],
			[
				'connectwiseCompanyId',
				customer.connectwiseCompanyId === undefined
					? undefined
					: `connectwise:${customer.connectwiseCompanyId}`,
			],
		];
		for (const [column, key] of keys) {
			const other = key ? companies.get(key) : undefined;
			if (other) return conflict(column, `company ${key!.split(':')[1]}`, other);
		}
		names.set(name, customer);
		for (const site of customer.dattoSiteUids) sites.set(site.toLowerCase(), customer);
		for (const [, key] of keys) if (key) companies.set(key, customer);
		customers.push(customer);
	});
	return { customers, errors };
}

export type Psa = 'autotask' | 'connectwise';

/** The PSA company of a customer, or undefined when it has none in that PSA. */
export function companyOf(customer: Customer, psa: Psa): number | undefined {
	return psa === 'autotask' ? customer.autotaskCompanyId : customer.connectwiseCompanyId;
}

/** The customer a Datto site belongs to (site uids compare case-insensitively). */
export function customerOfSite(
	map: CustomerMap,
	siteUid: string | undefined,
): Customer | undefined {
	if (!siteUid) return undefined;
	const wanted = siteUid.trim().toLowerCase();
	return map.customers.find((customer) =>
		customer.dattoSiteUids.some((site) => site.toLowerCase() === wanted),
	);
}
