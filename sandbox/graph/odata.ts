/** The OData query options of /users: $select, $filter, $orderby, $search, and paging tokens. */
import type { SandboxResponse } from '../core/types';
import { FilterSyntaxError, parseFilter, UnknownPropertyError } from './filter';
import type { FilterExpr } from './filter';
import { graphError } from './responses';
import {
	COLLECTION_PROPERTIES,
	DEFAULT_USER_PROPERTIES,
	SINGLE_USER_ONLY_PROPERTIES,
	USER_PROPERTIES,
} from './userProperties';
import type { GraphUser } from './userProperties';

export const MAX_TOP = 999;

export function parseSelect(
	text: string | null,
	collection: boolean,
): { properties: string[]; explicit: boolean } | { response: SandboxResponse } {
	if (text === null || text.trim() === '')
		return { properties: DEFAULT_USER_PROPERTIES, explicit: false };
	const properties: string[] = [];
	for (const raw of text.split(',')) {
		const name = raw.trim();
		if (!name) continue;
		if (SINGLE_USER_ONLY_PROPERTIES.some((p) => p.toLowerCase() === name.toLowerCase())) {
			if (collection) {
				return {
					response: graphError(
						501,
						'NotImplemented',
						`The property '${name}' does not support being selected on a collection of users. Read it for one user at a time.`,
					),
				};
			}
			properties.push(name);
			continue;
		}
		const known = USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
		if (!known) {
			return {
				response: graphError(
					400,
					'BadRequest',
					`Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.user'.`,
				),
			};
		}
		if (!properties.includes(known)) properties.push(known);
	}
	return { properties, explicit: true };
}

export function parseUserFilter(
	text: string,
): { expr: FilterExpr } | { response: SandboxResponse } {
	try {
		return {
			expr: parseFilter(text, (name) =>
				USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase()),
			),
		};
	} catch (error) {
		if (error instanceof UnknownPropertyError)
			return { response: graphError(400, 'BadRequest', error.message) };
		const detail = error instanceof FilterSyntaxError ? error.message : String(error);
		return { response: graphError(400, 'BadRequest', `Invalid filter clause: ${detail}`) };
	}
}

export function parseOrderBy(
	text: string | null,
): { property?: string; descending: boolean } | { response: SandboxResponse } {
	if (text === null || !text.trim()) return { descending: false };
	const match = /^\s*([A-Za-z]+)(\s+(asc|desc))?\s*$/i.exec(text);
	const property = match && USER_PROPERTIES.find((p) => p.toLowerCase() === match[1].toLowerCase());
	if (!match || !property)
		return { response: graphError(400, 'BadRequest', `Invalid $orderby: '${text}'.`) };
	return { property, descending: match[3]?.toLowerCase() === 'desc' };
}

/** `"displayName:ann" AND "mail:contoso"`: each quoted clause matches words that start with the value. */
export function searchUsers(
	users: GraphUser[],
	search: string,
): { users: GraphUser[] } | { response: SandboxResponse } {
	const clauses = [...search.matchAll(/"([A-Za-z]+):([^"]*)"/g)];
	if (!clauses.length) {
		return {
			response: graphError(
				400,
				'Request_BadRequest',
				'Syntax error: $search needs clauses like "displayName:value" in double quotes.',
			),
		};
	}
	const any = /"\s+OR\s+"/i.test(search);
	const matches = (user: GraphUser, property: string, value: string) => {
		const known = USER_PROPERTIES.find((p) => p.toLowerCase() === property.toLowerCase());
		const text = known ? String(user[known] ?? '').toLowerCase() : '';
		return text.split(/[\s@._-]+/).some((word) => word.startsWith(value.toLowerCase()));
	};
	return {
		users: users.filter((user) =>
			any
				? clauses.some((c) => matches(user, c[1], c[2]))
				: clauses.every((c) => matches(user, c[1], c[2])),
		),
	};
}

export function sortUsers(
	users: GraphUser[],
	property: string | undefined,
	descending: boolean,
): void {
	const key = (user: GraphUser) =>
		String(property ? (user[property] ?? '') : user.id).toLowerCase();
	users.sort((a, b) => {
		const order =
			key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
		return descending ? -order : order;
	});
}

/** The user as Graph returns it: the asked properties only; unset ones null (collections []). */
export function project(user: GraphUser, properties: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const property of properties) {
		const value = user[property];
		out[property] =
			value === undefined
				? COLLECTION_PROPERTIES.includes(property)
					? []
					: null
				: structuredClone(value);
	}
	return out;
}

export function selectSuffix(select: string[] | null): string {
	return select ? `?$select=${select.join(',')}` : '';
}

export function encodeToken(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string): T | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as T) : undefined;
	} catch {
		return undefined;
	}
}

/** A list's skip token: the tenant, the query (its filter, search, order, select) and the offset. */
interface PageToken {
	t: string;
	q: string;
	o: number;
}

/** Where a page of a list starts; a skip token of another tenant or query is refused, as Graph does. */
export function skipTokenOffset(
	query: URLSearchParams,
	tenantId: string,
	queryKey: string,
): { offset: number } | { response: SandboxResponse } {
	const skipToken = query.get('$skiptoken');
	if (skipToken === null) return { offset: 0 };
	const decoded = decodeToken<PageToken>(skipToken);
	if (!decoded || decoded.t !== tenantId || decoded.q !== queryKey || !Number.isInteger(decoded.o))
		return {
			response: graphError(
				400,
				'Request_BadRequest',
				'The specified page token value has expired or is not valid for this query.',
			),
		};
	return { offset: decoded.o };
}

/** The request's query for the page starting at `offset`, as an @odata.nextLink writes it. */
export function nextPageQuery(
	query: URLSearchParams,
	tenantId: string,
	queryKey: string,
	offset: number,
): string {
	const next = new URLSearchParams();
	for (const [key, value] of query) if (key.toLowerCase() !== '$skiptoken') next.append(key, value);
	const token: PageToken = { t: tenantId, q: queryKey, o: offset };
	next.append('$skiptoken', encodeToken(token));
	return encodeQuery(next);
}

/** Query strings as Graph writes them in links: %20 for spaces, `$` and `,` kept readable. */
export function encodeQuery(params: URLSearchParams): string {
	return [...params]
		.map(
			([key, value]) =>
				`${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(value).replace(/%2C/g, ',')}`,
		)
		.join('&');
}
