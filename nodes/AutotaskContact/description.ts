import type { INodeProperties } from 'n8n-workflow';

import { AUTOTASK_CONTACT_FIELDS } from '../../lib/contacts/autotask';

const WRITES = ['create', 'update', 'deactivate', 'reactivate'];
const BY_CONTACT = ['get', 'update', 'deactivate', 'reactivate'];
const SIMPLIFIED = ['create', 'get', 'getAll', 'findByEmail', 'update', 'deactivate', 'reactivate'];

const show = (operation: string[], extra: Record<string, unknown[]> = {}) => ({
	show: { resource: ['contact'], operation, ...extra },
});
/** Hidden while "From Contact Reconcile" is on: the plan item says what to write. */
const manual = (operation: string[]) => ({ ...show(operation), hide: { fromReconcile: [true] } });

const textField = (
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

/** Optional contact fields, shared by Create's Additional Fields and Update's Update Fields. */
const optionalFields: INodeProperties[] = [
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

const companyLocator = (
	name: string,
	displayName: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 174',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\d+$', errorMessage: 'Not an Autotask company ID (a number)' },
				},
			],
		},
	],
});

export const contactOperations: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Contact', value: 'contact' }],
		default: 'contact',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Check API User Permissions',
				value: 'checkPermissions',
				description:
					'Check that the API user may do what this package needs, with where to fix each missing right',
				action: 'Check API user permissions',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact in a company',
				action: 'Create a contact',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Mark a contact inactive',
				action: 'Deactivate a contact',
			},
			{
				name: 'Find by Email',
				value: 'findByEmail',
				description: 'Find the contacts of every input item by email, in as few calls as possible',
				action: 'Find contacts by email',
			},
			{ name: 'Get', value: 'get', description: 'Get a contact by ID', action: 'Get a contact' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many contacts',
				action: 'Get many contacts',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Mark a contact active again',
				action: 'Reactivate a contact',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the given fields of a contact',
				action: 'Update a contact',
			},
		],
		default: 'getAll',
	},
];

export const contactFields: INodeProperties[] = [
	{
		displayName: 'From Contact Reconcile',
		name: 'fromReconcile',
		type: 'boolean',
		default: false,
		description:
			"Whether to apply the plan items Contact Reconcile emits: each item's changes are written to its contact and company. Plan items marked as a dry run are passed on without writing.",
		displayOptions: show(WRITES),
	},

	// ----- Create
	{
		...companyLocator('company', 'Company', 'The company the contact belongs to'),
		required: true,
		displayOptions: manual(['create']),
	},
	{ ...textField('firstName', 'First Name'), required: true, displayOptions: manual(['create']) },
	{ ...textField('lastName', 'Last Name'), required: true, displayOptions: manual(['create']) },
	{
		...textField('emailAddress', 'Email', { placeholder: 'e.g. nathan@example.com' }),
		required: true,
		displayOptions: manual(['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: manual(['create']),
		options: [
			{
				displayName: 'Active',
				name: 'active',
				type: 'boolean',
				default: true,
				description: 'Whether the contact is active',
			},
			...optionalFields,
		],
	},

	// ----- Get, Update, Deactivate, Reactivate
	{
		displayName: 'Contact',
		name: 'contactId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The contact to use',
		displayOptions: manual(BY_CONTACT),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchContacts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 30682001',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'Not an Autotask contact ID (a number)' },
					},
				],
			},
		],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Only these fields are changed. An empty value leaves the field as it is; use Fields to Clear to empty a field.',
		displayOptions: manual(['update']),
		options: [
			{ ...textField('emailAddress', 'Email', { placeholder: 'e.g. nathan@example.com' }) },
			textField('firstName', 'First Name'),
			textField('lastName', 'Last Name'),
			...optionalFields,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	{
		displayName: 'Fields to Clear',
		name: 'fieldsToClear',
		type: 'multiOptions',
		default: [],
		description:
			'Fields to empty in Autotask. An empty value in Update Fields never clears anything; list the field here to clear it.',
		displayOptions: manual(['update']),
		options: AUTOTASK_CONTACT_FIELDS.filter((spec) => spec.clearable)
			.map((spec) => ({ name: spec.label, value: spec.field }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	},

	// ----- Get Many
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(['getAll']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show(['getAll'], { returnAll: [false] }),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'Company ID',
				name: 'companyId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 174',
				description: 'Only contacts of this company',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'e.g. nathan@example.com',
				description: 'Only contacts with this address in Email, Email 2 or Email 3 (any case)',
			},
			{
				displayName: 'Last Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only contacts changed at or after this time',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Ann Lee',
				description: 'Only contacts whose first or last name contains this text',
			},
			{
				displayName: 'Raw Autotask Filter',
				name: 'rawFilter',
				type: 'json',
				default: '',
				placeholder: '[{"op":"eq","field":"title","value":"CEO"}]',
				description:
					'Extra conditions in Autotask\'s query syntax (an array of {op, field, value} or {op: "and"|"or", items}), combined with the other filters',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'active',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'All', value: 'all' },
					{ name: 'Inactive', value: 'inactive' },
				],
			},
		],
	},

	// ----- Find by Email
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. nathan@example.com',
		description:
			'The address to look for in Email, Email 2 and Email 3 (any case). All input items are looked up together.',
		displayOptions: show(['findByEmail']),
	},
	{
		displayName: 'Find Options',
		name: 'findOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['findByEmail']),
		options: [
			{
				displayName: 'Active Only',
				name: 'activeOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to ignore inactive contacts',
			},
			{
				displayName: 'Output Items Not Found',
				name: 'outputNotFound',
				type: 'boolean',
				default: true,
				description:
					'Whether an input item whose address matches no contact still gives an output item (with found: false)',
			},
		],
	},

	// ----- Output and options
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			"Whether to return the package's canonical contact (ID, company, names, title, email, phone, mobile, active) instead of Autotask's raw record",
		displayOptions: show(SIMPLIFIED),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(SIMPLIFIED),
		options: [
			{
				displayName: 'Act As (Resource Email)',
				name: 'actAsEmail',
				type: 'string',
				default: '',
				placeholder: 'e.g. tech@yourmsp.com',
				description:
					"Write on behalf of the active Autotask resource with this email (sent as ImpersonationResourceId), so the record is attributed to that person. When no active resource matches or Autotask refuses, the credential's default is used and the output says so.",
				displayOptions: { show: { '/operation': WRITES } },
			},
			{
				displayName: 'Include Labels',
				name: 'includeLabels',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the company name and the labels of picklist values next to their IDs',
			},
		],
	},
];
