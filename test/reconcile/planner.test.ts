import { isContactPlanItem } from '../../lib/contacts/canonical';
import {
	planReconcile,
	readContacts,
	readScopeState,
	reconcileOptions,
	scopeKey,
} from '../../lib/reconcile';
import { InputError } from '../../lib/transport/http';
import { apply, contact, OPTIONS, plan, user } from './helpers';

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
		const run = plan(source, target);
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

describe('field rules', () => {
	test('a blank source value never overwrites a PSA value, in either mode', () => {
		const source = [user('jane', { title: '', phone: '', mobile: '   ', lastName: '' })];
		const target = [
			contact(1, 'jane', { title: 'CTO', mobile: '+1 206 555 0199', lastName: 'Doe' }),
		];
		for (const mode of ['changes', 'mirror'] as const) {
			const run = plan(source, target, { mode });
			expect(run.about('jane@contoso.example')).toMatchObject({
				output: 'unchanged',
				item: { changes: {} },
			});
		}
		// Nor on create: blanks are simply absent.
		const created = plan(source, [], {}).of('create')[0];
		expect(Object.values(created.changes)).not.toContain('');
		expect(created.changes).not.toHaveProperty('title');
	});

	test('phones compare by digits: formatting is not a change, other digits are', () => {
		const source = [
			user('a', { phone: '+1 (425) 555-0100', mobile: '425.555.0111' }),
			user('b', { phone: '+1 425 555 0199' }),
		];
		const target = [
			contact(1, 'a', { phone: '+14255550100', mobile: '425 555 0111' }),
			contact(2, 'b'),
		];
		const run = plan(source, target);
		expect(run.about('a@contoso.example').output).toBe('unchanged');
		expect(run.about('b@contoso.example').item.changes).toEqual({ phone: '+1 425 555 0199' });
	});

	test('names compare after Unicode normalization; a change of case is a real change', () => {
		const decomposed = 'Zoe\u0308'; // "Zoë" as e + combining diaeresis (NFD)
		const run = plan(
			[user('zoe', { firstName: 'Zoë', lastName: 'Müller' }), user('amy', { lastName: 'Smith' })],
			[
				contact(1, 'zoe', { firstName: decomposed, lastName: 'Mu\u0308ller  ' }),
				contact(2, 'amy', { lastName: 'smith' }),
			],
		);
		expect(run.about('zoe@contoso.example').output).toBe('unchanged');
		expect(run.about('amy@contoso.example').item).toMatchObject({
			changes: { lastName: 'Smith' },
			before: { lastName: 'smith' },
		});
	});

	test('fields switched off are neither compared nor written', () => {
		const run = plan([user('jane', { title: 'CTO', firstName: 'Janet' })], [contact(1, 'jane')], {
			fields: ['firstName', 'lastName', 'phone', 'mobile', 'email'],
		});
		expect(run.about('jane@contoso.example').item.changes).toEqual({ firstName: 'Janet' });
	});

	test('changes hold only what changes, with before and after for exactly those fields', () => {
		const run = plan(
			[user('jane', { title: 'CTO', mobile: '+1 206 555 0100' })],
			[contact(1, 'jane')],
		);
		const { item } = run.about('jane@contoso.example');
		expect(item.changes).toEqual({ title: 'CTO', mobile: '+1 206 555 0100' });
		expect(item.before).toEqual({ title: 'Engineer', mobile: '' });
		expect(item.after).toEqual({ title: 'CTO', mobile: '+1 206 555 0100' });
	});
});

