import type { INodeProperties } from 'n8n-workflow';

import { PRIORITY_LABELS } from '../../../lib/alerts/settings';
import { listOrIdLocator } from '../../shared/descriptions';
import { monitorTypeChoices, overrideAction, ticketFieldOptions } from './ticketFields';

const SELECT_COMPANY = { listPlaceholder: 'Select a company...' };

/** The operations that read the ticket settings (Handle Trigger: both paths in one node). */
export const PROCESS_OR_SYNC = { operation: ['processAlert', 'syncOpenAlerts', 'handleTrigger'] };

/** Site to Company: one row per Datto RMM site (versions 1 and 2 typed, 3 picked from lists). */
function siteToCompany(
	description: string,
	versions: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>['@version'],
	values: INodeProperties[],
): INodeProperties {
	return {
		displayName: 'Site to Company',
		name: 'siteCompanies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Site',
		default: {},
		description,
		displayOptions: { show: { ...PROCESS_OR_SYNC, '@version': versions } },
		options: [{ displayName: 'Mapping', name: 'mappings', values }],
	};
}

/**
 * A list of overrides: rows that match some alerts (`matching`), say whether to ticket them, and
 * may change any ticket field.
 */
function overrideList(list: {
	displayName: string;
	name: string;
	placeholder: string;
	description: string;
	matching: INodeProperties[];
}): INodeProperties {
	return {
		displayName: list.displayName,
		name: list.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: list.placeholder,
		default: {},
		description: list.description,
		displayOptions: { show: PROCESS_OR_SYNC },
		options: [
			{
				displayName: 'Override',
				name: 'overrides',
				values: [...list.matching, overrideAction, ...ticketFieldOptions('override')],
			},
		],
	};
}

const DATTO_PRIORITIES = ['Critical', 'High', 'Moderate', 'Low', 'Information'] as const;

/**
 * How an unset priority is matched, written from the matcher's own table (lib/alerts/settings.ts)
 * so the text names Datto's priorities as the fields do: "Moderate: medium, moderate or normal".
 */
export const PRIORITY_MATCHING = DATTO_PRIORITIES.map((priority) => {
	const labels = PRIORITY_LABELS[priority];
	const words =
		labels.length > 1
			? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`
			: labels[0];
	return `${priority}: ${words}`;
}).join('; ');

/** A PSA priority per Datto RMM priority, each picked from the tenant's list. */
export function priorityMapProperty(map: {
	displayName: string;
	name: string;
	description: string;
	loadOptionsMethod: string;
	show: Record<string, string[]>;
}): INodeProperties {
	return {
		displayName: map.displayName,
		name: map.name,
		type: 'fixedCollection',
		placeholder: 'Add Priority Map',
		default: {},
		description: map.description,
		displayOptions: { show: map.show },
		options: [
			{
				displayName: 'Priorities',
				name: 'priorities',
				values: DATTO_PRIORITIES.map((priority) => ({
					displayName: `${priority} Name or ID`,
					name: priority.toLowerCase(),
					type: 'options' as const,
					typeOptions: { loadOptionsMethod: map.loadOptionsMethod },
					default: '',
					description:
						'Empty: matched by name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				})),
			},
		],
	};
}

/**
 * The ticket settings Process Alert and Sync Open Alerts share: the fields of new tickets, the
 * priority map, the company rules and the monitor overrides (read by actions/ticketingConfig.ts).
 */
export const ticketSettings: INodeProperties[] = [
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
	priorityMapProperty({
		displayName: 'Priority Map',
		name: 'priorityMap',
		description: `Autotask priority per Datto RMM priority. An unset one is matched by label, in this order (${PRIORITY_MATCHING}), else the default priority.`,
		loadOptionsMethod: 'getPriorities',
		show: PROCESS_OR_SYNC,
	}),
	{
		displayName:
			"The ticket's company: with the customer map connected to the Customer Map input (an n8n Data Table node), the company of the map's row that lists the site, and nothing else. Without it: the Autotask company Datto RMM maps the site to, then the Site to Company table. A site with no company goes to the catch-all company (with a note saying why). A configuration item is attached only when it belongs to that company.",
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
	siteToCompany(
		'Autotask company per Datto RMM site, for sites Datto RMM does not map',
		[1, 2],
		[
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
	),
	siteToCompany(
		'PSA company per Datto RMM site, for sites Datto RMM does not map (the customer map, when connected, replaces this table)',
		[{ _cnd: { gte: 3 } }],
		[
			{
				displayName: 'Site',
				name: 'site',
				...listOrIdLocator('searchDattoSites', 'e.g. f351e87c-7394-412b-9498-9ff2730c2da8', {
					listPlaceholder: 'Select a site...',
					byId: 'By UID',
				}),
				description: "The Datto RMM site, picked from the account's sites or given by its UID",
			},
			{
				displayName: 'Company',
				name: 'companyId',
				...listOrIdLocator('searchCompanies', 'e.g. 29684101', SELECT_COMPANY),
				description:
					"The PSA's company (Autotask or ConnectWise, as set above) for the site's tickets",
			},
		],
	),
	{
		displayName: 'Catch-All Company',
		name: 'catchAllCompany',
		// The node checks the ID itself (listOrIdLocator has no validation regex).
		...listOrIdLocator('searchCompanies', 'e.g. 0', SELECT_COMPANY),
		description:
			'Company for alerts of sites with no mapping; such tickets get a note explaining why. Empty: those alerts fail with an error instead.',
		displayOptions: { show: PROCESS_OR_SYNC },
	},
	overrideList({
		displayName: 'Monitor Type Overrides',
		name: 'monitorTypeOverrides',
		placeholder: 'Add Monitor Type Override',
		description:
			'Settings per kind of monitor (the alert context class); each may change any default or skip the alerts',
		matching: [
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
		],
	}),
	overrideList({
		displayName: 'Monitor Overrides',
		name: 'monitorOverrides',
		placeholder: 'Add Monitor Override',
		description:
			'Settings for single monitors, matched by monitor name or message; they win over monitor type overrides',
		matching: [
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
				description: 'Text to find (case-insensitive), a wildcard with *, or /regular expression/',
			},
		],
	}),
];
