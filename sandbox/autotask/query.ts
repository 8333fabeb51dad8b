/**
 * Autotask's query language as the sandbox understands it: the `QueryModel` body
 * (`MaxRecords`, `IncludeFields`, `filter`), the operators eq, noteq, gt, gte, lt, lte, beginsWith,
 * endsWith, contains, exist, notExist, in, notIn and nested and/or groups with `items`, one UDF per
 * query, the 500 'OR' condition limit, and SQL Server semantics for comparisons (strings compare
 * case-insensitively [U: the default collation], a NULL matches no comparison).
 */
import type { EntityDefinition, FieldInfo } from './fieldInfo';
import { fieldOf } from './fields';

export const MAX_RECORDS = 500;
export const MAX_OR_CONDITIONS = 500;

/** A failure the sandbox answers with Autotask's shape: `{"errors":[...]}` (or `{"Message"}` for 404/405). */
export class AutotaskFault extends Error {
	constructor(
		readonly status: number,
		readonly errors: string[],
		readonly headers: Record<string, string> = {},
	) {
		super(errors.join(' '));
	}
}

export const invalid = (message: string) => new AutotaskFault(500, [message]);

export type Op =
	| 'eq'
	| 'noteq'
	| 'gt'
	| 'gte'
	| 'lt'
	| 'lte'
	| 'beginswith'
	| 'endswith'
	| 'contains'
	| 'exist'
	| 'notexist'
	| 'in'
	| 'notin'
	| 'and'
	| 'or';

const OPS: Op[] = [
	'eq',
	'noteq',
	'gt',
	'gte',
	'lt',
	'lte',
	'beginswith',
	'endswith',
	'contains',
	'exist',
	'notexist',
	'in',
	'notin',
	'and',
	'or',
];

export interface Condition {
	op: Op;
	/** Canonical field name (or the UDF's name). */
	field?: string;
	udf: boolean;
	dataType?: string;
	/** Converted value(s): numbers for numeric and date fields, lower-cased strings, booleans. */
	value?: unknown;
	items?: Condition[];
}

export interface ParsedQuery {
	maxRecords: number;
	includeFields?: string[];
	filter: Condition[];
}

/** Keys of Autotask's JSON are case-insensitive (its deserializer ignores case). */
function lowerKeys(value: unknown): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, entry] of Object.entries(value)) out[key.toLowerCase()] = entry;
	}
	return out;
}

export function parseQuery(
	entity: EntityDefinition,
	raw: unknown,
	udfNames: () => string[],
): ParsedQuery {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		throw invalid(
			'Invalid query syntax. The request body must be a query object with a "filter" array.',
		);
	}
	const body = lowerKeys(raw);
	let maxRecords = MAX_RECORDS;
	if (body.maxrecords !== undefined && body.maxrecords !== null) {
		const n = Number(body.maxrecords);
		if (!Number.isInteger(n) || n < 1 || n > MAX_RECORDS) {
			throw invalid('maxCountOfRecordsToReturn must be between 1 and 500');
		}
		maxRecords = n;
	}
	let includeFields: string[] | undefined;
	if (Array.isArray(body.includefields) && body.includefields.length) {
		includeFields = body.includefields.map((name) => {
			const field = typeof name === 'string' ? fieldOf(entity, name) : undefined;
			if (!field) throw invalid(`Unable to find ${String(name)} in the ${entity.name} Entity.`);
			return field.name;
		});
	}
	// [U] Autotask insists on a filter; clients send {"op":"exist","field":"id"} to ask for everything.
	if (!Array.isArray(body.filter) || body.filter.length === 0) {
		throw invalid(
			'Invalid query syntax. A query needs a "filter" array with at least one condition.',
		);
	}
	const udfs = new Set<string>();
	const filter = body.filter.map((node) => parseCondition(entity, node, 0, udfs, udfNames));
	if (udfs.size > 1) {
		throw invalid('Invalid query syntax. You can only query by one user-defined field at a time.');
	}
	const orConditions = filter.reduce((sum, condition) => sum + orCost(condition, false), 0);
	if (orConditions > MAX_OR_CONDITIONS) {
		throw invalid("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.");
	}
	return { maxRecords, includeFields, filter };
}

