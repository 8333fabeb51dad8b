/**
 * ConnectWise Manage's service desk as an MSP runs it: a Monitoring board the RMM alerts go to
 * (first, so a demo without settings uses it) and a Help Desk board, each with its statuses (one
 * closed, one inactive), types, subtypes (associated with their types) and items; priorities and
 * sources; configuration types and a configuration for most Datto devices (`deviceIdentifier` =
 * the device uid; two devices have none, one configuration was typed in by hand without one);
 * a few tickets with notes, a time entry and an attached configuration.
 */
import { CUSTOMERS, MSP } from './customers';
import type { DeviceRecord } from './datto';
import type { Row } from './layout';
import { daysAgo, iso } from './random';

const LOCATION = { id: 2, name: 'Seattle' };
const DEPARTMENT = { id: 10, identifier: 'Services', name: 'Services' };

export const CW_BOARDS = {
	monitoring: { id: 1, name: 'Monitoring' },
	helpDesk: { id: 2, name: 'Help Desk' },
};

const info = (days: number, by = 'Admin1'): Row => ({
	lastUpdated: iso(daysAgo(days)).replace(/\.\d{3}Z$/, 'Z'),
	updatedBy: by,
});

export function connectwiseBoards(): Row[] {
	const board = (reference: { id: number; name: string }, extra: Row): Row => ({
		...reference,
		location: LOCATION,
		department: DEPARTMENT,
		inactiveFlag: false,
		projectFlag: false,
		sendToContactFlag: false,
		sendToResourceFlag: true,
		billTicketsAfterClosedFlag: false,
		billTicketSeparatelyFlag: false,
		billUnapprovedTimeExpenseFlag: false,
		overrideBillingSetupFlag: false,
		autoAssignNewTicketsFlag: false,
		timeEntryLockedFlag: false,
		discussionsLockedFlag: false,
		_info: info(400),
		...extra,
	});
	return [
		board(CW_BOARDS.monitoring, { autoCloseStatus: { id: 106, name: 'Closed' } }),
		board(CW_BOARDS.helpDesk, { autoCloseStatus: { id: 205, name: 'Closed' } }),
	];
}

export function connectwiseBoardStatuses(): Row[] {
	const status = (
		id: number,
		name: string,
		board: { id: number; name: string },
		sortOrder: number,
		extra: Row = {},
	): Row => ({
		id,
		name,
		board,
		sortOrder,
		displayOnBoard: true,
		inactive: false,
		closedStatus: false,
		timeEntryNotAllowed: false,
		defaultFlag: false,
		escalationStatus: 'Responded',
		customerPortalFlag: true,
		_info: info(400),
		...extra,
	});
	const m = CW_BOARDS.monitoring;
	const h = CW_BOARDS.helpDesk;
	return [
		status(101, 'New', m, 0, { defaultFlag: true, escalationStatus: 'NotResponded' }),
		status(102, 'Assigned', m, 1),
		status(103, 'In Progress', m, 2),
		status(104, 'Waiting on Vendor', m, 3, { escalationStatus: 'NoEscalation' }),
		status(105, 'Old - Escalated', m, 4, { inactive: true, displayOnBoard: false }),
		status(106, 'Closed', m, 9, {
			closedStatus: true,
			timeEntryNotAllowed: true,
			escalationStatus: 'Resolved',
		}),
		status(201, 'New', h, 0, { defaultFlag: true, escalationStatus: 'NotResponded' }),
		status(202, 'In Progress', h, 1),
		status(203, 'Waiting on Customer', h, 2, { escalationStatus: 'NoEscalation' }),
		status(204, 'Scheduled', h, 3),
		status(205, 'Closed', h, 9, {
			closedStatus: true,
			timeEntryNotAllowed: true,
			escalationStatus: 'Resolved',
		}),
	];
}

