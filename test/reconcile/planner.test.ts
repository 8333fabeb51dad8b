import { isContactPlanItem } from '../../lib/contacts/canonical';
import { planReconcile, readContacts, readScopeState } from '../../lib/reconcile';
import { InputError } from '../../lib/transport/http';
import { apply, contact, OPTIONS, plan, user } from './helpers';

describe('creates', () => {
	test('a new user with no match is created in the configured company, with its non-blank fields only', () => {
		const run = plan(
			[user('nia', { title: '', mobile: '+44 7700 900123' })],
			[contact(1, 'someone')],
			{ companyId: '555' },
		);
		const [create] = run.of('create');
		expect(create).toEqual({
			planVersion: 1,
			action: 'create',
			targetSystem: 'autotask',
			targetId: '',
			companyId: '555',
			email: 'nia@contoso.example',
			sourceId: 'u-nia',
			changes: {
				firstName: 'Nia',
				lastName: 'Example',
				phone: '+1 425 555 0100',
				mobile: '+44 7700 900123',
				email: 'nia@contoso.example',
			},
			before: {},
			after: {
				firstName: 'Nia',
				lastName: 'Example',
				phone: '+1 425 555 0100',
				mobile: '+44 7700 900123',
				email: 'nia@contoso.example',
			},
			reason: 'New Microsoft 365 user with no matching contact',
			dryRun: false,
		});
		expect(isContactPlanItem(create)).toBe(true);
	});

	test('disabled, unlicensed and deleted users are not created', () => {
		const run = plan(
			[
				user('a', { active: false, inactiveReason: 'disabled' }),
				user('b', { active: false, inactiveReason: 'unlicensed' }),
				user('c', { active: false, inactiveReason: 'deleted' }),
			],
			[],
		);
		expect(run.result.entries).toEqual([]);
	});

	test('the email is always written on create, even with Email switched off (or the next run would create again)', () => {
		const run = plan([user('nia')], [], { fields: ['firstName'] });
		expect(run.of('create')[0].changes).toEqual({ firstName: 'Nia', email: 'nia@contoso.example' });
	});

	test('creates need the company id', () => {
		expect(() => plan([user('nia')], [], { companyId: '' })).toThrow(InputError);
		expect(() => plan([user('nia')], [], { companyId: '' })).toThrow(
			/Company ID for New Contacts is empty, but 1 new contact/,
		);
		// Without creates the company is not needed.
		expect(
			plan([user('nia')], [contact(1, 'nia')], { companyId: '' }).of('unchanged'),
		).toHaveLength(1);
	});
});

describe('Update Existing Contacts', () => {
	const source = [
		user('jane', { title: 'CTO' }),
		user('gone', { active: false, inactiveReason: 'disabled' }),
		user('back'),
		user('new'),
	];
	const target = [contact(1, 'jane'), contact(2, 'gone'), contact(3, 'back', { active: false })];

	test('off (the default): matched contacts are left exactly as they are, only creates', () => {
		const run = plan(source, target, { updateExisting: false });
		expect(run.result.counts).toEqual({
			create: 1,
			update: 0,
			deactivate: 0,
			reactivate: 0,
			unchanged: 3,
			review: 0,
		});
		for (const item of run.of('unchanged')) {
			expect(item.changes).toEqual({});
			expect(item.reason).toMatch(/Update Existing Contacts is off/);
		}
	});

	test('on: fields updated, inactive users deactivated, returning users reactivated', () => {
		// One leaver of a handful: let through by "always allow" (the share guard is tested on its own).
		const run = plan(source, target, { guard: { ...OPTIONS.guard, alwaysAllow: 1 } });
		expect(run.result.counts).toEqual({
			create: 1,
			update: 1,
			deactivate: 1,
			reactivate: 1,
			unchanged: 0,
			review: 0,
		});
		expect(run.about('jane@contoso.example').item).toMatchObject({
			action: 'update',
			changes: { title: 'CTO' },
			before: { title: 'Engineer' },
			after: { title: 'CTO' },
		});
		expect(run.about('gone@contoso.example').item).toMatchObject({
			action: 'deactivate',
			targetId: '2',
			changes: { active: false },
			before: { active: true },
			after: { active: false },
			reason: expect.stringMatching(/disabled/),
		});
		expect(run.about('back@contoso.example').item).toMatchObject({
			action: 'reactivate',
			targetId: '3',
			changes: { active: true },
		});
	});

	test('an unlicensed user is deactivated, and a contact already inactive stays unchanged', () => {
		const run = plan(
			[
				user('a', { active: false, inactiveReason: 'unlicensed' }),
				user('b', { active: false, inactiveReason: 'disabled' }),
			],
			[
				contact(1, 'a'),
				contact(2, 'b', { active: false }),
				contact(3, 'x'),
				contact(4, 'y'),
				contact(5, 'z'),
				contact(6, 'w'),
			],
		);
		expect(run.about('a@contoso.example').item.reason).toMatch(/no licence/);
		expect(run.about('b@contoso.example').output).toBe('unchanged');
	});
});

