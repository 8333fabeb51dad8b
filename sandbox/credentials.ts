/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake identities of the local sandbox, never shipped in dist */
/**
 * The API identities the sandbox accepts by default. Recognisable on purpose: the reliability
 * suite checks that none of these values ever shows up in an error, a log line or an output.
 */
export const SANDBOX_IDENTITIES = {
	autotask: {
		username: 'n8n-api@sandbox-msp.example',
		secret: 'AT-SECRET-7f3c9e1d-sandbox',
		integrationCode: 'ATCODE4B7Q2SANDBOXTRACKID27',
	},
	connectwise: {
		companyId: 'sandboxmsp',
		publicKey: 'CWPUBLIC9x8y7z',
		privateKey: 'CW-PRIVATE-5a6b7c8d-sandbox',
		clientId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
		codebase: 'v2025_1/',
	},
	graph: {
		tenantId: '6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c',
		tenantDomain: 'contoso.onmicrosoft.com',
		clientId: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
		clientSecret: 'GRAPH-SECRET~q8R2sandbox',
	},
	datto: {
		apiKey: 'DATTOKEYSANDBOX01',
		apiSecret: 'DATTO-SECRET-sandbox-9911',
	},
} as const;

/** Every secret value above, for leak checks. */
export function sandboxSecrets(): string[] {
	return [
		SANDBOX_IDENTITIES.autotask.secret,
		SANDBOX_IDENTITIES.autotask.integrationCode,
		SANDBOX_IDENTITIES.connectwise.privateKey,
		SANDBOX_IDENTITIES.graph.clientSecret,
		SANDBOX_IDENTITIES.datto.apiSecret,
	];
}
