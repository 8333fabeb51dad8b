/**
 * Field metadata of the Autotask entities the sandbox serves, as `/{Entity}/entityInformation/fields`
 * returns it. Names and types come from the vendor's own Swagger document (sandbox/specs), so the
 * sandbox and the contract never drift; lengths, required flags, read-only flags and picklists are
 * layered on top here, in one place. Values marked [U] are unverified tenant defaults: a real
 * tenant's answers differ, which is why clients must read this metadata instead of hard-coding it.
 */
import spec from '../specs/autotask.openapi.json';

export interface PickListValue {
	value: string;
	label: string;
	isDefaultValue: boolean;
	sortOrder: number;
	parentValue: string;
	isActive: boolean;
	isSystem: boolean;
}

export interface FieldInfo {
	name: string;
	dataType: string;
	length: number;
	isRequired: boolean;
	isReadOnly: boolean;
	isQueryable: boolean;
	isReference: boolean;
	referenceEntityType: string;
	isPickList: boolean;
	picklistValues: PickListValue[] | null;
	picklistParentValueField: string;
	isSupportedWebhookField: boolean;
}

/** How the sandbox knows an entity: its route name, its singular name and its rules. */
export interface EntityDefinition {
	/** Route segment, e.g. "Contacts". */
	route: string;
	/** Singular name as entityInformation reports it, e.g. "Contact". */
	name: string;
	/** The seed file that holds its rows. */
	seedFile: string;
	canCreate: boolean;
	canUpdate: boolean;
	canDelete: boolean;
	hasUserDefinedFields: boolean;
	supportsWebhookCallouts: boolean;
	fields: FieldInfo[];
}

type FieldOverride = Partial<Omit<FieldInfo, 'picklistValues'>> & {
	picklist?: Array<[number | string, string, (number | string)?]>;
};

const DEFAULT_STRING_LENGTH = 100; // [U] for strings the notes give no length for

function specType(property: { type?: string; format?: string }): string {
	if (property.type === 'integer') return property.format === 'int64' ? 'long' : 'integer';
	if (property.type === 'number') return 'double';
	if (property.type === 'boolean') return 'boolean';
	if (property.type === 'string' && property.format === 'date-time') return 'datetime';
	return 'string';
}

export function picklist(
	values: Array<[number | string, string, (number | string)?]>,
	defaultValue?: number | string,
): PickListValue[] {
	return values.map(([value, label, parent], index) => ({
		value: String(value),
		label,
		isDefaultValue: defaultValue !== undefined && String(defaultValue) === String(value),
		sortOrder: index + 1,
		parentValue: parent === undefined ? '' : String(parent),
		isActive: true,
		isSystem: false,
	}));
}

function buildFields(
	properties: Record<string, { type?: string; format?: string; readOnly?: boolean }>,
	overrides: Record<string, FieldOverride>,
	extra: string[] = [],
): FieldInfo[] {
	const out: FieldInfo[] = [];
	for (const [name, property] of Object.entries(properties)) {
		if (name === 'userDefinedFields' || name === 'soapParentPropertyId') continue;
		if (extra.includes(name)) continue;
		const dataType = specType(property);
		const override = overrides[name] ?? {};
		const { picklist: values, ...rest } = override;
		out.push({
			name,
			dataType,
			length: dataType === 'string' ? DEFAULT_STRING_LENGTH : 0,
			isRequired: false,
			isReadOnly: name === 'id',
			isQueryable: true,
			isReference: false,
			referenceEntityType: '',
			isPickList: values !== undefined,
			picklistValues: values ? picklist(values) : null,
			picklistParentValueField: '',
			isSupportedWebhookField: false,
			...rest,
		});
	}
	return out;
}

const definitions = (
	spec as unknown as {
		definitions: Record<string, { properties: Record<string, { type?: string; format?: string }> }>;
	}
).definitions;

const ref = (entity: string): FieldOverride => ({
	isReference: true,
	referenceEntityType: entity,
});
const ro: FieldOverride = { isReadOnly: true };
const text = (length: number, more: FieldOverride = {}): FieldOverride => ({
	length,
	...more,
});

