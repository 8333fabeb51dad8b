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

export const DATTO_PLATFORMS = ['concord', 'merlot', 'pinotage', 'syrah', 'vidal', 'zinfandel'];

export function dattoOrigin(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.platform === 'custom') return normalizeBaseUrl(credentials.customUrl);
	const platform = DATTO_PLATFORMS.includes(String(credentials.platform))
		? String(credentials.platform)
		: 'pinotage';
	return `https://${platform}-api.centrastage.net`;
}

/**
 * Datto RMM API v2: an API key and secret are exchanged for a bearer token (password grant with
 * the public client); the token lives about 100 hours and is cached in the credential.
 */
export class DattoRmmApi implements ICredentialType {
	name = 'dattoRmmApi';

	displayName = 'Datto RMM API';

	icon: Icon = { light: 'file:../icons/dattoRmm.svg', dark: 'file:../icons/dattoRmm.dark.svg' };

	documentationUrl = 'https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: [
				{ name: 'Concord', value: 'concord' },
				{ name: 'Custom URL (Sandbox)', value: 'custom' },
				{ name: 'Merlot', value: 'merlot' },
				{ name: 'Pinotage', value: 'pinotage' },
				{ name: 'Syrah', value: 'syrah' },
				{ name: 'Vidal', value: 'vidal' },
				{ name: 'Zinfandel', value: 'zinfandel' },
			],
			default: 'pinotage',
			description:
				'The first part of the address you log in to (merlot.centrastage.net → Merlot). A wrong platform answers 404, not 401.',
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:8083',
			description: 'Scheme and host of the API, without /api',
			displayOptions: { show: { platform: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Setup > Users > (user) > Generate API Keys',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
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
		const origin = dattoOrigin(credentials);
		const apiKey = String(credentials.apiKey ?? '').trim();
		const form = new URLSearchParams({
			grant_type: 'password',
			username: apiKey,
			password: String(credentials.apiSecret ?? ''),
		});
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: joinUrl(origin, 'auth/oauth/token'),
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				// Datto's documented public client for the password grant; not a secret.
				Authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
			},
			body: form.toString(),
			...LOOKUP_REQUEST,
		})) as {
			statusCode: number;
			body: {
				access_token?: string;
				expires_in?: number;
				error_description?: string;
				error?: string;
			};
		};
		const token = response.body?.access_token;
		if (response.statusCode === 404) {
			throw new Error(
				'Datto RMM answered 404 at its token endpoint, which means the wrong platform. Pick the platform of the address you log in to (merlot.centrastage.net → Merlot).',
			);
		}
		const transient = transientLookupFailure(
			`Datto RMM's token endpoint answered HTTP ${response.statusCode}`,
			response,
		);
		if (transient) throw transient;
		if (response.statusCode >= 300 || !token) {
			const reason =
				response.body?.error_description ?? response.body?.error ?? `HTTP ${response.statusCode}`;
			throw new Error(
				`Datto RMM did not issue an API token (${reason}). Check the platform, the API key and secret, and that API access is enabled under Setup > Global Settings > Access Control.`,
			);
		}
		return cachedFor(
			'dattoRmmApi',
			credentials,
			token,
			Number(response.body.expires_in ?? 360000) * 1000,
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withCachedBearer(
			'dattoRmmApi',
			credentials,
			requestOptions,
			joinUrl(dattoOrigin(credentials), 'api'),
		);
	}

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/v2/account/sites', qs: { max: 1 } },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Datto RMM answered 404, which usually means the wrong platform. Pick the platform of the address you log in to.',
				},
			},
		],
	};
}
