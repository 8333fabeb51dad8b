import { cleanText } from '../contacts/normalize';
import { InputError } from '../transport/http';
import { DATTO_UDF_SLOTS, deviceTypeKeys } from './device';
import type { Device } from './device';
import type { MappedValues } from './fields';

/**
 * The device sync's mappings, each chosen from lists the tenant serves and stored by id: device
 * type → product and configuration item type (with a default), Datto UDF slot → configuration
 * item UDF (by name), and contract rules (contract, optionally for one configuration item type,
 * optionally a service or bundle). The contract's company comes from the contract itself.
 */

export interface TypeRule {
	/** "category/type" or "category", lower-cased. */
	key: string;
	productId: number;
	configurationItemType?: number;
}

export interface UdfRule {
	slot: number;
	udfName: string;
}

export interface ContractRule {
	contractId: number;
	/** The contract's company (read from Autotask); a rule applies to that company's devices only. */
	companyId?: number;
	/** Undefined: every configuration item type of the company. */
	configurationItemType?: number;
	serviceId?: number;
	bundleId?: number;
}

export interface DeviceMapping {
	typeRules: TypeRule[];
	defaultProductId?: number;
	defaultConfigurationItemType?: number;
	udfRules: UdfRule[];
	contractRules: ContractRule[];
	/** Companies' default contracts (company id → contract id), when the node uses them. */
	defaultContracts?: ReadonlyMap<number, number>;
}

/** The node's mapping parameters, as entered (ids as strings or numbers, blanks allowed). */
export interface RawMapping {
	typeRules?: Array<Record<string, unknown>>;
	defaultProduct?: unknown;
	defaultConfigurationItemType?: unknown;
	udfRules?: Array<Record<string, unknown>>;
	contractRules?: Array<Record<string, unknown>>;
}

const blank = (value: unknown) => cleanText(value) === '';

function id(value: unknown, where: string, field: string, what: string): number | undefined {
	if (blank(value)) return undefined;
	const text = cleanText(value);
	const number = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
	if (Number.isSafeInteger(number) && number > 0) return number;
	throw new InputError(
		field,
		`${where}: ${field} is "${text}", which is not ${what}`,
		`Choose the ${what} from the list (it is stored by its id).`,
	);
}

/** "udf7", "UDF 7", "7" → 7. */
export function udfSlot(value: unknown): number | undefined {
	const match = /^\s*(?:udf\s*)?(\d{1,3})\s*$/i.exec(cleanText(value));
	const slot = match ? Number(match[1]) : NaN;
	return slot >= 1 && slot <= DATTO_UDF_SLOTS ? slot : undefined;
}

