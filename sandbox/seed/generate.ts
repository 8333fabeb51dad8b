/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * The sandbox's seeds, generated: the shipped default seed (sandbox/seed/default, committed and
 * checked against this generator by test/sandbox/seed.test.ts) and large synthetic seeds for the
 * benchmark and the reliability suite.
 *
 * Everything is drawn from a seeded generator and a fixed clock, so the same call always gives
 * the same bytes. Records are in each vendor's own response shape (sandbox/specs); the two
 * sandbox-specific files are autotask/picklists.json (`{entity, field, values: PickListValue[]}`)
 * and datto/webhooks.json (webhook bodies to deliver, in order).
 *
 *   npx tsx sandbox/seed/generate.ts            rewrites sandbox/seed/default
 *   npx tsx sandbox/seed/generate.ts --out DIR  writes the default seed elsewhere
 */
import * as path from 'node:path';

import { DEFAULT_SEED_DIR, SEED_FILES, emptySeed, writeSeed } from '../core/seed';
import type { Seed } from '../core/seed';
import { SANDBOX_IDENTITIES } from '../credentials';
import { writeScenario } from '../scenario';
import type { Scenario } from '../scenario';

type Row = Record<string, unknown>;

/** The seed's "now": every date in it is relative to this instant. */
export const SEED_CLOCK = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23T09:00:00Z

// ------------------------------------------------------------------------------------------
// Deterministic randomness

export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0 || 1;
	}

	/** mulberry32 */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.next() * values.length)];
	}

	uuid(): string {
		const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
		hex[12] = '4';
		hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		const s = hex.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	}

	shuffle<T>(values: T[]): T[] {
		const out = [...values];
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[out[i], out[j]] = [out[j], out[i]];
		}
		return out;
	}
}

const iso = (ms: number): string => new Date(ms).toISOString();
const daysAgo = (days: number, minutes = 0): number =>
	SEED_CLOCK - days * 86_400_000 - minutes * 60_000;

// ------------------------------------------------------------------------------------------
// The cast: the MSP, its customers, their domains and their ids in every system

interface Customer {
	key: string;
	name: string;
	identifier: string;
	autotaskId: number;
	connectwiseId: number;
	domain: string;
	city: string;
	state: string;
	zip: string;
	phone: string;
	active: boolean;
}

export const MSP = {
	name: 'Northwind IT Services',
	autotaskId: 0,
	connectwiseId: 19298,
	domain: 'northwindit.example',
};

export const CONTOSO_DOMAINS = ['contoso.com', 'contosoretail.com'];

const CUSTOMERS: Customer[] = [
	{
		key: 'contoso',
		name: 'Contoso Ltd',
		identifier: 'Contoso',
		autotaskId: 29684101,
		connectwiseId: 250,
		domain: 'contoso.com',
		city: 'Redmond',
		state: 'WA',
		zip: '98052',
		phone: '+1 425 555 0100',
		active: true,
	},
	{
		key: 'fabrikam',
		name: 'Fabrikam, Inc.',
		identifier: 'Fabrikam',
		autotaskId: 29684102,
		connectwiseId: 251,
		domain: 'fabrikam.com',
		city: 'Portland',
		state: 'OR',
		zip: '97205',
		phone: '+1 503 555 0140',
		active: true,
	},
	{
		key: 'adventureworks',
		name: 'Adventure Works Cycles',
		identifier: 'AdventureWorks',
		autotaskId: 29684103,
		connectwiseId: 252,
		domain: 'adventure-works.com',
		city: 'Bothell',
		state: 'WA',
		zip: '98011',
		phone: '+1 425 555 0170',
		active: true,
	},
	{
		key: 'tailspin',
		name: 'Tailspin Toys',
		identifier: 'TailspinToys',
		autotaskId: 29684104,
		connectwiseId: 253,
		domain: 'tailspintoys.com',
		city: 'Spokane',
		state: 'WA',
		zip: '99201',
		phone: '+1 509 555 0190',
		active: true,
	},
	{
		key: 'litware',
		name: 'Litware, Inc.',
		identifier: 'Litware',
		autotaskId: 29684105,
		connectwiseId: 254,
		domain: 'litwareinc.com',
		city: 'Tacoma',
		state: 'WA',
		zip: '98402',
		phone: '+1 253 555 0110',
		active: false,
	},
];

const CONTOSO = CUSTOMERS[0];

const FIRST_NAMES = [
	'Adele',
	'Alex',
	'Allan',
	'Amber',
	'Andre',
	'Angela',
	'Anna',
	'Ben',
	'Brian',
	'Carla',
	'Carlos',
	'Cathy',
	'Chris',
	'Christie',
	'Dan',
	'Daniel',
	'Debra',
	'Diego',
	'Dmitri',
	'Elena',
	'Emily',
	'Enrico',
	'Eric',
	'Fatima',
	'Grady',
	'Hannah',
	'Harper',
	'Henrietta',
	'Irvin',
	'Isaiah',
	'Jamal',
	'James',
	'Janet',
	'Jason',
	'Jennifer',
	'Joni',
	'Jordan',
	'Karen',
	'Kevin',
	'Kim',
	'Lee',
	'Lidia',
	'Lynne',
	'Maria',
	'Mark',
	'Megan',
	'Miriam',
	'Nestor',
	'Nina',
	'Noah',
	'Olivia',
	'Omar',
	'Patti',
	'Pradeep',
	'Priya',
	'Rachel',
	'Raul',
	'Robin',
	'Rosa',
	'Sam',
	'Sanjay',
	'Sara',
	'Sean',
	'Sophia',
	'Stephen',
	'Tara',
	'Terry',
	'Tom',
	'Vanessa',
	'Victor',
	'Wei',
	'Xavier',
	'Yolanda',
	'Zach',
];

const LAST_NAMES = [
	'Adams',
	'Allen',
	'Bailey',
	'Baker',
	'Barnes',
	'Bell',
	'Brooks',
	'Brown',
	'Campbell',
	'Carter',
	'Chen',
	'Clark',
	'Collins',
	'Cook',
	'Cooper',
	'Cruz',
	'Davis',
	'Diaz',
	'Edwards',
	'Evans',
	'Fisher',
	'Flores',
	'Foster',
	'Garcia',
	'Gomez',
	'Gonzalez',
	'Gray',
	'Green',
	'Hall',
	'Harris',
	'Hayes',
	'Hill',
	'Howard',
	'Hughes',
	'Jackson',
	'James',
	'Jenkins',
	'Johnson',
	'Jones',
	'Kelly',
	'Kim',
	'King',
	'Lee',
	'Lewis',
	'Long',
	'Lopez',
	'Martin',
	'Martinez',
	'Miller',
	'Mitchell',
	'Moore',
	'Morgan',
	'Morris',
	'Murphy',
	'Nelson',
	'Nguyen',
	'Parker',
	'Patel',
	'Perez',
	'Peterson',
	'Phillips',
	'Powell',
	'Price',
	'Ramirez',
	'Reed',
	'Reyes',
	'Richardson',
	'Rivera',
	'Roberts',
	'Rogers',
	'Ross',
	'Sanchez',
	'Scott',
	'Shah',
	'Singh',
	'Smith',
	'Stewart',
	'Sullivan',
	'Taylor',
	'Thomas',
	'Thompson',
	'Torres',
	'Turner',
	'Walker',
	'Ward',
	'Watson',
	'White',
	'Williams',
	'Wilson',
	'Wood',
	'Wright',
	'Young',
];

/** Names real tenants have: diacritics, other scripts, apostrophes. [given, surname, mail local part, PSA spelling if it drifted]. */
const SPECIAL_NAMES: Array<[string, string, string, [string, string]?]> = [
	['Zoë', 'Müller', 'zoe.muller', ['Zoe', 'Muller']],
	['José', 'Núñez', 'jose.nunez', ['Jose', 'Nunez']],
	['Åsa', 'Lindström', 'asa.lindstrom'],
	['Łukasz', 'Wiśniewski', 'lukasz.wisniewski', ['Lukasz', 'Wisniewski']],
	['Chloé', 'Dubois', 'chloe.dubois'],
	['Søren', 'Østergaard', 'soren.ostergaard', ['Soren', 'Ostergaard']],
	['Renée', 'Faßbender', 'renee.fassbender'],
	['Ayşe', 'Yılmaz', 'ayse.yilmaz'],
	['Đorđe', 'Petrović', 'djordje.petrovic', ['Djordje', 'Petrovic']],
	['An', 'Nguyễn', 'an.nguyen'],
	['Hiroshi', 'Ōta', 'hiroshi.ota'],
	['娜', '李', 'na.li', ['Na', 'Li']],
	['Siobhán', "O'Brien", "siobhan.o'brien"],
	['Dara', "O'Neill", "dara.o'neill"],
	['Gianluca', "D'Angelo", "gianluca.d'angelo"],
	['Mary-Kate', "O'Sullivan-Hughes", "marykate.o'sullivan-hughes"],
];

const TITLES = [
	'Account Manager',
	'Accountant',
	'Sales Associate',
	'Store Manager',
	'Software Engineer',
	'HR Generalist',
	'Office Manager',
	'IT Administrator',
	'Marketing Specialist',
	'Warehouse Supervisor',
	'Customer Service Representative',
	'Financial Analyst',
	'Paralegal',
	'Receptionist',
	'Operations Director',
	'Buyer',
	'Project Manager',
	'Payroll Specialist',
	'Shift Lead',
	'Regional Sales Manager',
	'Product Designer',
	'Logistics Coordinator',
	'Executive Assistant',
	'Controller',
];

