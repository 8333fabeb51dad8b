/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * The contract check: every request the package sends to the sandbox and every answer the
 * sandbox gives is validated against the vendors' own API documents in sandbox/specs/, read
 * through the one list of known live-behaviour differences (./contractDeviations.ts).
 *
 * Validation is Ajv over the documents' schemas: Swagger 2.0 (Autotask) and OpenAPI 3.0
 * (ConnectWise, Graph) with the draft-07 validator, OpenAPI 3.1 (Datto) with the 2020-12 one.
 * Each operation's validators are compiled once, on first use, and shared by every sandbox in
 * the process. The checker records violations and never changes an answer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { CONTRACT_DEVIATIONS } from './contractDeviations';
import type { ContractDeviation, JsonSchema } from './contractDeviations';
import { compilePattern, matchPattern } from './http';
import type { ContractChecker, PathPattern } from './http';
import type { SandboxRequest, SandboxResponse, SandboxVendor } from './types';

export interface ContractViolation {
	vendor: SandboxVendor;
	direction: 'request' | 'response';
	method: string;
	path: string;
	template?: string;
	status?: number;
	/** The document operation (or deviation) the exchange was checked against. */
	operation?: string;
	errors: string[];
}

export interface ContractCheckerOptions {
	/** The deviation list (default: CONTRACT_DEVIATIONS). Tests pass their own. */
	deviations?: ContractDeviation[];
	/** Keep at most this many violations (default 1,000); the rest are only counted in `dropped`. */
	maxViolations?: number;
}

export type SandboxContractChecker = ContractChecker & {
	violations: ContractViolation[];
	/** Violations beyond maxViolations, counted but not kept. */
	dropped: number;
};

/** The documents, by vendor. */
export const SPEC_FILES: Record<SandboxVendor, string> = {
	autotask: 'autotask.openapi.json',
	connectwise: 'connectwise-manage.openapi.json',
	graph: 'msgraph-users.openapi.json',
	datto: 'datto-rmm.openapi.json',
};

/**
 * Where each document starts on the wire. Autotask: `{zone}/ATServicesRest` + `/V1.0/...`;
 * ConnectWise: `/{codebase}/apis/3.0` + `/company/...`; Graph: `/v1.0` + `/users...`;
 * Datto: `/api` + `/v2/...`. Paths outside (token endpoints, login/companyinfo) stay as sent.
 */
const BASE_PATHS: Record<SandboxVendor, RegExp> = {
	autotask: /^\/atservicesrest(?=\/)/i,
	connectwise: /^(?:\/[^/]+)?\/apis\/3\.0(?=\/)/i,
	graph: /^\/v1\.0(?=\/)/i,
	datto: /^\/api(?=\/)/i,
};

/** Sandbox control routes (raise an alert, deliver a webhook...) are no vendor's API. */
const SANDBOX_CONTROL_PREFIX = /^\/_sandbox(\/|$)/i;

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const IGNORED_HEADER_PARAMS = new Set(['content-type', 'accept', 'authorization']);
const MAX_ERRORS_PER_VIOLATION = 8;

type Doc = Record<string, unknown>;
type Node = Record<string, unknown>;

interface ParamSpec {
	name: string;
	location: 'path' | 'query' | 'header';
	required: boolean;
	schema: JsonSchema;
}

interface OperationSpec {
	label: string;
	method: string;
	pattern: PathPattern;
	params: ParamSpec[];
	/** JSON pointer of the request body schema, when the operation takes one. */
	body?: { pointer: string; required: boolean };
	/** Status key ('200', '2XX', 'default') → pointer of the body schema, or null for no body. */
	responses: Map<string, string | null>;
	/** Whether the response statuses come from the document (undeclared 2xx is then a violation). */
	strictStatuses: boolean;
}

interface Resolution {
	operation: OperationSpec;
	/** Document request checks (parameters) apply only to document operations. */
	fromDocument: boolean;
}

// ------------------------------------------------------------------------------------------
// JSON helpers

