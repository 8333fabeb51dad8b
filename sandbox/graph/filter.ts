/**
 * The OData `$filter` subset Microsoft Graph accepts on /users, parsed and evaluated the way the
 * directory does: case-insensitive string comparison, `''` as the escaped apostrophe, lambda
 * operators over collections, and the knowledge of which forms are "advanced queries" that need
 * `ConsistencyLevel: eventual` plus `$count=true`.
 */

export type Literal = string | number | boolean | null | { guid: string };

export type FilterExpr =
	| { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
	| { kind: 'not'; expr: FilterExpr }
	| { kind: 'compare'; op: CompareOp; operand: string; value: Literal }
	| { kind: 'in'; operand: string; values: Literal[] }
	| { kind: 'function'; name: 'startsWith' | 'endsWith'; operand: string; value: string }
	| { kind: 'count'; collection: string; op: CompareOp; value: number }
	| { kind: 'any'; collection: string; variable: string; body: FilterExpr };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const COMPARE_OPS: CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

/** A $filter Graph rejects as malformed: 400 BadRequest "Invalid filter clause". */
export class FilterSyntaxError extends Error {}

/** A property the user type does not have: 400 BadRequest "Could not find a property named...". */
export class UnknownPropertyError extends Error {
	constructor(readonly property: string) {
		super(`Could not find a property named '${property}' on type 'microsoft.graph.user'.`);
	}
}

type Token =
	| { type: 'string'; value: string; pos: number }
	| { type: 'number'; value: number; pos: number }
	| { type: 'guid'; value: string; pos: number }
	| { type: 'word'; value: string; pos: number }
	| { type: 'punct'; value: '(' | ')' | ',' | ':'; pos: number };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const WORD = /^[A-Za-z_$][A-Za-z0-9_$]*(\/[A-Za-z_$][A-Za-z0-9_$]*)*/;
const NUMBER = /^-?\d+(\.\d+)?/;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		if (ch === "'") {
			let value = '';
			let j = i + 1;
			for (;;) {
				if (j >= text.length)
					throw new FilterSyntaxError(
						`Syntax error: unterminated string literal at position ${i} in '${text}'.`,
					);
				if (text[j] === "'") {
					if (text[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += text[j];
				j++;
			}
			tokens.push({ type: 'string', value, pos: i });
			i = j + 1;
			continue;
		}
		if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
			tokens.push({ type: 'punct', value: ch, pos: i });
			i++;
			continue;
		}
		const rest = text.slice(i);
		const guid = GUID.exec(rest);
		if (guid && !/[A-Za-z0-9_]/.test(rest[guid[0].length] ?? '')) {
			tokens.push({ type: 'guid', value: guid[0], pos: i });
			i += guid[0].length;
			continue;
		}
		const number = NUMBER.exec(rest);
		if (number) {
			tokens.push({ type: 'number', value: Number(number[0]), pos: i });
			i += number[0].length;
			continue;
		}
		const word = WORD.exec(rest);
		if (word) {
			tokens.push({ type: 'word', value: word[0], pos: i });
			i += word[0].length;
			continue;
		}
		throw new FilterSyntaxError(
			`Syntax error: character '${ch}' is not valid at position ${i} in '${text}'.`,
		);
	}
	return tokens;
}

/** Resolves a property name of the user type (Graph matches names case-insensitively). */
export type PropertyResolver = (name: string) => string | undefined;

export function parseFilter(text: string, resolveProperty: PropertyResolver): FilterExpr {
	const tokens = tokenize(text);
	let index = 0;
	const scopes: string[] = [];

	const peek = (offset = 0): Token | undefined => tokens[index + offset];
	const fail = (message: string): never => {
		const token = peek();
		const where = token ? `position ${token.pos}` : 'the end';
		throw new FilterSyntaxError(`Syntax error: ${message} at ${where} in '${text}'.`);
	};
	const isWord = (token: Token | undefined, value: string) =>
		token?.type === 'word' && token.value.toLowerCase() === value;
	const expectPunct = (value: string) => {
		const token = peek();
		if (token?.type !== 'punct' || token.value !== value) fail(`'${value}' expected`);
		index++;
	};

	const operand = (name: string): string => {
		const [head, ...tail] = name.split('/');
		if (scopes.includes(head)) return name;
		if (tail.length) fail(`'${name}' is not a property path this resource supports`);
		const property = resolveProperty(head);
		if (!property) throw new UnknownPropertyError(head);
		return property;
	};

	const literal = (): Literal => {
		const token = peek();
		if (!token) return fail('a value expected');
		index++;
		if (token.type === 'string') return token.value;
		if (token.type === 'number') return token.value;
		if (token.type === 'guid') return { guid: token.value };
		if (token.type === 'word') {
			const lower = token.value.toLowerCase();
			if (lower === 'true') return true;
			if (lower === 'false') return false;
			if (lower === 'null') return null;
		}
		index--;
		return fail('a literal value expected');
	};

	const parseOr = (): FilterExpr => {
		let left = parseAnd();
		while (isWord(peek(), 'or')) {
			index++;
			left = { kind: 'or', left, right: parseAnd() };
		}
		return left;
	};

	const parseAnd = (): FilterExpr => {
		let left = parseUnary();
		while (isWord(peek(), 'and')) {
			index++;
			left = { kind: 'and', left, right: parseUnary() };
		}
		return left;
	};

	const parseUnary = (): FilterExpr => {
		if (isWord(peek(), 'not')) {
			index++;
			return { kind: 'not', expr: parseUnary() };
		}
		return parsePrimary();
	};

	const parsePrimary = (): FilterExpr => {
		const token = peek();
		if (!token) return fail('an expression expected');
		if (token.type === 'punct' && token.value === '(') {
			index++;
			const inner = parseOr();
			expectPunct(')');
			return inner;
		}
		if (token.type !== 'word') return fail('a property or function expected');
		const lower = token.value.toLowerCase();

		if (
			(lower === 'startswith' || lower === 'endswith') &&
			peek(1)?.type === 'punct' &&
			peek(1)?.value === '('
		) {
			index += 2;
			const target = peek();
			if (target?.type !== 'word') return fail('a property expected');
			index++;
			const name = operand(target.value);
			expectPunct(',');
			const value = literal();
			if (typeof value !== 'string') return fail(`${token.value} needs a string value`);
			expectPunct(')');
			return {
				kind: 'function',
				name: lower === 'startswith' ? 'startsWith' : 'endsWith',
				operand: name,
				value,
			};
		}

		const anyMatch = /^(.+)\/any$/i.exec(token.value);
		if (anyMatch && peek(1)?.type === 'punct' && peek(1)?.value === '(') {
			const collection = operand(anyMatch[1]);
			index += 2;
			const variable = peek();
			if (variable?.type !== 'word' || variable.value.includes('/'))
				return fail('a lambda variable expected');
			index++;
			expectPunct(':');
			scopes.push(variable.value);
			const body = parseOr();
			scopes.pop();
			expectPunct(')');
			return { kind: 'any', collection, variable: variable.value, body };
		}

		const countMatch = /^(.+)\/\$count$/i.exec(token.value);
		if (countMatch) {
			index++;
			const collection = operand(countMatch[1]);
			const op = peek();
			if (op?.type !== 'word' || !COMPARE_OPS.includes(op.value.toLowerCase() as CompareOp))
				return fail('a comparison operator expected');
			index++;
			const value = literal();
			if (typeof value !== 'number') return fail('/$count compares with a number');
			return { kind: 'count', collection, op: op.value.toLowerCase() as CompareOp, value };
		}

		index++;
		const name = operand(token.value);
		const op = peek();
		if (op?.type === 'word' && op.value.toLowerCase() === 'in') {
			index++;
			expectPunct('(');
			const values: Literal[] = [literal()];
			while (peek()?.type === 'punct' && peek()?.value === ',') {
				index++;
				values.push(literal());
			}
			expectPunct(')');
			return { kind: 'in', operand: name, values };
		}
		if (op?.type !== 'word' || !COMPARE_OPS.includes(op.value.toLowerCase() as CompareOp)) {
			return fail('a comparison operator expected');
		}
		index++;
		return {
			kind: 'compare',
			op: op.value.toLowerCase() as CompareOp,
			operand: name,
			value: literal(),
		};
	};

	const expr = parseOr();
	if (index < tokens.length) fail('unexpected token');
	return expr;
}

/**
 * Why the filter needs advanced query capabilities, or undefined when a standard query can
 * run it. Graph: `ne`, `not`, `endsWith`, `/$count` and `eq null` are advanced-only on users.
 */
export function advancedQueryReason(
	expr: FilterExpr,
): { operator: string; property: string } | undefined {
	switch (expr.kind) {
		case 'and':
		case 'or':
			return advancedQueryReason(expr.left) ?? advancedQueryReason(expr.right);
		case 'not':
			return { operator: 'not', property: firstProperty(expr.expr) };
		case 'compare':
			if (expr.op === 'ne') return { operator: 'ne', property: expr.operand };
			if (expr.value === null) return { operator: 'eq null', property: expr.operand };
			return undefined;
		case 'function':
			return expr.name === 'endsWith'
				? { operator: 'endsWith', property: expr.operand }
				: undefined;
		case 'count':
			return { operator: '$count', property: expr.collection };
		case 'any': {
			const inner = advancedQueryReason(expr.body);
			return inner ? { ...inner, property: expr.collection } : undefined;
		}
		default:
			return undefined;
	}
}

function firstProperty(expr: FilterExpr): string {
	switch (expr.kind) {
		case 'and':
		case 'or':
			return firstProperty(expr.left);
		case 'not':
			return firstProperty(expr.expr);
		case 'count':
		case 'any':
			return expr.collection;
		default:
			return expr.operand;
	}
}

type Scope = Record<string, unknown>;

export function evaluateFilter(
	expr: FilterExpr,
	user: Record<string, unknown>,
	scope: Scope = {},
): boolean {
	switch (expr.kind) {
		case 'and':
			return evaluateFilter(expr.left, user, scope) && evaluateFilter(expr.right, user, scope);
		case 'or':
			return evaluateFilter(expr.left, user, scope) || evaluateFilter(expr.right, user, scope);
		case 'not':
			return !evaluateFilter(expr.expr, user, scope);
		case 'compare':
			return compare(resolve(expr.operand, user, scope), expr.op, expr.value);
		case 'in':
			return expr.values.some((value) => compare(resolve(expr.operand, user, scope), 'eq', value));
		case 'function': {
			const actual = resolve(expr.operand, user, scope);
			if (typeof actual !== 'string') return false;
			const a = actual.toLowerCase();
			const b = expr.value.toLowerCase();
			return expr.name === 'startsWith' ? a.startsWith(b) : a.endsWith(b);
		}
		case 'count': {
			const collection = resolve(expr.collection, user, scope);
			const length = Array.isArray(collection) ? collection.length : 0;
			return compare(length, expr.op, expr.value);
		}
		case 'any': {
			const collection = resolve(expr.collection, user, scope);
			if (!Array.isArray(collection)) return false;
			return collection.some((element) =>
				evaluateFilter(expr.body, user, { ...scope, [expr.variable]: element }),
			);
		}
	}
}

function resolve(path: string, user: Record<string, unknown>, scope: Scope): unknown {
	const [head, ...tail] = path.split('/');
	let value: unknown = head in scope ? scope[head] : user[head];
	for (const segment of tail) {
		if (!value || typeof value !== 'object') return undefined;
		const record = value as Record<string, unknown>;
		const key = Object.keys(record).find((k) => k.toLowerCase() === segment.toLowerCase());
		value = key === undefined ? undefined : record[key];
	}
	return value;
}

function compare(actual: unknown, op: CompareOp, expected: Literal): boolean {
	if (expected === null) {
		const isNull = actual === null || actual === undefined;
		return op === 'ne' ? !isNull : op === 'eq' ? isNull : false;
	}
	const wanted = typeof expected === 'object' ? expected.guid : expected;
	if (actual === null || actual === undefined) return op === 'ne';
	let order: number;
	if (typeof wanted === 'string' && typeof actual === 'string') {
		const a = actual.toLowerCase();
		const b = wanted.toLowerCase();
		order = a < b ? -1 : a > b ? 1 : 0;
	} else if (typeof wanted === 'number' && typeof actual === 'number') {
		order = actual - wanted;
	} else if (typeof wanted === 'boolean' && typeof actual === 'boolean') {
		order = actual === wanted ? 0 : 1;
		if (op !== 'eq' && op !== 'ne') return false;
	} else {
		return op === 'ne';
	}
	switch (op) {
		case 'eq':
			return order === 0;
		case 'ne':
			return order !== 0;
		case 'gt':
			return order > 0;
		case 'ge':
			return order >= 0;
		case 'lt':
			return order < 0;
		case 'le':
			return order <= 0;
	}
}