const LONG_TITLE = 'Senior Vice President, Global Strategic Partnerships & Alliances';

const DEPARTMENTS = [
	'Sales',
	'Finance',
	'Operations',
	'Human Resources',
	'IT',
	'Marketing',
	'Retail',
	'Legal',
	'Logistics',
];
const OFFICES = ['Redmond HQ', 'Seattle', 'London', 'Bellevue Store 12', 'Tacoma Warehouse'];

const SKU = {
	e3: '05e9a617-0261-4cee-bb44-138d3ef5d965',
	businessPremium: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
	f3: '66b55226-6b4f-492c-910c-a3b7a3c9d993',
};

// ------------------------------------------------------------------------------------------
// Microsoft 365: the Contoso tenant

type PersonKind = 'member' | 'guest' | 'shared' | 'room' | 'service';

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

function formatPhone(area: string, line: number): string {
	return `+1 ${area} 555 ${String(line).padStart(4, '0')}`;
}

/** Same digits, the way a human typed it into the PSA. */
function reformatPhone(phone: string, style: number): string {
	const digits = phone.replace(/\D+/g, '');
	const country = digits.slice(0, digits.length - 10);
	const area = digits.slice(-10, -7);
	const exchange = digits.slice(-7, -4);
	const line = digits.slice(-4);
	switch (style % 4) {
		case 0:
			return `+${country} (${area}) ${exchange}-${line}`;
		case 1:
			return `${country}-${area}-${exchange}-${line}`;
		case 2:
			return `+${country}.${area}.${exchange}.${line}`;
		default:
			return `+${country} ${area}-${exchange}-${line}`;
	}
}

function buildTenant(random: SeededRandom): Person[] {
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
	for (const [given, surname, upn] of service) {
		add({
			kind: 'service',
			givenName: given,
			surname,
			displayName: `${given} ${surname}`,
			mail: null,
			upn,
			title: null,
			department: 'IT',
			office: null,
			phone: null,
			mobile: null,
			enabled: true,
			licensed: given === 'MOD',
			domain: 'contoso.onmicrosoft.com',
		});
	}
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
	for (const [given, surname, mail] of guests) {
		const upn = `${mail.toLowerCase().replace('@', '_')}#EXT#@${SANDBOX_IDENTITIES.graph.tenantDomain}`;
		add({
			kind: 'guest',
			givenName: given,
			surname,
			displayName: `${given} ${surname} (Guest)`,
			mail,
			upn,
			title: null,
			department: null,
			office: null,
			phone: null,
			mobile: null,
			enabled: true,
			licensed: false,
			domain: mail.split('@')[1].toLowerCase(),
		});
	}

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
	for (const [name, mail, kind] of shared) {
		add({
			kind,
			givenName: null,
			surname: null,
			displayName: name,
			mail,
			upn: mail,
			title: null,
			department: null,
			office: kind === 'room' ? 'Redmond HQ' : null,
			phone: null,
			mobile: null,
			enabled: false,
			licensed: false,
			domain: mail.split('@')[1].toLowerCase(),
		});
	}
	return people;
}

