import { contact, OPTIONS, plan, user } from './helpers';

describe('deactivation guard', () => {
	const people = Array.from({ length: 10 }, (_, i) => `p${i}`);
	const target = people.map((key, i) => contact(i + 1, key));

	test('holds back the deactivations over the share of a company, explaining counts, examples and the release; the rest of the plan goes ahead', () => {
		const source = [
			...people.map((key, i) =>
				user(key, i < 3 ? { active: false, inactiveReason: 'disabled' } : { title: 'Promoted' }),
			),
			user('joiner'),
		];
		const run = plan(source, target);
		expect(run.result.guard).toBeUndefined();
		expect(run.result.held).toHaveLength(1);
		expect(run.result.held[0]).toMatchObject({ heldBack: true, sourceEmpty: false });
		expect(run.result.held[0]!.message).toBe(
			"Deactivation guard: held back 3 deactivation(s), more than 20% of a company's synced contacts (and more than 0 always allowed)",
		);
		expect(run.result.held[0]!.description).toMatch(
			/in company 100 3 of 10 synced contacts \(30%\), e\.g\. p0@contoso\.example \(disabled\)/,
		);
		expect(run.result.held[0]!.description).toMatch(/raise "Always Allow Up To"/);
		expect(run.result.held[0]!.companies).toEqual([
			expect.objectContaining({ companyId: '100', deactivations: 3, synced: 10 }),
		]);
		// Held: on Needs Review, never on the Deactivate output; the create and the updates still run.
		expect(run.result.counts).toMatchObject({ deactivate: 0, review: 3, create: 1, update: 7 });
		for (const key of ['p0', 'p1', 'p2'])
			expect(run.about(`${key}@contoso.example`).item).toMatchObject({
				action: 'unchanged',
				review: {
					problem: 'heldDeactivation',
					heldAction: 'deactivate',
					description: run.result.held[0].description,
				},
			});
		// Released for one run, the same plan deactivates them.
		const released = plan(source, target, { guard: { ...OPTIONS.guard, alwaysAllow: 3 } });
		expect(released.result.held[0]).toBeUndefined();
		expect(released.result.counts).toMatchObject({ deactivate: 3, review: 0 });
	});

	test('allows up to the share exactly, and a higher share when configured', () => {
		const two = people.map((key, i) =>
			user(key, i < 2 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		expect(plan(two, target).result.held[0]).toBeUndefined();
		const three = people.map((key, i) =>
			user(key, i < 3 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		expect(
			plan(three, target, { guard: { ...OPTIONS.guard, maxShare: 0.3 } }).result.held[0],
		).toBeUndefined();
	});

	test('"always allow" lets a small company lose a user', () => {
		const source = [user('a'), user('b'), user('c', { active: false, inactiveReason: 'disabled' })];
		const small = [contact(1, 'a'), contact(2, 'b'), contact(3, 'c')];
		expect(plan(source, small).result.held[0]).toBeDefined();
		expect(
			plan(source, small, { guard: { ...OPTIONS.guard, alwaysAllow: 1 } }).result.held[0],
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
		expect(run.result.held[0]!.companies).toEqual([
			expect.objectContaining({ companyId: '200', deactivations: 1, synced: 2 }),
		]);
	});
});

describe('company check (a mistyped company id)', () => {
	const users = Array.from({ length: 30 }, (_, i) => user(`n${i}`));
	const otherCustomer = Array.from({ length: 8 }, (_, i) =>
		contact(500 + i, `f${i}`, { email: `f${i}@fabrikam.example`, companyId: '100' }),
	);

	test("refuses creates into a company whose contacts are all another customer's, naming both", () => {
		const run = plan(users, otherCustomer, { domains: ['contoso.example'] });
		expect(run.result.guard).toMatchObject({ kind: 'company' });
		expect(run.result.guard!.message).toBe(
			'Company check: refused to create 30 contact(s) in company 100: none of its contacts has an address in contoso.example',
		);
		expect(run.result.guard!.description).toMatch(/fabrikam\.example \(8\)/);
	});

	test("with no domains set, the users' own domains are what the company is checked against", () => {
		expect(plan(users, otherCustomer).result.guard).toMatchObject({ kind: 'company' });
	});

	test('passes a brand-new empty company, a company with one contact in the domains, and when switched off', () => {
		expect(plan(users, []).result.guard).toBeUndefined();
		const oneOfOurs = [...otherCustomer, contact(600, 'ours')];
		expect(plan(users, oneOfOurs).result.guard?.kind).not.toBe('company');
		expect(
			plan(users, otherCustomer, {
				guard: { ...OPTIONS.guard, checkCompany: false, maxCreateShare: 100 },
			}).result.guard,
		).toBeUndefined();
	});
});

describe('create guard', () => {
	const existing = Array.from({ length: 10 }, (_, i) => `e${i}`);
	const target = existing.map((key, i) => contact(i + 1, key));
	const withNew = (count: number) => [
		...existing.map((key) => user(key)),
		...Array.from({ length: count }, (_, i) => user(`j${i}`)),
	];

	test('holds back more creates than both "always allow" (25) and the active contacts; updates and deactivations go ahead; the held users are planned again next run', () => {
		const users = withNew(26).map((u, i) =>
			i === 0 ? { ...u, title: 'Promoted' } : i === 1 ? { ...u, active: false } : u,
		);
		const run = plan(users, target, {}, undefined, undefined, { '100': 'Contoso Ltd' });
		expect(run.result.guard).toBeUndefined();
		expect(run.result.held).toEqual([
			expect.objectContaining({
				kind: 'create',
				heldBack: true,
				message:
					'Create guard: held back 26 create(s) in company 100 (Contoso Ltd), which has 10 active contact(s): more than 25 and more than 100% of them',
				companies: [
					expect.objectContaining({ companyId: '100', companyName: 'Contoso Ltd', creates: 26 }),
				],
			}),
		]);
		expect(run.result.held[0].description).toMatch(/check the company id/);
		expect(run.result.held[0].description).toMatch(/raise "Always Allow Creates Up To"/);
		// Nothing created; the update and the deactivation are planned as usual.
		expect(run.result.counts).toMatchObject({ create: 0, update: 1, deactivate: 1, review: 26 });
		for (const item of run.review())
			expect(item).toMatchObject({
				action: 'unchanged',
				review: {
					problem: 'heldCreate',
					heldAction: 'create',
					message: run.result.held[0].message,
					description: run.result.held[0].description,
				},
			});
		// Not recorded as created: the next run plans the creates again (and holds them again)...
		const again = plan(users, target, {}, run.saved);
		expect(again.result.counts).toMatchObject({ create: 0, review: 26 });
		// ...until the limit is raised: then it creates them.
		const raised = plan(
			users,
			target,
			{ guard: { ...OPTIONS.guard, createAlwaysAllow: 30 } },
			run.saved,
		);
		expect(raised.result.held).toEqual([]);
		expect(raised.result.counts).toMatchObject({ create: 26, review: 0 });
	});

	test('lets a month of joiners, a large company and a first sync into an empty company through', () => {
		expect(plan(withNew(25), target).result.held).toEqual([]);
		expect(plan(withNew(25), target).result.counts.create).toBe(25);
		const large = Array.from({ length: 80 }, (_, i) => contact(i + 1, `l${i}`));
		const largeUsers = [
			...large.map((_, i) => user(`l${i}`)),
			...Array.from({ length: 40 }, (_, i) => user(`j${i}`)),
		];
		expect(plan(largeUsers, large).result.held).toEqual([]);
		const first = plan(withNew(300), []);
		expect(first.result.guard).toBeUndefined();
		expect(first.result.held).toEqual([]);
		expect(first.of('create')).toHaveLength(310);
	});

	test('the limits are settable', () => {
		expect(
			plan(withNew(26), target, { guard: { ...OPTIONS.guard, createAlwaysAllow: 30 } }).result
				.counts.create,
		).toBe(26);
		expect(
			plan(withNew(26), target, { guard: { ...OPTIONS.guard, maxCreateShare: 3 } }).result.counts
				.create,
		).toBe(26);
	});
});

test('company check: Target contacts of one company and new contacts for another (one of the ids mistyped) are refused, naming both', () => {
	const users = [user('a'), user('b'), user('new')];
	const target = [contact(1, 'a', { companyId: '100' }), contact(2, 'b', { companyId: '100' })];
	const run = plan(users, target, { companyId: '101' });
	expect(run.result.guard).toMatchObject({
		kind: 'company',
		message:
			'Company check: refused to create 1 contact(s) in company 101: the Target contacts are of company 100',
	});
	expect(plan(users, target, { companyId: '100' }).result.guard).toBeUndefined();
});
