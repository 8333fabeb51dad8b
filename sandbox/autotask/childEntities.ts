/**
 * Entities Autotask reads and writes through their parent's URL: Companies/{parentId}/Contacts
 * and Tickets/{parentId}/Notes. Both answer the same routes the same way; only the rows, the
 * field naming the parent and the write rules differ.
 */
import type { SandboxRequest } from '../core/types';
import type { EntityDefinition } from './fieldInfo';
import { ok } from './gate';
import type { AddRoute } from './gate';
import { AutotaskFault } from './query';
import type { Actor, AutotaskState } from './state';

export interface ChildEntity {
	/** The URL below the API prefix, e.g. '/Companies/{parentId}/Contacts'. */
	path: string;
	entity: EntityDefinition;
	/** The child's field holding its parent's id, e.g. 'companyID'. */
	parentKey: string;
	writes: ChildWrites;
}

/** The write rules of a child entity, each given the parent id from the URL. */
export interface ChildWrites {
	create: (state: AutotaskState, parentId: string, body: unknown, actor: Actor) => number;
	update: (
		state: AutotaskState,
		parentId: string,
		body: unknown,
		mode: 'patch' | 'put',
		actor: Actor,
	) => number;
	/** Absent where Autotask has no DELETE for the child (ticket notes). */
	delete?: (state: AutotaskState, parentId: string, id: string) => number;
}

/** Registers a child entity's fields, list, get by id, POST, PATCH, PUT and (if any) DELETE. */
export function addChildEntityRoutes(
	add: AddRoute,
	state: AutotaskState,
	child: ChildEntity,
): void {
	const { path, entity, parentKey, writes } = child;
	const read = { entity, action: 'query' as const };
	const update = { entity, action: 'update' as const };

	add('GET', `${path}/entityInformation/fields`, {}, () => ok({ fields: state.fields(entity) }));
	add('GET', path, read, ({ request, user }) => {
		const parentId = numericParent(request);
		const rows = state
			.rows(entity)
			.filter((row) => Number(row[parentKey]) === Number(parentId))
			.sort((a, b) => Number(a.id) - Number(b.id));
		return ok({
			items: rows.map((row) => state.present(entity, row, user)),
			pageDetails: {
				count: rows.length,
				requestCount: 500,
				prevPageUrl: null,
				nextPageUrl: null,
			},
		});
	});
	add('GET', `${path}/{id}`, read, ({ request, user }) => {
		// The id is looked up before the parent is checked: an unknown id is a 404 by name.
		const row = state.find(entity, request.params.id);
		if (!row || Number(row[parentKey]) !== Number(numericParent(request))) {
			throw new AutotaskFault(404, [`No ${entity.name} with id ${request.params.id} was found.`]);
		}
		return ok({ item: state.present(entity, row, user) });
	});
	add('POST', path, { entity, action: 'create' }, ({ request, actor }) =>
		ok({ itemId: writes.create(state, numericParent(request), request.body, actor) }),
	);
	add('PATCH', path, update, ({ request, actor }) =>
		ok({ itemId: writes.update(state, numericParent(request), request.body, 'patch', actor) }),
	);
	add('PUT', path, update, ({ request, actor }) =>
		ok({ itemId: writes.update(state, numericParent(request), request.body, 'put', actor) }),
	);
	const remove = writes.delete;
	if (remove) {
		add('DELETE', `${path}/{id}`, { entity, action: 'delete' }, ({ request }) =>
			ok({ itemId: remove(state, numericParent(request), request.params.id) }),
		);
	}
}

/** A parent id that is not a number matches no route in Autotask's IIS. */
function numericParent(request: SandboxRequest): string {
	if (!/^\d+$/.test(request.params.parentId))
		throw new AutotaskFault(404, [
			`No HTTP resource was found that matches the request URI '${request.origin}${request.path}'.`,
		]);
	return request.params.parentId;
}