function isObject(value: unknown): value is Node {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
	return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointer(...segments: string[]): string {
	return `/${segments.map(escapePointer).join('/')}`;
}

function getPointer(doc: unknown, at: string): unknown {
	if (at === '' || at === '/') return doc;
	let node: unknown = doc;
	for (const raw of at.slice(1).split('/')) {
		const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (!isObject(node) && !Array.isArray(node)) return undefined;
		node = (node as Record<string, unknown>)[segment];
	}
	return node;
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function methodMatches(rule: string, method: string): boolean {
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
function forEachSchema(doc: Doc, visit: (node: Node, at: string) => void): void {
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
// One vendor's document, ready to check exchanges

function formatErrors(errors: ErrorObject[] | null | undefined, subject: string): string[] {
	const lines: string[] = [];
	for (const error of errors ?? []) {
		// The null branch that nullable properties add only repeats the real error.
		if (
			(errors?.length ?? 0) > 1 &&
			(error.keyword === 'anyOf' ||
				(error.keyword === 'type' && (error.params as { type?: unknown }).type === 'null'))
		)
			continue;
		const where = `${subject}${error.instancePath ? ` ${error.instancePath}` : ''}`;
		let detail = error.message ?? error.keyword;
		if (error.keyword === 'additionalProperties')
			detail += ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`;
		if (error.keyword === 'enum')
			detail += ` (${JSON.stringify((error.params as { allowedValues?: unknown[] }).allowedValues)})`;
		const line = `${where} ${detail}`;
		if (!lines.includes(line)) lines.push(line);
		if (lines.length >= MAX_ERRORS_PER_VIOLATION) break;
	}
	return lines.length ? lines : [`${subject} is invalid`];
}

function schemaTypes(schema: JsonSchema): string[] {
	const type = schema.type;
	if (typeof type === 'string') return [type];
	if (Array.isArray(type)) return type as string[];
	const anyOf = schema.anyOf;
	if (Array.isArray(anyOf))
		return anyOf.flatMap((part) => (isObject(part) ? schemaTypes(part) : []));
	return [];
}

/** Query and header values arrive as text; read them the way the vendor would. */
function coerceParameter(value: string, schema: JsonSchema): unknown {
	const types = schemaTypes(schema);
	if (types.includes('array')) {
		const items = isObject(schema.items) ? (schema.items as JsonSchema) : {};
		return value.split(',').map((part) => coerceParameter(part, items));
	}
	if (
		(types.includes('integer') || types.includes('number')) &&
		/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())
	) {
		return Number(value);
	}
	if (types.includes('boolean') && /^(true|false)$/i.test(value))
		return value.toLowerCase() === 'true';
	return value;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
	return headers[name.toLowerCase()];
}

function jsonContentSchema(content: unknown): string | undefined {
	if (!isObject(content)) return undefined;
	const types = Object.keys(content);
	return (
		types.find((type) => /json/i.test(type) && isObject((content[type] as Node)?.schema)) ??
		undefined
	);
}

class VendorContract {
	private readonly requestDoc: Doc;

	private readonly responseDoc: Doc;

	private readonly ajv: Ajv;

	private readonly requestId: string;

	private readonly responseId: string;

	private readonly operations: OperationSpec[] = [];

	private readonly routeDeviations: Array<{
		deviation: ContractDeviation;
		pattern: PathPattern;
		operation?: OperationSpec;
	}> = [];

	private readonly responseDeviations: Array<{
		deviation: ContractDeviation;
		pattern: PathPattern;
		pointer: string;
		status: string;
	}> = [];

	private readonly validators = new Map<string, ValidateFunction>();

	/** The response document without `required`, for responses narrowed by a projection parameter. */
	private readonly projectedDoc: Doc;

	private readonly projectedId: string;

	private readonly projections: Array<{ method: string; pattern: PathPattern; parameter: string }>;

	private readonly parameterValidators = new Map<ParamSpec, ValidateFunction>();

	constructor(
		readonly vendor: SandboxVendor,
		deviations: ContractDeviation[],
	) {
		const raw = JSON.parse(
			fs.readFileSync(path.join(__dirname, '..', 'specs', SPEC_FILES[vendor]), 'utf8'),
		) as Doc;
		const own = deviations.filter((deviation) => deviation.vendor === vendor);
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
		this.requestDoc = build('request');
		this.responseDoc = build('response');
		this.projectedDoc = clone(this.responseDoc);
		forEachSchema(this.projectedDoc, (node) => {
			if (Array.isArray(node.required)) delete node.required;
		});
		this.projections = own.flatMap((deviation) =>
			deviation.effect.kind === 'projection'
				? [
						{
							method: deviation.method,
							pattern: compilePattern(deviation.path),
							parameter: deviation.effect.parameter,
						},
					]
				: [],
		);

		const options = { strict: false, allErrors: true, logger: false as const };
		this.ajv = String(raw.openapi ?? '').startsWith('3.1')
			? new Ajv2020(options)
			: new Ajv(options);
		addFormats(this.ajv);
		this.ajv.addFormat('int32', {
			type: 'number',
			validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
		});
		this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
		this.ajv.addFormat('float', { type: 'number', validate: () => true });
		this.ajv.addFormat('double', { type: 'number', validate: () => true });
		this.requestId = `https://sandbox.invalid/contract/${vendor}/request.json`;
		this.responseId = `https://sandbox.invalid/contract/${vendor}/response.json`;
		this.projectedId = `https://sandbox.invalid/contract/${vendor}/projected.json`;
		this.ajv.addSchema(this.requestDoc, this.requestId);
		this.ajv.addSchema(this.responseDoc, this.responseId);
		this.ajv.addSchema(this.projectedDoc, this.projectedId);

		this.readOperations();
		own.forEach((deviation, index) => {
			const pattern = compilePattern(deviation.path);
			const effect = deviation.effect;
			if (effect.kind === 'route') {
				const responses = new Map<string, string | null>();
				for (const status of Object.keys(effect.responses ?? {})) {
					responses.set(
						status.toUpperCase(),
						pointer('x-sandbox-deviations', String(index), 'responses', status),
					);
				}
				this.routeDeviations.push({
					deviation,
					pattern,
					operation: {
						label: `${deviation.method} ${deviation.path} (listed deviation)`,
						method: deviation.method,
						pattern,
						params: [],
						body: effect.request
							? {
									pointer: pointer('x-sandbox-deviations', String(index), 'request'),
									required: false,
								}
							: undefined,
						responses,
						strictStatuses: false,
					},
				});
			} else if (effect.kind === 'sameAs') {
				this.routeDeviations.push({ deviation, pattern });
			} else if (effect.kind === 'response') {
				this.responseDeviations.push({
					deviation,
					pattern,
					status: effect.status.toUpperCase(),
					pointer: pointer('x-sandbox-deviations', String(index), 'responses', effect.status),
				});
			}
		});
	}

	/** Reads the document's operations: path pattern, parameters, body and response schemas. */
	private readOperations(): void {
		const doc = this.requestDoc;
		const swagger2 = String(doc.swagger ?? '').startsWith('2');
		const paths = (doc.paths ?? {}) as Node;
		for (const specPath of Object.keys(paths)) {
			const item = paths[specPath] as Node;
			const shared = Array.isArray(item.parameters) ? (item.parameters as unknown[]) : [];
			for (const method of Object.keys(item)) {
				if (!HTTP_METHODS.includes(method)) continue;
				const operation = item[method] as Node;
				const base = ['paths', specPath, method];
				const params: ParamSpec[] = [];
				let body: OperationSpec['body'];
				const own = Array.isArray(operation.parameters) ? (operation.parameters as unknown[]) : [];
				const all = [
					...shared.map((p, index) => ({
						p,
						at: pointer('paths', specPath, 'parameters', String(index)),
					})),
					...own.map((p, index) => ({ p, at: pointer(...base, 'parameters', String(index)) })),
				];
				for (const entry of all) {
					let parameter = entry.p as Node;
					let at = entry.at;
					if (typeof parameter.$ref === 'string') {
						at = parameter.$ref.replace(/^#/, '');
						parameter = (getPointer(doc, at) ?? {}) as Node;
					}
					const location = String(parameter.in);
					if (location === 'body') {
						body = { pointer: `${at}/schema`, required: parameter.required === true };
						continue;
					}
					if (location !== 'path' && location !== 'query' && location !== 'header') continue;
					if (
						location === 'header' &&
						IGNORED_HEADER_PARAMS.has(String(parameter.name).toLowerCase())
					)
						continue;
					let schema: JsonSchema;
					if (swagger2) {
						schema = {};
						for (const key of [
							'type',
							'format',
							'items',
							'enum',
							'minimum',
							'maximum',
							'pattern',
							'minLength',
							'maxLength',
						]) {
							if (parameter[key] !== undefined) schema[key] = parameter[key];
						}
					} else {
						schema = isObject(parameter.schema) ? (parameter.schema as JsonSchema) : {};
					}
					params.push({
						name: String(parameter.name),
						location,
						required: location === 'path' || parameter.required === true,
						schema,
					});
				}
				const requestBody = operation.requestBody as Node | undefined;
				if (isObject(requestBody)) {
					const type = jsonContentSchema(requestBody.content);
					if (type)
						body = {
							pointer: pointer(...base, 'requestBody', 'content', type, 'schema'),
							required: requestBody.required === true,
						};
				}
				const responses = new Map<string, string | null>();
				for (const [status, value] of Object.entries((operation.responses ?? {}) as Node)) {
					let response = value as Node;
					let at = pointer(...base, 'responses', status);
					if (typeof response.$ref === 'string') {
						at = response.$ref.replace(/^#/, '');
						response = (getPointer(doc, at) ?? {}) as Node;
					}
					if (swagger2) {
						responses.set(status.toUpperCase(), isObject(response.schema) ? `${at}/schema` : null);
					} else {
						const type = jsonContentSchema(response.content);
						responses.set(
							status.toUpperCase(),
							type ? `${at}${pointer('content', type, 'schema')}` : null,
						);
					}
				}
				this.operations.push({
					label: `${method.toUpperCase()} ${specPath}`,
					method: method.toUpperCase(),
					pattern: compilePattern(specPath),
					params,
					body,
					responses,
					strictStatuses: true,
				});
			}
		}
	}

	/** The path as the document writes it (base path removed). */
	relativePath(requestPath: string): string {
		return requestPath.replace(BASE_PATHS[this.vendor], '');
	}

	/** Finds what the exchange is checked against, or why nothing fits. */
	resolve(method: string, relative: string, depth = 0): Resolution | { error: string } {
		let best:
			| {
					resolution?: Resolution;
					sameAs?: { deviation: ContractDeviation; params: Record<string, string> };
					literals: number;
			  }
			| undefined;
		let pathKnown = false;
		for (const operation of this.operations) {
			const pathParams = matchPattern(operation.pattern, relative);
			if (!pathParams) continue;
			pathKnown = true;
			if (operation.method !== method.toUpperCase()) continue;
			// A path whose parameters do not fit (".../Companies/entityInformation" read as {id}) ranks
			// below every other candidate: it is only reported when nothing else matches.
			const rank =
				operation.pattern.literals - (this.pathParamsFit(operation, pathParams) ? 0 : 1000);
			if (!best || rank > best.literals)
				best = { resolution: { operation, fromDocument: true }, literals: rank };
		}
		for (const entry of this.routeDeviations) {
			if (!methodMatches(entry.deviation.method, method)) continue;
			if (depth > 0 && !entry.operation) continue;
			const params = matchPattern(entry.pattern, relative);
			if (!params) continue;
			if (best && best.literals >= entry.pattern.literals) continue;
			best = entry.operation
				? {
						resolution: { operation: entry.operation, fromDocument: false },
						literals: entry.pattern.literals,
					}
				: { sameAs: { deviation: entry.deviation, params }, literals: entry.pattern.literals };
		}
		if (best?.resolution) return best.resolution;
		if (best?.sameAs) {
			const effect = best.sameAs.deviation.effect as { specPath: string };
			const target = effect.specPath.replace(
				/\{([^}]+)\}/g,
				(whole, name: string) => best?.sameAs?.params[name] ?? whole,
			);
			const resolved = this.resolve(method, target, depth + 1);
			if ('error' in resolved) {
				return {
					error: `${method} ${relative} is listed as the same as ${target}, which is neither in the document nor a listed route`,
				};
			}
			return resolved;
		}
		return pathKnown
			? {
					error: `the document has no ${method.toUpperCase()} operation on this path, and no listed deviation covers it`,
				}
			: {
					error:
						'no operation in the document matches this path, and no listed deviation covers it',
				};
	}

	private pathParamsFit(operation: OperationSpec, values: Record<string, string>): boolean {
		for (const parameter of operation.params) {
			if (parameter.location !== 'path' || values[parameter.name] === undefined) continue;
			if (
				!this.parameterValidator(parameter)(
					coerceParameter(values[parameter.name], parameter.schema),
				)
			)
				return false;
		}
		return true;
	}

	private validator(direction: 'request' | 'response' | 'projected', at: string): ValidateFunction {
		const key = `${direction}#${at}`;
		let validate = this.validators.get(key);
		if (!validate) {
			const id =
				direction === 'request'
					? this.requestId
					: direction === 'projected'
						? this.projectedId
						: this.responseId;
			const fragment = at
				.split('/')
				.map((segment) => encodeURIComponent(segment))
				.join('/');
			validate = this.ajv.compile({ $ref: `${id}#${fragment}` });
			this.validators.set(key, validate);
		}
		return validate;
	}

	private parameterValidator(parameter: ParamSpec): ValidateFunction {
		let validate = this.parameterValidators.get(parameter);
		if (!validate) {
			try {
				validate = this.ajv.compile(parameter.schema);
			} catch {
				validate = this.ajv.compile({});
			}
			this.parameterValidators.set(parameter, validate);
		}
		return validate;
	}

	/** Validates a value against a named schema of the document (seed records, fixtures). */
	validateSchema(name: string, value: unknown, direction: 'request' | 'response'): string[] {
		const doc = direction === 'request' ? this.requestDoc : this.responseDoc;
		const at = isObject(doc.definitions)
			? pointer('definitions', name)
			: pointer('components', 'schemas', name);
		if (getPointer(doc, at) === undefined)
			throw new Error(`${this.vendor}: the document has no schema named ${name}`);
		const validate = this.validator(direction, at);
		return validate(value) ? [] : formatErrors(validate.errors, name);
	}

	checkRequest(request: SandboxRequest, resolution: Resolution, relative: string): string[] {
		const errors: string[] = [];
		const { operation } = resolution;
		if (resolution.fromDocument) {
			const pathParams = matchPattern(operation.pattern, relative) ?? {};
			for (const parameter of operation.params) {
				let raw: string | undefined;
				if (parameter.location === 'path') raw = pathParams[parameter.name];
				else if (parameter.location === 'query')
					raw = request.query.get(parameter.name) ?? undefined;
				else raw = headerValue(request.headers, parameter.name);
				if (raw === undefined) {
					if (parameter.required)
						errors.push(`required ${parameter.location} parameter ${parameter.name} is missing`);
					continue;
				}
				const validate = this.parameterValidator(parameter);
				if (!validate(coerceParameter(raw, parameter.schema))) {
					errors.push(
						...formatErrors(
							validate.errors,
							`${parameter.location} parameter ${parameter.name}=${JSON.stringify(raw)}`,
						),
					);
				}
			}
		}
		if (operation.body) {
			const contentType = request.headers['content-type'] ?? '';
			if (!request.rawBody) {
				if (operation.body.required) errors.push('the request body is required');
			} else if (!/x-www-form-urlencoded|multipart/i.test(contentType)) {
				let body: unknown;
				let parsed = true;
				try {
					body = JSON.parse(request.rawBody);
				} catch {
					parsed = false;
				}
				if (!parsed) errors.push('the request body is not JSON');
				else {
					const validate = this.validator('request', operation.body.pointer);
					if (!validate(body)) errors.push(...formatErrors(validate.errors, 'request body'));
				}
			}
		}
		return errors;
	}

	checkResponse(
		response: SandboxResponse,
		resolution: Resolution,
		relative: string,
		method: string,
		query?: URLSearchParams,
	): string[] {
		const status = String(response.status);
		const statusClass = `${status[0]}XX`;
		// A listed exact status wins over a listed status class ('404' over '4XX'), whatever the order.
		const listed = this.responseDeviations.filter(
			(entry) =>
				methodMatches(entry.deviation.method, method) && matchPattern(entry.pattern, relative),
		);
		let schemaPointer: string | null | undefined = (
			listed.find((entry) => entry.status === status) ??
			listed.find((entry) => entry.status === statusClass)
		)?.pointer;
		const { operation } = resolution;
		if (schemaPointer === undefined) {
			const declared = operation.responses;
			if (declared.has(status)) schemaPointer = declared.get(status);
			else if (declared.has(statusClass)) schemaPointer = declared.get(statusClass);
			else if (declared.has('DEFAULT')) schemaPointer = declared.get('DEFAULT');
			else if (status.startsWith('2') && operation.strictStatuses && declared.size > 0) {
				return [
					`status ${status} is not declared for ${operation.label} (declared: ${[...declared.keys()].join(', ')})`,
				];
			} else return [];
		}
		if (!schemaPointer) return [];
		let body: unknown = response.body;
		if (response.raw !== undefined) {
			try {
				body = response.raw === '' ? undefined : JSON.parse(response.raw);
			} catch {
				return ['the response body is not JSON'];
			}
		}
		if (body === undefined) return ['the response body is missing'];
		const projected = this.projections.some(
			(projection) =>
				methodMatches(projection.method, method) &&
				matchPattern(projection.pattern, relative) &&
				query?.has(projection.parameter),
		);
		const validate = this.validator(projected ? 'projected' : 'response', schemaPointer);
		return validate(body) ? [] : formatErrors(validate.errors, 'response body');
	}
}

// ------------------------------------------------------------------------------------------
// Public API

const contracts = new WeakMap<ContractDeviation[], Map<SandboxVendor, VendorContract>>();

function contractFor(vendor: SandboxVendor, deviations: ContractDeviation[]): VendorContract {
	let byVendor = contracts.get(deviations);
	if (!byVendor) {
		byVendor = new Map();
		contracts.set(deviations, byVendor);
	}
	let contract = byVendor.get(vendor);
	if (!contract) {
		contract = new VendorContract(vendor, deviations);
		byVendor.set(vendor, contract);
	}
	return contract;
}

/**
 * Checks one exchange (the request as received, the answer as given) and returns what does not
 * hold, as zero, one (request or response) or two violations.
 */
export function checkExchange(
	vendor: SandboxVendor,
	request: SandboxRequest,
	response: SandboxResponse,
	template?: string,
	deviations: ContractDeviation[] = CONTRACT_DEVIATIONS,
): ContractViolation[] {
	if (SANDBOX_CONTROL_PREFIX.test(request.path)) return [];
	const contract = contractFor(vendor, deviations);
	const relative = contract.relativePath(request.path);
	const base = { vendor, method: request.method, path: request.path, template };
	const resolution = contract.resolve(request.method, relative);
	if ('error' in resolution) {
		return [{ ...base, direction: 'request', status: response.status, errors: [resolution.error] }];
	}
	const violations: ContractViolation[] = [];
	const operation = resolution.operation.label;
	const requestErrors = contract.checkRequest(request, resolution, relative);
	if (requestErrors.length)
		violations.push({ ...base, direction: 'request', operation, errors: requestErrors });
	const responseErrors = contract.checkResponse(
		response,
		resolution,
		relative,
		request.method,
		request.query,
	);
	if (responseErrors.length)
		violations.push({
			...base,
			direction: 'response',
			status: response.status,
			operation,
			errors: responseErrors,
		});
	return violations;
}

/**
 * Validates a value against one of a vendor document's named schemas (Autotask
 * `#/definitions/<name>`, the others `#/components/schemas/<name>`), read through the listed
 * deviations. `direction: 'response'` (default) is how the sandbox serves records.
 */
export function validateSchema(
	vendor: SandboxVendor,
	name: string,
	value: unknown,
	direction: 'request' | 'response' = 'response',
	deviations: ContractDeviation[] = CONTRACT_DEVIATIONS,
): string[] {
	return contractFor(vendor, deviations).validateSchema(name, value, direction);
}

export function createContractChecker(
	options: ContractCheckerOptions = {},
): SandboxContractChecker {
	const deviations = options.deviations ?? CONTRACT_DEVIATIONS;
	const maxViolations = options.maxViolations ?? 1000;
	const checker: SandboxContractChecker = {
		violations: [],
		dropped: 0,
		check(
			vendor: SandboxVendor,
			request: SandboxRequest,
			response: SandboxResponse,
			template: string | undefined,
		) {
			let found: ContractViolation[];
			try {
				found = checkExchange(vendor, request, response, template, deviations);
			} catch (error) {
				found = [
					{
						vendor,
						direction: 'request',
						method: request.method,
						path: request.path,
						template,
						status: response.status,
						errors: [`the contract check itself failed: ${(error as Error).message}`],
					},
				];
			}
			for (const violation of found) {
				if (checker.violations.length < maxViolations) checker.violations.push(violation);
				else checker.dropped++;
			}
		},
	};
	return checker;
}

/** A readable listing for test failure messages. */
export function describeViolations(violations: ContractViolation[]): string {
	return violations
		.map(
			(violation) =>
				`${violation.vendor} ${violation.direction} ${violation.method} ${violation.path}` +
				`${violation.status !== undefined ? ` -> ${violation.status}` : ''}` +
				`${violation.operation ? ` [${violation.operation}]` : ''}\n  ${violation.errors.join('\n  ')}`,
		)
		.join('\n');
}
