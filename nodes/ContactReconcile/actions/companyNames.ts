import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CanonicalContact } from '../../../lib/contacts/canonical';
import { cleanText } from '../../../lib/contacts/normalize';
import { AutotaskClient } from '../../../lib/transport/autotask';
import { ConnectWiseClient, cw } from '../../../lib/transport/connectwise';
import type { TargetSystem } from '../../../lib/reconcile';
import { settle } from '../../../lib/util/settled';
import { createHttpClient } from '../../shared/n8nHttpAdapter';

const CREDENTIAL: Record<TargetSystem, string> = {
	autotask: 'autotaskApi',
	connectwise: 'connectWiseManageApi',
};

/**
 * The names of the companies a guard message may name: the picked company's (the picker kept
 * it), and, when the Target holds another company's contacts (a mistyped id) and the node has
 * the PSA's credential, every company involved, read from the PSA in one query. A failed read
 * only leaves the ids: the names are for the reader, never for a decision.
 */
export async function companyNames(
	ctx: IExecuteFunctions,
	targetSystem: TargetSystem,
	companyId: string,
	target: readonly CanonicalContact[],
): Promise<Record<string, string>> {
	const names: Record<string, string> = {};
	const picked = ctx.getNodeParameter('companyId', 0, '') as IDataObject | string;
	const cached = typeof picked === 'object' ? cleanText(picked.cachedResultName) : '';
	// The pickers show "Name (id or identifier)": the name is what comes before.
	if (companyId && cached) names[companyId] = cached.replace(/\s*\([^()]*\)$/, '');

	const others = new Set<string>();
	for (const contact of target) {
		if (contact.companyId === companyId) return names;
		if (contact.companyId) others.add(contact.companyId);
	}
	if (!others.size || !ctx.getNode().credentials?.[CREDENTIAL[targetSystem]]) return names;
	const ids = [companyId, ...[...others].slice(0, 3)]
		.map(Number)
		.filter((id) => Number.isSafeInteger(id) && id > 0);
	const read = await settle(readNames(ctx, targetSystem, ids));
	if (read.ok) for (const [id, name] of read.value) names[id] ??= name;
	return names;
}

async function readNames(
	ctx: IExecuteFunctions,
	targetSystem: TargetSystem,
	ids: number[],
): Promise<Array<[string, string]>> {
	const http = createHttpClient(ctx, CREDENTIAL[targetSystem]);
	if (targetSystem === 'autotask') {
		const rows = await new AutotaskClient(http).query<{ id: number; companyName?: string }>(
			'Companies',
			{ filter: [{ op: 'in', field: 'id', value: ids }], includeFields: ['companyName'] },
		);
		return rows.map((row) => [String(row.id), cleanText(row.companyName)]);
	}
	const rows = await new ConnectWiseClient(http).list<{ id: number; name?: string }>(
		'/company/companies',
		{ conditions: cw.in('id', ids), fields: ['id', 'name'] },
	);
	return rows.map((row) => [String(row.id), cleanText(row.name)]);
}
