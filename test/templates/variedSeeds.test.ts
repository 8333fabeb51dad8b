/**
 * The contact templates over many generated customers (sandbox/seed/varied.ts), none of them the
 * default seed: standard and renamed ConnectWise communication types, 3 to 1,001 people (page
 * boundaries included), non-ASCII names, leavers, rehires, half-filled and drifted contacts,
 * contacts outside the synced domains, another customer holding the same addresses. Each seed is
 * checked against its own truth, computed here from the seed's records (not by the package):
 * every in-scope active user has exactly one active contact, no address is held by two active
 * contacts, a value the PSA had is never blanked, nothing outside the synced domains or in the
 * other customer is touched, a leaver's contact is deactivated or held back by the guard, a
 * contact holding an active user's address (an alias too) is never deactivated, and a second run
 * writes nothing. The generator's switches are on for a share of the seeds: over-long values,
 * many leavers, aliases.
 */
import type { IDataObject } from 'n8n-workflow';

import { CredentialStore } from '../../dev/runner/credentials';
import { StaticDataStore } from '../../dev/runner/engine';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';
import { contactSyncTemplate, scheduledRun } from '../../dev/templates';
import { ALWAYS_ALLOW_V2 } from '../../lib/reconcile/types';
import type { Psa } from '../../dev/psaState';
import { startSandbox } from '../../sandbox';
import type { Sandbox, Seed } from '../../sandbox';
import type { Scenario } from '../../sandbox/scenario';
import { generateVariedSeed, OTHER_COMPANY, VARIED_COMPANY } from '../../sandbox/seed/varied';
import type { VariedSeedOptions } from '../../sandbox/seed/varied';

const SEEDS = 50;
const WRITERS = ['Create Contact', 'Update Contact', 'Deactivate Contact', 'Reactivate Contact'];
const pkg = loadSourcePackage();

