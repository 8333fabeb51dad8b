/**
 * THE list of known differences between a vendor's published API document (sandbox/specs/) and
 * the vendor's live behaviour. The sandbox follows the live behaviour; the contract checker
 * (./contract.ts) reads this list and nothing else to know where the document is not the truth.
 *
 * One entry per difference: which vendor, which route, what differs, why the live behaviour
 * wins, and where it is documented. Add an entry here (never a special case in the checker)
 * when a vendor sandbox meets a new difference.
 *
 * Paths are written as in the vendor's document, relative to its base path (Autotask
 * `/V1.0/...`, ConnectWise `/company/...`, Graph `/users...`, Datto `/v2/...`), matched
 * case-insensitively; `{name}` matches one path segment and `*` matches every path. Routes that
 * live outside the base path (token endpoints, ConnectWise login/companyinfo) are written as
 * sent, e.g. `/auth/oauth/token`.
 *
 * Schemas inside an entry are JSON Schema in the dialect of the vendor's document and may `$ref`
 * the document's own schemas (`#/definitions/...` for Autotask, `#/components/schemas/...`
 * for the others).
 */
import type { SandboxVendor } from './types';

export type JsonSchema = Record<string, unknown>;

export type DeviationEffect =
	/** A route the package uses that the trimmed document leaves out. Optional schemas check it anyway. */
	| {
			kind: 'route';
			/** JSON request body schema. */
			request?: JsonSchema;
			/** Response body schema by status ('200', '4XX', 'default'). */
			responses?: Record<string, JsonSchema>;
	  }
	/** The route is the document's `specPath` under another name; `{name}` segments carry over. */
	| { kind: 'sameAs'; specPath: string }
	/** A response status the document does not declare, with the body the live API sends. */
	| { kind: 'response'; status: string; schema: JsonSchema }
	/**
	 * The live type of some properties. With `in` (a JSON pointer to an object schema of the
	 * document) the properties are set on that schema; without it, every property of that name
	 * anywhere in the document (inline copies included) is replaced.
	 */
	| { kind: 'property'; properties: string[]; in?: string; schema: JsonSchema }
	/** Any property of a response may be null (the document cannot say so). */
	| { kind: 'nullableResponses' }
	/** `additionalProperties: {type: object}` in the document means "open type", not "objects only". */
	| { kind: 'openTypes' }
	/**
	 * With this query parameter in the request, the response carries only the properties asked
	 * for: the document's `required` lists do not hold for that response.
	 */
	| { kind: 'projection'; parameter: string };

export interface ContractDeviation {
	vendor: SandboxVendor;
	/** HTTP method, or '*' for any. Document-wide effects (property, nullableResponses, openTypes) use '*'. */
	method: string;
	/** Path pattern (see above), or '*' for every path. */
	path: string;
	/** What differs between the document and the live API. */
	differs: string;
	/** Why the sandbox (and the package) follow the live behaviour. */
	why: string;
	/** Where the live behaviour is documented: a reference note section, a vendor page, an issue. */
	source: string;
	effect: DeviationEffect;
}

const AUTOTASK_ERRORS: JsonSchema = {
	type: 'object',
	required: ['errors'],
	properties: { errors: { type: 'array', items: { type: 'string' } } },
};

const OAUTH_TOKEN: JsonSchema = {
	type: 'object',
	required: ['access_token'],
	properties: {
		access_token: { type: 'string', minLength: 1 },
		token_type: { type: 'string' },
		expires_in: { type: 'integer' },
		ext_expires_in: { type: 'integer' },
		scope: { type: 'string' },
	},
};

const OAUTH_ERROR: JsonSchema = {
	type: 'object',
	required: ['error'],
	properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};

const EPOCH_MILLISECONDS: JsonSchema = { type: 'integer', minimum: 0 };

