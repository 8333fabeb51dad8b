import type { INodeProperties } from 'n8n-workflow';

import { listOrIdLocator, manualFor, optionsCollection } from '../../shared/descriptions';

/* The type-name defaults repeat DEFAULT_COMMUNICATION_TYPE_NAMES (lib/contacts/connectwise.ts): n8n's lint wants literals. */

function text(displayName: string, name: string, description?: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		...(description ? { description } : {}),
	};
}

/** The address fields Create and Update share, in the display order of the rest. */
export function withAddressFields(fields: INodeProperties[]): INodeProperties[] {
	return [
		text('Address Line 1', 'addressLine1'),
		text('Address Line 2', 'addressLine2'),
		text('City', 'city'),
		text('State', 'state'),
		text('Zip', 'zip'),
		...fields,
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export { text as textField };

/** The contact Get, Update, Deactivate, Reactivate and Delete work on. */
export const contactLocator: INodeProperties = {
	displayName: 'Contact',
	name: 'contact',
	...listOrIdLocator('searchContacts', 'e.g. 1234', 'A contact ID is a number'),
	required: true,
	displayOptions: manualFor(['get', 'update', 'deactivate', 'reactivate', 'delete']),
	description: 'The contact to work on',
};

export const options = optionsCollection({ show: { resource: ['contact'] } }, [
	{
		displayName: 'Email Type Name',
		name: 'emailTypeName',
		type: 'string',
		default: 'Email',
		description:
			"The tenant's communication type for email addresses (System > Setup Tables > Communication Types)",
	},
	{
		displayName: 'Include Not Found',
		name: 'includeNotFound',
		type: 'boolean',
		default: false,
		description:
			'Whether Find by Email outputs an item with found: false for addresses no contact has',
	},
	{
		displayName: 'Mobile Type Name',
		name: 'mobileTypeName',
		type: 'string',
		default: 'Mobile',
		description: "The tenant's communication type for mobile numbers, e.g. Mobile or Cell",
	},
	{
		displayName: 'Phone Type Name',
		name: 'phoneTypeName',
		type: 'string',
		default: 'Direct',
		description: "The tenant's communication type for the business phone, e.g. Direct",
	},
]);
