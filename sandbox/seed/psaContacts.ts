/**
 * The PSA-side view of the customers' people: how each PSA has drifted from the tenant, and the
 * contacts of the other customers. Written in each PSA's shape by autotask.ts and connectwise.ts.
 */
import { CUSTOMERS } from './customers';
import type { Customer } from './customers';
import type { Person } from './graph';
import { FIRST_NAMES, LAST_NAMES, TITLES, formatPhone, reformatPhone } from './names';
import { SeededRandom } from './random';

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

export interface PsaContact {
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

/** What a PSA holds of a customer beyond its members' own contacts. */
export interface PsaExtras {
	/** Shared mailboxes the PSA keeps as a contact: address → [first name, last name]. */
	sharedContacts: Record<string, [string, string]>;
	/** How many people came back after their PSA contact was deactivated. */
	rehired: number;
	/** People deleted from the tenant, still in the PSA (the last one already inactive). */
	leavers: Array<[string, string]>;
	/** PSA-only contacts who are not the customer's staff: [first, last, email, title]. */
	outsiders: Array<[string, string, string, string | null]>;
	/** An inactive duplicate someone made by hand, same address as a live contact. */
	duplicate: boolean;
	areaCode: string;
}

/** Contoso as both PSAs hold it. */
export const CONTOSO_PSA: PsaExtras = {
	sharedContacts: { 'helpdesk@contoso.com': ['IT', 'Helpdesk'] },
	rehired: 2,
	leavers: [
		['Gregory', 'Holt'],
		['Paula', 'Whitfield'],
		['Ivan', 'Sokolov'],
		['Nadia', 'Haddad'],
		['Oscar', 'Lindqvist'],
	],
	outsiders: [
		['Bob', 'Kelly', 'bob.kelly@northwindtraders.com', 'Supplier Account Rep'],
		['Mateo', 'Rossi', 'm.rossi@woodgrovecpa.com', 'External Accountant'],
		['Copier', 'Technician', 'service@copierco.example', null],
	],
	duplicate: true,
	areaCode: '425',
};

/**
 * The PSA-side view of a customer's people (one call per PSA, with its own random stream): most
 * members have a contact, drifted the way PSAs drift; plus the extras.
 */
export function staffPsaContacts(
	people: Person[],
	random: SeededRandom,
	system: 'autotask' | 'connectwise',
	customer: Customer,
	extras: PsaExtras,
): PsaContact[] {
	const contacts: PsaContact[] = [];
	for (const person of people) {
		if (person.kind !== 'member' || !person.mail) {
			// A shared mailbox such as the helpdesk is a contact in most PSAs; other mailboxes are not.
			const shared = person.mail ? extras.sharedContacts[person.mail] : undefined;
			if (person.kind === 'shared' && shared) {
				contacts.push({
					person,
					firstName: shared[0],
					lastName: shared[1],
					title: null,
					email: person.mail,
					email2: null,
					phone: customer.phone,
					mobile: null,
					active: true,
					companyKey: customer.key,
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
			companyKey: customer.key,
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
				contact.phone = formatPhone(extras.areaCode, random.int(7000, 7999));
				break;
			case 'noMobile':
				contact.mobile = person.mobile ? null : formatPhone('206', random.int(8000, 8999));
				break;
			case 'upperEmail2':
				// The PSA kept an old address first and the current one, upper-cased, second.
				contact.email = `${person.mail.split('@')[0].toLowerCase()}@${customer.identifier.toLowerCase()}-old.local`;
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
	// contact was deactivated when they left. The last ones, so no random draw moves.
	contacts
		.filter((c) => c.drift === 'same' && c.active && c.person?.enabled && c.person?.licensed)
		.slice(extras.rehired ? -extras.rehired : contacts.length)
		.forEach((c) => {
			c.active = false;
			c.drift = 'rehired';
		});
	// People who left: still in the PSA, deleted from the tenant.
	extras.leavers.forEach(([first, last], index) => {
		contacts.push({
			firstName: first,
			lastName: last,
			title: random.pick(TITLES),
			email: `${first}.${last}@${customer.domain}`.toLowerCase(),
			email2: null,
			phone: formatPhone(extras.areaCode, 6100 + index),
			mobile: null,
			active: index !== extras.leavers.length - 1,
			companyKey: customer.key,
			drift: 'deletedInM365',
			createdDaysAgo: 1800 - index * 50,
		});
	});
	// PSA-only contacts of the customer who are not its staff.
	for (const [first, last, email, title] of extras.outsiders) {
		contacts.push({
			firstName: first,
			lastName: last,
			title,
			email,
			email2: null,
			phone: null,
			mobile: null,
			active: true,
			companyKey: customer.key,
			drift: 'psaOnly',
			createdDaysAgo: 700,
		});
	}
	// A duplicate someone created by hand years ago, inactive, same address as a live contact.
	const live = contacts.find((c) => c.person && c.drift === 'same' && c.active && c.email);
	if (extras.duplicate && live)
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
export function otherCustomerContacts(random: SeededRandom): PsaContact[] {
	const contacts: PsaContact[] = [];
	const counts: Record<string, number> = {
		fabrikam: 12,
		adventureworks: 10,
		tailspin: 7,
		litware: 4,
		fabrikamresidences: 3,
		alpine: 2,
	};
	for (const customer of CUSTOMERS.slice(1)) {
		for (let i = 0; i < (counts[customer.key] ?? 0); i++) {
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
