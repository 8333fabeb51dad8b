/**
 * Microsoft 365 tenants of the customers and of the MSP (graph/tenants.json and each tenant's
 * users.json). Contoso's users are the ones graph.ts builds; the other customers' users are
 * their PSA contacts (most of them; a few have left) plus people the PSAs do not know yet and a
 * shared mailbox. The MSP's tenant is the GDAP partner, with a relationship per customer:
 * Contoso's renewed (an expired one and an active one), Tailspin's expired (so discovery does not
 * list it).
 */
import { SANDBOX_IDENTITIES } from '../credentials';
import { MSP, PARTNER_TENANT, TENANTS, customerByKey } from './customers';
import type { TenantSpec } from './customers';
import type { Row } from './layout';
import { FIRST_NAMES, LAST_NAMES, TITLES, formatPhone } from './names';
import type { PsaContact } from './psaContacts';
import { SeededRandom, daysAgo, iso } from './random';
import { SKU } from './graph';

const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

function verifiedDomains(initial: string, domains: string[]): Row[] {
	return [
		{
			name: initial,
			isDefault: domains.length === 0,
			isInitial: true,
			type: 'Managed',
			capabilities: 'Email, OfficeCommunicationsOnline',
		},
		...domains.map((name, index) => ({
			name,
			isDefault: index === 0,
			isInitial: false,
			type: 'Managed',
			capabilities: 'Email, OfficeCommunicationsOnline',
		})),
	];
}

function relationship(
	tenant: TenantSpec,
	random: SeededRandom,
	status: string,
	createdDaysAgo: number,
): Row {
	const created = daysAgo(createdDaysAgo);
	const activated = created + 86_400_000;
	return {
		id: `${random.uuid()}-${random.uuid()}`,
		displayName: `Northwind-${tenant.key}-${status === 'expired' ? '2024' : '2026'}`,
		status,
		duration: 'P730D',
		autoExtendDuration: status === 'expired' ? 'PT0S' : 'P180D',
		createdDateTime: iso(created),
		activatedDateTime: iso(activated),
		lastModifiedDateTime: iso(status === 'expired' ? activated + 730 * 86_400_000 : activated),
		endDateTime: iso(activated + 730 * 86_400_000),
		accessDetails: {
			unifiedRoles: [
				{ roleDefinitionId: DIRECTORY_READERS },
				{ roleDefinitionId: USER_ADMINISTRATOR },
			],
		},
	};
}

/** graph/tenants.json: the MSP's tenant (the partner) first, then the customers'. */
export function tenantRecords(random: SeededRandom): Row[] {
	const partner: Row = {
		id: PARTNER_TENANT.id,
		displayName: PARTNER_TENANT.displayName,
		verifiedDomains: verifiedDomains(PARTNER_TENANT.initialDomain, PARTNER_TENANT.domains),
		_sandbox: { partner: true },
	};
	const customers = TENANTS.map((tenant) => {
		const relationships =
			tenant.gdap === 'active'
				? [relationship(tenant, random, 'active', 320)]
				: tenant.gdap === 'renewed'
					? [
							relationship(tenant, random, 'expired', 800),
							relationship(tenant, random, 'active', 60),
						]
					: [relationship(tenant, random, 'expired', 900)];
		return {
			id: tenant.id,
			displayName: tenant.displayName,
			verifiedDomains: verifiedDomains(tenant.initialDomain, tenant.domains),
			_sandbox: { relationships },
		};
	});
	// The credential's tenant (Contoso) leads, so a reader of "the first tenant" sees today's users.
	return [
		...customers.filter((t) => t.id === SANDBOX_IDENTITIES.graph.tenantId),
		partner,
		...customers.filter((t) => t.id !== SANDBOX_IDENTITIES.graph.tenantId),
	];
}

