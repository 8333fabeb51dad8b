/** Large synthetic seeds for the benchmark and the reliability suite. */
import { emptySeed } from '../core/seed';
import {
	autotaskCompanies,
	autotaskContacts,
	autotaskPicklists,
	autotaskResources,
} from './autotask';
import {
	CW_TYPES,
	connectwiseCommunicationTypes,
	connectwiseCompanies,
	connectwiseContacts,
} from './connectwise';
import { CONTOSO, contosoScenario } from './customers';
import type { Scenario } from '../scenario';
import { SKU } from './graph';
import { setRows } from './layout';
import type { GeneratedSeed, Row } from './layout';
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, TITLES, formatPhone } from './names';
import type { PsaContact } from './psaContacts';
import { SeededRandom } from './random';

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

	const people = syntheticPeople(Math.max(users, contacts), CONTOSO.domain, random);
	setRows(
		seed,
		'graph',
		'users',
		people.slice(0, users).map((p) => userRow(p, CONTOSO.name)),
	);
	const psa = people
		.slice(0, contacts)
		.map((p, i) => psaContactOf(p, 'contoso', changed.has(i), i >= users, i));
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

export interface BookSeedOptions {
	/** Customers, each with its own tenant (one verified domain) and a company in both PSAs. */
	customers: number;
	/** Enabled, licensed members per tenant, each with a contact in both PSAs. */
	users: number;
	/** Share of each company's contacts whose title differs from Microsoft 365. Default 0.01. */
	changeRate?: number;
	randomSeed?: number;
}

export interface BookSeed extends GeneratedSeed {
	/** The customer map rows (scenario.json's `customers`): every customer synced. */
	customers: NonNullable<Scenario['customers']>;
	/** Contacts a sync must update (their title), across the book. */
	expected: { update: number; changedEmails: string[] };
}

/**
 * A book of customers as an MSP's every-customer workflow sees it: C tenants of U users each,
 * every user a contact of the customer's own company in Autotask and in ConnectWise, a share of
 * them with an old title in both. Nothing here is the default seed's: names, domains and ids are
 * synthetic (customerNNN.example).
 */
/** The first customer's company ids; the others follow. */
const BOOK_AUTOTASK_ID = 29_800_001;
const BOOK_CONNECTWISE_ID = 5_001;

