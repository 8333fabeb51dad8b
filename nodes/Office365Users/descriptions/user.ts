import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/descriptions';

const users = { show: { resource: ['user'] } };

export const tenant: INodeProperties = {
	displayName: 'Tenant',
	name: 'tenantId',
	type: 'string',
	default: '',
	placeholder: 'e.g. fabrikam.onmicrosoft.com',
	description:
		"Customer tenant to read: directory GUID or a verified domain. Empty uses the credential's tenant. Use an expression to read a different tenant per item with one multi-tenant app registration.",
	displayOptions: users,
};

/** The filters Get Many and Get Changes share, with the words that differ between them. */
export function emailDomainsFilter(note: string): INodeProperties {
	return {
		displayName: 'Email Domains',
		name: 'emailDomains',
		type: 'string',
		default: '',
		placeholder: 'e.g. contoso.com, contoso.co.uk',
		description: [
			"Only users whose email address is in one of these domains (the part after the '@', case-insensitive).",
			note,
		].join(' '),
	};
}

export function excludeSharedFilter(description: string): INodeProperties {
	return {
		displayName: 'Exclude Likely Shared Mailboxes',
		name: 'excludeShared',
		type: 'boolean',
		default: true,
		description,
	};
}

export function membersOnlyFilter(description: string): INodeProperties {
	return {
		displayName: 'Members Only',
		name: 'membersOnly',
		type: 'boolean',
		default: true,
		description,
	};
}

export const simplify: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		"Whether to return contacts in the package's canonical shape (email, names, title, phones, active) instead of Graph's user objects",
	displayOptions: users,
};

export const options = optionsCollection(users, [
	{
		displayName: 'Extra Properties',
		name: 'extraProperties',
		type: 'string',
		default: '',
		placeholder: 'e.g. department, officeLocation',
		description:
			'More Graph user properties to read, returned when Simplify is off. Separate them with commas.',
	},
	{
		displayName: 'Replay Previous Changes',
		name: 'replayPrevious',
		type: 'boolean',
		default: false,
		description:
			'Whether to read again from the position before the last run, e.g. when a later node failed and the last changes were not applied. Applying a change twice is harmless.',
		displayOptions: { show: { '/operation': ['getChanges'] } },
	},
	{
		displayName: 'Start Over',
		name: 'startOver',
		type: 'boolean',
		default: false,
		description: 'Whether to forget the saved position and return every user again',
		displayOptions: { show: { '/operation': ['getChanges'] } },
	},
]);
