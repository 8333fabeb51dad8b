/**
 * How the sandbox describes an Autotask entity's fields, as `/{Entity}/entityInformation/fields`
 * returns them: names and types from the vendor's own Swagger document (sandbox/specs), so the
 * sandbox and the contract never drift, with lengths, flags and picklists layered on top.
 */
import spec from '../specs/autotask.openapi.json';

export interface PickListValue {
	value: string;
	label: string;
	isDefaultValue: boolean;
	sortOrder: number;
	parentValue: string;
	isActive: boolean;
	isSystem: boolean;
}

export interface FieldInfo {
	name: string;
	dataType: string;
	length: number;
	isRequired: boolean;
	isReadOnly: boolean;
	isQueryable: boolean;
	isReference: boolean;
	referenceEntityType: string;
	isPickList: boolean;
	picklistValues: PickListValue[] | null;
	picklistParentValueField: string;
	isSupportedWebhookField: boolean;
}

/** How the sandbox knows an entity: its route name, its singular name and its rules. */
export interface EntityDefinition {
	/** Route segment, e.g. "Contacts". */
	route: string;
	/** Singular name as entityInformation reports it, e.g. "Contact". */
	name: string;
	/** The seed file that holds its rows. */
	seedFile: string;
	canCreate: boolean;
	canUpdate: boolean;
	canDelete: boolean;
	hasUserDefinedFields: boolean;
	supportsWebhookCallouts: boolean;
	fields: FieldInfo[];
	/** Picklists whose values are the rows of another entity (field → its seed file, rows `{id, name, isActive}`). */
	picklistRows?: Record<string, string>;
}

export type FieldOverride = Partial<Omit<FieldInfo, 'picklistValues'>> & {
	picklist?: Array<[number | string, string, (number | string)?]>;
};

const DEFAULT_STRING_LENGTH = 100; // [U] for strings whose length the vendor does not state

function specType(property: { type?: string; format?: string }): string {
	if (property.type === 'integer') return property.format === 'int64' ? 'long' : 'integer';
	if (property.type === 'number') return 'double';
	if (property.type === 'boolean') return 'boolean';
	if (property.type === 'string' && property.format === 'date-time') return 'datetime';
	return 'string';
}

export function picklist(
	values: Array<[number | string, string, (number | string)?]>,
	defaultValue?: number | string,
): PickListValue[] {
	return values.map(([value, label, parent], index) => ({
		value: String(value),
		label,
		isDefaultValue: defaultValue !== undefined && String(defaultValue) === String(value),
		sortOrder: index + 1,
		parentValue: parent === undefined ? '' : String(parent),
		isActive: true,
		isSystem: false,
	}));
}

export function buildFields(
	properties: Record<string, { type?: string; format?: string; readOnly?: boolean }>,
	overrides: Record<string, FieldOverride>,
	extra: string[] = [],
): FieldInfo[] {
	const out: FieldInfo[] = [];
	for (const [name, property] of Object.entries(properties)) {
		if (name === 'userDefinedFields' || name === 'soapParentPropertyId') continue;
		if (extra.includes(name)) continue;
		const dataType = specType(property);
		const override = overrides[name] ?? {};
		const { picklist: values, ...rest } = override;
		out.push({
			name,
			dataType,
			length: dataType === 'string' ? DEFAULT_STRING_LENGTH : 0,
			isRequired: false,
			isReadOnly: name === 'id',
			isQueryable: true,
			isReference: false,
			referenceEntityType: '',
			isPickList: values !== undefined,
			picklistValues: values ? picklist(values) : null,
			picklistParentValueField: '',
			isSupportedWebhookField: false,
			...rest,
		});
	}
	return out;
}

export const definitions = (
	spec as unknown as {
		definitions: Record<string, { properties: Record<string, { type?: string; format?: string }> }>;
	}
).definitions;

export const ref = (entity: string): FieldOverride => ({
	isReference: true,
	referenceEntityType: entity,
});
export const ro: FieldOverride = { isReadOnly: true };
export const text = (length: number, more: FieldOverride = {}): FieldOverride => ({
	length,
	...more,
});
