import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { joinUrl, normalizeBaseUrl } from '../lib/transport/cachedValue';
import { cachedFor, withCachedBearer } from '../lib/transport/credentialCache';
import { LOOKUP_REQUEST, transientLookupFailure } from '../lib/transport/http';
import { GRAPH_TENANT_PATTERN as TENANT_PATTERN } from '../lib/transport/graph';

export const GRAPH_CLOUDS: Record<string, { graph: string; login: string }> = {
	global: { graph: 'https://graph.microsoft.com', login: 'https://login.microsoftonline.com' },
	usGov: { graph: 'https://graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	usGovDod: { graph: 'https://dod-graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	china: {
		graph: 'https://microsoftgraph.chinacloudapi.cn',
		login: 'https://login.chinacloudapi.cn',
	},
};

export function graphEndpoints(credentials: ICredentialDataDecryptedObject): {
	graph: string;
	login: string;
} {
	if (credentials.cloud === 'custom') {
		return {
			graph: normalizeBaseUrl(credentials.graphUrl),
			login: normalizeBaseUrl(credentials.loginUrl),
		};
	}
	return GRAPH_CLOUDS[String(credentials.cloud)] ?? GRAPH_CLOUDS.global;
}

/**
 * Microsoft Graph with an app registration (client credentials). One multi-tenant app can serve
 * many customer tenants: the node may override the tenant per item, so the cached token records
 * the tenant it was minted for and is never sent for another one
 * (docs/adr/credential-caches-stamped-with-owner.md).
 */
export class MicrosoftGraphAppApi implements ICredentialType {
	name = 'microsoftGraphAppApi';

	displayName = 'Microsoft Graph (App-Only) API';

	icon: Icon = {
		light: 'file:../icons/microsoft365.svg',
		dark: 'file:../icons/microsoft365.dark.svg',
	};

	documentationUrl = 'https://learn.microsoft.com/en-us/graph/auth-v2-service';

	properties: INodeProperties[] = [
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: 'China (21Vianet)', value: 'china' },
				{ name: 'Custom Endpoints (Sandbox)', value: 'custom' },
				{ name: 'Global (Including GCC)', value: 'global' },
				{ name: 'US Government (GCC High)', value: 'usGov' },
				{ name: 'US Government DoD', value: 'usGovDod' },
			],
			default: 'global',
		},
		{
			displayName: 'Graph URL',
			name: 'graphUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:8082',
			description: 'Graph root without /v1.0',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:8082',
			description: 'Token host; the token is asked at {Login URL}/{tenant}/oauth2/v2.0/token',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. contoso.onmicrosoft.com or a directory GUID',
			description:
				'The default tenant. Microsoft 365 Users can override it per item, so one multi-tenant app serves every customer.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Application (client) ID of the app registration',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const tenantId = String(credentials.tenantId ?? '').trim();
		if (!TENANT_PATTERN.test(tenantId)) {
			throw new Error(
				`"${tenantId}" is not a tenant ID. Use the directory GUID or a verified domain such as contoso.onmicrosoft.com.`,
			);
		}
		const { graph, login } = graphEndpoints(credentials);
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: String(credentials.clientId ?? '').trim(),
			client_secret: String(credentials.clientSecret ?? ''),
			scope: `${graph}/.default`,
		});
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: joinUrl(login, `${encodeURIComponent(tenantId)}/oauth2/v2.0/token`),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: form.toString(),
			...LOOKUP_REQUEST,
		})) as {
			statusCode: number;
			body: {
				access_token?: string;
				expires_in?: number;
				error?: string;
				error_description?: string;
			};
		};
		const token = response.body?.access_token;
		const transient = transientLookupFailure(
			`Microsoft's token endpoint answered HTTP ${response.statusCode}`,
			response,
		);
		if (transient) throw transient;
		if (response.statusCode >= 300 || !token) {
			const reason = (
				response.body?.error_description?.split('\r\n')[0] ??
				response.body?.error ??
				`HTTP ${response.statusCode}`
			).replace(/\.+$/, '');
			throw new Error(
				`Microsoft did not issue a Graph token for tenant "${tenantId}": ${reason}. ` +
					'Check the client ID and secret (and its expiry), and that an administrator of this tenant consented to the app.',
			);
		}
		return cachedFor(
			'microsoftGraphAppApi',
			credentials,
			token,
			Number(response.body.expires_in ?? 3599) * 1000,
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// A token minted for another tenant is withheld: Graph answers 401 and n8n mints a new one.
		return withCachedBearer(
			'microsoftGraphAppApi',
			credentials,
			requestOptions,
			joinUrl(graphEndpoints(credentials).graph, 'v1.0'),
		);
	}

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/users', qs: { $top: 1, $select: 'id' } },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The app may not read users (403). Add the Microsoft Graph application permission User.Read.All and grant admin consent in this tenant.',
				},
			},
		],
	};
}
