/**
 * The write rules every Autotask entity shares: a body's fields type-checked against the entity's
 * field metadata (read-only fields dropped, picklist values and lengths enforced), required
 * fields, references to records that exist and are active, dependent picklists, PATCH and PUT.
 */
import { entityByRoute } from './fields';
import type { EntityDefinition, FieldInfo } from './fieldInfo';
import { AutotaskFault, invalid } from './query';
import type { Actor, AutotaskState, Row } from './state';

export function nextId(state: AutotaskState, entity: EntityDefinition): number {
	const base: Record<string, number> = {
		Contacts: 30682000,
		Tickets: 7400,
		TicketNotes: 31200,
		TimeEntries: 52000,
		ConfigurationItems: 29700100,
	};
	const max = state
		.rows(entity)
		.reduce((m, row) => Math.max(m, Number(row.id) || 0), base[entity.route] ?? 1000);
	return max + 1;
}

export function stamp(state: AutotaskState): string {
	return state.now().toISOString();
}

/** The fields a write body sets, type-checked, with read-only fields dropped as Autotask drops them. */
export function changesOf(
	state: AutotaskState,
	entity: EntityDefinition,
	body: unknown,
): { changes: Row; udfs?: Array<{ name: string; value: string | null }> } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw invalid(`The request body must be a ${entity.name} object.`);
	}
	const fields = state.fields(entity);
	const changes: Row = {};
	let udfs: Array<{ name: string; value: string | null }> | undefined;
	for (const [key, value] of Object.entries(body as Row)) {
		if (key.toLowerCase() === 'id') continue;
		if (key.toLowerCase() === 'userdefinedfields' && entity.hasUserDefinedFields) {
			if (!Array.isArray(value))
				throw invalid('userDefinedFields must be an array of {name, value}.');
			udfs = value.map((udf: { name?: unknown; value?: unknown }) => ({
				name: String(udf?.name ?? ''),
				value: udf?.value === null || udf?.value === undefined ? null : String(udf.value),
			}));
			continue;
		}
		const field = fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
		if (!field) throw invalid(`Unable to find ${key} in the ${entity.name} Entity.`);
		// Read-only fields in a body are ignored (impersonatorCreatorResourceID, createDate...).
		if (field.isReadOnly) continue;
		changes[field.name] = coerce(entity, field, value);
	}
	return { changes, udfs };
}

export function checkRequired(
	state: AutotaskState,
	entity: EntityDefinition,
	row: Row,
	only?: string[],
): void {
	const missing = state
		.fields(entity)
		.filter(
			(field) => field.isRequired && !field.isReadOnly && (!only || only.includes(field.name)),
		)
		.filter(
			(field) =>
				row[field.name] === null || row[field.name] === undefined || row[field.name] === '',
		)
		.map((field) => `${field.name}: Value is required.`);
	if (missing.length) throw new AutotaskFault(500, missing);
}

/** Reference fields must point at a record that exists (and, for contacts and resources, is active). */
export function checkReferences(
	state: AutotaskState,
	entity: EntityDefinition,
	row: Row,
	changed: string[],
): void {
	const targets: Record<string, { entity: EntityDefinition; activeField?: string }> = {
		Company: { entity: entityByRoute('Companies')! },
		Contact: { entity: entityByRoute('Contacts')!, activeField: 'isActive' },
		Resource: {
			entity: entityByRoute('Resources')!,
			activeField: 'isActive',
		},
		ConfigurationItem: { entity: entityByRoute('ConfigurationItems')! },
		Ticket: { entity: entityByRoute('Tickets')! },
	};
	for (const field of state.fields(entity)) {
		if (!field.isReference || field.isReadOnly || !changed.includes(field.name)) continue;
		const value = row[field.name];
		if (value === null || value === undefined) continue;
		const target = targets[field.referenceEntityType];
		if (!target) continue;
		const found = state.find(target.entity, value);
		const active =
			found &&
			(!target.activeField ||
				(found[target.activeField] !== 0 && found[target.activeField] !== false));
		if (!found || !active) {
			throw invalid(`${field.name}: Value ${String(value)} does not exist or is invalid.`);
		}
	}
}

