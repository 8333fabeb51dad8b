/** Where Datto RMM's live API differs from sandbox/specs/datto-rmm.openapi.json. */
import type { ContractDeviation, JsonSchema } from './types';
import { OAUTH_ERROR, OAUTH_TOKEN } from './oauth';

const EPOCH_MILLISECONDS: JsonSchema = { type: 'integer', minimum: 0 };

export const DATTO_DEVIATIONS: ContractDeviation[] = [
	{
		vendor: 'datto',
		method: 'POST',
		path: '/auth/oauth/token',
		differs: 'The password-grant token endpoint lives outside /api and is not in the document.',
		why: 'The credential exchanges the API key and secret for a bearer token here.',
		source:
			'Datto RMM help, "Datto RMM API v2"; public clients (DattoRMM.Core Request-ApiToken.ps1) use the same request',
		effect: { kind: 'route', responses: { '200': OAUTH_TOKEN, '4XX': OAUTH_ERROR } },
	},
	{
		vendor: 'datto',
		method: '*',
		path: '*',
		differs:
			'Timestamps (Alert.timestamp, resolvedOn; Device.lastSeen, lastReboot, lastAuditDate, creationDate) are epoch-millisecond numbers, typed string/date-time in the document.',
		why: 'Observed in a live sweep of 848 devices and 1,578 alerts; clients divide by 1000.',
		source:
			'Public Datto RMM clients that read the live API (pncit design notes; aaronengels/DattoRMM issue #32)',
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
		source: 'DattoRMM.Core (public PowerShell module): its alert-context discovery of live classes',
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
		source: 'Public Datto RMM clients (DattoRMM.Core, pncit); the live form is [U]',
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
			'Public Datto RMM clients that read the live API ("nulls everywhere; the spec declares no nullability")',
		effect: { kind: 'nullableResponses' },
	},
];
