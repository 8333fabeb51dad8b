/** PATCH bodies: ConnectWise's JSON-patch dialect, applied to a draft before the write rules run. */
import type { SandboxResponse } from '../core/types';
import { cwError } from './errors';
import { READ_ONLY } from './fields';
import type { EntityFields } from './fields';
import { clone, isObject } from './state';

/**
 * ConnectWise's JSON-patch dialect (developer guide, PATCH): an array of {op, path, value}; `path` is
 * a top-level field name, case-sensitive; a sub-path such as company/identifier is ignored with a
 * "false 200"; object values replace the whole reference.
 */
export function applyPatch(
	target: Record<string, unknown>,
	operations: unknown,
	properties: string[],
	fields: EntityFields,
	special?: (path: string, value: unknown) => SandboxResponse | null | undefined,
): SandboxResponse | undefined {
	if (!Array.isArray(operations)) {
		return cwError(
			400,
			'InvalidPatch',
			'The request body must be an array of patch operations: [{"op": "replace", "path": "field", "value": ...}].',
		);
	}
	for (const operation of operations) {
		if (!isObject(operation))
			return cwError(
				400,
				'InvalidPatch',
				'Each patch operation must be an object with op, path and value.',
			);
		const {
			op,
			path: rawPath,
			value,
		} = operation as { op?: unknown; path?: unknown; value?: unknown };
		const verb = String(op ?? '').toLowerCase();
		if (!['add', 'replace', 'remove'].includes(verb)) {
			return cwError(
				400,
				'InvalidPatch',
				`The patch operation "${String(op)}" is not supported. Use add, replace or remove.`,
			);
		}
		const path = String(rawPath ?? '').replace(/^\//, '');
		if (!path) return cwError(400, 'InvalidPatch', 'A patch operation has no path.');
		// "You may receive a false 200" for a path inside an object (developer guide, PATCH).
		if (path.includes('/')) continue;
		if (!properties.includes(path)) {
			return cwError(
				400,
				'InvalidPatch',
				`The path "${path}" does not exist on this object. Paths are field names and case-sensitive.`,
			);
		}
		if (READ_ONLY.has(path)) continue;
		const handled = special?.(path, value);
		if (handled) return handled;
		if (handled === null) continue;
		if (verb === 'remove' || value === null) {
			delete target[path];
			continue;
		}
		const converted = convert(value, fields.kind(path));
		if (converted.error) return cwError(400, 'InvalidPatch', converted.error);
		target[path] = converted.value;
	}
	return undefined;
}

function convert(value: unknown, kind: string | undefined): { value?: unknown; error?: string } {
	const netType = (v: unknown) =>
		typeof v === 'string'
			? 'System.String'
			: typeof v === 'boolean'
				? 'System.Boolean'
				: typeof v === 'number'
					? 'System.Int64'
					: Array.isArray(v)
						? 'System.Array'
						: 'System.Object';
	switch (kind) {
		case 'boolean':
			if (typeof value === 'boolean') return { value };
			if (value === 'true' || value === 'false') return { value: value === 'true' };
			return { error: `Could not cast or convert from ${netType(value)} to System.Boolean.` };
		case 'numeric':
			if (typeof value === 'number') return { value };
			if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
				return { value: Number(value) };
			return { error: `Could not cast or convert from ${netType(value)} to System.Int32.` };
		case 'string':
		case 'datetime':
			if (typeof value === 'string') return { value };
			if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
			return { error: `Could not cast or convert from ${netType(value)} to System.String.` };
		default:
			if (isObject(value) || Array.isArray(value)) return { value: clone(value) };
			return { error: `Could not cast or convert from ${netType(value)} to an object reference.` };
	}
}
