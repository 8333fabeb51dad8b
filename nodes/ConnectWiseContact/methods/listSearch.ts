import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { CONNECTWISE_CONTACT_PATH, primaryEmail } from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact as ContactRecord } from '../../../lib/contacts/connectwise';
import { cleanText } from '../../../lib/contacts/normalize';
import { cw } from '../../../lib/transport/connectwise';
import { connectWiseClient } from '../clients';

const PICKER_PAGE_SIZE = 50;

interface PickerQuery {
	conditions?: string;
	childConditions?: string;
	fields: string[];
	orderBy: string;
}

/** One page of a picker: n8n hands back the next page number as the pagination token. */
async function pickerPage<T>(
	ctx: ILoadOptionsFunctions,
	path: string,
	query: PickerQuery,
	paginationToken: string | undefined,
	toResult: (row: T) => INodeListSearchResult['results'][number],
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const { client } = connectWiseClient(ctx);
	const result = await client.page<T>(path, { ...query, page, pageSize: PICKER_PAGE_SIZE });
	return {
		results: result.items.map(toResult),
		paginationToken: result.hasMore ? String(page + 1) : undefined,
	};
}

/** Companies whose name or identifier contains the text, by name, paged. */
export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = cleanText(filter);
	const conditions = text
		? cw.or(cw.contains('name', text), cw.contains('identifier', text))
		: undefined;
	return await pickerPage<{ id: number; identifier: string; name: string }>(
		this,
		'/company/companies',
		{ conditions, fields: ['id', 'identifier', 'name'], orderBy: 'name asc' },
		paginationToken,
		(company) => ({ name: `${company.name} (${company.identifier})`, value: String(company.id) }),
	);
}

/** Contacts by name words, or by an address fragment (text with an @), paged. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = cleanText(filter);
	const byAddress = text.includes('@');
	const words = byAddress ? [] : text.split(' ').filter(Boolean);
	const conditions = cw.and(
		...words.map((word) => cw.or(cw.contains('firstName', word), cw.contains('lastName', word))),
	);
	return await pickerPage<ContactRecord>(
		this,
		CONNECTWISE_CONTACT_PATH,
		{
			conditions: conditions || undefined,
			childConditions: byAddress ? cw.contains('communicationItems/value', text) : undefined,
			fields: ['id', 'firstName', 'lastName', 'inactiveFlag', 'company', 'communicationItems'],
			orderBy: 'lastName asc, firstName asc',
		},
		paginationToken,
		(contact) => {
			const name =
				[cleanText(contact.firstName), cleanText(contact.lastName)].filter(Boolean).join(' ') ||
				`#${contact.id}`;
			const details = [
				primaryEmail(contact),
				contact.company?.name,
				contact.inactiveFlag === true ? 'inactive' : '',
			]
				.filter(Boolean)
				.join(', ');
			return { name: details ? `${name} (${details})` : name, value: String(contact.id) };
		},
	);
}
