/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * Contacts the sync created twice (a create replayed by a late or concurrent run, two runs at
 * once): whatever the interleaving, the next run leaves one active contact per address, by the
 * creation-mark rule (docs/adr/contact-creation-mark.md), and never touches a contact a person made.
 */
import type { IDataObject } from 'n8n-workflow';

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
import type { Psa } from './support';

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
		test("a create replayed by a late run: the next run deactivates the later contact; people's contacts are untouched", async () => {
			await withSandbox(async (sandbox) => {
				const credentials = credentialStore(sandbox);
				const staticData = new StaticDataStore();
				const template = readTemplate(SYNC_FILES[psa]);
				const company = companyOf(template);
				const first = await runSync(sandbox, credentials, staticData, template);
				expect(first.result.status).toBe('success');
				const creates = first.result.json('Contact Reconcile', 0);
				expect(creates.length).toBeGreaterThan(0);

				// What a second run that planned on the same contacts does: it creates them again.
				const writer = template.nodes.find((n) => n.name === 'Create Contact')!;
				const replay = await runWorkflow({
					pkg: pkg(),
					credentials,
					workflow: singleNodeWorkflow({
						name: 'Late Create',
						type: `${PACKAGE_NAME}.${WRITER_TYPE[psa]}`,
						// The template's own node, version included (ConnectWise Contact v2 reads the
						// tenant's communication types; v1 keeps its named types for saved workflows).
						typeVersion: writer.typeVersion,
						parameters: writer.parameters,
						credentials: { [CREDENTIAL[psa]]: { id: '1', name: psa } },
					}),
					input: creates as IDataObject[],
				});
				expect(replay.error?.description ?? replay.error?.message).toBeUndefined();
				const replayed = replay.json('Late Create').map((item) => String(item.targetId));
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
				// Settled: a further run has nothing to do.
				const settled = await runSync(sandbox, credentials, staticData, template);
				expect(settled.planned).toEqual({ create: 0, update: 0, deactivate: 0, reactivate: 0 });
			});
		});

		test('two runs at once: whatever the race made, the next run leaves one active contact per address', async () => {
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
				const immediate = syncDuplicates(stored(sandbox, psa, company));

				const next = await runSync(sandbox, credentials, staticData, template);
				expect(next.result.status).toBe('success');
				const after = syncDuplicates(stored(sandbox, psa, company));
				process.stdout.write(
					`${psa}: two contact syncs at once created ${a.planned.create} + ${b.planned.create}; sync duplicates right after ${immediate}, after the next run ${after}\n`,
				);
				expect(after).toBe(0);
			});
		});
	},
);
