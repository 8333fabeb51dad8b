import { parseDomains } from '../../lib/contacts/domains';
import { reconcileOptions } from '../../lib/reconcile';
import { plan, user } from './helpers';

describe('domain filter', () => {
	test('only users in the listed domains are synced; one tenant can feed several companies', () => {
		const source = [
			user('ann', { email: 'ann@contoso.example', emails: ['ann@contoso.example'] }),
			user('bob', { email: 'bob@fabrikam.example', emails: ['bob@fabrikam.example'] }),
		];
		const contoso = plan(source, [], { domains: ['contoso.example'], companyId: '100' });
		const fabrikam = plan(source, [], { domains: ['fabrikam.example'], companyId: '200' });
		expect(contoso.of('create').map((item) => [item.email, item.companyId])).toEqual([
			['ann@contoso.example', '100'],
		]);
		expect(fabrikam.of('create').map((item) => [item.email, item.companyId])).toEqual([
			['bob@fabrikam.example', '200'],
		]);
	});

	test('domains are parsed from a comma-separated list and bad entries are refused', () => {
		expect(
			reconcileOptions({
				...parameters(),
				domains: ' Contoso.example, @fabrikam.example;contoso.example ',
			}).domains,
		).toEqual(['contoso.example', 'fabrikam.example']);
		expect(() =>
			reconcileOptions({ ...parameters(), domains: 'contoso.example, not a domain' }),
		).toThrow(/"not" in Domains is not a domain/);
	});
});

function parameters() {
	return {
		targetSystem: 'autotask',
		companyId: '100',
		updateExisting: true,
		mode: 'changes',
		fields: undefined,
		domains: '',
		dryRun: false,
		guard: {},
	};
}

test('Domains follow the same rule as Microsoft 365 Users: a one-letter top-level domain is refused', () => {
	for (const domains of ['contoso.c', '-contoso.com']) {
		expect(() => reconcileOptions({ ...parameters(), domains })).toThrow(
			`"${domains}" in Domains is not a domain`,
		);
		expect(() => parseDomains(domains, 'Email Domains')).toThrow(
			`"${domains}" in Email Domains is not a domain`,
		);
	}
});
