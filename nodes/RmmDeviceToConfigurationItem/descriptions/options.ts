import type { INodeProperties } from 'n8n-workflow';

import { SYNC } from './mappings';

/** Which devices are read, and the notice about the Customer Map input. */
export const scope: INodeProperties[] = [
	{
		displayName:
			'Connect the customer map to the second input ("Customer Map"): one item per customer with name, autotaskCompanyId and dattoSiteUids (comma-separated), e.g. from a Data Table node (Get Many rows). A Datto site in no row is reported, never guessed.',
		name: 'customerMapNotice',
		type: 'notice',
		default: '',
		displayOptions: SYNC,
	},
	{
		displayName: 'Devices From',
		name: 'devicesFrom',
		type: 'options',
		options: [
			{
				name: 'Whole Account',
				value: 'account',
				description:
					'Read every device once; devices of sites in no row of the map are reported as unmapped',
			},
			{
				name: 'Mapped Sites Only',
				value: 'mappedSites',
				description: 'Read the devices of the mapped sites one site at a time',
			},
		],
		default: 'account',
		displayOptions: SYNC,
	},
];

/** The guard, the grace period and the small choices. */
export const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: SYNC,
	options: [
		{
			displayName: 'Always Allow Up To',
			name: 'alwaysAllow',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 3,
			description:
				'Deactivations a customer may have in one run whatever the share (so a customer with four devices may lose one); above it the share below applies',
		},
		{
			displayName: 'Device UID Field Name or ID',
			name: 'deviceUidUdf',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getDeviceUidFields' },
			default: '',
			description:
				'Where the device\'s uid is kept on its configuration item: rmmDeviceUID, or a configuration item UDF when your Autotask refuses rmmDeviceUID over the API. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to plan only: nothing is written and the sync remembers nothing',
		},
		{
			displayName: 'Grace Period (Days)',
			name: 'graceDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 30,
			description:
				'Days after a device was last seen before the configuration item of a device deleted in (or gone from) Datto RMM is deactivated; items are never deleted',
		},
		{
			displayName: 'Max Deactivation Share (%)',
			name: 'maxDeactivationShare',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 20,
			description:
				"Above Always Allow Up To, the largest share of a customer's linked configuration items one run may deactivate (a move counts in the company the device left); more is held back and the run fails",
		},
	],
};
