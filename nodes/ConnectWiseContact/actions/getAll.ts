import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	CONNECTWISE_CONTACT_PATH,
	CONNECTWISE_CONTACT_LIMITS,
	connectWiseToCanonical,
	NO_COMMUNICATION_TYPES,
} from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact } from '../../../lib/contacts/connectwise';
import { contactConditions } from '../../../lib/contacts/connectwiseInput';
import { collectionParameter, companyFilterContext } from '../../shared/items';
import { getManyProperties, statusFilter } from '../../shared/descriptions';
import { ContactRun } from './contactRun';

export const description = getManyProperties([
	{
		displayName: 'Child Conditions (Raw)',
		name: 'childConditions',
		type: 'string',
		default: '',
		placeholder: 'e.g. communicationItems/value like "%@contoso.com"',
		description: 'ConnectWise childConditions, combined with the other filters by AND',
	},
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 250',
	},
	{
		displayName: 'Conditions (Raw)',
		name: 'conditions',
		type: 'string',
		default: '',
		placeholder: 'e.g. title contains "Manager" and company/identifier = "Contoso"',
		description: 'ConnectWise conditions, combined with the other filters by AND',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Contacts with this address in one of their email items',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'Every word must appear in the first or last name',
	},
	statusFilter,
	{
		displayName: 'Updated Since',
		name: 'updatedSince',
		type: 'dateTime',
		default: '',
		description: 'Contacts changed after this moment',
	},
]);

/** The contacts matching the filters, paged through ConnectWise until the limit. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		run.perItem(
			async (i) => {
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const limit = returnAll
					? undefined
					: Math.max(1, Number(this.getNodeParameter('limit', i, 50)));
				const filters = collectionParameter(this, 'filters', i);
				const contacts = await run.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
					...contactConditions(filters),
					fields: run.fields(i),
					limit,
				});
				// The item's settings are read once, not once per contact (a sync lists thousands).
				const simplify = this.getNodeParameter('simplify', i, true) as boolean;
				// The tenant's types are read once: a contact's phone and mobile are known by their type.
				if (!simplify) return contacts.map((contact) => ({ json: contact as IDataObject }));
				const types = contacts.length ? await run.roles(i) : NO_COMMUNICATION_TYPES;
				const names = run.names(i);
				// ConnectWise's lengths go with each contact: Contact Reconcile counts a value cut at them as in sync.
				return contacts.map((contact) => ({
					json: {
						...connectWiseToCanonical(contact, types, names),
						limits: { ...CONNECTWISE_CONTACT_LIMITS },
					} as unknown as IDataObject,
				}));
			},
			undefined,
			companyFilterContext(this),
		),
	);
}
