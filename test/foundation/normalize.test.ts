import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { ConnectWiseManageApi } from '../../credentials/ConnectWiseManageApi.credentials';
import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { MicrosoftGraphAppApi } from '../../credentials/MicrosoftGraphAppApi.credentials';
import { cleanText, normalizeEmail, phoneDigits } from '../../lib/contacts/normalize';
import { LOOKUP_TIMEOUT_MS } from '../../lib/transport/http';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

describe('normalization shared by every mapper and the planner', () => {
	test('names keep right-to-left text but lose bidi overrides, embeddings and isolates', () => {
		expect(cleanText('\u202Eevil\u202C Name')).toBe('evil Name');
		expect(cleanText('\u2067عبد الله\u2069')).toBe('عبد الله');
		expect(cleanText('דוד  כהן')).toBe('דוד כהן');
		expect(cleanText('Zoë\u0000 Brontë')).toBe('Zoë Brontë');
	});

	test('addresses and phones compare the way the sync promises', () => {
		expect(normalizeEmail('  Ann.Lee@CONTOSO.com ')).toBe('ann.lee@contoso.com');
		expect(normalizeEmail("o'brien@contoso.com")).toBe("o'brien@contoso.com");
		expect(normalizeEmail('not an address')).toBe('');
		expect(phoneDigits('+1 (425) 555-0100')).toBe(phoneDigits('14255550100'));
	});
});

test('every credential look-up (token, zone, codebase) has a timeout', async () => {
	const cases: Array<[ICredentialType, ICredentialDataDecryptedObject]> = [
		[
			new AutotaskApi(),
			{ username: 'api@msp.example', zone: 'auto', discoveryUrl: 'http://127.0.0.1:9' },
		],
		[
			new ConnectWiseManageApi(),
			{ region: 'custom', customUrl: 'http://127.0.0.1:9', companyId: 'x' },
		],
		[
			new MicrosoftGraphAppApi(),
			{
				cloud: 'custom',
				graphUrl: 'http://127.0.0.1:9',
				loginUrl: 'http://127.0.0.1:9',
				tenantId: 'contoso.onmicrosoft.com',
			},
		],
		[new DattoRmmApi(), { platform: 'custom', customUrl: 'http://127.0.0.1:9', apiKey: 'k' }],
	];
	for (const [type, credentials] of cases) {
		const seen: IHttpRequestOptions[] = [];
		const helpers = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					seen.push(options);
					return {
						statusCode: 200,
						headers: {},
						body: {
							url: 'http://127.0.0.1:9/ATServicesRest/',
							Codebase: 'v2025_1/',
							access_token: 't',
							expires_in: 60,
						},
					};
				},
			},
		};
		await type.preAuthentication!.call(helpers as never, credentials);
		expect(seen.map((options) => options.timeout)).toEqual([LOOKUP_TIMEOUT_MS]);
	}
});
