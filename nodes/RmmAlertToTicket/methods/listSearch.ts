import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KEY_PREFIX, parseAlertKey } from '../../../lib/alerts/key';
import { autotaskClient } from '../clients';

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
