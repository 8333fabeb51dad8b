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
