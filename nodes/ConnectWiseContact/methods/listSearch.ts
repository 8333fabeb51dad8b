import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { CONNECTWISE_CONTACT_PATH, primaryEmail } from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact as ContactRecord } from '../../../lib/contacts/connectwise';
import { cleanText } from '../../../lib/contacts/normalize';
import { cw } from '../../../lib/transport/connectwise';
import { connectwisePickerPage as pickerPage } from '../../shared/methods/connectwisePickerPage';

export { searchConnectWiseCompanies as searchCompanies } from '../../shared/methods/connectwiseCompanies';

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
