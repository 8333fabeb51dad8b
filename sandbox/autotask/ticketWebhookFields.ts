/**
 * Ticket webhooks' entities and their field metadata: TicketWebhooks and its children Fields,
 * UdfFields and ExcludedResources (each also queryable at its own root), with the lengths of
 * Autotask's webhook field table (name 50, URLs 500, notification address 150, secret key 64,
 * GUID 100) and the rule that both URLs are required ("Both fields are required to create the
 * webhook", Autotask's "Creating a webhook").
 *
 * A webhook field names a ticket field by `fieldID`, "the internal Autotask ID for the system
 * field". Clients read those ids as the `fieldID` picklist of
 * `TicketWebhookFields/entityInformation/fields` (what n8n-nodes-autotask does), so the sandbox
 * serves them there. [U] The ids themselves and that each label is the ticket field's REST name
 * are unverified: TICKET_WEBHOOK_FIELDS is the one place to correct them.
 */
import { buildFields, definitions, ref, ro, text } from './fieldInfo';
import type { EntityDefinition } from './fieldInfo';

/** [U] Ticket fields a webhook can subscribe to or always display, by internal field id. */
export const TICKET_WEBHOOK_FIELDS: Array<[number, string]> = [
	[101, 'title'],
	[102, 'description'],
	[103, 'status'],
	[104, 'priority'],
	[105, 'queueID'],
	[106, 'issueType'],
	[107, 'subIssueType'],
	[108, 'ticketType'],
	[109, 'source'],
	[110, 'companyID'],
	[111, 'contactID'],
	[112, 'configurationItemID'],
	[113, 'assignedResourceID'],
	[114, 'assignedResourceRoleID'],
	[115, 'externalID'],
	[116, 'rmmAlertID'],
	[117, 'ticketNumber'],
	[118, 'dueDateTime'],
	[119, 'completedDate'],
	[120, 'completedByResourceID'],
	[121, 'resolution'],
	[122, 'lastActivityDate'],
	[123, 'purchaseOrderNumber'],
];

/** [U] UDF field ids: the tenant's ticket UDFs numbered in the order they are first seen, from here. */
export const FIRST_TICKET_UDF_FIELD_ID = 29682901;

export const TICKET_WEBHOOK_FIELD_NAMES = new Set(TICKET_WEBHOOK_FIELDS.map(([, name]) => name));

const webhookFields = buildFields(definitions.TicketWebhookModel.properties, {
	id: ro,
	name: text(50, { isRequired: true }),
	webhookUrl: text(500, { isRequired: true }),
	deactivationUrl: text(500, { isRequired: true }),
	secretKey: text(64),
	notificationEmailAddress: text(150),
	webhookGUID: text(100, ro),
	isReady: ro,
	// [U] like every Autotask isActive, a create must say whether the webhook starts active.
	isActive: { isRequired: true },
	ownerResourceID: ref('Resource'),
});

const webhookFieldFields = buildFields(definitions.TicketWebhookFieldModel.properties, {
	id: ro,
	webhookID: { ...ref('TicketWebhook'), isRequired: true },
	fieldID: {
		isRequired: true,
		picklist: TICKET_WEBHOOK_FIELDS.map(([id, name]) => [id, name]),
	},
});

const webhookUdfFieldFields = buildFields(definitions.TicketWebhookUdfFieldModel.properties, {
	id: ro,
	webhookID: { ...ref('TicketWebhook'), isRequired: true },
	udfFieldID: { isRequired: true },
});

const excludedResourceFields = buildFields(
	definitions.TicketWebhookExcludedResourceModel.properties,
	{
		id: ro,
		webhookID: { ...ref('TicketWebhook'), isRequired: true },
		resourceID: { ...ref('Resource'), isRequired: true },
	},
);

const entity = (
	route: string,
	name: string,
	seedFile: string,
	fields: EntityDefinition['fields'],
	canUpdate: boolean,
): EntityDefinition => ({
	route,
	name,
	seedFile,
	canCreate: true,
	canUpdate,
	canDelete: true,
	hasUserDefinedFields: false,
	supportsWebhookCallouts: false,
	fields,
});

export const TICKET_WEBHOOK_ENTITIES: EntityDefinition[] = [
	entity('TicketWebhooks', 'TicketWebhook', 'ticketWebhooks', webhookFields, true),
	entity(
		'TicketWebhookFields',
		'TicketWebhookField',
		'ticketWebhookFields',
		webhookFieldFields,
		true,
	),
	entity(
		'TicketWebhookUdfFields',
		'TicketWebhookUdfField',
		'ticketWebhookUdfFields',
		webhookUdfFieldFields,
		true,
	),
	entity(
		'TicketWebhookExcludedResources',
		'TicketWebhookExcludedResource',
		'ticketWebhookExcludedResources',
		excludedResourceFields,
		false,
	),
];
