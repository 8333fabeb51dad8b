/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- development tooling, never shipped in dist; seed JSON is read loosely */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseCustomerMap } from '../../lib/customers/map';
import { validateSchema } from '../../sandbox/core/contract';
import { SEED_FILES } from '../../sandbox/core/seed';
import type { SandboxVendor } from '../../sandbox/core/types';
import { DEFAULT_SEED_DIR, readSeed, startSandbox } from '../../sandbox/index';
import { AUTOTASK_PICKLISTS } from '../../sandbox/seed/autotask';
import {
	CONTOSO_DOMAINS,
	CUSTOMERS,
	PARTNER_TENANT,
	TENANTS,
	customerByKey,
} from '../../sandbox/seed/customers';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { generateDefaultSeed } from '../../sandbox/seed/defaultSeed';
import { generateLargeSeed } from '../../sandbox/seed/largeSeed';
import { COHO_WINERY_STAFF } from '../../sandbox/seed/staff';

type Row = Record<string, any>;

const generated = generateDefaultSeed();
const seed = generated.seed as unknown as Record<string, Record<string, Row[]>>;
const tenantUsers = generated.seed.graph.tenantUsers as Record<string, Row[]>;
/** The credential's tenant (Contoso): the users the demo and the one-customer tests read. */
const contosoUsers = tenantUsers[SANDBOX_IDENTITIES.graph.tenantId];

/** Which document schema each seed file's records are served as. */
const RECORD_SCHEMAS: Array<[SandboxVendor, string, string]> = [
	['autotask', 'companies', 'CompanyModel'],
	['autotask', 'contacts', 'ContactModel'],
	['autotask', 'resources', 'ResourceModel'],
	['autotask', 'tickets', 'TicketModel'],
	['autotask', 'ticketNotes', 'TicketNoteModel'],
	['autotask', 'configurationItems', 'ConfigurationItemModel'],
	['connectwise', 'companies', 'Company'],
	['connectwise', 'contacts', 'Contact'],
	['connectwise', 'communicationTypes', 'CommunicationType'],
	['connectwise', 'tickets', 'Ticket'],
	['connectwise', 'ticketNotes', 'ServiceNote'],
	['connectwise', 'boards', 'Board'],
	['connectwise', 'boardStatuses', 'BoardStatus'],
	['connectwise', 'boardTypes', 'BoardType'],
	['connectwise', 'boardSubTypes', 'BoardSubType'],
	['connectwise', 'boardItems', 'BoardItem'],
	['connectwise', 'priorities', 'Priority'],
	['connectwise', 'sources', 'Source'],
	['connectwise', 'configurations', 'Company.Configuration'],
	['connectwise', 'configurationTypes', 'ConfigurationType'],
	['connectwise', 'timeEntries', 'TimeEntry'],
	['datto', 'sites', 'Site'],
	['datto', 'devices', 'Device'],
	['datto', 'alerts', 'Alert'],
];

function listFiles(directory: string, prefix = ''): string[] {
	return fs
		.readdirSync(directory, { withFileTypes: true })
		.flatMap((entry) =>
			entry.isDirectory()
				? listFiles(path.join(directory, entry.name), `${prefix}${entry.name}/`)
				: [`${prefix}${entry.name}`],
		);
}

const domainOf = (email: string | null | undefined) =>
	email ? email.toLowerCase().split('@')[1] : undefined;

