import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	CONNECTWISE_CONTACT_PATH,
	CONNECTWISE_CONTACT_LIMITS,
	connectWiseToCanonical,
	NO_COMMUNICATION_TYPES,
} from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact } from '../../../lib/contacts/connectwise';
import { contactConditions } from '../../../lib/contacts/connectwiseInput';
import { collectionParameter, companyFilterContext } from '../../shared/items';
import {
	filtersCollection,
	modifiedSinceFilter,
	onlyInVersions,
	returnAllAndLimit,
	statusFilter,
} from '../../shared/descriptions';
import { ContactRun } from './contactRun';

const filters: INodeProperties[] = [
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
		description: 'Only contacts of this company',
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
		placeholder: 'e.g. nathan@example.com',
		default: '',
		description: 'Only contacts with this address in one of their email items',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Ann Lee',
		description: 'Only contacts whose first or last name contains each word of this text',
	},
	statusFilter,
];

const byName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName);

/** Version 2 names Last Modified Since `modifiedSince`, as Autotask Contact does; version 1 named it `updatedSince`. */
export const description: INodeProperties[] = [
	...returnAllAndLimit(),
	onlyInVersions([2], filtersCollection([...filters, modifiedSinceFilter].sort(byName))),
	onlyInVersions(
		[1],
		filtersCollection([...filters, { ...modifiedSinceFilter, name: 'updatedSince' }].sort(byName)),
	),
];

/** The contacts matching the filters, paged through ConnectWise until the limit. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		run.perItem(
			async (i) => {
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const limit = returnAll
					? undefined
					: Math.max(1, Number(this.getNodeParameter('limit', i, 50)));
				const raw = collectionParameter(this, 'filters', i);
				const contacts = await run.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
					...contactConditions({
						...raw,
						modifiedSince: run.version1 ? raw.updatedSince : raw.modifiedSince,
					}),
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
