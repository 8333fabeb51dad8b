/**
 * A small Microsoft 365 tenant with the messy cases real tenants have, in Graph's own shape,
 * for the Graph tests (independent of the default seed, so expectations stay stable).
 */
import { emptySeed } from '../../sandbox';
import type { Seed } from '../../sandbox';

export const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const E5 = 'c7df2760-2c81-4ef7-b578-5b5392b571df';
export const ROOMS = '6070a4c8-34c6-4937-8dfb-39bbc6397a60';

const licensed = [{ skuId: E3, disabledPlans: [] }];

let sequence = 0;
function id(): string {
	sequence++;
	return `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
}

interface UserInput {
	upn: string;
	given?: string | null;
	surname?: string | null;
	display?: string;
	mail?: string | null;
	enabled?: boolean;
	licenses?: Array<{ skuId: string; disabledPlans: string[] }>;
	type?: 'Member' | 'Guest';
	proxies?: string[];
	title?: string | null;
	phones?: string[];
	mobile?: string | null;
}

export function graphUser(input: UserInput): Record<string, unknown> {
	const mail = input.mail === undefined ? input.upn : input.mail;
	return {
		id: id(),
		displayName: input.display ?? [input.given, input.surname].filter(Boolean).join(' '),
		givenName: input.given ?? null,
		surname: input.surname ?? null,
		jobTitle: input.title === undefined ? 'Consultant' : input.title,
		mail,
		userPrincipalName: input.upn,
		businessPhones: input.phones ?? ['+1 425 555 0100'],
		mobilePhone: input.mobile === undefined ? null : input.mobile,
		accountEnabled: input.enabled ?? true,
		assignedLicenses: input.licenses ?? licensed,
		userType: input.type ?? 'Member',
		proxyAddresses: input.proxies ?? (mail ? [`SMTP:${mail}`] : []),
		officeLocation: null,
		preferredLanguage: 'en-US',
		companyName: null,
		department: null,
	};
}

/** The messy tenant (contoso.onmicrosoft.com = the sandbox's default tenant). */
export const MESSY_USERS = [
	graphUser({
		upn: 'AdeleV@Contoso.com',
		given: 'Adele',
		surname: 'Vance',
		mail: 'AdeleV@Contoso.com',
		title: 'Retail Manager',
		phones: ['+1 425 555 0109'],
		proxies: ['SMTP:AdeleV@Contoso.com', 'smtp:adele@contoso.onmicrosoft.com'],
	}),
	graphUser({
		upn: 'alexw@contoso.com',
		given: 'Alex',
		surname: 'Wilber',
		title: '',
		phones: [],
		mobile: '   ',
	}),
	graphUser({ upn: 'diegos@contoso.com', given: 'Diego', surname: 'Siciliani', enabled: false }),
	graphUser({ upn: 'gradya@contoso.com', given: 'Grady', surname: 'Archie', licenses: [] }),
	graphUser({
		upn: 'jane_fabrikam.com#EXT#@contoso.onmicrosoft.com',
		given: 'Jane',
		surname: 'Guest',
		mail: 'jane@fabrikam.com',
		type: 'Guest',
		licenses: [],
	}),
	graphUser({
		upn: 'bob_northwind.example#EXT#@contoso.onmicrosoft.com',
		given: 'Bob',
		surname: 'Partner',
		mail: 'bob@northwind.example',
		type: 'Member',
	}),
	graphUser({ upn: 'info@contoso.com', display: 'Info', enabled: false, licenses: [] }),
	graphUser({ upn: 'support@contoso.com', display: 'Support', title: null, phones: [] }),
	graphUser({
		upn: 'confroom.seattle@contoso.com',
		display: 'Conference Room Seattle',
		licenses: [{ skuId: ROOMS, disabledPlans: [] }],
		title: null,
	}),
	graphUser({
		upn: 'MeganB@contoso.com',
		given: 'Megan',
		surname: 'Bowen',
		mail: null,
		proxies: ['smtp:megan@contoso.onmicrosoft.com', 'SMTP:MeganB@contoso.com'],
	}),
	graphUser({ upn: 'LeeG@contoso.com', given: 'Lee', surname: 'Gu', mail: null, proxies: [] }),
	graphUser({
		upn: 'syncadmin@contoso.onmicrosoft.com',
		given: 'Sync',
		surname: 'Admin',
		mail: null,
		proxies: [],
		phones: [],
	}),
	graphUser({
		upn: 'zoe.angstrom@contoso.com',
		given: 'Zoë',
		surname: 'Ångström',
		title: 'Ingénieure',
		phones: ['+46 8 555 0100'],
	}),
	graphUser({
		upn: "patrick.o'brien@contoso.com",
		given: 'Patrick',
		surname: "O'Brien",
		title: "Director of Children's Services",
	}),
	graphUser({ upn: 'isaiah@contoso.com', display: 'Langer, Isaiah', given: null, surname: null }),
	graphUser({
		upn: 'pradeep@contoso.com',
		given: 'Pradeep',
		surname: 'Gupta',
		mail: 'pradeep@contoso.co.uk',
		proxies: ['SMTP:pradeep@contoso.co.uk', 'smtp:pradeep@contoso.com'],
	}),
	graphUser({
		upn: 'nestorw@contoso.co.uk',
		given: 'Nestor',
		surname: 'Wilke',
		mail: 'NestorW@Contoso.co.uk',
	}),
	graphUser({
		upn: 'HENRIETTAM@CONTOSO.COM',
		given: 'Henrietta',
		surname: 'Mueller',
		mail: 'HENRIETTAM@CONTOSO.COM',
		mobile: '+1 206 555 0199',
	}),
];

/** UPNs by the rule that excludes them, for readable expectations. */
export const UPN = {
	adele: 'AdeleV@Contoso.com',
	alex: 'alexw@contoso.com',
	disabled: 'diegos@contoso.com',
	unlicensed: 'gradya@contoso.com',
	guest: 'jane_fabrikam.com#EXT#@contoso.onmicrosoft.com',
	extMember: 'bob_northwind.example#EXT#@contoso.onmicrosoft.com',
	sharedInfo: 'info@contoso.com',
	sharedSupport: 'support@contoso.com',
	room: 'confroom.seattle@contoso.com',
	megan: 'MeganB@contoso.com',
	lee: 'LeeG@contoso.com',
	noAddress: 'syncadmin@contoso.onmicrosoft.com',
	zoe: 'zoe.angstrom@contoso.com',
	patrick: "patrick.o'brien@contoso.com",
	isaiah: 'isaiah@contoso.com',
	pradeep: 'pradeep@contoso.com',
	nestor: 'nestorw@contoso.co.uk',
	henrietta: 'HENRIETTAM@CONTOSO.COM',
};

export function messySeed(): Seed {
	const seed = emptySeed();
	seed.graph.users = structuredClone(MESSY_USERS);
	return seed;
}

/** `count` plain, enabled, licensed members of `domain` (for paging tests). */
export function bulkUsers(domain: string, count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, i) => {
		const n = String(i + 1).padStart(4, '0');
		return graphUser({ upn: `user${n}@${domain}`, given: `User${n}`, surname: 'Bulk' });
	});
}
