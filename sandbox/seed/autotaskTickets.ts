/**
 * The Autotask records the native Datto integration keeps in step with Datto: a configuration
 * item per device, tickets (one created by the native integration), their notes and time entries.
 */
import { AUTOTASK_IDS } from './autotask';
import { CONTOSO, CUSTOMERS, MSP } from './customers';
import type { DeviceRecord } from './datto';
import { CUSTOMER_CODE_UDF, seedSerial } from './devices';
import type { Row } from './layout';
import { daysAgo, iso } from './random';

export function autotaskConfigurationItems(devices: DeviceRecord[]): Row[] {
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
				serialNumber: seedSerial(device),
				rmmDeviceUID: device.row.uid,
				rmmDeviceID: device.row.id,
				rmmDeviceAuditHostname: device.row.hostname,
				rmmDeviceAuditIPAddress: device.row.intIpAddress,
				rmmDeviceAuditOperatingSystem: device.row.operatingSystem,
				rmmOpenAlertCount: 0,
				installDate: iso(Number(device.row.creationDate)),
				createDate: iso(Number(device.row.creationDate) + 3_600_000),
				lastModifiedTime: iso(daysAgo(2)),
				userDefinedFields: [{ name: CUSTOMER_CODE_UDF, value: null }],
			};
		});
}

export function autotaskTickets(
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
	/** A note written at `at` by resource `by`, never changed since. */
	const note = (
		id: number,
		written: { ticketID: number; by: number; at: number },
		text: { title: string; description: string; noteType: number },
	): Row => ({
		id,
		ticketID: written.ticketID,
		...text,
		publish: 1,
		createDateTime: iso(written.at),
		creatorResourceID: written.by,
		createdByContactID: null,
		impersonatorCreatorResourceID: null,
		impersonatorUpdaterResourceID: null,
		lastActivityDate: iso(written.at),
	});
	const notes: Row[] = [
		note(
			31001,
			{ ticketID: 128901, by: r.apiUser, at: Number(native.timestamp) + 10_000 },
			{
				title: 'Alert details',
				description: `Alert raised by Datto RMM on FAB-LT022.\n${String(native.diagnostics)}`,
				noteType: 1,
			},
		),
		note(
			31002,
			{ ticketID: 128870, by: r.techs[1], at: daysAgo(5) },
			{
				title: 'Imaging',
				description: 'Laptop imaged; waiting for user to collect it.',
				noteType: 3,
			},
		),
		note(
			31003,
			{ ticketID: 128855, by: r.techs[0], at: daysAgo(9) },
			{
				title: 'Resolution',
				description: 'Replaced the pickup roller; test pages OK.',
				noteType: 1,
			},
		),
	];
	/** Time worked `when.day` days ago: minutes before that day's seed clock it began, ended, was entered. */
	const timeEntry = (
		work: { id: number; ticketID: number; resourceID: number; billingCodeID: number },
		when: { day: number; from: number; to: number; entered: number },
		summaryNotes: string,
	): Row => {
		const hours = (when.from - when.to) / 60;
		return {
			id: work.id,
			ticketID: work.ticketID,
			taskID: null,
			resourceID: work.resourceID,
			roleID: 29683461,
			billingCodeID: work.billingCodeID,
			dateWorked: iso(daysAgo(when.day, 0)).slice(0, 10) + 'T00:00:00.000Z',
			startDateTime: iso(daysAgo(when.day, when.from)),
			endDateTime: iso(daysAgo(when.day, when.to)),
			hoursWorked: hours,
			hoursToBill: hours,
			isNonBillable: false,
			summaryNotes,
			internalNotes: null,
			createDateTime: iso(daysAgo(when.day, when.entered)),
			creatorUserID: work.resourceID,
			impersonatorCreatorResourceID: null,
		};
	};
	const timeEntries: Row[] = [
		timeEntry(
			{ id: 41001, ticketID: 128870, resourceID: r.techs[1], billingCodeID: 29682801 },
			{ day: 5, from: 120, to: 30, entered: 25 },
			'Imaged laptop',
		),
		timeEntry(
			{ id: 41002, ticketID: 128855, resourceID: r.techs[0], billingCodeID: 29682802 },
			{ day: 9, from: 180, to: 120, entered: 110 },
			'Onsite printer repair',
		),
	];
	void hosts;
	return { tickets, notes, timeEntries };
}
