/**
 * ConnectWise Manage's `conditions` / `childConditions` language, parsed and evaluated the way
 * the PSA does (developer guide, "Query String Parameters" and "Conditions"):
 *
 *   (contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z]
 *     or summary contains "test" AND summary != "Some Summary"
 *
 * - values: strings in "..." or '...' (backslash escapes \" \' \\), numbers (digits, optional
 *   decimal point and minus sign), true/false, null, datetimes in [...], `in (a, b, c)` lists;
 * - fields: names with `/` for references and children (company/id, communicationItems/value),
 *   matched case-insensitively (the guide writes `Board/Id`);
 * - operators: = != < <= > >= contains like in, each optionally preceded by `not`;
 *   `not` also negates a parenthesised group; AND binds tighter than OR; both case-insensitive.
 *
 * [U] string comparisons are case-insensitive (ConnectWise runs on SQL Server with its default
 * case-insensitive collation; not stated in the vendor's documents).
 * [U] `like` follows SQL Server LIKE: % any run, _ one character, [..] a character class, so
 * [%] is a literal percent sign; `*` is accepted as a % (the guide: "Accepts * for wildcards").
 * `contains "x"` behaves as `like "%x%"`.
 * [U] a comparison with a missing (null) field value is "unknown", as in SQL: neither it nor its
 * negation matches.
 */

export type FieldKind = 'string' | 'numeric' | 'boolean' | 'datetime' | 'object';

export type Literal =
	| { kind: 'string'; value: string }
	| { kind: 'numeric'; value: number }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'null' }
	| { kind: 'datetime'; value: number; text: string }
	/** An unquoted word where a value belongs: always an error once the field's type is known. */
	| { kind: 'word'; text: string };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like' | 'in';

export type Expression =
	| { type: 'and' | 'or'; left: Expression; right: Expression }
	| { type: 'not'; expression: Expression }
	| { type: 'compare'; field: string; operator: Operator; negate: boolean; values: Literal[] };

/** A condition the PSA refuses; the sandbox answers it with HTTP 400 in ConnectWise's shape. */
export class ConditionsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConditionsError';
	}
}

/** The tail of the PSA's message for a literal of the wrong kind, as the connectwise-rest README quotes it. */
export const LITERAL_HELP =
	'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean values should be indicated with the keywords true or false; null values should be indicated by the keyword null.';

/** "Expected a boolean value, not a numeric. String values should be ..." */
export function literalMismatch(expected: FieldKind, got: Literal['kind']): string {
	const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
	const gotWord = got === 'word' ? 'unquoted word' : got;
	return `Expected ${article(expected)} ${expected} value, not ${article(gotWord)} ${gotWord}. ${LITERAL_HELP}`;
}

type Token =
	| { t: 'lparen' | 'rparen' | 'comma'; at: number }
	| { t: 'op'; value: '=' | '!=' | '<' | '<=' | '>' | '>='; at: number }
	| { t: 'word'; value: string; at: number }
	| { t: 'literal'; value: Literal; at: number };

