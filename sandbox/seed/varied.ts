/**
 * Varied seeds: one small customer tenant and its PSA companies, written the way real tenants
 * look rather than the way the default seed does. Each number gives another customer: its size
 * (3 to 1,001 people, page boundaries of 500, 999 and 1,000 included), its domains, the spelling
 * of its names (non-ASCII, apostrophes, hyphens), its phone formats, its ConnectWise
 * communication types (the standard Email / Direct / Fax / Mobile, or renamed ones), which of its
 * people are leavers, rehires, drifted or half-filled contacts, contacts a person added outside
 * the synced domains, and another customer holding contacts with the same addresses.
 *
 * Nothing here is taken from the default seed: the tests use these seeds to check that no rule
 * of the package holds only on the data written alongside it.
 */
import type { Seed } from '../core/seed';
import { emptySeed } from '../core/seed';
import type { Scenario } from '../scenario';
import type { GeneratedSeed, Row } from './layout';
import { SeededRandom, daysAgo, iso } from './random';

/** What a generated seed may contain beyond ordinary customer data. */
export interface VariedSeedOptions {
	/**
	 * Job titles and surnames longer than the PSAs allow (Autotask's title is 50 by default,
	 * ConnectWise's names 30 and title 100), and an Autotask tenant whose title length differs from
	 * the default (its field metadata says which).
	 */
	overLongValues?: boolean;
	/** Leavers beyond the deactivation guard's default share (a small customer's routine leavers). */
	manyLeavers?: boolean;
	/** Active users whose address in a synced domain is only an alias (smtp: proxy address). */
	aliases?: boolean;
}

/** The customer the seed is about, in both PSAs, and one other customer beside it. */
export const VARIED_COMPANY = { autotask: 30_100_001, connectwise: 4101 };
export const OTHER_COMPANY = { autotask: 30_100_002, connectwise: 4102 };

const SIZES = [3, 4, 5, 7, 9, 12, 15, 18, 24, 31, 40, 55, 80, 120, 260];
/** Page boundaries: Autotask pages 500 records, Graph 999 users, ConnectWise 1,000 contacts. */
const BOUNDARY_SIZES = [1000, 500, 1001, 999, 501, 499];

const GIVEN = [
	'Amelia',
	'Noah',
	'Olivia',
	'Liam',
	'Sophie',
	'Lucas',
	'Mia',
	'Ethan',
	'Chloé',
	'José',
	'Zoë',
	'Łukasz',
	'Søren',
	'Ananya',
	'Wei',
	'Aoife',
	'Siobhán',
	'Björn',
	'Renée',
	'Mohammed',
	'Fatima',
	'Kwame',
	'Priya',
	'Hiroshi',
	'Ngozi',
	'Mateo',
	'Ingrid',
	'Dmitri',
	'Anne-Marie',
	'Jean-Luc',
	'Grace',
	'Oscar',
	'Ruby',
	'Harvey',
	'Elif',
	'Tomás',
	'Nikolaj',
	'Yasmin',
];
const FAMILY = [
	'Smith',
	"O'Brien",
	'Müller',
	'García',
	'Nguyen',
	'Kowalski',
	'Andersson',
	'Van der Berg',
	'MacDonald',
	'Okafor',
	'Rossi',
	'Dubois',
	'Ibrahim',
	'Chen',
	'Patel',
	'Fitzgerald',
	'Smith-Jones',
	'Ó Súilleabháin',
	'Håkansson',
	'Schäfer',
	'Novák',
	'Takahashi',
	'Brennan',
	'Walsh',
	'Hughes',
	'Lindqvist',
	'de la Cruz',
	'Papadopoulos',
	'Mbeki',
	'Johansson',
];
const TITLES = [
	'Accountant',
	'Office Manager',
	'Sales Executive',
	'Director',
	'Paralegal',
	'Nurse',
	'Site Foreman',
	'Receptionist',
	'Solicitor',
	'Practice Manager',
	'Engineer',
	'Designer',
	'Head of Operations',
	'Bookkeeper',
	'Warehouse Lead',
	'Senior Associate',
];
const LONG_TITLES = [
	'Senior Vice President, Strategic Partnerships and Business Development (EMEA)',
	'Head of Regulatory Compliance, Data Protection and Information Governance',
	'Assistant to the Regional Director of Facilities, Estates and Capital Projects',
];
/** Surnames past ConnectWise's 30 characters (one with no space to cut at). */
const LONG_FAMILY = [
	'Hernández de la Vega y Montoya-Ruiz',
	'Wolfeschlegelsteinhausenbergerdorff',
	'Featherstonehaugh-Cholmondeley Smythe',
];
/** Longer than every PSA allows (ConnectWise's title is 100). */
const VERY_LONG_TITLE =
	'Group Head of Clinical Governance, Patient Safety, Quality Improvement and Regulatory Affairs (North)';
