import {
	companyOf,
	customerOfSite,
	CustomerMapError,
	parseCustomer,
	parseCustomerMap,
} from '../../lib/customers/map';

const row = (cells: Record<string, unknown>) => ({ name: 'Contoso', ...cells });

describe('customer map rows', () => {
	it('reads a Data Table row with every column', () => {
		const customer = parseCustomer(
			{
				name: ' Contoso Ltd ',
				tenant: 'Contoso.onmicrosoft.com',
				domains: 'contoso.com; @ContosoRetail.com',
				autotaskCompanyId: 29684101,
				connectwiseCompanyId: '250',
				dattoSiteUids: 'site-a, site-b,site-a',
				contactSync: 'yes',
				updateExisting: false,
				mode: 'Mirror',
				fields: 'firstName, lastName',
			},
			0,
		);
		expect(customer).toEqual({
			row: 0,
			name: 'Contoso Ltd',
			tenant: 'contoso.onmicrosoft.com',
			domains: ['contoso.com', 'contosoretail.com'],
			autotaskCompanyId: 29684101,
			connectwiseCompanyId: 250,
			dattoSiteUids: ['site-a', 'site-b'],
			contactSync: true,
			updateExisting: false,
			mode: 'mirror',
			fields: ['firstName', 'lastName'],
		});
	});

	it('fills blanks with the defaults: sync on, create only (no update existing), changes only, no PSA company', () => {
		const customer = parseCustomer(
			{ name: 'Fabrikam', autotaskCompanyId: '', dattoSiteUids: null },
			3,
		);
		expect(customer).toMatchObject({
			row: 3,
			domains: [],
			autotaskCompanyId: undefined,
			connectwiseCompanyId: undefined,
			dattoSiteUids: [],
			contactSync: true,
			updateExisting: false,
			mode: 'changes',
			fields: [],
		});
	});

	it.each([
		[{ name: '' }, 'name', /row 2: name is empty/],
		[
			row({ autotaskCompanyId: '2968410l' }),
			'autotaskCompanyId',
			/row 2 \("Contoso"\): autotaskCompanyId is "2968410l"/,
		],
		[row({ connectwiseCompanyId: -5 }), 'connectwiseCompanyId', /connectwiseCompanyId is "-5"/],
		[row({ domains: 'contoso.c' }), 'domains', /domains "contoso\.c" is not a domain/],
		[row({ tenant: 'not a tenant' }), 'tenant', /neither a tenant id nor a domain/],
		[row({ contactSync: 'maybe' }), 'contactSync', /contactSync is "maybe"/],
		[row({ mode: 'full' }), 'mode', /mode is "full"/],
	])('names the row and the column of a bad cell (%j)', (cells, column, message) => {
		let error: unknown;
		try {
			parseCustomer(cells, 1);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(CustomerMapError);
		expect((error as CustomerMapError).field).toBe(column);
		expect((error as CustomerMapError).message).toMatch(message);
		expect((error as CustomerMapError).description).not.toBe('');
	});

	it('accepts a tenant id', () => {
		expect(parseCustomer(row({ tenant: '6F1D2C3B-0000-4000-8000-00000000AB12' }), 0).tenant).toBe(
			'6f1d2c3b-0000-4000-8000-00000000ab12',
		);
	});
});

describe('the whole map', () => {
	it('keeps the good rows when one is bad, and reports the bad one', () => {
		const map = parseCustomerMap([
			{ name: 'Contoso', autotaskCompanyId: 1 },
			{ name: 'Broken', autotaskCompanyId: 'x' },
			{ name: 'Fabrikam', autotaskCompanyId: 2 },
		]);
		expect(map.customers.map((customer) => customer.name)).toEqual(['Contoso', 'Fabrikam']);
		expect(map.errors).toHaveLength(1);
		expect(map.errors[0].row).toBe(1);
	});

	it('never gives a site, a company or a name to two customers: the later row is refused', () => {
		const map = parseCustomerMap([
			{ name: 'Contoso', autotaskCompanyId: 1, connectwiseCompanyId: 7, dattoSiteUids: 'S1' },
			{ name: 'Fabrikam', autotaskCompanyId: 2, dattoSiteUids: 's1' },
			{ name: 'Tailspin', autotaskCompanyId: 1 },
			{ name: 'Wingtip', connectwiseCompanyId: 7 },
			{ name: 'contoso' },
			{ name: 'Northwind', autotaskCompanyId: 3, connectwiseCompanyId: 1, dattoSiteUids: 'S2' },
		]);
		expect(map.customers.map((customer) => customer.name)).toEqual(['Contoso', 'Northwind']);
		expect(map.errors.map((error) => [error.row, error.field])).toEqual([
			[1, 'dattoSiteUids'],
			[2, 'autotaskCompanyId'],
			[3, 'connectwiseCompanyId'],
			[4, 'name'],
		]);
		expect(map.errors[0].message).toMatch(/Datto site s1 is already in row 1 \("Contoso"\)/);
	});

	it('finds the customer of a site and its company in each PSA', () => {
		const map = parseCustomerMap([
			{ name: 'Contoso', autotaskCompanyId: 11, dattoSiteUids: 'Site-A, site-b' },
			{ name: 'Fabrikam', connectwiseCompanyId: 22, dattoSiteUids: 'site-c' },
		]);
		const contoso = customerOfSite(map, 'SITE-B')!;
		expect(contoso.name).toBe('Contoso');
		expect(companyOf(contoso, 'autotask')).toBe(11);
		expect(companyOf(contoso, 'connectwise')).toBeUndefined();
		expect(companyOf(customerOfSite(map, 'site-c')!, 'connectwise')).toBe(22);
		expect(customerOfSite(map, 'site-z')).toBeUndefined();
		expect(customerOfSite(map, undefined)).toBeUndefined();
	});
});
