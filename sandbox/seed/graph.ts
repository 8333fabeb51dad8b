/** Microsoft 365: the Contoso tenant, and how any tenant's people are written as microsoft.graph.user records. */
import { SANDBOX_IDENTITIES } from '../credentials';
import { CONTOSO, CONTOSO_DOMAINS, MSP } from './customers';
import type { TenantSpec } from './customers';
import type { Row } from './layout';
import {
	DEPARTMENTS,
	FIRST_NAMES,
	LAST_NAMES,
	LONG_TITLE,
	OFFICES,
	SPECIAL_NAMES,
	TITLES,
	formatPhone,
} from './names';
import { SeededRandom } from './random';

export const SKU = {
	e3: '05e9a617-0261-4cee-bb44-138d3ef5d965',
	businessPremium: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
	f3: '66b55226-6b4f-492c-910c-a3b7a3c9d993',
};

export type PersonKind = 'member' | 'guest' | 'shared' | 'room' | 'service';

/** One person (or mailbox) of the tenant, before it is written in any vendor's shape. */
export interface Person {
	index: number;
	kind: PersonKind;
	id: string;
	givenName: string | null;
	surname: string | null;
	displayName: string;
	mail: string | null;
	upn: string;
	title: string | null;
	department: string | null;
	office: string | null;
	phone: string | null;
	mobile: string | null;
	enabled: boolean;
	licensed: boolean;
	domain: string;
	/** How the PSA spells the name, when it differs (ASCII-folded by a human typing it in). */
	psaName?: [string, string];
}

type NewPerson = Omit<Person, 'index' | 'id'>;
const NO_DETAILS = { title: null, department: null, office: null, phone: null, mobile: null };

/** An account without a mailbox (mail null): only the user principal name identifies it. */
export const serviceAccount = (
	[given, surname, upn]: [string, string, string],
	extra: { department: string | null; licensed: boolean; domain: string },
): NewPerson => ({
	kind: 'service',
	givenName: given,
	surname,
	displayName: `${given} ${surname}`,
	mail: null,
	upn,
	...NO_DETAILS,
	department: extra.department,
	enabled: true,
	licensed: extra.licensed,
	domain: extra.domain,
});

/** A B2B guest: an #EXT# user principal name in the host tenant, the home address as mail. */
export const guestAccount = (
	[given, surname, mail]: [string, string, string],
	tenantDomain: string,
): NewPerson => ({
	kind: 'guest',
	givenName: given,
	surname,
	displayName: `${given} ${surname} (Guest)`,
	mail,
	upn: `${mail.toLowerCase().replace('@', '_')}#EXT#@${tenantDomain}`,
	...NO_DETAILS,
	enabled: true,
	licensed: false,
	domain: mail.split('@')[1].toLowerCase(),
});

/** A shared or room mailbox: a user object with sign-in blocked, no licence, no person. */
export const mailbox = (
	[name, mail, kind]: [string, string, PersonKind],
	roomOffice: string,
): NewPerson => ({
	kind,
	givenName: null,
	surname: null,
	displayName: name,
	mail,
	upn: mail,
	...NO_DETAILS,
	office: kind === 'room' ? roomOffice : null,
	enabled: false,
	licensed: false,
	domain: mail.split('@')[1].toLowerCase(),
});