// Contacts: lengths as the vendor's field table states them for current tenants [U]; the
// smaller figures some summaries quote (firstName 20, emailAddress 50) are older floors.
const contactFields = buildFields(definitions.ContactModel.properties, {
	id: ro,
	companyID: { ...ref('Company'), isRequired: true },
	companyLocationID: ref('CompanyLocation'),
	countryID: ref('Country'),
	firstName: text(50, { isRequired: true }),
	lastName: text(50, { isRequired: true }),
	middleInitial: text(2),
	title: text(50),
	emailAddress: text(254),
	emailAddress2: text(254),
	emailAddress3: text(254),
	phone: text(25),
	mobilePhone: text(25),
	alternatePhone: text(32),
	faxNumber: text(25),
	extension: text(10),
	addressLine: text(128),
	addressLine1: text(128),
	additionalAddressInformation: text(100),
	city: text(32),
	state: text(40),
	zipCode: text(16),
	roomNumber: text(50),
	externalID: text(50),
	facebookUrl: text(200),
	linkedInUrl: text(200),
	twitterUrl: text(200),
	note: text(4000),
	isActive: { isRequired: true },
	createDate: ro,
	lastActivityDate: ro,
	lastModifiedDate: ro,
	impersonatorCreatorResourceID: { ...ro, ...ref('Resource') },
	apiVendorID: ro,
	bulkEmailOptOutTime: ro,
	solicitationOptOutTime: ro,
	isOptedOutFromBulkEmail: { isQueryable: false },
	solicitationOptOut: { isQueryable: false },
	surveyOptOut: { isQueryable: false },
	namePrefix: {
		picklist: [
			[1, 'Mr.'],
			[2, 'Mrs.'],
			[3, 'Ms.'],
			[4, 'Dr.'],
		],
	},
	nameSuffix: {
		picklist: [
			[1, 'Jr.'],
			[2, 'Sr.'],
			[3, 'II'],
			[4, 'III'],
		],
	},
});

const companyFields = buildFields(definitions.CompanyModel.properties, {
	id: ro,
	companyName: text(100, { isRequired: true }),
	companyNumber: text(50),
	companyType: {
		isRequired: true,
		picklist: [
			[1, 'Customer'],
			[2, 'Lead'],
			[3, 'Prospect'],
			[4, 'Dead'],
			[6, 'Cancelation'],
			[7, 'Vendor'],
			[8, 'Partner'],
		],
	},
	ownerResourceID: { ...ref('Resource'), isRequired: true },
	phone: text(25, { isRequired: true }),
	webAddress: text(255),
	createDate: ro,
	createdByResourceID: { ...ro, ...ref('Resource') },
	impersonatorCreatorResourceID: { ...ro, ...ref('Resource') },
	lastActivityDate: ro,
	lastTrackedModifiedDateTime: ro,
	parentCompanyID: ref('Company'),
});

const resourceFields = buildFields(definitions.ResourceModel.properties, {
	id: ro,
	email: text(50, { isRequired: true }),
	email2: text(50),
	email3: text(50),
	firstName: text(50, { isRequired: true }),
	lastName: text(50, { isRequired: true }),
	userName: text(32, { isRequired: true }),
	title: text(50),
	defaultServiceDeskRoleID: ref('Role'),
	licenseType: {
		isReadOnly: true,
		picklist: [
			[1, 'Full'],
			[2, 'Time and Attendance'],
			[7, 'API User'],
		],
	},
	resourceType: text(15),
});

const TICKET_STATUS: Array<[number, string]> = [
	[1, 'New'],
	[5, 'Complete'],
	[7, 'Waiting Customer'],
	[8, 'In Progress'],
	[9, 'Waiting Materials'],
	[10, 'Dispatched'],
	[12, 'Waiting Vendor'],
	[13, 'Waiting Approval'],
];

const ISSUE_TYPES: Array<[number, string]> = [
	[1, 'Hardware'],
	[2, 'Software'],
	[3, 'Network'],
	[4, 'Monitoring'],
];

const SUB_ISSUE_TYPES: Array<[number, string, number]> = [
	[10, 'Disk Space', 4],
	[11, 'Services', 4],
	[12, 'Performance', 4],
	[13, 'Backup', 4],
	[20, 'Antivirus', 2],
	[21, 'Patching', 2],
	[30, 'Connectivity', 3],
	[40, 'Printer', 1],
	[41, 'Hard Drive', 1],
];

