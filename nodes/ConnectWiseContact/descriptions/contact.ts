import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	contactLocator as contactLocatorFor,
	onlyInVersions,
	optionsCollection,
} from '../../shared/descriptions';

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
		text('Zip Code', 'zip'),
		...fields,
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export { text as textField };

/**
 * Version 2 names the contact fields as Autotask Contact does (Autotask's field names: Address
 * Line 1 is `addressLine`, Line 2 `addressLine1`), version 1 kept ConnectWise's; the values are
 * read back into ConnectWise's names (ContactInput) by `fieldsFromVersion2`.
 */
const VERSION_2_NAMES: Record<string, string> = {
	addressLine1: 'addressLine',
	addressLine2: 'addressLine1',
	email: 'emailAddress',
	mobile: 'mobilePhone',
	zip: 'zipCode',
};
const FROM_VERSION_2_NAMES = Object.fromEntries(
	Object.entries(VERSION_2_NAMES).map(([v1, v2]) => [v2, v1]),
);

/** `fields` under version 2's names. */
export function version2Names(fields: INodeProperties[]): INodeProperties[] {
	return fields.map((field) => ({ ...field, name: VERSION_2_NAMES[field.name] ?? field.name }));
}

/** A version 2 collection's values under ConnectWise's names (version 1's are already). */
export function fieldsFromVersion2(values: IDataObject, version1: boolean): IDataObject {
	if (version1) return values;
	return Object.fromEntries(
		Object.entries(values).map(([name, value]) => [FROM_VERSION_2_NAMES[name] ?? name, value]),
	);
}

const BY_CONTACT = ['get', 'update', 'deactivate', 'reactivate', 'delete'];

/** The contact Get, Update, Deactivate, Reactivate and Delete work on: `contactId`, as in Autotask Contact. */
const contactLocatorV2 = onlyInVersions([2], contactLocatorFor(BY_CONTACT, 'e.g. 1234'));

/** Version 1 named it `contact`. */
const contactLocatorV1: INodeProperties = {
	...onlyInVersions([1], contactLocatorFor(BY_CONTACT, 'e.g. 1234')),
	name: 'contact',
};

export const contactLocators = [contactLocatorV2, contactLocatorV1];

/** Version 1 only; version 2 has Find Options' Output Items Not Found (on by default), as Autotask Contact. */
const includeNotFound: INodeProperties = {
	displayName: 'Output Items Not Found',
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