function graphUser(person: Person, random: SeededRandom): Row {
	const proxies: string[] = [];
	if (person.mail) {
		proxies.push(`SMTP:${person.mail}`);
		const local = person.mail.split('@')[0].toLowerCase();
		if (person.kind !== 'guest') {
			proxies.push(`smtp:${local}@${SANDBOX_IDENTITIES.graph.tenantDomain}`);
			if (person.kind === 'member' && person.domain === CONTOSO_DOMAINS[1])
				proxies.push(`smtp:${local}@${CONTOSO_DOMAINS[0]}`);
		}
	}
	const licenses = person.licensed
		? [
				{
					disabledPlans: person.index % 5 === 0 ? ['efb87545-963c-4e0d-99df-69c6916d9eb0'] : [],
					skuId:
						person.domain === CONTOSO_DOMAINS[1]
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
		companyName: person.kind === 'member' ? CONTOSO.name : null,
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

// ------------------------------------------------------------------------------------------
// How each PSA has drifted from the tenant

type Drift =
	| 'same'
	| 'reformattedPhone'
	| 'oldTitle'
	| 'newPhone'
	| 'noMobile'
	| 'upperEmail2'
	| 'blankTitle'
	| 'titleOnlyInPsa'
	| 'rehired';

interface PsaContact {
	person?: Person;
	firstName: string;
	lastName: string;
	title: string | null;
	email: string | null;
	email2: string | null;
	phone: string | null;
	mobile: string | null;
	active: boolean;
	companyKey: string;
	drift: Drift | 'psaOnly' | 'deletedInM365' | 'duplicate';
	createdDaysAgo: number;
}

function driftFor(random: SeededRandom): Drift {
	const roll = random.next();
	if (roll < 0.52) return 'same';
	if (roll < 0.72) return 'reformattedPhone';
	if (roll < 0.8) return 'oldTitle';
	if (roll < 0.85) return 'newPhone';
	if (roll < 0.89) return 'noMobile';
	if (roll < 0.93) return 'upperEmail2';
	if (roll < 0.97) return 'blankTitle';
	return 'titleOnlyInPsa';
}

/** The PSA-side view of Contoso (one call per PSA, with its own random stream). */
function contosoPsaContacts(
	people: Person[],
	random: SeededRandom,
	system: 'autotask' | 'connectwise',
): PsaContact[] {
	const contacts: PsaContact[] = [];
	for (const person of people) {
		if (person.kind !== 'member' || !person.mail) {
			// The shared helpdesk mailbox is a contact in most PSAs; other mailboxes are not.
			if (person.kind === 'shared' && person.mail === 'helpdesk@contoso.com') {
				contacts.push({
					person,
					firstName: 'IT',
					lastName: 'Helpdesk',
					title: null,
					email: person.mail,
					email2: null,
					phone: CONTOSO.phone,
					mobile: null,
					active: true,
					companyKey: 'contoso',
					drift: 'same',
					createdDaysAgo: 900,
				});
			}
			continue;
		}
		// About one member in eight has no PSA contact yet (the sync creates them).
		if (random.chance(system === 'autotask' ? 0.11 : 0.14)) continue;
		const drift = driftFor(random);
		const [first, last] = person.psaName ?? [person.givenName ?? '', person.surname ?? ''];
		const contact: PsaContact = {
			person,
			firstName: first,
			lastName: last,
			title: person.title,
			email: person.mail,
			email2: null,
			phone: person.phone,
			mobile: person.mobile,
			// Disabled M365 users are still active in the PSA (the sync deactivates them), except a few.
			active: person.enabled || random.chance(0.3) ? true : false,
			companyKey: 'contoso',
			drift,
			createdDaysAgo: random.int(30, 1500),
		};
		switch (drift) {
			case 'reformattedPhone':
				if (contact.phone) contact.phone = reformatPhone(contact.phone, random.int(0, 3));
				break;
			case 'oldTitle':
				contact.title = random.pick(TITLES.filter((t) => t !== person.title));
				break;
			case 'newPhone':
				contact.phone = formatPhone('425', random.int(7000, 7999));
				break;
			case 'noMobile':
				contact.mobile = person.mobile ? null : formatPhone('206', random.int(8000, 8999));
				break;
			case 'upperEmail2':
				// The PSA kept an old address first and the current one, upper-cased, second.
				contact.email = `${person.mail.split('@')[0].toLowerCase()}@contoso-old.local`;
				contact.email2 = person.mail.toUpperCase();
				break;
			case 'blankTitle':
				contact.title = null;
				break;
			case 'titleOnlyInPsa':
				if (!person.title) contact.title = 'Contractor';
				break;
			default:
				break;
		}
		if (!person.enabled && !contact.active) contact.createdDaysAgo = 2000;
		contacts.push(contact);
	}
	// People who came back (rehired, back from leave): enabled and licensed again, but their PSA
	// contact was deactivated when they left. The last two, so no random draw moves.
	contacts
		.filter((c) => c.drift === 'same' && c.active && c.person?.enabled && c.person?.licensed)
		.slice(-2)
		.forEach((c) => {
			c.active = false;
			c.drift = 'rehired';
		});
	// People who left: still in the PSA, deleted from the tenant.
	const leavers: Array<[string, string]> = [
		['Gregory', 'Holt'],
		['Paula', 'Whitfield'],
		['Ivan', 'Sokolov'],
		['Nadia', 'Haddad'],
		['Oscar', 'Lindqvist'],
	];
	leavers.forEach(([first, last], index) => {
		contacts.push({
			firstName: first,
			lastName: last,
			title: random.pick(TITLES),
			email: `${first}.${last}@contoso.com`.toLowerCase(),
			email2: null,
			phone: formatPhone('425', 6100 + index),
			mobile: null,
			active: index !== 4,
			companyKey: 'contoso',
			drift: 'deletedInM365',
			createdDaysAgo: 1800 - index * 50,
		});
	});
	// PSA-only contacts of the customer who are not its staff.
	const outsiders: Array<[string, string, string, string | null]> = [
		['Bob', 'Kelly', 'bob.kelly@northwindtraders.com', 'Supplier Account Rep'],
		['Mateo', 'Rossi', 'm.rossi@woodgrovecpa.com', 'External Accountant'],
		['Copier', 'Technician', 'service@copierco.example', null],
	];
	for (const [first, last, email, title] of outsiders) {
		contacts.push({
			firstName: first,
			lastName: last,
			title,
			email,
			email2: null,
			phone: null,
			mobile: null,
			active: true,
			companyKey: 'contoso',
			drift: 'psaOnly',
			createdDaysAgo: 700,
		});
	}
	// A duplicate someone created by hand years ago, inactive, same address as a live contact.
	const live = contacts.find((c) => c.person && c.drift === 'same' && c.active && c.email);
	if (live)
		contacts.push({
			...live,
			person: undefined,
			active: false,
			drift: 'duplicate',
			title: null,
			phone: null,
			mobile: null,
			createdDaysAgo: 2400,
		});
	return contacts;
}

/** A few staff of the other customers (their own domains; some names collide with Contoso's). */
function otherCustomerContacts(random: SeededRandom): PsaContact[] {
	const contacts: PsaContact[] = [];
	const counts: Record<string, number> = {
		fabrikam: 12,
		adventureworks: 10,
		tailspin: 7,
		litware: 4,
	};
	for (const customer of CUSTOMERS.slice(1)) {
		for (let i = 0; i < counts[customer.key]; i++) {
			const first = i === 0 ? 'James' : random.pick(FIRST_NAMES);
			const last = i === 0 ? 'Smith' : random.pick(LAST_NAMES);
			contacts.push({
				firstName: first,
				lastName: last,
				title: random.chance(0.8) ? random.pick(TITLES) : null,
				email: random.chance(0.92) ? `${first[0]}${last}@${customer.domain}`.toLowerCase() : null,
				email2: null,
				phone: random.chance(0.7)
					? `+1 ${customer.phone.split(' ')[1]} 555 ${String(random.int(200, 999)).padStart(4, '0')}`
					: null,
				mobile: random.chance(0.3) ? formatPhone('360', random.int(1000, 9999)) : null,
				active: customer.active && random.chance(0.9),
				companyKey: customer.key,
				drift: 'psaOnly',
				createdDaysAgo: random.int(60, 2000),
			});
		}
	}
	if (contacts[0]) contacts[0].email = 'kari.hensien@fabrikam.com';
	return contacts;
}

const customerByKey = (key: string): Customer => CUSTOMERS.find((c) => c.key === key) ?? CONTOSO;

// ------------------------------------------------------------------------------------------
// Autotask

interface AutotaskIds {
	resources: { apiUser: number; dispatcher: number; techs: number[]; noImpersonation: number };
}

const AUTOTASK_IDS: AutotaskIds = {
	resources: {
		apiUser: 29682885,
		dispatcher: 29682886,
		techs: [29682887, 29682888, 29682889, 29682890],
		noImpersonation: 29682891,
	},
};

function autotaskCompanies(): Row[] {
	const msp: Row = {
		id: MSP.autotaskId,
		companyName: MSP.name,
		companyNumber: 'NW-0000',
		companyType: 8,
		isActive: true,
		phone: '+1 206 555 0199',
		fax: null,
		webAddress: `https://www.${MSP.domain}`,
		address1: '1 Harbor Way',
		address2: 'Suite 400',
		city: 'Seattle',
		state: 'WA',
		postalCode: '98101',
		countryID: 237,
		ownerResourceID: AUTOTASK_IDS.resources.dispatcher,
		parentCompanyID: null,
		classification: null,
		marketSegmentID: null,
		territoryID: null,
		createDate: iso(daysAgo(3650)),
		lastActivityDate: iso(daysAgo(1)),
		lastTrackedModifiedDateTime: iso(daysAgo(40)),
		userDefinedFields: [],
	};
	return [
		msp,
		...CUSTOMERS.map((customer, index) => ({
			id: customer.autotaskId,
			companyName: customer.name,
			companyNumber: `C-${String(1001 + index)}`,
			companyType: 1,
			isActive: customer.active,
			phone: customer.phone,
			fax: null,
			webAddress: `https://www.${customer.domain}`,
			address1: `${100 + index * 37} Main Street`,
			address2: null,
			city: customer.city,
			state: customer.state,
			postalCode: customer.zip,
			countryID: 237,
			ownerResourceID: AUTOTASK_IDS.resources.techs[index % AUTOTASK_IDS.resources.techs.length],
			parentCompanyID: null,
			classification: null,
			marketSegmentID: null,
			territoryID: null,
			createDate: iso(daysAgo(2000 - index * 200)),
			lastActivityDate: iso(daysAgo(index + 1)),
			lastTrackedModifiedDateTime: iso(daysAgo(30 + index)),
			userDefinedFields: [
				{ name: 'Datto RMM Site', value: customer.key === 'tailspin' ? null : customer.name },
			],
		})),
	];
}

function autotaskContacts(contacts: PsaContact[], startId: number): Row[] {
	return contacts.map((contact, index) => {
		const customer = customerByKey(contact.companyKey);
		return {
			id: startId + index,
			companyID: customer.autotaskId,
			firstName: contact.firstName,
			lastName: contact.lastName,
			title: contact.title,
			emailAddress: contact.email,
			emailAddress2: contact.email2,
			emailAddress3: null,
			phone: contact.phone,
			mobilePhone: contact.mobile,
			alternatePhone: null,
			extension: null,
			faxNumber: null,
			isActive: contact.active ? 1 : 0,
			primaryContact: false,
			addressLine: null,
			addressLine1: null,
			city: customer.city,
			state: customer.state,
			zipCode: customer.zip,
			countryID: 237,
			externalID: null,
			note:
				contact.drift === 'psaOnly' && contact.companyKey === 'contoso'
					? 'Not Contoso staff'
					: null,
			createDate: iso(daysAgo(contact.createdDaysAgo)),
			lastActivityDate: iso(daysAgo(Math.min(contact.createdDaysAgo, 20 + (index % 200)))),
			lastModifiedDate: iso(daysAgo(Math.min(contact.createdDaysAgo, 10 + (index % 300)))),
			impersonatorCreatorResourceID: null,
			userDefinedFields: [],
		};
	});
}

function autotaskResources(): Row[] {
	const resource = (
		id: number,
		first: string,
		last: string,
		email: string,
		title: string,
		extra: Row = {},
	): Row => ({
		id,
		firstName: first,
		lastName: last,
		email,
		email2: null,
		email3: null,
		userName: email.split('@')[0],
		title,
		isActive: true,
		resourceType: 'Employee',
		licenseType: 1,
		defaultServiceDeskRoleID: 29683461,
		officePhone: '+1 206 555 0199',
		officeExtension: null,
		mobilePhone: null,
		hireDate: iso(daysAgo(1500)),
		initials: `${first[0]}${last[0]}`,
		...extra,
	});
	const r = AUTOTASK_IDS.resources;
	return [
		resource(r.apiUser, 'n8n', 'API User', SANDBOX_IDENTITIES.autotask.username, 'API User', {
			resourceType: 'API',
			licenseType: 7,
			userName: SANDBOX_IDENTITIES.autotask.username,
			defaultServiceDeskRoleID: null,
		}),
		resource(r.dispatcher, 'Dana', 'Whitley', `dana.whitley@${MSP.domain}`, 'Service Desk Manager'),
		resource(r.techs[0], 'Marcus', 'Lee', `marcus.lee@${MSP.domain}`, 'Senior Technician'),
		resource(r.techs[1], 'Priya', 'Raman', `priya.raman@${MSP.domain}`, 'Technician'),
		resource(
			r.techs[2],
			'Tomás',
			'Ibarra',
			`Tomas.Ibarra@${MSP.domain.replace('northwindit', 'NorthwindIT')}`,
			'NOC Engineer',
		),
		resource(r.techs[3], 'Grace', 'Ohara', `grace.ohara@${MSP.domain}`, 'Technician', {
			email2: `g.ohara@${MSP.domain}`,
		}),
		// Impersonation is switched off on this resource's security level: writes "as" her fail.
		resource(r.noImpersonation, 'Kenji', 'Watanabe', `kenji.watanabe@${MSP.domain}`, 'Contractor', {
			_sandbox: { allowImpersonation: false },
		}),
		resource(29682892, 'Former', 'Technician', `former.tech@${MSP.domain}`, 'Technician', {
			isActive: false,
		}),
	];
}

function picklist(values: Array<[number, string, number?]>, defaultValue?: number): Row[] {
	return values.map(([value, label, parent], index) => ({
		value: String(value),
		label,
		isDefaultValue: value === defaultValue,
		sortOrder: index + 1,
		parentValue: parent === undefined ? '' : String(parent),
		isActive: true,
		isSystem: value === 5 && label === 'Complete',
	}));
}

/** The tenant's picklists: ids are tenant-specific, which is why nodes read them by label. */
export const AUTOTASK_PICKLISTS = {
	queueID: [
		[29682833, 'Client Portal'],
		[29683481, 'Monitoring Alert'],
		[29683482, 'Level I Support'],
		[29683483, 'Level II Support'],
		[29683484, 'Recurring Tickets'],
	] as Array<[number, string]>,
	issueType: [
		[1, 'Hardware'],
		[2, 'Software'],
		[3, 'Network'],
		[4, 'Monitoring'],
	] as Array<[number, string]>,
	subIssueType: [
		[10, 'Disk Space', 4],
		[11, 'Services', 4],
		[12, 'Performance', 4],
		[13, 'Backup', 4],
		[14, 'Online Status', 4],
		[15, 'Event Log', 4],
		[16, 'Script Monitor', 4],
		[20, 'Antivirus', 2],
		[21, 'Patching', 2],
		[30, 'Connectivity', 3],
		[40, 'Printer', 1],
		[41, 'Hard Drive', 1],
	] as Array<[number, string, number]>,
	status: [
		[1, 'New'],
		[5, 'Complete'],
		[7, 'Waiting Customer'],
		[8, 'In Progress'],
		[12, 'Waiting Vendor'],
		[13, 'Re-Opened'],
	] as Array<[number, string]>,
	priority: [
		[1, 'High'],
		[2, 'Medium'],
		[3, 'Low'],
		[4, 'Critical'],
	] as Array<[number, string]>,
	source: [
		[-1, 'Client Portal'],
		[1, 'Other'],
		[2, 'Email'],
		[4, 'In Person / Onsite'],
		[6, 'Monitoring Alert'],
		[13, 'Phone'],
	] as Array<[number, string]>,
	ticketType: [
		[1, 'Service Request'],
		[2, 'Incident'],
		[3, 'Problem'],
		[4, 'Change Request'],
		[5, 'Alert'],
	] as Array<[number, string]>,
	billingCodeID: [
		[29682801, 'Remote Support'],
		[29682802, 'Onsite Support'],
		[29682803, 'Monitoring'],
		[29682804, 'Maintenance'],
	] as Array<[number, string]>,
	noteType: [
		[1, 'Task Summary'],
		[2, 'Task Detail'],
		[3, 'Task Notes'],
		[13, 'Workflow Rule Note'],
	] as Array<[number, string]>,
	publish: [
		[1, 'All Autotask Users'],
		[2, 'Internal Only'],
	] as Array<[number, string]>,
};

function autotaskPicklists(): Row[] {
	const p = AUTOTASK_PICKLISTS;
	return [
		{ entity: 'Tickets', field: 'queueID', values: picklist(p.queueID, 29683482) },
		{ entity: 'Tickets', field: 'issueType', values: picklist(p.issueType) },
		{ entity: 'Tickets', field: 'subIssueType', values: picklist(p.subIssueType) },
		{ entity: 'Tickets', field: 'status', values: picklist(p.status, 1) },
		{ entity: 'Tickets', field: 'priority', values: picklist(p.priority, 2) },
		{ entity: 'Tickets', field: 'source', values: picklist(p.source) },
		{ entity: 'Tickets', field: 'ticketType', values: picklist(p.ticketType, 1) },
		{ entity: 'Tickets', field: 'billingCodeID', values: picklist(p.billingCodeID, 29682801) },
		{ entity: 'TicketNotes', field: 'noteType', values: picklist(p.noteType, 1) },
		{ entity: 'TicketNotes', field: 'publish', values: picklist(p.publish, 1) },
	];
}

// ------------------------------------------------------------------------------------------
// ConnectWise Manage

/** Tenant-defined communication types: renamed ones included, as real boards have them. */
const CW_TYPES = {
	email: { id: 1, name: 'Email' },
	direct: { id: 2, name: 'Direct' },
	cell: { id: 4, name: 'Cell' },
	fax: { id: 5, name: 'Fax' },
	home: { id: 6, name: 'Home' },
	businessEmail: { id: 7, name: 'Business Email' },
	privateEmail: { id: 8, name: 'Private Email' },
	pager: { id: 9, name: 'Pager' },
};

function connectwiseCommunicationTypes(): Row[] {
	const type = (
		t: { id: number; name: string },
		flags: { phone?: boolean; fax?: boolean; email?: boolean; default?: boolean },
		xref: string,
	): Row => ({
		id: t.id,
		description: t.name,
		phoneFlag: flags.phone ?? false,
		faxFlag: flags.fax ?? false,
		emailFlag: flags.email ?? false,
		defaultFlag: flags.default ?? false,
		exchangeXref: xref,
		iphoneXref: xref,
		androidXref: xref,
		googleXref: xref,
		_info: { lastUpdated: iso(daysAgo(2400)), updatedBy: 'Admin1' },
	});
	return [
		type(CW_TYPES.email, { email: true, default: true }, 'Email1'),
		type(CW_TYPES.direct, { phone: true, default: true }, 'BusinessPhone'),
		type(CW_TYPES.cell, { phone: true }, 'MobilePhone'),
		type(CW_TYPES.fax, { fax: true }, 'BusinessFax'),
		type(CW_TYPES.home, { phone: true }, 'HomePhone'),
		type(CW_TYPES.businessEmail, { email: true }, 'Email2'),
		type(CW_TYPES.privateEmail, { email: true }, 'Email3'),
		type(CW_TYPES.pager, { phone: true }, 'Pager'),
	];
}

function connectwiseCompanies(): Row[] {
	const company = (id: number, identifier: string, name: string, extra: Row): Row => ({
		id,
		identifier,
		name,
		status: { id: extra.inactive ? 2 : 1, name: extra.inactive ? 'Inactive' : 'Active' },
		types: [{ id: extra.owner ? 5 : 1, name: extra.owner ? 'Owner' : 'Client' }],
		addressLine1: extra.address,
		city: extra.city,
		state: extra.state,
		zip: extra.zip,
		country: { id: 1, name: 'United States' },
		phoneNumber: String(extra.phone).replace(/\D+/g, '').slice(-10),
		website: extra.website,
		deletedFlag: false,
		_info: {
			lastUpdated: iso(daysAgo(Number(extra.updated))),
			updatedBy: 'Admin1',
			dateEntered: iso(daysAgo(2500)),
			contacts_href: `https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts?conditions=company/id=${id}`,
		},
	});
	return [
		company(MSP.connectwiseId, 'NorthwindIT', MSP.name, {
			owner: true,
			address: '1 Harbor Way',
			city: 'Seattle',
			state: 'WA',
			zip: '98101',
			phone: '+1 206 555 0199',
			website: `www.${MSP.domain}`,
			updated: 90,
		}),
		...CUSTOMERS.map((customer, index) =>
			company(customer.connectwiseId, customer.identifier, customer.name, {
				inactive: !customer.active,
				address: `${100 + index * 37} Main Street`,
				city: customer.city,
				state: customer.state,
				zip: customer.zip,
				phone: customer.phone,
				website: `www.${customer.domain}`,
				updated: 20 + index,
			}),
		),
	];
}

function connectwiseContacts(contacts: PsaContact[], startId: number, random: SeededRandom): Row[] {
	let itemId = 9001;
	return contacts.map((contact, index) => {
		const customer = customerByKey(contact.companyKey);
		const items: Row[] = [];
		const item = (
			type: { id: number; name: string },
			value: string,
			communicationType: 'Email' | 'Phone' | 'Fax',
			defaultFlag: boolean,
		): void => {
			const row: Row = { id: itemId++, type, value, defaultFlag, communicationType };
			if (communicationType === 'Email') row.domain = `@${value.split('@')[1] ?? ''}`;
			items.push(row);
		};
		if (contact.email)
			item(
				random.chance(0.25) ? CW_TYPES.businessEmail : CW_TYPES.email,
				contact.email,
				'Email',
				true,
			);
		if (contact.email2) item(CW_TYPES.privateEmail, contact.email2, 'Email', false);
		if (contact.phone) item(CW_TYPES.direct, contact.phone, 'Phone', true);
		if (contact.mobile) item(CW_TYPES.cell, contact.mobile, 'Phone', !contact.phone);
		if (random.chance(0.05)) item(CW_TYPES.fax, '+1 425 555 0199', 'Fax', false);
		const defaultPhone = items.find(
			(i) => i.communicationType === 'Phone' && i.defaultFlag === true,
		);
		const row: Row = {
			id: startId + index,
			firstName: contact.firstName,
			lastName: contact.lastName,
			company: {
				id: customer.connectwiseId,
				identifier: customer.identifier,
				name: customer.name,
				_info: {
					company_href: `https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies/${customer.connectwiseId}`,
				},
			},
			site: {
				id: 1000 + customer.connectwiseId,
				name: 'Main',
				_info: {
					site_href: `https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies/${customer.connectwiseId}/sites/${1000 + customer.connectwiseId}`,
				},
			},
			inactiveFlag: !contact.active,
			title: contact.title ?? undefined,
			defaultPhoneType: defaultPhone ? (defaultPhone.type as { name: string }).name : undefined,
			defaultPhoneNbr: defaultPhone ? String(defaultPhone.value).replace(/\D+/g, '') : undefined,
			defaultFlag: false,
			defaultBillingFlag: false,
			unsubscribeFlag: false,
			disablePortalLoginFlag: contact.companyKey !== 'contoso',
			communicationItems: items,
			types:
				contact.drift === 'psaOnly' && contact.companyKey === 'contoso'
					? [{ id: 3, name: 'Vendor' }]
					: [{ id: 1, name: 'End User' }],
			customFields: [],
			_info: {
				lastUpdated: iso(daysAgo(Math.min(contact.createdDaysAgo, 5 + (index % 120)))),
				updatedBy: index % 7 === 0 ? 'jsmith' : 'Admin1',
			},
		};
		// ConnectWise leaves empty fields out of its answers.
		for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
		return row;
	});
}

// ------------------------------------------------------------------------------------------
// Datto RMM and the Autotask records the native integration keeps in step with it

const DATTO_ACCOUNT_UID = 'b7e2c1d4';
const DATTO_PLATFORM = 'merlot';

interface SiteSpec {
	key: string;
	name: string;
	customer?: Customer;
	/** Whether the native integration mapped it to an Autotask company. */
	mapped: boolean;
	devices: Array<
		[string, 'server' | 'desktop' | 'laptop' | 'printer' | 'network' | 'esxi', string?]
	>;
}

const SITES: SiteSpec[] = [
	{
		key: 'contoso-hq',
		name: 'Contoso HQ',
		customer: CUSTOMERS[0],
		mapped: true,
		devices: [
			['CONTOSO-DC01', 'server'],
			['CONTOSO-FS01', 'server'],
			['CONTOSO-SQL01', 'server'],
			['CONTOSO-WS001', 'desktop'],
			['CONTOSO-WS002', 'desktop'],
			['CONTOSO-WS004', 'laptop'],
			['CONTOSO-WS006', 'laptop'],
			['CONTOSO-PRN01', 'printer'],
			['CONTOSO-FW01', 'network'],
		],
	},
	{
		key: 'contoso-retail',
		name: 'Contoso Retail Stores',
		customer: CUSTOMERS[0],
		mapped: true,
		devices: [
			['RETAIL-POS01', 'desktop'],
			['RETAIL-POS02', 'desktop'],
			['RETAIL-POS03', 'desktop', 'no-ci'],
		],
	},
	{
		key: 'fabrikam',
		name: 'Fabrikam - Portland',
		customer: CUSTOMERS[1],
		mapped: true,
		devices: [
			['FAB-SRV01', 'server'],
			['FAB-LT014', 'laptop'],
			['FAB-LT022', 'laptop'],
		],
	},
	{
		key: 'adventureworks',
		name: 'Adventure Works',
		customer: CUSTOMERS[2],
		mapped: true,
		devices: [
			['AW-HV01', 'esxi'],
			['AW-WS101', 'desktop'],
		],
	},
	// Not mapped in the native integration: the node must find the company another way (the CI).
	{
		key: 'tailspin',
		name: 'Tailspin Toys (Spokane)',
		customer: CUSTOMERS[3],
		mapped: false,
		devices: [
			['TT-SRV01', 'server'],
			['TT-WS01', 'desktop', 'no-ci'],
		],
	},
	{
		key: 'northwind',
		name: 'Northwind IT - Internal',
		mapped: true,
		devices: [['NW-MON01', 'server']],
	},
];

interface DeviceRecord {
	row: Row;
	site: SiteSpec;
	siteRow: Row;
	ci: boolean;
	kind: string;
}

function deviceType(kind: string): Row {
	switch (kind) {
		case 'server':
			return { category: 'Server', type: 'Rack Mount Chassis' };
		case 'laptop':
			return { category: 'Laptop', type: 'Notebook' };
		case 'printer':
			return { category: 'Printer', type: 'Printer' };
		case 'network':
			return { category: 'Network Device', type: 'Firewall' };
		case 'esxi':
			return { category: 'ESXi Host', type: 'ESXi Host' };
		default:
			return { category: 'Desktop', type: 'Desktop' };
	}
}

function dattoSitesAndDevices(random: SeededRandom): { sites: Row[]; devices: DeviceRecord[] } {
	const sites: Row[] = [];
	const devices: DeviceRecord[] = [];
	let deviceId = 1_448_201;
	SITES.forEach((site, siteIndex) => {
		const id = 412_001 + siteIndex;
		const company = site.customer ?? { autotaskId: MSP.autotaskId, name: MSP.name };
		const online = site.devices.filter(
			(_, i) => !(site.key === 'tailspin' && i === 0) && !(site.key === 'contoso-hq' && i === 5),
		).length;
		const siteRow: Row = {
			id,
			uid: random.uuid(),
			accountUid: DATTO_ACCOUNT_UID,
			name: site.name,
			description: site.customer ? `${site.customer.name} managed site` : 'MSP internal systems',
			notes: null,
			onDemand: false,
			splashtopAutoInstall: true,
			proxySettings: null,
			devicesStatus: {
				numberOfDevices: site.devices.length,
				numberOfOnlineDevices: online,
				numberOfOfflineDevices: site.devices.length - online,
			},
			autotaskCompanyName: site.mapped ? company.name : null,
			autotaskCompanyId: site.mapped ? String(company.autotaskId) : null,
			portalUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/profile/summary/${id}`,
		};
		sites.push(siteRow);
		site.devices.forEach(([hostname, kind, flag], index) => {
			const offline =
				(site.key === 'tailspin' && index === 0) || (site.key === 'contoso-hq' && index === 5);
			const windows =
				kind === 'server'
					? 'Microsoft Windows Server 2022 Standard 21H2'
					: kind === 'esxi'
						? 'VMware ESXi 8.0.2'
						: kind === 'printer' || kind === 'network'
							? null
							: 'Microsoft Windows 11 Pro 23H2';
			const id = deviceId++;
			const row: Row = {
				id,
				uid: random.uuid(),
				siteId: siteRow.id,
				siteUid: siteRow.uid,
				siteName: site.name,
				deviceType: deviceType(kind),
				hostname,
				intIpAddress: `10.${10 + siteIndex}.0.${20 + index}`,
				operatingSystem: windows,
				lastLoggedInUser:
					kind === 'desktop' || kind === 'laptop'
						? `${site.key.split('-')[0].toUpperCase()}\\${random.pick(FIRST_NAMES).toLowerCase()}`
						: null,
				domain: site.customer ? `${site.customer.identifier.toUpperCase()}` : 'NORTHWIND',
				cagVersion: '4.4.2211.2211',
				displayVersion: '4.4.2211',
				extIpAddress: `203.0.113.${10 + siteIndex}`,
				description: kind === 'printer' ? 'HP LaserJet M507 - 2nd floor' : null,
				a64Bit: kind !== 'printer' && kind !== 'network',
				rebootRequired: kind === 'desktop' && index % 3 === 0,
				online: !offline,
				suspended: false,
				deleted: false,
				lastSeen: offline ? daysAgo(0, 95 + index) : daysAgo(0, 1 + index),
				lastReboot: daysAgo(3 + index, 17),
				lastAuditDate: daysAgo(1, 30 + index),
				creationDate: daysAgo(700 - index * 9, 0),
				snmpEnabled: kind === 'printer' || kind === 'network',
				deviceClass:
					kind === 'printer'
						? 'printer'
						: kind === 'network'
							? 'rmmnetworkdevice'
							: kind === 'esxi'
								? 'esxihost'
								: 'device',
				portalUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/search?qs=uid%3A${hostname}`,
				warrantyDate: kind === 'server' ? '2028-03-31' : null,
				antivirus:
					windows && kind !== 'esxi'
						? {
								antivirusProduct: 'Windows Defender',
								antivirusStatus: hostname === 'CONTOSO-WS002' ? 'NotRunning' : 'RunningAndUpToDate',
							}
						: { antivirusProduct: null, antivirusStatus: 'NotDetected' },
				patchManagement:
					windows && kind !== 'esxi'
						? {
								patchStatus: hostname === 'CONTOSO-WS006' ? 'InstallError' : 'FullyPatched',
								patchesApprovedPending: hostname === 'CONTOSO-WS006' ? 2 : 0,
								patchesNotApproved: 0,
								patchesInstalled: 140 + index,
							}
						: {
								patchStatus: 'NoPolicy',
								patchesApprovedPending: 0,
								patchesNotApproved: 0,
								patchesInstalled: 0,
							},
				softwareStatus: 'Compliant',
				webRemoteUrl: `https://${DATTO_PLATFORM}.centrastage.net/csm/remote/rto/${id}`,
				networkProbe: hostname === 'NW-MON01',
				onboardedViaNetworkMonitor: kind === 'network',
				udf: { udf1: site.customer?.identifier ?? 'Northwind', udf2: null },
			};
			devices.push({ row, site, siteRow, ci: flag !== 'no-ci', kind });
		});
	});
	return { sites, devices };
}

function autotaskConfigurationItems(devices: DeviceRecord[]): Row[] {
	let id = 29700101;
	return devices
		.filter((device) => device.ci)
		.map((device) => {
			const company = device.site.customer?.autotaskId ?? MSP.autotaskId;
			const type =
				device.kind === 'server' || device.kind === 'esxi'
					? 2
					: device.kind === 'network'
						? 3
						: device.kind === 'printer'
							? 4
							: 1;
			return {
				id: id++,
				companyID: company,
				configurationItemType: type,
				isActive: true,
				productID: 29682700 + type,
				referenceTitle: device.row.hostname,
				referenceNumber: null,
				serialNumber: `SN${String(device.row.id).slice(-6)}`,
				rmmDeviceUID: device.row.uid,
				rmmDeviceID: device.row.id,
				rmmDeviceAuditHostname: device.row.hostname,
				rmmDeviceAuditIPAddress: device.row.intIpAddress,
				rmmDeviceAuditOperatingSystem: device.row.operatingSystem,
				rmmOpenAlertCount: 0,
				installDate: iso(Number(device.row.creationDate)),
				createDate: iso(Number(device.row.creationDate) + 3_600_000),
				lastModifiedTime: iso(daysAgo(2)),
				userDefinedFields: [],
			};
		});
}

interface AlertSpec {
	ref: string;
	host: string;
	priority: string;
	minutesAgo: number;
	context: Row;
	diagnostics: string;
	alertType: string;
	category: string;
	message: string;
	resolved?: { minutesAgo: number; by: string };
	nativeTicket?: string;
}

const ALERTS: AlertSpec[] = [
	{
		ref: 'disk-fs01',
		host: 'CONTOSO-FS01',
		priority: 'High',
		minutesAgo: 52,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: has 4.2 GB free (less than 5%)',
		diagnostics: 'Volume C: 237.9 GB, free 4.2 GB',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 4.2,
			totalVolume: 237.9,
			unitOfMeasure: 'FREE',
			diskNameDesignation: 'SINGLE_VOLUME',
		},
	},
	{
		ref: 'offline-ws004',
		host: 'CONTOSO-WS004',
		priority: 'Moderate',
		minutesAgo: 95,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device CONTOSO-WS004 is offline',
		diagnostics: 'Agent last seen 95 minutes ago',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
	},
	{
		ref: 'service-sql01',
		host: 'CONTOSO-SQL01',
		priority: 'Critical',
		minutesAgo: 40,
		alertType: 'Service Status Monitor',
		category: 'Service Status',
		message: 'Service MSSQLSERVER is stopped',
		diagnostics: 'SQL Server (MSSQLSERVER) state: STOPPED',
		context: { '@class': 'srvc_status_ctx', serviceName: 'MSSQLSERVER', status: 'STOPPED' },
		resolved: { minutesAgo: 16, by: 'system' },
	},
	{
		ref: 'cpu-fab-srv01',
		host: 'FAB-SRV01',
		priority: 'High',
		minutesAgo: 33,
		alertType: 'CPU Monitor',
		category: 'Performance',
		message: 'CPU usage 97% for 15 minutes',
		diagnostics: 'Top process: sqlservr.exe 81%',
		context: { '@class': 'perf_resource_usage_ctx', percentage: 97, type: 'CPU' },
	},
	{
		ref: 'eventlog-dc01',
		host: 'CONTOSO-DC01',
		priority: 'Moderate',
		minutesAgo: 120,
		alertType: 'Event Log Monitor',
		category: 'Event Log',
		message: 'Event 7031 from Service Control Manager',
		diagnostics: 'The DFS Replication service terminated unexpectedly. It has done this 2 time(s).',
		context: {
			'@class': 'eventlog_ctx',
			logName: 'System',
			type: 'Error',
			code: '7031',
			source: 'Service Control Manager',
			description: 'The DFS Replication service terminated unexpectedly.',
		},
	},
	{
		ref: 'script-aw-hv01',
		host: 'AW-HV01',
		priority: 'High',
		minutesAgo: 200,
		alertType: 'Component Monitor',
		category: 'Custom',
		message: 'Backup job check: 2 VMs failed',
		diagnostics: '<-Start Result->\nRESULT=2 VMs failed (AW-APP02, AW-WEB01)\n<-End Result->',
		context: {
			'@class': 'comp_script_ctx',
			samples: { RESULT: '2 VMs failed (AW-APP02, AW-WEB01)' },
		},
	},
	{
		ref: 'av-ws002',
		host: 'CONTOSO-WS002',
		priority: 'Moderate',
		minutesAgo: 300,
		alertType: 'Antivirus Monitor',
		category: 'Antivirus',
		message: 'Windows Defender is not running',
		diagnostics: 'Real-time protection disabled',
		context: { '@class': 'antivirus_ctx', productName: 'Windows Defender', status: 'NOTRUNNING' },
	},
	{
		ref: 'patch-ws006',
		host: 'CONTOSO-WS006',
		priority: 'Low',
		minutesAgo: 600,
		alertType: 'Patch Monitor',
		category: 'Patch',
		message: 'KB5031356 failed to install (0x80070643)',
		diagnostics: '2 approved patches pending',
		context: {
			'@class': 'patch_ctx',
			result: 'Failed',
			info: 'KB5031356 failed to install (0x80070643)',
		},
	},
	{
		ref: 'offline-tt-srv01',
		host: 'TT-SRV01',
		priority: 'Critical',
		minutesAgo: 18,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device TT-SRV01 is offline',
		diagnostics: 'Agent last seen 18 minutes ago',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
	},
	{
		ref: 'disk-fab-lt022',
		host: 'FAB-LT022',
		priority: 'Moderate',
		minutesAgo: 2900,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: is 93% full',
		diagnostics: 'Volume C: 475.8 GB, used 93%',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 7,
			totalVolume: 475.8,
			unitOfMeasure: 'PERCENT',
			diskNameDesignation: 'ANY_VOLUME',
		},
		nativeTicket: 'T20261030.0012',
	},
	{
		ref: 'snmp-fw01',
		host: 'CONTOSO-FW01',
		priority: 'Information',
		minutesAgo: 75,
		alertType: 'SNMP Monitor',
		category: 'SNMP',
		message: 'WAN throughput above 95%',
		diagnostics: 'ifHCInOctets rate 98% of 1 Gbit/s',
		context: { '@class': 'custom_snmp_ctx', displayName: 'WAN throughput', currentValue: '98' },
	},
	{
		ref: 'process-aw-ws101',
		host: 'AW-WS101',
		priority: 'Low',
		minutesAgo: 400,
		alertType: 'Process Monitor',
		category: 'Process',
		message: 'Process backupagent.exe is not running',
		diagnostics: 'backupagent.exe: STOPPED',
		context: { '@class': 'process_status_ctx', processName: 'backupagent.exe', status: 'STOPPED' },
	},
	// History: resolved alerts.
	{
		ref: 'offline-ws001',
		host: 'CONTOSO-WS001',
		priority: 'Moderate',
		minutesAgo: 4000,
		alertType: 'Online Status Monitor',
		category: 'Online Status',
		message: 'Device CONTOSO-WS001 is offline',
		diagnostics: 'Agent offline',
		context: { '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
		resolved: { minutesAgo: 3940, by: 'system' },
	},
	{
		ref: 'memory-sql01',
		host: 'CONTOSO-SQL01',
		priority: 'High',
		minutesAgo: 9000,
		alertType: 'Memory Monitor',
		category: 'Performance',
		message: 'Memory usage 95% for 30 minutes',
		diagnostics: 'sqlservr.exe 21.4 GB',
		context: { '@class': 'perf_resource_usage_ctx', percentage: 95, type: 'MEMORY' },
		resolved: { minutesAgo: 8800, by: 'marcus.lee' },
	},
	{
		ref: 'spooler-pos02',
		host: 'RETAIL-POS02',
		priority: 'Low',
		minutesAgo: 12000,
		alertType: 'Service Status Monitor',
		category: 'Service Status',
		message: 'Service Spooler is stopped',
		diagnostics: 'Print Spooler state: STOPPED',
		context: { '@class': 'srvc_status_ctx', serviceName: 'Spooler', status: 'STOPPED' },
		resolved: { minutesAgo: 11990, by: 'system' },
	},
	{
		ref: 'eventlog-fab-srv01',
		host: 'FAB-SRV01',
		priority: 'Moderate',
		minutesAgo: 20000,
		alertType: 'Event Log Monitor',
		category: 'Event Log',
		message: 'Event 2013 from srv',
		diagnostics: 'The D: disk is at or near capacity.',
		context: {
			'@class': 'eventlog_ctx',
			logName: 'System',
			type: 'Warning',
			code: '2013',
			source: 'srv',
			description: 'The D: disk is at or near capacity.',
		},
		resolved: { minutesAgo: 19000, by: 'priya.raman' },
	},
	// The same disk filling up again while its first alert's ticket is open: a repeat (a note, not a ticket).
	{
		ref: 'disk-fs01-repeat',
		host: 'CONTOSO-FS01',
		priority: 'High',
		minutesAgo: 30,
		alertType: 'Disk Usage Monitor',
		category: 'Disk Usage',
		message: 'Disk C: has 3.1 GB free (less than 5%)',
		diagnostics: 'Volume C: 237.9 GB, free 3.1 GB',
		context: {
			'@class': 'perf_disk_usage_ctx',
			diskName: 'C:',
			freeSpace: 3.1,
			totalVolume: 237.9,
			unitOfMeasure: 'FREE',
			diskNameDesignation: 'SINGLE_VOLUME',
		},
	},
];

