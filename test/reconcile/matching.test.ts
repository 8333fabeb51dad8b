import { contact, plan, user } from './helpers';

describe('matching', () => {
	test('by email, case-insensitive and trimmed, against every address of a contact', () => {
		const source = [
			user('jane', { email: '  Jane@Contoso.Example ', emails: ['  Jane@Contoso.Example '] }),
			user('omar'),
		];
		const target = [
			contact(1, 'jane'),
			// Omar is known under his second address (Autotask has three).
			contact(2, 'o.b', {
				email: 'o.b@contoso.example',
				emails: ['o.b@contoso.example', 'OMAR@contoso.example'],
			}),
		];
		const run = plan(source, target);
		expect(run.of('create')).toHaveLength(0);
		expect(run.about('jane@contoso.example')).toMatchObject({
			output: 'unchanged',
			item: { targetId: '1', sourceId: 'u-jane' },
		});
		// Matched by the second address; with Email synced the primary address is aligned once.
		expect(run.about('omar@contoso.example')).toMatchObject({
			output: 'update',
			item: {
				targetId: '2',
				changes: { email: 'omar@contoso.example' },
				before: { email: 'o.b@contoso.example' },
			},
		});
	});

	test('a user matching two contacts, and a contact matching two users, go to Needs Review and nothing else', () => {
		const source = [
			user('jane', { emails: ['jane@contoso.example', 'j.doe@contoso.example'] }),
			user('ann'),
			user('bob'),
		];
		const target = [
			contact(1, 'jane'),
			contact(2, 'j.doe'),
			// One contact carries the addresses of two users.
			contact(3, 'ann', { emails: ['ann@contoso.example', 'bob@contoso.example'] }),
		];
		const run = plan(source, target);
		const review = run.review();
		expect(review.map((item) => item.review.problem).sort()).toEqual([
			'ambiguousMatch',
			'sharedContact',
		]);
		const ambiguous = review.find((item) => item.review.problem === 'ambiguousMatch')!;
		expect(ambiguous.review.targetIds.sort()).toEqual(['1', '2']);
		expect(ambiguous.review.sourceIds).toEqual(['u-jane']);
		const shared = review.find((item) => item.review.problem === 'sharedContact')!;
		expect(shared.review.sourceIds.sort()).toEqual(['u-ann', 'u-bob']);
		// Reported, not guessed: no create, no update, and the contacts are in no other output.
		expect(run.result.entries.filter((entry) => entry.output !== 'review')).toEqual([]);
		for (const item of review) {
			expect(item.action).toBe('unchanged');
			expect(item.changes).toEqual({});
		}
	});

	test('the same contact twice on the Target input is used once', () => {
		const run = plan([user('jane', { title: 'CTO' })], [contact(1, 'jane'), contact(1, 'jane')]);
		expect(run.of('update')).toHaveLength(1);
		expect(run.review()).toEqual([
			expect.objectContaining({ review: expect.objectContaining({ problem: 'duplicateItem' }) }),
		]);
	});

	test('the same user twice on the Source input is planned once', () => {
		const run = plan(
			[user('jane', { title: 'CTO' }), user('jane', { title: 'CTO' }), user('nia'), user('nia')],
			[contact(1, 'jane')],
		);
		expect(run.of('update').map((item) => item.targetId)).toEqual(['1']);
		expect(run.of('create').map((item) => item.email)).toEqual(['nia@contoso.example']);
		expect(run.review().map((item) => [item.review.problem, item.sourceId])).toEqual([
			['duplicateItem', 'u-jane'],
			['duplicateItem', 'u-nia'],
		]);
	});

	test('an active user without a usable address is reported', () => {
		const run = plan(
			[user('x', { email: '', emails: [] }), user('y', { email: 'not-an-address', emails: [] })],
			[],
		);
		expect(run.review().map((item) => item.review.problem)).toEqual(['noAddress', 'noAddress']);
		expect(run.of('create')).toHaveLength(0);
	});
});