/**
 * How many 'OR' conditions a filter costs: every value of an `in`/`notIn` is one (Autotask expands
 * them), and every branch of an `or` group is one.
 */
export function orCost(condition: Condition, insideOr: boolean): number {
	if (condition.op === 'in' || condition.op === 'notin')
		return (condition.value as unknown[]).length;
	if (condition.op === 'or')
		return condition.items!.reduce((sum, item) => sum + orCost(item, true), 0);
	if (condition.op === 'and') {
		return (
			condition.items!.reduce((sum, item) => sum + orCost(item, false), 0) + (insideOr ? 1 : 0)
		);
	}
	return insideOr ? 1 : 0;
}

function parseCondition(
	entity: EntityDefinition,
	raw: unknown,
	depth: number,
	udfs: Set<string>,
	udfNames: () => string[],
): Condition {
	const node = lowerKeys(raw);
	if (depth > 32) throw invalid('Invalid query syntax. Filters are nested too deeply.');
	if (typeof node.op !== 'string' || !node.op) {
		throw invalid('Invalid query syntax. Every filter needs an "op".');
	}
	const op = node.op.toLowerCase() as Op;
	if (!OPS.includes(op)) {
		throw invalid(`Invalid query syntax. The operator '${node.op}' is not supported.`);
	}
	if (op === 'and' || op === 'or') {
		if (!Array.isArray(node.items) || node.items.length === 0) {
			throw invalid(
				`Invalid query syntax. The '${node.op}' operator needs an "items" array of filters.`,
			);
		}
		return {
			op,
			udf: false,
			items: node.items.map((item) => parseCondition(entity, item, depth + 1, udfs, udfNames)),
		};
	}
	if (typeof node.field !== 'string' || !node.field) {
		throw invalid(`Invalid query syntax. The '${node.op}' operator needs a "field".`);
	}
	const udf = node.udf === true;
	let field: FieldInfo | undefined;
	let name: string;
	let dataType: string;
	if (udf) {
		if (!entity.hasUserDefinedFields)
			throw invalid(`Unable to find ${node.field} in the ${entity.name} Entity.`);
		const known = udfNames().find(
			(udfName) => udfName.toLowerCase() === (node.field as string).toLowerCase(),
		);
		if (!known) throw invalid(`Unable to find ${node.field} in the ${entity.name} Entity.`);
		name = known;
		dataType = 'string';
		udfs.add(known.toLowerCase());
	} else {
		field = fieldOf(entity, node.field);
		if (!field) throw invalid(`Unable to find ${node.field} in the ${entity.name} Entity.`);
		if (!field.isQueryable)
			throw invalid(`Invalid query syntax. The field '${field.name}' cannot be queried.`);
		name = field.name;
		dataType = field.dataType;
	}
	if (op === 'exist' || op === 'notexist') return { op, field: name, udf, dataType };
	if (op === 'in' || op === 'notin') {
		if (!Array.isArray(node.value) || node.value.length === 0) {
			throw invalid(
				`Invalid query syntax. The '${node.op}' operator needs a non-empty array "value" for field '${name}'.`,
			);
		}
		return {
			op,
			field: name,
			udf,
			dataType,
			value: node.value.map((v) => convert(v, dataType, name)),
		};
	}
	if (node.value === undefined || node.value === null) {
		throw invalid(
			`Invalid query syntax. The '${node.op}' operator needs a "value" for field '${name}'.`,
		);
	}
	if (Array.isArray(node.value) || typeof node.value === 'object') {
		throw invalid(
			`Invalid query syntax. The '${node.op}' operator takes one value for field '${name}'; use 'in' for a list.`,
		);
	}
	if (['beginswith', 'endswith', 'contains'].includes(op)) {
		return {
			op,
			field: name,
			udf,
			dataType,
			value: String(node.value).toLowerCase(),
		};
	}
	return {
		op,
		field: name,
		udf,
		dataType,
		value: convert(node.value, dataType, name),
	};
}

