import { contact, OPTIONS, plan, user } from './helpers';

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
