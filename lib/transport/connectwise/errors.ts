import { VendorApiError } from '../http';
import type { HttpResponse } from '../http';
import type { Verdict } from '../retry';

/** ConnectWise's answers: which may be repeated, and the errors in ConnectWise's words with a fix. */

export interface ConnectWiseErrorBody {
	code?: string;
	message?: string;
	errors?: Array<{ code?: string; message?: string; resource?: string; field?: string }> | null;
}

export function classifyConnectWiseResponse(response: HttpResponse<unknown>): Verdict {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok' };
	// As ConnectWise's developer guide asks: honour Retry-After on a 429, back off on transient
	// failures, never repeat a 400.
	if (status === 429 || status === 503) return { kind: 'retry' };
	// A 500 is ConnectWise failing on its side (refusals are 400s): repeat reads and absolute
	// writes; a create is first looked up, as after a lost answer.
	if (status === 500 || status === 502 || status === 504) return { kind: 'retryIfIdempotent' };
	return { kind: 'fail' };
}

function errorBody(body: unknown): ConnectWiseErrorBody {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as ConnectWiseErrorBody;
	return {};
}

/**
 * ConnectWise's `{code, message, errors}` as a VendorApiError with a fix for the usual causes.
 * `queried`: the request carried conditions or an order, so a bare 400 is about them.
 */
export function connectWiseError(
	response: HttpResponse<unknown>,
	context: { queried?: boolean } = {},
): VendorApiError {
	const body = errorBody(response.body);
	const details = (body.errors ?? [])
		.map((e) => [e.field, e.message].filter(Boolean).join(': '))
		.filter(Boolean);
	const vendorText = [body.message, ...details].filter(Boolean).join(' — ');
	// Record-level answers carry ConnectWise's `code`; a router's 404 does not.
	const looksLikeConnectWise = typeof body.code === 'string';
	const routerMessage = (body as { Message?: unknown }).Message;
	const text =
		vendorText ||
		(typeof routerMessage === 'string' ? routerMessage : '') ||
		(typeof response.body === 'string' && response.body.trim()
			? response.body.trim().slice(0, 300)
			: `HTTP ${response.status}`);
	let description: string;
	switch (true) {
		case response.status === 401:
			description =
				'ConnectWise rejected the keys. Check the Company ID, the public and private key of the API member (System > Members > API Members), and that the member is active.';
			break;
		case response.status === 403:
			description =
				"The API member's security role does not allow this. Grant it the rights for Companies > Contacts (and Company Maintenance) under System > Security Roles.";
			break;
		case response.status === 404 && !looksLikeConnectWise:
			// On cloud sites, wrong credentials come back as a 404 from the router (developer guide,
			// troubleshooting).
			description =
				'ConnectWise answered 404 without saying what is missing. On cloud sites this usually means wrong credentials rather than a missing record: check the Site, the Company ID and both keys in the credential.';
			break;
		case response.status === 404:
			description = 'The record does not exist, or the API member cannot see it. Check the ID.';
			break;
		case response.status === 409:
			description =
				'ConnectWise says the record is in use. Wait a moment and run again, or remove what depends on it first.';
			break;
		case response.status === 429:
			description =
				'ConnectWise kept throttling after retries (Retry-After was honoured). Spread the workflow out or lower its batch size; more than 1,000 requests a minute is throttled.';
			break;
		case body.code === 'InvalidPatch' && /ContactCommunicationItem/.test(text):
			description =
				'Email and phone numbers are communication items: change them through /company/contacts/{id}/communications, not by patching communicationItems.';
			break;
		case body.code === 'InvalidClientId' || /clientId/i.test(text):
			description =
				"Enter the integration's clientId (a GUID registered at developer.connectwise.com/ClientID) in the credential.";
			break;
		case response.status === 400 &&
			body.code !== 'InvalidPatch' &&
			!details.length &&
			(context.queried === true ||
				/Expected an? \w+ value|Cannot find column|conditions|orderBy/i.test(text)):
			description =
				'The conditions were refused. Quote strings with double quotes, write dates as [2025-01-31T00:00:00Z], use true/false and plain numbers, and check the field names (e.g. company/id, communicationItems/value).';
			break;
		case body.code === 'InvalidObject':
			description =
				'ConnectWise refused the values named above. Correct them (lengths and required fields come from the tenant) and run again.';
			break;
		case response.status >= 500:
			description =
				'ConnectWise failed on its side. Run again later; if it persists, check status.connectwise.com.';
			break;
		default:
			description =
				'ConnectWise refused the request with the message above. Correct the value it names and run again.';
	}
	return new VendorApiError({
		vendor: 'connectwise',
		httpCode: response.status,
		message: `ConnectWise: ${text}`,
		description,
		vendorCode: typeof body.code === 'string' ? body.code : undefined,
	});
}
