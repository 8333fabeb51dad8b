/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * Contacts the sync created twice (two runs at once, a create replayed by a late run): whatever
 * the interleaving, each run leaves no duplicate of its own creates behind (the Create node
 * re-reads the addresses it created and keeps the lowest id: docs/adr/contact-sync-settles-its-own-creates.md),
 * what a run could not settle is settled by the next run (docs/adr/contact-creation-mark.md), and
 * a contact a person made is never touched.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { ContactPlanItem } from '../../lib/contacts/canonical';
import type { FaultRule } from '../../sandbox/core/faults';
import type { CredentialStore } from '../../dev/runner/credentials';
import type { WorkflowResult } from '../../dev/runner/engine';

import { normalizeEmail } from '../../lib/contacts/normalize';
import type { Sandbox } from '../../sandbox/index';
import { runWorkflow, singleNodeWorkflow, StaticDataStore } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import {
	companyOf,
	credentialStore,
	pkg,
	readTemplate,
	runSync,
	SYNC_FILES,
	withSandbox,
} from './support';
import type { Psa, Template } from './support';
import { planItem } from '../support/planItem';

interface Stored {
	id: number;
	email: string;
	active: boolean;
	marked: boolean;
}

/** The company's contacts as the sandbox stores them, with the creation mark. */
function stored(sandbox: Sandbox, psa: Psa, company: string): Stored[] {
	if (psa === 'autotask') {
		return sandbox.autotask.contacts
			.filter((c) => String(c.companyID) === company)
			.map((c) => ({
				id: Number(c.id),
				email: normalizeEmail(c.emailAddress),
				active: Number(c.isActive) === 1 || c.isActive === true,
				marked: String(c.externalID ?? '').startsWith('n8n-msp-sync:'),
			}));
	}
	return sandbox.connectwise.contacts
		.filter((c) => String(c.company?.id) === company)
		.map((c) => {
			const items = (c.communicationItems ?? []) as Array<{
				value: string;
				communicationType: string;
				defaultFlag?: boolean;
			}>;
			const emails = items.filter((i) => i.communicationType === 'Email');
			return {
				id: Number(c.id),
				email: normalizeEmail((emails.find((i) => i.defaultFlag) ?? emails[0])?.value),
				active: !c.inactiveFlag,
				marked: Array.isArray(c.integratorTags) && c.integratorTags.includes('n8n-msp-sync'),
			};
		});
}

/** Active contacts beyond the first (lowest id) of an address that carry the sync's mark. */
function syncDuplicates(contacts: Stored[]): number {
	const byEmail = new Map<string, Stored[]>();
	for (const contact of contacts) {
		if (!contact.active || !contact.email) continue;
		byEmail.set(contact.email, [...(byEmail.get(contact.email) ?? []), contact]);
	}
	let extra = 0;
	for (const group of byEmail.values()) {
		group.sort((a, b) => a.id - b.id);
		extra += group.slice(1).filter((contact) => contact.marked).length;
	}
	return extra;
}

/** Active contacts per address (of the given addresses). */
function activeOf(contacts: Stored[], email: string): Stored[] {
	return contacts.filter((c) => c.active && c.email === email).sort((a, b) => a.id - b.id);
}

/** The PSA's create and re-read requests, to hold or break one of them. */
const CREATE_PATH: Record<Psa, RegExp> = {
	autotask: /\/Companies\/\d+\/Contacts$/i,
	connectwise: /\/company\/contacts$/i,
};
const REREAD: Record<Psa, Pick<FaultRule, 'method' | 'path'>> = {
	autotask: { method: 'POST', path: /\/Contacts\/query$/i },
	connectwise: { method: 'GET', path: /\/company\/contacts$/i },
};

