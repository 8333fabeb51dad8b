import { parseCustomerMap } from '../../lib/customers/map';
import { readContacts, scopeCustomers } from '../../lib/reconcile';
import type { ItemOwner } from '../../lib/reconcile';
import { contact, user } from './helpers';

/** lib/reconcile/customers.ts: which users, contacts and input problems belong to which customer. */
const ROWS = [
	{
		name: 'Contoso',
		tenant: 'contoso.example',
		domains: 'contoso.example',
		autotaskCompanyId: 100,
	},
	{ name: 'Fabrikam', tenant: 'fabrikam.example', autotaskCompanyId: 200, updateExisting: 'yes' },
	{ name: 'Off', tenant: 'off.example', autotaskCompanyId: 300, contactSync: false },
	{ name: 'Elsewhere', tenant: 'elsewhere.example', connectwiseCompanyId: 9 },
	{ name: 'No Tenant', autotaskCompanyId: 400 },
];

function scope(
	source: object[],
	sourceOwners: ItemOwner[],
	target: object[] = [],
	targetOwners: ItemOwner[] = [],
) {
	return scopeCustomers({
		map: parseCustomerMap(ROWS),
		targetSystem: 'autotask',
		parameters: { targetSystem: 'autotask', fields: undefined, dryRun: false, guard: {} },
		source: readContacts(source, 'Source', ['m365']),
		target: readContacts(target, 'Target', ['autotask']),
		sourceOwners,
		targetOwners,
	});
}

test('each customer gets its tenant’s users and its company’s contacts; rows off or without a company here are skipped', () => {
	const source = [
		user('ann', { email: 'ann@contoso.example' }),
		user('bo', { email: 'bo@fabrikam.example' }),
		user('cy', { email: 'cy@other.example' }),
	];
	const target = [
		contact(1, 'ann', { companyId: '100' }),
		contact(2, 'bo', { companyId: '200' }),
		contact(3, 'zed', { companyId: '999' }),
	];
	const { scopes, skipped } = scope(
		source,
		[{ tenant: 'contoso.example' }, { tenant: 'FABRIKAM.example' }, { tenant: 'nobody.example' }],
		target,
		target.map(() => ({})),
	);
	expect(skipped.map((c) => c.name)).toEqual(['Off', 'Elsewhere']);
	const by = Object.fromEntries(scopes.map((s) => [s.customer.name, s]));
	expect(by.Contoso).toMatchObject({ companyId: '100', source: [0], target: [0] });
	expect(by.Contoso.options).toMatchObject({ domains: ['contoso.example'], updateExisting: false });
	expect(by.Fabrikam).toMatchObject({ companyId: '200', source: [1], target: [1] });
	expect(by.Fabrikam.options).toMatchObject({ updateExisting: true, domains: [] });
	expect(by['No Tenant'].failure?.message).toMatch(
		/"No Tenant": contact sync is on but .* no tenant/,
	);
});

test('a failed read fails only the customer it names; an issue nobody can be given holds everyone', () => {
	const source = [
		user('ann', { email: 'ann@contoso.example' }),
		{ error: 'AADSTS700016: Application not found in the directory' },
		{ error: 'something without a tenant' },
	];
	const target = [contact(1, 'ann', { companyId: '100' }), { error: 'Autotask refused the query' }];
	const { scopes } = scope(
		source,
		[{ tenant: 'contoso.example' }, { tenant: 'fabrikam.example' }, {}],
		target,
		[{}, { companyId: '100' }],
	);
	const by = Object.fromEntries(scopes.map((s) => [s.customer.name, s]));
	expect(by.Fabrikam.failure?.message).toMatch(
		/"Fabrikam": the Microsoft 365 users of tenant fabrikam\.example could not be read/,
	);
	expect(by.Contoso.failure?.message).toMatch(
		/"Contoso": the Autotask contacts of company 100 could not be read/,
	);
	// The tenant-less error item is nobody's: it holds every customer, and fails none.
	for (const s of scopes)
		expect(s.issues.some((i) => i.itemIndex === 2 && i.input === 'Source')).toBe(true);
	expect(by.Fabrikam.issues.some((i) => i.itemIndex === 1 && i.input === 'Source')).toBe(true);
	expect(by.Contoso.issues.some((i) => i.itemIndex === 1 && i.input === 'Source')).toBe(false);
});

test('users that carry no tenant fail every customer that got none, saying how to stamp them', () => {
	const { scopes } = scope([user('ann', { email: 'ann@contoso.example' })], [{}]);
	const contoso = scopes.find((s) => s.customer.name === 'Contoso')!;
	expect(contoso.failure?.message).toMatch(/none of the 1 Source user\(s\) says which tenant/);
	expect(contoso.failure?.description).toContain('{{ $json.tenant }}');
});

test('a bad fields cell fails that customer, naming the row', () => {
	const { scopes } = scopeCustomers({
		map: parseCustomerMap([{ ...ROWS[0], fields: 'email, shoeSize' }]),
		targetSystem: 'autotask',
		parameters: { targetSystem: 'autotask', fields: undefined, dryRun: false, guard: {} },
		source: readContacts([], 'Source', ['m365']),
		target: readContacts([], 'Target', ['autotask']),
		sourceOwners: [],
		targetOwners: [],
	});
	expect(scopes[0].failure?.message).toMatch(/"Contoso" \(customer map row 1\): .*shoeSize/);
});
