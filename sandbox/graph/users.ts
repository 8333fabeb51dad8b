/** GET /users (list, with the advanced-query rules) and GET /users/{id}. */
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { advancedQueryReason, evaluateFilter } from './filter';
import type { FilterExpr } from './filter';
import {
	MAX_TOP,
	nextPageQuery,
	parseOrderBy,
	parseSelect,
	parseUserFilter,
	project,
	searchUsers,
	skipTokenOffset,
	sortUsers,
} from './odata';
import { graphError, ok } from './responses';
import type { GraphState } from './state';
import { findUser } from './tenants';
import type { TenantState } from './tenants';

export function listUsers(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const query = request.query;
	const select = parseSelect(query.get('$select'), true);
	if ('response' in select) return select.response;

	const topText = query.get('$top');
	let top = graph.defaultPageSize;
	if (topText !== null) {
		top = Number(topText);
		if (!/^\d+$/.test(topText.trim()) || top < 1 || top > MAX_TOP) {
			return graphError(
				400,
				'Request_UnsupportedQuery',
				`Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`,
			);
		}
	}
	if (query.get('$expand')) {
		return graphError(
			400,
			'Request_BadRequest',
			'Expand is not supported with this query. Remove $expand.',
		);
	}

	const eventual = (request.headers.consistencylevel ?? '').trim().toLowerCase() === 'eventual';
	const countText = query.get('$count');
	const count = countText?.toLowerCase() === 'true';
	if (countText !== null && !['true', 'false'].includes(countText.toLowerCase())) {
		return graphError(
			400,
			'BadRequest',
			`Invalid value '${countText}' for $count; use true or false.`,
		);
	}
	if (count && !eventual)
		return graphError(400, 'Request_BadRequest', '$count is not currently supported.');

	const search = query.get('$search');
	if (search !== null && !eventual) {
		return graphError(
			400,
			'Request_UnsupportedQuery',
			"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
		);
	}

	const filterText = query.get('$filter');
	let filter: FilterExpr | undefined;
	if (filterText !== null && filterText.trim() !== '') {
		const parsed = parseUserFilter(filterText);
		if ('response' in parsed) return parsed.response;
		filter = parsed.expr;
		const advanced = advancedQueryReason(filter);
		if (advanced && !(eventual && count)) {
			if (advanced.operator === 'endsWith' && !eventual) {
				return graphError(
					400,
					'Request_UnsupportedQuery',
					"Operator 'endsWith' is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
				);
			}
			return graphError(
				400,
				'Request_UnsupportedQuery',
				`Unsupported or invalid query filter clause specified for property '${advanced.property}' of resource 'User'.`,
			);
		}
	}

	const orderBy = parseOrderBy(query.get('$orderby'));
	if ('response' in orderBy) return orderBy.response;
	if (orderBy.property && filter && !(eventual && count)) {
		return graphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
	}

	let matches = [...tenant.users.values()].map((entry) => entry.user);
	if (filter) matches = matches.filter((user) => evaluateFilter(filter!, user));
	if (search !== null) {
		const searched = searchUsers(matches, search);
		if ('response' in searched) return searched.response;
		matches = searched.users;
	}
	sortUsers(matches, orderBy.property, orderBy.descending);

	// Where this page starts: the skip token carries the tenant, the query and the offset.
	const queryKey = JSON.stringify([filterText ?? '', search ?? '', query.get('$orderby') ?? '']);
	const start = skipTokenOffset(query, tenant.id, queryKey);
	if ('response' in start) return start.response;
	const { offset } = start;

	const page = matches.slice(offset, offset + top);
	const body: Record<string, unknown> = {
		'@odata.context': `${origin}/v1.0/$metadata#users${select.explicit ? `(${select.properties.join(',')})` : ''}`,
	};
	if (count && query.get('$skiptoken') === null) body['@odata.count'] = matches.length;
	if (offset + top < matches.length) {
		body['@odata.nextLink'] =
			`${origin}/v1.0/users?${nextPageQuery(query, tenant.id, queryKey, offset + top)}`;
	}
	body.value = page.map((user) => project(user, select.properties));
	return ok(body);
}

export function getUser(
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const select = parseSelect(request.query.get('$select'), false);
	if ('response' in select) return select.response;
	const entry = findUser(tenant, request.params.id);
	if (!entry) {
		return graphError(
			404,
			'Request_ResourceNotFound',
			`Resource '${request.params.id}' does not exist or one of its queried reference-property objects are not present.`,
		);
	}
	return ok({
		'@odata.context': `${origin}/v1.0/$metadata#users${select.explicit ? `(${select.properties.join(',')})` : ''}/$entity`,
		...project(entry.user, select.properties),
	});
}
