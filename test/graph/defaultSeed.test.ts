import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import type { GraphUser } from '../../sandbox/graph';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, singleNodeWorkflow, StaticDataStore } from '../../dev/runner/engine';
import { loadSourcePackage, PACKAGE_NAME } from '../../dev/runner/nodeTypes';

/**
 * The shipped default seed (a Contoso tenant of a few hundred users with the messy cases real
 * tenants have) through the Microsoft 365 Users node. Expectations come from the seed's own
 * vendor-native fields, so the test holds while the seed generator evolves.
 */
const pkg = loadSourcePackage();
let sandbox: Sandbox;
let store: CredentialStore;
let seedUsers: GraphUser[];

beforeAll(async () => {
	sandbox = await startSandbox();
	store = new CredentialStore(pkg.credentialTypes, {
		microsoftGraphAppApi: sandbox.credentials.microsoftGraphAppApi,
	});
	seedUsers = sandbox.graph.users();
});

afterAll(async () => {
	await sandbox.stop();
});

async function run(
	parameters: INodeParameters,
	mode: 'manual' | 'trigger' = 'manual',
	staticData?: StaticDataStore,
) {
	const workflow = singleNodeWorkflow({
		name: 'Users',
		type: `${PACKAGE_NAME}.office365Users`,
		parameters: { resource: 'user', ...parameters },
		credentials: { microsoftGraphAppApi: { id: '1', name: 'Graph' } },
	});
	const result = await runWorkflow({ pkg, credentials: store, workflow, mode, staticData });
	expect(result.status).toBe('success');
	return result;
}

const isMember = (user: GraphUser) =>
	user.userType === 'Member' && !String(user.userPrincipalName).includes('#EXT#');
const isLicensed = (user: GraphUser) =>
	Array.isArray(user.assignedLicenses) && user.assignedLicenses.length > 0;
const ids = (items: IDataObject[]) => items.map((item) => String(item.id)).sort();

test('the seed has the messy cases this test relies on', () => {
	expect(seedUsers.length).toBeGreaterThan(200);
	expect(seedUsers.some((user) => user.accountEnabled === false)).toBe(true);
	expect(seedUsers.some((user) => !isLicensed(user))).toBe(true);
	expect(seedUsers.some((user) => !isMember(user))).toBe(true);
	expect(seedUsers.some((user) => user.mail === null)).toBe(true);
	expect(
		seedUsers.some(
			(user) => typeof user.mail === 'string' && user.mail !== user.mail.toLowerCase(),
		),
	).toBe(true);
	expect(seedUsers.some((user) => String(user.mail).includes("'"))).toBe(true);
	expect(seedUsers.some((user) => /[^\x20-\x7e]/.test(String(user.displayName)))).toBe(true);
});

test('Get Many with the default filters: exactly the enabled, licensed members, each with a clean address or a reason', async () => {
	const result = await run({ operation: 'getAll', returnAll: true });
	const users = result.json('Users', 0);
	const noAddress = result.json('Users', 1);
	const expected = seedUsers.filter(
		(user) => user.accountEnabled === true && isLicensed(user) && isMember(user),
	);
	expect([...ids(users), ...ids(noAddress)].sort()).toEqual(expected.map((user) => user.id).sort());

	const byId = new Map(seedUsers.map((user) => [user.id, user]));
	for (const contact of users) {
		const source = byId.get(String(contact.id))!;
		expect(contact).toMatchObject({ system: 'm365', companyId: '', active: true });
		expect(contact.email).toBe(String(contact.email).trim().toLowerCase());
		if (typeof source.mail === 'string')
			expect(contact.email).toBe(source.mail.trim().toLowerCase());
		else expect(String(source.userPrincipalName).toLowerCase()).toBe(contact.email);
		// Names are kept as written (NFC), apostrophes and accents included.
		if (source.givenName)
			expect(contact.firstName).toBe(String(source.givenName).normalize('NFC').trim());
		if (source.surname)
			expect(contact.lastName).toBe(String(source.surname).normalize('NFC').trim());
		expect(contact.title).toBe(String(source.jobTitle ?? '').trim());
	}
	for (const item of noAddress) {
		const source = byId.get(String(item.id))!;
		expect(source.mail).toBeNull();
		expect(String(source.userPrincipalName)).toMatch(/\.onmicrosoft\.com$/);
		expect(item.noAddressReason).toMatch(/^No usable email address/);
	}
	expect(users.some((contact) => String(contact.email).includes("'"))).toBe(true);
});

test('Exclude Likely Shared Mailboxes drops the unnamed role mailboxes and rooms, and no named person', async () => {
	const all = await run({ operation: 'getAll', returnAll: true, filters: {} });
	const kept = await run({
		operation: 'getAll',
		returnAll: true,
		filters: { excludeShared: true },
	});
	const before = new Set([...ids(all.json('Users', 0)), ...ids(all.json('Users', 1))]);
	const after = new Set([...ids(kept.json('Users', 0)), ...ids(kept.json('Users', 1))]);
	const dropped = seedUsers.filter((user) => before.has(user.id) && !after.has(user.id));
	expect(dropped.length).toBeGreaterThan(0);
	for (const user of dropped) {
		const named = Boolean(user.givenName) || Boolean(user.surname);
		expect([user.displayName, named && !/room/i.test(String(user.displayName))]).toEqual([
			user.displayName,
			false,
		]);
	}
	const unnamed = seedUsers.filter((user) => !user.givenName && !user.surname);
	expect(unnamed.filter((user) => after.has(user.id)).map((user) => user.displayName)).toEqual([]);
});

test('a second verified domain: only users whose address is in it', async () => {
	const domain = 'contosoretail.com';
	const result = await run({
		operation: 'getAll',
		returnAll: true,
		filters: { enabledOnly: true, emailDomains: domain },
	});
	const users = result.json('Users', 0);
	expect(users.length).toBeGreaterThan(0);
	expect(users.every((user) => String(user.email).endsWith(`@${domain}`))).toBe(true);
	const expected = seedUsers.filter(
		(user) =>
			user.accountEnabled === true &&
			String(user.mail ?? user.userPrincipalName)
				.toLowerCase()
				.endsWith(`@${domain}`),
	);
	expect(ids(users)).toEqual(expected.map((user) => user.id).sort());
});

test('Get Changes on the seed: the first run lists every member, disabled and unlicensed ones as inactive', async () => {
	const staticData = new StaticDataStore();
	const result = await run({ operation: 'getChanges' }, 'trigger', staticData);
	const all = [...result.json('Users', 0), ...result.json('Users', 1)];
	expect(ids(all)).toEqual(
		seedUsers
			.filter(isMember)
			.map((user) => user.id)
			.sort(),
	);
	for (const item of all) {
		const source = seedUsers.find((user) => user.id === item.id)!;
		const reason =
			source.accountEnabled === false ? 'disabled' : !isLicensed(source) ? 'unlicensed' : undefined;
		expect([item.id, item.active, item.inactiveReason]).toEqual([
			item.id,
			reason === undefined,
			reason,
		]);
	}
	const again = await run({ operation: 'getChanges' }, 'trigger', staticData);
	expect(again.json('Users', 0)).toEqual([]);
});

test('the Graph contract held for every call', () => {
	expect(sandbox.contractViolations.filter((violation) => violation.vendor === 'graph')).toEqual(
		[],
	);
});
