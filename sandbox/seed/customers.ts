/** The cast: the MSP, its customers, their domains and their ids in every system. */
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
];

export const CONTOSO = CUSTOMERS[0];

export const customerByKey = (key: string): Customer =>
	CUSTOMERS.find((c) => c.key === key) ?? CONTOSO;

/** The default seed's scenario.json: Contoso in both PSAs, both its domains. */
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
