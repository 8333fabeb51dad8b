import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

import { InputError, TransportError, VendorApiError } from '../../lib/transport/http';
import { settle } from '../../lib/util/settled';
import { CredentialSetupError } from './n8nHttpAdapter';
import { redactSecrets } from './secrets';

/**
 * Every failure leaves a node through here: vendor answers become NodeApiError (the vendor's
 * message, the HTTP code, a fix), bad input and setup problems become NodeOperationError whose
 * message names the item and the field. Secrets are removed from all of it.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number | undefined,
	secrets: string[] = [],
): NodeApiError | NodeOperationError {
	const clean = (text: string | undefined) => (text ? redactSecrets(text, secrets) : '');
	const where = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;

	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = clean(error.message);
		if (error.description) error.description = clean(error.description);
		if (itemIndex !== undefined && error.context.itemIndex === undefined)
			error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof VendorApiError) {
		const httpCode = error.httpCode ? String(error.httpCode) : undefined;
		// Not `code`: NodeApiError would treat it as a status and replace our message with a generic one.
		const body: JsonObject = {
			message: clean(error.message),
			vendorCode: error.vendorCode ?? null,
			httpCode: httpCode ?? null,
		};
		const message = `${clean(error.message)}${where}`;
		const apiError = new NodeApiError(node, body, {
			message,
			description: clean(error.description),
			httpCode,
			itemIndex,
		});
		// NodeApiError swaps a message containing e.g. "ENOTFOUND" (as in Graph's "Request_ResourceNotFound")
		// for a generic network text; the vendor's words are the point, so keep them.
		apiError.message = message;
		return apiError;
	}
	if (error instanceof InputError) {
		return new NodeOperationError(node, `${clean(error.message)}${where}`, {
			description: clean(error.description),
			itemIndex,
		});
	}
	if (error instanceof TransportError) {
		return new NodeApiError(
			node,
			{ message: clean(error.message), networkFailure: error.code },
			{
				message: `The connection ${describeNetworkFailure(error.code)} and did not recover after retries${where}`,
				description:
					'Check that the service is reachable from n8n; the request was retried with backoff before giving up.',
				itemIndex,
			},
		);
	}
	if (error instanceof CredentialSetupError) {
		return new NodeOperationError(node, `${clean(error.message)}${where}`, {
			description: 'Open the credential, correct it and use its "Test" button.',
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${clean(message)}${where}`, { itemIndex });
}

/** Runs `body`: whatever escapes it leaves as a node error, with the secrets removed. */
export async function withNodeErrors<T>(
	node: INode,
	secrets: () => string[],
	body: () => Promise<T>,
): Promise<T> {
	const ran = await settle(body());
	if (!ran.ok) throw toNodeError(node, ran.error, undefined, secrets());
	return ran.value;
}

/** The json of an error item under continueOnFail: the message plus what helps to act on it. */
export function errorItemJson(
	error: NodeApiError | NodeOperationError,
	source?: unknown,
): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.errorDescription = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	if (source instanceof InputError) json.field = source.field;
	return json;
}

/**
 * In words, not codes: n8n replaces any message that contains a code like ECONNRESET with its own
 * generic text, which would hide that we already retried.
 */
function describeNetworkFailure(code: string): string {
	switch (code) {
		case 'ECONNRESET':
		case 'EPIPE':
			return 'was reset by the server';
		case 'ECONNREFUSED':
			return 'was refused';
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ECONNABORTED':
			return 'timed out';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'could not find the host';
		default:
			return 'failed';
	}
}