describe('deleted users versus contacts this sync never managed', () => {
	const people = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];

	test('a contact whose user was synced before and is now gone is deactivated; hand-made contacts are not', () => {
		const target = [
			...people.map((key, i) => contact(i + 1, key)),
			contact(50, 'vendor', { email: 'rep@vendor.example' }),
		];
		const first = plan(
			people.map((key) => user(key)),
			target,
		);
		expect(first.of('deactivate')).toHaveLength(0);
		// Fay is deleted in Microsoft 365: she is simply not in the source any more.
		const second = plan(
			people.slice(0, 5).map((key) => user(key)),
			target,
			{},
			first.saved,
		);
		expect(second.of('deactivate')).toEqual([
			expect.objectContaining({
				targetId: '6',
				sourceId: '',
				changes: { active: false },
				reason: expect.stringMatching(/is gone/),
			}),
		]);
		expect(second.about('rep@vendor.example')).toMatchObject({
			output: 'unchanged',
			item: { reason: expect.stringMatching(/Not managed/) },
		});
	});

	test('without a record of it, an unmatched contact is never deactivated', () => {
		const run = plan([user('ann')], [contact(1, 'ann'), contact(2, 'left-before-we-started')]);
		expect(run.of('deactivate')).toHaveLength(0);
		expect(run.about('left-before-we-started@contoso.example').output).toBe('unchanged');
	});

	test('with a domain filter, an unmatched contact in those domains is ours; others are not', () => {
		const target = [
			...people.map((key, i) => contact(i + 1, key)),
			contact(7, 'ghost'),
			contact(8, 'rep', { email: 'rep@vendor.example' }),
		];
		const run = plan(
			people.map((key) => user(key)),
			target,
			{ domains: ['contoso.example'] },
		);
		expect(run.of('deactivate').map((item) => item.targetId)).toEqual(['7']);
		expect(run.about('rep@vendor.example').output).toBe('unchanged');
	});

	test('a contact created for a user is recognised by its address before its id was ever seen', () => {
		const first = plan(
			people.map((key) => user(key)),
			people.slice(0, 5).map((key, i) => contact(i + 1, key)),
		);
		expect(first.of('create').map((item) => item.email)).toEqual(['fay@contoso.example']);
		// Fay's contact was created (id 77), then she was deleted before the next run saw it.
		const target = [...people.slice(0, 5).map((key, i) => contact(i + 1, key)), contact(77, 'fay')];
		const second = plan(
			people.slice(0, 5).map((key) => user(key)),
			target,
			{},
			first.saved,
		);
		expect(second.of('deactivate').map((item) => item.targetId)).toEqual(['77']);
	});

	test('a deleted user is forgotten once its contact is inactive (the state stays small)', () => {
		const target = people.map((key, i) => contact(i + 1, key));
		const first = plan(
			people.map((key) => user(key)),
			target,
		);
		const second = plan(
			people.slice(0, 5).map((key) => user(key)),
			target,
			{},
			first.saved,
		);
		expect(stateIds(second.saved)).toContain('u-fay');
		const third = plan(
			people.slice(0, 5).map((key) => user(key)),
			apply(target, second),
			{},
			second.saved,
		);
		expect(third.of('deactivate')).toHaveLength(0);
		expect(stateIds(third.saved)).not.toContain('u-fay');
		expect(stateIds(third.saved)).toHaveLength(5);
	});

	test('Update Existing off never deactivates a deleted user, but remembers it', () => {
		const target = people.map((key, i) => contact(i + 1, key));
		const first = plan(
			people.map((key) => user(key)),
			target,
			{ updateExisting: false },
		);
		const second = plan(
			people.slice(0, 5).map((key) => user(key)),
			target,
			{ updateExisting: false },
			first.saved,
		);
		expect(second.of('deactivate')).toHaveLength(0);
		expect(stateIds(second.saved)).toContain('u-fay');
	});
});

