import { InputError, unbalancedParentheses } from '../http';

/**
 * The ConnectWise conditions language: every value goes through this builder, so no input can
 * change a query's shape; typed conditions are checked; long look-ups are split to keep URLs short.
 */

/**
 * ConnectWise's developer guide asks for URLs of at most about 2,000 characters. This budget is
 * for the encoded query string; the site, codebase and path take the rest.
 */
export const CONNECTWISE_MAX_QUERY_LENGTH = 1800;

export type ConditionValue = string | number | boolean | null | Date;

/** A string literal: double-quoted, with backslashes and double quotes escaped. */
export function quote(value: string): string {
	return `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * A LIKE pattern's literal part: %, _, * and [ lose their wildcard meaning (SQL Server's [x]
 * escape), then the whole is quoted.
 */
export function likeLiteral(value: string): string {
	return String(value).replace(/[[%_*]/g, '[$&]');
}

export function literal(value: ConditionValue): string {
	if (value === null) return 'null';
	if (value instanceof Date) {
		if (!Number.isFinite(value.getTime()))
			throw new RangeError('Invalid date in a ConnectWise condition');
		return `[${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError('Invalid number in a ConnectWise condition');
		return String(value);
	}
	return quote(value);
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function field(path: string): string {
	if (!FIELD_PATH.test(path)) throw new RangeError(`"${path}" is not a ConnectWise field path`);
	return path;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Builders for the ConnectWise conditions language; values are always escaped. */
export const cw = {
	compare: (path: string, operator: ComparisonOperator, value: ConditionValue) =>
		`${field(path)} ${operator} ${literal(value)}`,
	eq: (path: string, value: ConditionValue) => cw.compare(path, '=', value),
	contains: (path: string, value: string) => `${field(path)} contains ${quote(likeLiteral(value))}`,
	startsWith: (path: string, value: string) =>
		`${field(path)} like ${quote(`${likeLiteral(value)}%`)}`,
	in: (path: string, values: ConditionValue[]) =>
		`${field(path)} in (${values.map(literal).join(', ')})`,
	and: (...parts: Array<string | undefined>) => join(parts, 'AND'),
	or: (...parts: Array<string | undefined>) => join(parts, 'OR'),
};

function join(parts: Array<string | undefined>, operator: 'AND' | 'OR'): string {
	const present = parts.filter((part): part is string => !!part && !!part.trim());
	if (present.length <= 1) return present[0] ?? '';
	return present.map((part) => `(${part})`).join(` ${operator} `);
}

/**
 * Conditions a user typed (Conditions (Raw), Child Conditions (Raw)) are ANDed with the node's
 * own as one parenthesized group. Their strings and parentheses must be balanced, or they could
 * close that group and OR past the node's filters (a company's contacts becoming everyone's).
 */
export function checkRawConditions(raw: string, field: string): string {
	const text = raw.trim();
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length && depth >= 0; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '(') depth++;
		else if (char === ')') depth--;
	}
	if (inString) {
		throw new InputError(
			field,
			`${field} has an unterminated string`,
			'Quote values with double quotes and write a quote inside a value as \\".',
		);
	}
	if (depth !== 0) throw unbalancedParentheses(field);
	return text;
}

/** Length of a query value once URL-encoded, as it travels. */
export function encodedLength(value: string): number {
	return encodeURIComponent(value).length;
}

/**
 * Splits `values` into groups whose condition (built by `build`) stays within `budget` encoded
 * characters, so that every request URL stays under ConnectWise's ~2,000.
 */
export function chunkByEncodedLength<T>(
	values: T[],
	build: (chunk: T[]) => string,
	budget: number,
): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	for (const value of values) {
		const candidate = [...current, value];
		if (current.length && encodedLength(build(candidate)) > budget) {
			chunks.push(current);
			current = [value];
		} else current = candidate;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

/**
 * childConditions for contacts with any of `emails` as an Email communication item (child
 * conditions cannot use `in`, so the addresses are an OR chain). The type condition is written
 * once: child conditions hold for the same item, so `type="Email" AND (value="a" OR value="b")`
 * equals the OR chain of (value AND type) pairs.
 */
export function emailChildConditions(emails: string[]): string {
	// Written compactly (no spaces, no parentheses per term): more addresses fit in one URL.
	const values = emails.map((email) => `communicationItems/value=${literal(email)}`).join(' OR ');
	return `communicationItems/communicationType="Email" AND (${values})`;
}

/** Email lookups chunked so that each request's query string stays within the URL budget. */
export function chunkEmailLookups(
	emails: string[],
	budget = CONNECTWISE_MAX_QUERY_LENGTH - 300,
): string[][] {
	return chunkByEncodedLength(emails, emailChildConditions, budget);
}
