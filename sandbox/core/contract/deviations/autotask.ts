/** Where Autotask's live REST API differs from sandbox/specs/autotask.openapi.json. */
import type { ContractDeviation, JsonSchema } from './types';

const AUTOTASK_ERRORS: JsonSchema = {
	type: 'object',
	required: ['errors'],
	properties: { errors: { type: 'array', items: { type: 'string' } } },
};

export const AUTOTASK_DEVIATIONS: ContractDeviation[] = [
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'Validation and business-rule failures answer HTTP 500 with {"errors": [strings]}; the document declares only 200, 401 and 403.',
		why: 'The live API does this for every entity ("Unsuccessful operations will return an HttpStatusCode of 500"); the transport maps these bodies into VendorApiError.',
		source:
			'Autotask REST API help, "Updating data (PATCH)" ("Unsuccessful operations will return an HttpStatusCode of 500"); sandbox/specs/README.md caveats',
		effect: { kind: 'response', status: '500', schema: AUTOTASK_ERRORS },
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'Unset fields are returned as null (e.g. pageDetails.prevPageUrl, contact emailAddress2); Swagger 2.0 cannot declare nullability.',
		why: 'Live responses carry nulls; a strict reading would reject every real record.',
		source:
			'Live answers, e.g. the pageDetails the @apigrate/autotask-restapi README shows ("prevPageUrl":null,"nextPageUrl":null)',
		effect: { kind: 'nullableResponses' },
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'OperationResultModel.itemId is typed as an empty object; create, update and delete answer {"itemId": <number>}.',
		why: 'The generated document maps the .NET object type to {}; the wire value is the record id.',
		source:
			'Autotask REST API help on creating and updating data: a create, PATCH or PUT answers {"itemId": N}',
		effect: {
			kind: 'property',
			properties: ['itemId'],
			in: '/definitions/OperationResultModel',
			schema: { type: 'integer' },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'Filter.value is typed as an object, but its own description says "Integer, String, Boolean, an Array of Integers, or an Array of Strings".',
		why: 'Every real filter sends a scalar or an array (in/notIn); exist/notExist send none.',
		source:
			'sandbox/specs/autotask.openapi.json definitions.Filter.value.description; Autotask REST API help, "Basic query calls"',
		effect: {
			kind: 'property',
			properties: ['value'],
			in: '/definitions/Filter',
			schema: {
				type: ['integer', 'number', 'string', 'boolean', 'array', 'null'],
				items: { type: ['integer', 'number', 'string'] },
			},
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			"Query bodies are read case-insensitively; clients and the document's own example send MaxRecords / IncludeFields / Filter while the schema spells maxRecords / includeFields / filter.",
		why: "The service binds JSON names case-insensitively (.NET); the transport sends the spelling of the vendor's examples.",
		source:
			'sandbox/specs/autotask.openapi.json definitions.QueryModel.example; public clients (e.g. @apigrate/autotask-restapi) send the keys in either case',
		effect: {
			kind: 'property',
			properties: ['MaxRecords'],
			in: '/definitions/QueryModel',
			schema: { type: 'integer', format: 'int32' },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs: 'IncludeFields is accepted with this capitalisation (see MaxRecords).',
		why: 'Same case-insensitive binding as MaxRecords.',
		source: 'sandbox/specs/autotask.openapi.json definitions.QueryModel.example',
		effect: {
			kind: 'property',
			properties: ['IncludeFields'],
			in: '/definitions/QueryModel',
			schema: { type: 'array', items: { type: 'string' } },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs: 'Filter is accepted with this capitalisation (see MaxRecords).',
		why: 'Same case-insensitive binding as MaxRecords.',
		source: 'sandbox/specs/autotask.openapi.json definitions.QueryModel.example',
		effect: {
			kind: 'property',
			properties: ['Filter'],
			in: '/definitions/QueryModel',
			schema: { type: 'array', items: { $ref: '#/definitions/Filter' } },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'FieldInformationModel.isSupportedWebhookField is typed as an empty object; the live value is a boolean.',
		why: 'Generated-document artefact, like itemId.',
		source:
			'Autotask REST API help, entityInformation/fields (the FieldInformationModel field list)',
		effect: {
			kind: 'property',
			properties: ['isSupportedWebhookField'],
			in: '/definitions/FieldInformationModel',
			schema: { type: 'boolean' },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'Field.isSupportedWebhookField (the UDF definitions of entityInformation/userDefinedFields) is typed as an empty object; the live value is a boolean.',
		why: 'The same generated-document artefact as FieldInformationModel.isSupportedWebhookField; the device sync reads the configuration item UDF definitions.',
		source: 'Autotask REST API help, entityInformation/userDefinedFields (the UDF definition list)',
		effect: {
			kind: 'property',
			properties: ['isSupportedWebhookField'],
			in: '/definitions/Field',
			schema: { type: 'boolean' },
		},
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'EntityInformationModel.userAccessFor{Create,Delete,Query,Update} reference RestUserAccessLevel, an empty object; the live value is the access level\'s name ("None", "All", "Restricted").',
		why: 'Generated-document artefact (a .NET enum); the permission check reads these names.',
		source:
			'Typed third-party Autotask REST clients: a TypeScript client\'s InfoResponse (UserAccess = "None" | "All" | "Restricted"), Anteris-Dev/autotask-client EntityInformationDTO (string)',
		effect: {
			kind: 'property',
			properties: [
				'userAccessForCreate',
				'userAccessForDelete',
				'userAccessForQuery',
				'userAccessForUpdate',
			],
			in: '/definitions/EntityInformationModel',
			schema: { type: 'string', enum: ['None', 'All', 'Restricted'] },
		},
	},
	{
		vendor: 'autotask',
		method: 'GET',
		path: '/V1.0/{entity}/entityInformation',
		differs:
			'The trimmed document keeps entityInformation for Contacts only; every entity has it with the same answer shape.',
		why: 'The credential test and metadata reads use it for Companies, Tickets and others.',
		source:
			'Autotask REST API help, "Resource and child access URLs" (GET /{Entity}/entityInformation answers {info: {...}})',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/entityInformation' },
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'A contact write may send null for a text field: PATCH clears the field (PUT nulls every omitted writable field the same way); the document types them as plain strings.',
		why: 'The Autotask Contact node clears a field only when the user lists it under "Fields to Clear", and sends null for it.',
		source:
			'Autotask REST API help, "Updating data (PATCH)" and "Updating data (PUT)": PATCH changes only the fields sent, PUT nulls every omitted writable field',
		effect: {
			kind: 'property',
			properties: [
				'title',
				'emailAddress',
				'emailAddress2',
				'emailAddress3',
				'phone',
				'mobilePhone',
				'alternatePhone',
				'extension',
				'faxNumber',
				'addressLine',
				'addressLine1',
				'city',
				'state',
				'zipCode',
				'roomNumber',
				'externalID',
				'note',
			],
			in: '/definitions/ContactModel',
			schema: { type: ['string', 'null'] },
		},
	},
	{
		vendor: 'autotask',
		method: 'GET',
		path: '/V1.0/{entity}/entityInformation/fields',
		differs:
			'entityInformation/fields exists for every entity; the trimmed document keeps a few (not Resources).',
		why: 'Picklist labels (queues, statuses, note types...) and field metadata are read from it for any entity.',
		source:
			'Autotask REST API help, "Resource and child access URLs"; sandbox/specs/README.md caveats',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/entityInformation/fields' },
	},
	{
		vendor: 'autotask',
		method: 'GET',
		path: '/V1.0/{entity}/entityInformation/userDefinedFields',
		differs:
			'entityInformation/userDefinedFields exists for every entity; the document keeps Contacts only.',
		why: 'Same answer shape for every entity.',
		source: 'Autotask REST API help, "Resource and child access URLs"',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/entityInformation/userDefinedFields' },
	},
	{
		vendor: 'autotask',
		method: 'POST',
		path: '/V1.0/{entity}/query/count',
		differs:
			'query/count exists for every entity (same QueryModel body, {"queryCount": N} answer).',
		why: 'Counts are asked for entities the trimmed document leaves out.',
		source:
			'Autotask REST API help, "Resource and child access URLs" and "Basic query calls" (query/count answers {"queryCount": N})',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/query/count' },
	},
	{
		vendor: 'autotask',
		method: '*',
		path: '/V1.0/{entity}/query/next',
		differs:
			'pageDetails.nextPageUrl points at {Entity}/query/next?paging=...&search=...; the document has no such path. POST queries re-post the same body there.',
		why: 'The transport follows nextPageUrl exactly as the vendor hands it out.',
		source:
			'Live nextPageUrl values (…/query/next?paging=…); public clients (e.g. n8n-nodes-autotask) re-POST the same body to nextPageUrl',
		effect: { kind: 'sameAs', specPath: '/V1.0/{entity}/query' },
	},
	{
		vendor: 'autotask',
		method: 'POST',
		path: '/V1.0/TimeEntries/query',
		differs: 'TimeEntries is not in the trimmed document.',
		why: 'The alert node reads time entries before completing a ticket (human-work guard).',
		source: 'Autotask REST API help, "TimeEntries entity"',
		effect: {
			kind: 'route',
			request: { $ref: '#/definitions/QueryModel' },
			responses: {
				'200': {
					type: 'object',
					required: ['items', 'pageDetails'],
					properties: {
						items: {
							type: 'array',
							items: { type: 'object', properties: { id: { type: 'integer' } } },
						},
						pageDetails: { $ref: '#/definitions/PagingModel' },
					},
				},
			},
		},
	},
];