export function generateBookSeed(options: BookSeedOptions): BookSeed {
	const random = new SeededRandom(options.randomSeed ?? 7000);
	const changes = Math.round(options.users * (options.changeRate ?? 0.01));
	const changed = new Set<number>();
	for (let k = 0; k < changes; k++) changed.add(Math.floor(((k + 0.5) * options.users) / changes));
	const [mspAutotask, autotaskTemplate] = autotaskCompanies();
	const [mspConnectwise, connectwiseTemplate] = connectwiseCompanies();
	const seed = emptySeed();
	const tenants: Row[] = [];
	const tenantUsers: Record<string, Row[]> = {};
	const autotaskRows: Row[] = [mspAutotask];
	const connectwiseRows: Row[] = [mspConnectwise];
	const autotaskPeople: Row[] = [];
	const connectwisePeople: Row[] = [];
	const customers: NonNullable<Scenario['customers']> = [];
	const changedEmails: string[] = [];
	for (let c = 0; c < options.customers; c++) {
		const number = String(c + 1).padStart(3, '0');
		const name = `Customer ${number}`;
		const domain = `customer${number}.example`;
		const tenantId = random.uuid();
		const autotaskId = BOOK_AUTOTASK_ID + c;
		const connectwiseId = BOOK_CONNECTWISE_ID + c;
		tenants.push({
			id: tenantId,
			displayName: name,
			verifiedDomains: [
				{ name: `customer${number}.onmicrosoft.com`, isDefault: false, isInitial: true },
				{ name: domain, isDefault: true, isInitial: false },
			],
		});
		const people = syntheticPeople(options.users, domain, random);
		tenantUsers[tenantId] = people.map((p) => userRow(p, name));
		const psa = people.map((p, i) => psaContactOf(p, 'contoso', changed.has(i), false, i));
		changedEmails.push(...[...changed].map((i) => people[i].mail));
		autotaskRows.push({
			...autotaskTemplate,
			id: autotaskId,
			companyName: name,
			companyNumber: `B-${number}`,
			webAddress: `https://www.${domain}`,
		});
		const cwCompany = { id: connectwiseId, identifier: `Customer${number}`, name };
		connectwiseRows.push({
			...connectwiseTemplate,
			...cwCompany,
			website: `www.${domain}`,
			_info: {
				...(connectwiseTemplate._info as Row),
				contacts_href: `https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts?conditions=company/id=${connectwiseId}`,
			},
		});
		autotaskPeople.push(
			...autotaskContacts(psa, 32_000_001 + c * options.users).map((row) => ({
				...row,
				companyID: autotaskId,
			})),
		);
		connectwisePeople.push(
			...connectwiseContacts(psa, 200_001 + c * options.users, new SeededRandom(c + 1))
				.map(stripRandomExtras(psa, 600_000 + c * options.users * 4))
				.map((row) => ({
					...row,
					company: { ...cwCompany, _info: {} },
					site: { id: 10_000 + connectwiseId, name: 'Main', _info: {} },
				})),
		);
		customers.push({
			name,
			tenant: tenantId,
			domains: [domain],
			autotaskCompanyId: autotaskId,
			connectwiseCompanyId: connectwiseId,
			dattoSiteUids: [],
			contactSync: true,
			updateExisting: true,
			mode: 'changes',
		});
	}
	setRows(seed, 'graph', 'tenants', tenants);
	seed.graph.tenantUsers = tenantUsers;
	setRows(seed, 'autotask', 'companies', autotaskRows);
	setRows(seed, 'autotask', 'resources', autotaskResources());
	setRows(seed, 'autotask', 'picklists', autotaskPicklists());
	setRows(seed, 'autotask', 'contacts', autotaskPeople);
	setRows(seed, 'connectwise', 'companies', connectwiseRows);
	setRows(seed, 'connectwise', 'communicationTypes', connectwiseCommunicationTypes());
	setRows(seed, 'connectwise', 'contacts', connectwisePeople);
	return {
		seed,
		// The one-customer form names the first customer, as a seed's scenario.json would.
		scenario: {
			contactSync: {
				autotaskCompanyId: BOOK_AUTOTASK_ID,
				connectwiseCompanyId: BOOK_CONNECTWISE_ID,
				domains: customers[0]?.domains ?? [],
				updateExisting: true,
				mode: 'changes',
			},
			customers,
		},
		customers,
		expected: { update: changedEmails.length, changedEmails },
	};
}

interface SyntheticPerson {
	id: string;
	given: string;
	surname: string;
	mail: string;
	title: string;
	phone: string;
	mobile: string | null;
}

/** `count` people of one domain, every name and number derived from their position. */
function syntheticPeople(count: number, domain: string, random: SeededRandom): SyntheticPerson[] {
	const people: SyntheticPerson[] = [];
	for (let i = 0; i < count; i++) {
		const given = FIRST_NAMES[i % FIRST_NAMES.length];
		const surname = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length];
		people.push({
			id: random.uuid(),
			given,
			surname,
			mail: `${given}.${surname}.${String(i + 1).padStart(5, '0')}@${domain}`.toLowerCase(),
			title: TITLES[i % TITLES.length],
			phone: formatPhone(String(200 + (Math.floor(i / 10000) % 700)), i % 10000),
			mobile: i % 3 === 0 ? formatPhone('206', i % 10000) : null,
		});
	}
	return people;
}

/** An enabled, licensed member. */
function userRow(p: SyntheticPerson, companyName: string): Row {
	return {
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
		companyName,
		department: DEPARTMENTS[p.mail.length % DEPARTMENTS.length],
		officeLocation: 'Redmond HQ',
		otherMails: [],
	};
}

/** The person's PSA contact: the same values, or an old title when `changed`. */
function psaContactOf(
	p: SyntheticPerson,
	companyKey: string,
	changed: boolean,
	psaOnly: boolean,
	index: number,
): PsaContact {
	return {
		firstName: p.given,
		lastName: p.surname,
		title: changed ? `${p.title} (old)` : p.title,
		email: p.mail,
		email2: null,
		phone: p.phone,
		mobile: p.mobile,
		active: true,
		companyKey,
		drift: psaOnly ? 'psaOnly' : changed ? 'oldTitle' : 'same',
		createdDaysAgo: 100 + (index % 500),
	};
}

/** Large seeds use plain "Email"/"Direct"/"Cell" items and no fax, so counts stay predictable. */
function stripRandomExtras(
	psa: PsaContact[],
	firstItemId = 500_000,
): (row: Row, index: number) => Row {
	return (row, index) => {
		const contact = psa[index];
		let itemId = firstItemId + index * 4;
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
