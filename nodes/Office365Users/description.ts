import type { INodeProperties } from 'n8n-workflow';

const GUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const userOperations: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'User', value: 'user' }],
		default: 'user',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one user by ID or user principal name',
				action: 'Get a user',
			},
			{
				name: 'Get Changes',
				value: 'getChanges',
				description:
					'Get the users changed or removed since the last run (delta query); the first run returns every user',
				action: 'Get changed users',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many users, filtered for a contact sync',
				action: 'Get many users',
			},
		],
		default: 'getAll',
	},
];

export const userFields: INodeProperties[] = [
	{
		displayName: 'Tenant',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. fabrikam.onmicrosoft.com',
		description:
			"Customer tenant to read: directory GUID or a verified domain. Empty uses the credential's tenant. Use an expression to read a different tenant per item with one multi-tenant app registration.",
		displayOptions: { show: { resource: ['user'] } },
	},
	{
		displayName: 'User',
		name: 'user',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The user to get',
		displayOptions: { show: { resource: ['user'], operation: ['get'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 59bb3898-0621-4414-ac61-74f9d7201355',
				validation: [
					{
						type: 'regex',
						properties: { regex: GUID_REGEX, errorMessage: 'Not a user ID (a GUID)' },
					},
				],
			},
			{
				displayName: 'By User Principal Name',
				name: 'userPrincipalName',
				type: 'string',
				placeholder: 'e.g. adele.vance@contoso.com',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[^@\\s]+@[^@\\s]+$',
							errorMessage: 'Not a user principal name (name@domain)',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { resource: ['user'], operation: ['getAll'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: ['user'], operation: ['getAll'], returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: { enabledOnly: true, licensedOnly: true, membersOnly: true },
		displayOptions: { show: { resource: ['user'], operation: ['getAll'] } },
		options: [
			{
				displayName: 'Email Domains',
				name: 'emailDomains',
				type: 'string',
				default: '',
				placeholder: 'e.g. contoso.com, contoso.co.uk',
				description:
					"Only users whose email address is in one of these domains (the part after the '@', case-insensitive). Separate domains with commas.",
			},
			{
				displayName: 'Enabled Accounts Only',
				name: 'enabledOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out accounts whose sign-in is blocked (filtered by Graph)',
			},
			{
				displayName: 'Exclude Likely Shared Mailboxes',
				name: 'excludeShared',
				type: 'boolean',
				default: true,
				description:
					"Whether to leave out accounts that look like shared, room or equipment mailboxes. Best effort: Graph's user list cannot tell mailbox types apart, so the node drops accounts named like a room or equipment, and accounts without first and last name that have a role address (info@, support@…), blocked sign-in or no license. A named, licensed shared mailbox is not detected.",
			},
			{
				displayName: 'Licensed Users Only',
				name: 'licensedOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out users without any license (filtered by Graph as an advanced query)',
			},
			{
				displayName: 'Members Only',
				name: 'membersOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out guests: userType Guest (filtered by Graph) and #EXT# accounts (filtered by the node)',
			},
			{
				displayName: 'Raw Filter',
				name: 'rawFilter',
				type: 'string',
				default: '',
				placeholder: "e.g. department eq 'Sales'",
				description:
					'An OData $filter for Graph, combined with the filters above by "and". Advanced operators (ne, not, endsWith, /$count, any) are sent with the headers Graph needs.',
			},
		],
	},
	{
		displayName:
			'The position (delta link) is saved only by production runs. A manual run shows the changes since the saved position without moving it; with no saved position it returns every user.',
		name: 'manualRunNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['user'], operation: ['getChanges'] } },
	},
	{
		displayName: 'Filters',
		name: 'changeFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: { membersOnly: true },
		description:
			'Disabled, unlicensed and removed users are always reported (as inactive), so a sync can deactivate them',
		displayOptions: { show: { resource: ['user'], operation: ['getChanges'] } },
		options: [
			{
				displayName: 'Email Domains',
				name: 'emailDomains',
				type: 'string',
				default: '',
				placeholder: 'e.g. contoso.com, contoso.co.uk',
				description:
					"Only users whose email address is in one of these domains (the part after the '@', case-insensitive). Removed users carry no address and are always returned.",
			},
			{
				displayName: 'Exclude Likely Shared Mailboxes',
				name: 'excludeShared',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out accounts that look like shared, room or equipment mailboxes (best effort, see Get Many)',
			},
			{
				displayName: 'Members Only',
				name: 'membersOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out guests (userType Guest and #EXT# accounts)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			"Whether to return contacts in the package's canonical shape (email, names, title, phones, active) instead of Graph's user objects",
		displayOptions: { show: { resource: ['user'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['user'] } },
		options: [
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
		],
	},
];
