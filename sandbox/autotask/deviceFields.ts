/**
 * Configuration items and what they point at (products, configuration item types, contracts and
 * their services and bundles): their field metadata as `/{Entity}/entityInformation/fields`
 * returns it, names and types from the vendor's Swagger document, flags and lengths on top.
 *
 * [U] Which configuration item fields REST accepts: the document marks none of the rmm* and datto*
 * fields read-only, yet the Datto RMM and BCDR integrations fill them. This sandbox's reading: the
 * device uid and id and the text audit fields (hostname, IP addresses, operating system, last user,
 * description, MAC address) are writable; the audit picklist ids, counters, URLs and flags, and
 * every datto* (BCDR) field, are read-only. Tests flip flags with `state.fieldOverrides`.
 */
import { buildFields, definitions, ref, ro, text } from './fieldInfo';
import type { EntityDefinition, FieldOverride } from './fieldInfo';

/** The configurationItemType picklist of a new tenant [U]; a seed's configurationItemTypes.json replaces it. */
export const DEFAULT_CONFIGURATION_ITEM_TYPES: Array<[number, string]> = [
	[1, 'Workstation'],
	[2, 'Server'],
	[3, 'Network Device'],
	[4, 'Printer'],
];

const ciProperties = definitions.ConfigurationItemModel.properties;

const readOnlyIntegrationFields = Object.fromEntries(
	Object.keys(ciProperties)
		.filter(
			(name) =>
				name.startsWith('datto') ||
				(name.startsWith('rmmDeviceAudit') && name.endsWith('ID')) ||
				[
					'rmmOpenAlertCount',
					'rmmDeviceUrl',
					'rmmIsInMaintenanceMode',
					'rmmIsMobileDeviceManagementEnrolled',
					'rmmDeviceAuditMemoryBytes',
					'rmmDeviceAuditStorageBytes',
					'rmmDeviceAuditMissingPatchCount',
					'rmmVsaxDeviceID',
				].includes(name),
		)
		.map((name) => [name, ro]),
) as Record<string, FieldOverride>;

const configurationItemFields = buildFields(ciProperties, {
	...readOnlyIntegrationFields,
	id: ro,
	companyID: { ...ref('Company'), isRequired: true },
	productID: { ...ref('Product'), isRequired: true },
	isActive: { isRequired: true },
	configurationItemType: { picklist: DEFAULT_CONFIGURATION_ITEM_TYPES },
	configurationItemCategoryID: ref('ConfigurationItemCategory'),
	contactID: ref('Contact'),
	contractID: ref('Contract'),
	contractServiceID: ref('ContractService'),
	contractServiceBundleID: ref('ContractServiceBundle'),
	parentConfigurationItemID: ref('ConfigurationItem'),
	referenceTitle: text(200),
	referenceNumber: text(50),
	serialNumber: text(100),
	location: text(100),
	notes: text(5000),
	rmmDeviceUID: text(100),
	rmmDeviceAuditHostname: text(100),
	rmmDeviceAuditIPAddress: text(100),
	rmmDeviceAuditExternalIPAddress: text(100),
	rmmDeviceAuditOperatingSystem: text(200),
	rmmDeviceAuditLastUser: text(100),
	rmmDeviceAuditDescription: text(200),
	rmmDeviceAuditMacAddress: text(100),
	apiVendorID: ro,
	createDate: ro,
	createdByPersonID: { ...ro, ...ref('Resource') },
	impersonatorCreatorResourceID: { ...ro, ...ref('Resource') },
	lastActivityPersonID: ro,
	lastActivityPersonType: ro,
	lastModifiedTime: ro,
	sourceChargeID: ro,
	sourceChargeType: ro,
});

const productFields = buildFields(definitions.ProductModel.properties, {
	id: ro,
	name: text(100, { isRequired: true }),
	description: text(2000),
	sku: text(50),
	manufacturerName: text(100),
	manufacturerProductName: text(100),
	externalProductID: text(50),
	internalProductID: text(100),
	vendorProductNumber: text(50),
	isActive: { isRequired: true },
	defaultInstalledProductCategoryID: ref('ConfigurationItemCategory'),
	createdByResourceID: { ...ro, ...ref('Resource') },
	createdTime: ro,
	impersonatorCreatorResourceID: ro,
});

const configurationItemTypeFields = buildFields(definitions.ConfigurationItemTypeModel.properties, {
	id: ro,
	name: text(100, { isRequired: true }),
	isActive: { isRequired: true },
});

const contractFields = buildFields(definitions.ContractModel.properties, {
	id: ro,
	companyID: { ...ref('Company'), isRequired: true },
	contractName: text(100, { isRequired: true }),
	contractNumber: text(50),
	description: text(2000),
	contactName: text(100),
	purchaseOrderNumber: text(50),
	// [U] labels; the values are Autotask's contract types.
	contractType: {
		isRequired: true,
		picklist: [
			[1, 'Time and Materials'],
			[3, 'Fixed Price'],
			[4, 'Block Hours'],
			[6, 'Retainer'],
			[7, 'Recurring Service'],
			[8, 'Per Ticket'],
		],
	},
	status: {
		isRequired: true,
		picklist: [
			[0, 'Inactive'],
			[1, 'Active'],
		],
	},
	lastModifiedDateTime: ro,
});

const contractServiceFields = buildFields(definitions.ContractServiceModel.properties, {
	id: ro,
	contractID: { ...ref('Contract'), isRequired: true },
	serviceID: { isRequired: true },
	invoiceDescription: text(1000),
	internalDescription: text(100),
});

const contractServiceBundleFields = buildFields(definitions.ContractServiceBundleModel.properties, {
	id: ro,
	contractID: { ...ref('Contract'), isRequired: true },
	serviceBundleID: { isRequired: true },
	invoiceDescription: text(1000),
	internalDescription: text(100),
});

const entity = (
	route: string,
	name: string,
	seedFile: string,
	fields: EntityDefinition['fields'],
	more: Partial<EntityDefinition> = {},
): EntityDefinition => ({
	route,
	name,
	seedFile,
	canCreate: true,
	canUpdate: true,
	canDelete: false,
	hasUserDefinedFields: false,
	supportsWebhookCallouts: false,
	fields,
	...more,
});

/** The entities of the device sync; only ConfigurationItems is written (configurationItems.ts). */
export const DEVICE_ENTITIES: EntityDefinition[] = [
	entity('ConfigurationItems', 'ConfigurationItem', 'configurationItems', configurationItemFields, {
		hasUserDefinedFields: true,
		supportsWebhookCallouts: true,
		picklistRows: { configurationItemType: 'configurationItemTypes' },
	}),
	entity('Products', 'Product', 'products', productFields, { hasUserDefinedFields: true }),
	entity(
		'ConfigurationItemTypes',
		'ConfigurationItemType',
		'configurationItemTypes',
		configurationItemTypeFields,
		{ canDelete: true },
	),
	entity('Contracts', 'Contract', 'contracts', contractFields, { hasUserDefinedFields: true }),
	entity('ContractServices', 'ContractService', 'contractServices', contractServiceFields, {
		canCreate: false,
		canUpdate: false,
	}),
	entity(
		'ContractServiceBundles',
		'ContractServiceBundle',
		'contractServiceBundles',
		contractServiceBundleFields,
		{ canCreate: false, canUpdate: false },
	),
];

/** The seed files these entities add to the Autotask layout (configurationItems was there already). */
export const DEVICE_SEED_FILES = [
	'products',
	'contracts',
	'configurationItemTypes',
	'contractServices',
	'contractServiceBundles',
] as const;
