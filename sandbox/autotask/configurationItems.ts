/**
 * Configuration items: POST, PATCH and PUT /ConfigurationItems (no DELETE: Autotask has none).
 * The rules of the vendor's ConfigurationItems entity page: `companyID` cannot be changed ("Any
 * companyID value provided on update is ignored"), `isActive` is a boolean; and this sandbox's
 * readings, marked [U]: the product must exist and be active, a contract must be the item's
 * company's, a contract service or bundle must be of the item's contract, and UDFs must be ones
 * the tenant defines.
 */
import { entityByRoute } from './fields';
import { ok } from './gate';
import type { AddRoute } from './gate';
import { invalid } from './query';
import type { Actor, AutotaskState, Row } from './state';
import {
	changesOf,
	checkReferences,
	checkRequired,
	creator,
	existingFor,
	merge,
	mergeUdfs,
	nextId,
	replaceRow,
	stamp,
} from './writes';

const items = () => entityByRoute('ConfigurationItems')!;

export function addConfigurationItemRoutes(add: AddRoute, state: AutotaskState): void {
	const entity = items();
	add('POST', '/ConfigurationItems', { entity, action: 'create' }, ({ request, actor }) =>
		ok({ itemId: createConfigurationItem(state, request.body, actor) }),
	);
	add('PATCH', '/ConfigurationItems', { entity, action: 'update' }, ({ request, actor }) =>
		ok({ itemId: updateConfigurationItem(state, request.body, 'patch', actor) }),
	);
	add('PUT', '/ConfigurationItems', { entity, action: 'update' }, ({ request, actor }) =>
		ok({ itemId: updateConfigurationItem(state, request.body, 'put', actor) }),
	);
}

/** POST /ConfigurationItems */
export function createConfigurationItem(state: AutotaskState, body: unknown, actor: Actor): number {
	const entity = items();
	const { changes, udfs } = changesOf(state, entity, body);
	const row: Row = { ...changes };
	checkRequired(state, entity, row);
	checkItem(state, row, Object.keys(changes), udfs);
	const now = stamp(state);
	row.id = nextId(state, entity);
	row.createDate = now;
	row.lastModifiedTime = now;
	row.createdByPersonID = creator(actor); // [U] the API user's resource, or the impersonated one
	row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
	row.userDefinedFields = mergeUdfs(
		state.udfNames(entity).map((name) => ({ name, value: null })),
		udfs ?? [],
	);
	state.configurationItems.push(row);
	return row.id as number;
}

/** PATCH (only the fields sent change) or PUT of an item; its company never changes. */
export function updateConfigurationItem(
	state: AutotaskState,
	body: unknown,
	mode: 'patch' | 'put',
	actor: Actor,
): number {
	const entity = items();
	const existing = existingFor(state, entity, body);
	const { changes, udfs } = changesOf(state, entity, body);
	delete changes.companyID;
	const row = merge(state, entity, existing, changes, mode);
	row.companyID = existing.companyID;
	checkRequired(state, entity, row, mode === 'patch' ? Object.keys(changes) : undefined);
	checkItem(state, row, Object.keys(changes), udfs);
	row.lastModifiedTime = stamp(state);
	row.lastActivityPersonID = creator(actor);
	if (udfs) row.userDefinedFields = mergeUdfs(existing.userDefinedFields, udfs);
	replaceRow(existing, row);
	return existing.id as number;
}

function checkItem(
	state: AutotaskState,
	row: Row,
	changed: string[],
	udfs: Array<{ name: string; value: string | null }> | undefined,
): void {
	const entity = items();
	checkReferences(state, entity, row, changed);
	const find = (route: string, id: unknown) =>
		id === null || id === undefined ? undefined : state.find(entityByRoute(route)!, id);
	if (changed.includes('productID')) {
		const product = find('Products', row.productID);
		if (!product || product.isActive === false)
			throw invalid(`productID: Value ${String(row.productID)} does not exist or is invalid.`);
	}
	if (changed.includes('contractID') && row.contractID !== null && row.contractID !== undefined) {
		const contract = find('Contracts', row.contractID);
		if (!contract || Number(contract.companyID) !== Number(row.companyID))
			throw invalid(
				`contractID: Value ${String(row.contractID)} does not exist or does not belong to company ${String(row.companyID)}.`,
			);
	}
	for (const [field, route] of [
		['contractServiceID', 'ContractServices'],
		['contractServiceBundleID', 'ContractServiceBundles'],
	] as const) {
		if (!changed.includes(field) || row[field] === null || row[field] === undefined) continue;
		const child = find(route, row[field]);
		if (!child || Number(child.contractID) !== Number(row.contractID))
			throw invalid(
				`${field}: Value ${String(row[field])} does not exist or does not belong to contract ${String(row.contractID)}.`,
			);
	}
	const defined = new Set(state.udfNames(entity).map((name) => name.toLowerCase()));
	for (const udf of udfs ?? []) {
		if (!defined.has(udf.name.toLowerCase()))
			throw invalid(`Unable to find ${udf.name} in the ${entity.name} Entity.`);
	}
}
