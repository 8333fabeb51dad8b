/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * A vendor's API document as the contract check reads it: loaded from sandbox/specs/, with the
 * changes the listed deviations ask for (nullable properties, live property types, open types,
 * injected routes and responses), one copy for requests and one for responses. Plus the JSON
 * pointer and schema-walking helpers those changes need.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { SandboxVendor } from '../types';
import type { ContractDeviation, JsonSchema } from './deviations';

export type Doc = Record<string, unknown>;
export type Node = Record<string, unknown>;

/** The documents, by vendor. */
export const SPEC_FILES: Record<SandboxVendor, string> = {
	autotask: 'autotask.openapi.json',
	connectwise: 'connectwise-manage.openapi.json',
	graph: 'msgraph-users.openapi.json',
	datto: 'datto-rmm.openapi.json',
};

// ------------------------------------------------------------------------------------------
// JSON helpers

export function isObject(value: unknown): value is Node {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
	return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: string[]): string {
	return `/${segments.map(escapePointer).join('/')}`;
}

export function getPointer(doc: unknown, at: string): unknown {
	if (at === '' || at === '/') return doc;
	let node: unknown = doc;
	for (const raw of at.slice(1).split('/')) {
		const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (!isObject(node) && !Array.isArray(node)) return undefined;
		node = (node as Record<string, unknown>)[segment];
	}
	return node;
}

export function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export function methodMatches(rule: string, method: string): boolean {
	return rule === '*' || rule.toUpperCase() === method.toUpperCase();
}

// ------------------------------------------------------------------------------------------
// Schema walking and the document transforms the deviations ask for

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
	'items',
	'additionalProperties',
	'not',
	'contains',
	'if',
	'then',
	'else',
	'propertyNames',
];

/** Calls visit on a schema and every subschema (depth first, parents before children). */
function walkSchema(schema: unknown, at: string, visit: (node: Node, at: string) => void): void {
	if (!isObject(schema)) return;
	visit(schema, at);
	for (const key of SCHEMA_MAPS) {
		const map = schema[key];
		if (isObject(map))
			for (const name of Object.keys(map))
				walkSchema(map[name], `${at}${pointer(key, name)}`, visit);
	}
	for (const key of SCHEMA_LISTS) {
		const list = schema[key];
		if (Array.isArray(list))
			list.forEach((item, index) => walkSchema(item, `${at}${pointer(key, String(index))}`, visit));
	}
	for (const key of SCHEMA_SINGLES) {
		const single = schema[key];
		if (Array.isArray(single))
			single.forEach((item, index) =>
				walkSchema(item, `${at}${pointer(key, String(index))}`, visit),
			);
		else walkSchema(single, `${at}${pointer(key)}`, visit);
	}
}

/** Every schema root of a Swagger 2.0 / OpenAPI 3.x document (plus injected deviation schemas). */
export function forEachSchema(doc: Doc, visit: (node: Node, at: string) => void): void {
	const roots: Array<[unknown, string]> = [];
	const push = (value: unknown, at: string) => roots.push([value, at]);
	const definitions = doc.definitions;
	if (isObject(definitions))
		for (const name of Object.keys(definitions))
			push(definitions[name], pointer('definitions', name));
	const components = doc.components;
	if (isObject(components)) {
		const schemas = components.schemas;
		if (isObject(schemas))
			for (const name of Object.keys(schemas))
				push(schemas[name], pointer('components', 'schemas', name));
		for (const kind of ['responses', 'requestBodies']) {
			const group = components[kind];
			if (!isObject(group)) continue;
			for (const name of Object.keys(group)) {
				const content = (group[name] as Node)?.content;
				if (isObject(content)) {
					for (const type of Object.keys(content))
						push(
							(content[type] as Node)?.schema,
							pointer('components', kind, name, 'content', type, 'schema'),
						);
				}
			}
		}
		const parameters = components.parameters;
		if (isObject(parameters))
			for (const name of Object.keys(parameters))
				push(
					(parameters[name] as Node)?.schema,
					pointer('components', 'parameters', name, 'schema'),
				);
	}
	const paths = doc.paths;
	if (isObject(paths)) {
		for (const specPath of Object.keys(paths)) {
			const item = paths[specPath];
			if (!isObject(item)) continue;
			for (const method of Object.keys(item)) {
				const operation = item[method];
				if (!isObject(operation)) continue;
				const base = ['paths', specPath, method];
				const parameters = operation.parameters;
				if (Array.isArray(parameters)) {
					parameters.forEach((parameter, index) => {
						if (isObject(parameter))
							push(parameter.schema, pointer(...base, 'parameters', String(index), 'schema'));
					});
				}
				const requestContent = (operation.requestBody as Node | undefined)?.content;
				if (isObject(requestContent)) {
					for (const type of Object.keys(requestContent))
						push(
							(requestContent[type] as Node)?.schema,
							pointer(...base, 'requestBody', 'content', type, 'schema'),
						);
				}
				const responses = operation.responses;
				if (!isObject(responses)) continue;
				for (const status of Object.keys(responses)) {
					const response = responses[status];
					if (!isObject(response)) continue;
					push(response.schema, pointer(...base, 'responses', status, 'schema'));
					if (isObject(response.content)) {
						for (const type of Object.keys(response.content))
							push(
								(response.content[type] as Node)?.schema,
								pointer(...base, 'responses', status, 'content', type, 'schema'),
							);
					}
				}
			}
		}
	}
	const injected = doc['x-sandbox-deviations'];
	if (isObject(injected)) {
		for (const index of Object.keys(injected)) {
			const entry = injected[index] as Node;
			push(entry.request, pointer('x-sandbox-deviations', index, 'request'));
			if (isObject(entry.responses))
				for (const status of Object.keys(entry.responses))
					push(
						entry.responses[status],
						pointer('x-sandbox-deviations', index, 'responses', status),
					);
		}
	}
	for (const [value, at] of roots) walkSchema(value, at, visit);
}