/** Values as SQL Server would convert them for the field's column type. */
function convert(value: unknown, dataType: string, field: string): unknown {
	if (value === null || value === undefined) {
		throw invalid(
			`Invalid query syntax. A null value cannot be compared on field '${field}'; use 'notExist'.`,
		);
	}
	switch (dataType) {
		case 'integer':
		case 'long':
		case 'short': {
			const n =
				typeof value === 'number'
					? value
					: typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
						? Number(value)
						: NaN;
			if (!Number.isInteger(n)) {
				throw invalid(
					`Conversion failed when converting the ${typeof value === 'boolean' ? 'bit' : 'varchar'} value '${String(value)}' to data type int.`,
				);
			}
			return n;
		}
		case 'double':
		case 'decimal': {
			const n = Number(value);
			if (typeof value === 'boolean' || !Number.isFinite(n)) {
				throw invalid(
					`Error converting data type varchar to numeric for field '${field}' (value '${String(value)}').`,
				);
			}
			return n;
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
				return value.trim().toLowerCase() === 'true';
			throw invalid(
				`Invalid query syntax. Field '${field}' is a boolean: use true or false (got '${String(value)}').`,
			);
		}
		case 'datetime': {
			const time =
				typeof value === 'string' || typeof value === 'number' ? Date.parse(String(value)) : NaN;
			if (!Number.isFinite(time)) {
				throw invalid(
					`Conversion failed when converting date and/or time from character string '${String(value)}'.`,
				);
			}
			return time;
		}
		default:
			return String(value).toLowerCase();
	}
}

/** The row's value for a condition, converted like the condition's value; null when empty. */
function rowValue(row: Record<string, unknown>, condition: Condition): unknown {
	let raw: unknown;
	if (condition.udf) {
		const udfs = (row.userDefinedFields ?? []) as Array<{
			name?: string;
			value?: unknown;
		}>;
		raw = udfs.find(
			(udf) => String(udf.name ?? '').toLowerCase() === condition.field!.toLowerCase(),
		)?.value;
	} else {
		raw = row[condition.field!];
	}
	if (raw === null || raw === undefined || raw === '') return null;
	switch (condition.dataType) {
		case 'integer':
		case 'long':
		case 'short':
		case 'double':
		case 'decimal':
			return typeof raw === 'boolean' ? (raw ? 1 : 0) : Number(raw);
		case 'boolean':
			return raw === true || raw === 1 || raw === 'true';
		case 'datetime':
			return Date.parse(String(raw));
		default:
			return String(raw).toLowerCase();
	}
}

function compare(a: unknown, b: unknown): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	return String(a).localeCompare(String(b));
}

export function matches(row: Record<string, unknown>, condition: Condition): boolean {
	switch (condition.op) {
		case 'and':
			return condition.items!.every((item) => matches(row, item));
		case 'or':
			return condition.items!.some((item) => matches(row, item));
		default:
			break;
	}
	const value = rowValue(row, condition);
	if (condition.op === 'exist') return value !== null;
	if (condition.op === 'notexist') return value === null;
	// SQL: a NULL column satisfies no comparison, "<>" and "NOT IN" included.
	if (value === null) return false;
	const target = condition.value;
	switch (condition.op) {
		case 'eq':
			return compare(value, target) === 0;
		case 'noteq':
			return compare(value, target) !== 0;
		case 'gt':
			return compare(value, target) > 0;
		case 'gte':
			return compare(value, target) >= 0;
		case 'lt':
			return compare(value, target) < 0;
		case 'lte':
			return compare(value, target) <= 0;
		case 'beginswith':
			return String(value).startsWith(String(target));
		case 'endswith':
			return String(value).endsWith(String(target));
		case 'contains':
			return String(value).includes(String(target));
		case 'in':
			return (target as unknown[]).some((candidate) => compare(value, candidate) === 0);
		case 'notin':
			return (target as unknown[]).every((candidate) => compare(value, candidate) !== 0);
		default:
			return false;
	}
}

export function matchesAll(row: Record<string, unknown>, filter: Condition[]): boolean {
	return filter.every((condition) => matches(row, condition));
}
