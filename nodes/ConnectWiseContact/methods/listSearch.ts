import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	CONNECTWISE_CONTACT_PATH,
	connectWiseToCanonical,
} from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact as ContactRecord } from '../../../lib/contacts/connectwise';
import { cleanText } from '../../../lib/contacts/normalize';
import { cw } from '../../../lib/transport/connectwise';
import { connectWiseClient } from '../clients';

const PICKER_PAGE_SIZE = 50;

/** Companies whose name or identifier contains the text, by name, paged. */
export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client } = connectWiseClient(this);
	const page = Number(paginationToken) || 1;
	const text = cleanText(filter);
	const result = await client.page<{ id: number; identifier: string; name: string }>(
		'/company/companies',
		{
			conditions: text
				? cw.or(cw.contains('name', text), cw.contains('identifier', text))
				: undefined,
			fields: ['id', 'identifier', 'name'],
			orderBy: 'name asc',
			page,
			pageSize: PICKER_PAGE_SIZE,
		},
	);
	return {
		results: result.items.map((company) => ({
			name: `${company.name} (${company.identifier})`,
			value: String(company.id),
		})),
		paginationToken: result.hasMore ? String(page + 1) : undefined,
	};
}

/** Contacts by name words, or by an address fragment (text with an @), paged. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client } = connectWiseClient(this);
	const page = Number(paginationToken) || 1;
	const text = cleanText(filter);
	const byAddress = text.includes('@');
	const words = byAddress ? [] : text.split(' ').filter(Boolean);
	const result = await client.page<ContactRecord>(CONNECTWISE_CONTACT_PATH, {
		conditions:
			cw.and(
				...words.map((word) =>
					cw.or(cw.contains('firstName', word), cw.contains('lastName', word)),
				),
			) || undefined,
		childConditions: byAddress ? cw.contains('communicationItems/value', text) : undefined,
		fields: ['id', 'firstName', 'lastName', 'inactiveFlag', 'company', 'communicationItems'],
		orderBy: 'lastName asc, firstName asc',
		page,
		pageSize: PICKER_PAGE_SIZE,
	});
	return {
		results: result.items.map((contact) => {
			const canonical = connectWiseToCanonical(contact);
			const name =
				[canonical.firstName, canonical.lastName].filter(Boolean).join(' ') || `#${contact.id}`;
			const details = [canonical.email, contact.company?.name, canonical.active ? '' : 'inactive']
				.filter(Boolean)
				.join(', ');
			return { name: details ? `${name} (${details})` : name, value: String(contact.id) };
		}),
		paginationToken: result.hasMore ? String(page + 1) : undefined,
	};
}