export function connectwiseBoardTypes(): Row[] {
	const type = (
		id: number,
		name: string,
		board: { id: number; name: string },
		category: 'Reactive' | 'Proactive',
		defaultFlag = false,
	): Row => ({
		id,
		name,
		category,
		defaultFlag,
		inactiveFlag: false,
		requestForChangeFlag: false,
		board,
		location: LOCATION,
		department: DEPARTMENT,
		_info: info(400),
	});
	return [
		type(11, 'Alert', CW_BOARDS.monitoring, 'Reactive', true),
		type(12, 'Maintenance', CW_BOARDS.monitoring, 'Proactive'),
		type(21, 'Incident', CW_BOARDS.helpDesk, 'Reactive', true),
		type(22, 'Service Request', CW_BOARDS.helpDesk, 'Proactive'),
	];
}

export function connectwiseBoardSubTypes(): Row[] {
	const subType = (
		id: number,
		name: string,
		board: { id: number; name: string },
		typeAssociationIds: number[],
	): Row => ({
		id,
		name,
		inactiveFlag: false,
		typeAssociationIds,
		addAllTypesFlag: false,
		board,
		_info: info(400),
	});
	return [
		subType(31, 'Server', CW_BOARDS.monitoring, [11]),
		subType(32, 'Workstation', CW_BOARDS.monitoring, [11]),
		subType(33, 'Network', CW_BOARDS.monitoring, [11]),
		subType(34, 'Patching', CW_BOARDS.monitoring, [12]),
		subType(35, 'Backup', CW_BOARDS.monitoring, [11, 12]),
		subType(36, 'Security', CW_BOARDS.monitoring, [11]),
		subType(51, 'Hardware', CW_BOARDS.helpDesk, [21, 22]),
		subType(52, 'Software', CW_BOARDS.helpDesk, [21, 22]),
		subType(53, 'Accounts', CW_BOARDS.helpDesk, [22]),
	];
}

export function connectwiseBoardItems(): Row[] {
	const item = (id: number, name: string, board: { id: number; name: string }): Row => ({
		id,
		name,
		inactiveFlag: false,
		board,
		_info: info(400),
	});
	return [
		item(41, 'Disk Space', CW_BOARDS.monitoring),
		item(42, 'Performance', CW_BOARDS.monitoring),
		item(43, 'Service', CW_BOARDS.monitoring),
		item(44, 'Connectivity', CW_BOARDS.monitoring),
		item(45, 'Antivirus', CW_BOARDS.monitoring),
		item(46, 'Patch', CW_BOARDS.monitoring),
		item(47, 'Event Log', CW_BOARDS.monitoring),
		item(61, 'Laptop', CW_BOARDS.helpDesk),
		item(62, 'Email', CW_BOARDS.helpDesk),
		item(63, 'Password Reset', CW_BOARDS.helpDesk),
	];
}

export function connectwisePriorities(): Row[] {
	const priority = (
		id: number,
		name: string,
		color: string,
		sortOrder: number,
		defaultFlag = false,
	): Row => ({
		id,
		name,
		color,
		sortOrder,
		defaultFlag,
		level: `Priority${sortOrder}`,
		urgencySortOrder: String(sortOrder),
		_info: info(900),
	});
	return [
		priority(1, 'Priority 1 - Emergency Response', 'red', 1),
		priority(2, 'Priority 2 - Quick Response', 'orange', 2),
		priority(3, 'Priority 3 - Normal Response', 'yellow', 3, true),
		priority(4, 'Priority 4 - Schedule Maintenance', 'green', 4),
		priority(5, 'Do Not Respond', 'blue', 5),
	];
}

export function connectwiseSources(): Row[] {
	const source = (id: number, name: string, defaultFlag = false): Row => ({
		id,
		name,
		defaultFlag,
		enteredBy: 'Admin1',
		dateEntered: iso(daysAgo(900)),
		_info: info(900),
	});
	return [
		source(1, 'Email'),
		source(2, 'Phone', true),
		source(3, 'Portal'),
		source(4, 'Monitoring'),
		source(5, 'Walk-in'),
	];
}

const CONFIGURATION_TYPES: Array<[number, string, boolean?]> = [
	[1, 'Server'],
	[2, 'Workstation'],
	[3, 'Laptop'],
	[4, 'Printer'],
	[5, 'Firewall'],
	[6, 'Hypervisor'],
	[7, 'Legacy Desktop', true],
];