const ticketFields = buildFields(definitions.TicketModel.properties, {
	id: ro,
	companyID: { ...ref('Company'), isRequired: true },
	title: text(255, { isRequired: true }),
	description: text(8000),
	resolution: text(32000),
	externalID: text(50),
	purchaseOrderNumber: text(50),
	rmmAlertID: text(50),
	ticketNumber: text(50, ro),
	status: { isRequired: true, picklist: TICKET_STATUS },
	priority: {
		isRequired: true,
		picklist: [
			[1, 'High'],
			[2, 'Medium'],
			[3, 'Low'],
			[4, 'Critical'],
		],
	},
	queueID: {
		picklist: [
			[29682833, 'Client Portal'],
			[29683481, 'Monitoring Alert'],
			[29683482, 'Level I Support'],
			[29683483, 'Level II Support'],
			[29683484, 'Recurring Tickets'],
		],
	},
	issueType: { picklist: ISSUE_TYPES },
	subIssueType: {
		picklist: SUB_ISSUE_TYPES,
		picklistParentValueField: 'issueType',
	},
	source: {
		picklist: [
			[-1, 'Client Portal'],
			[1, 'Other'],
			[2, 'Email'],
			[4, 'In Person / Onsite'],
			[6, 'Monitoring Alert'],
			[13, 'Phone'],
		],
	},
	ticketType: {
		picklist: [
			[1, 'Service Request'],
			[2, 'Incident'],
			[3, 'Problem'],
			[4, 'Change Request'],
			[5, 'Alert'],
		],
	},
	ticketCategory: {
		picklist: [
			[2, 'RMM Alert'],
			[3, 'Standard'],
		],
	},
	billingCodeID: {
		...ref('BillingCode'),
		picklist: [
			[29682801, 'Remote Support'],
			[29682802, 'Onsite Support'],
			[29682803, 'Monitoring'],
		],
	},
	configurationItemID: ref('ConfigurationItem'),
	contactID: ref('Contact'),
	assignedResourceID: ref('Resource'),
	assignedResourceRoleID: ref('Role'),
	completedByResourceID: { ...ro, ...ref('Resource') },
	completedDate: ro,
	createDate: ro,
	creatorResourceID: { ...ro, ...ref('Resource') },
	creatorType: {
		...ro,
		isQueryable: false,
		picklist: [
			[1, 'Resource'],
			[2, 'Contact'],
		],
	},
	createdByContactID: { ...ro, ...ref('Contact') },
	impersonatorCreatorResourceID: { ...ro, ...ref('Resource') },
	lastActivityDate: ro,
	lastActivityPersonType: { ...ro, isQueryable: false },
	lastActivityResourceID: { ...ro, ...ref('Resource') },
	lastTrackedModificationDateTime: ro,
	changeInfoField1: text(8000),
	changeInfoField2: text(8000),
	changeInfoField3: text(8000),
	changeInfoField4: text(8000),
	changeInfoField5: text(8000),
});

const ticketNoteFields = buildFields(definitions.TicketNoteModel.properties, {
	id: ro,
	ticketID: { ...ref('Ticket'), isRequired: true },
	title: text(250),
	description: text(32000, { isRequired: true }),
	noteType: {
		isRequired: true,
		picklist: [
			[1, 'Task Summary'],
			[2, 'Task Detail'],
			[3, 'Task Notes'],
			[13, 'Workflow Rule Note'],
		],
	},
	publish: {
		isRequired: true,
		picklist: [
			[1, 'All Autotask Users'],
			[2, 'Internal Only'],
		],
	},
	createDateTime: ro,
	creatorResourceID: { ...ro, ...ref('Resource') },
	createdByContactID: { ...ro, ...ref('Contact') },
	impersonatorCreatorResourceID: { ...ro, ...ref('Resource') },
	impersonatorUpdaterResourceID: { ...ro, ...ref('Resource') },
	lastActivityDate: ro,
});

const configurationItemFields = buildFields(definitions.ConfigurationItemModel.properties, {
	id: ro,
	companyID: { ...ref('Company'), isRequired: true },
	productID: { ...ref('Product'), isRequired: true },
	rmmDeviceUID: text(100),
	referenceTitle: text(200),
	referenceNumber: text(50),
	serialNumber: text(100),
	configurationItemType: {
		picklist: [
			[1, 'Workstation'],
			[2, 'Server'],
			[3, 'Network Device'],
			[4, 'Printer'],
		],
	},
	createDate: ro,
	lastModifiedTime: ro,
});