/** "create" plan items for people the PSA does not have yet. */
function newPeople(psa: Psa, company: string, names: string[]): ContactPlanItem[] {
	return names.map((name, i) =>
		planItem({
			action: 'create',
			targetSystem: psa,
			companyId: company,
			email: `${name}@contoso.com`,
			sourceId: `race-user-${i}`,
			changes: { firstName: name, lastName: 'Racer', email: `${name}@contoso.com` },
			after: { firstName: name, lastName: 'Racer', email: `${name}@contoso.com` },
		}),
	);
}

/** The template's Create Contact node alone (as in the template: Continue On Fail), on `input`. */
async function createRun(
	psa: Psa,
	credentials: CredentialStore,
	template: Template,
	input: IDataObject[],
	name = 'Create Contact',
): Promise<WorkflowResult> {
	const writer = template.nodes.find((n) => n.name === 'Create Contact')!;
	return await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow: singleNodeWorkflow({
			name,
			type: `${PACKAGE_NAME}.${WRITER_TYPE[psa]}`,
			// The template's own node, version included (ConnectWise Contact v2 reads the
			// tenant's communication types; v1 keeps its named types for saved workflows).
			typeVersion: writer.typeVersion,
			parameters: writer.parameters,
			onError: writer.onError as INode['onError'],
			credentials: { [CREDENTIAL[psa]]: { id: '1', name: psa } },
		}),
		input,
	});
}

/** A Create run's "deactivate" items: the duplicates it settled. */
const settledBy = (result: WorkflowResult, node = 'Create Contact') =>
	result.json(node).filter((item) => item.action === 'deactivate' && item.applied === true);

const WRITER_TYPE: Record<Psa, string> = {
	autotask: 'autotaskContact',
	connectwise: 'connectWiseContact',
};
const CREDENTIAL: Record<Psa, string> = {
	autotask: 'autotaskApi',
	connectwise: 'connectWiseManageApi',
};

