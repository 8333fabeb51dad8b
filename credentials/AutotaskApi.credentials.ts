import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { decodeCachedValue, joinUrl, normalizeBaseUrl } from '../lib/transport/cachedValue';
import { cachedFor } from '../lib/transport/credentialCache';
import { LOOKUP_REQUEST, transientLookupFailure } from '../lib/transport/http';

const ZONE_CACHE_MS = 7 * 24 * 3600 * 1000;
export const AUTOTASK_DEFAULT_DISCOVERY_URL = 'https://webservices.autotask.net/atservicesrest';

/**
 * Autotask REST: three headers on every call, and a per-database "zone" host that is found
 * once through zoneInformation and then cached in the credential (refreshed on a 401).
 */
export class AutotaskApi implements ICredentialType {
	name = 'autotaskApi';

	displayName = 'Autotask API';

	icon: Icon = { light: 'file:../icons/autotask.svg', dark: 'file:../icons/autotask.dark.svg' };

	documentationUrl =
		'https://www.autotask.net/help/developerhelp/Content/APIs/General/Define_API_User.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'API Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. n8n-api@yourmsp.com',
			description:
				'Username of an API-only resource (security level "API User (system)"). Exempt it from password expiry or the integration stops when the password ages out.',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API Integration Code',
			name: 'integrationCode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The tracking identifier on the API user\'s Security tab (Integration Vendor, or "Custom (Internal Integration)")',
		},
		{
			displayName: 'Zone',
			name: 'zone',
			type: 'options',
			options: [
				{
					name: 'Auto-Discover',
					value: 'auto',
					description: 'Ask Autotask which zone hosts this database (cached after the first call)',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A fixed zone URL, e.g. a regional host or a local sandbox',
				},
			],
			default: 'auto',
		},
		{
			displayName: 'Zone Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://webservices5.autotask.net/ATServicesRest',
			description: 'Everything before /V1.0 in the REST URLs of your zone',
			displayOptions: { show: { zone: ['custom'] } },
		},
		{
			displayName: 'Zone Discovery URL',
			name: 'discoveryUrl',
			type: 'string',
			default: AUTOTASK_DEFAULT_DISCOVERY_URL,
			description:
				'Where zoneInformation is asked. Change it only for a private endpoint or the local sandbox.',
			displayOptions: { show: { zone: ['auto'] } },
		},
		{
			displayName: 'Default Impersonation Resource ID',
			name: 'impersonationResourceId',
			type: 'string',
			default: '',
			description:
				'Optional. Writes are made on behalf of this resource unless a node sets "Act As". Leave empty to write as the API user.',
		},
		{
			displayName: 'Resolved Zone',
			name: 'resolvedZone',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const username = String(credentials.username ?? '').trim();
		if (credentials.zone === 'custom') {
			const baseUrl = normalizeBaseUrl(credentials.baseUrl);
			if (!/^https?:\/\//i.test(baseUrl)) {
				throw new Error(
					'The Autotask zone base URL must start with https:// (for example https://webservices5.autotask.net/ATServicesRest).',
				);
			}
			return cachedFor('autotaskApi', credentials, baseUrl, ZONE_CACHE_MS);
		}
		const discoveryUrl =
			normalizeBaseUrl(credentials.discoveryUrl) || AUTOTASK_DEFAULT_DISCOVERY_URL;
		const response = (await this.helpers.httpRequest({
			method: 'GET',
			url: joinUrl(discoveryUrl, 'V1.0/ZoneInformation'),
			qs: { user: username },
			headers: {
				ApiIntegrationCode: String(credentials.integrationCode ?? ''),
				UserName: username,
				Secret: String(credentials.secret ?? ''),
			},
			...LOOKUP_REQUEST,
		})) as { statusCode: number; body: { url?: string; errors?: string[] } };
		const zoneUrl = normalizeBaseUrl(response.body?.url);
		const transient = transientLookupFailure(
			`Autotask's zone look-up answered HTTP ${response.statusCode}`,
			response,
		);
		if (transient) throw transient;
		if (response.statusCode >= 300 || !zoneUrl) {
			const vendorMessage = response.body?.errors?.join(' ') ?? `HTTP ${response.statusCode}`;
			throw new Error(
				`Zone information could not be determined for API user "${username}" (Autotask said: ${vendorMessage}). ` +
					'Check that the API Username is the full username of an API-only resource (security level "API User (system)"), ' +
					'that the resource is active, or set the zone base URL by hand.',
			);
		}
		return cachedFor('autotaskApi', credentials, zoneUrl, ZONE_CACHE_MS);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: IHttpRequestOptions['headers'] = {
			...requestOptions.headers,
			ApiIntegrationCode: String(credentials.integrationCode ?? ''),
			UserName: String(credentials.username ?? '').trim(),
			Secret: String(credentials.secret ?? ''),
		};
		const defaultImpersonation = String(credentials.impersonationResourceId ?? '').trim();
		if (defaultImpersonation && headers.ImpersonationResourceId === undefined) {
			headers.ImpersonationResourceId = defaultImpersonation;
		}
		const zone = decodeCachedValue(credentials.resolvedZone)?.value;
		return {
			...requestOptions,
			headers,
			baseURL: requestOptions.baseURL ?? (zone ? joinUrl(zone, 'V1.0') : undefined),
		};
	}

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/Contacts/entityInformation' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"Autotask rejected the secret (401). Re-enter the API user's secret, and make sure the resource is exempt from password expiry.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 500,
					message:
						'Autotask rejected the API Integration Code ("IntegrationCode is invalid."). Copy the tracking identifier from the API user\'s Security tab (Integration Vendor or Custom (Internal Integration)).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API user may not read contacts (403). Give its security level access to Contacts under Admin > Features & Settings > Resources/Users (HR) > Security Levels.',
				},
			},
		],
	};
}