/** TimeEntries are not in the trimmed Swagger document: their fields are listed by hand. */
const timeEntryFields: FieldInfo[] = buildFields(
	{
		id: { type: 'integer', format: 'int64' },
		ticketID: { type: 'integer', format: 'int64' },
		taskID: { type: 'integer', format: 'int64' },
		resourceID: { type: 'integer', format: 'int64' },
		roleID: { type: 'integer', format: 'int64' },
		billingCodeID: { type: 'integer', format: 'int64' },
		dateWorked: { type: 'string', format: 'date-time' },
		startDateTime: { type: 'string', format: 'date-time' },
		endDateTime: { type: 'string', format: 'date-time' },
		hoursWorked: { type: 'number' },
		hoursToBill: { type: 'number' },
		isNonBillable: { type: 'boolean' },
		summaryNotes: { type: 'string' },
		internalNotes: { type: 'string' },
		createDateTime: { type: 'string', format: 'date-time' },
		creatorUserID: { type: 'integer', format: 'int32' },
		impersonatorCreatorResourceID: { type: 'integer', format: 'int32' },
	},
	{
		id: ro,
		ticketID: ref('Ticket'),
		taskID: ref('Task'),
		resourceID: { ...ref('Resource'), isRequired: true },
		roleID: { ...ref('Role'), isRequired: true },
		billingCodeID: ref('BillingCode'),
		dateWorked: { isRequired: true },
		summaryNotes: text(8000),
		internalNotes: text(8000),
		createDateTime: ro,
		creatorUserID: ro,
		impersonatorCreatorResourceID: ro,
	},
);

export const ENTITIES: EntityDefinition[] = [
	{
		route: 'Companies',
		name: 'Company',
		seedFile: 'companies',
		canCreate: true,
		canUpdate: true,
		canDelete: false,
		hasUserDefinedFields: true,
		supportsWebhookCallouts: true,
		fields: companyFields,
	},
	{
		route: 'Contacts',
		name: 'Contact',
		seedFile: 'contacts',
		canCreate: true,
		canUpdate: true,
		canDelete: true,
		hasUserDefinedFields: true,
		supportsWebhookCallouts: true,
		fields: contactFields,
	},
	{
		route: 'Resources',
		name: 'Resource',
		seedFile: 'resources',
		canCreate: false,
		canUpdate: true,
		canDelete: false,
		hasUserDefinedFields: true,
		supportsWebhookCallouts: false,
		fields: resourceFields,
	},
	{
		route: 'Tickets',
		name: 'Ticket',
		seedFile: 'tickets',
		canCreate: true,
		canUpdate: true,
		canDelete: false,
		hasUserDefinedFields: true,
		supportsWebhookCallouts: true,
		fields: ticketFields,
	},
	{
		route: 'TicketNotes',
		name: 'TicketNote',
		seedFile: 'ticketNotes',
		canCreate: true,
		canUpdate: true,
		canDelete: false,
		hasUserDefinedFields: false,
		supportsWebhookCallouts: true,
		fields: ticketNoteFields,
	},
	{
		route: 'ConfigurationItems',
		name: 'ConfigurationItem',
		seedFile: 'configurationItems',
		canCreate: true,
		canUpdate: true,
		canDelete: false,
		hasUserDefinedFields: true,
		supportsWebhookCallouts: true,
		fields: configurationItemFields,
	},
	{
		route: 'TimeEntries',
		name: 'TimeEntry',
		seedFile: 'timeEntries',
		canCreate: true,
		canUpdate: true,
		canDelete: true,
		hasUserDefinedFields: false,
		supportsWebhookCallouts: false,
		fields: timeEntryFields,
	},
];

export function entityByRoute(route: string): EntityDefinition | undefined {
	const wanted = route.toLowerCase();
	return ENTITIES.find(
		(entity) => entity.route.toLowerCase() === wanted || entity.name.toLowerCase() === wanted,
	);
}

export function fieldOf(entity: EntityDefinition, name: string): FieldInfo | undefined {
	const wanted = name.toLowerCase();
	return entity.fields.find((field) => field.name.toLowerCase() === wanted);
}