export function buildTenant(random: SeededRandom): Person[] {
	const people: Person[] = [];
	const usedLocals = new Set<string>();
	let phoneLine = 100;
	const add = (person: Omit<Person, 'index' | 'id'>): Person => {
		const full = { ...person, index: people.length, id: random.uuid() };
		people.push(full);
		return full;
	};
	const uniqueLocal = (given: string, surname: string): string => {
		const base = `${given}.${surname}`.toLowerCase().replace(/[^a-z0-9.'-]/g, '');
		let local = base;
		for (let n = 2; usedLocals.has(local); n++) local = `${base}${n}`;
		usedLocals.add(local);
		return local;
	};

	// Members: most on contoso.com, the retail staff on the alias domain.
	const memberCount = 272;
	for (let i = 0; i < memberCount; i++) {
		const special =
			i % 17 === 5 ? SPECIAL_NAMES[Math.floor(i / 17) % SPECIAL_NAMES.length] : undefined;
		const given = special ? special[0] : random.pick(FIRST_NAMES);
		const surname = special ? special[1] : random.pick(LAST_NAMES);
		const local = special ? special[2] : uniqueLocal(given, surname);
		if (special) usedLocals.add(local);
		const retail = i % 8 === 3;
		const domain = retail ? CONTOSO_DOMAINS[1] : CONTOSO_DOMAINS[0];
		const uk = i % 23 === 7;
		let mail: string | null = `${local}@${domain}`;
		if (i % 25 === 11)
			mail = `${given.replace(/[^A-Za-z]/g, '')}${surname.replace(/[^A-Za-z]/g, '').slice(0, 1)}@${domain === 'contoso.com' ? 'Contoso.com' : 'ContosoRetail.com'}`;
		if (i % 41 === 19) mail = mail.toUpperCase();
		const blank = i % 13 === 6;
		const title = blank ? null : i === 42 ? LONG_TITLE : random.pick(TITLES);
		phoneLine++;
		const phone = blank
			? null
			: uk
				? `+44 20 7946 ${String(phoneLine).padStart(4, '0')}`
				: formatPhone('425', phoneLine);
		const mobile = blank || random.chance(0.45) ? null : formatPhone('206', 1000 + phoneLine);
		add({
			kind: 'member',
			givenName: given,
			surname,
			displayName: `${given} ${surname}`,
			mail,
			upn: mail ?? `${local}@${CONTOSO.domain}`,
			title,
			department: blank ? null : retail ? 'Retail' : random.pick(DEPARTMENTS),
			office: blank ? null : uk ? 'London' : retail ? 'Bellevue Store 12' : random.pick(OFFICES),
			phone,
			mobile,
			enabled: !(i % 22 === 9),
			licensed: !(i % 27 === 14),
			domain,
			psaName: special?.[3],
		});
	}

	// Accounts without a mailbox address: mail is null, only the UPN identifies them.
	const service: Array<[string, string, string]> = [
		['MOD', 'Administrator', 'admin@contoso.onmicrosoft.com'],
		['Scanner', 'Service', 'svc-scanner@contoso.com'],
		['Backup', 'Service', 'svc-backup@contoso.onmicrosoft.com'],
	];
	for (const account of service)
		add(
			serviceAccount(account, {
				department: 'IT',
				licensed: account[0] === 'MOD',
				domain: 'contoso.onmicrosoft.com',
			}),
		);
	// Members created without a mail attribute (hybrid leftovers).
	for (let i = 0; i < 3; i++) {
		const given = random.pick(FIRST_NAMES);
		const surname = random.pick(LAST_NAMES);
		const local = uniqueLocal(given, surname);
		add({
			kind: 'member',
			givenName: given,
			surname,
			displayName: `${given} ${surname}`,
			mail: null,
			upn: `${local}@contoso.com`,
			title: random.pick(TITLES),
			department: random.pick(DEPARTMENTS),
			office: 'Seattle',
			phone: formatPhone('425', ++phoneLine),
			mobile: null,
			enabled: true,
			licensed: true,
			domain: 'contoso.com',
		});
	}

	// Guests (B2B): #EXT# user principal names, their home address as mail.
	const guests: Array<[string, string, string]> = [
		['Kari', 'Hensien', 'kari.hensien@fabrikam.com'],
		['Lars', 'Jensen', 'lars@adventure-works.com'],
		['Ingrid', 'Berg', 'ingrid.berg@gmail.com'],
		['Paul', 'West', 'paul.west@northwindtraders.com'],
		['Ola', 'Nordmann', 'ola.nordmann@outlook.com'],
		['Eva', 'Corets', 'EVA.CORETS@Litwareinc.com'],
		['Mateo', 'Rossi', 'm.rossi@woodgrovecpa.com'],
		['Helpdesk', 'Northwind', `helpdesk@${MSP.domain}`],
	];
	for (const guest of guests) add(guestAccount(guest, SANDBOX_IDENTITIES.graph.tenantDomain));

	// Shared and room mailboxes: user objects with sign-in blocked, no licence, no person.
	const shared: Array<[string, string, PersonKind]> = [
		['Sales Inbox', 'sales@contoso.com', 'shared'],
		['Accounts Payable', 'ap@contoso.com', 'shared'],
		['IT Helpdesk', 'helpdesk@contoso.com', 'shared'],
		['Careers', 'jobs@contoso.com', 'shared'],
		['Retail Support', 'support@contosoretail.com', 'shared'],
		['Info', 'Info@Contoso.com', 'shared'],
		['Conf Room Rainier', 'rainier@contoso.com', 'room'],
		['Conf Room Baker', 'baker@contoso.com', 'room'],
	];
	for (const box of shared) add(mailbox(box, 'Redmond HQ'));
	return people;
}

/** One person as Microsoft Graph answers for them, in the tenant they belong to. */
export function graphUser(person: Person, random: SeededRandom, tenant: TenantSpec): Row {
	const [mainDomain, aliasDomain] = tenant.domains;
	const proxies: string[] = [];
	if (person.mail) {
		proxies.push(`SMTP:${person.mail}`);
		const local = person.mail.split('@')[0].toLowerCase();
		if (person.kind !== 'guest') {
			proxies.push(`smtp:${local}@${tenant.initialDomain}`);
			if (person.kind === 'member' && person.domain === aliasDomain)
				proxies.push(`smtp:${local}@${mainDomain}`);
		}
	}
	const licenses = person.licensed
		? [
				{
					disabledPlans: person.index % 5 === 0 ? ['efb87545-963c-4e0d-99df-69c6916d9eb0'] : [],
					skuId:
						person.domain === aliasDomain
							? SKU.f3
							: person.index % 3 === 0
								? SKU.businessPremium
								: SKU.e3,
				},
			]
		: [];
	return {
		id: person.id,
		displayName: person.displayName,
		givenName: person.givenName,
		surname: person.surname,
		jobTitle: person.title,
		mail: person.mail,
		userPrincipalName: person.upn,
		businessPhones: person.phone ? [person.phone] : [],
		mobilePhone: person.mobile,
		accountEnabled: person.enabled,
		assignedLicenses: licenses,
		userType: person.kind === 'guest' ? 'Guest' : 'Member',
		proxyAddresses: proxies,
		companyName: person.kind === 'member' ? tenant.displayName : null,
		department: person.department,
		officeLocation: person.office,
		otherMails:
			person.kind === 'guest' && person.mail
				? [person.mail.toLowerCase()]
				: random.chance(0.03)
					? ['personal.backup@outlook.com']
					: [],
	};
}
