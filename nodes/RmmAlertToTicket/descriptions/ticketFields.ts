import type { INodeProperties } from 'n8n-workflow';

import { MONITOR_TYPES } from '../../../lib/alerts/monitorTypes';
import { DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_TITLE_TEMPLATE } from '../../../lib/alerts/settings';

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

export function ticketFieldOptions(prefix: 'default' | 'override'): INodeProperties[] {
	if (prefix === 'default') {
		return TICKET_FIELD_OPTIONS.map((field) =>
			field.name in TEMPLATE_DEFAULTS
				? { ...field, default: TEMPLATE_DEFAULTS[field.name] }
				: field,
		);
	}
	return TICKET_FIELD_OPTIONS.map((field) => ({ ...field, hint: 'Empty: the default' }));
}

export const overrideAction: INodeProperties = {
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

export const monitorTypeChoices = [
	...[...MONITOR_TYPES]
		.sort((a, b) => a.label.localeCompare(b.label))
		.map((type) => ({ name: type.label, value: type.id, description: type.id })),
	{ name: 'Other (Enter Class)', value: 'other', description: 'A class not in this list' },
];