describe('dry run and held actions', () => {
	test('Dry Run marks every item', () => {
		const run = plan(
			[user('jane', { title: 'CTO' }), user('new')],
			[contact(1, 'jane'), contact(2, 'other')],
			{ dryRun: true },
		);
		expect(run.result.entries.length).toBe(3);
		for (const entry of run.result.entries) expect(entry.item.dryRun).toBe(true);
	});

	test('unreadable Target items hold the creates; unreadable Source items hold deactivations of missing users', () => {
		const people = ['a', 'b', 'c', 'd', 'e', 'f'];
		const target = people.map((key, i) => contact(i + 1, key));
		const first = plan(
			people.map((key) => user(key)),
			target,
		);
		const run = plan(
			[...people.slice(0, 5).map((key) => user(key)), user('new')],
			target,
			{},
			first.saved,
			{ creates: 'Target unreadable', deactivations: 'Source unreadable' },
		);
		expect(run.of('create')).toHaveLength(0);
		expect(run.of('deactivate')).toHaveLength(0);
		expect(
			run.review().map((item) => [item.review.problem, item.review.heldAction, item.action]),
		).toEqual([
			['heldDeactivation', 'deactivate', 'unchanged'],
			['heldCreate', 'create', 'unchanged'],
		]);
		// The held user is not recorded as created: the next run plans the create afresh.
		expect(readScopeState(run.saved, 'autotask:100').index.has('u-new')).toBe(false);
		expect(readScopeState(run.saved, 'autotask:100').index.has('u-f')).toBe(true);
	});
});

test('a run plans every target contact exactly once across the outputs', () => {
	const source = Array.from({ length: 50 }, (_, i) =>
		user(`u${i}`, i % 7 === 0 ? { title: `T${i}` } : i % 11 === 0 ? { active: false } : {}),
	);
	const target = Array.from({ length: 50 }, (_, i) =>
		contact(i + 1, i % 5 === 0 ? `other${i}` : `u${i}`),
	);
	const sourceRead = readContacts(source, 'Source', ['m365']);
	const targetRead = readContacts(target, 'Target', ['autotask']);
	const result = planReconcile({
		source: sourceRead.contacts,
		target: targetRead.contacts,
		state: readScopeState(undefined, 'x'),
		options: { ...OPTIONS, guard: { ...OPTIONS.guard, maxShare: 1 } },
	});
	const seen = result.entries.filter((entry) => entry.target >= 0).map((entry) => entry.target);
	expect(new Set(seen).size).toBe(seen.length);
	expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
});

function stateIds(saved: unknown): string[] {
	return [...readScopeState(saved, 'autotask:100').index.keys()];
}

test('plan items name their company: the name the Target contacts carry (ConnectWise lists it; Autotask with Include Labels) or the node knows (the picker), with no read of their own', () => {
	const target = [contact(1, 'a', { companyName: 'Contoso Ltd' }), contact(2, 'b')];
	const source = [user('a', { title: 'Promoted' }), user('b'), user('c')];
	const run = plan(source, target);
	expect(run.about('a@contoso.example')).toMatchObject({
		output: 'update',
		item: { companyId: '100', companyName: 'Contoso Ltd' },
	});
	expect(run.about('b@contoso.example').item.companyName).toBe('Contoso Ltd');
	expect(run.about('c@contoso.example')).toMatchObject({
		output: 'create',
		item: { companyId: '100', companyName: 'Contoso Ltd' },
	});
	// Another company's contact is named by its own company, never by the picked one.
	const mixed = plan(
		[user('a'), user('x')],
		[
			contact(1, 'a', { companyName: 'Contoso Ltd' }),
			contact(9, 'x', { companyId: '200', companyName: 'Fabrikam' }),
		],
	);
	expect(mixed.about('x@contoso.example').item).toMatchObject({
		companyId: '200',
		companyName: 'Fabrikam',
	});
	// No name anywhere: the item has the id only.
	expect(
		plan([user('c')], [contact(2, 'b')]).about('c@contoso.example').item.companyName,
	).toBeUndefined();
	// The node's names (the picker's) count too.
	expect(
		plan([user('c')], [contact(2, 'b')], {}, undefined, undefined, { '100': 'Picked Ltd' }).about(
			'c@contoso.example',
		).item.companyName,
	).toBe('Picked Ltd');
});
