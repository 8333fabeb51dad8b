/** Autotask: companies, contacts, resources and the tenant's picklists. */
import { SANDBOX_IDENTITIES } from '../credentials';
import { CUSTOMERS, MSP, customerByKey } from './customers';
import type { Row } from './layout';
import type { PsaContact } from './psaContacts';
import { daysAgo, iso } from './random';

interface AutotaskIds {
	resources: { apiUser: number; dispatcher: number; techs: number[]; noImpersonation: number };
}

export const AUTOTASK_IDS: AutotaskIds = {
	resources: {
		apiUser: 29682885,
		dispatcher: 29682886,
		techs: [29682887, 29682888, 29682889, 29682890],
		noImpersonation: 29682891,
	},
};

export function autotaskCompanies(): Row[] {
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

export function autotaskContacts(contacts: PsaContact[], startId: number): Row[] {
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

export function autotaskResources(): Row[] {
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

export function autotaskPicklists(): Row[] {
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
