/**
 * The directory beyond users: `GET /organization` (the token's tenant: its display name and
 * verified domains), and the partner's GDAP lists `GET /tenantRelationships/delegatedAdminCustomers`
 * and `/delegatedAdminRelationships` (Microsoft Graph's "List delegatedAdminCustomers" and "List
 * delegatedAdminRelationships"), each with `/{id}`.
 *
 * GDAP: the partner is the tenant the seed flags as the MSP's own (`_sandbox.partner`); its
 * relationships are those its customers' seed records carry. A customer appears in
 * delegatedAdminCustomers while it has an active relationship ("deleted when no active
 * relationship remains"); its `id` is its tenant id. Any other tenant's token lists nothing.
 * `$top` at most 300, `@odata.nextLink` paging, `$select`, and `$filter` in the forms
 * `status eq 'active'` and `customer/tenantId eq '<id>'` (joined with `and`). [U] The default page
 * size (100), that 'expiring' counts as active, and the refusals' wording.
 */
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { nextPageQuery, skipTokenOffset } from './odata';
import { graphError, ok } from './responses';
import type { GraphState } from './state';
import type { TenantState } from './tenants';

type Row = Record<string, unknown>;

const MAX_TOP = 300;
const DEFAULT_TOP = 100;
const ACTIVE = new Set(['active', 'expiring']);

/** GET /organization: one organization, the token's tenant. */
export function listOrganization(
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const select = selected(request, ORGANIZATION_PROPERTIES, 'organization');
	if ('response' in select) return select.response;
	return ok({
		'@odata.context': `${origin}/v1.0/$metadata#organization${select.explicit ? `(${select.names.join(',')})` : ''}`,
		value: [project(organization(tenant), select.names)],
	});
}

/** GET /organization/{id}: the token's own tenant only. */
export function getOrganization(
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	if (request.params.id.toLowerCase() !== tenant.id) return notFound(request.params.id);
	const select = selected(request, ORGANIZATION_PROPERTIES, 'organization');
	if ('response' in select) return select.response;
	return ok({
		'@odata.context': `${origin}/v1.0/$metadata#organization/$entity`,
		...project(organization(tenant), select.names),
	});
}

function organization(tenant: TenantState): Row {
	return {
		id: tenant.id,
		deletedDateTime: null,
		businessPhones: [],
		city: null,
		country: null,
		countryLetterCode: null,
		createdDateTime: null,
		defaultUsageLocation: null,
		displayName: tenant.displayName,
		tenantType: 'AAD',
		verifiedDomains: tenant.verifiedDomains.map((domain) => ({
			capabilities: domain.capabilities,
			isDefault: domain.isDefault,
			isInitial: domain.isInitial,
			name: domain.name,
			type: domain.type,
		})),
	};
}

const ORGANIZATION_PROPERTIES = Object.keys(
	organization({
		id: '',
		displayName: '',
		verifiedDomains: [],
	} as unknown as TenantState),
);

/** The partner's relationships (customer filled in), oldest first; none for any other tenant. */
export function relationshipsOf(graph: GraphState, tenant: TenantState): Row[] {
	if (!tenant.partner) return [];
	return [...graph.tenants.values()]
		.filter((customer) => customer !== tenant)
		.flatMap((customer) =>
			customer.relationships.map(
				(relationship): Row => ({
					...structuredClone(relationship),
					customer: { displayName: customer.displayName, tenantId: customer.id },
				}),
			),
		)
		.sort(
			(a, b) =>
				String(a.createdDateTime ?? '').localeCompare(String(b.createdDateTime ?? '')) ||
				String(a.id).localeCompare(String(b.id)),
		);
}

/** The partner's customers: tenants with an active relationship, one entry each. */
export function customersOf(graph: GraphState, tenant: TenantState): Row[] {
	const seen = new Map<string, Row>();
	for (const relationship of relationshipsOf(graph, tenant)) {
		const customer = relationship.customer as { tenantId: string; displayName: string };
		if (!ACTIVE.has(String(relationship.status)) || seen.has(customer.tenantId)) continue;
		seen.set(customer.tenantId, {
			id: customer.tenantId,
			displayName: customer.displayName,
			tenantId: customer.tenantId,
		});
	}
	return [...seen.values()];
}

const RELATIONSHIP_PROPERTIES = [
	'id',
	'accessDetails',
	'activatedDateTime',
	'autoExtendDuration',
	'createdDateTime',
	'customer',
	'displayName',
	'duration',
	'endDateTime',
	'lastModifiedDateTime',
	'status',
];
const CUSTOMER_PROPERTIES = ['id', 'displayName', 'tenantId'];

