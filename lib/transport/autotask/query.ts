import { InputError } from '../http';
import { parseJson } from '../../util/settled';

/** Autotask's query filters: building them, splitting them at its limits, checking typed ones. */

export interface AutotaskFilter {
	op: string;
	field?: string;
	value?: unknown;
	udf?: boolean;
	items?: AutotaskFilter[];
}

export interface AutotaskQueryOptions {
	filter: AutotaskFilter[];
	includeFields?: string[];
	/** Maximum records to return; undefined = all. */
	limit?: number;
}

/** Autotask answers at most 500 'OR' conditions in one query. */
export const AUTOTASK_MAX_OR_CONDITIONS = 500;

/** `in` filters over `values`, split so that no query exceeds Autotask's 500 OR conditions. */
export function chunkForOrLimit<T>(values: T[], conditionsPerValue: number): T[][] {
	const size = Math.max(
		1,
		Math.floor(AUTOTASK_MAX_OR_CONDITIONS / Math.max(1, conditionsPerValue)),
	);
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

export const AUTOTASK_CONTACT_EMAIL_FIELDS = [
	'emailAddress',
	'emailAddress2',
	'emailAddress3',
] as const;

/** Contacts with any of these addresses in any of their three email fields. */
export function contactEmailFilter(emails: string[]): AutotaskFilter {
	return {
		op: 'or',
		items: AUTOTASK_CONTACT_EMAIL_FIELDS.map((field) => ({ op: 'in', field, value: emails })),
	};
}

/** Rejects a raw filter the user typed before it reaches Autotask. */
export function parseRawAutotaskFilter(raw: unknown, field: string): AutotaskFilter[] {
	let parsed = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return [];
		const json = parseJson(raw);
		if (!json.ok) {
			throw new InputError(
				field,
				`${field} is not valid JSON`,
				'Enter an array of Autotask filter objects, e.g. [{"op":"eq","field":"title","value":"CEO"}].',
			);
		}
		parsed = json.value;
	}
	const list = Array.isArray(parsed)
		? parsed
		: ((parsed as { filter?: unknown })?.filter ?? [parsed]);
	if (!Array.isArray(list)) {
		throw new InputError(field, `${field} must be an array of filter objects`);
	}
	const check = (node: unknown, depth: number): AutotaskFilter => {
		const f = node as AutotaskFilter;
		if (!f || typeof f !== 'object' || typeof f.op !== 'string') {
			throw new InputError(
				field,
				`${field} has an entry without an "op"`,
				'Every filter needs "op" (eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, in, notIn, and, or).',
			);
		}
		if (depth > 10) throw new InputError(field, `${field} nests filters too deeply`);
		if ((f.op === 'and' || f.op === 'or') && !Array.isArray(f.items)) {
			throw new InputError(field, `${field}: "${f.op}" needs an "items" array`);
		}
		return { ...f, items: f.items?.map((item) => check(item, depth + 1)) };
	};
	return list.map((entry) => check(entry, 0));
}
