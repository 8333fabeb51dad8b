import { parseCustomerMap } from '../../lib/customers/map';
import {
	candidatesFrom,
	nameKey,
	readCandidate,
	suggestCustomerMap,
	webDomain,
} from '../../lib/customers/suggest';
import type { CompanyCandidate, SiteCandidate, TenantCandidate } from '../../lib/customers/suggest';

const CONTOSO = '6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c';
const tenant = (tenantId: string, displayName: string, ...domains: string[]): TenantCandidate => ({
	tenantId,
	displayName,
	domains: [`${tenantId}.onmicrosoft.com`, ...domains],
});
const at = (id: number, name: string, extra: Partial<CompanyCandidate> = {}): CompanyCandidate => ({
	psa: 'autotask',
	id,
	name,
	...extra,
});
const cw = (id: number, name: string, extra: Partial<CompanyCandidate> = {}): CompanyCandidate => ({
	psa: 'connectwise',
	id,
	name,
	...extra,
});
const site = (uid: string, name: string, autotaskCompanyId?: number): SiteCandidate => ({
	uid,
	name,
	autotaskCompanyId,
});

describe('suggested customer map rows', () => {
	test('exact: the web address is a verified domain in both PSAs, the site by its own mapping', () => {
		const result = suggestCustomerMap({
			tenants: [tenant(CONTOSO, 'Contoso Ltd', 'contoso.com', 'contosoretail.com')],
			companies: [
				at(101, 'Contoso', { webAddress: 'https://www.Contoso.com/' }),
				cw(250, 'Contoso Limited', { webAddress: 'contoso.com' }),
			],
			sites: [site('s1', 'HQ', 101), site('s2', 'Somewhere else')],
		});
		expect(result.suggestions).toHaveLength(1);
		const [suggestion] = result.suggestions;
		expect(suggestion.confidence).toBe('high');
		expect(suggestion.ambiguities).toEqual([]);
		expect(suggestion.row).toEqual({
			name: 'Contoso Ltd',
			tenant: CONTOSO,
			domains: 'contoso.com, contosoretail.com',
			autotaskCompanyId: 101,
			connectwiseCompanyId: 250,
			dattoSiteUids: 's1',
			contactSync: false,
			updateExisting: false,
			mode: 'changes',
			fields: '',
		});
		expect(suggestion.evidence).toEqual([
			'autotask company 101 "Contoso": web address contoso.com',
			'connectwise company 250 "Contoso Limited": web address contoso.com',
			'site "HQ" is mapped to Autotask company 101',
		]);
		expect(result.unmatched).toEqual({
			tenants: [],
			companies: [],
			sites: [site('s2', 'Somewhere else')],
		});
		// The proposed row is a valid map row.
		expect(parseCustomerMap([suggestion.row]).errors).toEqual([]);
	});

	test('weaker evidence only when the stronger finds nothing: contact domains, then the name', () => {
		const result = suggestCustomerMap({
			tenants: [tenant('t1', 'Fabrikam, Inc.', 'fabrikam.com'), tenant('t2', 'Tailspin Toys')],
			companies: [
				at(1, 'FAB Holding', { contactDomains: ['fabrikam.com', 'fabrikam.com', 'gmail.com'] }),
				at(2, 'Fabrikam Inc', { contactDomains: ['other.com'] }),
				at(3, 'Tailspin Toys Ltd.'),
			],
			sites: [site('s9', 'Tailspin Toys (Spokane)')],
		});
		const [fabrikam, tailspin] = result.suggestions;
		expect(fabrikam.row.autotaskCompanyId).toBe(1);
		expect(fabrikam.confidence).toBe('medium');
		expect(fabrikam.evidence[0]).toContain('2 contact address(es) on fabrikam.com');
		expect(tailspin.row).toMatchObject({ autotaskCompanyId: 3, dattoSiteUids: 's9' });
		expect(tailspin.confidence).toBe('low');
		expect(result.unmatched.companies).toEqual([
			at(2, 'Fabrikam Inc', { contactDomains: ['other.com'] }),
		]);
	});

	test('ambiguous: two companies on one web domain are reported with both, never guessed', () => {
		const result = suggestCustomerMap({
			tenants: [tenant('t1', 'Fabrikam, Inc.', 'fabrikam.com')],
			companies: [
				at(1, 'Fabrikam, Inc.', { webAddress: 'www.fabrikam.com' }),
				at(2, 'Fabrikam Residences', { webAddress: 'http://fabrikam.com' }),
				cw(251, 'Fabrikam, Inc.', { webAddress: 'www.fabrikam.com' }),
			],
			sites: [],
		});
		const [suggestion] = result.suggestions;
		expect(suggestion.row.autotaskCompanyId).toBe('');
		expect(suggestion.row.connectwiseCompanyId).toBe(251);
		expect(suggestion.ambiguities).toEqual([
			{
				what: 'autotask',
				evidence:
					'Fabrikam, Inc.: web address fabrikam.com; Fabrikam Residences: web address fabrikam.com',
				candidates: [expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })],
			},
		]);
		// Neither ambiguous company is listed as unmatched: the user sees them in the ambiguity.
		expect(result.unmatched.companies).toEqual([]);
	});

	test('ambiguous: a company two tenants match by name is given to neither', () => {
		const result = suggestCustomerMap({
			tenants: [tenant('t1', 'Litware'), tenant('t2', 'Litware Inc.')],
			companies: [at(5, 'Litware, Inc.')],
			sites: [],
		});
		expect(result.suggestions.map((s) => s.row.autotaskCompanyId)).toEqual(['', '']);
		for (const suggestion of result.suggestions)
			expect(suggestion.ambiguities[0]).toMatchObject({ what: 'autotask' });
	});

	test('unmatched: tenants, companies and sites nothing points at come out on their own; inactive companies are never proposed', () => {
		const result = suggestCustomerMap({
			tenants: [tenant('t1', 'Wingtip Toys', 'wingtiptoys.com'), tenant('t2', 'Nobody')],
			companies: [
				at(7, 'Alpine Ski House', { webAddress: 'alpineskihouse.com' }),
				at(8, 'Wingtip Toys', { webAddress: 'wingtiptoys.com', active: false }),
			],
			sites: [site('w1', 'Wingtip Toys - Head Office'), site('n1', 'Northwind IT - Internal', 0)],
		});
		expect(result.suggestions).toHaveLength(1);
		expect(result.suggestions[0].row).toMatchObject({
			tenant: 't1',
			autotaskCompanyId: '',
			dattoSiteUids: 'w1',
		});
		expect(result.unmatched.tenants.map((t) => t.tenantId)).toEqual(['t2']);
		expect(result.unmatched.companies.map((c) => c.id)).toEqual([7, 8]);
		expect(result.unmatched.sites.map((s) => s.uid)).toEqual(['n1']);
	});

	test('onmicrosoft.com domains never match; web addresses and names are compared as people write them', () => {
		expect(webDomain(' HTTPS://www2.Contoso.com:443/path?q ')).toBe('contoso.com');
		expect(webDomain('not a web address')).toBeUndefined();
		expect(nameKey('Zoë Müller GmbH')).toBe('zoe muller');
		expect(nameKey('The Contoso Company, Ltd.')).toBe('contoso');
		const result = suggestCustomerMap({
			tenants: [tenant('contoso', 'Tenant A')],
			companies: [at(1, 'B', { webAddress: 'contoso.onmicrosoft.com' })],
			sites: [],
		});
		expect(result.suggestions).toEqual([]);
	});

	test('input items are read by their vendor shape; contacts lend their domains to their company', () => {
		const items = [
			{ id: 29684105, companyName: 'Litware, Inc.', webAddress: 'litwareinc.com', isActive: false },
			{
				id: 254,
				identifier: 'Litware',
				name: 'Litware, Inc.',
				status: { id: 2, name: 'Inactive' },
			},
			{ uid: 'site-1', name: 'Litware HQ', autotaskCompanyId: '29684105' },
			{ system: 'autotask', companyId: '29684105', email: 'Ann@Litwareinc.com', id: '7' },
			{ system: 'autotask', companyId: '1', email: 'bob@elsewhere.com', id: '8' },
		].map((json) => readCandidate(json)!);
		expect(items.map((item) => item.kind)).toEqual([
			'company',
			'company',
			'site',
			'contact',
			'contact',
		]);
		expect(readCandidate({ hello: 'world' })).toBeUndefined();
		const { companies, sites } = candidatesFrom(items);
		expect(companies).toEqual([
			{
				psa: 'autotask',
				id: 29684105,
				name: 'Litware, Inc.',
				webAddress: 'litwareinc.com',
				active: false,
				contactDomains: ['litwareinc.com'],
			},
			{
				psa: 'connectwise',
				id: 254,
				name: 'Litware, Inc.',
				webAddress: undefined,
				active: false,
				contactDomains: undefined,
			},
		]);
		expect(sites).toEqual([{ uid: 'site-1', name: 'Litware HQ', autotaskCompanyId: 29684105 }]);
	});
});
