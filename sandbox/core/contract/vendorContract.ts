/**
 * One vendor's contract: its documents compiled with Ajv (validators built once, on first use),
 * what each exchange is checked against, and the request and response checks.
 */
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { compilePattern, matchPattern } from '../http';
import type { PathPattern } from '../http';
import type { SandboxRequest, SandboxResponse, SandboxVendor } from '../types';
import type { ContractDeviation, JsonSchema } from './deviations';
import { getPointer, isObject, methodMatches, pointer, vendorDocuments } from './documents';
import type { Doc } from './documents';
import { readOperations } from './operations';
import type { OperationSpec, ParamSpec } from './operations';

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

const MAX_ERRORS_PER_VIOLATION = 8;

export interface Resolution {
	operation: OperationSpec;
	/** Document request checks (parameters) apply only to document operations. */
	fromDocument: boolean;
}

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

export class VendorContract {
	private readonly requestDoc: Doc;

	private readonly responseDoc: Doc;

	private readonly ajv: Ajv;

	private readonly requestId: string;

	private readonly responseId: string;

	private readonly operations: OperationSpec[];

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
		const own = deviations.filter((deviation) => deviation.vendor === vendor);
		const documents = vendorDocuments(vendor, own);
		this.requestDoc = documents.request;
		this.responseDoc = documents.response;
		this.projectedDoc = documents.projected;
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
		this.ajv = documents.openapi.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
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

		this.operations = readOperations(this.requestDoc);
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
