/** Where ConnectWise Manage's live API differs from sandbox/specs/connectwise-manage.openapi.json. */
import type { ContractDeviation } from './types';

export const CONNECTWISE_DEVIATIONS: ContractDeviation[] = [
	{
		vendor: 'connectwise',
		method: 'GET',
		path: '/login/companyinfo/{companyId}',
		differs: 'Codebase discovery lives outside /apis/3.0 and is not in the Manage document.',
		why: 'The credential finds the codebase (e.g. "v2025_1/") here before any API call.',
		source: 'ConnectWise developer guide, "Cloud vs Premise"',
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
			'ConnectWise developer guide, troubleshooting ("a 404 ... on cloud? You may have incorrect authentication"); the Message shape is [U]',
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
		source:
			'ConnectWise developer guide, status codes and "Rate Limiting"; live error bodies; sandbox/specs/README.md caveats',
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
			'ConnectWise developer guide, "Query String Parameters" (fields: "company/companies?fields=id,name,status/id")',
		effect: { kind: 'projection', parameter: 'fields' },
	},
	{
		vendor: 'connectwise',
		method: '*',
		path: '*',
		differs:
			'PatchOperation.value is typed as an object; live patches send strings, numbers, booleans, objects or arrays.',
		why: 'e.g. [{"op":"replace","path":"inactiveFlag","value":true}] is the documented way to deactivate.',
		source: 'ConnectWise developer guide, PATCH examples',
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
		source:
			'ConnectWise developer guide, "Query String Parameters" (customFieldConditions examples)',
		effect: {
			kind: 'property',
			properties: ['value'],
			in: '/components/schemas/CustomFieldValue',
			schema: {},
		},
	},
	{
		vendor: 'connectwise',
		method: 'GET',
		path: '/time/entries/count',
		differs:
			'The trimmed Manage document keeps GET /time/entries but not its /count twin, which answers {count} like every other collection count.',
		why: 'Whether a technician logged time on a ticket is one count; the vendor points there itself.',
		source:
			'Manage document, GET /service/tickets/{parentId}/timeentries/count: "Please use the /time/entries/count?conditions=(chargeToType="ServiceTicket" OR chargeToType="ProjectTicket") AND chargeToId={id} endpoint"; clients generated from the 2025.1 document list GET /time/entries/count (Get Count of TimeEntry)',
		effect: {
			kind: 'route',
			responses: { '200': { $ref: '#/components/schemas/Count' } },
		},
	},
];
