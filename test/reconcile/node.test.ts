import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { CanonicalContact, ContactPlanItem } from '../../lib/contacts/canonical';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { FIXTURE, packageWithFixture } from '../../dev/fixtureNode';
import { contact, user } from './helpers';

const pkg = packageWithFixture();
const credentials = new CredentialStore(pkg.credentialTypes, {});
const OUTPUTS = ['Create', 'Update', 'Deactivate', 'Reactivate', 'Unchanged', 'Needs Review'];

/** Manual Trigger -> Users (Source) and Contacts (Target) -> Contact Reconcile. */
function workflow(
	source: readonly object[],
	target: readonly object[],
	parameters: IDataObject,
	extra: Partial<INode> = {},
): WorkflowDefinition {
	const node = (
		name: string,
		type: string,
		position: [number, number],
		params: INodeParameters = {},
	): INode => ({
		id: name,
		name,
		type,
		typeVersion: 1,
		position,
		parameters: params,
	});
	return {
		id: 'contact-sync',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 0]),
			node('Users', FIXTURE, [200, -100], { items: JSON.stringify(source) }),
			node('Contacts', FIXTURE, [200, 100], { items: JSON.stringify(target) }),
			{
				...node('Reconcile', `${PACKAGE_NAME}.contactReconcile`, [400, 0], {
					targetSystem: 'autotask',
					companyId: '100',
					...(parameters as INodeParameters),
				}),
				...extra,
			},
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'Users', type: 'main', index: 0 },
						{ node: 'Contacts', type: 'main', index: 0 },
					],
				],
			},
			Users: { main: [[{ node: 'Reconcile', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Reconcile', type: 'main', index: 1 }]] },
		},
	};
}

async function run(
	source: readonly object[],
	target: readonly object[],
	parameters: IDataObject,
	options: {
		mode?: 'manual' | 'trigger';
		staticData?: StaticDataStore;
		extra?: Partial<INode>;
	} = {},
) {
	const result = await runWorkflow({
		pkg,
		credentials,
		workflow: workflow(source, target, parameters, options.extra),
		mode: options.mode ?? 'trigger',
		staticData: options.staticData,
	});
	const out = (name: string) =>
		result.json('Reconcile', OUTPUTS.indexOf(name)) as unknown as ContactPlanItem[];
	return { result, out };
}

/** The saved state of the Reconcile node (n8n keys node static data by node name). */
function savedBlob(store: StaticDataStore): string | undefined {
	const data = store.load('contact-sync') as Record<
		string,
		{ contactSync?: { scopes: Record<string, string> } } | undefined
	>;
	return data['node:Reconcile']?.contactSync?.scopes['autotask:100'];
}

describe('Contact Reconcile in the n8n engine', () => {
	test('two inputs, one output per action, each plan item paired with its source and target items', async () => {
		const source = [
			user('jane', { title: 'CTO' }),
			user('nia'),
			user('gone', { active: false, inactiveReason: 'disabled' }),
			user('back'),
		];
		const target = [
			contact(1, 'jane'),
			contact(2, 'gone'),
			contact(3, 'rep', { email: 'rep@vendor.example' }),
			contact(4, 'back', { active: false }),
		];
		const { result, out } = await run(source, target, {
			updateExisting: true,
			guard: { maxPercent: 100 },
		});
		expect(result.status).toBe('success');
		expect(pkg.nodes.contactReconcile.description.inputNames).toEqual([
			'Source',
			'Target',
			'Customers',
		]);
		expect(pkg.nodes.contactReconcile.description.outputNames).toEqual(OUTPUTS);

		expect(out('Create')).toEqual([
			expect.objectContaining({ action: 'create', email: 'nia@contoso.example', companyId: '100' }),
		]);
		expect(out('Update')).toEqual([
			expect.objectContaining({ action: 'update', targetId: '1', changes: { title: 'CTO' } }),
		]);
		expect(out('Deactivate')).toEqual([
			expect.objectContaining({ action: 'deactivate', targetId: '2' }),
		]);
		expect(out('Reactivate')).toEqual([
			expect.objectContaining({ action: 'reactivate', targetId: '4' }),
		]);
		expect(out('Unchanged')).toEqual([expect.objectContaining({ targetId: '3', sourceId: '' })]);
		expect(out('Needs Review')).toEqual([]);

		const paired = (name: string) =>
			result.items('Reconcile', OUTPUTS.indexOf(name)).map((item) => item.pairedItem);
		expect(paired('Create')).toEqual([{ item: 1, input: 0 }]);
		expect(paired('Update')).toEqual([
			[
				{ item: 0, input: 0 },
				{ item: 0, input: 1 },
			],
		]);
		expect(paired('Deactivate')).toEqual([
			[
				{ item: 2, input: 0 },
				{ item: 1, input: 1 },
			],
		]);
		expect(paired('Unchanged')).toEqual([{ item: 2, input: 1 }]);
	});

	test('the last-synced state is saved after production runs only; a manual run plans correctly and saves nothing', async () => {
		const store = new StaticDataStore();
		const parameters = { updateExisting: true };
		let target: CanonicalContact[] = [contact(1, 'jane')];

		// Scheduled run: in sync; the state is saved.
		const first = await run([user('jane')], target, parameters, { staticData: store });
		expect(first.out('Unchanged')).toHaveLength(1);
		const afterFirst = savedBlob(store);
		expect(afterFirst).toMatch(/^u-jane\|1\|\|/);

		// "Sync now" by hand after the title changed in Microsoft 365: the change is planned...
		const manual = await run([user('jane', { title: 'CTO' })], target, parameters, {
			mode: 'manual',
			staticData: store,
		});
		expect(manual.out('Update')).toEqual([expect.objectContaining({ changes: { title: 'CTO' } })]);
		// ...and n8n saves nothing for a manual run: the saved state is exactly as before.
		expect(savedBlob(store)).toBe(afterFirst);

		// The PSA node applied it. The next scheduled run sees the contact in sync and records that.
		target = [contact(1, 'jane', { title: 'CTO' })];
		const second = await run([user('jane', { title: 'CTO' })], target, parameters, {
			staticData: store,
		});
		expect(second.out('Unchanged')).toHaveLength(1);
		expect(second.out('Update')).toHaveLength(0);
		expect(savedBlob(store)).not.toBe(afterFirst);

		// Someone edits the title in the PSA: later scheduled runs keep it.
		target = [contact(1, 'jane', { title: 'Chief Technology Officer' })];
		const third = await run([user('jane', { title: 'CTO' })], target, parameters, {
			staticData: store,
		});
		expect(third.out('Update')).toHaveLength(0);
		expect(third.out('Unchanged')[0].reason).toMatch(/edited in the PSA and kept: title/i);
	});

	test('Dry Run marks the plan and saves no state, even in a production run', async () => {
		const store = new StaticDataStore();
		const { out } = await run(
			[user('jane', { title: 'CTO' }), user('nia')],
			[contact(1, 'jane')],
			{ updateExisting: true, dryRun: true },
			{ staticData: store },
		);
		expect(out('Create')).toEqual([expect.objectContaining({ dryRun: true })]);
		expect(out('Update')).toEqual([expect.objectContaining({ dryRun: true })]);
		expect(savedBlob(store)).toBeUndefined();
	});

	test('the deactivation guard holds back only the deactivations: the rest is planned, the held ones say how to release them', async () => {
		const store = new StaticDataStore();
		const people = Array.from({ length: 10 }, (_, i) => `p${i}`);
		const target = people.map((key, i) => contact(i + 1, key));
		const source = [
			...people.map((key, i) =>
				user(key, i < 4 ? { active: false, inactiveReason: 'disabled' } : {}),
			),
			user('joiner'),
		];
		const { result, out } = await run(
			source,
			target,
			{ updateExisting: true },
			{ staticData: store },
		);
		expect(result.status).toBe('success');
		expect(out('Create')).toEqual([expect.objectContaining({ email: 'joiner@contoso.example' })]);
		expect(out('Deactivate')).toEqual([]);
		const held = out('Needs Review');
		expect(held).toHaveLength(4);
		for (const item of held) {
			expect(item).toMatchObject({
				action: 'unchanged',
				review: {
					problem: 'heldDeactivation',
					heldAction: 'deactivate',
					message:
						"Deactivation guard: held back 4 deactivation(s), more than 20% of a company's synced contacts (and more than 0 always allowed)",
				},
			});
		}
		// The state is saved for what was planned; the held deactivations come back next run.
		expect(savedBlob(store)).toBeDefined();
		const again = await run(source, target, { updateExisting: true }, { staticData: store });
		expect(again.out('Needs Review')).toHaveLength(4);
		// Released for one run ("Always Allow Up To" raised), they are deactivated.
		const released = await run(
			source,
			target,
			{ updateExisting: true, guard: { alwaysAllow: 4 } },
			{ staticData: store },
		);
		expect(released.out('Deactivate')).toHaveLength(4);
		expect(released.out('Needs Review')).toEqual([]);
	});

	test('version 2 lets routine leavers of a small company through without setting Always Allow Up To; version 1 holds them back as before', async () => {
		// Two leavers of nine synced contacts (22 %, over the 20 % share): issue 14's small customer.
		const people = Array.from({ length: 9 }, (_, i) => `s${i}`);
		const target = people.map((key, i) => contact(i + 1, key));
		const source = people.map((key, i) =>
			user(key, i < 2 ? { active: false, inactiveReason: 'disabled' } : {}),
		);
		const v2 = await run(source, target, { updateExisting: true }, { extra: { typeVersion: 2 } });
		expect(v2.result.status).toBe('success');
		expect(v2.out('Deactivate')).toHaveLength(2);
		expect(v2.out('Needs Review')).toEqual([]);
		const v1 = await run(source, target, { updateExisting: true });
		expect(v1.out('Deactivate')).toEqual([]);
		expect(v1.out('Needs Review')).toEqual([
			expect.objectContaining({ review: expect.objectContaining({ problem: 'heldDeactivation' }) }),
			expect.objectContaining({ review: expect.objectContaining({ problem: 'heldDeactivation' }) }),
		]);
	});

	test('when Microsoft 365 Users returns nothing, the node still runs on the Target input and refuses to deactivate', async () => {
		const store = new StaticDataStore();
		const people = ['a', 'b', 'c'];
		const target = people.map((key, i) => contact(i + 1, key));
		await run(
			people.map((key) => user(key)),
			target,
			{ updateExisting: true },
			{ staticData: store },
		);
		const { result } = await run(
			[],
			target,
			{ updateExisting: true, guard: { maxPercent: 100 } },
			{ staticData: store },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Deactivation guard: refused to deactivate 3 contact(s) because the Source input has no Microsoft 365 users',
		);
		// The saved state survived the refused run.
		expect(savedBlob(store)?.split('\n')).toHaveLength(3);
	});

	test('when the PSA read returns nothing after earlier syncs, creating everyone again is refused', async () => {
		const store = new StaticDataStore();
		const people = ['a', 'b', 'c'];
		await run(
			people.map((key) => user(key)),
			people.map((key, i) => contact(i + 1, key)),
			{},
			{ staticData: store },
		);
		const { result } = await run(
			people.map((key) => user(key)),
			[],
			{},
			{ staticData: store },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/^Create guard: refused to create 3 contact\(s\) because the Target input has no contacts/,
		);
	});

	test('an item that is not a canonical contact is named by input, item and field', async () => {
		const source = [user('jane'), { id: 'x', mail: 'raw@contoso.example' }];
		const { result } = await run(source, [contact(1, 'jane')], {});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Source item 1: field "system" is missing, so this is not a canonical contact',
		);
		expect(result.error?.description).toMatch(
			/Microsoft 365 Users node \(operation Get Many, Simplify on\)/,
		);

		// Continue on error: the bad item goes to Needs Review, paired with it; creates wait for a readable Target.
		const target = [contact(1, 'jane'), { ...contact(2, 'x'), system: 'connectwise' }];
		const tolerant = await run(
			[user('jane'), user('nia')],
			target,
			{},
			{ extra: { onError: 'continueRegularOutput' } },
		);
		const review = tolerant.result.items('Reconcile', OUTPUTS.indexOf('Needs Review'));
		expect(
			review.map((item) => item.json.error ?? (item.json.review as IDataObject).problem),
		).toEqual([
			'Target item 1: field "system" is "connectwise", expected "autotask"',
			'heldCreate',
		]);
		expect(review[0].pairedItem).toEqual({ item: 1, input: 1 });
		expect(tolerant.out('Create')).toEqual([]);
		expect(tolerant.out('Unchanged')).toHaveLength(1);
	});

	test('a bad parameter is named', async () => {
		const { result } = await run([user('jane')], [], { domains: 'contoso.example, not a domain' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('"not" in Domains is not a domain');
	});
});
