import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { AutotaskContact } from '../../../lib/contacts/autotask';
import { cleanText } from '../../../lib/contacts/normalize';
import type { AutotaskFilter } from '../../../lib/transport/autotask';
import { autotaskPickerPage } from '../../shared/methods/autotaskPickerPage';

/** The Autotask company picker every node shares (paged, active companies by name). */
export { searchAutotaskCompanies as searchCompanies } from '../../shared/methods/autotaskCompanies';

/** Contacts whose first name, last name or address contains the text, paged. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await autotaskPickerPage<AutotaskContact>(
		this,
		'Contacts',
		contactSearch(cleanText(filter)),
		['id', 'firstName', 'lastName', 'emailAddress'],
		paginationToken,
	);
	return {
		results: page.items.map((contact) => ({
			name: `${cleanText(`${contact.firstName ?? ''} ${contact.lastName ?? ''}`)}${contact.emailAddress ? ` (${contact.emailAddress})` : ''}`,
			value: String(contact.id),
		})),
		paginationToken: page.next,
	};
}

/** Contacts whose first name, last name or address contains `text`; every contact without one. */
function contactSearch(text: string): AutotaskFilter[] {
	if (!text) return [{ op: 'exist', field: 'id' }];
	const fields = ['firstName', 'lastName', 'emailAddress'];
	return [{ op: 'or', items: fields.map((field) => ({ op: 'contains', field, value: text })) }];
}