describe('the shipped default seed', () => {
	test('is exactly what the generator writes (run `npx tsx sandbox/seed/generate.ts` after changing it)', () => {
		const expectedFiles = [
			...Object.entries(SEED_FILES).flatMap(([vendor, files]) =>
				files.map((file) => `${vendor}/${file}.json`),
			),
			...Object.keys(tenantUsers).map((id) => `graph/tenants/${id}/users.json`),
			'scenario.json',
		].sort();
		expect(listFiles(DEFAULT_SEED_DIR).sort()).toEqual(expectedFiles);
		for (const [vendor, files] of Object.entries(SEED_FILES)) {
			for (const file of files) {
				const text = fs.readFileSync(path.join(DEFAULT_SEED_DIR, vendor, `${file}.json`), 'utf8');
				expect({
					file: `${vendor}/${file}`,
					same: text === `${JSON.stringify(seed[vendor][file], null, 2)}\n`,
				}).toEqual({ file: `${vendor}/${file}`, same: true });
			}
		}
		for (const [id, users] of Object.entries(tenantUsers)) {
			const text = fs.readFileSync(
				path.join(DEFAULT_SEED_DIR, 'graph', 'tenants', id, 'users.json'),
				'utf8',
			);
			expect({ tenant: id, same: text === `${JSON.stringify(users, null, 2)}\n` }).toEqual({
				tenant: id,
				same: true,
			});
		}
		expect(
			JSON.parse(fs.readFileSync(path.join(DEFAULT_SEED_DIR, 'scenario.json'), 'utf8')),
		).toEqual(generated.scenario);
		expect(readSeed(DEFAULT_SEED_DIR)).toEqual(generated.seed);
	});

	test('the generator is deterministic, and its random seed matters', () => {
		expect(generateDefaultSeed()).toEqual(generated);
		expect(
			generateDefaultSeed(7).seed.graph.tenantUsers![SANDBOX_IDENTITIES.graph.tenantId],
		).not.toEqual(contosoUsers);
	});

	test('every record validates against its vendor document (read through the listed deviations)', () => {
		const failures: string[] = [];
		for (const [vendor, file, schema] of RECORD_SCHEMAS) {
			expect(seed[vendor][file].length).toBeGreaterThan(0);
			seed[vendor][file].forEach((record, index) => {
				for (const error of validateSchema(vendor, schema, record))
					failures.push(`${vendor}/${file}[${index}]: ${error}`);
			});
		}
		for (const [id, users] of Object.entries(tenantUsers)) {
			expect(users.length).toBeGreaterThan(0);
			users.forEach((record, index) => {
				for (const error of validateSchema('graph', 'microsoft.graph.user', record))
					failures.push(`graph/tenants/${id}/users[${index}]: ${error}`);
			});
		}
		for (const tenant of seed.graph.tenants) {
			for (const relationship of tenant._sandbox?.relationships ?? []) {
				const served = {
					...relationship,
					customer: { tenantId: tenant.id, displayName: tenant.displayName },
				};
				for (const error of validateSchema(
					'graph',
					'microsoft.graph.delegatedAdminRelationship',
					served,
				))
					failures.push(`graph/tenants.json ${tenant.id} relationship: ${error}`);
			}
			for (const error of validateSchema('graph', 'microsoft.graph.organization', {
				id: tenant.id,
				displayName: tenant.displayName,
				verifiedDomains: tenant.verifiedDomains,
			}))
				failures.push(`graph/tenants.json ${tenant.id}: ${error}`);
		}
		for (const list of seed.autotask.picklists) {
			list.values.forEach((value: Row, index: number) => {
				for (const error of validateSchema('autotask', 'PickListValue', value))
					failures.push(`autotask/picklists ${list.entity}.${list.field}[${index}]: ${error}`);
			});
		}
		expect(failures).toEqual([]);
	});

	test('ids are unique per file', () => {
		for (const [vendor, file] of RECORD_SCHEMAS) {
			const key = vendor === 'datto' && file === 'alerts' ? 'alertUid' : 'id';
			const ids = seed[vendor][file].map((row) => row[key]);
			expect({ file: `${vendor}/${file}`, duplicates: ids.length - new Set(ids).size }).toEqual({
				file: `${vendor}/${file}`,
				duplicates: 0,
			});
		}
	});

	test('the Microsoft 365 tenant has the messy cases real tenants have', () => {
		const users = contosoUsers;
		expect(users.length).toBeGreaterThanOrEqual(250);
		const count = (predicate: (user: Row) => boolean) => users.filter(predicate).length;
		const members = (user: Row) => user.userType === 'Member' && user.givenName;
		expect(count((u) => members(u) && u.accountEnabled === false)).toBeGreaterThanOrEqual(5);
		expect(
			count((u) => members(u) && u.accountEnabled && u.assignedLicenses.length === 0),
		).toBeGreaterThanOrEqual(5);
		expect(
			count(
				(u) =>
					u.userType === 'Guest' &&
					/#EXT#@/.test(u.userPrincipalName) &&
					u.assignedLicenses.length === 0,
			),
		).toBeGreaterThanOrEqual(5);
		// Shared and room mailboxes: blocked sign-in, no licence, no person's name.
		expect(
			count(
				(u) =>
					u.userType === 'Member' &&
					u.accountEnabled === false &&
					u.assignedLicenses.length === 0 &&
					u.givenName === null &&
					u.mail,
			),
		).toBeGreaterThanOrEqual(4);
		expect(count((u) => u.mail === null)).toBeGreaterThanOrEqual(3);
		expect(count((u) => u.mail && u.mail !== u.mail.toLowerCase())).toBeGreaterThanOrEqual(5);
		expect(count((u) => members(u) && u.jobTitle === null)).toBeGreaterThanOrEqual(5);
		expect(
			count((u) => members(u) && u.businessPhones.length === 0 && u.mobilePhone === null),
		).toBeGreaterThanOrEqual(5);
		expect(count((u) => /[\u0080-\uffff]/.test(u.displayName))).toBeGreaterThanOrEqual(5);
		expect(count((u) => /'/.test(u.mail ?? ''))).toBeGreaterThanOrEqual(2);
		expect(count((u) => u.jobTitle && u.jobTitle.length > 50)).toBeGreaterThanOrEqual(1);
		// Both tenant domains carry real users.
		for (const domain of CONTOSO_DOMAINS)
			expect(count((u) => members(u) && domainOf(u.mail) === domain)).toBeGreaterThanOrEqual(10);
	});

	test('the PSAs hold Contoso contacts that overlap the tenant, with drift, extras and leavers', () => {
		const scenario = generated.scenario.contactSync;
		const tenant = new Map(
			contosoUsers.filter((u) => u.mail).map((u) => [u.mail.toLowerCase(), u]),
		);
		const activeLicensed = contosoUsers.filter(
			(u) =>
				u.userType === 'Member' &&
				u.accountEnabled &&
				u.assignedLicenses.length > 0 &&
				scenario.domains.includes(domainOf(u.mail) ?? ''),
		);

		const autotask = seed.autotask.contacts.filter(
			(c) => c.companyID === scenario.autotaskCompanyId,
		);
		const atEmails = (c: Row) =>
			[c.emailAddress, c.emailAddress2, c.emailAddress3]
				.filter(Boolean)
				.map((e: string) => e.toLowerCase());
		const atMatched = autotask.filter((c) => atEmails(c).some((e) => tenant.has(e)));
		expect(atMatched.length / activeLicensed.length).toBeGreaterThan(0.75);
		expect(
			activeLicensed.filter(
				(u) => !autotask.some((c) => atEmails(c).includes(u.mail.toLowerCase())),
			).length,
		).toBeGreaterThanOrEqual(10);
		expect(
			atMatched.filter(
				(c) => c.title !== tenant.get(atEmails(c).find((e) => tenant.has(e))!)!.jobTitle,
			).length,
		).toBeGreaterThanOrEqual(10);
		expect(
			autotask.filter(
				(c) =>
					c.emailAddress2 &&
					c.emailAddress2 === c.emailAddress2.toUpperCase() &&
					tenant.has(c.emailAddress2.toLowerCase()),
			).length,
		).toBeGreaterThanOrEqual(3);
		const phoneDrift = atMatched.filter((c) => {
			const user = tenant.get(atEmails(c).find((e) => tenant.has(e))!)!;
			return (
				c.phone &&
				user.businessPhones[0] &&
				c.phone !== user.businessPhones[0] &&
				c.phone.replace(/\D/g, '') === user.businessPhones[0].replace(/\D/g, '')
			);
		});
		expect(phoneDrift.length).toBeGreaterThanOrEqual(10);
		expect(
			autotask.filter(
				(c) => c.isActive === 1 && atEmails(c).some((e) => tenant.get(e)?.accountEnabled === false),
			).length,
		).toBeGreaterThanOrEqual(3);
		expect(
			autotask.filter(
				(c) =>
					atEmails(c).length &&
					atEmails(c).every((e) => !tenant.has(e)) &&
					CONTOSO_DOMAINS.includes(domainOf(atEmails(c)[0])!),
			).length,
		).toBeGreaterThanOrEqual(3);
		expect(
			autotask.filter(
				(c) =>
					atEmails(c).length &&
					!CONTOSO_DOMAINS.includes(domainOf(atEmails(c)[0])!) &&
					!atEmails(c)[0].endsWith('.local'),
			).length,
		).toBeGreaterThanOrEqual(2);
		expect(autotask.every((c) => c.isActive === 0 || c.isActive === 1)).toBe(true);

		const connectwise = seed.connectwise.contacts.filter(
			(c) => c.company.id === scenario.connectwiseCompanyId,
		);
		const cwEmails = (c: Row) =>
			c.communicationItems
				.filter((i: Row) => i.communicationType === 'Email')
				.map((i: Row) => String(i.value).toLowerCase());
		const cwMatched = connectwise.filter((c) => cwEmails(c).some((e: string) => tenant.has(e)));
		expect(cwMatched.length / activeLicensed.length).toBeGreaterThan(0.75);
		expect(
			connectwise.filter(
				(c) =>
					c.inactiveFlag === false &&
					cwEmails(c).some((e: string) => tenant.get(e)?.accountEnabled === false),
			).length,
		).toBeGreaterThanOrEqual(3);
		// Other customers exist in both PSAs with their own domains.
		expect(new Set(seed.autotask.contacts.map((c) => c.companyID)).size).toBeGreaterThanOrEqual(4);
		expect(new Set(seed.connectwise.contacts.map((c) => c.company.id)).size).toBeGreaterThanOrEqual(
			4,
		);
	});

	test('the scenario points at companies that exist in both PSAs', () => {
		const { autotaskCompanyId, connectwiseCompanyId, domains, updateExisting, mode } =
			generated.scenario.contactSync;
		expect(seed.autotask.companies.find((c) => c.id === autotaskCompanyId)).toMatchObject({
			companyName: 'Contoso Ltd',
			isActive: true,
		});
		expect(seed.connectwise.companies.find((c) => c.id === connectwiseCompanyId)).toMatchObject({
			name: 'Contoso Ltd',
		});
		expect(domains).toEqual(CONTOSO_DOMAINS);
		expect({ updateExisting, mode }).toEqual({ updateExisting: true, mode: 'changes' });
	});

	test('ConnectWise communication types are tenant-named (Direct, Cell, Business Email), and items use them', () => {
		const names = seed.connectwise.communicationTypes.map((t) => t.description);
		expect(names).toEqual(expect.arrayContaining(['Email', 'Direct', 'Cell', 'Business Email']));
		expect(names).not.toContain('Mobile');
		const byId = new Map(seed.connectwise.communicationTypes.map((t) => [t.id, t]));
		const items = seed.connectwise.contacts.flatMap((c) => c.communicationItems);
		for (const item of items) {
			const type = byId.get(item.type.id);
			expect(type?.description).toBe(item.type.name);
			expect(
				item.communicationType === 'Email'
					? type?.emailFlag
					: item.communicationType === 'Phone'
						? type?.phoneFlag
						: type?.faxFlag,
			).toBe(true);
		}
		expect(items.some((i) => i.type.name === 'Business Email')).toBe(true);
		expect(items.some((i) => i.type.name === 'Cell')).toBe(true);
	});

	test('ConnectWise service desk: the first board has an open default and a closed status, types, subtypes and items that fit, configurations for Datto devices', () => {
		const cw = seed.connectwise;
		const board = cw.boards[0];
		const ofBoard = (rows: Row[]) => rows.filter((row) => row.board.id === board.id);
		const statuses = ofBoard(cw.boardStatuses);
		expect(statuses.filter((s) => s.closedStatus && !s.inactive)).toHaveLength(1);
		expect(statuses.find((s) => s.defaultFlag)).toMatchObject({
			closedStatus: false,
			inactive: false,
		});
		expect(statuses.some((s) => s.inactive)).toBe(true);
		const types = ofBoard(cw.boardTypes);
		for (const subType of ofBoard(cw.boardSubTypes))
			for (const typeId of subType.typeAssociationIds)
				expect(types.map((type) => type.id)).toContain(typeId);
		expect(ofBoard(cw.boardItems).length).toBeGreaterThan(3);
		expect(cw.priorities.filter((p) => p.defaultFlag)).toHaveLength(1);
		expect(cw.sources.map((source) => source.name)).toContain('Monitoring');

		const devices = new Map(seed.datto.devices.map((d) => [d.uid, d]));
		const sites = new Map(seed.datto.sites.map((site) => [site.uid, site]));
		const companies = new Map(cw.companies.map((c) => [c.id, c]));
		const synced = cw.configurations.filter((c) => c.deviceIdentifier);
		expect(synced.length).toBeGreaterThan(10);
		expect(devices.size - synced.length).toBeGreaterThanOrEqual(1);
		for (const configuration of synced) {
			const device = devices.get(configuration.deviceIdentifier)!;
			expect(configuration.name).toBe(device.hostname);
			expect(companies.has(configuration.company.id)).toBe(true);
			expect(sites.has(device.siteUid)).toBe(true);
		}
		// One was typed in by hand: a serial, no device identifier.
		expect(cw.configurations.filter((c) => !c.deviceIdentifier && c.serialNumber)).toHaveLength(1);
		const open = cw.tickets.filter((t) => !t.closedFlag);
		expect(open.length).toBeGreaterThan(0);
		expect(cw.tickets.some((t) => t.closedFlag && t.closedDate)).toBe(true);
		for (const link of cw.ticketConfigurations) {
			expect(cw.tickets.some((t) => t.id === link.ticketId)).toBe(true);
			expect(cw.configurations.some((c) => c.id === link.configurationId)).toBe(true);
		}
	});

	test("several customers: a tenant each (Contoso's is the credential's), the MSP's own as GDAP partner, and mistakes worth catching", () => {
		const tenants = seed.graph.tenants;
		expect(tenants[0].id).toBe(SANDBOX_IDENTITIES.graph.tenantId);
		expect(tenants.filter((t) => t._sandbox?.partner)).toEqual([
			expect.objectContaining({ id: PARTNER_TENANT.id }),
		]);
		expect(tenants.filter((t) => !t._sandbox?.partner)).toHaveLength(TENANTS.length);
		const defaultDomain = (t: Row) => t.verifiedDomains.find((d: Row) => d.isDefault).name;
		const website = (c: Row) => String(c.webAddress ?? '').replace(/^https?:\/\/(www\.)?/, '');
		const companies = seed.autotask.companies.filter((c) => c.id !== 0);
		const onDomain = (domain: string) => companies.filter((c) => website(c) === domain);
		// Fabrikam's domain is claimed by two companies; Wingtip's by none; Alpine has no tenant.
		expect(
			onDomain('fabrikam.com')
				.map((c) => c.companyName)
				.sort(),
		).toEqual(['Fabrikam Residences', 'Fabrikam, Inc.']);
		const wingtip = tenants.find((t) => t.displayName === 'Wingtip Toys')!;
		expect(onDomain(defaultDomain(wingtip))).toEqual([]);
		const tenantDomains = new Set(
			tenants.flatMap((t) => t.verifiedDomains.map((d: Row) => d.name)),
		);
		const alpine = companies.find((c) => c.companyName === 'Alpine Ski House')!;
		expect(alpine.isActive).toBe(true);
		expect(tenantDomains.has(website(alpine))).toBe(false);
		expect(seed.connectwise.companies.map((c) => c.name)).toEqual(
			expect.arrayContaining(['Fabrikam Residences', 'Alpine Ski House']),
		);
		// A Datto site whose customer has no company in either PSA, and no CI or configuration.
		const wingtipSite = seed.datto.sites.find((s) => s.name.startsWith('Wingtip'))!;
		const wingtipDevices = seed.datto.devices.filter((d) => d.siteUid === wingtipSite.uid);
		expect(wingtipDevices.length).toBeGreaterThan(0);
		for (const device of wingtipDevices) {
			expect(seed.autotask.configurationItems.some((ci) => ci.rmmDeviceUID === device.uid)).toBe(
				false,
			);
			expect(seed.connectwise.configurations.some((c) => c.deviceIdentifier === device.uid)).toBe(
				false,
			);
		}
		// GDAP: Contoso renewed (one expired, one active), Tailspin lapsed.
		const statuses = (name: string) =>
			tenants.find((t) => t.displayName === name)!._sandbox.relationships.map((r: Row) => r.status);
		expect(statuses('Contoso Ltd')).toEqual(['expired', 'active']);
		expect(statuses('Tailspin Toys')).toEqual(['expired']);
		// Customer tenants hold (most of) their company's people.
		const fabrikam = TENANTS.find((t) => t.key === 'fabrikam')!;
		const fabrikamMail = new Set(tenantUsers[fabrikam.id].map((u) => u.mail));
		const fabrikamContacts = seed.autotask.contacts.filter(
			(c) => c.companyID === CUSTOMERS[1].autotaskId && c.emailAddress,
		);
		expect(fabrikamContacts.filter((c) => fabrikamMail.has(c.emailAddress)).length).toBeGreaterThan(
			fabrikamContacts.length / 2,
		);
	});

	test("scenario.json's customers point at what the seed holds", () => {
		const customers = generated.scenario.customers!;
		// A row per customer with a tenant, and the company without one; no customer twice.
		const names = customers.map((c) => c.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names).toEqual(
			expect.arrayContaining([...TENANTS.map((t) => t.displayName), customerByKey('alpine').name]),
		);
		const siteUids = new Set(seed.datto.sites.map((s) => s.uid));
		for (const customer of customers) {
			if (customer.autotaskCompanyId !== undefined)
				expect(seed.autotask.companies.some((c) => c.id === customer.autotaskCompanyId)).toBe(true);
			if (customer.connectwiseCompanyId !== undefined)
				expect(seed.connectwise.companies.some((c) => c.id === customer.connectwiseCompanyId)).toBe(
					true,
				);
			for (const uid of customer.dattoSiteUids ?? []) expect(siteUids.has(uid)).toBe(true);
			if (customer.tenant)
				expect(
					seed.graph.tenants.some(
						(t) =>
							t.id === customer.tenant ||
							t.verifiedDomains.some((d: Row) => d.name === customer.tenant),
					),
				).toBe(true);
		}
		expect(customers.find((c) => c.name === 'Alpine Ski House')!.tenant).toBeUndefined();
		// The package's customer map reads every row, none claimed twice.
		const map = parseCustomerMap(customers);
		expect(map.errors).toEqual([]);
		expect(map.customers).toHaveLength(customers.length);
		expect(customers.find((c) => c.name === 'Wingtip Toys')).toMatchObject({
			contactSync: false,
			dattoSiteUids: [expect.any(String)],
		});
		expect(customers.find((c) => c.name === 'Wingtip Toys')!.autotaskCompanyId).toBeUndefined();
		// The one-customer form is today's, unchanged.
		expect(generated.scenario.contactSync).toEqual({
			autotaskCompanyId: 29684101,
			connectwiseCompanyId: 250,
			domains: CONTOSO_DOMAINS,
			updateExisting: true,
			mode: 'changes',
		});
	});

	test('every customer the map syncs looks like a real one: its domains verified in its tenant, an active company on one of them in each PSA it names, contacts there that are its users', () => {
		const map = parseCustomerMap(generated.scenario.customers!);
		const synced = map.customers.filter(
			(c) =>
				c.contactSync &&
				c.tenant &&
				(c.autotaskCompanyId !== undefined || c.connectwiseCompanyId !== undefined),
		);
		expect(synced.length).toBeGreaterThan(1);
		const website = (value: unknown) => String(value ?? '').replace(/^(https?:\/\/)?(www\.)?/, '');
		const real = (active: unknown) => ({ active, onItsDomain: true, contactsAreUsers: true });
		for (const customer of synced) {
			const tenant = seed.graph.tenants.find(
				(t) =>
					t.id === customer.tenant ||
					t.verifiedDomains.some((d: Row) => d.name === customer.tenant),
			)!;
			const verified = tenant.verifiedDomains.map((d: Row) => d.name);
			const users = new Set(
				tenantUsers[tenant.id]
					.filter((u) => u.userType === 'Member' && u.mail)
					.map((u) => u.mail.toLowerCase()),
			);
			const inDomains = (email: unknown) =>
				customer.domains.includes(domainOf(String(email ?? '')) ?? '');
			const autotask = seed.autotask.companies.find((c) => c.id === customer.autotaskCompanyId);
			const autotaskMail = seed.autotask.contacts
				.filter((c) => c.companyID === customer.autotaskCompanyId && inDomains(c.emailAddress))
				.map((c) => c.emailAddress.toLowerCase());
			const connectwise = seed.connectwise.companies.find(
				(c) => c.id === customer.connectwiseCompanyId,
			);
			const connectwiseMail = seed.connectwise.contacts
				.filter((c) => c.company.id === customer.connectwiseCompanyId)
				.flatMap((c) => c.communicationItems)
				.filter((item: Row) => item.communicationType === 'Email' && inDomains(item.value))
				.map((item: Row) => String(item.value).toLowerCase());
			const known = (mails: string[]) => mails.filter((mail) => users.has(mail)).length;
			expect({
				customer: customer.name,
				unverified: customer.domains.filter((domain) => !verified.includes(domain)),
				autotask: autotask && {
					active: autotask.isActive,
					onItsDomain: customer.domains.includes(website(autotask.webAddress)),
					contactsAreUsers: known(autotaskMail) > autotaskMail.length / 2,
				},
				connectwise: connectwise && {
					active: connectwise.status.name,
					onItsDomain: customer.domains.includes(website(connectwise.website)),
					contactsAreUsers: known(connectwiseMail) > connectwiseMail.length / 2,
				},
			}).toEqual({
				customer: customer.name,
				unverified: [],
				autotask: customer.autotaskCompanyId === undefined ? undefined : real(true),
				connectwise: customer.connectwiseCompanyId === undefined ? undefined : real('Active'),
			});
		}
	});

	test('a customer directory built whole (staffOf) has the ordinary variety of a small business', () => {
		const tenant = TENANTS.find((t) => t.key === COHO_WINERY_STAFF.tenant.key)!;
		const users = tenantUsers[tenant.id];
		const count = (predicate: (user: Row) => boolean) => users.filter(predicate).length;
		const members = (user: Row) => user.userType === 'Member' && user.givenName && user.mail;
		// People on each verified domain, the second brand's included.
		for (const domain of tenant.domains)
			expect(count((u) => members(u) && domainOf(u.mail) === domain)).toBeGreaterThan(0);
		expect(count((u) => members(u) && u.accountEnabled === false)).toBeGreaterThan(0);
		expect(
			count((u) => members(u) && u.accountEnabled && u.assignedLicenses.length === 0),
		).toBeGreaterThan(0);
		expect(
			count((u) => members(u) && u.jobTitle === null && !u.businessPhones.length),
		).toBeGreaterThan(0);
		expect(count((u) => u.mail && u.mail !== u.mail.toLowerCase())).toBeGreaterThan(0);
		expect(count((u) => /[\u0080-\uffff]/.test(u.displayName))).toBeGreaterThan(0);
		expect(count((u) => u.mail === null)).toBeGreaterThan(0);
		expect(
			count((u) => u.userType === 'Guest' && /#EXT#@/.test(u.userPrincipalName)),
		).toBeGreaterThan(0);
		expect(
			count((u) => u.userType === 'Member' && !u.givenName && u.mail && !u.accountEnabled),
		).toBeGreaterThan(1);
		// Each PSA has its own drifted view: some people are missing, some left the tenant.
		const customer = COHO_WINERY_STAFF.customer;
		const mails = new Set(users.filter((u) => u.mail).map((u) => u.mail.toLowerCase()));
		const autotask = seed.autotask.contacts.filter((c) => c.companyID === customer.autotaskId);
		const inTenant = autotask.filter((c) => mails.has(String(c.emailAddress).toLowerCase()));
		expect(inTenant.length).toBeGreaterThan(autotask.length / 2);
		expect(autotask.length - inTenant.length).toBeGreaterThan(0);
		expect(
			count((u) => members(u) && !autotask.some((c) => c.emailAddress === u.mail)),
		).toBeGreaterThan(0);
	});

	test('Autotask: technicians with emails, one that refuses impersonation, picklists the nodes need', () => {
		const resources = seed.autotask.resources;
		expect(
			resources.filter((r) => r.isActive && r.licenseType === 1 && /@/.test(r.email)).length,
		).toBeGreaterThanOrEqual(4);
		expect(resources.filter((r) => r._sandbox?.allowImpersonation === false)).toHaveLength(1);
		const lists = new Map(
			seed.autotask.picklists.map((p) => [`${p.entity}.${p.field}`, p.values as Row[]]),
		);
		const labels = (key: string) =>
			Object.fromEntries((lists.get(key) ?? []).map((v) => [v.value, v.label]));
		expect(labels('Tickets.status')).toMatchObject({ 1: 'New', 5: 'Complete', 8: 'In Progress' });
		expect(Object.keys(labels('Tickets.status')).length).toBeGreaterThanOrEqual(5);
		expect(Object.values(labels('Tickets.source'))).toContain('Monitoring Alert');
		expect(labels('Tickets.ticketType')).toEqual({
			1: 'Service Request',
			2: 'Incident',
			3: 'Problem',
			4: 'Change Request',
			5: 'Alert',
		});
		for (const key of [
			'Tickets.queueID',
			'Tickets.issueType',
			'Tickets.priority',
			'Tickets.billingCodeID',
			'TicketNotes.noteType',
			'TicketNotes.publish',
		])
			expect(lists.get(key)?.length).toBeGreaterThan(1);
		const issueTypes = new Set((lists.get('Tickets.issueType') ?? []).map((v) => v.value));
		const subIssues = lists.get('Tickets.subIssueType') ?? [];
		expect(subIssues.length).toBe(AUTOTASK_PICKLISTS.subIssueType.length);
		for (const sub of subIssues) expect(issueTypes.has(sub.parentValue)).toBe(true);
	});

	test("Datto RMM: sites map to Autotask companies (not Tailspin's or Wingtip's), CIs carry device UIDs, alerts of many monitor types", () => {
		const companies = new Set(seed.autotask.companies.map((c) => String(c.id)));
		const sites = seed.datto.sites;
		// Unmapped in the native integration: Tailspin's (its company exists) and Wingtip's
		// (onboarding: no company in either PSA yet).
		expect(
			sites
				.filter((s) => s.autotaskCompanyId === null || s.autotaskCompanyId === undefined)
				.map((s) => s.name),
		).toEqual(['Tailspin Toys (Spokane)', 'Wingtip Toys - Head Office']);
		for (const site of sites.filter((s) => s.autotaskCompanyId))
			expect(companies.has(site.autotaskCompanyId)).toBe(true);

		const devices = new Map(seed.datto.devices.map((d) => [d.uid, d]));
		const siteUids = new Set(sites.map((s) => s.uid));
		for (const device of devices.values()) expect(siteUids.has(device.siteUid)).toBe(true);
		const cis = seed.autotask.configurationItems;
		for (const ci of cis) {
			const device = devices.get(ci.rmmDeviceUID);
			expect(device).toBeDefined();
			const site = sites.find((s) => s.uid === device!.siteUid)!;
			if (site.autotaskCompanyId) expect(String(ci.companyID)).toBe(site.autotaskCompanyId);
		}
		expect(devices.size - cis.length).toBeGreaterThanOrEqual(1);
		// The unmapped site's server still has a CI: the company can be found through it.
		const unmapped = sites.find((s) => !s.autotaskCompanyId)!;
		expect(cis.some((ci) => devices.get(ci.rmmDeviceUID)!.siteUid === unmapped.uid)).toBe(true);

		const alerts = seed.datto.alerts;
		const classes = new Set(alerts.map((a) => a.alertContext['@class']));
		for (const wanted of [
			'online_offline_status_ctx',
			'perf_resource_usage_ctx',
			'perf_disk_usage_ctx',
			'srvc_status_ctx',
			'eventlog_ctx',
			'comp_script_ctx',
			'antivirus_ctx',
			'patch_ctx',
		])
			expect(classes).toContain(wanted);
		expect(
			alerts.filter((a) => a.resolved && Number.isInteger(a.resolvedOn)).length,
		).toBeGreaterThanOrEqual(2);
		for (const alert of alerts) {
			expect(Number.isInteger(alert.timestamp) && alert.timestamp > 1.7e12).toBe(true);
			expect(devices.get(alert.alertSourceInfo.deviceUid)?.hostname).toBe(
				alert.alertSourceInfo.deviceName,
			);
		}
		const native = alerts.filter((a) =>
			a.responseActions.some((r: Row) => r.actionType === 'TICKET_CREATED'),
		);
		expect(native).toHaveLength(1);
		expect(seed.autotask.tickets.find((t) => t.rmmAlertID === native[0].alertUid)).toMatchObject({
			ticketNumber: native[0].ticketNumber,
			ticketType: 5,
			status: 1,
		});
	});

	test('Datto webhooks: raised/resolved pairs, a repeat, a resolve that arrives before its raise', () => {
		const hooks = seed.datto.webhooks;
		const alerts = new Map(seed.datto.alerts.map((a) => [a.alertUid, a]));
		for (const hook of hooks) {
			expect(['raised', 'resolved']).toContain(hook.event);
			const alert = alerts.get(hook.alertUid);
			expect(alert).toBeDefined();
			expect(hook).toMatchObject({
				deviceUid: alert!.alertSourceInfo.deviceUid,
				siteUid: alert!.alertSourceInfo.siteUid,
				hostname: alert!.alertSourceInfo.deviceName,
				priority: alert!.priority,
			});
		}
		const sequence = hooks.map((h) => `${h.event}:${h.alertUid}`);
		const raisedTwice = hooks.filter(
			(h) =>
				h.event === 'raised' && sequence.filter((s) => s === `raised:${h.alertUid}`).length > 1,
		);
		expect(raisedTwice.length).toBeGreaterThan(0);
		const pairs = hooks.filter(
			(h, i) => h.event === 'resolved' && sequence.slice(0, i).includes(`raised:${h.alertUid}`),
		);
		expect(pairs.length).toBeGreaterThanOrEqual(2);
		const early = hooks.filter(
			(h, i) => h.event === 'resolved' && sequence.slice(i + 1).includes(`raised:${h.alertUid}`),
		);
		expect(early).toHaveLength(1);
		// alerts.json is the account when delivery starts: the overtaken alert is already resolved,
		// alerts whose resolution comes later in the sequence are still open.
		expect(alerts.get(early[0].alertUid)).toMatchObject({ resolved: true });
		for (const hook of pairs)
			expect(alerts.get(hook.alertUid)).toMatchObject({ resolved: false, resolvedOn: null });
		// One delivery is for the alert the native integration already ticketed, one for the unmapped site.
		const native = seed.datto.alerts.find((a) => a.ticketNumber);
		expect(hooks.some((h) => h.alertUid === native!.alertUid)).toBe(true);
		const unmapped = seed.datto.sites.find((s) => !s.autotaskCompanyId);
		expect(hooks.some((h) => h.siteUid === unmapped!.uid)).toBe(true);
	});

	test('loads into the sandbox', async () => {
		const sandbox = await startSandbox({ seedDir: DEFAULT_SEED_DIR, contract: false });
		try {
			const dumped = sandbox.dump() as unknown as Record<string, Record<string, unknown[]>>;
			for (const vendor of ['autotask', 'connectwise', 'graph', 'datto'] as const) {
				// Vendor modules still being written keep no state; loaded ones keep every row.
				if (Object.keys(sandbox[vendor] as object).length === 0) continue;
				for (const file of SEED_FILES[vendor]) {
					if (!(file in dumped[vendor])) continue;
					expect({ file: `${vendor}/${file}`, rows: dumped[vendor][file].length }).toEqual({
						file: `${vendor}/${file}`,
						rows: seed[vendor][file].length,
					});
				}
			}
		} finally {
			await sandbox.stop();
		}
	});
});

describe('large synthetic seeds', () => {
	test('N users, M contacts per PSA, k% changed, deterministic and valid', () => {
		const large = generateLargeSeed({ users: 2000, contacts: 2000, changeRate: 0.01 });
		expect(large).toEqual(generateLargeSeed({ users: 2000, contacts: 2000, changeRate: 0.01 }));
		const s = large.seed;
		expect(s.graph.users).toHaveLength(2000);
		expect(s.autotask.contacts).toHaveLength(2000);
		expect(s.connectwise.contacts).toHaveLength(2000);
		expect(large.expected).toMatchObject({ unchanged: 1980, update: 20, create: 0, psaOnly: 0 });
		expect(large.expected.changedEmails).toHaveLength(20);

		const users = new Map((s.graph.users as Row[]).map((u) => [u.mail, u]));
		expect(users.size).toBe(2000);
		const changedAutotask = (s.autotask.contacts as Row[])
			.filter((c) => users.get(c.emailAddress)!.jobTitle !== c.title)
			.map((c) => c.emailAddress);
		expect(changedAutotask.sort()).toEqual([...large.expected.changedEmails].sort());
		const changedConnectwise = (s.connectwise.contacts as Row[])
			.filter((c) => users.get(c.communicationItems[0].value)!.jobTitle !== c.title)
			.map((c) => c.communicationItems[0].value);
		expect(changedConnectwise.sort()).toEqual([...large.expected.changedEmails].sort());
		// Unchanged contacts carry exactly the tenant's values (same phone text, same names).
		const sameAutotask = (s.autotask.contacts as Row[]).filter(
			(c) => !large.expected.changedEmails.includes(c.emailAddress),
		);
		for (const contact of sameAutotask.slice(0, 200)) {
			const user = users.get(contact.emailAddress)!;
			expect([contact.firstName, contact.lastName, contact.phone, contact.mobilePhone]).toEqual([
				user.givenName,
				user.surname,
				user.businessPhones[0],
				user.mobilePhone,
			]);
		}
		const sample = <T>(rows: T[]) => rows.filter((_, i) => i % 97 === 0);
		const failures = [
			...sample(s.graph.users).flatMap((r) => validateSchema('graph', 'microsoft.graph.user', r)),
			...sample(s.autotask.contacts).flatMap((r) => validateSchema('autotask', 'ContactModel', r)),
			...sample(s.connectwise.contacts).flatMap((r) => validateSchema('connectwise', 'Contact', r)),
		];
		expect(failures).toEqual([]);
	});

	test('more contacts than users gives PSA-only contacts; more users than contacts gives creates', () => {
		expect(
			generateLargeSeed({ users: 100, contacts: 120, changeRate: 0.1 }).expected,
		).toMatchObject({ unchanged: 90, update: 10, create: 0, psaOnly: 20 });
		const fewer = generateLargeSeed({ users: 120, contacts: 100, changeRate: 0 });
		expect(fewer.expected).toMatchObject({ unchanged: 100, update: 0, create: 20, psaOnly: 0 });
		expect(fewer.seed.autotask.contacts).toHaveLength(100);
	});
});
