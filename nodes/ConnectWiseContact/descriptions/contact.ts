import type { INodeProperties } from 'n8n-workflow';

import { listOrIdLocator, manualFor, optionsCollection } from '../../shared/descriptions';

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

const includeNotFound: INodeProperties = {
	displayName: 'Include Not Found',
	name: 'includeNotFound',
	type: 'boolean',
	default: false,
	description:
		'Whether Find by Email outputs an item with found: false for addresses no contact has',
};

/** Version 2: the types are recognized from the tenant; a name is only an explicit override. */
const RECOGNIZED =
	"Leave empty to use the tenant's own type (recognized by its flags and Exchange Xref, whatever its name)";

const optionsV2 = optionsCollection({ show: { resource: ['contact'], '@version': [2] } }, [
	{
		displayName: 'Email Type Name',
		name: 'emailTypeName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Email',
		description: `The communication type new email addresses get. ${RECOGNIZED}: the default email type.`,
	},
	includeNotFound,
	{
		displayName: 'Mobile Type Name',
		name: 'mobileTypeName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Mobile',
		description: `The communication type of mobile numbers. ${RECOGNIZED}: the phone type whose Exchange Xref is the mobile phone.`,
	},
	{
		displayName: 'Phone Type Name',
		name: 'phoneTypeName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Direct',
		description: `The communication type of the business phone. ${RECOGNIZED}: the phone type whose Exchange Xref is the business phone.`,
	},
]);

/* Version 1 named the types; its defaults repeat VERSION_1_COMMUNICATION_TYPE_NAMES (lib/contacts/connectwise.ts): n8n's lint wants literals. */
const optionsV1 = optionsCollection({ show: { resource: ['contact'], '@version': [1] } }, [
	{
		displayName: 'Email Type Name',
		name: 'emailTypeName',
		type: 'string',
		default: 'Email',
		description:
			"The tenant's communication type for email addresses (System > Setup Tables > Communication Types)",
	},
	includeNotFound,
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

export const options = [optionsV2, optionsV1];
