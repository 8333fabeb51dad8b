/** OAuth token answers, as Microsoft's and Datto's token endpoints send them. */
import type { JsonSchema } from './types';

export const OAUTH_TOKEN: JsonSchema = {
	type: 'object',
	required: ['access_token'],
	properties: {
		access_token: { type: 'string', minLength: 1 },
		token_type: { type: 'string' },
		expires_in: { type: 'integer' },
		ext_expires_in: { type: 'integer' },
		scope: { type: 'string' },
	},
};

export const OAUTH_ERROR: JsonSchema = {
	type: 'object',
	required: ['error'],
	properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};