/**
 * Webhook deliveries, in order: repeats, raised/resolved pairs, a resolve that overtakes its raise.
 * alerts.json is the account when the first body is delivered: alerts resolved later in the
 * sequence are still open there; the one whose resolve overtakes its raise is already resolved
 * (both happened before delivery began), so its late "raised" finds it resolved.
 */
const WEBHOOK_SEQUENCE: Array<['raised' | 'resolved', string]> = [
	['raised', 'disk-fs01'],
	['raised', 'offline-ws004'],
	['raised', 'disk-fs01'],
	['raised', 'disk-fs01-repeat'],
	['resolved', 'offline-ws004'],
	['resolved', 'service-sql01'],
	['raised', 'service-sql01'],
	['raised', 'cpu-fab-srv01'],
	['raised', 'eventlog-dc01'],
	['raised', 'offline-tt-srv01'],
	['raised', 'disk-fab-lt022'],
	['raised', 'script-aw-hv01'],
	['resolved', 'disk-fs01-repeat'],
	['resolved', 'disk-fs01'],
	['raised', 'snmp-fw01'],
];

function dattoAlerts(
	devices: DeviceRecord[],
	random: SeededRandom,
): { alerts: Row[]; byKey: Map<string, Row>; hosts: Map<string, DeviceRecord> } {
	const hosts = new Map(devices.map((device) => [String(device.row.hostname), device]));
	const byKey = new Map<string, Row>();
	const alerts = ALERTS.map((spec) => {
		const device = hosts.get(spec.host);
		if (!device) throw new Error(`seed: no device ${spec.host}`);
		const raised = daysAgo(0, spec.minutesAgo);
		const actions: Row[] = [
			{
				actionTime: raised + 4_000,
				actionType: 'EMAIL_SENT',
				description: `Email sent to alerts@${MSP.domain}`,
				actionReference: null,
				actionReferenceInt: null,
			},
		];
		if (WEBHOOK_SEQUENCE.some(([, ref]) => ref === spec.ref)) {
			actions.push({
				actionTime: raised + 6_000,
				actionType: 'WEBHOOK_EXECUTED',
				description: 'Webhook sent to n8n',
				actionReference: null,
				actionReferenceInt: null,
			});
		}
		if (spec.nativeTicket) {
			actions.push({
				actionTime: raised + 9_000,
				actionType: 'TICKET_CREATED',
				description: `Autotask ticket ${spec.nativeTicket} created`,
				actionReference: spec.nativeTicket,
				actionReferenceInt: '128901',
			});
		}
		const alert: Row = {
			alertUid: random.uuid(),
			priority: spec.priority,
			diagnostics: spec.diagnostics,
			resolved: Boolean(spec.resolved),
			resolvedBy: spec.resolved?.by ?? null,
			resolvedOn: spec.resolved ? daysAgo(0, spec.resolved.minutesAgo) : null,
			muted: false,
			ticketNumber: spec.nativeTicket ?? null,
			timestamp: raised,
			alertMonitorInfo: { sendsEmails: true, createsTicket: Boolean(spec.nativeTicket) },
			alertContext: spec.context,
			alertSourceInfo: {
				deviceUid: device.row.uid,
				deviceName: spec.host,
				siteUid: device.siteRow.uid,
				siteName: device.siteRow.name,
			},
			responseActions: actions,
			autoresolveMins: spec.context['@class'] === 'online_offline_status_ctx' ? 60 : null,
		};
		byKey.set(spec.ref, alert);
		return alert;
	});
	return { alerts, byKey, hosts };
}