const WORD = /[A-Za-z_][A-Za-z0-9_./]*/y;
const NUMBER = /-?\d+(\.\d+)?(?![A-Za-z0-9_])/y;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '(' || c === ')' || c === ',') {
			tokens.push({ t: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', at: i });
			i++;
			continue;
		}
		if (c === '"' || c === "'") {
			let value = '';
			let j = i + 1;
			let closed = false;
			while (j < text.length) {
				const d = text[j];
				if (d === '\\' && j + 1 < text.length) {
					value += text[j + 1];
					j += 2;
					continue;
				}
				if (d === c) {
					closed = true;
					break;
				}
				value += d;
				j++;
			}
			if (!closed)
				throw new ConditionsError(
					`Unterminated string starting at position ${i + 1}. ${LITERAL_HELP}`,
				);
			tokens.push({ t: 'literal', value: { kind: 'string', value }, at: i });
			i = j + 1;
			continue;
		}
		if (c === '[') {
			const end = text.indexOf(']', i);
			if (end < 0)
				throw new ConditionsError(
					`Unterminated date starting at position ${i + 1}. ${LITERAL_HELP}`,
				);
			const inner = text.slice(i + 1, end).trim();
			const parsed = Date.parse(inner);
			if (!/^\d{4}-\d{2}-\d{2}/.test(inner) || !Number.isFinite(parsed)) {
				throw new ConditionsError(`"${inner}" is not a valid date. ${LITERAL_HELP}`);
			}
			tokens.push({ t: 'literal', value: { kind: 'datetime', value: parsed, text: inner }, at: i });
			i = end + 1;
			continue;
		}
		if (c === '!' || c === '=' || c === '<' || c === '>') {
			const two = text.slice(i, i + 2);
			if (two === '!=' || two === '<=' || two === '>=') {
				tokens.push({ t: 'op', value: two, at: i });
				i += 2;
				continue;
			}
			if (two === '<>') {
				tokens.push({ t: 'op', value: '!=', at: i });
				i += 2;
				continue;
			}
			if (c === '!') throw new ConditionsError(`Unexpected character "!" at position ${i + 1}.`);
			tokens.push({ t: 'op', value: c as '=' | '<' | '>', at: i });
			i++;
			continue;
		}
		NUMBER.lastIndex = i;
		const number = NUMBER.exec(text);
		if (number) {
			tokens.push({ t: 'literal', value: { kind: 'numeric', value: Number(number[0]) }, at: i });
			i += number[0].length;
			continue;
		}
		WORD.lastIndex = i;
		const word = WORD.exec(text);
		if (word) {
			tokens.push({ t: 'word', value: word[0], at: i });
			i += word[0].length;
			continue;
		}
		throw new ConditionsError(`Unexpected character "${c}" at position ${i + 1}.`);
	}
	return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'contains', 'like', 'in', 'true', 'false', 'null']);

