/** ConnectWise Manage: communication types, companies and contacts. */
import { CUSTOMERS, MSP, customerByKey } from './customers';
import type { Row } from './layout';
import type { PsaContact } from './psaContacts';
import { SeededRandom, daysAgo, iso } from './random';

/** Tenant-defined communication types: renamed ones included, as real boards have them. */
export const CW_TYPES = {
	email: { id: 1, name: 'Email' },
	direct: { id: 2, name: 'Direct' },
	cell: { id: 4, name: 'Cell' },
	fax: { id: 5, name: 'Fax' },
	home: { id: 6, name: 'Home' },
	businessEmail: { id: 7, name: 'Business Email' },
	privateEmail: { id: 8, name: 'Private Email' },
	pager: { id: 9, name: 'Pager' },
};

export function connectwiseCommunicationTypes(): Row[] {
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

export function connectwiseCompanies(): Row[] {
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

export function connectwiseContacts(
	contacts: PsaContact[],
	startId: number,
	random: SeededRandom,
): Row[] {
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
