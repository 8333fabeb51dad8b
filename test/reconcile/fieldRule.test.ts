import { readScopeState, scopeKey } from '../../lib/reconcile';
import { apply, contact, plan, user } from './helpers';

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
