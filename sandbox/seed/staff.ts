/**
 * A customer's whole directory built person by person, the way a small business's Microsoft 365
 * tenant looks (unlike customerTenantUsers, which derives a thin tenant from PSA contacts): staff
 * on the main domain and some under a second verified domain, names typed with diacritics, a
 * mixed-case address, people without title or phone, accounts blocked after someone left, an
 * unlicensed seasonal worker, a service account and the admin without a mailbox, B2B guests,
 * shared and room mailboxes. Both PSAs then get their own drifted view of it (staffPsaContacts).
 */
import { customerByKey, tenantByKey } from './customers';
import type { Customer, TenantSpec } from './customers';
import { guestAccount, mailbox, serviceAccount } from './graph';
import type { Person } from './graph';
import { FIRST_NAMES, LAST_NAMES, formatPhone } from './names';
import type { PsaExtras } from './psaContacts';
import { SeededRandom } from './random';

export interface StaffSpec {
	customer: Customer;
	tenant: TenantSpec;
	members: number;
	/** Every how-many-th member works under the tenant's second verified domain. */
	secondDomainEvery: number;
	areaCode: string;
	titles: string[];
	departments: string[];
	offices: string[];
	/** [given, surname, mail local part, how the PSA spells the name if it drifted]. */
	specialNames: Array<[string, string, string, [string, string]?]>;
	/** Accounts without a mailbox: [given, surname, user principal name]. */
	service: Array<[string, string, string]>;
	/** B2B guests: [given, surname, home address]. */
	guests: Array<[string, string, string]>;
	mailboxes: Array<[string, string, 'shared' | 'room']>;
	/** What each PSA holds beyond the members' own contacts. */
	psa: PsaExtras;
}

const capital = (part: string) => part.charAt(0).toUpperCase() + part.slice(1);
/** An address as someone typed it: Given.Surname@Brand.com. */
const typedByHand = (local: string, domain: string) =>
	`${local.split('.').map(capital).join('.')}@${capital(domain)}`;

export function staffOf(spec: StaffSpec, random: SeededRandom): Person[] {
	const { tenant } = spec;
	const [mainDomain, secondDomain] = tenant.domains;
	const people: Person[] = [];
	const usedLocals = new Set<string>();
	const add = (person: Omit<Person, 'index' | 'id'>) =>
		people.push({ ...person, index: people.length, id: random.uuid() });

	for (let i = 0; i < spec.members; i++) {
		const special = i % 9 === 4 ? spec.specialNames[Math.floor(i / 9)] : undefined;
		const given = special ? special[0] : random.pick(FIRST_NAMES);
		const surname = special ? special[1] : random.pick(LAST_NAMES);
		let local = special ? special[2] : `${given}.${surname}`.toLowerCase();
		for (let n = 2; usedLocals.has(local); n++) local = `${given}.${surname}${n}`.toLowerCase();
		usedLocals.add(local);
		const domain =
			secondDomain && i % spec.secondDomainEvery === spec.secondDomainEvery - 1
				? secondDomain
				: mainDomain;
		// Someone's address as they typed it when the account was made.
		const mail = i % 11 === 7 ? typedByHand(local, domain) : `${local}@${domain}`;
		const blank = i % 10 === 6;
		add({
			kind: 'member',
			givenName: given,
			surname,
			displayName: `${given} ${surname}`,
			mail,
			upn: mail,
			title: blank ? null : random.pick(spec.titles),
			department: blank ? null : random.pick(spec.departments),
			office: blank ? null : random.pick(spec.offices),
			phone: blank ? null : formatPhone(spec.areaCode, 300 + i),
			mobile: blank || random.chance(0.5) ? null : formatPhone(spec.areaCode, 7300 + i),
			// Two people left (sign-in blocked, account kept); one seasonal worker has no licence.
			enabled: i % 12 !== 9,
			licensed: i % 17 !== 12,
			domain,
			psaName: special?.[3],
		});
	}
	for (const account of spec.service)
		add(
			serviceAccount(account, {
				department: null,
				licensed: account[2].endsWith('.onmicrosoft.com'),
				domain: account[2].split('@')[1],
			}),
		);
	for (const guest of spec.guests) add(guestAccount(guest, tenant.initialDomain));
	for (const box of spec.mailboxes) add(mailbox(box, spec.offices[0]));
	return people;
}

/** Coho Winery: a winery, its tasting room and vineyard crew on the second brand's domain. */
export const COHO_WINERY_STAFF: StaffSpec = {
	customer: customerByKey('coho'),
	tenant: tenantByKey('coho'),
	members: 28,
	secondDomainEvery: 4,
	areaCode: '509',
	titles: [
		'Winemaker',
		'Assistant Winemaker',
		'Cellar Master',
		'Cellar Hand',
		'Vineyard Manager',
		'Tasting Room Manager',
		'Hospitality Associate',
		'Wine Club Coordinator',
		'Sales Manager',
		'Distribution Manager',
		'Bookkeeper',
		'Office Manager',
		'Events Coordinator',
		'Lab Technician',
	],
	departments: ['Winemaking', 'Vineyard', 'Hospitality', 'Sales', 'Finance', 'Operations'],
	offices: ['Walla Walla Winery', 'Tasting Room', 'Seattle Sales Office'],
	specialNames: [
		['Inés', 'Ortega', 'ines.ortega', ['Ines', 'Ortega']],
		['Matthäus', 'Krüger', 'matthaus.kruger', ['Matthaus', 'Kruger']],
		['Aoife', "O'Donnell", "aoife.o'donnell"],
	],
	service: [
		['Coho', 'Admin', 'admin@cohowinery.onmicrosoft.com'],
		['Scan', 'To Email', 'scanner@cohowinery.com'],
	],
	guests: [
		['Olivia', 'Brooks', 'olivia.brooks@lucernepublishing.com'],
		['Helpdesk', 'Northwind', 'helpdesk@northwindit.example'],
	],
	mailboxes: [
		['Coho Winery Info', 'info@cohowinery.com', 'shared'],
		['Wholesale Orders', 'orders@cohowinery.com', 'shared'],
		['Tasting Room', 'tastingroom@cohovineyard.com', 'shared'],
		['Barrel Room', 'barrelroom@cohowinery.com', 'room'],
	],
	psa: {
		sharedContacts: { 'orders@cohowinery.com': ['Wholesale', 'Orders'] },
		rehired: 1,
		leavers: [
			['Greta', 'Lindahl'],
			['Marco', 'Bellini'],
		],
		outsiders: [
			['Sam', 'Ortiz', 'sam.ortiz@wideworldimporters.com', 'Distributor Account Rep'],
			['Cellar', 'Service', 'service@cellartech.example', null],
		],
		duplicate: false,
		areaCode: '509',
	},
};
