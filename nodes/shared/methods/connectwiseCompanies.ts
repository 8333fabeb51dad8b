import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { cleanText } from '../../../lib/contacts/normalize';
import { cw } from '../../../lib/transport/connectwise';
import { connectwisePickerPage } from './connectwisePickerPage';

/** The ConnectWise company picker of every node: name or identifier contains the text, by name, paged. */
export async function searchConnectWiseCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = cleanText(filter);
	const conditions = text
		? cw.or(cw.contains('name', text), cw.contains('identifier', text))
		: undefined;
	return await connectwisePickerPage<{ id: number; identifier: string; name: string }>(
		this,
		'/company/companies',
		{ conditions, fields: ['id', 'identifier', 'name'], orderBy: 'name asc' },
		paginationToken,
		(company) => ({ name: `${company.name} (${company.identifier})`, value: String(company.id) }),
	);
}