export function listRelationships(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	return page(request, origin, tenant, {
		context: 'tenantRelationships/delegatedAdminRelationships',
		path: '/v1.0/tenantRelationships/delegatedAdminRelationships',
		rows: relationshipsOf(graph, tenant),
		properties: RELATIONSHIP_PROPERTIES,
		filters: {
			status: (row) => row.status,
			'customer/tenantId': (row) => (row.customer as Row).tenantId,
			displayName: (row) => row.displayName,
		},
	});
}

export function listCustomers(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	return page(request, origin, tenant, {
		context: 'tenantRelationships/delegatedAdminCustomers',
		path: '/v1.0/tenantRelationships/delegatedAdminCustomers',
		rows: customersOf(graph, tenant),
		properties: CUSTOMER_PROPERTIES,
		filters: { tenantId: (row) => row.tenantId, displayName: (row) => row.displayName },
	});
}

export function getRelationship(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const found = relationshipsOf(graph, tenant).find((row) => row.id === request.params.id);
	return found
		? entity(found, 'tenantRelationships/delegatedAdminRelationships', origin)
		: notFound(request.params.id);
}

export function getCustomer(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const found = customersOf(graph, tenant).find(
		(row) => String(row.id) === request.params.id.toLowerCase(),
	);
	return found
		? entity(found, 'tenantRelationships/delegatedAdminCustomers', origin)
		: notFound(request.params.id);
}

function entity(row: Row, context: string, origin: string): SandboxResponse {
	return ok({ '@odata.context': `${origin}/v1.0/$metadata#${context}/$entity`, ...row });
}

function notFound(id: string): SandboxResponse {
	return graphError(
		404,
		'Request_ResourceNotFound',
		`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
	);
}

interface PageSpec {
	context: string;
	path: string;
	rows: Row[];
	properties: string[];
	filters: Record<string, (row: Row) => unknown>;
}

function page(
	request: SandboxRequest,
	origin: string,
	tenant: TenantState,
	spec: PageSpec,
): SandboxResponse {
	const query = request.query;
	const topText = query.get('$top');
	const top = topText === null ? DEFAULT_TOP : Number(topText);
	if (topText !== null && (!/^\d+$/.test(topText.trim()) || top < 1 || top > MAX_TOP))
		return graphError(
			400,
			'BadRequest',
			`Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`,
		);
	const select = selected(request, spec.properties, spec.context);
	if ('response' in select) return select.response;

	let rows = spec.rows;
	const filterText = query.get('$filter');
	if (filterText !== null && filterText.trim()) {
		for (const clause of filterText.split(/\s+and\s+/i)) {
			const match = /^\s*([A-Za-z/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
			const field =
				match &&
				Object.keys(spec.filters).find((name) => name.toLowerCase() === match[1].toLowerCase());
			if (!match || !field)
				return graphError(
					400,
					'BadRequest',
					`Invalid filter clause: '${clause.trim()}'. Supported: ${Object.keys(spec.filters)
						.map((name) => `${name} eq '...'`)
						.join(', ')}.`,
				);
			const wanted = match[2].replace(/''/g, "'").toLowerCase();
			rows = rows.filter((row) => String(spec.filters[field](row) ?? '').toLowerCase() === wanted);
		}
	}

	const queryKey = JSON.stringify([filterText ?? '', query.get('$select') ?? '']);
	const start = skipTokenOffset(query, tenant.id, queryKey);
	if ('response' in start) return start.response;
	const { offset } = start;
	const body: Row = {
		'@odata.context': `${origin}/v1.0/$metadata#${spec.context}${select.explicit ? `(${select.names.join(',')})` : ''}`,
		value: rows.slice(offset, offset + top).map((row) => project(row, select.names)),
	};
	if (offset + top < rows.length) {
		body['@odata.nextLink'] =
			`${origin}${spec.path}?${nextPageQuery(query, tenant.id, queryKey, offset + top)}`;
	}
	return ok(body);
}

function selected(
	request: SandboxRequest,
	properties: string[],
	type: string,
): { names: string[]; explicit: boolean } | { response: SandboxResponse } {
	const text = request.query.get('$select');
	if (text === null || !text.trim()) return { names: properties, explicit: false };
	const names: string[] = [];
	for (const raw of text.split(',')) {
		const name = raw.trim();
		if (!name) continue;
		const known = properties.find((property) => property.toLowerCase() === name.toLowerCase());
		if (!known)
			return {
				response: graphError(
					400,
					'BadRequest',
					`Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.${type.split('/').pop()!.replace(/s$/, '')}'.`,
				),
			};
		if (!names.includes(known)) names.push(known);
	}
	if (!names.includes('id')) names.unshift('id');
	return { names, explicit: true };
}

function project(row: Row, names: string[]): Row {
	const out: Row = {};
	for (const name of names) if (name in row) out[name] = structuredClone(row[name]);
	return out;
}
