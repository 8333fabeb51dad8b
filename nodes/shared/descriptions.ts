import type { INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * Parameters several nodes share, written once: the same name, type and meaning in Autotask
 * Contact and ConnectWise Contact (and Return All / Limit in Microsoft 365 Users).
 */

type Show = Record<string, Array<string | boolean | number>>;

/** Shown for these operations of the contact resource (and any further conditions). */
export function showFor(operation: string[], extra: Show = {}) {
	return { show: { resource: ['contact'], operation, ...extra } };
}

/** Shown for these operations unless the node applies Contact Reconcile plan items. */
export function manualFor(operation: string[]) {
	return { ...showFor(operation), hide: { fromReconcile: [true] } };
}

export const contactResource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Contact', value: 'contact' }],
	default: 'contact',
};

const CONTACT_OPERATIONS: INodePropertyOptions[] = [
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
];

/** The contact operations every PSA node has, and the node's own, in alphabetical order. */
export function contactOperation(own: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [...CONTACT_OPERATIONS, ...own].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'getAll',
	};
}

/** The operations that write a contact, and so can apply Contact Reconcile's plan items. */
export const WRITE_OPERATIONS = ['create', 'update', 'deactivate', 'reactivate'];

/** The operations whose output is a contact (Simplify applies). */
export const CONTACT_OUTPUT_OPERATIONS = [
	'create',
	'get',
	'getAll',
	'findByEmail',
	'update',
	'deactivate',
	'reactivate',
];

export const fromReconcile: INodeProperties = {
	displayName: 'From Contact Reconcile',
	name: 'fromReconcile',
	type: 'boolean',
	default: false,
	description:
		"Whether to apply the plan items Contact Reconcile emits: only each item's changes are written to its contact and company, never a blank. Plan items marked as a dry run are passed on without writing.",
	displayOptions: showFor(WRITE_OPERATIONS),
};

/** Return All and Limit of Get Many (operation getAll) of `resource`. */
export function returnAllAndLimit(resource = 'contact'): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: { resource: [resource], operation: ['getAll'] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { resource: [resource], operation: ['getAll'], returnAll: [false] } },
		},
	];
}

/** Get Many's Status filter. */
export const statusFilter: INodeProperties = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	default: 'active',
	options: [
		{ name: 'Active', value: 'active' },
		{ name: 'All', value: 'all' },
		{ name: 'Inactive', value: 'inactive' },
	],
};

/** Get Many's Return All, Limit and Filters (a collection of `filters`) for `resource`. */
export function getManyProperties(
	filters: INodeProperties[],
	resource = 'contact',
	defaults: INodeParameters = {},
): INodeProperties[] {
	return [...returnAllAndLimit(resource), filtersCollection(filters, resource, defaults)];
}

/** Get Many's Filters alone. */
export function filtersCollection(
	filters: INodeProperties[],
	resource = 'contact',
	defaults: INodeParameters = {},
): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: { ...defaults },
		displayOptions: { show: { resource: [resource], operation: ['getAll'] } },
		options: filters,
	};
}

/** Get Many's filter on the time a contact last changed (at or after it). */
export const modifiedSinceFilter: INodeProperties = {
	displayName: 'Last Modified Since',
	name: 'modifiedSince',
	type: 'dateTime',
	default: '',
	description: 'Only contacts changed at or after this time',
};

/** The contact Get, Update, Deactivate, Reactivate (and Delete) work on. */
export function contactLocator(operations: string[], placeholder: string): INodeProperties {
	return {
		displayName: 'Contact',
		name: 'contactId',
		...listOrIdLocator('searchContacts', placeholder),
		required: true,
		description: 'The contact to work on',
		displayOptions: manualFor(operations),
	};
}

/** Find by Email's options. */
export function findOptions(): INodeProperties {
	return {
		displayName: 'Find Options',
		name: 'findOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['findByEmail']),
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
	};
}

/**
 * Create's Email. Neither Autotask nor ConnectWise requires one (Autotask: companyID, firstName,
 * lastName, isActive; ConnectWise: firstName), so it is not required; it stays next to the names
 * because the package finds contacts by it.
 */
export function createEmail(): INodeProperties {
	return {
		displayName: 'Email',
		name: 'emailAddress',
		type: 'string',
		default: '',
		placeholder: 'e.g. nathan@example.com',
		description:
			'Optional, but Find by Email and a contact sync find contacts by their address: without one, a sync creates the contact again',
		displayOptions: manualFor(['create']),
	};
}

/** Find by Email's address, looked up `where` the vendor keeps addresses. */
export function findEmail(where: string): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. nathan@example.com',
		description: `The address to look for ${where} (any case). All input items are looked up together, in a few batched calls.`,
		displayOptions: showFor(['findByEmail']),
	};
}

/** Simplify: the package's canonical contact, or the vendor's record as it comes. */
export function simplify(vendorRecord: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return the package's canonical contact (ID, company, names, title, email, phone, mobile, active; shared with the other contact nodes) instead of ${vendorRecord}`,
		displayOptions: manualFor(CONTACT_OUTPUT_OPERATIONS),
	};
}

/**
 * A resource locator picked from a searchable list, or typed as a numeric ID. The By ID mode has
 * no validation regex: n8n runs such a regex before every execution in a vm with a 250 ms budget,
 * which a busy machine misses, and the whole execution then fails ("Regular expression execution
 * timed out"). The node checks the ID itself, per item, naming the field and how to fix it.
 */
export function listOrIdLocator(
	searchListMethod: string,
	placeholder: string,
	shown: { listPlaceholder?: string; byId?: string } = {},
): Pick<INodeProperties, 'type' | 'default' | 'modes'> {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				...(shown.listPlaceholder ? { placeholder: shown.listPlaceholder } : {}),
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: shown.byId ?? 'By ID',
				name: 'id',
				type: 'string',
				placeholder,
			},
		],
	};
}

/** The company a new contact is created in (Create). */
export function companyLocator(placeholder: string): INodeProperties {
	return {
		displayName: 'Company',
		name: 'company',
		...listOrIdLocator('searchCompanies', placeholder),
		required: true,
		displayOptions: manualFor(['create']),
		description: 'The company the contact belongs to',
	};
}

/** `property` shown only in these versions of the node (a parameter renamed under a version bump). */
export function onlyInVersions(versions: number[], property: INodeProperties): INodeProperties {
	const displayOptions = property.displayOptions ?? {};
	return {
		...property,
		displayOptions: { ...displayOptions, show: { ...displayOptions.show, '@version': versions } },
	};
}

/** A node's Options collection: small choices, shown where `displayOptions` says. */
export function optionsCollection(
	displayOptions: INodeProperties['displayOptions'],
	options: INodeProperties[],
): INodeProperties {
	const collection: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
	};
	return { ...collection, placeholder: 'Add Option', displayOptions, options };
}

/** Create's Additional Fields or Update's Update Fields, hidden while plan items are applied. */
export function fieldsCollection(
	operation: 'create' | 'update',
	options: INodeProperties[],
	description?: string,
): INodeProperties {
	const creating = operation === 'create';
	return {
		displayName: creating ? 'Additional Fields' : 'Update Fields',
		name: creating ? 'additionalFields' : 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: manualFor([operation]),
		...(description ? { description } : {}),
		options,
	};
}
