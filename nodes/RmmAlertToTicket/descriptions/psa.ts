import type { INodeProperties } from 'n8n-workflow';

import { PRIORITY_MATCHING, priorityMapProperty, PROCESS_OR_SYNC } from './ticketSettings';

/** Which PSA the tickets live in; Autotask for workflows saved before the choice existed. */
export const psaProperty: INodeProperties = {
	displayName: 'PSA',
	name: 'psa',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Autotask', value: 'autotask' },
		{ name: 'ConnectWise Manage', value: 'connectwise' },
	],
	default: 'autotask',
	description: 'The PSA the alert tickets are opened in',
};

const CONNECTWISE = { ...PROCESS_OR_SYNC, psa: ['connectwise'] };

/** The ConnectWise ticket settings: a board and what new tickets get on it, from the tenant's lists. */
export const connectwiseSettings: INodeProperties[] = [
	{
		displayName: 'Board',
		name: 'connectwiseBoard',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The service board alert tickets are opened on',
		displayOptions: {
			show: {
				operation: [...PROCESS_OR_SYNC.operation, 'setUpTicketWebhook'],
				psa: ['connectwise'],
			},
		},
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a board...',
				typeOptions: { searchListMethod: 'searchConnectWiseBoards', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 1' },
		],
	},
	{
		displayName: 'ConnectWise Ticket Settings',
		name: 'connectwiseTicket',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description:
			"Fields of every ticket this node opens on the board; lists are loaded from the board. Empty: the board's defaults.",
		displayOptions: { show: CONNECTWISE },
		options: [
			{
				displayName: 'Closed Status Name or ID',
				name: 'closedStatus',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getConnectWiseClosedStatuses',
					loadOptionsDependsOn: ['connectwiseBoard.value'],
				},
				default: '',
				description:
					'Status a resolved alert closes its ticket with; default: the board\'s first closed status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Initial Description Template',
				name: 'descriptionTemplate',
				type: 'string',
				typeOptions: { rows: 6 },
				default: '',
				description:
					"The ticket's initial description; the same {{variables}} as the summary. Empty: the alert, device, site, monitor and diagnostics.",
			},
			{
				displayName: 'Item Name or ID',
				name: 'item',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getConnectWiseItems',
					loadOptionsDependsOn: ['connectwiseBoard.value'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'New Status Name or ID',
				name: 'newStatus',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getConnectWiseOpenStatuses',
					loadOptionsDependsOn: ['connectwiseBoard.value'],
				},
				default: '',
				description:
					'Status of new and reopened tickets; default: the board\'s default status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Note Visibility',
				name: 'noteFlag',
				type: 'options',
				options: [
					{ name: 'Internal Analysis', value: 'internalAnalysisFlag' },
					{ name: 'Discussion (Detail Description)', value: 'detailDescriptionFlag' },
				],
				default: 'internalAnalysisFlag',
				description:
					'Where the notes this node writes go (repeats, storms, resolutions noted while a technician works); the closing note is a resolution',
			},
			{
				displayName: 'Source Name or ID',
				name: 'source',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getConnectWiseSources' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Subtype Name or ID',
				name: 'subType',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getConnectWiseSubTypes',
					loadOptionsDependsOn: ['connectwiseBoard.value'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Summary Template',
				name: 'titleTemplate',
				type: 'string',
				default: '',
				placeholder: '{{alertType}}: {{message}} on {{hostname}}',
				description:
					'The ticket summary (ConnectWise keeps 100 characters); variables: alertType, message, hostname, siteName, priority, monitorName, deviceUid, alertUid. Empty: the placeholder.',
			},
			{
				displayName: 'Type Name or ID',
				name: 'type',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getConnectWiseTypes',
					loadOptionsDependsOn: ['connectwiseBoard.value'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
		],
	},
	priorityMapProperty({
		displayName: 'ConnectWise Priority Map',
		name: 'connectwisePriorityMap',
		description: `ConnectWise priority per Datto RMM priority. An unset one is matched by a name containing, in this order (${PRIORITY_MATCHING}), else the default priority.`,
		loadOptionsMethod: 'getConnectWisePriorities',
		show: CONNECTWISE,
	}),
];

/** The settings that are Autotask's only: hidden when the PSA is ConnectWise. */
export const AUTOTASK_ONLY = new Set(['ticketDefaults', 'priorityMap', 'useSiteAutotaskCompany']);

/** A property shown only for Autotask (besides its own conditions). */
export function autotaskOnly(property: INodeProperties): INodeProperties {
	if (!AUTOTASK_ONLY.has(property.name)) return property;
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			hide: { ...property.displayOptions?.hide, psa: ['connectwise'] },
		},
	};
}
