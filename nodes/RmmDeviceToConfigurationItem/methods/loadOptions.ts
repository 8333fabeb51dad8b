import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { DATTO_UDF_SLOTS, deviceTypeLabel, readDattoDevice } from '../../../lib/devices/device';
import { AutotaskItemStore, ITEM_ENTITY } from '../../../lib/devices/autotask';
import { DEVICE_UID_FIELD } from '../../../lib/devices/fields';
import type { AutotaskClient } from '../../../lib/transport/autotask';
import { autotaskClient, dattoClient } from '../clients';

/**
 * The lists the mappings are chosen from, loaded from the tenants (Autotask products, types,
 * UDFs, contracts, services and bundles; Datto device types) and stored by id.
 */

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

const NONE: INodePropertyOptions = { name: '(None)', value: '' };

export async function getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await autotaskClient(this).query<{ id: number; name?: string; sku?: string }>(
		'Products',
		{
			filter: [{ op: 'eq', field: 'isActive', value: true }],
			includeFields: ['id', 'name', 'sku'],
		},
	);
	return rows
		.map((row) => ({
			name: `${row.name || row.id}${row.sku ? ` (${row.sku})` : ''}`,
			value: String(row.id),
		}))
		.sort(byName);
}

export async function getConfigurationItemTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const values = await autotaskClient(this).picklist(ITEM_ENTITY, 'configurationItemType');
	return [
		NONE,
		...values
			.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.label.localeCompare(b.label))
			.map((value) => ({ name: value.label, value: value.value })),
	];
}

export async function getConfigurationItemUdfs(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const names = await new AutotaskItemStore(autotaskClient(this)).udfNames();
	return names.map((name) => ({ name, value: name })).sort(byName);
}

export async function getDeviceUidFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const names = await new AutotaskItemStore(autotaskClient(this)).udfNames();
	return [
		{ name: `${DEVICE_UID_FIELD} (Default)`, value: '' },
		...names.map((name) => ({ name: `UDF: ${name}`, value: name })).sort(byName),
	];
}

async function companyNames(client: AutotaskClient, ids: number[]): Promise<Map<number, string>> {
	const rows = await client.queryByIds<{ id: number; companyName?: string }>('Companies', ids, [
		'id',
		'companyName',
	]);
	return new Map(rows.map((row) => [row.id, row.companyName || String(row.id)]));
}

interface ContractRow {
	id: number;
	companyID: number;
	contractName?: string;
}

async function activeContracts(client: AutotaskClient): Promise<ContractRow[]> {
	return await client.query<ContractRow>('Contracts', {
		filter: [{ op: 'eq', field: 'status', value: 1 }],
		includeFields: ['id', 'companyID', 'contractName', 'status'],
	});
}

export async function getContracts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = autotaskClient(this);
	const contracts = await activeContracts(client);
	const companies = await companyNames(client, [...new Set(contracts.map((c) => c.companyID))]);
	return contracts
		.map((contract) => ({
			name: `${companies.get(contract.companyID) ?? contract.companyID}: ${contract.contractName || contract.id}`,
			value: String(contract.id),
		}))
		.sort(byName);
}

async function contractChildren(
	ctx: ILoadOptionsFunctions,
	entity: 'ContractServices' | 'ContractServiceBundles',
	idField: 'serviceID' | 'serviceBundleID',
): Promise<INodePropertyOptions[]> {
	const client = autotaskClient(ctx);
	const contracts = new Map((await activeContracts(client)).map((c) => [c.id, c]));
	const rows = await client.query<{
		id: number;
		contractID: number;
		invoiceDescription?: string;
		serviceID?: number;
		serviceBundleID?: number;
	}>(entity, {
		filter: [{ op: 'exist', field: 'id' }],
		includeFields: ['id', 'contractID', 'invoiceDescription', idField],
	});
	return [
		NONE,
		...rows
			.filter((row) => contracts.has(row.contractID))
			.map((row) => ({
				name: `${contracts.get(row.contractID)!.contractName || row.contractID}: ${row.invoiceDescription || `${idField === 'serviceID' ? 'service' : 'bundle'} ${row[idField]}`}`,
				value: String(row.id),
			}))
			.sort(byName),
	];
}

export async function getContractServices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await contractChildren(this, 'ContractServices', 'serviceID');
}

export async function getContractServiceBundles(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await contractChildren(this, 'ContractServiceBundles', 'serviceBundleID');
}

/** How many devices the device-type list reads (a large account's types show up long before its last device). */
const DEVICE_TYPE_SAMPLE = 2_000;

/** The device categories, and category / type pairs, the account's devices carry. */
export async function getDeviceTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const devices = await dattoClient(this).listDevices(
		{ level: 'account' },
		{ limit: DEVICE_TYPE_SAMPLE },
	);
	const options = new Map<string, string>();
	for (const raw of devices) {
		const device = readDattoDevice(raw);
		if (!device?.category) continue;
		options.set(device.category.toLowerCase(), device.category);
		if (device.type && device.type.toLowerCase() !== device.category.toLowerCase())
			options.set(
				`${device.category}/${device.type}`.toLowerCase(),
				`${device.category}/${device.type}`,
			);
	}
	return [...options.values()]
		.map((value) => ({
			name: deviceTypeLabel({
				category: value.split('/')[0],
				type: value.split('/').slice(1).join('/'),
			}),
			value,
		}))
		.sort(byName);
}

/** Datto's UDF slots, udf1 to udf300. */
export async function getDattoUdfSlots(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return Array.from({ length: DATTO_UDF_SLOTS }, (_, index) => ({
		name: `UDF ${index + 1}`,
		value: `udf${index + 1}`,
	}));
}
