/**
 * The cast: the MSP, its customers, their domains and their ids in every system, and their
 * Microsoft 365 tenants. Mistakes worth catching, on purpose: Fabrikam Residences shares
 * Fabrikam's domain (one tenant, two companies); Alpine Ski House has companies but no tenant;
 * Wingtip Toys has a tenant and a Datto site but no company yet; Tailspin's GDAP relationship
 * lapsed; Litware is an inactive company without a tenant. Coho Winery, the newest customer, is
 * simply right everywhere: a tenant with two verified domains, a company in both PSAs, a site.
 */
import { SANDBOX_IDENTITIES } from '../credentials';
import type { Scenario } from '../scenario';

export interface Customer {
	key: string;
	name: string;
	identifier: string;
	autotaskId: number;
	connectwiseId: number;
	domain: string;
	city: string;
	state: string;
	zip: string;
	phone: string;
	active: boolean;
}

export const MSP = {
	name: 'Northwind IT Services',
	autotaskId: 0,
	connectwiseId: 19298,
	domain: 'northwindit.example',
};

export const CONTOSO_DOMAINS = ['contoso.com', 'contosoretail.com'];

export const CUSTOMERS: Customer[] = [
	{
		key: 'contoso',
		name: 'Contoso Ltd',
		identifier: 'Contoso',
		autotaskId: 29684101,
		connectwiseId: 250,
		domain: 'contoso.com',
		city: 'Redmond',
		state: 'WA',
		zip: '98052',
		phone: '+1 425 555 0100',
		active: true,
	},
	{
		key: 'fabrikam',
		name: 'Fabrikam, Inc.',
		identifier: 'Fabrikam',
		autotaskId: 29684102,
		connectwiseId: 251,
		domain: 'fabrikam.com',
		city: 'Portland',
		state: 'OR',
		zip: '97205',
		phone: '+1 503 555 0140',
		active: true,
	},
	{
		key: 'adventureworks',
		name: 'Adventure Works Cycles',
		identifier: 'AdventureWorks',
		autotaskId: 29684103,
		connectwiseId: 252,
		domain: 'adventure-works.com',
		city: 'Bothell',
		state: 'WA',
		zip: '98011',
		phone: '+1 425 555 0170',
		active: true,
	},
	{
		key: 'tailspin',
		name: 'Tailspin Toys',
		identifier: 'TailspinToys',
		autotaskId: 29684104,
		connectwiseId: 253,
		domain: 'tailspintoys.com',
		city: 'Spokane',
		state: 'WA',
		zip: '99201',
		phone: '+1 509 555 0190',
		active: true,
	},
	{
		key: 'litware',
		name: 'Litware, Inc.',
		identifier: 'Litware',
		autotaskId: 29684105,
		connectwiseId: 254,
		domain: 'litwareinc.com',
		city: 'Tacoma',
		state: 'WA',
		zip: '98402',
		phone: '+1 253 555 0110',
		active: false,
	},
	// A second company on Fabrikam's domain: a subsidiary someone entered as its own company.
	{
		key: 'fabrikamresidences',
		name: 'Fabrikam Residences',
		identifier: 'FabrikamResidences',
		autotaskId: 29684106,
		connectwiseId: 255,
		domain: 'fabrikam.com',
		city: 'Portland',
		state: 'OR',
		zip: '97209',
		phone: '+1 503 555 0160',
		active: true,
	},
	// A customer on another mail platform: companies in both PSAs, no Microsoft 365 tenant.
	{
		key: 'alpine',
		name: 'Alpine Ski House',
		identifier: 'AlpineSkiHouse',
		autotaskId: 29684107,
		connectwiseId: 256,
		domain: 'alpineskihouse.com',
		city: 'Leavenworth',
		state: 'WA',
		zip: '98826',
		phone: '+1 509 555 0130',
		active: true,
	},
	{
		key: 'coho',
		name: 'Coho Winery',
		identifier: 'CohoWinery',
		autotaskId: 29684108,
		connectwiseId: 257,
		domain: 'cohowinery.com',
		city: 'Walla Walla',
		state: 'WA',
		zip: '99362',
		phone: '+1 509 555 0150',
		active: true,
	},
];

export const CONTOSO = CUSTOMERS[0];

export const customerByKey = (key: string): Customer =>
	CUSTOMERS.find((c) => c.key === key) ?? CONTOSO;

/** A Microsoft 365 tenant of the seed. */
export interface TenantSpec {
	key: string;
	id: string;
	displayName: string;
	initialDomain: string;
	/** Custom verified domains, the first the default. */
	domains: string[];
	/** The PSA customer whose people work here (CUSTOMERS key), if any. */
	customerKey?: string;
	/** GDAP with the MSP: active, or only an expired relationship left. */
	gdap: 'active' | 'renewed' | 'expired';
}

