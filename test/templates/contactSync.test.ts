/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INode } from 'n8n-workflow';

import { cleanText, normalizeEmail, phoneDigits } from '../../lib/contacts/normalize';
import { DEFAULT_SEED_DIR, startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { CredentialStore } from '../../dev/runner/credentials';
import { StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { psaContacts } from '../../dev/psaState';
import {
	companyIdOf,
	contactTemplateSetupFor,
	scheduledRun,
	setUpContactTemplate,
} from '../../dev/templates';
import type { ContactTemplateSetup } from '../../dev/templates';
import { readScenario } from '../../sandbox/scenario';
import type { ContactRecord } from '../../dev/psaState';

const WRITERS = ['Create Contact', 'Update Contact', 'Deactivate Contact', 'Reactivate Contact'];
const pkg = loadSourcePackage();

describe.each([
	['autotask', 'office365-to-autotask-contacts.json'],
	['connectwise', 'office365-to-connectwise-contacts.json'],
] as const)('workflows template for %s', (psa, file) => {
	let sandbox: Sandbox;
	let credentials: CredentialStore;
	const text = fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', file), 'utf8');
	const shipped = JSON.parse(text) as WorkflowDefinition & { nodes: INode[] };
	const scenario = readScenario(DEFAULT_SEED_DIR);
	const companyId = companyIdOf(psa, scenario);
	// Set up as its Setup note asks: the company picked from the list (the picker keeps its
	// name), the domains entered; found by the tenant's domains, as a user finds them.
	let template: WorkflowDefinition & { nodes: INode[] };
	let setup: ContactTemplateSetup;
	const staticData = new StaticDataStore();

	beforeAll(async () => {
		sandbox = await startSandbox();
		credentials = new CredentialStore(pkg.credentialTypes, sandbox.credentials);
		setup = contactTemplateSetupFor(sandbox, psa);
		template = setUpContactTemplate(structuredClone(shipped), setup);
	});
	afterAll(async () => await sandbox.stop());

	test('imports as an n8n workflow: known node types, every parameter exists on its node, credentials referenced', () => {
		expect(shipped.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		for (const node of shipped.nodes) {
			expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
			if (!node.type.startsWith('n8n-nodes-msp.')) {
				expect([
					'n8n-nodes-base.scheduleTrigger',
					'n8n-nodes-base.manualTrigger',
					'n8n-nodes-base.stickyNote',
				]).toContain(node.type);
				continue;
			}
			const description = pkg.nodes[node.type.replace('n8n-nodes-msp.', '')].description;
			const names = new Set(description.properties.map((p) => p.name));
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
			for (const credential of Object.keys(node.credentials ?? {})) {
				expect(description.credentials?.map((c) => c.name)).toContain(credential);
			}
		}
	});

	test("ships without any customer's company or domains: the company picker is required, and n8n runs nothing until it is picked", async () => {
		// Issue 14: not the default seed's (nor any) company id or domain.
		expect(text).not.toContain(companyId);
		for (const domain of scenario.contactSync.domains) expect(text).not.toContain(domain);
		const reconcile = shipped.nodes.find((n) => n.type === 'n8n-nodes-msp.contactReconcile')!;
		expect(reconcile.typeVersion).toBe(2);
		expect(reconcile.parameters.companyId).toEqual({ __rl: true, mode: 'list', value: '' });
		const picker = pkg.nodes.contactReconcile.description.properties.find(
			(p) => p.name === 'companyId' && p.type === 'resourceLocator',
		)!;
		expect(picker.required).toBe(true);
		const users = shipped.nodes.find((n) => n.type === 'n8n-nodes-msp.office365Users')!;
		expect((users.parameters.filters as Record<string, unknown>).emailDomains).toBe('');

		// n8n itself refuses to start it: the required picker is empty. Nothing is read or written.
		const from = sandbox.log.entries.length;
		await expect(
			scheduledRun({
				pkg,
				credentials,
				workflow: shipped,
				staticData: new StaticDataStore(),
			}),
		).rejects.toThrow(/Parameter "Company for New Contacts" is required/);
		expect(sandbox.log.entries.slice(from)).toEqual([]);
	});

	test('first scheduled run applies the plan exactly; blanks never overwrite; the sandbox ends as planned', async () => {
		const before = new Map(psaContacts(sandbox, psa, companyId).map((c) => [c.id, c]));
		const result = await scheduledRun({
			pkg,
			credentials,
			workflow: template,
			staticData,
		});
		expect(result.status).toBe('success');
		for (const writer of WRITERS) expect(result.json(writer).filter((j) => j.error)).toEqual([]);

		// The company found by the tenant's domains is the scenario's.
		expect(setup).toMatchObject({ companyId, domains: scenario.contactSync.domains });
		const [creates, updates, deactivates, reactivates] = [0, 1, 2, 3].map((i) =>
			result.json('Contact Reconcile', i),
		);
		// Every plan item of the company names it (the picker's name; ConnectWise lists it too).
		for (let output = 0; output < 6; output++)
			for (const item of result.json('Contact Reconcile', output))
				if (item.companyId === companyId) expect(item.companyName).toBe(setup.companyName);
		expect(creates.length).toBeGreaterThan(0);
		expect(updates.length).toBeGreaterThan(0);
		expect(deactivates.length).toBeGreaterThan(0);
		for (const [index, writer] of WRITERS.entries()) {
			expect(result.json(writer).filter((j) => j.applied === true)).toHaveLength(
				[creates, updates, deactivates, reactivates][index].length,
			);
		}

		const after = psaContacts(sandbox, psa, companyId);
		const byEmail = (email: string) => after.filter((c) => c.emails.includes(email));
		// Every create now exists once, active, with its values.
		for (const plan of creates) {
			const found = byEmail(String(plan.email));
			expect(found).toHaveLength(1);
			expect(found[0].active).toBe(true);
			const changes = plan.changes as Record<string, string>;
			if (changes.lastName) expect(found[0].lastName).toBe(cleanText(changes.lastName));
		}
		// Every update's "after" values are in the PSA now.
		const byId = new Map(after.map((c) => [c.id, c]));
		for (const plan of updates) {
			const contact = byId.get(String(plan.targetId))!;
			for (const [field, value] of Object.entries(plan.after as Record<string, string>)) {
				if (field === 'email') expect(contact.emails).toContain(normalizeEmail(value));
				else if (field === 'phone' || field === 'mobile')
					expect(contact[field]).toBe(phoneDigits(value));
				else expect(contact[field as 'title']).toBe(cleanText(value));
			}
		}
		for (const plan of deactivates) expect(byId.get(String(plan.targetId))!.active).toBe(false);
		// No field that held a value before the run is blank after it.
		for (const contact of after) {
			const old = before.get(contact.id);
			if (!old) continue;
			for (const field of ['firstName', 'lastName', 'title', 'phone', 'mobile'] as const) {
				if (old[field]) expect(contact[field]).not.toBe('');
			}
		}
		// Nothing was created outside the plan and nothing left the company.
		expect(after.length).toBe(before.size + creates.length);
		expect(sandbox.contractViolations).toEqual([]);
	});

	test('the second run changes nothing and writes nothing', async () => {
		const from = sandbox.log.entries.length;
		const result = await scheduledRun({
			pkg,
			credentials,
			workflow: template,
			staticData,
		});
		expect(result.status).toBe('success');
		for (let output = 0; output < 4; output++)
			expect(result.items('Contact Reconcile', output)).toHaveLength(0);
		const calls = sandbox.log.entries.slice(from);
		expect(calls.filter((c) => c.method !== 'GET' && !/query/i.test(c.path))).toEqual([]);
		// The users, the contacts, and ConnectWise's communication types (to tell phone from mobile)
		// or Autotask's field lengths (a value cut at its limit is in sync).
		expect(calls.length).toBeLessThanOrEqual(3);
	});

	test('an edit made in the PSA survives the next run (Changes Only); a change in Microsoft 365 is written', async () => {
		const all = psaContacts(sandbox, psa, companyId);
		// A contact whose address no other contact shares (shared addresses go to Needs Review).
		const unique = (c: ContactRecord) =>
			c.emails.every((email) => all.filter((other) => other.emails.includes(email)).length === 1);
		const contact = all.find((c) => c.active && c.title && c.emails.length && unique(c))!;
		const user = sandbox.graph
			.users()
			.find((u) => contact.emails.includes(normalizeEmail(u.mail)) && u.accountEnabled !== false)!;
		expect(user).toBeDefined();
		if (psa === 'autotask')
			sandbox.autotask.contacts.find((c) => String(c.id) === contact.id)!.title =
				'Edited In The PSA';
		else
			sandbox.connectwise.contacts.find((c) => String(c.id) === contact.id)!.title =
				'Edited In The PSA';
		const kept = await scheduledRun({
			pkg,
			credentials,
			workflow: template,
			staticData,
		});
		expect(kept.json('Contact Reconcile', 1)).toEqual([]);
		expect(psaContacts(sandbox, psa, companyId).find((c) => c.id === contact.id)!.title).toBe(
			'Edited In The PSA',
		);

		sandbox.graph.updateUser(user.id as string, { jobTitle: 'Promoted In Microsoft 365' });
		const changed = await scheduledRun({
			pkg,
			credentials,
			workflow: template,
			staticData,
		});
		expect(changed.json('Contact Reconcile', 1).map((p) => p.targetId)).toEqual([contact.id]);
		expect(psaContacts(sandbox, psa, companyId).find((c) => c.id === contact.id)!.title).toBe(
			'Promoted In Microsoft 365',
		);
	});
});
