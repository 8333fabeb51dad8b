import type { INodeProperties } from 'n8n-workflow';

/** Where Sync Devices' parameters show. */
export const SYNC = { show: { operation: ['syncDevices'] } };

const typeOption = (description: string): INodeProperties => ({
	displayName: 'Configuration Item Type Name or ID',
	name: 'configurationItemType',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getConfigurationItemTypes' },
	default: '',
	description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
});

/**
 * The mappings, each chosen from lists the tenant serves and stored by id: device type → product
 * and configuration item type (with defaults), Datto UDF → configuration item UDF, contract rules.
 */
export const mappings: INodeProperties[] = [
	{
		displayName: 'Device Type Rules',
		name: 'deviceTypeRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Device Type Rule',
		default: {},
		description:
			"Product and type of new configuration items by the Datto device's category (or category and type); the most specific rule wins",
		displayOptions: SYNC,
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Device Type Name or ID',
						name: 'deviceType',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getDeviceTypes' },
						default: '',
						description:
							'The Datto RMM device category, or category / type, as your devices carry them. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Product Name or ID',
						name: 'product',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getProducts' },
						default: '',
						description:
							'The Autotask product new configuration items of these devices get. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					typeOption('Their configuration item type; empty takes the default below'),
				],
			},
		],
	},
	{
		displayName: 'Default Product Name or ID',
		name: 'defaultProduct',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getProducts' },
		default: '',
		description:
			'Product of devices no rule covers; empty sends them to Needs Review instead. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: SYNC,
	},
	{
		...typeOption('Type of new configuration items whose rule names none'),
		displayName: 'Default Configuration Item Type Name or ID',
		name: 'defaultConfigurationItemType',
		displayOptions: SYNC,
	},
	{
		displayName: 'UDF Rules',
		name: 'udfRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add UDF Rule',
		default: {},
		description:
			'Datto RMM device UDFs written into configuration item UDFs; an empty Datto value never clears one',
		displayOptions: SYNC,
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Datto UDF Name or ID',
						name: 'dattoUdf',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getDattoUdfSlots' },
						default: 'udf1',
						description:
							'The device UDF slot (udf1 to udf300). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Configuration Item UDF Name or ID',
						name: 'udfName',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getConfigurationItemUdfs' },
						default: '',
						description:
							'The Autotask configuration item UDF it is written into. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
	{
		displayName: 'Contract Rules',
		name: 'contractRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Contract Rule',
		default: {},
		description:
			"The contract new configuration items are billed on: a rule applies to its contract's company, for one configuration item type or all",
		displayOptions: SYNC,
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Contract Name or ID',
						name: 'contract',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getContracts' },
						default: '',
						description:
							'An active contract; its company is the one the rule applies to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					typeOption('Only items of this type; empty for every type of the company'),
					{
						displayName: 'Service Name or ID',
						name: 'service',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getContractServices' },
						default: '',
						description:
							'For a recurring service contract: the service the items count on. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Service Bundle Name or ID',
						name: 'bundle',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getContractServiceBundles' },
						default: '',
						description:
							'Or the service bundle they count on. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
	{
		displayName: "Use Each Company's Default Contract",
		name: 'useDefaultContracts',
		type: 'boolean',
		default: false,
		description:
			"Whether new configuration items no contract rule covers are billed on their company's default contract",
		displayOptions: SYNC,
	},
];