function user(
	random: SeededRandom,
	tenant: { initialDomain: string; displayName: string },
	person: {
		given: string | null;
		surname: string | null;
		display?: string;
		mail: string;
		title: string | null;
		phone: string | null;
		mobile: string | null;
		enabled: boolean;
		licensed: boolean;
		shared?: boolean;
	},
): Row {
	const local = person.mail.split('@')[0].toLowerCase();
	return {
		id: random.uuid(),
		displayName: person.display ?? `${person.given} ${person.surname}`,
		givenName: person.given,
		surname: person.surname,
		jobTitle: person.title,
		mail: person.mail,
		userPrincipalName: person.mail,
		businessPhones: person.phone ? [person.phone] : [],
		mobilePhone: person.mobile,
		accountEnabled: person.enabled,
		assignedLicenses: person.licensed ? [{ disabledPlans: [], skuId: SKU.businessPremium }] : [],
		userType: 'Member',
		proxyAddresses: [`SMTP:${person.mail}`, `smtp:${local}@${tenant.initialDomain}`],
		companyName: person.shared ? null : tenant.displayName,
		department: null,
		officeLocation: null,
		otherMails: [],
	};
}

/**
 * A customer tenant's users: most of its PSA contacts (as members; one in eight has left), two or
 * three people the PSAs do not know yet, one disabled account and a shared mailbox.
 */
export function customerTenantUsers(
	tenant: TenantSpec,
	contacts: PsaContact[],
	random: SeededRandom,
): Row[] {
	const domain = tenant.domains[0];
	const users: Row[] = [];
	const taken = new Set<string>();
	const mine = contacts.filter(
		(contact) =>
			contact.companyKey === tenant.customerKey &&
			contact.email &&
			contact.email.toLowerCase().endsWith(`@${domain}`),
	);
	for (const contact of mine) {
		const mail = contact.email!.toLowerCase();
		if (taken.has(mail) || random.chance(0.125)) continue;
		taken.add(mail);
		users.push(
			user(random, tenant, {
				given: contact.firstName,
				surname: contact.lastName,
				mail,
				title: random.chance(0.2) ? random.pick(TITLES) : contact.title,
				phone: contact.phone,
				mobile: contact.mobile,
				enabled: contact.active || random.chance(0.5),
				licensed: true,
			}),
		);
	}
	const newcomers = tenant.customerKey ? random.int(2, 3) : 6;
	for (let i = 0; i < newcomers; i++) {
		const given = random.pick(FIRST_NAMES);
		const surname = random.pick(LAST_NAMES);
		let mail = `${given}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${domain}`;
		for (let n = 2; taken.has(mail); n++) mail = mail.replace('@', `${n}@`);
		taken.add(mail);
		users.push(
			user(random, tenant, {
				given,
				surname,
				mail,
				title: random.pick(TITLES),
				phone: formatPhone('206', random.int(2000, 9999)),
				mobile: random.chance(0.4) ? formatPhone('425', random.int(2000, 9999)) : null,
				enabled: i !== 1,
				licensed: true,
			}),
		);
	}
	users.push(
		user(random, tenant, {
			given: null,
			surname: null,
			display: `${tenant.displayName} Info`,
			mail: `info@${domain}`,
			title: null,
			phone: null,
			mobile: null,
			enabled: false,
			licensed: false,
			shared: true,
		}),
	);
	return users;
}

/** The MSP's own people (its technicians) in its tenant. */
export function partnerUsers(random: SeededRandom): Row[] {
	const people: Array<[string, string, string]> = [
		['Dana', 'Whitley', 'Service Desk Manager'],
		['Marcus', 'Reyes', 'Systems Engineer'],
		['Priya', 'Nair', 'Support Technician'],
		['Tom', 'Becker', 'Support Technician'],
	];
	return people.map(([given, surname, title]) =>
		user(random, PARTNER_TENANT, {
			given,
			surname,
			mail: `${given}.${surname}@${MSP.domain}`.toLowerCase(),
			title,
			phone: '+1 206 555 0199',
			mobile: null,
			enabled: true,
			licensed: true,
		}),
	);
}

/** The customers' PSA companies by tenant, for the seed test and readers of the seed. */
export const customerOfTenant = (tenant: TenantSpec) =>
	tenant.customerKey ? customerByKey(tenant.customerKey) : undefined;
