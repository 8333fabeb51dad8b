import { ConnectWiseManageApi } from '../../credentials/ConnectWiseManageApi.credentials';
import { ConnectWiseClient } from '../../lib/transport/connectwise';
import { DEFAULT_RETRY_POLICY } from '../../lib/transport/retry';
import { emptySeed } from '../../sandbox';
import type { Sandbox, Seed } from '../../sandbox';
import { DirectClient } from '../../dev/directClient';

/**
 * A small ConnectWise tenant with the quirks the tests need: renamed communication types
 * ("Cell" instead of "Mobile", a "Business Email"), an apostrophe in an address, an inactive
 * contact, a contact with two addresses and one without a phone of its own.
 */
export function connectWiseSeed(): Seed {
	const seed = emptySeed();
	seed.connectwise.companies = [
		{
			id: 250,
			identifier: 'Contoso',
			name: 'Contoso Ltd',
			phoneNumber: '4255550000',
			status: { id: 1, name: 'Active' },
		},
		{ id: 251, identifier: 'Fabrikam', name: 'Fabrikam Inc', status: { id: 1, name: 'Active' } },
		{ id: 252, identifier: 'OMalley', name: "O'Malley & Sons", status: { id: 1, name: 'Active' } },
	];
	seed.connectwise.communicationTypes = [
		{
			id: 1,
			description: 'Email',
			emailFlag: true,
			phoneFlag: false,
			faxFlag: false,
			defaultFlag: true,
		},
		{
			id: 2,
			description: 'Direct',
			emailFlag: false,
			phoneFlag: true,
			faxFlag: false,
			defaultFlag: true,
		},
		{
			id: 3,
			description: 'Cell',
			emailFlag: false,
			phoneFlag: true,
			faxFlag: false,
			defaultFlag: false,
		},
		{
			id: 4,
			description: 'Fax',
			emailFlag: false,
			phoneFlag: false,
			faxFlag: true,
			defaultFlag: true,
		},
		{
			id: 5,
			description: 'Business Email',
			emailFlag: true,
			phoneFlag: false,
			faxFlag: false,
			defaultFlag: false,
		},
		{
			id: 6,
			description: 'Home',
			emailFlag: false,
			phoneFlag: true,
			faxFlag: false,
			defaultFlag: false,
		},
	];
	const email = (value: string, defaultFlag = true, type = { id: 1, name: 'Email' }) => ({
		type,
		value,
		defaultFlag,
		communicationType: 'Email',
	});
	const phone = (value: string, type: { id: number; name: string }, defaultFlag = false) => ({
		type,
		value,
		defaultFlag,
		communicationType: 'Phone',
	});
	seed.connectwise.contacts = [
		{
			id: 1,
			firstName: 'Ada',
			lastName: 'Lovelace',
			title: 'CTO',
			company: { id: 250 },
			communicationItems: [
				email('ada@contoso.com'),
				phone('4255550100', { id: 2, name: 'Direct' }, true),
				phone('4255550101', { id: 3, name: 'Cell' }),
				phone('4255550109', { id: 6, name: 'Home' }),
			],
		},
		{
			id: 2,
			firstName: 'Brian',
			lastName: "O'Brien",
			title: 'Accountant',
			company: { id: 250 },
			communicationItems: [
				email("o'brien@contoso.com"),
				phone('+1 425 555 0102', { id: 2, name: 'Direct' }, true),
			],
		},
		{
			id: 3,
			firstName: 'Grace',
			lastName: 'Hopper',
			title: 'Admiral',
			inactiveFlag: true,
			company: { id: 250 },
			communicationItems: [email('grace@contoso.com')],
		},
		{
			id: 4,
			firstName: 'Dan',
			lastName: 'Jump',
			company: { id: 251 },
			communicationItems: [
				email('dan@fabrikam.com'),
				email('DJump@Fabrikam.com', false, { id: 5, name: 'Business Email' }),
			],
		},
		{
			id: 5,
			firstName: 'Percy',
			lastName: '100% Sure',
			title: 'C:\\Temp',
			company: { id: 252 },
			communicationItems: [email('percy@omalley.example')],
		},
	];
	return seed;
}

/** A transport over a plain HTTP client that applies the real credential class. */
export function directConnectWise(sandbox: Sandbox, overrides: Record<string, string> = {}) {
	const http = new DirectClient(new ConnectWiseManageApi(), {
		...sandbox.credentials.connectWiseManageApi,
		...overrides,
	});
	const client = new ConnectWiseClient(http, {
		policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20 },
	});
	return { http, client };
}

/** Adds `count` active contacts to a company, each with one Email item. */
export function addBulkContacts(
	sandbox: Sandbox,
	count: number,
	companyId = 251,
	prefix = 'bulk',
): void {
	for (let i = 0; i < count; i++) {
		sandbox.connectwise.addContact({
			firstName: `Bulk${i}`,
			lastName: `Person${i}`,
			company: { id: companyId },
			communicationItems: [
				{
					id: 0,
					type: { id: 1, name: 'Email' },
					value: `${prefix}${i}@fabrikam.com`,
					defaultFlag: true,
					communicationType: 'Email',
				},
			],
		});
	}
}
