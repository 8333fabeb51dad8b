import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { cleanText } from '../../../lib/contacts/normalize';
import type { AutotaskFilter } from '../../../lib/transport/autotask';
import { autotaskPickerPage } from './autotaskPickerPage';

/**
 * The Autotask company picker of every node: active companies whose name contains the search
 * text, 50 a page, sorted by name within the page, paged over Autotask's next-page links.
 */
export async function searchAutotaskCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = cleanText(filter);
	const conditions: AutotaskFilter[] = [{ op: 'eq', field: 'isActive', value: true }];
	if (text) conditions.push({ op: 'contains', field: 'companyName', value: text });
	const page = await autotaskPickerPage<{ id: number; companyName?: string }>(
		this,
		'Companies',
		conditions,
		['id', 'companyName'],
		paginationToken,
	);
	return {
		results: page.items
			.map((company) => ({
				name: `${String(company.companyName || company.id)} (${company.id})`,
				value: String(company.id),
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
		paginationToken: page.next,
	};
}
