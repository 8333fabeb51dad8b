/**
 * The ConnectWise entities' fields: their types, read from the vendor's own OpenAPI document, so
 * that conditions, `fields=` and `orderBy` know which fields exist and what kind of literal each
 * takes; and the limits the PSA enforces on writes.
 */
import spec from '../specs/connectwise-manage.openapi.json';
import type { FieldKind, FieldResolver } from './conditions';

interface SchemaNode {
	$ref?: string;
	type?: string;
	format?: string;
	properties?: Record<string, SchemaNode>;
	items?: SchemaNode;
	additionalProperties?: SchemaNode | boolean;
}

const schemas = (spec as unknown as { components: { schemas: Record<string, SchemaNode> } })
	.components.schemas;

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
	if (!node?.$ref) return node;
	return schemas[node.$ref.replace('#/components/schemas/', '')];
}

/** `_info` dates are strings in the spec; conditions treat them as datetimes, as the PSA does. */
const INFO_DATES = new Set(['lastupdated', 'dateentered']);

/** `lastUpdated > [...]` is written without `_info/` (the developer guide's condition examples). */
const TOP_LEVEL_ALIASES: Record<string, string> = {
	lastupdated: '_info/lastUpdated',
	dateentered: '_info/dateEntered',
};

export interface EntityFields extends FieldResolver {
	/** The array-valued top-level property a childConditions path starts with, if any. */
	childCollection(path: string): string | undefined;
	/** The real (case-correct) top-level property name, or undefined. */
	property(name: string): string | undefined;
}

export function entityFields(schemaName: string): EntityFields {
	const root = schemas[schemaName];
	if (!root) throw new Error(`No schema ${schemaName} in the ConnectWise spec`);

	const expand = (path: string): string[] => {
		const alias = TOP_LEVEL_ALIASES[path.toLowerCase()];
		return (alias ?? path).split('/').filter(Boolean);
	};

	const kind = (path: string): FieldKind | undefined => {
		let node: SchemaNode | undefined = root;
		const segments = expand(path);
		for (let i = 0; i < segments.length; i++) {
			node = resolve(node);
			if (node?.type === 'array') node = resolve(node.items);
			const segment = segments[i];
			if (node?.properties) {
				const key = Object.keys(node.properties).find(
					(k) => k.toLowerCase() === segment.toLowerCase(),
				);
				if (!key) return undefined;
				node = node.properties[key];
			} else if (node?.additionalProperties && typeof node.additionalProperties === 'object') {
				if (INFO_DATES.has(segment.toLowerCase()))
					return i === segments.length - 1 ? 'datetime' : undefined;
				node = node.additionalProperties;
			} else return undefined;
		}
		node = resolve(node);
		if (node?.type === 'array') node = resolve(node.items);
		switch (node?.type) {
			case 'integer':
			case 'number':
				return 'numeric';
			case 'boolean':
				return 'boolean';
			case 'string':
				return node.format === 'date-time' ? 'datetime' : 'string';
			default:
				return node ? 'object' : undefined;
		}
	};

	const values = (record: unknown, path: string): unknown[] => {
		let current: unknown[] = [record];
		for (const segment of expand(path)) {
			const next: unknown[] = [];
			for (const value of current) {
				if (value === null || value === undefined || typeof value !== 'object') continue;
				const key = Object.keys(value).find((k) => k.toLowerCase() === segment.toLowerCase());
				const child = key === undefined ? undefined : (value as Record<string, unknown>)[key];
				if (Array.isArray(child)) next.push(...child);
				else next.push(child);
			}
			current = next;
		}
		return current.filter((value) => value !== undefined);
	};

	const property = (name: string): string | undefined =>
		Object.keys(root.properties ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());

	const childCollection = (path: string): string | undefined => {
		const first = property(path.split('/')[0]);
		if (!first) return undefined;
		return resolve(root.properties![first])?.type === 'array' ? first : undefined;
	};

	return { kind, values, property, childCollection };
}

/** The top-level properties a schema declares, exactly as spelled (PATCH paths are case-sensitive). */
export function schemaProperties(schemaName: string): string[] {
	return Object.keys(schemas[schemaName]?.properties ?? {});
}

/** Contact field lengths of ConnectWise's Contact model (Manage 2025.1). */
export const CONTACT_LIMITS: Record<string, number> = {
	firstName: 30,
	lastName: 30,
	title: 100,
	addressLine1: 50,
	addressLine2: 50,
	city: 50,
	state: 50,
	zip: 12,
	nickName: 30,
	school: 50,
	securityIdentifier: 184,
};
export const COMMUNICATION_VALUE_MAX = 250;
export const COMMUNICATION_EXTENSION_MAX = 15;

export const CONTACT_FIELDS = entityFields('Contact');
export const COMMUNICATION_FIELDS = entityFields('ContactCommunication');
export const TYPE_FIELDS = entityFields('CommunicationType');
export const COMPANY_FIELDS = entityFields('Company');
export const CUSTOM_FIELD_FIELDS = entityFields('CustomFieldValue');
export const CONTACT_PROPERTIES = schemaProperties('Contact');
export const COMMUNICATION_PROPERTIES = schemaProperties('ContactCommunication');
export const READ_ONLY = new Set(['id', '_info', 'contactId']);

/**
 * The string limits a schema states (" Max length: 100;" in a property's description, as the
 * Manage document writes them), by property name.
 */
export function schemaLimits(schemaName: string): Record<string, number> {
	const limits: Record<string, number> = {};
	const properties = (schemas[schemaName]?.properties ?? {}) as Record<
		string,
		SchemaNode & { description?: string }
	>;
	for (const [name, property] of Object.entries(properties)) {
		const match = /Max length: (\d+);/.exec(property.description ?? '');
		if (match) limits[name] = Number(match[1]);
	}
	return limits;
}

/** The properties a schema lists as required. */
export function schemaRequired(schemaName: string): string[] {
	return ((schemas[schemaName] as { required?: string[] } | undefined)?.required ?? []).slice();
}

export const TICKET_FIELDS = entityFields('Ticket');
export const TICKET_PROPERTIES = schemaProperties('Ticket');
export const NOTE_FIELDS = entityFields('ServiceNote');
export const BOARD_FIELDS = entityFields('Board');
export const BOARD_STATUS_FIELDS = entityFields('BoardStatus');
export const BOARD_TYPE_FIELDS = entityFields('BoardType');
export const BOARD_SUBTYPE_FIELDS = entityFields('BoardSubType');
export const BOARD_ITEM_FIELDS = entityFields('BoardItem');
export const PRIORITY_FIELDS = entityFields('Priority');
export const SOURCE_FIELDS = entityFields('Source');
export const CONFIGURATION_FIELDS = entityFields('Company.Configuration');
export const CONFIGURATION_PROPERTIES = schemaProperties('Company.Configuration');
export const CONFIGURATION_TYPE_FIELDS = entityFields('ConfigurationType');
export const CONFIGURATION_REFERENCE_FIELDS = entityFields('ConfigurationReference');
export const TIME_ENTRY_FIELDS = entityFields('TimeEntry');
export const CALLBACK_FIELDS = entityFields('CallbackEntry');
export const CALLBACK_PROPERTIES = schemaProperties('CallbackEntry');