function dattoWebhooks(byKey: Map<string, Row>, hosts: Map<string, DeviceRecord>): Row[] {
	return WEBHOOK_SEQUENCE.map(([event, ref], index) => {
		const spec = ALERTS.find((a) => a.ref === ref)!;
		const alert = byKey.get(ref)!;
		const device = hosts.get(spec.host)!;
		const at =
			event === 'raised'
				? Number(alert.timestamp)
				: spec.resolved
					? daysAgo(0, spec.resolved.minutesAgo)
					: daysAgo(0, Math.max(1, spec.minutesAgo - 20 - index));
		return {
			event,
			alertUid: alert.alertUid,
			priority: spec.priority,
			alertType: spec.alertType,
			category: spec.category,
			message: spec.message,
			deviceUid: device.row.uid,
			hostname: spec.host,
			siteUid: device.siteRow.uid,
			siteName: device.siteRow.name,
			platform: DATTO_PLATFORM,
			timestamp: iso(at),
		};
	});
}

function autotaskTickets(
	byKey: Map<string, Row>,
	hosts: Map<string, DeviceRecord>,
	cis: Row[],
): { tickets: Row[]; notes: Row[]; timeEntries: Row[] } {
	const ciFor = (host: string) => cis.find((ci) => ci.referenceTitle === host)?.id ?? null;
	const r = AUTOTASK_IDS.resources;
	const base = (id: number, ticketNumber: string, extra: Row): Row => ({
		id,
		ticketNumber,
		description: null,
		resolution: null,
		externalID: null,
		rmmAlertID: null,
		configurationItemID: null,
		contactID: null,
		assignedResourceID: null,
		assignedResourceRoleID: null,
		completedDate: null,
		completedByResourceID: null,
		dueDateTime: iso(daysAgo(-2)),
		estimatedHours: null,
		monitorID: null,
		monitorTypeID: null,
		ticketCategory: 3,
		ticketType: 1,
		source: 2,
		billingCodeID: 29682801,
		creatorResourceID: r.dispatcher,
		creatorType: 1,
		impersonatorCreatorResourceID: null,
		lastActivityDate: iso(daysAgo(1)),
		userDefinedFields: [],
		...extra,
	});
	const native = byKey.get('disk-fab-lt022')!;
	const tickets: Row[] = [
		// Created by the native Datto RMM integration for an alert: the node must not make a second one.
		base(128901, 'T20261030.0012', {
			companyID: CUSTOMERS[1].autotaskId,
			title: 'Disk Usage Monitor: Disk C: is 93% full on FAB-LT022',
			description: String(native.diagnostics),
			status: 1,
			priority: 2,
			queueID: 29683481,
			issueType: 4,
			subIssueType: 10,
			ticketType: 5,
			source: 6,
			ticketCategory: 2,
			rmmAlertID: native.alertUid,
			configurationItemID: ciFor('FAB-LT022'),
			createDate: iso(Number(native.timestamp) + 9_000),
			creatorResourceID: r.apiUser,
			billingCodeID: 29682803,
		}),
		base(128870, 'T20261027.0031', {
			companyID: CONTOSO.autotaskId,
			title: 'New starter: laptop setup for Retail',
			status: 8,
			priority: 2,
			queueID: 29683482,
			issueType: 1,
			subIssueType: 41,
			assignedResourceID: r.techs[1],
			assignedResourceRoleID: 29683461,
			createDate: iso(daysAgo(6, 30)),
		}),
		base(128855, 'T20261022.0007', {
			companyID: CONTOSO.autotaskId,
			title: 'Printer on 2nd floor jams',
			status: 5,
			priority: 3,
			queueID: 29683482,
			issueType: 1,
			subIssueType: 40,
			configurationItemID: ciFor('CONTOSO-PRN01'),
			completedDate: iso(daysAgo(9)),
			completedByResourceID: r.techs[0],
			resolution: 'Replaced pickup roller.',
			createDate: iso(daysAgo(11, 200)),
			source: 13,
		}),
		base(128890, 'T20261029.0004', {
			companyID: CUSTOMERS[2].autotaskId,
			title: 'VPN drops for remote staff',
			status: 7,
			priority: 1,
			queueID: 29683483,
			issueType: 3,
			subIssueType: 30,
			assignedResourceID: r.techs[0],
			assignedResourceRoleID: 29683461,
			createDate: iso(daysAgo(4, 10)),
		}),
	];
	const notes: Row[] = [
		{
			id: 31001,
			ticketID: 128901,
			title: 'Alert details',
			description: `Alert raised by Datto RMM on FAB-LT022.\n${String(native.diagnostics)}`,
			noteType: 1,
			publish: 1,
			createDateTime: iso(Number(native.timestamp) + 10_000),
			creatorResourceID: r.apiUser,
			createdByContactID: null,
			impersonatorCreatorResourceID: null,
			impersonatorUpdaterResourceID: null,
			lastActivityDate: iso(Number(native.timestamp) + 10_000),
		},
		{
			id: 31002,
			ticketID: 128870,
			title: 'Imaging',
			description: 'Laptop imaged; waiting for user to collect it.',
			noteType: 3,
			publish: 1,
			createDateTime: iso(daysAgo(5)),
			creatorResourceID: r.techs[1],
			createdByContactID: null,
			impersonatorCreatorResourceID: null,
			impersonatorUpdaterResourceID: null,
			lastActivityDate: iso(daysAgo(5)),
		},
		{
			id: 31003,
			ticketID: 128855,
			title: 'Resolution',
			description: 'Replaced the pickup roller; test pages OK.',
			noteType: 1,
			publish: 1,
			createDateTime: iso(daysAgo(9)),
			creatorResourceID: r.techs[0],
			createdByContactID: null,
			impersonatorCreatorResourceID: null,
			impersonatorUpdaterResourceID: null,
			lastActivityDate: iso(daysAgo(9)),
		},
	];
	const timeEntries: Row[] = [
		{
			id: 41001,
			ticketID: 128870,
			taskID: null,
			resourceID: r.techs[1],
			roleID: 29683461,
			billingCodeID: 29682801,
			dateWorked: iso(daysAgo(5, 0)).slice(0, 10) + 'T00:00:00.000Z',
			startDateTime: iso(daysAgo(5, 120)),
			endDateTime: iso(daysAgo(5, 30)),
			hoursWorked: 1.5,
			hoursToBill: 1.5,
			isNonBillable: false,
			summaryNotes: 'Imaged laptop',
			internalNotes: null,
			createDateTime: iso(daysAgo(5, 25)),
			creatorUserID: r.techs[1],
			impersonatorCreatorResourceID: null,
		},
		{
			id: 41002,
			ticketID: 128855,
			taskID: null,
			resourceID: r.techs[0],
			roleID: 29683461,
			billingCodeID: 29682802,
			dateWorked: iso(daysAgo(9, 0)).slice(0, 10) + 'T00:00:00.000Z',
			startDateTime: iso(daysAgo(9, 180)),
			endDateTime: iso(daysAgo(9, 120)),
			hoursWorked: 1,
			hoursToBill: 1,
			isNonBillable: false,
			summaryNotes: 'Onsite printer repair',
			internalNotes: null,
			createDateTime: iso(daysAgo(9, 110)),
			creatorUserID: r.techs[0],
			impersonatorCreatorResourceID: null,
		},
	];
	void hosts;
	return { tickets, notes, timeEntries };
}