describe('Changes Only and the last-synced state', () => {
	test('an edit made in the PSA is not overwritten across runs, until the same field changes in Microsoft 365', () => {
		const source = [user('jane', { title: 'Engineer' })];
		let target = [contact(1, 'jane')];
		const first = plan(source, target);
		expect(first.about('jane@contoso.example').output).toBe('unchanged');

		// Someone corrects the title in the PSA.
		target = [contact(1, 'jane', { title: 'Senior Engineer (PSA)' })];
		const second = plan(source, target, {}, first.saved);
		expect(second.about('jane@contoso.example')).toMatchObject({
			output: 'unchanged',
			item: { changes: {}, reason: expect.stringMatching(/edited in the PSA and kept: title/i) },
		});
		const third = plan(source, target, {}, second.saved);
		expect(third.about('jane@contoso.example').output).toBe('unchanged');

		// Now the title changes in Microsoft 365: that change is written.
		const fourth = plan([user('jane', { title: 'Architect' })], target, {}, third.saved);
		expect(fourth.about('jane@contoso.example')).toMatchObject({
			output: 'update',
			item: {
				changes: { title: 'Architect' },
				before: { title: 'Senior Engineer (PSA)' },
				reason: expect.stringMatching(/changed in Microsoft 365: title/i),
			},
		});
	});

	test('the first sync aligns every differing non-blank field, later runs only what changed', () => {
		const source = [user('jane', { title: 'CTO', mobile: '+1 206 555 0100' })];
		const target = [contact(1, 'jane', { title: 'Boss', firstName: 'Janie' })];
		const first = plan(source, target);
		expect(first.about('jane@contoso.example').item).toMatchObject({
			changes: { firstName: 'Jane', title: 'CTO', mobile: '+1 206 555 0100' },
			reason: expect.stringMatching(/first sync/i),
		});
		const afterWrite = apply(target, first);
		expect(plan(source, afterWrite, {}, first.saved).about('jane@contoso.example').output).toBe(
			'unchanged',
		);
	});

	test('a write that failed is planned again on the next run; a PSA edit made after a write is kept', () => {
		const source = [user('jane', { title: 'CTO' }), user('omar', { title: 'CFO' })];
		const target = [contact(1, 'jane'), contact(2, 'omar')];
		const first = plan(source, target);
		expect(first.of('update').map((item) => item.targetId)).toEqual(['1', '2']);

		// Jane's write fails; Omar's lands, and then someone edits Omar's title in the PSA.
		const applied = apply(target, first, (item) => item.targetId === '1');
		applied[1].title = 'Chief Financial Officer';
		const second = plan(source, applied, {}, first.saved);
		expect(second.about('jane@contoso.example')).toMatchObject({
			output: 'update',
			item: {
				changes: { title: 'CTO' },
				reason: expect.stringMatching(/earlier write not applied/i),
			},
		});
		expect(second.about('omar@contoso.example')).toMatchObject({
			output: 'unchanged',
			item: { changes: {} },
		});

		const third = plan(source, apply(applied, second), {}, second.saved);
		expect(third.of('update')).toHaveLength(0);
	});

	test('a state never saved (a failed or manual run) loses no write: the next run plans it again', () => {
		const source = [user('jane', { title: 'CTO' })];
		const target = [contact(1, 'jane')];
		const first = plan(source, target);
		const applied = apply(target, first, () => true); // nothing was written
		// The state of the first run was not saved either: the next run starts from nothing again.
		const second = plan(source, applied);
		expect(second.about('jane@contoso.example').item.changes).toEqual({ title: 'CTO' });
	});

	test('Mirror enforces Microsoft 365 values every run', () => {
		const source = [user('jane')];
		const edited = [contact(1, 'jane', { title: 'Edited in PSA' })];
		const first = plan(source, [contact(1, 'jane')], { mode: 'mirror' });
		const second = plan(source, edited, { mode: 'mirror' }, first.saved);
		expect(second.about('jane@contoso.example')).toMatchObject({
			output: 'update',
			item: { changes: { title: 'Engineer' }, reason: expect.stringMatching(/Mirror mode: title/) },
		});
		// The same edit under Changes Only is kept.
		expect(
			plan(source, edited, { mode: 'changes' }, first.saved).about('jane@contoso.example').output,
		).toBe('unchanged');
	});

	test('a contact created by the sync is in sync on the next run, and a PSA edit to it is kept', () => {
		const source = [user('nia', { title: 'Analyst' })];
		const first = plan(source, []);
		const created = apply([], first);
		const second = plan(source, created, {}, first.saved);
		expect(second.about('nia@contoso.example')).toMatchObject({
			output: 'unchanged',
			item: { targetId: created[0].id },
		});
		const edited = created.map((c) => ({ ...c, title: 'Lead Analyst' }));
		expect(plan(source, edited, {}, second.saved).about('nia@contoso.example').output).toBe(
			'unchanged',
		);
		// Edited before the next run ever saw the contact: still a PSA edit, still kept.
		expect(plan(source, edited, {}, first.saved).about('nia@contoso.example').output).toBe(
			'unchanged',
		);
	});

	test('a user whose address changed in Microsoft 365 keeps its contact, whose email is updated', () => {
		const first = plan([user('jane')], [contact(1, 'jane')]);
		const renamed = user('jane', {
			email: 'jane.doe@contoso.example',
			emails: ['jane.doe@contoso.example'],
		});
		const second = plan([renamed], [contact(1, 'jane')], {}, first.saved);
		expect(second.of('create')).toHaveLength(0);
		expect(second.of('update')).toEqual([
			expect.objectContaining({
				targetId: '1',
				changes: { email: 'jane.doe@contoso.example' },
				before: { email: 'jane@contoso.example' },
			}),
		]);
	});

	test('state is one short line per managed user, with hashes only', () => {
		const run = plan(
			[user('jane', { title: 'CTO' }), user('nia')],
			[contact(1, 'jane'), contact(2, 'rep', { email: 'rep@vendor.example' })],
		);
		const blob = (run.saved as { scopes: Record<string, string> }).scopes['autotask:100'];
		const lines = blob.split('\n');
		expect(lines).toHaveLength(2);
		expect(blob).not.toMatch(/Jane|CTO|contoso|425/);
		// Jane: synced with contact 1, title pending; Nia: created, no contact id yet, address hash.
		expect(lines[0]).toMatch(
			/^u-jane\|1\|\|[\w-]{6},[\w-]{6},[\w-]{6}~[\w-]{6},[\w-]{6},[\w-]{6},[\w-]{6}$/,
		);
		expect(lines[1]).toMatch(/^u-nia\|\|[\w-]{12}\|/);
		expect(blob.length).toBeLessThan(200);
	});

	test('each target company keeps its own state (one workflow, several companies)', () => {
		const a = plan([user('jane')], [contact(1, 'jane')], { companyId: '100' });
		const b = plan(
			[user('omar')],
			[contact(9, 'omar', { companyId: '200' })],
			{ companyId: '200' },
			a.saved,
		);
		const scopes = (b.saved as { scopes: Record<string, string> }).scopes;
		expect(Object.keys(scopes).sort()).toEqual(['autotask:100', 'autotask:200']);
		expect(readScopeState(b.saved, scopeKey('autotask', '100')).index.has('u-jane')).toBe(true);
	});
});

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
		).toThrow(/Domains holds "not"/);
	});
});