export function checkPicklistParents(
	state: AutotaskState,
	entity: EntityDefinition,
	row: Row,
	changed: string[],
): void {
	for (const field of state.fields(entity)) {
		if (!field.isPickList || !field.picklistParentValueField) continue;
		if (!changed.includes(field.name) && !changed.includes(field.picklistParentValueField))
			continue;
		const value = row[field.name];
		if (value === null || value === undefined) continue;
		const entry = field.picklistValues?.find((v) => v.value === String(value));
		const parent = row[field.picklistParentValueField];
		if (entry?.parentValue && String(parent ?? '') !== entry.parentValue) {
			throw invalid(
				`${field.name}: Value ${String(value)} does not belong to ${field.picklistParentValueField} ${String(parent ?? 'null')}.`,
			);
		}
	}
}

export function creator(actor: Actor): number {
	return actor.impersonatedResourceId ?? actor.user.resourceId;
}

export function merge(
	state: AutotaskState,
	entity: EntityDefinition,
	existing: Row,
	changes: Row,
	mode: 'patch' | 'put',
): Row {
	const row: Row = { ...existing };
	if (mode === 'put') {
		for (const field of state.fields(entity)) if (!field.isReadOnly) row[field.name] = null;
	}
	return Object.assign(row, changes);
}

export function existingFor(state: AutotaskState, entity: EntityDefinition, body: unknown): Row {
	const id =
		body && typeof body === 'object'
			? Object.entries(body as Row).find(([key]) => key.toLowerCase() === 'id')?.[1]
			: undefined;
	if (id === undefined || id === null || id === '') throw invalid('id: Value is required.');
	const existing = state.find(entity, id);
	if (!existing) throw invalid(`id: Value ${String(id)} does not exist or is invalid.`);
	return existing;
}

/** A write value converted to the field's type, or the vendor's 500 when it cannot be. */
function coerce(entity: EntityDefinition, field: FieldInfo, value: unknown): unknown {
	if (value === null || value === undefined) return null;
	let out: unknown;
	switch (field.dataType) {
		case 'integer':
		case 'long':
		case 'short': {
			const n =
				typeof value === 'number'
					? value
					: typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
						? Number(value)
						: NaN;
			if (!Number.isInteger(n))
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to an integer.`,
				);
			out = n;
			break;
		}
		case 'double':
		case 'decimal': {
			const n = typeof value === 'boolean' ? NaN : Number(value);
			if (!Number.isFinite(n))
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to a number.`,
				);
			out = n;
			break;
		}
		case 'boolean':
			if (typeof value === 'boolean') out = value;
			else if (typeof value === 'string' && /^(true|false)$/i.test(value))
				out = value.toLowerCase() === 'true';
			else
				throw invalid(
					`${field.name}: Value '${String(value)}' could not be converted to a boolean.`,
				);
			break;
		case 'datetime': {
			const time = typeof value === 'string' ? Date.parse(value) : NaN;
			if (!Number.isFinite(time))
				throw invalid(`${field.name}: Value '${String(value)}' is not a valid date and time.`);
			out = new Date(time).toISOString();
			break;
		}
		default: {
			if (typeof value === 'object') throw invalid(`${field.name}: Value must be text.`);
			const text = String(value);
			if (field.length && text.length > field.length) {
				throw invalid(
					`${entity.name}.${field.name}: Value exceeds the maximum length of ${field.length} characters (got ${text.length}).`,
				);
			}
			out = text;
		}
	}
	if (field.isPickList && field.picklistValues) {
		const active = field.picklistValues.filter((v) => v.isActive);
		if (!active.some((v) => v.value === String(out))) {
			throw invalid(`${field.name}: Value ${String(out)} is not a valid picklist value.`);
		}
	}
	return out;
}

export function mergeUdfs(
	existing: unknown,
	changes: Array<{ name: string; value: string | null }>,
): Array<{ name: string; value: string | null }> {
	const out = structuredClone((existing ?? []) as Array<{ name: string; value: string | null }>);
	for (const change of changes) {
		const found = out.find((udf) => udf.name.toLowerCase() === change.name.toLowerCase());
		if (found) found.value = change.value;
		else out.push(change);
	}
	return out;
}

/** Replaces a stored row's fields in place (the arrays hold the same object). */
export function replaceRow(existing: Row, row: Row): void {
	Object.keys(existing).forEach((key) => delete existing[key]);
	Object.assign(existing, row);
}
