/** Reading: conditions, childConditions and customFieldConditions, orderBy, fields= and paging. */
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { checkConditions, ConditionsError, evaluate, parseConditions } from './conditions';
import type { Expression } from './conditions';
import { cwError, VENDOR_TEXT } from './errors';
import { CUSTOM_FIELD_FIELDS } from './fields';
import type { EntityFields } from './fields';
import { clone } from './state';

/** Query parameters are case-insensitive on the PSA (the guide writes `childconditions`). */
function param(request: SandboxRequest, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of request.query) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

function parseChecked(text: string, fields: EntityFields, parameter: string): Expression {
	const expression = parseConditions(text);
	checkConditions(expression, fields, parameter);
	return expression;
}

export function filterRows<T>(request: SandboxRequest, rows: T[], fields: EntityFields): T[] {
	let out = rows;
	const conditions = param(request, 'conditions');
	if (conditions !== undefined && conditions.trim()) {
		const expression = parseChecked(conditions, fields, 'conditions');
		out = out.filter((row) => evaluate(expression, row, fields));
	}
	const childConditions = param(request, 'childConditions');
	if (childConditions !== undefined && childConditions.trim()) {
		const expression = parseChecked(childConditions, fields, 'childConditions');
		const collection = childCollectionOf(expression, fields);
		// Each child row is tested on its own: value and type conditions must hold for the same item.
		out = out.filter((row) => {
			const children = (row as Record<string, unknown>)[collection];
			return (
				Array.isArray(children) &&
				children.some((child) => evaluate(expression, { [collection]: [child] }, fields))
			);
		});
	}
	const customFieldConditions = param(request, 'customFieldConditions');
	if (customFieldConditions !== undefined && customFieldConditions.trim()) {
		const expression = parseChecked(
			customFieldConditions,
			CUSTOM_FIELD_FIELDS,
			'customFieldConditions',
		);
		out = out.filter((row) => {
			const custom = (row as Record<string, unknown>).customFields;
			return (
				Array.isArray(custom) &&
				custom.some((field) => evaluate(expression, field, CUSTOM_FIELD_FIELDS))
			);
		});
	}
	return out;
}

function childCollectionOf(expression: Expression, fields: EntityFields): string {
	const collections = new Set<string>();
	const walk = (node: Expression) => {
		if (node.type === 'not') walk(node.expression);
		else if (node.type !== 'compare') {
			walk(node.left);
			walk(node.right);
		} else {
			// childConditions take the conditions operators except `in` (developer guide, "Conditions").
			if (node.operator === 'in')
				throw new ConditionsError('The "in" operator is not supported in childConditions.');
			const collection = fields.childCollection(node.field);
			if (!collection || !node.field.includes('/')) {
				throw new ConditionsError(
					`"${node.field}" is not a child collection field; childConditions must name one, e.g. communicationItems/value.`,
				);
			}
			collections.add(collection);
		}
	};
	walk(expression);
	if (collections.size !== 1)
		throw new ConditionsError('childConditions must refer to a single child collection.');
	return [...collections][0];
}