// ------------------------------------------------------------------------------------------
// Assembly

export interface GeneratedSeed {
	seed: Seed;
	scenario: Scenario;
}

/** The default seed's scenario.json: Contoso in both PSAs, both its domains. */
function contosoScenario(): Scenario {
	return {
		contactSync: {
			autotaskCompanyId: CONTOSO.autotaskId,
			connectwiseCompanyId: CONTOSO.connectwiseId,
			domains: [...CONTOSO_DOMAINS],
			updateExisting: true,
			mode: 'changes',
		},
	};
}

/** Puts rows into whichever seed files the seed layout knows (timeEntries only if listed). */
function setRows(seed: Seed, vendor: keyof Seed, file: string, rows: Row[]): void {
	const files = SEED_FILES[vendor] as readonly string[];
	if (!files.includes(file)) return;
	(seed[vendor] as Record<string, unknown[]>)[file] = rows;
}

export function generateDefaultSeed(randomSeed = 20261123): GeneratedSeed {
	const seed = emptySeed();
	const tenant = buildTenant(new SeededRandom(randomSeed));
	const userRandom = new SeededRandom(randomSeed + 1);
	setRows(
		seed,
		'graph',
		'users',
		tenant.map((person) => graphUser(person, userRandom)),
	);

	const others = otherCustomerContacts(new SeededRandom(randomSeed + 2));
	const autotaskPeople = [
		...contosoPsaContacts(tenant, new SeededRandom(randomSeed + 3), 'autotask'),
		...others,
	];
	const connectwisePeople = [
		...contosoPsaContacts(tenant, new SeededRandom(randomSeed + 4), 'connectwise'),
		...others,
	];

	const datto = dattoSitesAndDevices(new SeededRandom(randomSeed + 5));
	const alerts = dattoAlerts(datto.devices, new SeededRandom(randomSeed + 6));
	const cis = autotaskConfigurationItems(datto.devices);
	const ticketing = autotaskTickets(alerts.byKey, alerts.hosts, cis);

	setRows(seed, 'autotask', 'companies', autotaskCompanies());
	setRows(seed, 'autotask', 'contacts', autotaskContacts(autotaskPeople, 30682901));
	setRows(seed, 'autotask', 'resources', autotaskResources());
	setRows(seed, 'autotask', 'tickets', ticketing.tickets);
	setRows(seed, 'autotask', 'ticketNotes', ticketing.notes);
	setRows(seed, 'autotask', 'configurationItems', cis);
	setRows(seed, 'autotask', 'timeEntries', ticketing.timeEntries);
	setRows(seed, 'autotask', 'picklists', autotaskPicklists());

	setRows(seed, 'connectwise', 'companies', connectwiseCompanies());
	setRows(
		seed,
		'connectwise',
		'contacts',
		connectwiseContacts(connectwisePeople, 1201, new SeededRandom(randomSeed + 7)),
	);
	setRows(seed, 'connectwise', 'communicationTypes', connectwiseCommunicationTypes());

	setRows(seed, 'datto', 'sites', datto.sites);
	setRows(
		seed,
		'datto',
		'devices',
		datto.devices.map((device) => device.row),
	);
	setRows(seed, 'datto', 'alerts', alerts.alerts);
	setRows(seed, 'datto', 'webhooks', dattoWebhooks(alerts.byKey, alerts.hosts));
	return { seed, scenario: contosoScenario() };
}

