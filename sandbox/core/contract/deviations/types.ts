/** The shape of one listed deviation. */
import type { SandboxVendor } from '../../types';

export type JsonSchema = Record<string, unknown>;

export type DeviationEffect =
	/** A route the package uses that the trimmed document leaves out. Optional schemas check it anyway. */
	| {
			kind: 'route';
			/** JSON request body schema. */
			request?: JsonSchema;
			/** Response body schema by status ('200', '4XX', 'default'). */
			responses?: Record<string, JsonSchema>;
	  }
	/** The route is the document's `specPath` under another name; `{name}` segments carry over. */
	| { kind: 'sameAs'; specPath: string }
	/** A response status the document does not declare, with the body the live API sends. */
	| { kind: 'response'; status: string; schema: JsonSchema }
	/**
	 * The live type of some properties. With `in` (a JSON pointer to an object schema of the
	 * document) the properties are set on that schema; without it, every property of that name
	 * anywhere in the document (inline copies included) is replaced.
	 */
	| { kind: 'property'; properties: string[]; in?: string; schema: JsonSchema }
	/** Any property of a response may be null (the document cannot say so). */
	| { kind: 'nullableResponses' }
	/** `additionalProperties: {type: object}` in the document means "open type", not "objects only". */
	| { kind: 'openTypes' }
	/**
	 * With this query parameter in the request, the response carries only the properties asked
	 * for: the document's `required` lists do not hold for that response.
	 */
	| { kind: 'projection'; parameter: string };

export interface ContractDeviation {
	vendor: SandboxVendor;
	/** HTTP method, or '*' for any. Document-wide effects (property, nullableResponses, openTypes) use '*'. */
	method: string;
	/** Path pattern (see above), or '*' for every path. */
	path: string;
	/** What differs between the document and the live API. */
	differs: string;
	/** Why the sandbox (and the package) follow the live behaviour. */
	why: string;
	/** Where the live behaviour is documented: a reference note section, a vendor page, an issue. */
	source: string;
	effect: DeviationEffect;
}
