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

const CODEBASE_CACHE_MS = 24 * 3600 * 1000;
const ON_PREMISES_CODEBASE = 'v4_6_release/';

export const CONNECTWISE_REGION_HOSTS: Record<string, string> = {
	na: 'https://api-na.myconnectwise.net',
	eu: 'https://api-eu.myconnectwise.net',
	au: 'https://api-au.myconnectwise.net',
	aus: 'https://api-aus.myconnectwise.net',
	za: 'https://api-za.myconnectwise.net',
	staging: 'https://api-staging.connectwisedev.com',
};

export function connectWiseOrigin(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.region === 'custom') return normalizeBaseUrl(credentials.customUrl);
	return CONNECTWISE_REGION_HOSTS[String(credentials.region)] ?? CONNECTWISE_REGION_HOSTS.na;
}

/**
 * ConnectWise Manage (PSA): Basic `company+publicKey:privateKey`, the integration's clientId
 * header, a pinned API version, and a codebase path found through login/companyinfo (cached).
 */
export class ConnectWiseManageApi implements ICredentialType {
	name = 'connectWiseManageApi';

	displayName = 'ConnectWise Manage API';

	icon: Icon = {
		light: 'file:../icons/connectwise.svg',
		dark: 'file:../icons/connectwise.dark.svg',
	};

	documentationUrl = 'https://developer.connectwise.com/Products/ConnectWise_PSA/Developer_Guide';

	properties: INodeProperties[] = [
		{
			displayName: 'Site',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Australia (api-au)', value: 'au' },
				{ name: 'Australia (api-aus)', value: 'aus' },
				{ name: 'Custom Host (On-Premises or Sandbox)', value: 'custom' },
				{ name: 'Europe (api-eu)', value: 'eu' },
				{ name: 'North America (api-na)', value: 'na' },
				{ name: 'South Africa (api-za)', value: 'za' },
				{ name: 'Staging (api-staging)', value: 'staging' },
			],
			default: 'na',
		},
		{
			displayName: 'Custom Host URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://cw.yourmsp.com',
			description: 'Scheme and host of your ConnectWise server, without the codebase or /apis/3.0',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Company ID',
			name: 'companyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The company you type on the ConnectWise login screen',
		},
		{
			displayName: 'Public Key',
			name: 'publicKey',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The integration GUID registered at developer.connectwise.com/ClientID',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2025.1',
			description:
				'Pinned in the Accept header so that a PSA upgrade cannot change response shapes under a running workflow',
		},
		{
			displayName: 'Codebase',
			name: 'codebase',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const origin = connectWiseOrigin(credentials);
		if (!/^https?:\/\//i.test(origin)) {
			throw new Error(
				'The ConnectWise custom host must start with https:// (for example https://cw.yourmsp.com).',
			);
		}
		const companyId = String(credentials.companyId ?? '').trim();
		// companyinfo answers without authentication; it is asked on the host without the api- prefix too.
		const response = (await this.helpers.httpRequest({
			method: 'GET',
			url: joinUrl(origin, `login/companyinfo/${encodeURIComponent(companyId)}`),
			...LOOKUP_REQUEST,
		})) as { statusCode: number; body: { Codebase?: string } | string };
		const transient = transientLookupFailure(
			`ConnectWise's company information answered HTTP ${response.statusCode}`,
			response,
		);
		if (transient) throw transient;
		let codebase = ON_PREMISES_CODEBASE;
		if (response.statusCode < 300 && typeof response.body === 'object' && response.body?.Codebase) {
			codebase = response.body.Codebase.endsWith('/')
				? response.body.Codebase
				: `${response.body.Codebase}/`;
		} else if (response.statusCode !== 404) {
			throw new Error(
				`ConnectWise did not return company information for company "${companyId}" (HTTP ${response.statusCode}). Check the Site and the Company ID.`,
			);
		}
		return cachedFor('connectWiseManageApi', credentials, codebase, CODEBASE_CACHE_MS);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const login = `${String(credentials.companyId ?? '').trim()}+${String(credentials.publicKey ?? '').trim()}`;
		const basic = Buffer.from(`${login}:${String(credentials.privateKey ?? '')}`).toString(
			'base64',
		);
		const version = String(credentials.apiVersion ?? '').trim();
		const codebase = decodeCachedValue(credentials.codebase)?.value ?? ON_PREMISES_CODEBASE;
		const pinned = version
			? `application/vnd.connectwise.com+json; version=${version}`
			: 'application/vnd.connectwise.com+json';
		// The nodes' HTTP seam asks for plain application/json on every call; the pinned version must still win.
		const asked = requestOptions.headers?.Accept;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Accept: typeof asked === 'string' && asked && asked !== 'application/json' ? asked : pinned,
				Authorization: `Basic ${basic}`,
				clientId: String(credentials.clientId ?? '').trim(),
			},
			baseURL:
				requestOptions.baseURL ?? joinUrl(connectWiseOrigin(credentials), `${codebase}apis/3.0`),
		};
	}

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/company/companies', qs: { pageSize: 1, fields: 'id' } },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ConnectWise rejected the keys (401). Check the Company ID, the public and private key of the API member, and that the member is not inactive.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"The API member's security role may not read companies (403). Grant Companies > Company Maintenance inquire rights to its role.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'ConnectWise answered 404. On cloud sites this usually means wrong credentials, not a missing page: check the Site, the Company ID and the keys.',
				},
			},
		],
	};
}
