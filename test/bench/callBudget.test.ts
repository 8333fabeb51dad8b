/**
 * The sync's call budget (issue 9): the template workflows make exactly the lower-bound number of
 * calls, and the product changes behind that hold: Contact Reconcile carries the target's ref,
 * ConnectWise writes email and phone changes by the item ids in it (and falls back to reading the
 * contact when it cannot), the PSA nodes build From Contact Reconcile outputs without a read-back.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { benchSyncCalls } from '../../bench/sync';
import { callBound, runTemplateSync, syncEnv } from '../../bench/syncRun';
import type { SyncEnv } from '../../bench/syncRun';
import { buildSyncSeed } from '../../bench/syncSeed';
import { PSAS } from '../../dev/psaState';
import { contactSyncTemplate } from '../../dev/templates';
import type { CanonicalContact, ContactPlanItem } from '../../lib/contacts/canonical';
import { DEFAULT_GUARD, planReconcile, readScopeState, scopeKey } from '../../lib/reconcile';
import type { ReconcileOptions } from '../../lib/reconcile';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { describeViolations } from '../../sandbox/core/contract';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';

const pkg = loadSourcePackage();
const SIZE = 1_200;
const data = buildSyncSeed(SIZE);

describe("Contact Reconcile carries the target contact's ref", () => {
	const options: ReconcileOptions = {
		targetSystem: 'connectwise',
		companyId: '250',
		updateExisting: true,
		mode: 'mirror',
		fields: ['firstName', 'lastName', 'title', 'phone', 'mobile', 'email'],
		domains: ['contoso.example'],
		guard: {
			...DEFAULT_GUARD,
			maxShare: 1,
			refuseWhenSourceEmpty: false,
			refuseWhenTargetEmpty: false,
			alwaysAllow: 0,
		},
		dryRun: false,
	};
	const person = (
		system: CanonicalContact['system'],
		id: string,
		email: string,
		extra: Partial<CanonicalContact> = {},
	): CanonicalContact => ({
		system,
		id,
		companyId: system === 'm365' ? '' : '250',
		email,
		emails: [email],
		firstName: 'Ada',
		lastName: 'Lovelace',
		title: 'Engineer',
		phone: '',
		mobile: '',
		active: true,
		...extra,
	});

	test('update and deactivate plan items get it as targetRef; contacts without one give none', () => {
		const ref = {
			typeNames: 'email|direct|cell',
			emailItemId: 11,
			phoneItemId: 12,
			mobileItemId: 0,
			phoneDefault: true,
		};
		const result = planReconcile({
			source: [
				person('m365', 'u1', 'ada@contoso.example', { title: 'CTO' }),
				person('m365', 'u2', 'bob@contoso.example', { title: 'CFO' }),
			],
			target: [
				person('connectwise', '1', 'ada@contoso.example', { ref }),
				person('connectwise', '2', 'bob@contoso.example'),
				person('connectwise', '3', 'gone@contoso.example', {
					ref: { typeNames: 'x', phoneDefault: false },
				}),
			],
			state: readScopeState(undefined, scopeKey('connectwise', '250')),
			options,
		});
		const byTarget = new Map(
			result.entries.map((entry) => [entry.item.targetId, entry.item as ContactPlanItem]),
		);
		expect(byTarget.get('1')).toMatchObject({
			action: 'update',
			changes: { title: 'CTO' },
			targetRef: ref,
		});
		expect(byTarget.get('2')).toMatchObject({ action: 'update' });
		expect(byTarget.get('2')).not.toHaveProperty('targetRef');
		expect(byTarget.get('3')).toMatchObject({
			action: 'deactivate',
			targetRef: { typeNames: 'x' },
		});
	});
});

describe(`the template syncs of ${SIZE} users against ${SIZE} contacts, k = ${data.k}`, () => {
	test('make exactly ceil(N/999) + ceil(M/page) + k calls, write every change, and nothing the second time', async () => {
		const { results, contractViolations } = await benchSyncCalls(pkg, data);
		expect(contractViolations).toBe(0);
		for (const result of results) {
			expect(result.first.outputs).toMatchObject({
				update: data.k,
				create: 0,
				deactivate: 0,
				reactivate: 0,
				review: 0,
			});
			expect(result.first.errors).toEqual([]);
			expect(result.first.applied).toBe(data.k);
			expect(result.first.calls.targetWrites).toBe(data.k);
			expect(result.first.calls.total).toBe(callBound(result.psa, SIZE, SIZE, data.k));
			// A Microsoft Graph token, and the Autotask zone or the ConnectWise codebase.
			expect(result.first.calls.auth).toBe(2);
			expect(result.stateProblems).toEqual([]);
			expect(result.second.outputs.unchanged).toBe(SIZE);
			expect(result.second.calls.targetWrites).toBe(0);
			expect(result.second.calls.total).toBe(callBound(result.psa, SIZE, SIZE, 0));
			expect(result.second.calls.auth).toBe(0);
		}
		expect(results.map((r) => r.psa)).toEqual(PSAS);
	});
});

describe('writes by ref, and the fallbacks', () => {
	let sandbox: Sandbox;
	let env: SyncEnv;

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: buildSyncSeed(300).seed });
	});
	afterAll(async () => {
		await sandbox.stop();
	});

	const cwCalls = (from: number, method?: string) =>
		sandbox.log.entries
			.filter((e) => e.seq > from && e.vendor === 'connectwise' && (!method || e.method === method))
			.map((e) => `${e.method} ${e.path.replace(/^.*apis\/3\.0/, '')}`);
	const last = () => sandbox.log.entries.at(-1)?.seq ?? 0;

	test('a renamed Microsoft 365 address reaches ConnectWise as one PATCH of its email item, no read, no type look-up', async () => {
		const small = buildSyncSeed(300);
		env = syncEnv(pkg, sandbox);
		const workflow = contactSyncTemplate('connectwise', small.scenario);
		await runTemplateSync(env, workflow);
		const users = sandbox.graph.users().slice(40, 42);
		const renamed = users.map((user) => {
			const mail = String(user.mail).replace('@', '.renamed@');
			sandbox.graph.updateUser(String(user.id), {
				mail,
				userPrincipalName: mail,
				proxyAddresses: [`SMTP:${mail}`],
			});
			return mail;
		});
		const from = last();
		const run = await runTemplateSync(env, workflow);
		expect(run.errors).toEqual([]);
		expect(run.outputs).toMatchObject({ update: 2, create: 0, deactivate: 0 });
		// The listing reads the tenant's communication types once; the writer reads nothing.
		expect(cwCalls(from).filter((call) => call === 'GET /company/communicationTypes')).toHaveLength(
			1,
		);
		const writes = cwCalls(from).filter(
			(call) =>
				!call.startsWith('GET /company/contacts?') &&
				call !== 'GET /company/contacts' &&
				call !== 'GET /company/communicationTypes',
		);
		expect(writes).toEqual([
			expect.stringMatching(/^PATCH \/company\/contacts\/\d+\/communications\/\d+$/),
			expect.stringMatching(/^PATCH \/company\/contacts\/\d+\/communications\/\d+$/),
		]);
		for (const mail of renamed) {
			const contact = sandbox.connectwise.contacts.find((c) =>
				(c.communicationItems ?? []).some((i) => i.value === mail),
			);
			expect(contact?.communicationItems?.filter((i) => i.communicationType === 'Email')).toEqual([
				expect.objectContaining({ value: mail, defaultFlag: true }),
			]);
		}
	});

	const cwNode = (
		options: INodeParameters = {
			emailTypeName: 'Email',
			phoneTypeName: 'Direct',
			mobileTypeName: 'Cell',
		},
	) =>
		singleNodeWorkflow({
			name: 'CW',
			type: `${PACKAGE_NAME}.connectWiseContact`,
			parameters: { resource: 'contact', operation: 'update', fromReconcile: true, options },
			credentials: { connectWiseManageApi: { id: '1', name: 'ConnectWise sandbox' } },
		});
	const plan = (
		contactId: number,
		changes: ContactPlanItem['changes'],
		targetRef?: Record<string, unknown>,
	): IDataObject =>
		({
			planVersion: 1,
			action: 'update',
			targetSystem: 'connectwise',
			targetId: String(contactId),
			companyId: '250',
			email: '',
			sourceId: 'u',
			changes,
			before: {},
			after: changes,
			reason: 'test',
			dryRun: false,
			...(targetRef ? { targetRef } : {}),
		}) as IDataObject;

	test('a ref whose item is gone: the write fails on it, the contact is read and written as without a ref', async () => {
		const contact = sandbox.connectwise.contacts[100];
		const direct = contact.communicationItems!.find((i) => i.type?.name === 'Direct')!;
		const stale = { typeNames: 'email|direct|cell', phoneItemId: 999_999, phoneDefault: true };
		const from = last();
		const result = await runWorkflow({
			pkg,
			credentials: env.credentials,
			workflow: cwNode(),
			input: [plan(contact.id, { phone: '+1 425 888 0001' }, stale)],
		});
		expect(result.json('CW')[0]).toMatchObject({
			applied: true,
			contact: { phone: '+1 425 888 0001' },
		});
		expect(cwCalls(from)).toEqual([
			`PATCH /company/contacts/${contact.id}/communications/999999`,
			'GET /company/communicationTypes',
			`GET /company/contacts/${contact.id}`,
			`PATCH /company/contacts/${contact.id}/communications/${direct.id}`,
		]);
		expect(
			sandbox.connectwise.contact(contact.id)!.communicationItems!.find((i) => i.id === direct.id)
				?.value,
		).toBe('+1 425 888 0001');
	});

	test('a ref read with other type names is not used; a contact without the item gets one created with the type looked up once', async () => {
		const contact = sandbox.connectwise.contacts[101];
		const ref = { typeNames: 'email|direct|mobile', phoneItemId: 1, phoneDefault: true };
		let from = last();
		await runWorkflow({
			pkg,
			credentials: env.credentials,
			workflow: cwNode(),
			input: [plan(contact.id, { phone: '+1 425 888 0002' }, ref)],
		});
		expect(cwCalls(from).slice(0, 2)).toEqual([
			'GET /company/communicationTypes',
			`GET /company/contacts/${contact.id}`,
		]);

		const bare = sandbox.connectwise.contacts.find(
			(c) => !(c.communicationItems ?? []).some((i) => i.type?.name === 'Cell'),
		)!;
		const created = { typeNames: 'email|direct|cell', mobileItemId: 0, phoneDefault: true };
		from = last();
		const result = await runWorkflow({
			pkg,
			credentials: env.credentials,
			workflow: cwNode(),
			input: [plan(bare.id, { mobile: '+1 206 888 0003' }, created)],
		});
		expect(result.json('CW')[0]).toMatchObject({
			applied: true,
			contact: { mobile: '+1 206 888 0003' },
		});
		expect(result.json('CW')[0].contact).not.toHaveProperty('ref');
		expect(cwCalls(from)).toEqual([
			'GET /company/communicationTypes',
			`POST /company/contacts/${bare.id}/communications`,
		]);
		expect(
			sandbox.connectwise
				.contact(bare.id)!
				.communicationItems!.find((i) => i.type?.name === 'Cell'),
		).toMatchObject({ value: '+1 206 888 0003', defaultFlag: false });
	});

	test('no contract violations', () => {
		expect(describeViolations(sandbox.contractViolations)).toBe('');
	});
});