// ------------------------------------------------------------------------------------------
// Large synthetic seeds (benchmark, reliability suite)

export interface LargeSeedOptions {
	/** Microsoft 365 users (all enabled, licensed members of contoso.com). Default 5,000. */
	users?: number;
	/** PSA contacts per PSA, matching the first users one to one; beyond `users` they are PSA-only. Default = users. */
	contacts?: number;
	/** Share of matching contacts whose title differs from M365 (0..1). Default 0.01. */
	changeRate?: number;
	randomSeed?: number;
}

export interface LargeSeed extends GeneratedSeed {
	/** What a "changes" sync of contoso.com must find, per PSA. */
	expected: {
		unchanged: number;
		update: number;
		create: number;
		psaOnly: number;
		changedEmails: string[];
	};
}

export function generateLargeSeed(options: LargeSeedOptions = {}): LargeSeed {
	const users = options.users ?? 5000;
	const contacts = options.contacts ?? users;
	const changeRate = options.changeRate ?? 0.01;
	const random = new SeededRandom(options.randomSeed ?? 5000);
	const seed = emptySeed();
	const matched = Math.min(users, contacts);
	const changes = Math.round(matched * changeRate);
	// Spread the changed contacts evenly so every page of a listing has some.
	const changed = new Set<number>();
	for (let k = 0; k < changes; k++) changed.add(Math.floor(((k + 0.5) * matched) / changes));

	const people: Array<{
		id: string;
		given: string;
		surname: string;
		mail: string;
		title: string;
		phone: string;
		mobile: string | null;
	}> = [];
	for (let i = 0; i < Math.max(users, contacts); i++) {
		const given = FIRST_NAMES[i % FIRST_NAMES.length];
		const surname = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length];
		people.push({
			id: random.uuid(),
			given,
			surname,
			mail: `${given}.${surname}.${String(i + 1).padStart(5, '0')}@${CONTOSO.domain}`.toLowerCase(),
			title: TITLES[i % TITLES.length],
			phone: formatPhone(String(200 + (Math.floor(i / 10000) % 700)), i % 10000),
			mobile: i % 3 === 0 ? formatPhone('206', i % 10000) : null,
		});
	}
	setRows(
		seed,
		'graph',
		'users',
		people.slice(0, users).map((p) => ({
			id: p.id,
			displayName: `${p.given} ${p.surname}`,
			givenName: p.given,
			surname: p.surname,
			jobTitle: p.title,
			mail: p.mail,
			userPrincipalName: p.mail,
			businessPhones: [p.phone],
			mobilePhone: p.mobile,
			accountEnabled: true,
			assignedLicenses: [{ disabledPlans: [], skuId: SKU.e3 }],
			userType: 'Member',
			proxyAddresses: [`SMTP:${p.mail}`],
			companyName: CONTOSO.name,
			department: DEPARTMENTS[p.mail.length % DEPARTMENTS.length],
			officeLocation: 'Redmond HQ',
			otherMails: [],
		})),
	);
	const psa: PsaContact[] = people.slice(0, contacts).map((p, i) => ({
		firstName: p.given,
		lastName: p.surname,
		title: changed.has(i) ? `${p.title} (old)` : p.title,
		email: p.mail,
		email2: null,
		phone: p.phone,
		mobile: p.mobile,
		active: true,
		companyKey: 'contoso',
		drift: i < users ? (changed.has(i) ? 'oldTitle' : 'same') : 'psaOnly',
		createdDaysAgo: 100 + (i % 500),
	}));
	setRows(seed, 'autotask', 'companies', autotaskCompanies());
	setRows(seed, 'autotask', 'resources', autotaskResources());
	setRows(seed, 'autotask', 'picklists', autotaskPicklists());
	setRows(seed, 'autotask', 'contacts', autotaskContacts(psa, 31000001));
	setRows(seed, 'connectwise', 'companies', connectwiseCompanies());
	setRows(seed, 'connectwise', 'communicationTypes', connectwiseCommunicationTypes());
	setRows(
		seed,
		'connectwise',
		'contacts',
		connectwiseContacts(psa, 100001, new SeededRandom(1)).map(stripRandomExtras(psa)),
	);
	return {
		seed,
		scenario: { contactSync: { ...contosoScenario().contactSync, domains: [CONTOSO.domain] } },
		expected: {
			unchanged: matched - changes,
			update: changes,
			create: Math.max(0, users - contacts),
			psaOnly: Math.max(0, contacts - users),
			changedEmails: [...changed].sort((a, b) => a - b).map((i) => people[i].mail),
		},
	};
}

