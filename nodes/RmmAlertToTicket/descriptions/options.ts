import type { INodeProperties } from 'n8n-workflow';

import { PROCESS_OR_SYNC } from './ticketSettings';

/** The guards and the small choices Process Alert and Sync Open Alerts share. */
export const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: PROCESS_OR_SYNC },
	options: [
		{
			displayName: 'Alerts per Note',
			name: 'alertsPerNote',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 200,
			description:
				'Repeats and storm alerts written together go into shared notes of at most this many alerts (and at most what a note holds)',
		},
		{
			displayName: 'Assign To (Email)',
			name: 'assignToEmail',
			type: 'string',
			placeholder: 'e.g. noc@yourmsp.com',
			default: '',
			description:
				'Resource (technician) new tickets are assigned to, found by email; uses their default service desk role',
		},
		{
			displayName: 'Attach Configuration Item',
			name: 'attachConfigurationItem',
			type: 'boolean',
			default: true,
			description:
				"Whether to attach the configuration item whose RMM device UID is the alert's device (only from the ticket's own company)",
		},
		{
			displayName: 'Fallback Assignee (Email)',
			name: 'fallbackAssigneeEmail',
			type: 'string',
			placeholder: 'e.g. servicedesk@yourmsp.com',
			default: '',
			description:
				'Used when the first resource is not found or inactive; neither found leaves the ticket unassigned',
		},
		{
			displayName: 'Hourly Budget Reserve (%)',
			name: 'hourlyBudgetReserve',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 90 },
			default: 0,
			description:
				"Autotask only: when less than this share of the database's hourly request budget is left (ThresholdInformation, read at most once a minute per workflow, every 5 minutes while under half is used), only notes are written; tickets to create, reopen or complete come out on Skipped as budgetLow and Sync Open Alerts does them later. A delivery Autotask refuses for a spent budget is reported the same way instead of failing. 0 = off.",
		},
		{
			displayName: 'Reopen Window (Hours)',
			name: 'reopenWindowHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 24,
			description:
				'A new alert of a problem that comes back within this many hours after its ticket was completed reopens that ticket (a re-delivered alert never does); 0 never reopens',
		},
		{
			displayName: 'Skip Natively Ticketed Alerts',
			name: 'skipNativeTickets',
			type: 'boolean',
			default: true,
			description:
				"Whether to skip alerts that Datto RMM's own PSA integration already ticketed (ticket number, TICKET_CREATED, monitor set to create tickets)",
		},
		{
			displayName: 'Storm Limit per Device',
			name: 'stormPerDevice',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 3,
			description:
				'New tickets one device may open within the storm window; beyond it alerts become notes on one storm ticket (0 = no limit)',
		},
		{
			displayName: 'Storm Limit per Site',
			name: 'stormPerSite',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10,
			description: 'New tickets one site may open within the storm window (0 = no limit)',
		},
		{
			displayName: 'Storm Note Interval (Seconds)',
			name: 'stormNoteIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'A storm ticket gets a note at most this often: alerts in between are listed in its next note, so a technician reads a summary, not a note per alert (Sync Open Alerts writes what no later delivery did). 0 = a note for every delivery.',
		},
		{
			displayName: 'Storm Window (Minutes)',
			name: 'stormWindowMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
		},
		{
			displayName: 'Write Timeout (Seconds)',
			name: 'writeTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 60,
			description:
				'How long a ticket, note or completion may take before n8n stops waiting. A ticket or note whose answer does not come is then looked up by its key (for up to five times as long) instead of being created twice.',
		},
	],
};
