/** GET /users/delta: nextLink pages, a deltaLink, @removed entries, 410 for an expired link. */
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { decodeToken, encodeToken, parseSelect, project, selectSuffix } from './odata';
import { graphError, ok } from './responses';
import type { GraphState } from './state';
import type { TenantState } from './tenants';
import { DEFAULT_USER_PROPERTIES } from './userProperties';

export function usersDelta(
	graph: GraphState,
	tenant: TenantState,
	request: SandboxRequest,
	origin: string,
): SandboxResponse {
	const query = request.query;
	const base = `${origin}/v1.0/users/delta()`;
	const deltaToken = query.get('$deltatoken') ?? query.get('$deltaToken');
	const skipToken = query.get('$skiptoken');

	interface DeltaState {
		t: string;
		e: number;
		s: string[] | null;
		/** Changes after this version are reported (0 = the initial full read). */
		f: number;
		/** The version this round started at: the next delta link's starting point. */
		v: number;
		/** Last id returned in this round. */
		a?: string;
		initial: boolean;
	}

	let round: DeltaState;
	if (skipToken !== null || (deltaToken !== null && deltaToken !== 'latest')) {
		const decoded = decodeToken<DeltaState>((skipToken ?? deltaToken)!);
		if (!decoded || typeof decoded.t !== 'string' || typeof decoded.v !== 'number') {
			return graphError(400, 'Request_BadRequest', 'The delta token or skip token is not valid.');
		}
		if (decoded.t !== tenant.id) {
			return graphError(
				400,
				'Request_BadRequest',
				'The delta token was issued for another tenant and is not valid here.',
			);
		}
		if (decoded.e !== tenant.deltaEpoch) {
			const response = graphError(
				410,
				tenant.deltaExpiryCode,
				tenant.deltaExpiryCode === 'resyncRequired'
					? 'Resync required. Replace any local cached copies of the directory objects with the result of a full delta query.'
					: 'The sync state generation is not found or has expired. Start a new round of synchronization without a delta token.',
			);
			response.headers = { ...response.headers, Location: `${base}${selectSuffix(decoded.s)}` };
			return response;
		}
		round =
			skipToken !== null
				? decoded
				: { ...decoded, f: decoded.v, v: tenant.version, a: undefined, initial: false };
	} else {
		const select = parseSelect(query.get('$select'), true);
		if ('response' in select) return select.response;
		const filterText = query.get('$filter');
		if (filterText && !/^\s*id\s+eq\s+'[^']*'(\s+or\s+id\s+eq\s+'[^']*')*\s*$/i.test(filterText)) {
			return graphError(
				400,
				'Request_UnsupportedQuery',
				"Unsupported query. Delta query on users only supports filtering by id (id eq '...').",
			);
		}
		const state: DeltaState = {
			t: tenant.id,
			e: tenant.deltaEpoch,
			s: select.explicit ? select.properties : null,
			f: 0,
			v: tenant.version,
			initial: true,
		};
		if (deltaToken === 'latest') {
			return ok({
				'@odata.context': `${origin}/v1.0/$metadata#users`,
				'@odata.deltaLink': `${base}?$deltatoken=${encodeToken(state)}`,
				value: [],
			});
		}
		round = state;
	}

	const select = round.s ?? DEFAULT_USER_PROPERTIES;
	type Entry = { id: string; item: Record<string, unknown> };
	const entries: Entry[] = [];
	for (const { user, version } of tenant.users.values()) {
		if (round.initial || version > round.f)
			entries.push({ id: user.id, item: project(user, select) });
	}
	if (!round.initial) {
		const removed = new Map<string, Entry>();
		for (const removal of tenant.removals) {
			if (removal.version <= round.f || tenant.users.has(removal.id)) continue;
			removed.set(removal.id, {
				id: removal.id,
				item: { id: removal.id, '@removed': { reason: removal.reason } },
			});
		}
		entries.push(...removed.values());
	}
	entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const remaining =
		round.a === undefined ? entries : entries.filter((entry) => entry.id > round.a!);
	const page = remaining.slice(0, graph.deltaPageSize);
	const body: Record<string, unknown> = {
		'@odata.context': `${origin}/v1.0/$metadata#users${round.s ? `(${round.s.join(',')})` : ''}`,
	};
	if (remaining.length > page.length) {
		body['@odata.nextLink'] =
			`${base}?$skiptoken=${encodeToken({ ...round, a: page[page.length - 1].id })}`;
	} else {
		body['@odata.deltaLink'] =
			`${base}?$deltatoken=${encodeToken({ ...round, f: round.v, a: undefined, initial: false })}`;
	}
	body.value = page.map((entry) => entry.item);
	return ok(body);
}