/** The MSP's own tenant: it answers the GDAP lists. */
export const PARTNER_TENANT = {
	id: '0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b',
	displayName: MSP.name,
	initialDomain: 'northwindit.onmicrosoft.com',
	domains: [MSP.domain],
};

/** The customers' tenants; Contoso's is the sandbox credential's (its users are the demo's). */
export const TENANTS: TenantSpec[] = [
	{
		key: 'contoso',
		id: SANDBOX_IDENTITIES.graph.tenantId,
		displayName: 'Contoso Ltd',
		initialDomain: SANDBOX_IDENTITIES.graph.tenantDomain,
		domains: [...CONTOSO_DOMAINS],
		customerKey: 'contoso',
		gdap: 'renewed',
	},
	{
		key: 'fabrikam',
		id: '3d8f2a61-5c47-4b9e-a2d1-7e6f90b1c2a3',
		displayName: 'Fabrikam, Inc.',
		initialDomain: 'fabrikaminc.onmicrosoft.com',
		domains: ['fabrikam.com'],
		customerKey: 'fabrikam',
		gdap: 'active',
	},
	{
		key: 'adventureworks',
		id: 'b4e1c9d2-7a35-4f68-9b0e-2c4d6f8a1e35',
		displayName: 'Adventure Works Cycles',
		initialDomain: 'adventureworkscycles.onmicrosoft.com',
		domains: ['adventure-works.com'],
		customerKey: 'adventureworks',
		gdap: 'active',
	},
	{
		key: 'tailspin',
		id: '9c7a5e3b-1d2f-4a6c-8e9b-0f1a2b3c4d5e',
		displayName: 'Tailspin Toys',
		initialDomain: 'tailspintoys.onmicrosoft.com',
		domains: ['tailspintoys.com'],
		customerKey: 'tailspin',
		gdap: 'expired',
	},
	{
		key: 'wingtip',
		id: '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f',
		displayName: 'Wingtip Toys',
		initialDomain: 'wingtiptoys.onmicrosoft.com',
		domains: ['wingtiptoys.com'],
		gdap: 'active',
	},
	{
		key: 'coho',
		id: '2f9b6d41-8e3a-4c7b-a5d0-6e1f7c2b9a84',
		displayName: 'Coho Winery',
		initialDomain: 'cohowinery.onmicrosoft.com',
		// The tasting room and the vineyard crew mail from the second brand's domain.
		domains: ['cohowinery.com', 'cohovineyard.com'],
		customerKey: 'coho',
		gdap: 'active',
	},
];

export const tenantByKey = (key: string): TenantSpec => TENANTS.find((t) => t.key === key)!;

/** The one-customer contact sync: Contoso in both PSAs, both its domains. */
export function contosoScenario(): Scenario {
	return {
		contactSync: {
			autotaskCompanyId: CONTOSO.autotaskId,
			connectwiseCompanyId: CONTOSO.connectwiseId,
			domains: [...CONTOSO_DOMAINS],
			updateExisting: true,
			mode: 'changes',
		},
	};
}

/**
 * The default seed's scenario.json: the one-customer contact sync (Contoso), and the customer map
 * of every customer as the MSP keeps it.
 */
export function defaultScenario(siteUids: (customerKey: string) => string[]): Scenario {
	const row = (key: string, extra: Record<string, unknown>) => ({
		name: customerByKey(key).name,
		autotaskCompanyId: customerByKey(key).autotaskId,
		connectwiseCompanyId: customerByKey(key).connectwiseId,
		dattoSiteUids: siteUids(key),
		...extra,
	});
	return {
		...contosoScenario(),
		customers: [
			row('contoso', {
				tenant: tenantByKey('contoso').id,
				domains: [...CONTOSO_DOMAINS],
				contactSync: true,
				updateExisting: true,
				mode: 'changes',
			}),
			row('fabrikam', {
				tenant: 'fabrikam.com',
				domains: ['fabrikam.com'],
				contactSync: true,
				updateExisting: false,
				mode: 'changes',
			}),
			row('adventureworks', {
				tenant: tenantByKey('adventureworks').id,
				domains: ['adventure-works.com'],
				contactSync: true,
				updateExisting: true,
				mode: 'mirror',
			}),
			row('tailspin', {
				tenant: 'tailspintoys.com',
				domains: ['tailspintoys.com'],
				contactSync: true,
			}),
			row('coho', {
				tenant: tenantByKey('coho').id,
				domains: [...tenantByKey('coho').domains],
				contactSync: true,
				updateExisting: true,
				mode: 'changes',
			}),
			{
				name: 'Wingtip Toys',
				tenant: 'wingtiptoys.com',
				domains: ['wingtiptoys.com'],
				dattoSiteUids: siteUids('wingtip'),
				contactSync: false,
			},
			row('alpine', { contactSync: false }),
		],
	};
}
