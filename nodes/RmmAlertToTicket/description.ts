import type { INodeProperties } from 'n8n-workflow';

import { MONITOR_TYPES } from '../../lib/alerts/monitorTypes';
import { DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_TITLE_TEMPLATE } from '../../lib/alerts/settings';
import { WEBHOOK_TEMPLATE_RAISED, WEBHOOK_TEMPLATE_RESOLVED } from '../../lib/alerts/webhook';

const PROCESS = { operation: ['processAlert'] };
const PROCESS_OR_SYNC = { operation: ['processAlert', 'syncOpenAlerts'] };

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Process Alert',
			value: 'processAlert',
			description:
				'Open, note or complete the Autotask ticket for a raised or resolved Datto RMM alert (completed only when no alert of its problem is still open)',
			action: 'Process an alert',
		},
		{
			name: 'Resolve Alert From Ticket',
			value: 'resolveAlertFromTicket',
			description:
				'Resolve the Datto RMM alert an Autotask ticket was opened for (for example when the ticket is completed)',
			action: 'Resolve the alert of a ticket',
		},
		{
			name: 'Sync Open Alerts',
			value: 'syncOpenAlerts',
			description:
				'Open tickets for open alerts a webhook missed and complete tickets whose alert was resolved',
			action: 'Sync open alerts with tickets',
		},
	],
	default: 'processAlert',
};

/** The documented Datto RMM webhook bodies, shown in the node. */
const webhookNotice: INodeProperties = {
	displayName: `In Datto RMM, add a webhook to the monitor's response (or Setup > Integrations > Global Webhooks) pointing at n8n's Webhook node, Content-Type application/json, with "When alert is resolved" enabled. Alert body: ${WEBHOOK_TEMPLATE_RAISED.replace(/\s+/g, ' ')} — Resolution body: ${WEBHOOK_TEMPLATE_RESOLVED.replace(/\s+/g, ' ')}. Only alertUid and event are needed; the node reads the rest from the Datto RMM API.`,
	name: 'webhookNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: PROCESS },
};

const processFields: INodeProperties[] = [
	webhookNotice,
	{
		displayName: 'Shared Secret',
		name: 'sharedSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'If set, deliveries that do not carry this value (as the header or query parameter below) are rejected. Add it to the webhook URL in Datto RMM, e.g. …/webhook/datto-rmm-alerts?secret=… .',
		displayOptions: { show: PROCESS },
	},
	{
		displayName: 'Secret Options',
		name: 'secretOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: PROCESS },
		options: [
			{
				displayName: 'Secret Location',
				name: 'location',
				type: 'options',
				options: [
					{ name: 'Header', value: 'header' },
					{ name: 'Header or Query Parameter', value: 'headerOrQuery' },
					{ name: 'Query Parameter', value: 'query' },
				],
				default: 'headerOrQuery',
				description: 'Where the shared secret is looked for in the delivery',
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: 'x-webhook-secret',
				description:
					'Header that carries the secret ("Authorization" also accepts "Bearer &lt;secret&gt;")',
			},
			{
				displayName: 'Query Parameter Name',
				name: 'queryName',
				type: 'string',
				default: 'secret',
			},
		],
	},
];

const syncFields: INodeProperties[] = [
	{
		displayName: 'Site Name or ID',
		name: 'syncSite',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getDattoSites' },
		default: '',
		description:
			'Only this Datto RMM site; empty for the whole account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { operation: ['syncOpenAlerts'] } },
	},
];

const resolveFields: INodeProperties[] = [
	{
		displayName: 'Ticket',
		name: 'ticket',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The Autotask ticket whose Datto RMM alert to resolve (from an Autotask webhook: the ticket ID in the payload)',
		displayOptions: { show: { operation: ['resolveAlertFromTicket'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an alert ticket...',
				typeOptions: { searchListMethod: 'searchAlertTickets', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7401',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'Not a ticket ID (digits only)' },
					},
				],
			},
		],
	},
	{
		displayName: 'Expected Alert UID',
		name: 'expectedAlertUid',
		type: 'string',
		default: '',
		placeholder: 'e.g. 6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11',
		description: 'Optional guard: resolve only if the ticket tracks this alert',
		displayOptions: { show: { operation: ['resolveAlertFromTicket'] } },
	},
	{
		displayName: 'Only When Ticket Is Complete',
		name: 'onlyWhenComplete',
		type: 'boolean',
		default: true,
		description: 'Whether to resolve the alert only when the ticket has the completed status',
		displayOptions: { show: { operation: ['resolveAlertFromTicket'] } },
	},
];

