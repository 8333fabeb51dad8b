import type { INodeProperties } from 'n8n-workflow';

import { ALWAYS_ALLOW_V2 } from '../../../lib/reconcile/types';
import { listOrIdLocator } from '../../shared/descriptions';

/** Version 2: the company is picked from the PSA (the PSA's credential on this node). */
function companyPicker(
	targetSystem: 'autotask' | 'connectwise',
	searchListMethod: string,
	placeholder: string,
): INodeProperties {
	return {
		displayName: 'Company for New Contacts',
		name: 'companyId',
		// The PSA Get Many and the writers check the id (listOrIdLocator has no validation regex).
		...listOrIdLocator(searchListMethod, placeholder),
		required: true,
		description:
			"The PSA company new contacts are created in. Pick it from the list (the PSA's credential on this node reads it; the name is shown in plans and guard messages) or enter its ID.",
		displayOptions: {
			show: {
				'@version': [2],
				customerSource: ['company'],
				targetSystem: [targetSystem],
			},
		},
	};
}

/** The node's parameters; option defaults here equal DEFAULT_GUARD in lib/reconcile. */
export const parameters: INodeProperties[] = [
	{
		displayName: 'Customers',
		name: 'customerSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Company (Set Below)',
				value: 'company',
				description: 'Plan one company: its ID, domains and switches are set on this node',
			},
			{
				name: 'Customer Map (Third Input)',
				value: 'map',
				description:
					'Plan every customer of the customer map on the Customers input, each with its own tenant, domains, company and switches',
			},
		],
		default: 'company',
	},
	{
		displayName:
			'Source: Microsoft 365 Users (Get Many, Simplify on). Target: the PSA contacts of the company (Get Many, Simplify on). Connect each output to the PSA node with "From Contact Reconcile" on. The last-synced values are kept in this workflow\'s static data, which n8n saves after production (scheduled or trigger) runs only: a manual run applies its plan but saves nothing, and the next scheduled run works from what it then sees.',
		name: 'notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { customerSource: ['company'] } },
	},
	{
		displayName:
			"Source: Microsoft 365 Users (Get Many, Simplify on, Tenant set to each customer map row's tenant, so every user carries the tenant it came from). Target: the PSA contacts of each row's company. Customers: the customer map rows (name, tenant, domains, autotaskCompanyId or connectwiseCompanyId, contactSync, updateExisting, mode, fields), e.g. from a Data table node. Each customer is planned on its own: one that cannot be (no tenant, a failed read, a refused guard) becomes an error item on Needs Review naming it, and the others go ahead. Connect Needs Review to Contact Sync Report so such a run ends as failed.",
		name: 'customerMapNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { customerSource: ['map'] } },
	},
	{
		displayName: 'Target System',
		name: 'targetSystem',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Autotask', value: 'autotask' },
			{ name: 'ConnectWise', value: 'connectwise' },
		],
		default: 'autotask',
		description: 'The PSA whose contacts arrive on the Target input and receive the plan',
	},
	{
		displayName: 'Company ID for New Contacts',
		name: 'companyId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 29683541',
		description: 'ID of the PSA company that new contacts are created in',
		displayOptions: { show: { '@version': [1], customerSource: ['company'] } },
	},
	companyPicker('autotask', 'searchAutotaskCompanies', 'e.g. 29683541'),
	companyPicker('connectwise', 'searchConnectWiseCompanies', 'e.g. 250'),
	{
		displayName: 'Update Existing Contacts',
		name: 'updateExisting',
		type: 'boolean',
		default: false,
		description:
			'Whether to update, deactivate and reactivate contacts that already exist. Off: only new contacts are created and existing ones are left exactly as they are.',
		displayOptions: { show: { customerSource: ['company'] } },
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { updateExisting: [true], customerSource: ['company'] } },
		options: [
			{
				name: 'Changes Only',
				value: 'changes',
				description:
					'Write a field when it changed in Microsoft 365 since the last sync (and once, at the first sync); edits made in the PSA are kept',
			},
			{
				name: 'Mirror',
				value: 'mirror',
				description: 'Write every field that differs from Microsoft 365, on every run',
			},
		],
		default: 'changes',
	},
	{
		displayName: 'Fields to Sync',
		name: 'fields',
		type: 'multiOptions',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'First Name', value: 'firstName' },
			{ name: 'Last Name', value: 'lastName' },
			{ name: 'Mobile', value: 'mobile' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Title', value: 'title' },
		],
		default: ['firstName', 'lastName', 'title', 'phone', 'mobile', 'email'],
		description:
			'Fields written to PSA contacts (with Customer Map: for rows whose fields column is empty). A blank Microsoft 365 value never overwrites a PSA value.',
	},
	{
		displayName: 'Domains',
		name: 'domains',
		type: 'string',
		default: '',
		placeholder: 'e.g. contoso.com, fabrikam.com',
		description:
			'Sync only users whose address is in these domains (comma-separated); empty syncs every user. With domains set, PSA contacts with an address in them count as managed by this sync, so they are deactivated when no user has their address.',
		displayOptions: { show: { customerSource: ['company'] } },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only return the plan: every item is marked as a dry run, the PSA nodes after this one write nothing and the last-synced values are not saved',
	},
	{
		displayName: 'Safety Guard',
		name: 'guard',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Always Allow Creates Up To',
				name: 'createAlwaysAllow',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 25,
				description:
					'Number of contacts one run may always create in a company, whatever its size (a normal month of joiners)',
			},
			{
				displayName: 'Always Allow Up To',
				name: 'alwaysAllow',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: ALWAYS_ALLOW_V2,
				description:
					'Number of deactivations a company may always have in one run, whatever their share, so routine leavers in a small company are not held back (when not set: 3; version 1 of this node: 0)',
			},
			{
				displayName: 'Check Company Before Creating',
				name: 'checkCompany',
				type: 'boolean',
				default: true,
				description:
					"Whether to refuse creates into a company that has contacts but none with an address in the synced domains (or the users' domains when none are set): a mistyped company ID often names another customer's company. A company without contacts passes.",
			},
			{
				displayName: 'Max Create Share (%)',
				name: 'maxCreatePercent',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 100,
				description:
					"Largest number of creates in one run, as a share of the company's active contacts, once it is over Always Allow Creates Up To; above both the creates are held back on Needs Review, saying how to release them, while the rest of the plan is written. A company without contacts has no limit (a first sync).",
			},
			{
				displayName: 'Max Deactivation Share (%)',
				name: 'maxPercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 20,
				description:
					"Largest share of a company's synced contacts one run may deactivate; above it (and above Always Allow Up To) the deactivations are held back on Needs Review, saying how to release them, while the rest of the plan is written",
			},
			{
				displayName: 'Refuse When Source Is Empty',
				name: 'refuseWhenSourceEmpty',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse every deactivation when the Source input has no users (in the synced domains): an empty source is almost always a failed read, not a company that left',
			},
			{
				displayName: 'Refuse When Target Is Empty',
				name: 'refuseWhenTargetEmpty',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse every create when the Target input has no contacts although this sync linked users to contacts before: creating them again would duplicate them',
			},
		],
	},
];
