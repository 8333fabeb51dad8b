/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describeViolations } from '../../sandbox/core/contract';
import { SeedError } from '../../sandbox/core/seed';
import { emptySeed, readSeed, startSandbox, writeSeed } from '../../sandbox';
import type { Sandbox, Seed } from '../../sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { graphUser } from './seed';

type AnyRow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PARTNER = 'a0a0a0a0-1111-4111-8111-000000000001';
const CONTOSO = SANDBOX_IDENTITIES.graph.tenantId;
const FABRIKAM = 'f0f0f0f0-2222-4222-8222-000000000002';
const LAPSED = 'c0c0c0c0-3333-4333-8333-000000000003';

const relationship = (id: string, status: string, created: string): AnyRow => ({
	id,
	displayName: `Northwind ${id}`,
	status,
	duration: 'P730D',
	createdDateTime: created,
	activatedDateTime: created,
	lastModifiedDateTime: created,
	endDateTime: '2027-12-31T00:00:00Z',
	accessDetails: { unifiedRoles: [{ roleDefinitionId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' }] },
});

/** A partner (the MSP) with three customer tenants: one with two relationships, one only expired. */
function multiTenantSeed(): Seed {
	const seed = emptySeed();
	seed.graph.users = [graphUser({ upn: 'ignored@contoso.com', given: 'Not', surname: 'Served' })];
	seed.graph.tenants = [
		{
			id: PARTNER,
			displayName: 'Northwind IT Services',
			verifiedDomains: [
				{ name: 'northwindit.onmicrosoft.com', isDefault: false, isInitial: true },
				{ name: 'northwindit.example', isDefault: true },
			],
			_sandbox: { partner: true },
		},
		{
			id: CONTOSO,
			displayName: 'Contoso Ltd',
			verifiedDomains: [
				{ name: 'contoso.onmicrosoft.com', isDefault: false, isInitial: true },
				{ name: 'contoso.com', isDefault: true },
				{ name: 'contosoretail.com', isDefault: false },
			],
			_sandbox: {
				relationships: [
					relationship('rel-contoso-old', 'expired', '2024-01-01T00:00:00Z'),
					relationship('rel-contoso', 'active', '2026-01-01T00:00:00Z'),
				],
			},
		},
		{
			id: FABRIKAM,
			displayName: 'Fabrikam, Inc.',
			verifiedDomains: [
				{ name: 'fabrikam.onmicrosoft.com', isInitial: true },
				{ name: 'fabrikam.com', isDefault: true },
			],
		},
		{
			id: LAPSED,
			displayName: 'Lapsed Ltd',
			verifiedDomains: [{ name: 'lapsed.onmicrosoft.com', isDefault: true, isInitial: true }],
			_sandbox: { relationships: [relationship('rel-lapsed', 'expired', '2024-06-01T00:00:00Z')] },
		},
	];
	seed.graph.tenantUsers = {
		[PARTNER]: [graphUser({ upn: 'dana@northwindit.example', given: 'Dana', surname: 'Whitley' })],
		[CONTOSO]: [
			graphUser({ upn: 'adele@contoso.com', given: 'Adele', surname: 'Vance' }),
			graphUser({ upn: 'alex@contosoretail.com', given: 'Alex', surname: 'Wilber' }),
		],
		[FABRIKAM]: [graphUser({ upn: 'pat@fabrikam.com', given: 'Pat', surname: 'Kim' })],
	};
	return seed;
}

let sandbox: Sandbox;

beforeEach(async () => {
	sandbox = await startSandbox({ seed: multiTenantSeed() });
});

afterEach(async () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
	await sandbox.stop();
});

async function tokenFor(tenant: string): Promise<{ status: number; body: AnyRow }> {
	const identity = SANDBOX_IDENTITIES.graph;
	const response = await fetch(
		`${sandbox.urls.graph}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
		{
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: identity.clientId,
				client_secret: identity.clientSecret,
				scope: 'https://graph.microsoft.com/.default',
			}).toString(),
		},
	);
	return { status: response.status, body: (await response.json()) as AnyRow };
}

async function graph(tenant: string, route: string): Promise<{ status: number; body: AnyRow }> {
	const minted = await tokenFor(tenant);
	expect(minted.status).toBe(200);
	const url = /^https?:/.test(route) ? route : `${sandbox.urls.graph}/v1.0${route}`;
	const response = await fetch(url, {
		headers: { Authorization: `Bearer ${minted.body.access_token}` },
	});
	return { status: response.status, body: (await response.json()) as AnyRow };
}

const upns = (body: AnyRow) =>
	(body.value as AnyRow[]).map((user) => user.userPrincipalName).sort();

describe('several tenants from graph/tenants.json', () => {
	test("each token reads its own tenant's users; users.json is ignored; the credential's tenant is the default", async () => {
		expect(upns((await graph(CONTOSO, '/users')).body)).toEqual([
			'adele@contoso.com',
			'alex@contosoretail.com',
		]);
		expect(upns((await graph('fabrikam.com', '/users')).body)).toEqual(['pat@fabrikam.com']);
		expect(upns((await graph(LAPSED, '/users')).body)).toEqual([]);
		expect(
			sandbox.graph
				.users()
				.map((user) => user.userPrincipalName)
				.sort(),
		).toEqual(['adele@contoso.com', 'alex@contosoretail.com']);
	});

	test('a tenant the sandbox does not know is an authentication error (AADSTS90002), not an empty tenant', async () => {
		const unknown = await tokenFor('d0d0d0d0-9999-4999-8999-000000000009');
		expect(unknown.status).toBe(400);
		expect(unknown.body.error_description).toMatch(/^AADSTS90002: Tenant '.*' not found/);
		expect((await tokenFor('nowhere.example')).status).toBe(400);
	});

	test("GET /organization answers the token's tenant: display name and verified domains", async () => {
		const contoso = await graph('contoso.com', '/organization');
		expect(contoso.body.value).toEqual([
			expect.objectContaining({
				id: CONTOSO,
				displayName: 'Contoso Ltd',
				tenantType: 'AAD',
				verifiedDomains: [
					expect.objectContaining({
						name: 'contoso.onmicrosoft.com',
						isDefault: false,
						isInitial: true,
					}),
					expect.objectContaining({ name: 'contoso.com', isDefault: true, isInitial: false }),
					expect.objectContaining({
						name: 'contosoretail.com',
						isDefault: false,
						isInitial: false,
					}),
				],
			}),
		]);
		const selected = await graph(FABRIKAM, '/organization?$select=displayName,verifiedDomains');
		expect(Object.keys(selected.body.value[0]).sort()).toEqual([
			'displayName',
			'id',
			'verifiedDomains',
		]);
		expect((await graph(FABRIKAM, `/organization/${FABRIKAM}`)).body.displayName).toBe(
			'Fabrikam, Inc.',
		);
		expect((await graph(FABRIKAM, `/organization/${CONTOSO}`)).status).toBe(404);

		// Reading the organization needs Organization.Read.All (or Directory.Read.All).
		sandbox.graph.tenant(FABRIKAM).permissions = ['User.Read.All'];
		const denied = await graph(FABRIKAM, '/organization');
		expect(denied.status).toBe(403);
		expect(denied.body.error.code).toBe('Authorization_RequestDenied');
	});

	test('the partner lists its GDAP customers (active relationship, one entry each) and relationships (status filter, paging)', async () => {
		const customers = await graph(PARTNER, '/tenantRelationships/delegatedAdminCustomers');
		expect(customers.body.value).toEqual([
			{ id: CONTOSO, displayName: 'Contoso Ltd', tenantId: CONTOSO },
			{ id: FABRIKAM, displayName: 'Fabrikam, Inc.', tenantId: FABRIKAM },
		]);
		const all = await graph(PARTNER, '/tenantRelationships/delegatedAdminRelationships');
		expect(all.body.value.map((r: AnyRow) => [r.id, r.status, r.customer.tenantId])).toEqual([
			['rel-contoso-old', 'expired', CONTOSO],
			['rel-lapsed', 'expired', LAPSED],
			['rel-contoso', 'active', CONTOSO],
			[expect.any(String), 'active', FABRIKAM],
		]);
		const active = await graph(
			PARTNER,
			`/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent("status eq 'active'")}&$top=1`,
		);
		expect(active.body.value.map((r: AnyRow) => r.id)).toEqual(['rel-contoso']);
		const next = await graph(PARTNER, active.body['@odata.nextLink']);
		expect(next.body.value.map((r: AnyRow) => r.customer.tenantId)).toEqual([FABRIKAM]);
		expect(next.body['@odata.nextLink']).toBeUndefined();
		const forOne = await graph(
			PARTNER,
			`/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent(`customer/tenantId eq '${LAPSED}'`)}`,
		);
		expect(forOne.body.value.map((r: AnyRow) => r.id)).toEqual(['rel-lapsed']);
		expect(
			(await graph(PARTNER, '/tenantRelationships/delegatedAdminRelationships/rel-contoso')).body,
		).toMatchObject({
			status: 'active',
			customer: { tenantId: CONTOSO, displayName: 'Contoso Ltd' },
		});
		expect(
			(await graph(PARTNER, `/tenantRelationships/delegatedAdminCustomers/${LAPSED}`)).status,
		).toBe(404);
	});

	test("a customer's token lists no GDAP customers; without DelegatedAdminRelationship.Read.All the partner gets 403", async () => {
		sandbox.graph.tenant(CONTOSO).permissions.push('DelegatedAdminRelationship.Read.All');
		expect(
			(await graph(CONTOSO, '/tenantRelationships/delegatedAdminCustomers')).body.value,
		).toEqual([]);
		expect((await graph(FABRIKAM, '/tenantRelationships/delegatedAdminRelationships')).status).toBe(
			403,
		);
		sandbox.graph.tenant(PARTNER).permissions = ['User.Read.All'];
		expect((await graph(PARTNER, '/tenantRelationships/delegatedAdminCustomers')).status).toBe(403);
	});
});

describe('the seed layout', () => {
	test('tenants.json and graph/tenants/<id>/users.json are dumped as read; a one-tenant seed keeps users.json', async () => {
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-tenants-'));
		try {
			sandbox.graph.addUser(
				graphUser({ upn: 'new@fabrikam.com', given: 'New', surname: 'Hire' }),
				FABRIKAM,
			);
			sandbox.dumpTo(directory);
			expect(fs.existsSync(path.join(directory, 'graph', 'tenants', FABRIKAM, 'users.json'))).toBe(
				true,
			);
			const again = readSeed(directory);
			expect(again.graph.users).toEqual([]);
			expect(again.graph.tenants.map((t) => (t as AnyRow).id)).toEqual([
				PARTNER,
				CONTOSO,
				FABRIKAM,
				LAPSED,
			]);
			expect((again.graph.tenants[0] as AnyRow)._sandbox).toEqual({ partner: true });
			expect(
				(again.graph.tenantUsers![FABRIKAM] as AnyRow[]).map((u) => u.userPrincipalName),
			).toEqual(['pat@fabrikam.com', 'new@fabrikam.com']);
			const twin = await startSandbox({ seed: again });
			try {
				expect(twin.dump().graph).toEqual(sandbox.dump().graph);
			} finally {
				await twin.stop();
			}

			const single = emptySeed();
			single.graph.users = [graphUser({ upn: 'solo@contoso.com', given: 'Solo', surname: 'User' })];
			const one = await startSandbox({ seed: single });
			try {
				expect(one.dump().graph.users).toHaveLength(1);
				expect(one.dump().graph.tenants).toEqual([]);
				expect(one.dump().graph.tenantUsers).toBeUndefined();
			} finally {
				await one.stop();
			}
		} finally {
			fs.rmSync(directory, { recursive: true, force: true });
		}
	});

	test('a tenant without an id is a seed error naming graph/tenants.json', () => {
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-tenants-bad-'));
		try {
			const seed = emptySeed();
			seed.graph.tenants = [{ displayName: 'No id', verifiedDomains: [{ name: 'x.example' }] }];
			writeSeed(directory, seed);
			expect(() => readSeed(directory)).toThrow(SeedError);
			expect(() => readSeed(directory)).toThrow(
				`${path.join(directory, 'graph', 'tenants.json')} has record 1 without a usable "id"`,
			);
		} finally {
			fs.rmSync(directory, { recursive: true, force: true });
		}
	});
});