/** The ticket fields any default or override may set. */
const TICKET_FIELD_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Queue Name or ID',
		name: 'queueID',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getQueues' },
		default: '',
		description:
			'The service desk queue. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Issue Type Name or ID',
		name: 'issueType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getIssueTypes' },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Sub-Issue Type Name or ID',
		name: 'subIssueType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSubIssueTypes' },
		default: '',
		description:
			'Each sub-issue type belongs to an issue type (shown before it). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Work Type Name or ID',
		name: 'billingCodeID',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWorkTypes' },
		default: '',
		description:
			'The work type (billing code) of the ticket. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Ticket Type Name or ID',
		name: 'ticketType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTicketTypes' },
		default: '',
		description:
			'Default: Alert. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Source Name or ID',
		name: 'source',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSources' },
		default: '',
		description:
			'Default: the source labelled "Monitoring Alert". Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Priority Name or ID',
		name: 'priority',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPriorities' },
		default: '',
		description:
			'A fixed priority instead of the priority map. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Status for New Tickets Name or ID',
		name: 'newStatus',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStatuses' },
		default: '',
		description:
			'Default: New. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Note Type Name or ID',
		name: 'noteType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getNoteTypes' },
		default: '',
		description:
			'Type of the notes written on tickets. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Note Publish Name or ID',
		name: 'notePublish',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getNotePublish' },
		default: '',
		description:
			'Who sees the notes. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Title Template',
		name: 'titleTemplate',
		type: 'string',
		default: '',
		description:
			'Variables: {{alertType}}, {{message}}, {{hostname}}, {{priority}}, {{siteName}}, {{monitorName}}, {{detail}}, {{alertUid}}',
	},
	{
		displayName: 'Description Template',
		name: 'descriptionTemplate',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		description:
			"The ticket description: the title's variables plus {{diagnostics}}, {{deviceUid}}, {{siteUid}}, {{timestamp}}, {{alertUrl}}",
	},
	{
		displayName: 'Due In (Hours)',
		name: 'dueInHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Due date this many hours after creation; 0 leaves it to Autotask',
	},
];

const TEMPLATE_DEFAULTS: Record<string, string> = {
	titleTemplate: DEFAULT_TITLE_TEMPLATE,
	descriptionTemplate: DEFAULT_DESCRIPTION_TEMPLATE,
};

function ticketFieldOptions(prefix: 'default' | 'override'): INodeProperties[] {
	if (prefix === 'default') {
		return TICKET_FIELD_OPTIONS.map((field) =>
			field.name in TEMPLATE_DEFAULTS
				? { ...field, default: TEMPLATE_DEFAULTS[field.name] }
				: field,
		);
	}
	return TICKET_FIELD_OPTIONS.map((field) => ({ ...field, hint: 'Empty: the default' }));
}

const overrideAction: INodeProperties = {
	displayName: 'Ticketing',
	name: 'ticketing',
	type: 'options',
	options: [
		{ name: 'Open Tickets', value: 'ticket' },
		{ name: "Don't Ticket (Skip)", value: 'dontTicket' },
	],
	default: 'ticket',
	description:
		'Whether these alerts get tickets (with the fields set here) or go to the Skipped output with the reason',
};

const monitorTypeChoices = [
	...[...MONITOR_TYPES]
		.sort((a, b) => a.label.localeCompare(b.label))
		.map((type) => ({ name: type.label, value: type.id, description: type.id })),
	{ name: 'Other (Enter Class)', value: 'other', description: 'A class not in this list' },
];

