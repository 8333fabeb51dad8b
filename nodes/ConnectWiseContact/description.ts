import type { INodeProperties } from 'n8n-workflow';

/* The type-name defaults repeat DEFAULT_COMMUNICATION_TYPE_NAMES (lib/contacts/connectwise.ts): n8n's lint wants literals. */

const WRITE_OPERATIONS = ['create', 'update', 'deactivate', 'reactivate'];
const SINGLE_CONTACT_OPERATIONS = ['get', 'update', 'deactivate', 'reactivate', 'delete'];

/** Shown for an operation unless the node applies Contact Reconcile plan items. */
const manual = (operations: string[]) => ({
	show: { resource: ['contact'], operation: operations },
	hide: { fromReconcile: [true] },
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
				name: 'Create',
				value: 'create',
				description: 'Create a contact',
				action: 'Create a contact',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Mark a contact inactive',
				action: 'Deactivate a contact',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a contact',
				action: 'Delete a contact',
			},
			{
				name: 'Find by Email',
				value: 'findByEmail',
				description: "Find the contacts with each input item's email address, in batched lookups",
				action: 'Find contacts by email',
			},
			{ name: 'Get', value: 'get', description: 'Get a contact', action: 'Get a contact' },
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
				description: 'Update a contact',
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
		displayOptions: { show: { resource: ['contact'], operation: WRITE_OPERATIONS } },
		description:
			'Whether to apply the plan item that Contact Reconcile put in each input item: only its changes are written, never a blank, and dry-run items pass through unwritten',
	},

	// Create
	{
		displayName: 'Company',
		name: 'company',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: manual(['create']),
		description: 'The company the contact belongs to',
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
				placeholder: 'e.g. 250',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'A company ID is a number' },
					},
				],
			},
		],
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: manual(['create']),
		description: 'Up to 30 characters',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		displayOptions: manual(['create']),
		description: 'Up to 30 characters',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: manual(['create']),
		options: [
			{ displayName: 'Address Line 1', name: 'addressLine1', type: 'string', default: '' },
			{ displayName: 'Address Line 2', name: 'addressLine2', type: 'string', default: '' },
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Stored as the default communication item of the email type',
			},
			{
				displayName: 'Mobile',
				name: 'mobile',
				type: 'string',
				default: '',
				description: 'Stored as a communication item of the mobile type',
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				description: 'Stored as a communication item of the phone type',
			},
			{ displayName: 'State', name: 'state', type: 'string', default: '' },
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'Job title, up to 100 characters',
			},
			{ displayName: 'Zip', name: 'zip', type: 'string', default: '' },
		],
	},

	// One contact
	{
		displayName: 'Contact',
		name: 'contact',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: manual(SINGLE_CONTACT_OPERATIONS),
		description: 'The contact to work on',
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
				placeholder: 'e.g. 1234',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'A contact ID is a number' },
					},
				],
			},
		],
	},

	// Update
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: manual(['update']),
		description: 'Blank values are skipped: they never clear a field',
		options: [
			{ displayName: 'Address Line 1', name: 'addressLine1', type: 'string', default: '' },
			{ displayName: 'Address Line 2', name: 'addressLine2', type: 'string', default: '' },
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{
				displayName: 'Company ID',
				name: 'companyId',
				type: 'string',
				default: '',
				description: 'Move the contact to this company',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: "Replaces the default email item's address; other items are kept",
			},
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{
				displayName: 'Mobile',
				name: 'mobile',
				type: 'string',
				default: '',
				description: "Replaces the mobile item's number, or adds one",
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				description: "Replaces the phone item's number, or adds one",
			},
			{ displayName: 'State', name: 'state', type: 'string', default: '' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
			{ displayName: 'Zip', name: 'zip', type: 'string', default: '' },
		],
	},

	// Get Many
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { resource: ['contact'], operation: ['getAll'] } },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { resource: ['contact'], operation: ['getAll'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['contact'], operation: ['getAll'] } },
		options: [
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
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'All', value: 'all' },
					{ name: 'Inactive', value: 'inactive' },
				],
				default: 'active',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Contacts changed after this moment',
			},
		],
	},

	// Find by Email
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['contact'], operation: ['findByEmail'] } },
		description: 'The address to look for; the whole input is looked up in a few batched calls',
	},

	// Output
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: {
			show: {
				resource: ['contact'],
				operation: ['create', 'get', 'getAll', 'findByEmail', 'update', 'deactivate', 'reactivate'],
			},
			hide: { fromReconcile: [true] },
		},
		description:
			"Whether to return the package's canonical contact (shared with the other contact nodes) instead of the raw ConnectWise record",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['contact'] } },
		options: [
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
		],
	},
];
