import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KEY_PREFIX, parseAlertKey } from '../../../lib/alerts/key';
import { autotaskClient, dattoClient } from '../clients';

/** The Autotask company picker every node shares (paged, active companies by name). */
export { searchAutotaskCompanies as searchCompanies } from '../../shared/methods/autotaskCompanies';

/** Tickets this node opened (they carry an alert key), newest first, by title or number. */
export async function searchAlertTickets(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const rows = await autotaskClient(this).query<{
		id: number;
		ticketNumber?: string;
		title?: string;
		externalID?: string;
	}>('Tickets', {
		filter: [
			{ op: 'beginsWith', field: 'externalID', value: KEY_PREFIX },
			...(text
				? [
						{
							op: 'or',
							items: [
								{ op: 'contains', field: 'title', value: text },
								{ op: 'beginsWith', field: 'ticketNumber', value: text },
							],
						},
					]
				: []),
		],
		includeFields: ['id', 'ticketNumber', 'title', 'externalID'],
		limit: 100,
	});
	return {
		results: rows
			.filter((row) => parseAlertKey(row.externalID))
			.sort((a, b) => b.id - a.id)
			.map((row) => ({
				name: `${row.ticketNumber ?? row.id}: ${row.title ?? ''}`,
				value: String(row.id),
			})),
	};
}

/**
 * Datto RMM sites whose name (or UID) contains the text, by name; each says which Autotask
 * company Datto maps it to. Datto lists an account's sites in one read.
 */
export async function searchDattoSites(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim().toLowerCase();
	const sites = await dattoClient(this).listSites();
	return {
		results: sites
			.filter(
				(site) =>
					!text ||
					(site.name ?? '').toLowerCase().includes(text) ||
					site.uid.toLowerCase().includes(text),
			)
			.map((site) => ({
				name: `${site.name ?? site.uid}${site.autotaskCompanyName ? ` (Autotask: ${site.autotaskCompanyName})` : ''}`,
				value: site.uid,
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}