const ticketSettings: INodeProperties[] = [
	{
		displayName: 'Ticket Defaults',
		name: 'ticketDefaults',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description:
			'Fields of every ticket this node opens; picklists are loaded from the Autotask tenant',
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			...ticketFieldOptions('default'),
			{
				displayName: 'Status for Completed Tickets Name or ID',
				name: 'completeStatus',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStatuses' },
				default: '',
				description:
					'Default: Complete. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	{
		displayName: 'Priority Map',
		name: 'priorityMap',
		type: 'fixedCollection',
		placeholder: 'Add Priority Map',
		default: {},
		description:
			'Autotask priority per Datto RMM priority; unset ones are matched by label (Critical, High, Medium, Low)',
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			{
				displayName: 'Priorities',
				name: 'priorities',
				values: (['Critical', 'High', 'Moderate', 'Low', 'Information'] as const).map(
					(priority) => ({
						displayName: `${priority} Name or ID`,
						name: priority.toLowerCase(),
						type: 'options' as const,
						typeOptions: { loadOptionsMethod: 'getPriorities' },
						default: '',
						description:
							'Empty: matched by label. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					}),
				),
			},
		],
	},
	{
		displayName:
			"The ticket's company: the Autotask company Datto RMM maps the site to, then the Site to Company table, then the catch-all company (with a note saying why). A configuration item is attached only when it belongs to that company.",
		name: 'companyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: PROCESS_OR_SYNC },
	},
	{
		displayName: "Use Site's Autotask Company",
		name: 'useSiteAutotaskCompany',
		type: 'boolean',
		default: true,
		description:
			"Whether to use the Autotask company Datto RMM's own integration mapped the site to, before the table below",
		displayOptions: { show: PROCESS_OR_SYNC },
	},
	{
		displayName: 'Site to Company',
		name: 'siteCompanies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Site',
		default: {},
		description: 'Autotask company per Datto RMM site, for sites Datto RMM does not map',
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			{
				displayName: 'Mapping',
				name: 'mappings',
				values: [
					{
						displayName: 'Site Name or ID',
						name: 'site',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getDattoSites' },
						default: '',
						description:
							'The Datto RMM site (its UID; a site name also matches). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Autotask Company ID',
						name: 'companyId',
						type: 'number',
						default: 0,
					},
				],
			},
		],
	},
	{
		displayName: 'Catch-All Company',
		name: 'catchAllCompany',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			'Company for alerts of sites with no mapping; such tickets get a note explaining why. Empty: those alerts fail with an error instead.',
		displayOptions: { show: PROCESS_OR_SYNC },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a company...',
				typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 0',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'Not a company ID (digits only)' },
					},
				],
			},
		],
	},
	{
		displayName: 'Monitor Type Overrides',
		name: 'monitorTypeOverrides',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Monitor Type Override',
		default: {},
		description:
			'Settings per kind of monitor (the alert context class); each may change any default or skip the alerts',
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			{
				displayName: 'Override',
				name: 'overrides',
				values: [
					{
						displayName: 'Monitor Type',
						name: 'monitorType',
						type: 'options',
						options: monitorTypeChoices,
						default: 'perf_disk_usage_ctx',
					},
					{
						displayName: 'Other Class',
						name: 'otherClass',
						type: 'string',
						default: '',
						placeholder: 'e.g. temperature_ctx',
						description: 'The @class of the alert context, when Monitor Type is Other',
					},
					overrideAction,
					...ticketFieldOptions('override'),
				],
			},
		],
	},
	{
		displayName: 'Monitor Overrides',
		name: 'monitorOverrides',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Monitor Override',
		default: {},
		description:
			'Settings for single monitors, matched by monitor name or message; they win over monitor type overrides',
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			{
				displayName: 'Override',
				name: 'overrides',
				values: [
					{
						displayName: 'Match On',
						name: 'matchField',
						type: 'options',
						options: [
							{ name: 'Monitor Name', value: 'monitorName' },
							{ name: 'Message', value: 'message' },
							{ name: 'Monitor Name or Message', value: 'either' },
						],
						default: 'either',
					},
					{
						displayName: 'Pattern',
						name: 'pattern',
						type: 'string',
						default: '',
						placeholder: 'e.g. Backup* or /disk (c|d):/',
						description:
							'Text to find (case-insensitive), a wildcard with *, or /regular expression/',
					},
					overrideAction,
					...ticketFieldOptions('override'),
				],
			},
		],
	},
	{
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
				default: 50,
				description:
					'Repeats and storm alerts of one run are written into shared notes of at most this many alerts',
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
				displayName: 'Storm Window (Minutes)',
				name: 'stormWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
			},
		],
	},
];

export const properties: INodeProperties[] = [
	operationProperty,
	...processFields,
	...syncFields,
	...resolveFields,
	...ticketSettings,
];
