/** A vendor document's operations: path pattern, parameters, request body and response schemas. */
import { compilePattern } from '../http';
import type { PathPattern } from '../http';
import type { JsonSchema } from './deviations';
import { getPointer, isObject, pointer } from './documents';
import type { Doc, Node } from './documents';

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const IGNORED_HEADER_PARAMS = new Set(['content-type', 'accept', 'authorization']);

export interface ParamSpec {
	name: string;
	location: 'path' | 'query' | 'header';
	required: boolean;
	schema: JsonSchema;
}

export interface OperationSpec {
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

export function jsonContentSchema(content: unknown): string | undefined {
	if (!isObject(content)) return undefined;
	const types = Object.keys(content);
	return (
		types.find((type) => /json/i.test(type) && isObject((content[type] as Node)?.schema)) ??
		undefined
	);
}

/** Reads the document's operations. */
export function readOperations(doc: Doc): OperationSpec[] {
	const operations: OperationSpec[] = [];
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
			operations.push({
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
	return operations;
}