export const CONTRACT_DEVIATIONS: ContractDeviation[] = [
	// ---------------------------------------------------------------- Autotask
	{
		vendor: 'autotask',
		method: '*',
		path: '*',
		differs:
			'Validation and business-rule failures answer HTTP 500 with {"errors": [strings]}; the document declares only 200, 401 and 403.',
		why: 'The live API does this for every entity ("Unsuccessful operations will return an HttpStatusCode of 500"); the transport maps these bodies into VendorApiError.',
		source:
			'shared/reference/autotask.md §4.8; Autotask REST_Updating_Data_PATCH.htm; sandbox/specs/README.md caveats',
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
			'shared/reference/autotask.md §2.3 (apigrate README: "prevPageUrl":null,"nextPageUrl":null)',
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
			'shared/reference/autotask.md §4.8 ("Success: create {"itemId": N}, PATCH/PUT {"itemId": N}")',
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
			'sandbox/specs/autotask.openapi.json definitions.Filter.value.description; shared/reference/autotask.md §2.2',
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
			'sandbox/specs/autotask.openapi.json definitions.QueryModel.example; shared/reference/autotask.md §2.2 (field names are case-insensitive [APIG])',
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
		source: 'shared/reference/autotask.md §3.4 (FieldInformationModel field list)',
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
			'EntityInformationModel.userAccessFor{Create,Delete,Query,Update} reference RestUserAccessLevel, an empty object; the live value is the access level\'s name ("None", "All", "Restricted").',
		why: 'Generated-document artefact (a .NET enum); the permission check reads these names.',
		source:
			'[3P] typed Autotask REST clients: a TypeScript client\'s InfoResponse (UserAccess = "None" | "All" | "Restricted"), Anteris-Dev/autotask-client EntityInformationDTO (string)',
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
		source: 'shared/reference/autotask.md §2.1 ("GET /{Entity}/entityInformation → {info: {...}}")',
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
			'shared/reference/autotask.md §0 and §3.1 (PATCH changes only sent fields; PUT nulls omitted writable fields)',
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
		source: 'shared/reference/autotask.md §2.1, §3.4; sandbox/specs/README.md caveats',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/entityInformation/fields' },
	},
	{
		vendor: 'autotask',
		method: 'GET',
		path: '/V1.0/{entity}/entityInformation/userDefinedFields',
		differs:
			'entityInformation/userDefinedFields exists for every entity; the document keeps Contacts only.',
		why: 'Same answer shape for every entity.',
		source: 'shared/reference/autotask.md §2.1',
		effect: { kind: 'sameAs', specPath: '/V1.0/Contacts/entityInformation/userDefinedFields' },
	},
	{
		vendor: 'autotask',
		method: 'POST',
		path: '/V1.0/{entity}/query/count',
		differs:
			'query/count exists for every entity (same QueryModel body, {"queryCount": N} answer).',
		why: 'Counts are asked for entities the trimmed document leaves out.',
		source: 'shared/reference/autotask.md §2.1, §2.3',
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
			'shared/reference/autotask.md §2.3 (nextPageUrl fixture; "re-POST the same body to nextPageUrl")',
		effect: { kind: 'sameAs', specPath: '/V1.0/{entity}/query' },
	},
	{
		vendor: 'autotask',
		method: 'POST',
		path: '/V1.0/TimeEntries/query',
		differs: 'TimeEntries is not in the trimmed document.',
		why: 'The alert node reads time entries before completing a ticket (human-work guard).',
		source: 'shared/reference/datto-rmm.md §7 item 7; Autotask TimeEntriesEntity.htm',
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

	// ---------------------------------------------------------------- ConnectWise Manage
	{
		vendor: 'connectwise',
		method: 'GET',
		path: '/login/companyinfo/{companyId}',
		differs: 'Codebase discovery lives outside /apis/3.0 and is not in the Manage document.',
		why: 'The credential finds the codebase (e.g. "v2025_1/") here before any API call.',
		source: 'shared/reference/connectwise-and-graph.md §1.4 (Developer Guide "Cloud vs Premise")',
		effect: {
			kind: 'route',
			responses: {
				'200': {
					type: 'object',
					required: ['Codebase'],
					properties: {
						CompanyName: { type: 'string' },
						Codebase: { type: 'string', pattern: '/$' },
						VersionCode: { type: 'string' },
						VersionNumber: { type: 'string' },
						CompanyID: { type: 'string' },
						IsCloud: { type: ['string', 'boolean'] },
					},
				},
			},
		},
	},
	{
		vendor: 'connectwise',
		method: '*',
		path: '*',
		differs:
			'A 404 comes in two shapes: a missing record answers {code: "NotFound", message, errors}; a path no route serves answers ASP.NET Web API\'s {"Message": "No HTTP resource was found that matches the request URI ..."} without a code. On cloud sites, wrong keys sent through the v4_6_release router get the second kind.',
		why: 'The transport tells the two apart to say "check the credentials" instead of "the record does not exist" (an exact status entry wins over the generic 4XX one, which requires `message`).',
		source:
			'shared/reference/connectwise-and-graph.md §1.4 (Developer Guide troubleshooting: "a 404 ... on cloud? You may have incorrect authentication"), §5.4; the Message shape is [U]',
		effect: {
			kind: 'response',
			status: '404',
			schema: {
				type: 'object',
				properties: {
					code: { type: 'string' },
					message: { type: 'string' },
					Message: { type: 'string' },
					errors: { type: ['array', 'null'] },
				},
				anyOf: [{ required: ['code', 'message'] }, { required: ['Message'] }],
			},
		},
	},
	{
		vendor: 'connectwise',
		method: '*',
		path: '*',
		differs:
			'The document declares only 200/201/204; errors come as {code, message, errors: [{code, message, resource, field}]} (429: {error, message}).',
		why: 'The sandbox answers malformed conditions, field-limit violations and missing records with the live error shape.',
		source: 'shared/reference/connectwise-and-graph.md §2.7, §2.8; sandbox/specs/README.md caveats',
		effect: {
			kind: 'response',
			status: '4XX',
			schema: {
				type: 'object',
				required: ['message'],
				properties: {
					code: { type: 'string' },
					message: { type: 'string' },
					errors: {
						type: ['array', 'null'],
						items: {
							type: 'object',
							properties: {
								code: { type: 'string' },
								message: { type: 'string' },
								resource: { type: 'string' },
								field: { type: 'string' },
							},
						},
					},
				},
			},
		},
	},
	{
		vendor: 'connectwise',
		method: 'GET',
		path: '*',
		differs:
			'With `fields=id,...` the response holds only the listed properties, so properties the document marks required (Company identifier/name, CommunicationType description) are absent.',
		why: "fields is a documented parameter of every list and get; n8n's credential test asks /company/companies?pageSize=1&fields=id.",
		source:
			'shared/reference/connectwise-and-graph.md §2.5 (fields: "company/companies?fields=id,name,status/id")',
		effect: { kind: 'projection', parameter: 'fields' },
	},
	{
		vendor: 'connectwise',
		method: '*',
		path: '*',
		differs:
			'PatchOperation.value is typed as an object; live patches send strings, numbers, booleans, objects or arrays.',
		why: 'e.g. [{"op":"replace","path":"inactiveFlag","value":true}] is the documented way to deactivate.',
		source: 'shared/reference/connectwise-and-graph.md §2.4 (Developer Guide PATCH examples)',
		effect: {
			kind: 'property',
			properties: ['value'],
			in: '/components/schemas/PatchOperation',
			schema: {},
		},
	},
	{
		vendor: 'connectwise',
		method: '*',
		path: '*',
		differs:
			'CustomFieldValue.value is typed as an object; live custom field values are strings, numbers, booleans or null.',
		why: 'Generated-document artefact.',
		source: 'shared/reference/connectwise-and-graph.md §2.5 (customFieldConditions examples)',
		effect: {
			kind: 'property',
			properties: ['value'],
			in: '/components/schemas/CustomFieldValue',
			schema: {},
		},
	},

	// ---------------------------------------------------------------- Microsoft Graph
	{
		vendor: 'graph',
		method: 'POST',
		path: '/{tenant}/oauth2/v2.0/token',
		differs:
			'The client-credentials token endpoint (login host) is not part of the Graph document.',
		why: 'The credential mints app-only tokens here; the sandbox serves it on the Graph port.',
		source: 'shared/reference/connectwise-and-graph.md §3 (auth-v2-service.md)',
		effect: { kind: 'route', responses: { '200': OAUTH_TOKEN, '4XX': OAUTH_ERROR } },
	},
	{
		vendor: 'graph',
		method: 'GET',
		path: '/users/delta',
		differs:
			"The SDK-flavoured document names the delta function /users/microsoft.graph.delta(); Graph's URL is /users/delta.",
		why: 'The package calls the live URL.',
		source: 'sandbox/specs/README.md caveats; shared/reference/connectwise-and-graph.md §4.4',
		effect: { kind: 'sameAs', specPath: '/users/microsoft.graph.delta()' },
	},
	{
		vendor: 'graph',
		method: 'GET',
		path: '/users/delta()',
		differs: 'Same function, written with parentheses as some clients do.',
		why: 'Both spellings reach the same function on Graph.',
		source: 'sandbox/specs/README.md caveats',
		effect: { kind: 'sameAs', specPath: '/users/microsoft.graph.delta()' },
	},
	{
		vendor: 'graph',
		method: '*',
		path: '*',
		differs:
			'The document marks open types with additionalProperties: {type: object}; read literally, every string or number outside the declared properties (@odata.context, @odata.count, proxyAddresses in an allOf part) would be rejected.',
		why: 'OData entity types are open; the generator uses that notation for "anything".',
		source: 'Microsoft OpenAPI.NET.OData conversion (x-ms-* documents); sandbox/specs/README.md',
		effect: { kind: 'openTypes' },
	},

	// ---------------------------------------------------------------- Datto RMM
	{
		vendor: 'datto',
		method: 'POST',
		path: '/auth/oauth/token',
		differs: 'The password-grant token endpoint lives outside /api and is not in the document.',
		why: 'The credential exchanges the API key and secret for a bearer token here.',
		source: 'shared/reference/datto-rmm.md §1.2',
		effect: { kind: 'route', responses: { '200': OAUTH_TOKEN, '4XX': OAUTH_ERROR } },
	},
	{
		vendor: 'datto',
		method: '*',
		path: '*',
		differs:
			'Timestamps (Alert.timestamp, resolvedOn; Device.lastSeen, lastReboot, lastAuditDate, creationDate) are epoch-millisecond numbers, typed string/date-time in the document.',
		why: 'Observed in a live sweep of 848 devices and 1,578 alerts; clients divide by 1000.',
		source: 'shared/reference/datto-rmm.md §1.4 [3P] (pncit design.md; aaronengels/DattoRMM #32)',
		effect: {
			kind: 'property',
			properties: [
				'timestamp',
				'resolvedOn',
				'lastSeen',
				'lastReboot',
				'lastAuditDate',
				'creationDate',
			],
			schema: EPOCH_MILLISECONDS,
		},
	},
	{
		vendor: 'datto',
		method: '*',
		path: '*',
		differs:
			"alertContext is a Jackson @class-tagged object whose real fields match none of the document's ~30 *Context schemas (and those overlap, so oneOf can never hold).",
		why: 'Real classes: online_offline_status_ctx, perf_resource_usage_ctx, perf_disk_usage_ctx, srvc_status_ctx, eventlog_ctx, comp_script_ctx, antivirus_ctx, patch_ctx, ...; unknown classes must be accepted.',
		source: 'shared/reference/datto-rmm.md §1.4 [3P] (DattoRMM.Core alert-context discovery)',
		effect: {
			kind: 'property',
			properties: ['alertContext'],
			schema: {
				type: 'object',
				required: ['@class'],
				properties: { '@class': { type: 'string', minLength: 1 } },
			},
		},
	},
	{
		vendor: 'datto',
		method: '*',
		path: '*',
		differs:
			'Response actions carry actionTime as epoch milliseconds or as a date-time string, typed string/date-time.',
		why: 'Live form not confirmed [U]; both are accepted until a tenant shows one.',
		source: 'shared/reference/datto-rmm.md §1.4',
		effect: {
			kind: 'property',
			properties: ['actionTime'],
			in: '/components/schemas/ResponseAction',
			schema: { type: ['integer', 'string'] },
		},
	},
	{
		vendor: 'datto',
		method: '*',
		path: '*',
		differs: 'Any field may be null; the document declares no nullability.',
		why: 'Live responses are full of nulls (e.g. ticketNumber, resolvedBy on open alerts).',
		source:
			'shared/reference/datto-rmm.md §1.4 [3P] ("Nulls everywhere; spec declares no nullability")',
		effect: { kind: 'nullableResponses' },
	},
	{
		vendor: 'datto',
		method: 'GET',
		path: '/v2/account/devices',
		differs: 'Account device listing is not in the trimmed document.',
		why: 'Used to list devices (hostname, siteUid) for CI matching; same paging envelope as sites.',
		source: 'shared/reference/datto-rmm.md §1.3 "Other useful" (pncit spec/openapi.json)',
		effect: {
			kind: 'route',
			responses: {
				'200': {
					type: 'object',
					required: ['pageDetails', 'devices'],
					properties: {
						pageDetails: { $ref: '#/components/schemas/PaginationData' },
						devices: { type: 'array', items: { $ref: '#/components/schemas/Device' } },
					},
				},
			},
		},
	},
	{
		vendor: 'datto',
		method: 'GET',
		path: '/v2/site/{siteUid}/devices',
		differs: 'Site device listing is not in the trimmed document.',
		why: 'Same envelope as /v2/account/devices.',
		source: 'shared/reference/datto-rmm.md §1.3 "Other useful" (pncit spec/openapi.json)',
		effect: {
			kind: 'route',
			responses: {
				'200': {
					type: 'object',
					required: ['pageDetails', 'devices'],
					properties: {
						pageDetails: { $ref: '#/components/schemas/PaginationData' },
						devices: { type: 'array', items: { $ref: '#/components/schemas/Device' } },
					},
				},
			},
		},
	},
];