export function connectwiseConfigurationTypes(): Row[] {
	return CONFIGURATION_TYPES.map(([id, name, inactive]) => ({
		id,
		name,
		inactiveFlag: inactive === true,
		systemFlag: false,
		_info: info(900),
	}));
}

function configurationType(kind: string): { id: number; name: string } {
	const id =
		kind === 'server'
			? 1
			: kind === 'laptop'
				? 3
				: kind === 'printer'
					? 4
					: kind === 'network'
						? 5
						: kind === 'esxi'
							? 6
							: 2;
	return { id, name: CONFIGURATION_TYPES.find(([typeId]) => typeId === id)![1] };
}

/**
 * A configuration per Datto device the RMM integration synced (those with an Autotask CI), plus
 * one a technician typed in by hand: the same device's serial number, no device identifier.
 */
export function connectwiseConfigurations(devices: DeviceRecord[]): Row[] {
	let id = 3001;
	const companyOf = (device: DeviceRecord) => {
		const customer = device.site.customer;
		const company = customer ?? {
			connectwiseId: MSP.connectwiseId,
			identifier: 'NorthwindIT',
			name: MSP.name,
		};
		return { id: company.connectwiseId, identifier: company.identifier, name: company.name };
	};
	const synced = devices
		.filter((device) => device.ci)
		.map((device) => ({
			id: id++,
			name: String(device.row.hostname),
			type: configurationType(device.kind),
			status: { id: 1, name: 'Active' },
			company: companyOf(device),
			deviceIdentifier: String(device.row.uid),
			serialNumber: `SN${String(device.row.id).slice(-6)}`,
			ipAddress: String(device.row.intIpAddress),
			osType: device.row.operatingSystem ?? undefined,
			lastLoginName: device.row.lastLoggedInUser ?? undefined,
			activeFlag: true,
			managementLink: String(device.row.portalUrl),
			remoteLink: String(device.row.webRemoteUrl),
			billFlag: false,
			questions: [],
			installationDate: iso(Number(device.row.creationDate)),
			_info: { ...info(2, 'DattoRMM'), dateEntered: iso(Number(device.row.creationDate)) },
		}));
	// A configuration typed in by hand for a device the integration did not sync: serial only.
	const manual = devices.find((device) => !device.ci && device.site.customer === CUSTOMERS[0]);
	const manualRows = manual
		? [
				{
					id: id++,
					name: `${String(manual.row.hostname)} (POS terminal)`,
					type: configurationType(manual.kind),
					status: { id: 1, name: 'Active' },
					company: companyOf(manual),
					serialNumber: `SN${String(manual.row.id).slice(-6)}`,
					activeFlag: true,
					billFlag: false,
					questions: [],
					_info: { ...info(120, 'jsmith'), dateEntered: iso(daysAgo(300)) },
				},
			]
		: [];
	return [...synced, ...manualRows].map((row) => {
		for (const key of Object.keys(row))
			if ((row as Row)[key] === undefined) delete (row as Row)[key];
		return row;
	});
}

