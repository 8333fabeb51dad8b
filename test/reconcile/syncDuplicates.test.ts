import { createdDuplicates } from '../../lib/reconcile/syncDuplicates';
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

	test('a copy already deactivated (marked, inactive, a higher id than the one that stands) takes no part in matching', () => {
		const settled = plan(
			[user('ann')],
			[
				contact(10, 'ann', { createdBySync: true }),
				contact(12, 'ann', { createdBySync: true, active: false }),
			],
		);
		expect(settled.review()).toEqual([]);
		expect(settled.of('deactivate')).toEqual([]);
		expect(settled.of('reactivate')).toEqual([]);
		expect(settled.of('unchanged').map((item) => item.targetId)).toEqual(['10']);
		// An older inactive contact is not a settled copy: the address stays for review as before.
		const older = plan(
			[user('ann')],
			[contact(10, 'ann', { createdBySync: true, active: false }), contact(12, 'ann')],
		);
		expect(older.review().map((item) => item.review.problem)).toEqual(['ambiguousMatch']);
	});

	test("settling a run's creates: over the re-read addresses only, the lowest id stays, people untouched", () => {
		const reread = [
			contact(10, 'ann', { createdBySync: true }),
			contact(14, 'ann', { createdBySync: true }),
			contact(11, 'bob'),
			contact(15, 'bob', { createdBySync: true }),
			contact(9, 'cy', { createdBySync: true }),
			contact(16, 'cy', { createdBySync: true }),
			contact(13, 'dee'),
			contact(17, 'dee'),
		];
		const found = createdDuplicates(
			reread,
			new Set(['ann', 'bob', 'dee'].map((n) => reread.find((c) => c.email.startsWith(n))!.email)),
		);
		expect(found.map(({ duplicate, kept }) => [duplicate.id, kept.id])).toEqual([
			['14', '10'],
			['15', '11'],
		]);
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