class Parser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly text: string,
	) {}

	parse(): Expression {
		if (!this.tokens.length) throw new ConditionsError('The conditions are empty.');
		const expression = this.or();
		const rest = this.peek();
		if (rest)
			throw new ConditionsError(`Unexpected ${this.describe(rest)} at position ${rest.at + 1}.`);
		return expression;
	}

	private peek(): Token | undefined {
		return this.tokens[this.index];
	}

	private next(): Token | undefined {
		return this.tokens[this.index++];
	}

	private isKeyword(token: Token | undefined, keyword: string): boolean {
		return token?.t === 'word' && token.value.toLowerCase() === keyword;
	}

	private describe(token: Token): string {
		if (token.t === 'word') return `"${token.value}"`;
		if (token.t === 'op') return `"${token.value}"`;
		if (token.t === 'literal') return 'value';
		return `"${token.t === 'lparen' ? '(' : token.t === 'rparen' ? ')' : ','}"`;
	}

	private or(): Expression {
		let left = this.and();
		while (this.isKeyword(this.peek(), 'or')) {
			this.next();
			left = { type: 'or', left, right: this.and() };
		}
		return left;
	}

	private and(): Expression {
		let left = this.unary();
		while (this.isKeyword(this.peek(), 'and')) {
			this.next();
			left = { type: 'and', left, right: this.unary() };
		}
		return left;
	}

	private unary(): Expression {
		const token = this.peek();
		if (!token) throw new ConditionsError(`The conditions end too early: "${this.text}".`);
		if (this.isKeyword(token, 'not')) {
			this.next();
			return { type: 'not', expression: this.unary() };
		}
		if (token.t === 'lparen') {
			this.next();
			const inner = this.or();
			const close = this.next();
			if (close?.t !== 'rparen')
				throw new ConditionsError(`Missing ")" for the "(" at position ${token.at + 1}.`);
			return inner;
		}
		return this.comparison();
	}

	private comparison(): Expression {
		const fieldToken = this.next()!;
		if (fieldToken.t !== 'word' || KEYWORDS.has(fieldToken.value.toLowerCase())) {
			throw new ConditionsError(
				`Expected a field name at position ${fieldToken.at + 1}, found ${this.describe(fieldToken)}.`,
			);
		}
		let negate = false;
		if (this.isKeyword(this.peek(), 'not')) {
			this.next();
			negate = true;
		}
		const opToken = this.next();
		if (!opToken) throw new ConditionsError(`The field "${fieldToken.value}" has no operator.`);
		let operator: Operator;
		if (opToken.t === 'op') operator = opToken.value;
		else if (
			opToken.t === 'word' &&
			['contains', 'like', 'in'].includes(opToken.value.toLowerCase())
		) {
			operator = opToken.value.toLowerCase() as Operator;
		} else {
			throw new ConditionsError(
				`Expected an operator after "${fieldToken.value}" at position ${opToken.at + 1}, found ${this.describe(opToken)}.`,
			);
		}
		if (negate && !['contains', 'like', 'in', '='].includes(operator)) {
			throw new ConditionsError(`"not" cannot be combined with "${operator}".`);
		}
		if (operator === 'in') {
			const open = this.next();
			if (open?.t !== 'lparen')
				throw new ConditionsError(
					`"in" must be followed by a list in parentheses, e.g. in (1, 2, 3).`,
				);
			const values: Literal[] = [this.literal()];
			for (;;) {
				const separator = this.next();
				if (separator?.t === 'rparen') break;
				if (separator?.t !== 'comma')
					throw new ConditionsError(`The list after "in" is not closed with ")".`);
				values.push(this.literal());
			}
			return { type: 'compare', field: fieldToken.value, operator, negate, values };
		}
		return { type: 'compare', field: fieldToken.value, operator, negate, values: [this.literal()] };
	}

	private literal(): Literal {
		const token = this.next();
		if (!token)
			throw new ConditionsError(`A value is missing at the end of the conditions. ${LITERAL_HELP}`);
		if (token.t === 'literal') return token.value;
		if (token.t === 'word') {
			const lower = token.value.toLowerCase();
			if (lower === 'true' || lower === 'false')
				return { kind: 'boolean', value: lower === 'true' };
			if (lower === 'null') return { kind: 'null' };
			return { kind: 'word', text: token.value };
		}
		throw new ConditionsError(
			`Expected a value at position ${token.at + 1}, found ${this.describe(token)}. ${LITERAL_HELP}`,
		);
	}
}

export function parseConditions(text: string): Expression {
	return new Parser(tokenize(text), text).parse();
}

/** What the evaluator needs to know about the entity's fields. */
export interface FieldResolver {
	/** The field's kind, or undefined when the entity has no such field. */
	kind(path: string): FieldKind | undefined;
	/** The values at `path` in the record (several when the path crosses an array). */
	values(record: unknown, path: string): unknown[];
}

/** Refuses unknown fields and literals of the wrong kind, as the PSA does before it queries. */
export function checkConditions(
	expression: Expression,
	fields: FieldResolver,
	parameter: string,
): void {
	switch (expression.type) {
		case 'and':
		case 'or':
			checkConditions(expression.left, fields, parameter);
			checkConditions(expression.right, fields, parameter);
			return;
		case 'not':
			checkConditions(expression.expression, fields, parameter);
			return;
		case 'compare': {
			const kind = fields.kind(expression.field);
			if (!kind || kind === 'object') {
				throw new ConditionsError(`Cannot find column "${expression.field}" in ${parameter}.`);
			}
			for (const value of expression.values) {
				if (value.kind === 'null') {
					if (expression.operator !== '=' && expression.operator !== '!=') {
						throw new ConditionsError(`null can only be compared with = or !=. ${LITERAL_HELP}`);
					}
					continue;
				}
				if (value.kind !== kind) throw new ConditionsError(literalMismatch(kind, value.kind));
				if (
					(expression.operator === 'contains' || expression.operator === 'like') &&
					kind !== 'string'
				) {
					throw new ConditionsError(
						`"${expression.operator}" needs a string field; "${expression.field}" is ${kind}.`,
					);
				}
			}
		}
	}
}

