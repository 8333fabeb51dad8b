/**
 * The Autotask entities the sandbox serves and their field metadata, as
 * `/{Entity}/entityInformation/fields` returns it: lengths, required and read-only flags and
 * picklists on top of the vendor's Swagger document (fieldInfo.ts), here and, for tickets and
 * their notes, in ticketFields.ts. Values marked [U] are unverified tenant defaults: a real
 * tenant's answers differ, which is why clients must read this metadata instead of hard-coding it.
 */
import { DEVICE_ENTITIES } from './deviceFields';
import { buildFields, definitions, ref, ro, text } from './fieldInfo';
import type { EntityDefinition, FieldInfo } from './fieldInfo';
import { ticketFields, ticketNoteFields } from './ticketFields';
import { TICKET_WEBHOOK_ENTITIES } from './ticketWebhookFields';

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
	...DEVICE_ENTITIES,
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
	...TICKET_WEBHOOK_ENTITIES,
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