/** The mapping the node's parameters describe; an InputError names the rule and the field. */
export function readMapping(raw: RawMapping): DeviceMapping {
	const typeRules: TypeRule[] = [];
	const seenTypes = new Set<string>();
	(raw.typeRules ?? []).forEach((rule, index) => {
		const where = `Device Type Rules, rule ${index + 1}`;
		const deviceType = cleanText(rule.deviceType);
		if (!deviceType)
			throw new InputError(
				'Device Type',
				`${where}: Device Type is empty`,
				'Choose the Datto device type (category, or category / type) the rule is for.',
			);
		const [category, ...rest] = deviceType.split('/');
		const key = [category.trim(), rest.join('/').trim()].filter(Boolean).join('/').toLowerCase();
		if (seenTypes.has(key))
			throw new InputError(
				'Device Type',
				`${where}: Device Type "${deviceType}" has a rule already`,
				'Keep one rule per device type.',
			);
		seenTypes.add(key);
		const productId = id(rule.product, where, 'Product', 'an Autotask product');
		if (productId === undefined)
			throw new InputError(
				'Product',
				`${where}: Product is empty`,
				`Choose the Autotask product new configuration items of "${deviceType}" devices get.`,
			);
		typeRules.push({
			key,
			productId,
			configurationItemType: id(
				rule.configurationItemType,
				where,
				'Configuration Item Type',
				'a configuration item type',
			),
		});
	});

	const udfRules: UdfRule[] = [];
	(raw.udfRules ?? []).forEach((rule, index) => {
		const where = `UDF Rules, rule ${index + 1}`;
		const slot = udfSlot(rule.dattoUdf);
		if (slot === undefined)
			throw new InputError(
				'Datto UDF',
				`${where}: Datto UDF is "${cleanText(rule.dattoUdf)}", not one of udf1 to udf${DATTO_UDF_SLOTS}`,
				'Choose the Datto RMM device UDF (udf1 to udf300).',
			);
		const udfName = cleanText(rule.udfName);
		if (!udfName)
			throw new InputError(
				'Configuration Item UDF',
				`${where}: Configuration Item UDF is empty`,
				'Choose the Autotask configuration item UDF the Datto UDF is written into.',
			);
		if (udfRules.some((other) => other.udfName.toLowerCase() === udfName.toLowerCase()))
			throw new InputError(
				'Configuration Item UDF',
				`${where}: the UDF "${udfName}" is written by another rule already`,
				'Write each configuration item UDF from one Datto UDF.',
			);
		udfRules.push({ slot, udfName });
	});

	const contractRules: ContractRule[] = [];
	(raw.contractRules ?? []).forEach((rule, index) => {
		const where = `Contract Rules, rule ${index + 1}`;
		const contractId = id(rule.contract, where, 'Contract', 'an Autotask contract');
		if (contractId === undefined)
			throw new InputError(
				'Contract',
				`${where}: Contract is empty`,
				'Choose the contract the matching configuration items are billed on.',
			);
		const serviceId = id(rule.service, where, 'Service', 'a contract service');
		const bundleId = id(rule.bundle, where, 'Service Bundle', 'a contract service bundle');
		if (serviceId !== undefined && bundleId !== undefined)
			throw new InputError(
				'Service Bundle',
				`${where}: both a Service and a Service Bundle are set`,
				'A configuration item is billed on a service or on a bundle: keep one.',
			);
		contractRules.push({
			contractId,
			configurationItemType: id(
				rule.configurationItemType,
				where,
				'Configuration Item Type',
				'a configuration item type',
			),
			serviceId,
			bundleId,
		});
	});

	return {
		typeRules,
		defaultProductId: id(raw.defaultProduct, 'Default Product', 'Default Product', 'a product'),
		defaultConfigurationItemType: id(
			raw.defaultConfigurationItemType,
			'Default Configuration Item Type',
			'Default Configuration Item Type',
			'a configuration item type',
		),
		udfRules,
		contractRules,
	};
}

/** Product and type for a device: the rule of its "category/type", of its category, else the defaults. */
export function productFor(
	mapping: DeviceMapping,
	device: Pick<Device, 'category' | 'type'>,
): { productId?: number; configurationItemType?: number; rule?: string } {
	for (const key of deviceTypeKeys(device)) {
		const rule = mapping.typeRules.find((candidate) => candidate.key === key);
		if (rule)
			return {
				productId: rule.productId,
				configurationItemType: rule.configurationItemType ?? mapping.defaultConfigurationItemType,
				rule: key,
			};
	}
	return {
		productId: mapping.defaultProductId,
		configurationItemType: mapping.defaultConfigurationItemType,
	};
}

/** The contract for a company's item of a type: its rule for that type, its rule for any type, its default contract. */
export function contractFor(
	mapping: DeviceMapping,
	companyId: number,
	configurationItemType: number | undefined,
): Pick<MappedValues, 'contractId' | 'contractServiceId' | 'contractServiceBundleId'> {
	const ofCompany = mapping.contractRules.filter((rule) => rule.companyId === companyId);
	const rule =
		ofCompany.find(
			(candidate) =>
				configurationItemType !== undefined &&
				candidate.configurationItemType === configurationItemType,
		) ?? ofCompany.find((candidate) => candidate.configurationItemType === undefined);
	if (rule)
		return {
			contractId: rule.contractId,
			contractServiceId: rule.serviceId,
			contractServiceBundleId: rule.bundleId,
		};
	const fallback = mapping.defaultContracts?.get(companyId);
	return fallback === undefined ? {} : { contractId: fallback };
}

/** The values a device's item should hold by the mappings, in its company. */
export function mappedValues(
	mapping: DeviceMapping,
	device: Pick<Device, 'category' | 'type'>,
	companyId: number,
): MappedValues & { rule?: string } {
	const product = productFor(mapping, device);
	return { ...product, ...contractFor(mapping, companyId, product.configurationItemType) };
}
