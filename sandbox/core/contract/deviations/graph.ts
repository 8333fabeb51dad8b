/** Where Microsoft Graph's live API differs from sandbox/specs/msgraph-users.openapi.json. */
import type { ContractDeviation } from './types';
import { OAUTH_ERROR, OAUTH_TOKEN } from './oauth';

export const GRAPH_DEVIATIONS: ContractDeviation[] = [
	{
		vendor: 'graph',
		method: 'POST',
		path: '/{tenant}/oauth2/v2.0/token',
		differs:
			'The client-credentials token endpoint (login host) is not part of the Graph document.',
		why: 'The credential mints app-only tokens here; the sandbox serves it on the Graph port.',
		source: 'Microsoft identity platform documentation, "Get access without a user"',
		effect: { kind: 'route', responses: { '200': OAUTH_TOKEN, '4XX': OAUTH_ERROR } },
	},
	{
		vendor: 'graph',
		method: 'GET',
		path: '/users/delta',
		differs:
			"The SDK-flavoured document names the delta function /users/microsoft.graph.delta(); Graph's URL is /users/delta.",
		why: 'The package calls the live URL.',
		source: 'sandbox/specs/README.md caveats; Microsoft Graph documentation, "user: delta"',
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
];