/** Adds null to a schema's accepted values; returns the schema to use in its place. */
function withNull(schema: unknown): unknown {
	if (!isObject(schema) || Object.keys(schema).length === 0) return schema;
	if (typeof schema.type === 'string' || Array.isArray(schema.type)) {
		const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
		if (!types.includes('null')) schema.type = [...types, 'null'];
		if (Array.isArray(schema.enum) && !schema.enum.includes(null))
			schema.enum = [...schema.enum, null];
		return schema;
	}
	return { anyOf: [schema, { type: 'null' }] };
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema (null added to type/enum). */
function normalizeNullable(doc: Doc): void {
	forEachSchema(doc, (node) => {
		if (node.nullable === undefined) return;
		const nullable = node.nullable === true;
		delete node.nullable;
		if (!nullable) return;
		const replaced = withNull(node);
		if (replaced !== node) {
			const rest = { ...node };
			for (const key of Object.keys(node)) delete node[key];
			node.anyOf = [rest, { type: 'null' }];
		}
	});
}

function makeResponsePropertiesNullable(doc: Doc): void {
	forEachSchema(doc, (node) => {
		const properties = node.properties;
		if (!isObject(properties)) return;
		for (const name of Object.keys(properties)) properties[name] = withNull(properties[name]);
	});
}

function openTypes(doc: Doc): void {
	forEachSchema(doc, (node) => {
		const extra = node.additionalProperties;
		if (isObject(extra) && extra.type === 'object' && Object.keys(extra).length === 1)
			node.additionalProperties = true;
	});
}

function applyPropertyPatch(
	doc: Doc,
	effect: { properties: string[]; in?: string; schema: JsonSchema },
): void {
	if (effect.in) {
		let target = getPointer(doc, effect.in);
		if (isObject(target) && Array.isArray(target.allOf) && !isObject(target.properties)) {
			const parts = (target.allOf as unknown[]).filter(
				(part) => isObject(part) && isObject(part.properties),
			);
			target = parts[parts.length - 1] ?? target;
		}
		if (!isObject(target))
			throw new Error(`contract deviation: ${effect.in} is not a schema in the document`);
		if (!isObject(target.properties)) target.properties = {};
		for (const name of effect.properties) (target.properties as Node)[name] = clone(effect.schema);
		return;
	}
	forEachSchema(doc, (node) => {
		const properties = node.properties;
		if (!isObject(properties)) return;
		for (const name of effect.properties)
			if (name in properties) properties[name] = clone(effect.schema);
	});
}

// ------------------------------------------------------------------------------------------
// The documents of one vendor

export interface VendorDocuments {
	/** The raw document's version field decides the validator (OpenAPI 3.1: JSON Schema 2020-12). */
	openapi: string;
	request: Doc;
	response: Doc;
	/** The response document without `required`, for responses narrowed by a projection parameter. */
	projected: Doc;
}

/** The vendor's document, read through its own deviations (`own`: this vendor's entries only). */
export function vendorDocuments(vendor: SandboxVendor, own: ContractDeviation[]): VendorDocuments {
	const raw = JSON.parse(
		fs.readFileSync(path.join(__dirname, '..', '..', 'specs', SPEC_FILES[vendor]), 'utf8'),
	) as Doc;
	const build = (direction: 'request' | 'response'): Doc => {
		const doc = clone(raw);
		const injected: Record<string, Node> = {};
		own.forEach((deviation, index) => {
			if (deviation.effect.kind === 'route') {
				injected[String(index)] = {
					request: deviation.effect.request,
					responses: deviation.effect.responses ?? {},
				};
			} else if (deviation.effect.kind === 'response') {
				injected[String(index)] = {
					responses: { [deviation.effect.status]: deviation.effect.schema },
				};
			}
		});
		doc['x-sandbox-deviations'] = clone(injected);
		normalizeNullable(doc);
		for (const deviation of own) {
			if (deviation.effect.kind === 'property') applyPropertyPatch(doc, deviation.effect);
		}
		if (own.some((deviation) => deviation.effect.kind === 'openTypes')) openTypes(doc);
		if (
			direction === 'response' &&
			own.some((deviation) => deviation.effect.kind === 'nullableResponses')
		) {
			makeResponsePropertiesNullable(doc);
		}
		return doc;
	};
	const response = build('response');
	const projected = clone(response);
	forEachSchema(projected, (node) => {
		if (Array.isArray(node.required)) delete node.required;
	});
	return { openapi: String(raw.openapi ?? ''), request: build('request'), response, projected };
}
