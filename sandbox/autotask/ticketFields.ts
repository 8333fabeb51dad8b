/**
 * Tickets and ticket notes: their field metadata and the picklists a new tenant has (statuses,
 * queues, priorities, issue and sub-issue types...). Values marked [U] are unverified tenant
 * defaults; a seed's autotask/picklists.json replaces them.
 */
import { buildFields, definitions, ref, ro, text } from './fieldInfo';
import { TICKET_WEBHOOK_FIELD_NAMES } from './ticketWebhookFields';

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

const ticketFieldsWithoutWebhooks = buildFields(definitions.TicketModel.properties, {
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

/** The fields a ticket webhook can subscribe to say so (`isSupportedWebhookField`). */
export const ticketFields = ticketFieldsWithoutWebhooks.map((field) => ({
	...field,
	isSupportedWebhookField: TICKET_WEBHOOK_FIELD_NAMES.has(field.name),
}));

export const ticketNoteFields = buildFields(definitions.TicketNoteModel.properties, {
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