/** Large seeds use plain "Email"/"Direct"/"Cell" items and no fax, so counts stay predictable. */
function stripRandomExtras(psa: PsaContact[]): (row: Row, index: number) => Row {
	return (row, index) => {
		const contact = psa[index];
		let itemId = 500_000 + index * 4;
		const items: Row[] = [];
		if (contact.email)
			items.push({
				id: itemId++,
				type: CW_TYPES.email,
				value: contact.email,
				defaultFlag: true,
				communicationType: 'Email',
				domain: `@${contact.email.split('@')[1]}`,
			});
		if (contact.phone)
			items.push({
				id: itemId++,
				type: CW_TYPES.direct,
				value: contact.phone,
				defaultFlag: true,
				communicationType: 'Phone',
			});
		if (contact.mobile)
			items.push({
				id: itemId++,
				type: CW_TYPES.cell,
				value: contact.mobile,
				defaultFlag: false,
				communicationType: 'Phone',
			});
		return {
			...row,
			communicationItems: items,
			defaultPhoneType: 'Direct',
			defaultPhoneNbr: String(contact.phone).replace(/\D+/g, ''),
		};
	};
}

// ------------------------------------------------------------------------------------------
// Writing

/** Writes a generated seed (every file of the layout, plus scenario.json) to a folder. */
export function writeGeneratedSeed(directory: string, generated: GeneratedSeed): void {
	writeSeed(directory, generated.seed);
	writeScenario(directory, generated.scenario);
}

if (require.main === module) {
	const outIndex = process.argv.indexOf('--out');
	const directory = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : DEFAULT_SEED_DIR;
	writeGeneratedSeed(directory, generateDefaultSeed());
	process.stdout.write(`Seed written to ${directory}\n`);
}