/** Tickets on both boards: open, in progress with time logged, closed; notes; an attached configuration. */
export function connectwiseTickets(configurations: Row[]): {
	tickets: Row[];
	notes: Row[];
	timeEntries: Row[];
	ticketConfigurations: Row[];
} {
	const contoso = CUSTOMERS[0];
	const fabrikam = CUSTOMERS[1];
	const company = (customer: (typeof CUSTOMERS)[number]) => ({
		id: customer.connectwiseId,
		identifier: customer.identifier,
		name: customer.name,
	});
	const status = (id: number, name: string, sort: number) => ({ id, name, sort });
	const ticket = (id: number, extra: Row, days: number): Row => ({
		id,
		recordType: 'ServiceTicket',
		severity: 'Medium',
		impact: 'Medium',
		closedFlag: false,
		priority: { id: 3, name: 'Priority 3 - Normal Response', sort: 3 },
		source: { id: 2, name: 'Phone' },
		_info: {
			...info(days, 'jsmith'),
			dateEntered: iso(daysAgo(days + 1)).replace(/\.\d{3}Z$/, 'Z'),
			enteredBy: 'jsmith',
		},
		...extra,
	});
	const server = configurations.find((row) => row.name === 'CONTOSO-FS01');
	const tickets = [
		ticket(
			1,
			{
				summary: 'New laptop for the retail manager',
				board: CW_BOARDS.helpDesk,
				status: status(202, 'In Progress', 1),
				company: company(contoso),
				type: { id: 22, name: 'Service Request' },
				subType: { id: 51, name: 'Hardware' },
				item: { id: 61, name: 'Laptop' },
				owner: { id: 151, identifier: 'jsmith', name: 'John Smith' },
			},
			3,
		),
		ticket(
			2,
			{
				summary: 'Backup job failed on FAB-SRV01',
				board: CW_BOARDS.monitoring,
				status: status(106, 'Closed', 9),
				company: company(fabrikam),
				type: { id: 11, name: 'Alert' },
				subType: { id: 35, name: 'Backup' },
				closedFlag: true,
				closedDate: iso(daysAgo(5)).replace(/\.\d{3}Z$/, 'Z'),
				closedBy: 'jsmith',
				source: { id: 4, name: 'Monitoring' },
			},
			5,
		),
		ticket(
			3,
			{
				summary: 'File server slow to open shares',
				board: CW_BOARDS.monitoring,
				status: status(101, 'New', 0),
				company: company(contoso),
				type: { id: 11, name: 'Alert' },
				subType: { id: 31, name: 'Server' },
				item: { id: 42, name: 'Performance' },
				priority: { id: 2, name: 'Priority 2 - Quick Response', sort: 2 },
				source: { id: 1, name: 'Email' },
			},
			1,
		),
	];
	const note = (id: number, ticketId: number, text: string, flags: Row, days: number): Row => ({
		id,
		ticketId,
		text,
		detailDescriptionFlag: false,
		internalAnalysisFlag: false,
		resolutionFlag: false,
		issueFlag: false,
		internalFlag: flags.internalAnalysisFlag === true,
		externalFlag: flags.internalAnalysisFlag !== true,
		...flags,
		dateCreated: iso(daysAgo(days)).replace(/\.\d{3}Z$/, 'Z'),
		createdBy: 'jsmith',
		member: { id: 151, identifier: 'jsmith', name: 'John Smith' },
		_info: info(days, 'jsmith'),
	});
	const notes = [
		note(
			1,
			1,
			'Laptop ordered; imaging scheduled for Thursday.',
			{ detailDescriptionFlag: true },
			3,
		),
		note(
			2,
			2,
			'Backup target was full. Pruned old restore points and re-ran the job.',
			{ resolutionFlag: true },
			5,
		),
		note(
			3,
			3,
			'Users report shares opening slowly since Monday.',
			{ detailDescriptionFlag: true },
			1,
		),
		note(
			4,
			3,
			'Disk queue length high; checking the antivirus exclusions.',
			{ internalAnalysisFlag: true },
			1,
		),
	];
	const timeEntries = [
		{
			id: 9001,
			company: company(contoso),
			chargeToId: 1,
			chargeToType: 'ServiceTicket',
			member: { id: 151, identifier: 'jsmith', name: 'John Smith' },
			timeStart: iso(daysAgo(2, 120)).replace(/\.\d{3}Z$/, 'Z'),
			timeEnd: iso(daysAgo(2, 75)).replace(/\.\d{3}Z$/, 'Z'),
			actualHours: 0.75,
			hoursDeduct: 0,
			billableOption: 'Billable',
			notes: 'Ordered hardware, prepared image.',
			status: 'Open',
			ticket: { id: 1, summary: 'New laptop for the retail manager' },
			ticketBoard: 'Help Desk',
			ticketStatus: 'In Progress',
			_info: info(2, 'jsmith'),
		},
	];
	const ticketConfigurations = server ? [{ ticketId: 3, configurationId: Number(server.id) }] : [];
	return { tickets, notes, timeEntries, ticketConfigurations };
}
