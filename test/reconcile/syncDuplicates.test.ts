import { contact, plan, user } from './helpers';

/** The sync's own duplicates (a late or concurrent create): the lowest id stands. */
describe('contacts the sync created twice', () => {
	test('a later contact with the creation mark is deactivated and reported; the user keeps the first', () => {
		const run = plan(
			[user('ann'), user('bob')],
			[contact(10, 'ann'), contact(11, 'bob'), contact(12, 'ann', { createdBySync: true })],
		);
		const deactivated = run.of('deactivate');
		expect(deactivated.map((item) => item.targetId)).toEqual(['12']);
		expect(deactivated[0].changes).toEqual({ active: false });
		expect(deactivated[0].reason).toMatch(
			/^Duplicate of contact 10: the sync created ann@contoso\.example twice/,
		);
		expect(run.review()).toEqual([]);
		expect(run.of('unchanged').map((item) => item.targetId)).toEqual(['10', '11']);
	});

	test('two or three runs that each created one: every marked one but the lowest id goes, by id value', () => {
		const run = plan(
			[user('ann')],
			[
				contact(100, 'ann', { createdBySync: true }),
				contact(9, 'ann', { createdBySync: true }),
				contact(1000, 'ann', { createdBySync: true }),
			],
		);
		expect(
			run
				.of('deactivate')
				.map((item) => item.targetId)
				.sort(),
		).toEqual(['100', '1000']);
		expect(run.of('unchanged').map((item) => item.targetId)).toEqual(['9']);
	});

	test('a contact a person made is never touched: without the mark the address stays for review', () => {
		const unmarked = plan([user('ann')], [contact(10, 'ann'), contact(12, 'ann')]);
		expect(unmarked.of('deactivate')).toEqual([]);
		expect(unmarked.review().map((item) => item.review.problem)).toEqual(['ambiguousMatch']);
		// The mark on the lower id only: the later contact is a person's, so nothing is decided.
		const lowMarked = plan(
			[user('ann')],
			[contact(10, 'ann', { createdBySync: true }), contact(12, 'ann')],
		);
		expect(lowMarked.of('deactivate')).toEqual([]);
	});

	test('only active contacts of one company count', () => {
		const otherCompany = plan(
			[user('ann')],
			[contact(10, 'ann'), contact(12, 'ann', { createdBySync: true, companyId: '200' })],
		);
		expect(otherCompany.of('deactivate').map((item) => item.targetId)).not.toContain('12');
		const inactive = plan(
			[user('ann')],
			[contact(10, 'ann'), contact(12, 'ann', { createdBySync: true, active: false })],
		);
		expect(inactive.of('deactivate')).toEqual([]);
	});
});