/** An Autotask tenant's title length: the default, or one a tenant changed. */
const AUTOTASK_TITLE_LENGTHS = [50, 50, 64, 75];
const WORDS = ['harbour', 'alder', 'kestrel', 'northgate', 'bluefin', 'meridian', 'oakridge'];
const TLDS = ['com', 'co.uk', 'de', 'com.au', 'net', 'nl', 'ie'];

const PHONE_STYLES: Array<(r: SeededRandom) => string> = [
	(r) => `+1 ${r.int(201, 989)} 555 ${String(r.int(100, 9999)).padStart(4, '0')}`,
	(r) => `(${r.int(201, 989)}) 555-${String(r.int(100, 9999)).padStart(4, '0')}`,
	(r) => `+44 20 7946 ${String(r.int(0, 9999)).padStart(4, '0')}`,
	(r) => `+49 30 ${r.int(1000000, 9999999)}`,
	(r) => `0${r.int(2, 9)} ${r.int(1000, 9999)} ${r.int(1000, 9999)}`,
];

/** Letters an address's local part can hold: accents folded, the rest dropped. */
function asciiLocal(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/g, 'l')
		.replace(/ø/g, 'o')
		.replace(/å/g, 'a')
		.replace(/[^a-z0-9'-]/gi, '')
		.toLowerCase();
}

interface Person {
	id: string;
	given: string;
	family: string;
	mail: string;
	title: string | null;
	phone: string | null;
	mobile: string | null;
	enabled: boolean;
	licensed: boolean;
	alias?: string;
}

interface PsaPerson {
	first: string;
	last: string;
	email: string;
	title: string | null;
	phone: string | null;
	mobile: string | null;
	active: boolean;
	company: 'customer' | 'other';
}

/** The ConnectWise communication types of the seed's tenant: standard or renamed. */
function communicationTypes(random: SeededRandom): Row[] {
	const renamed = random.chance(0.5);
	const outlook = random.chance(0.5);
	const type = (
		id: number,
		description: string,
		flags: { email?: boolean; phone?: boolean; fax?: boolean; default?: boolean },
		xref: string,
	): Row => ({
		id,
		description,
		emailFlag: flags.email ?? false,
		phoneFlag: flags.phone ?? false,
		faxFlag: flags.fax ?? false,
		defaultFlag: flags.default ?? false,
		exchangeXref: xref,
		iphoneXref: xref,
		androidXref: xref,
		googleXref: xref,
	});
	// Ids differ per tenant: nothing may rely on them.
	const base = random.int(1, 40);
	return random.shuffle([
		type(
			base,
			renamed ? 'Business Email' : 'Email',
			{ email: true, default: true },
			outlook ? 'Email1Address' : 'Email1',
		),
		type(
			base + 1,
			renamed ? 'Office Phone' : 'Direct',
			{ phone: true, default: true },
			outlook ? 'BusinessTelephoneNumber' : 'BusinessPhone',
		),
		type(base + 2, 'Fax', { fax: true }, outlook ? 'BusinessFaxNumber' : 'BusinessFax'),
		type(
			base + 3,
			renamed ? 'Cell' : 'Mobile',
			{ phone: true },
			outlook ? 'MobileTelephoneNumber' : 'MobilePhone',
		),
		type(base + 4, 'Home', { phone: true }, outlook ? 'HomeTelephoneNumber' : 'HomePhone'),
		type(base + 5, 'Personal Email', { email: true }, outlook ? 'Email2Address' : 'Email2'),
	]);
}

/**
 * Seed number `n` of the varied family. The same number always gives the same seed; sizes cycle
 * through small customers, with every tenth seed (9, 19, ...) at a page boundary.
 */
export function generateVariedSeed(n: number, options: VariedSeedOptions = {}): GeneratedSeed {
	const random = new SeededRandom(0x5eed0000 + n * 7919);
	const size =
		n % 10 === 9
			? BOUNDARY_SIZES[Math.floor(n / 10) % BOUNDARY_SIZES.length]
			: SIZES[n % SIZES.length];
	const domainCount = random.chance(0.3) ? 2 : 1;
	const domains = Array.from(
		{ length: domainCount },
		(_, i) => `${random.pick(WORDS)}${n}${i ? 'group' : ''}.${random.pick(TLDS)}`,
	);
	const otherDomain = `${random.pick(WORDS)}-partners${n}.${random.pick(TLDS)}`;

	// The tenant's people.
	const people: Person[] = [];
	const used = new Set<string>();
	const leaverShare = options.manyLeavers ? 0.25 : 0.12;
	const maxLeavers = options.manyLeavers
		? Math.max(2, Math.ceil(size * leaverShare))
		: Math.floor(size * 0.15);
	let leavers = 0;
	for (let i = 0; i < size; i++) {
		const given = random.pick(GIVEN);
		const family = random.pick(FAMILY);
		const style = random.int(0, 2);
		let local =
			style === 0
				? `${asciiLocal(given)}.${asciiLocal(family)}`
				: style === 1
					? `${asciiLocal(given)[0]}.${asciiLocal(family)}`
					: `${asciiLocal(given)}.${asciiLocal(family)[0]}`;
		for (let k = 2; used.has(local); k++) local = `${local.replace(/\d+$/, '')}${k}`;
		used.add(local);
		const leaver = leavers < maxLeavers && random.chance(leaverShare);
		if (leaver) leavers++;
		const longTitle = options.overLongValues && (i === 0 || random.chance(0.1));
		const longName = options.overLongValues && (i === 1 || random.chance(0.05));
		people.push({
			id: random.uuid(),
			given,
			family: longName ? random.pick(LONG_FAMILY) : family,
			mail: `${local}@${random.pick(domains)}`,
			title: longTitle
				? random.pick([...LONG_TITLES, VERY_LONG_TITLE])
				: random.chance(0.8)
					? random.pick(TITLES)
					: null,
			phone: random.chance(0.7) ? random.pick(PHONE_STYLES)(random) : null,
			mobile: random.chance(0.5) ? random.pick(PHONE_STYLES)(random) : null,
			enabled: !leaver,
			licensed: !leaver || random.chance(0.5),
		});
	}
	if (options.aliases) {
		// Primary address in another domain, the synced domain's address kept as an alias.
		for (const person of people.filter((p) => p.enabled).slice(0, 2)) {
			person.alias = person.mail;
			person.mail = `${person.mail.split('@')[0]}@${otherDomain}`;
		}
	}

	// What the PSAs hold: most people already, some drifted, half-filled or inactive.
	const psa: PsaPerson[] = [];
	for (const person of people) {
		const roll = random.next();
		if (roll < 0.3) continue; // a joiner: not in the PSA yet
		const contact: PsaPerson = {
			first: person.given,
			last: person.family,
			email: person.alias ?? person.mail,
			title: person.title,
			phone: person.phone,
			mobile: person.mobile,
			active: true,
			company: 'customer',
		};
		// An over-long value was typed short in the PSA by hand (what a PSA would accept).
		if (contact.last.length > 30) contact.last = contact.last.split(/[\s-]/)[0].slice(0, 30);
		if (contact.title && contact.title.length > 40) contact.title = random.pick(TITLES);
		// Someone typed the name without its accents, or the PSA lacks a value Microsoft 365 has.
		if (random.chance(0.15))
			contact.first = asciiLocal(person.given).replace(/^./, (c) => c.toUpperCase());
		if (random.chance(0.15)) contact.title = null;
		// The PSA has a value Microsoft 365 lacks: it must survive.
		if (!person.mobile && random.chance(0.3)) contact.mobile = random.pick(PHONE_STYLES)(random);
		if (!person.title && random.chance(0.3)) contact.title = random.pick(TITLES);
		if (random.chance(0.1)) contact.phone = random.pick(PHONE_STYLES)(random);
		// A rehire: the contact was deactivated when they left.
		if (person.enabled && random.chance(0.05)) contact.active = false;
		psa.push(contact);
		// Another customer of the MSP holds a contact with the same address.
		if (random.chance(0.08)) psa.push({ ...contact, company: 'other', title: 'Consultant' });
	}
	// Contacts a person added: outside the synced domains (kept), and in the domain for people
	// who no longer exist in the tenant (deactivated).
	for (let i = 0; i < random.int(0, 3); i++) {
		psa.push({
			first: random.pick(GIVEN),
			last: random.pick(FAMILY),
			email: `contact${i}@${otherDomain}`,
			title: 'Accountant (external)',
			phone: null,
			mobile: null,
			active: true,
			company: 'customer',
		});
	}
	const gone = options.manyLeavers ? 0 : Math.min(random.int(0, 1), Math.floor(size * 0.1));
	for (let i = 0; i < gone; i++) {
		psa.push({
			first: random.pick(GIVEN),
			last: random.pick(FAMILY),
			email: `former.staff${i}@${domains[0]}`,
			title: null,
			phone: null,
			mobile: null,
			active: true,
			company: 'customer',
		});
	}

	const seed: Seed = emptySeed();
	seed.graph.users = people.map((person) => graphUser(person, random));
	seed.autotask.companies = [
		{
			id: VARIED_COMPANY.autotask,
			companyName: `${domains[0]} Ltd`,
			companyType: 1,
			isActive: true,
		},
		{
			id: OTHER_COMPANY.autotask,
			companyName: `${otherDomain} Partners`,
			companyType: 1,
			isActive: true,
		},
	];
	if (options.overLongValues) {
		const length = AUTOTASK_TITLE_LENGTHS[n % AUTOTASK_TITLE_LENGTHS.length];
		if (length !== 50)
			seed.autotask.fieldLengths = [{ entity: 'Contacts', field: 'title', length }];
	}
	seed.autotask.contacts = psa.map((contact, index) =>
		autotaskContact(contact, 40_000_000 + index * 3),
	);
	const types = communicationTypes(random);
	seed.connectwise.communicationTypes = types;
	seed.connectwise.companies = [
		{ id: VARIED_COMPANY.connectwise, identifier: `Cust${n}`, name: `${domains[0]} Ltd` },
		{ id: OTHER_COMPANY.connectwise, identifier: `Other${n}`, name: `${otherDomain} Partners` },
	];
	let itemId = 70_000 + n * 10_000;
	seed.connectwise.contacts = psa.map((contact, index) =>
		connectwiseContact(contact, 9_000 + index * 2, types, () => itemId++),
	);

	const scenario: Scenario = {
		contactSync: {
			autotaskCompanyId: VARIED_COMPANY.autotask,
			connectwiseCompanyId: VARIED_COMPANY.connectwise,
			domains,
			updateExisting: true,
			mode: 'changes',
		},
	};
	return { seed, scenario };
}

function graphUser(person: Person, random: SeededRandom): Row {
	const upnLocal = person.mail.split('@')[0];
	const proxies = [`SMTP:${person.mail}`];
	if (person.alias) proxies.push(`smtp:${person.alias}`);
	return {
		id: person.id,
		displayName: `${person.given} ${person.family}`,
		givenName: person.given,
		surname: person.family,
		jobTitle: person.title,
		// Some tenants leave mail empty and only the sign-in name carries the address.
		mail: random.chance(0.05) ? null : person.mail,
		userPrincipalName: `${upnLocal}@${person.mail.split('@')[1]}`,
		businessPhones: person.phone ? [person.phone] : [],
		mobilePhone: person.mobile,
		accountEnabled: person.enabled,
		userType: 'Member',
		assignedLicenses: person.licensed
			? [{ skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', disabledPlans: [] }]
			: [],
		proxyAddresses: proxies,
		createdDateTime: iso(daysAgo(random.int(30, 2000))),
	};
}

function autotaskContact(contact: PsaPerson, id: number): Row {
	return {
		id,
		companyID: contact.company === 'customer' ? VARIED_COMPANY.autotask : OTHER_COMPANY.autotask,
		firstName: contact.first,
		lastName: contact.last,
		title: contact.title,
		emailAddress: contact.email,
		emailAddress2: null,
		emailAddress3: null,
		phone: contact.phone,
		mobilePhone: contact.mobile,
		isActive: contact.active ? 1 : 0,
		primaryContact: false,
		externalID: null,
		createDate: iso(daysAgo(400)),
	};
}

function connectwiseContact(
	contact: PsaPerson,
	id: number,
	types: Row[],
	nextItemId: () => number,
): Row {
	const byXref = (pattern: RegExp, flag: string) =>
		types.find((t) => t[flag] === true && pattern.test(String(t.exchangeXref)))!;
	const email = byXref(/^Email1/, 'emailFlag');
	const phone = byXref(/Business(Telephone|Phone)/, 'phoneFlag');
	const mobile = byXref(/Mobile/, 'phoneFlag');
	const items: Row[] = [];
	const item = (type: Row, value: string, kind: 'Email' | 'Phone', defaultFlag: boolean) => {
		const row: Row = {
			id: nextItemId(),
			type: { id: type.id, name: type.description },
			value,
			defaultFlag,
			communicationType: kind,
		};
		if (kind === 'Email') row.domain = `@${value.split('@')[1]}`;
		items.push(row);
	};
	item(email, contact.email, 'Email', true);
	if (contact.phone) item(phone, contact.phone, 'Phone', true);
	if (contact.mobile) item(mobile, contact.mobile, 'Phone', !contact.phone);
	const company = contact.company === 'customer' ? VARIED_COMPANY : OTHER_COMPANY;
	const row: Row = {
		id,
		firstName: contact.first,
		lastName: contact.last,
		company: { id: company.connectwise, identifier: `C${company.connectwise}`, name: 'Customer' },
		inactiveFlag: !contact.active,
		title: contact.title ?? undefined,
		communicationItems: items,
	};
	for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
	return row;
}