/** SQL Server LIKE as a regular expression (case-insensitive). */
export function likeToRegExp(pattern: string): RegExp {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '%' || c === '*') source += '.*';
		else if (c === '_') source += '.';
		else if (c === '[') {
			const end = pattern.indexOf(']', i + 2);
			if (end < 0) {
				source += '\\[';
				continue;
			}
			let body = pattern.slice(i + 1, end);
			const negated = body.startsWith('^');
			if (negated) body = body.slice(1);
			const escaped = body.replace(/[\\\]^]/g, '\\$&');
			source += `[${negated ? '^' : ''}${escaped}]`;
			i = end;
		} else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'is');
}

type Truth = boolean | null;

function compareOne(actual: unknown, operator: Operator, literal: Literal): Truth {
	if (literal.kind === 'null') {
		const isNull = actual === null || actual === undefined;
		return operator === '=' ? isNull : !isNull;
	}
	if (actual === null || actual === undefined) return null;
	if (operator === 'contains' || operator === 'like') {
		const pattern = literal.kind === 'string' ? literal.value : '';
		return likeToRegExp(operator === 'contains' ? `%${pattern}%` : pattern).test(String(actual));
	}
	let a: string | number | boolean;
	let b: string | number | boolean;
	switch (literal.kind) {
		case 'string':
			a = String(actual).toLowerCase();
			b = literal.value.toLowerCase();
			break;
		case 'numeric':
			a = Number(actual);
			b = literal.value;
			break;
		case 'boolean':
			a = actual === true || actual === 'true' || actual === 1;
			b = literal.value;
			break;
		case 'datetime':
			a = Date.parse(String(actual));
			b = literal.value;
			if (!Number.isFinite(a)) return null;
			break;
		default:
			return null;
	}
	switch (operator) {
		case '=':
		case 'in':
			return a === b;
		case '!=':
			return a !== b;
		case '<':
			return a < b;
		case '<=':
			return a <= b;
		case '>':
			return a > b;
		case '>=':
			return a >= b;
	}
	return null;
}

function not(value: Truth): Truth {
	return value === null ? null : !value;
}

function evaluateTruth(expression: Expression, record: unknown, fields: FieldResolver): Truth {
	switch (expression.type) {
		case 'and': {
			const left = evaluateTruth(expression.left, record, fields);
			if (left === false) return false;
			const right = evaluateTruth(expression.right, record, fields);
			if (right === false) return false;
			return left === null || right === null ? null : true;
		}
		case 'or': {
			const left = evaluateTruth(expression.left, record, fields);
			if (left === true) return true;
			const right = evaluateTruth(expression.right, record, fields);
			if (right === true) return true;
			return left === null || right === null ? null : false;
		}
		case 'not':
			return not(evaluateTruth(expression.expression, record, fields));
		case 'compare': {
			const actuals = fields.values(record, expression.field);
			const candidates = actuals.length ? actuals : [undefined];
			let result: Truth = false;
			for (const actual of candidates) {
				let one: Truth = false;
				for (const literal of expression.values) {
					const hit = compareOne(actual, expression.operator, literal);
					if (hit === true) {
						one = true;
						break;
					}
					if (hit === null) one = null;
				}
				if (expression.negate) one = not(one);
				if (one === true) return true;
				if (one === null) result = null;
			}
			return result;
		}
	}
}

export function evaluate(expression: Expression, record: unknown, fields: FieldResolver): boolean {
	return evaluateTruth(expression, record, fields) === true;
}