describe('deactivation guard', () => {
	const people = Array.from({ length: 10 }, (_, i) => `p${i}`);
	const target = people.map((key, i) => contact(i + 1, key));

	test('refuses more than the configured share of a company, explaining counts and examples', () => {
		const source = people.map((key, i) =>
			user(key, i < 3 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		const run = plan(source, target);
		expect(run.result.guard).toBeDefined();
		expect(run.result.guard!.message).toBe(
			"Deactivation guard: refused to deactivate 3 contact(s), more than 20% of a company's synced contacts",
		);
		expect(run.result.guard!.description).toMatch(
			/in company 100 3 of 10 synced contacts \(30%\), e\.g\. p0@contoso\.example \(disabled\)/,
		);
		expect(run.result.guard!.description).toMatch(/Nothing was written/);
		expect(run.result.guard!.companies).toEqual([
			expect.objectContaining({ companyId: '100', deactivations: 3, synced: 10 }),
		]);
	});

	test('allows up to the share exactly, and a higher share when configured', () => {
		const two = people.map((key, i) =>
			user(key, i < 2 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		expect(plan(two, target).result.guard).toBeUndefined();
		const three = people.map((key, i) =>
			user(key, i < 3 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		expect(
			plan(three, target, { guard: { ...OPTIONS.guard, maxShare: 0.3 } }).result.guard,
		).toBeUndefined();
	});

	test('"always allow" lets a small company lose a user', () => {
		const source = [user('a'), user('b'), user('c', { active: false, inactiveReason: 'disabled' })];
		const small = [contact(1, 'a'), contact(2, 'b'), contact(3, 'c')];
		expect(plan(source, small).result.guard).toBeDefined();
		expect(
			plan(source, small, { guard: { ...OPTIONS.guard, alwaysAllow: 1 } }).result.guard,
		).toBeUndefined();
	});

	test('refuses any deactivation when the source has no users', () => {
		const first = plan(
			people.map((key) => user(key)),
			target,
		);
		const empty = plan([], target, {}, first.saved);
		expect(empty.result.guard).toMatchObject({
			sourceEmpty: true,
			message:
				'Deactivation guard: refused to deactivate 10 contact(s) because the Source input has no Microsoft 365 users',
		});
		// Switched off (and the share raised), the same plan passes.
		expect(
			plan(
				[],
				target,
				{ guard: { ...OPTIONS.guard, maxShare: 1, refuseWhenSourceEmpty: false } },
				first.saved,
			).result.guard,
		).toBeUndefined();
	});

	test('refuses to create when the Target input is empty although users were synced with contacts before', () => {
		const people = ['a', 'b', 'c'];
		const first = plan(
			people.map((key) => user(key)),
			people.map((key, i) => contact(i + 1, key)),
		);
		const empty = plan(
			people.map((key) => user(key)),
			[],
			{},
			first.saved,
		);
		expect(empty.result.guard).toMatchObject({
			targetEmpty: true,
			message:
				'Create guard: refused to create 3 contact(s) because the Target input has no contacts, though 3 user(s) were synced with PSA contacts before',
		});
		// A company that never had contacts synced (a new customer) is created normally...
		expect(
			plan(
				people.map((key) => user(key)),
				[],
			).result.guard,
		).toBeUndefined();
		// ...and so is one whose contacts were really removed, with the check off.
		expect(
			plan(
				people.map((key) => user(key)),
				[],
				{ guard: { ...OPTIONS.guard, refuseWhenTargetEmpty: false } },
				first.saved,
			).result.guard,
		).toBeUndefined();
	});

	test('counts each company on its own', () => {
		const source = [
			...people.map((key) => user(key)),
			user('x1', { active: false, inactiveReason: 'disabled' }),
			user('x2'),
		];
		const mixed = [
			...target,
			contact(91, 'x1', { companyId: '200' }),
			contact(92, 'x2', { companyId: '200' }),
		];
		const run = plan(source, mixed);
		expect(run.result.guard!.companies).toEqual([
			expect.objectContaining({ companyId: '200', deactivations: 1, synced: 2 }),
		]);
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

describe('reading the inputs', () => {
	test('items that are not canonical contacts are named by input, item and field', () => {
		const source = readContacts(
			[
				user('ok'),
				{ id: 'x', mail: 'raw@graph' },
				{ ...user('a'), active: 'yes' },
				{ error: 'Forbidden' },
				{ ...user('b'), system: 'autotask' },
			],
			'Source',
			['m365'],
		);
		expect(source.contacts.map((c) => c.id)).toEqual(['u-ok']);
		expect(source.issues.map((issue) => [issue.itemIndex, issue.field, issue.message])).toEqual([
			[1, 'system', 'Source item 1: field "system" is missing, so this is not a canonical contact'],
			[2, 'active', 'Source item 2: field "active" must be true or false, not "yes"'],
			[
				3,
				'error',
				'Source item 3: is an error item from the previous node ("Forbidden"), not a contact',
			],
			[4, 'system', 'Source item 4: field "system" is "autotask", expected "m365"'],
		]);
		const target = readContacts([{ ...contact(1, 'a'), emails: 'a@x.example' }], 'Target', [
			'autotask',
		]);
		expect(target.issues[0]).toMatchObject({
			input: 'Target',
			field: 'emails',
			message: expect.stringMatching(/^Target item 0: field "emails" must be a list/),
		});
	});

	test('values are cleaned: numbers as text, addresses normalized and deduplicated, primary first', () => {
		const read = readContacts(
			[
				{
					...contact(1, 'a'),
					id: 42,
					companyId: 100,
					email: ' A@X.example',
					emails: ['b@x.example', 'a@x.example', 'B@X.example'],
					phone: 4255550100,
				},
			],
			'Target',
			['autotask'],
		);
		expect(read.contacts[0]).toMatchObject({
			id: '42',
			companyId: '100',
			email: 'a@x.example',
			emails: ['a@x.example', 'b@x.example'],
			phone: '4255550100',
		});
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