/** A PSA contact as this test reads it from the sandbox's records (its own reading, no package code). */
interface Seen {
	id: string;
	company: string;
	email: string;
	emails: string[];
	values: Record<'firstName' | 'lastName' | 'title' | 'phone' | 'mobile', string>;
	active: boolean;
	raw: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const lower = (value: unknown) => text(value).toLowerCase();

function contactsOf(sandbox: Sandbox, psa: Psa): Seen[] {
	if (psa === 'autotask') {
		return sandbox.autotask.contacts.map((c) => ({
			id: String(c.id),
			company: String(c.companyID),
			email: lower(c.emailAddress),
			emails: [c.emailAddress, c.emailAddress2, c.emailAddress3].map(lower).filter(Boolean),
			values: {
				firstName: text(c.firstName),
				lastName: text(c.lastName),
				title: text(c.title),
				phone: text(c.phone),
				mobile: text(c.mobilePhone),
			},
			active: Number(c.isActive) === 1 || c.isActive === true,
			raw: JSON.stringify(c),
		}));
	}
	// Phone and mobile by the tenant's own types: the Exchange cross-reference says which is which.
	const xref = new Map(
		sandbox.connectwise.communicationTypes.map((t) => [t.id, String(t.exchangeXref ?? '')]),
	);
	return sandbox.connectwise.contacts.map((c) => {
		const items = c.communicationItems ?? [];
		const phoneOf = (pattern: RegExp) =>
			text(items.find((i) => pattern.test(xref.get(Number(i.type?.id)) ?? ''))?.value);
		const emails = items.filter((i) => i.communicationType === 'Email');
		return {
			id: String(c.id),
			company: String(c.company?.id),
			email: lower((emails.find((i) => i.defaultFlag) ?? emails[0])?.value),
			emails: emails.map((i) => lower(i.value)),
			values: {
				firstName: text(c.firstName),
				lastName: text(c.lastName),
				title: text(c.title),
				phone: phoneOf(/Business(Telephone|Phone)/),
				mobile: phoneOf(/Mobile/),
			},
			active: c.inactiveFlag !== true,
			raw: JSON.stringify(c),
		};
	});
}

/** Writes in the sandbox's log after `from` (reads, queries and tokens are not writes). */
function writesSince(sandbox: Sandbox, from: number): string[] {
	return sandbox.log.entries
		.filter((e) => e.seq > from && e.method !== 'GET' && !/\/query|oauth|token/i.test(e.path))
		.map((e) => `${e.vendor} ${e.method} ${e.path}`);
}

/** Half the seeds to each PSA; the page-boundary seeds (9, 19, ...) alternate between them too. */
const psaOf = (n: number): Psa => (n % 4 < 2 ? 'connectwise' : 'autotask');

/**
 * The generator's switches, spread over the seeds so every PSA meets each: over-long values
 * (odd seeds), a small customer's many leavers (n % 3 = 2), aliases (n % 3 = 0).
 */
const switchesOf = (n: number): VariedSeedOptions => ({
	overLongValues: n % 2 === 1,
	manyLeavers: n % 3 === 2,
	aliases: n % 3 === 0,
});

/** Scheduled runs of the PSA's contact template on the sandbox, one memory (static data) for all. */
function scheduledRuns(sandbox: Sandbox, psa: Psa, scenario: Scenario) {
	const credentials = new CredentialStore(pkg.credentialTypes, sandbox.credentials);
	const workflow = contactSyncTemplate(psa, scenario);
	const staticData = new StaticDataStore();
	return async () =>
		await scheduledRun({
			pkg,
			credentials,
			workflow,
			staticData,
		});
}

/** A sandbox over the seed for `work`, stopped afterwards. */
async function withSeed<T>(seed: Seed, work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
	const sandbox = await startSandbox({ seed });
	try {
		return await work(sandbox);
	} finally {
		await sandbox.stop();
	}
}

async function syncTwice(n: number): Promise<string[]> {
	const psa = psaOf(n);
	const { seed, scenario } = generateVariedSeed(n, switchesOf(n));
	const problems: string[] = [];
	const fail = (what: string) => problems.push(`seed ${n} (${psa}): ${what}`);
	await withSeed(seed, async (sandbox) => {
		const company = String(VARIED_COMPANY[psa]);
		const other = String(OTHER_COMPANY[psa]);
		const domains = scenario.contactSync.domains;
		const inDomains = (email: string) => domains.includes(email.split('@')[1] ?? '');

		// The seed's truth: its users, by the address they are known by.
		const users = (seed.graph.users as IDataObject[]).map((u) => ({
			email: lower(u.mail) || lower(u.userPrincipalName),
			active: u.accountEnabled === true && (u.assignedLicenses as unknown[]).length > 0,
		}));
		const activeUsers = users.filter((u) => u.active && inDomains(u.email));
		const leavers = new Set(users.filter((u) => !u.active).map((u) => u.email));
		// Every address an active user owns (mail, smtp: aliases, sign-in name), in the domains.
		const owned = new Set(
			(seed.graph.users as IDataObject[])
				.filter((u) => u.accountEnabled === true && (u.assignedLicenses as unknown[]).length > 0)
				.flatMap((u) => [
					lower(u.mail),
					lower(u.userPrincipalName),
					...((u.proxyAddresses as string[] | undefined) ?? [])
						.filter((p) => /^smtp:/i.test(p))
						.map((p) => lower(p.slice(5))),
				])
				.filter((address) => address && inDomains(address)),
		);
		const before = contactsOf(sandbox, psa);

		const run = scheduledRuns(sandbox, psa, scenario);
		const first = await run();
		if (first.status !== 'success') fail(`first run ${first.status}: ${first.error?.message}`);
		for (const writer of WRITERS)
			for (const json of first.json(writer).filter((j) => j.error))
				fail(`${writer}: ${String(json.error)}`);
		const held = new Set(
			first
				.json('Contact Reconcile', 5)
				.filter((j) => (j.review as IDataObject | undefined)?.problem === 'heldDeactivation')
				.map((j) => lower(j.email)),
		);
		const from = sandbox.log.entries.at(-1)?.seq ?? 0;
		const second = await run();
		if (second.status !== 'success') fail(`second run ${second.status}: ${second.error?.message}`);
		// The second run changes nothing, except a deactivation the guard held back, released now
		// that the company's synced contacts include the first run's joiners (a smaller share).
		for (const [index, action] of ['create', 'update', 'deactivate', 'reactivate'].entries())
			for (const json of second.json('Contact Reconcile', index))
				if (action !== 'deactivate' || !held.has(lower(json.email)))
					fail(`the second run planned to ${action} ${String(json.email)}: ${String(json.reason)}`);
		const released = second.json('Contact Reconcile', 2).length;
		const rewrites = writesSince(sandbox, from);
		if (rewrites.length !== released)
			fail(
				`the second run wrote ${rewrites.length} time(s) for ${released} released deactivation(s), e.g. ${rewrites[0]}`,
			);

		const after = contactsOf(sandbox, psa);
		const mine = after.filter((c) => c.company === company);
		// Every in-scope active user: exactly one active contact in the company.
		for (const user of activeUsers) {
			const holders = mine.filter((c) => c.active && c.emails.includes(user.email));
			if (holders.length !== 1) fail(`${user.email} has ${holders.length} active contacts`);
		}
		// No address held by two active contacts of the company.
		const seen = new Map<string, string>();
		for (const contact of mine.filter((c) => c.active && c.email)) {
			if (seen.has(contact.email))
				fail(`${contact.email} is on contacts ${seen.get(contact.email)} and ${contact.id}`);
			seen.set(contact.email, contact.id);
		}
		// A leaver's contact: deactivated, or held back by the guard (and reported).
		for (const contact of mine)
			if (leavers.has(contact.email) && contact.active && !held.has(contact.email))
				fail(`leaver ${contact.email} is still active and was not held back`);
		const afterById = new Map(after.map((c) => [c.id, c]));
		for (const old of before) {
			const now = afterById.get(old.id);
			if (!now) {
				fail(`contact ${old.id} (${old.email}) disappeared`);
				continue;
			}
			// A contact holding an address an active user owns (an alias too) is never deactivated.
			if (
				old.company === company &&
				old.active &&
				!now.active &&
				old.emails.some((e) => owned.has(e))
			)
				fail(`contact ${old.id} (${old.email}) of an active user was deactivated`);
			// Nothing in another company, or outside the synced domains, is touched.
			if ((old.company === other || !inDomains(old.email)) && now.raw !== old.raw)
				fail(`contact ${old.id} (${old.email}, company ${old.company}) was changed`);
			// A value the PSA had is never blanked.
			for (const [field, value] of Object.entries(old.values))
				if (value && !now.values[field as keyof Seen['values']])
					fail(`contact ${old.id} lost its ${field} "${value}"`);
		}
		// Every contact created landed in the company.
		for (const contact of after)
			if (!before.some((b) => b.id === contact.id) && contact.company !== company)
				fail(`contact ${contact.id} was created in company ${contact.company}`);
	});
	return problems;
}

/** The Autotask tenant's title length as its field metadata serves it (the test's own reading of the seed). */
function autotaskTitleLength(sandbox: Sandbox): number {
	const route = sandbox.autotask.fieldLengths.find(
		(entry) => entry.entity === 'Contacts' && entry.field === 'title',
	);
	return route?.length ?? 50;
}

/**
 * Issue 14, point 3: values longer than the PSA's field allows (a job title past Autotask's
 * tenant length, a title past ConnectWise's 100, a surname past its 30) are cut at the limit,
 * written and reported on the writer's item; every user gets a contact, the run succeeds and a
 * second run plans nothing. Seeds 2 (Autotask title length 64), 3 (75) and 1 (ConnectWise).
 */
test.each([
	[2, 'autotask', 'changes'],
	[3, 'autotask', 'mirror'],
	[1, 'connectwise', 'mirror'],
	[5, 'connectwise', 'changes'],
] as Array<[number, Psa, 'changes' | 'mirror']>)(
	'over-long values (seed %i, %s, %s mode): cut at the tenant limit, written, reported; the second run plans nothing',
	async (n, psa, mode) => {
		const { seed, scenario } = generateVariedSeed(n, { overLongValues: true });
		scenario.contactSync.mode = mode;
		await withSeed(seed, async (sandbox) => {
			const limits =
				psa === 'autotask'
					? { title: autotaskTitleLength(sandbox), lastName: 50 }
					: { title: 100, lastName: 30 };
			const run = scheduledRuns(sandbox, psa, scenario);
			const users = (seed.graph.users as IDataObject[]).filter(
				(u) =>
					u.accountEnabled === true &&
					(String(u.jobTitle ?? '').length > limits.title ||
						String(u.surname ?? '').length > limits.lastName),
			);
			expect(users.length).toBeGreaterThan(0);
			const first = await run();
			expect(first.error?.message).toBeUndefined();
			expect(first.status).toBe('success');
			const written = WRITERS.flatMap((writer) => first.json(writer));
			expect(written.filter((j) => j.error)).toEqual([]);
			const contacts = contactsOf(sandbox, psa).filter(
				(c) => c.company === String(VARIED_COMPANY[psa]) && c.active,
			);
			let cut = 0;
			for (const user of users) {
				const email = lower(user.mail) || lower(user.userPrincipalName);
				const contact = contacts.find((c) => c.emails.includes(email));
				expect(contact).toBeDefined();
				const item = written.find((j) => lower(j.email) === email);
				const reported = (item?.truncated ?? []) as IDataObject[];
				for (const [field, wanted, limit] of [
					['title', text(user.jobTitle), limits.title],
					['lastName', text(user.surname), limits.lastName],
				] as Array<['title' | 'lastName', string, number]>) {
					const held = contact!.values[field];
					if (wanted.length <= limit) continue;
					// Cut, not dropped: a prefix of the user's value, within the limit, at a word
					// boundary when the value has one near the limit.
					expect(held.length).toBeLessThanOrEqual(limit);
					expect(held.length).toBeGreaterThan(limit / 2);
					expect(wanted.startsWith(held)).toBe(true);
					expect(reported).toContainEqual({
						field,
						limit,
						length: wanted.length,
						written: held,
					});
					cut++;
				}
			}
			expect(cut).toBeGreaterThan(0);
			const from = sandbox.log.entries.at(-1)?.seq ?? 0;
			const second = await run();
			expect(second.status).toBe('success');
			expect(second.json('Contact Reconcile', 0)).toEqual([]);
			expect(second.json('Contact Reconcile', 1).map((j) => j.reason)).toEqual([]);
			// Nothing written again but deactivations the guard held back and now releases.
			expect(writesSince(sandbox, from)).toHaveLength(second.json('Contact Reconcile', 2).length);
		});
	},
	120_000,
);

/**
 * Issue 14, point 2: a small customer with routine leavers (more than the 20 % share). The
 * template (Contact Reconcile version 2, Always Allow Up To 3 when not set) deactivates a handful
 * of leavers and creates the joiners; with Always Allow Up To 0 the deactivation guard holds back
 * only the leavers' deactivations (Needs Review, heldDeactivation), the joiners are still created
 * and the run succeeds.
 */
test.each([
	[4, 'connectwise'],
	[34, 'autotask'],
] as Array<[number, Psa]>)(
	'many leavers (seed %i, %s): a handful are deactivated, or held back with Always Allow Up To 0; the joiners created, the run succeeds',
	async (n, psa) => {
		const { seed, scenario } = generateVariedSeed(n, { manyLeavers: true });
		for (const alwaysAllow of [undefined, 0]) {
			await withSeed(seed, async (sandbox) => {
				const company = String(VARIED_COMPANY[psa]);
				const domains = scenario.contactSync.domains;
				const users = (seed.graph.users as IDataObject[]).map((u) => ({
					email: lower(u.mail) || lower(u.userPrincipalName),
					active: u.accountEnabled === true && (u.assignedLicenses as unknown[]).length > 0,
				}));
				const inScope = users.filter((u) => domains.includes(u.email.split('@')[1]));
				const mine = () => contactsOf(sandbox, psa).filter((c) => c.company === company);
				const leavers = mine().filter(
					(c) => c.active && inScope.some((u) => !u.active && u.email === c.email),
				);
				const joiners = inScope.filter(
					(u) => u.active && !mine().some((c) => c.emails.includes(u.email)),
				);
				// A small customer: more leavers than the guard's share of its contacts, a handful.
				expect(inScope.length).toBeLessThanOrEqual(12);
				expect(leavers.length).toBeGreaterThan(0.2 * mine().filter((c) => c.active).length);
				expect(leavers.length).toBeLessThanOrEqual(ALWAYS_ALLOW_V2);
				expect(joiners.length).toBeGreaterThan(0);
				const workflow = contactSyncTemplate(psa, scenario);
				if (alwaysAllow !== undefined) {
					const reconcile = workflow.nodes.find(
						(node) => node.type === 'n8n-nodes-msp.contactReconcile',
					)!;
					reconcile.parameters.guard = {
						...(reconcile.parameters.guard as IDataObject),
						alwaysAllow,
					};
				}
				const result = await scheduledRun({
					pkg,
					credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
					workflow,
					staticData: new StaticDataStore(),
				});
				expect(result.error?.message).toBeUndefined();
				expect(result.status).toBe('success');
				const held = result
					.json('Contact Reconcile', 5)
					.filter((j) => (j.review as IDataObject | undefined)?.problem === 'heldDeactivation');
				const after = mine();
				if (alwaysAllow === 0) {
					expect(held.map((j) => lower(j.email)).sort()).toEqual(
						leavers.map((c) => c.email).sort(),
					);
					for (const leaver of leavers)
						expect(after.find((c) => c.id === leaver.id)?.active).toBe(true);
				} else {
					expect(held).toEqual([]);
					for (const leaver of leavers)
						expect(after.find((c) => c.id === leaver.id)?.active).toBe(false);
				}
				for (const joiner of joiners)
					expect(after.filter((c) => c.active && c.emails.includes(joiner.email))).toHaveLength(1);
			});
		}
	},
	120_000,
);

/**
 * Issue 14, point 4: an active user whose address in a synced domain is only an alias (primary
 * address in another domain) owns that address: the PSA contact holding it is left as it is,
 * never deactivated as "no user has this address"; the second run plans nothing for it either.
 */
test.each([
	[12, 'autotask'],
	[13, 'connectwise'],
] as Array<[number, Psa]>)(
	"aliases (seed %i, %s): the contact holding an active user's alias stays active",
	async (n, psa) => {
		const { seed, scenario } = generateVariedSeed(n, { aliases: true });
		await withSeed(seed, async (sandbox) => {
			const domains = scenario.contactSync.domains;
			// The seed's own truth: active users whose synced-domain address is an smtp: alias.
			const aliases = (seed.graph.users as IDataObject[])
				.filter((u) => u.accountEnabled === true)
				.flatMap((u) =>
					(u.proxyAddresses as string[])
						.filter((p) => p.startsWith('smtp:'))
						.map((p) => lower(p.slice(5))),
				)
				.filter((address) => domains.includes(address.split('@')[1]));
			const holders = () =>
				contactsOf(sandbox, psa).filter(
					(c) =>
						c.company === String(VARIED_COMPANY[psa]) && c.emails.some((e) => aliases.includes(e)),
				);
			const before = holders();
			expect(before.length).toBeGreaterThan(0);
			expect(before.every((c) => c.active)).toBe(true);
			const run = scheduledRuns(sandbox, psa, scenario);
			for (let runs = 0; runs < 2; runs++) {
				const result = await run();
				expect(result.status).toBe('success');
				const planned = [0, 1, 2, 3, 5].flatMap((output) =>
					result.json('Contact Reconcile', output).map((j) => `${output}: ${String(j.email)}`),
				);
				for (const contact of before)
					expect(planned.filter((p) => p.endsWith(` ${contact.email}`))).toEqual([]);
				const unchanged = result
					.json('Contact Reconcile', 4)
					.filter((j) => before.some((c) => c.email === lower(j.email)));
				expect(unchanged.map((j) => j.reason)).toEqual(
					before.map(() => expect.stringMatching(/^Not deactivated: .* belongs to the active/)),
				);
				expect(holders().map((c) => c.raw)).toEqual(before.map((c) => c.raw));
			}
		});
	},
	120_000,
);

test(`the contact templates over ${SEEDS} generated customers: the invariants hold on every one`, async () => {
	const problems: string[] = [];
	for (let n = 0; n < SEEDS; n++) problems.push(...(await syncTwice(n)));
	expect(problems).toEqual([]);
}, 600_000);
