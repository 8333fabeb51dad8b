import type { INodeProperties } from 'n8n-workflow';

import {
	CONTACT_OUTPUT_OPERATIONS,
	contactLocator as contactLocatorFor,
	optionsCollection,
	showFor,
	WRITE_OPERATIONS,
} from '../../shared/descriptions';

/** The operations that work on one contact, named by the Contact parameter. */
const BY_CONTACT = ['get', 'update', 'deactivate', 'reactivate'];

export function textField(
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return { displayName, name, type: 'string', default: '', ...extra };
}

/** Optional contact fields, shared by Create's Additional Fields and Update's Update Fields. */
export const optionalFields: INodeProperties[] = [
	textField('alternatePhone', 'Alternate Phone'),
	textField('addressLine', 'Address Line 1'),
	textField('addressLine1', 'Address Line 2'),
	textField('city', 'City'),
	textField('emailAddress2', 'Email 2', { placeholder: 'e.g. nathan@example.com' }),
	textField('emailAddress3', 'Email 3', { placeholder: 'e.g. nathan@example.com' }),
	textField('extension', 'Extension'),
	textField('externalID', 'External ID', {
		description: 'Your own key for the contact, e.g. the ID in another system',
	}),
	textField('faxNumber', 'Fax Number'),
	textField('mobilePhone', 'Mobile Phone'),
	textField('note', 'Note', { typeOptions: { rows: 3 } }),
	textField('phone', 'Phone'),
	textField('roomNumber', 'Room Number'),
	textField('state', 'State'),
	textField('title', 'Title', { placeholder: 'e.g. IT Manager' }),
	textField('zipCode', 'Zip Code'),
];

/** The contact Get, Update, Deactivate and Reactivate work on. */
export const contactLocator = contactLocatorFor(BY_CONTACT, 'e.g. 30682001');

export const options = optionsCollection(showFor(CONTACT_OUTPUT_OPERATIONS), [
	{
		displayName: 'Act As (Resource Email)',
		name: 'actAsEmail',
		type: 'string',
		default: '',
		placeholder: 'e.g. tech@yourmsp.com',
		description:
			"Write on behalf of the active Autotask resource with this email (sent as ImpersonationResourceId), so the record is attributed to that person. When no active resource matches or Autotask refuses, the credential's default is used and the output says so.",
		displayOptions: { show: { '/operation': WRITE_OPERATIONS } },
	},
	{
		displayName: 'Include Labels',
		name: 'includeLabels',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the company name and the labels of picklist values next to their IDs',
	},
]);