describe.each(['autotask', 'connectwise'] as Psa[])(
	'contacts the sync created twice (%s)',
	(psa) => {
		test('two runs at once: no duplicate right after them, the deactivated copies reported, and the next run writes nothing', async () => {
			await withSandbox(async (sandbox) => {
				const credentials = credentialStore(sandbox);
				const staticData = new StaticDataStore();
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const [a, b] = await Promise.all([
					runSync(sandbox, credentials, staticData, template),
					runSync(sandbox, credentials, staticData, template),
				]);
				expect([a.result.status, b.result.status]).toEqual(['success', 'success']);
				expect(a.planned.create).toBeGreaterThan(0);
				const immediate = stored(sandbox, psa, company);
				// Every copy either run made beyond one per address was deactivated by one of them,
				// shown on its Create output and counted in its report as deactivated.
				const copies = immediate.filter((c) => c.marked).length;
				const addresses = new Set(immediate.filter((c) => c.marked).map((c) => c.email)).size;
				const settled = [...settledBy(a.result), ...settledBy(b.result)];
				expect(new Set(settled.map((item) => String(item.targetId))).size).toBe(copies - addresses);
				for (const item of settled)
					expect(String(item.reason)).toMatch(/^Duplicate of contact \d+: the sync created /);
				const reported = [a, b].flatMap((run) => run.result.json('Contact Sync Report'));
				const leavers = [a, b].flatMap((run) =>
					run.result.json('Deactivate Contact').filter((item) => item.applied === true),
				);
				expect(reported.reduce((n, r) => n + Number(r.deactivated), 0)).toBe(
					settled.length + leavers.length,
				);
				expect(syncDuplicates(immediate)).toBe(0);
				// Only contacts the sync made were settled (the runs' own leavers aside, people's stand).
				for (const item of settled)
					expect(immediate.find((c) => c.id === Number(item.targetId))?.marked).toBe(true);

				// Both runs saved their memory (the last save wins); the kept contact may be the other
				// run's: the next run plans nothing, writes nothing and asks no review of these people.
				const from = sandbox.log.entries.length;
				const next = await runSync(sandbox, credentials, staticData, template);
				expect(next.result.status).toBe('success');
				expect(next.planned).toEqual({ create: 0, update: 0, deactivate: 0, reactivate: 0 });
				const writes = sandbox.log.entries
					.slice(from)
					.filter((e) => e.method !== 'GET' && !/\/query$/i.test(e.path));
				expect(writes.map((e) => `${e.method} ${e.path}`)).toEqual([]);
				const created = new Set(immediate.filter((c) => c.marked).map((c) => c.email));
				const reviewed = next.result
					.json('Contact Reconcile', 5)
					.filter((item) => created.has(String(item.email)));
				expect(reviewed).toEqual([]);
				process.stdout.write(
					`${psa}: two contact syncs at once created ${a.planned.create} + ${b.planned.create}, deactivated ${new Set(settled.map((item) => item.targetId)).size} copies in the same runs (${settled.length} deactivation items); sync duplicates right after ${syncDuplicates(immediate)}; the next run wrote ${writes.length}\n`,
				);
			});
		});

		test('interleaving: the other run creates the same person between our create and our re-read; we keep the lower id, it deactivates its own', async () => {
			await withSandbox(async (sandbox) => {
				const credentials = credentialStore(sandbox);
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const input = newPeople(psa, company, ['pat.race']) as unknown as IDataObject[];
				// Our re-read waits until the other run has created, re-read and settled.
				sandbox.faults.add({ kind: 'hold', vendor: psa, ...REREAD[psa], times: 1 });
				const ours = createRun(psa, credentials, template, input, 'Ours');
				// (A run that re-reads nothing finishes instead: the test then fails on the end state.)
				await Promise.race([sandbox.faults.whenHeld(1), ours]);
				const theirs = await createRun(psa, credentials, template, input, 'Theirs');
				sandbox.faults.release();
				const mine = await ours;
				const ourId = Number(mine.json('Ours')[0].targetId);
				const theirId = Number(theirs.json('Theirs')[0].targetId);
				expect(theirId).toBeGreaterThan(ourId);
				expect(settledBy(theirs, 'Theirs').map((item) => Number(item.targetId))).toEqual([theirId]);
				expect(settledBy(mine, 'Ours')).toEqual([]);
				expect(
					activeOf(stored(sandbox, psa, company), 'pat.race@contoso.com').map((c) => c.id),
				).toEqual([ourId]);
			});
		});

		test('interleaving: the other run creates the same person just after our re-read; it keeps our contact and deactivates its own', async () => {
			await withSandbox(async (sandbox) => {
				const credentials = credentialStore(sandbox);
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const input = newPeople(psa, company, ['sam.race']) as unknown as IDataObject[];
				// The other run's create is held until ours was created, re-read (one copy) and done.
				sandbox.faults.add({
					kind: 'hold',
					vendor: psa,
					method: 'POST',
					path: CREATE_PATH[psa],
					times: 1,
				});
				const theirs = createRun(psa, credentials, template, input, 'Theirs');
				await sandbox.faults.whenHeld(1);
				const mine = await createRun(psa, credentials, template, input, 'Ours');
				expect(settledBy(mine, 'Ours')).toEqual([]);
				sandbox.faults.release();
				const other = await theirs;
				const ourId = Number(mine.json('Ours')[0].targetId);
				const theirId = Number(other.json('Theirs')[0].targetId);
				expect(theirId).toBeGreaterThan(ourId);
				const settled = settledBy(other, 'Theirs');
				expect(settled.map((item) => Number(item.targetId))).toEqual([theirId]);
				expect(settled[0].reason).toMatch(new RegExp(`^Duplicate of contact ${ourId}:`));
				expect(
					activeOf(stored(sandbox, psa, company), 'sam.race@contoso.com').map((c) => c.id),
				).toEqual([ourId]);
			});
		});

		test('two runs at once whose creates lose their answers (looked up, sent again): one active contact per address right after them', async () => {
			await withSandbox(
				async (sandbox) => {
					const credentials = credentialStore(sandbox);
					const template = readTemplate(SYNC_FILES[psa]);
					const company = companyOf(template);
					const names = Array.from({ length: 8 }, (_, i) => `lost.answer${i}`);
					const input = newPeople(psa, company, names) as unknown as IDataObject[];
					const people = stored(sandbox, psa, company).filter((c) => !c.marked);
					// Landed but the answer cut (found by the look-up), or cut before landing (sent again).
					for (const kind of ['resetAfter', 'reset'] as const)
						sandbox.faults.add({
							kind,
							vendor: psa,
							method: 'POST',
							path: CREATE_PATH[psa],
							rate: 0.3,
						});
					const [first, second] = await Promise.all([
						createRun(psa, credentials, template, input, 'First'),
						createRun(psa, credentials, template, input, 'Second'),
					]);
					expect(sandbox.faults.injected.resetAfter ?? 0).toBeGreaterThan(0);
					expect(sandbox.faults.injected.reset ?? 0).toBeGreaterThan(0);
					for (const [result, node] of [
						[first, 'First'],
						[second, 'Second'],
					] as const)
						expect(result.json(node).filter((item) => item.error !== undefined)).toEqual([]);
					const after = stored(sandbox, psa, company);
					for (const name of names) expect(activeOf(after, `${name}@contoso.com`)).toHaveLength(1);
					for (const person of people)
						expect(after.find((c) => c.id === person.id)?.active).toBe(person.active);
				},
				{ faultSeed: 7 },
			);
		});

		test("a create replayed by a run that could not re-read: it says so, the next run deactivates the later contact; people's contacts are untouched", async () => {
			await withSandbox(async (sandbox) => {
				const credentials = credentialStore(sandbox);
				const staticData = new StaticDataStore();
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const first = await runSync(sandbox, credentials, staticData, template);
				expect(first.result.status).toBe('success');
				const creates = first.result.json('Contact Reconcile', 0);
				expect(creates.length).toBeGreaterThan(0);

				// What a second run that planned on the same contacts does: it creates them again, and
				// here its re-read is refused, so it cannot settle them (a run that stopped there).
				sandbox.faults.add({ kind: 'status', status: 400, vendor: psa, ...REREAD[psa] });
				const replay = await createRun(psa, credentials, template, creates, 'Late Create');
				sandbox.faults.clear();
				const out = replay.json('Late Create');
				const failed = out.filter((item) => item.error !== undefined);
				expect(failed).toHaveLength(1);
				expect(failed[0].plan).toMatchObject({ action: 'deactivate', companyId: company });
				const replayed = out
					.filter((item) => item.action === 'create' && item.applied === true)
					.map((item) => String(item.targetId));
				expect(replayed).toHaveLength(creates.length);
				const people = stored(sandbox, psa, company).filter((c) => !c.marked);
				expect(syncDuplicates(stored(sandbox, psa, company))).toBe(creates.length);

				const next = await runSync(sandbox, credentials, staticData, template);
				expect(next.result.status).toBe('success');
				const deactivated = next.result
					.json('Contact Reconcile', 2)
					.map((item) => String(item.targetId))
					.sort();
				expect(deactivated).toEqual([...replayed].sort());
				const after = stored(sandbox, psa, company);
				expect(syncDuplicates(after)).toBe(0);
				for (const person of people)
					expect(after.find((c) => c.id === person.id)?.active).toBe(person.active);
				for (const plan of first.result.json('Create Contact'))
					expect(after.find((c) => c.id === Number(plan.targetId))?.active).toBe(true);
				// Settled: a further run has nothing to do, and no review of the settled copies.
				const settled = await runSync(sandbox, credentials, staticData, template);
				expect(settled.planned).toEqual({ create: 0, update: 0, deactivate: 0, reactivate: 0 });
				const emails = new Set(creates.map((item) => String(item.email)));
				expect(
					settled.result
						.json('Contact Reconcile', 5)
						.filter((item) => emails.has(String(item.email))),
				).toEqual([]);
			});
		});
	},
);