export function listResponse(
	request: SandboxRequest,
	rows: object[],
	fields: EntityFields,
	baseUrl: string,
	maxPageSize = 1000,
): SandboxResponse {
	const pageSizeText = param(request, 'pageSize');
	const pageSize = pageSizeText === undefined || pageSizeText === '' ? 25 : Number(pageSizeText);
	const max = maxPageSize;
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max) {
		return cwError(400, 'InvalidObject', VENDOR_TEXT.pageSize(max));
	}
	const orderBy = param(request, 'orderBy');
	const forwardOnly = (request.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only';
	const link = (changes: Record<string, string>) => {
		const query = new URLSearchParams(request.query);
		for (const [name, value] of Object.entries(changes)) {
			for (const key of [...query.keys()])
				if (key.toLowerCase() === name.toLowerCase()) query.delete(key);
			query.set(name, value);
		}
		return `${baseUrl}${request.path}?${query.toString()}`;
	};

	if (forwardOnly) {
		if (orderBy) return cwError(400, 'InvalidObject', VENDOR_TEXT.forwardOnlyOrderBy);
		const pageIdText = param(request, 'pageId');
		const pageId = pageIdText ? Number(pageIdText) : 0;
		if (!Number.isFinite(pageId)) return cwError(400, 'InvalidObject', 'pageId must be a number.');
		const page = [...rows]
			.sort((a, b) => idOf(a) - idOf(b))
			.filter((row) => idOf(row) > pageId)
			.slice(0, pageSize);
		const headers: Record<string, string> = {};
		// "There will always be a link header in the response for the next pageId" (developer
		// guide, forward-only pagination); [U] none once a page comes back empty.
		if (page.length)
			headers.Link = `<${link({ pageId: String(idOf(page[page.length - 1])), pageSize: String(pageSize) })}>; rel="next"`;
		return { status: 200, headers, body: page.map((row) => project(row, request)) };
	}

	const pageText = param(request, 'page');
	const page = pageText === undefined || pageText === '' ? 1 : Number(pageText);
	if (!Number.isInteger(page) || page < 1)
		return cwError(400, 'InvalidObject', 'page must be 1 or more.');
	const sorted = orderBy
		? sortRows(rows, orderBy, fields)
		: [...rows].sort((a, b) => idOf(a) - idOf(b));
	const last = Math.max(1, Math.ceil(sorted.length / pageSize));
	const slice = sorted.slice((page - 1) * pageSize, page * pageSize);
	const links: string[] = [];
	if (page > 1) {
		links.push(`<${link({ page: '1', pageSize: String(pageSize) })}>; rel="first"`);
		links.push(
			`<${link({ page: String(Math.min(page - 1, last)), pageSize: String(pageSize) })}>; rel="prev"`,
		);
	}
	if (page < last) {
		links.push(`<${link({ page: String(page + 1), pageSize: String(pageSize) })}>; rel="next"`);
		links.push(`<${link({ page: String(last), pageSize: String(pageSize) })}>; rel="last"`);
	}
	return {
		status: 200,
		headers: links.length ? { Link: links.join(', ') } : {},
		body: slice.map((row) => project(row, request)),
	};
}

function sortRows(rows: object[], orderBy: string, fields: EntityFields): object[] | never {
	const keys = orderBy.split(',').map((part) => {
		const [field, direction = 'asc'] = part.trim().split(/\s+/);
		if (!fields.kind(field)) throw new ConditionsError(`Cannot find column "${field}" in orderBy.`);
		if (!/^(asc|desc)$/i.test(direction))
			throw new ConditionsError(`orderBy direction must be asc or desc, not "${direction}".`);
		return { field, descending: direction.toLowerCase() === 'desc' };
	});
	const value = (row: object, field: string) => {
		const found = fields.values(row, field)[0];
		return typeof found === 'string' ? found.toLowerCase() : found;
	};
	return [...rows].sort((a, b) => {
		for (const key of keys) {
			const x = value(a, key.field) as string | number | undefined;
			const y = value(b, key.field) as string | number | undefined;
			if (x === y) continue;
			if (x === undefined || x === null) return key.descending ? 1 : -1;
			if (y === undefined || y === null) return key.descending ? -1 : 1;
			const order = x < y ? -1 : 1;
			return key.descending ? -order : order;
		}
		return idOf(a) - idOf(b);
	});
}

/** `fields=id,firstName,company/id,communicationItems/value`: only those, nested as in the record. */
export function project(row: object, request: SandboxRequest): object {
	const fieldsText = param(request, 'fields');
	if (!fieldsText || !fieldsText.trim()) return clone(row);
	const out: Record<string, unknown> = {};
	for (const path of fieldsText
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean)) {
		copyPath(row as Record<string, unknown>, out, path.split('/'));
	}
	return out;
}

function copyPath(
	source: Record<string, unknown>,
	target: Record<string, unknown>,
	segments: string[],
): void {
	const [head, ...rest] = segments;
	const key = Object.keys(source).find((k) => k.toLowerCase() === head.toLowerCase());
	if (key === undefined) return;
	const value = source[key];
	if (!rest.length || value === null || typeof value !== 'object') {
		if (!rest.length) target[key] = clone(value);
		return;
	}
	if (Array.isArray(value)) {
		const existing = (Array.isArray(target[key]) ? target[key] : value.map(() => ({}))) as Array<
			Record<string, unknown>
		>;
		value.forEach((element, index) => {
			if (element && typeof element === 'object')
				copyPath(element as Record<string, unknown>, existing[index], rest);
		});
		target[key] = existing;
		return;
	}
	const nested = (target[key] && typeof target[key] === 'object' ? target[key] : {}) as Record<
		string,
		unknown
	>;
	copyPath(value as Record<string, unknown>, nested, rest);
	target[key] = nested;
}

function idOf(row: object): number {
	return Number((row as { id?: unknown }).id) || 0;
}
