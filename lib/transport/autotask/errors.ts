import { VendorApiError } from '../http';
import type { HttpResponse } from '../http';
import type { Verdict } from '../retry';

/** Autotask's answers: which may be repeated, and the errors in Autotask's words with a fix. */

const THREAD_LIMIT_PATTERN = /thread threshold|Itgenatr005|thread count/i;

/** Autotask's refusals of an ImpersonationResourceId (unknown, inactive or not impersonable resource). */
const IMPERSONATION_PATTERN = /impersonat/i;

/** Whether Autotask refused the request because of its ImpersonationResourceId (the write did not happen). */
export function isImpersonationRefusal(error: unknown): boolean {
	return (
		error instanceof VendorApiError &&
		error.vendor === 'autotask' &&
		(error.httpCode === 500 || error.httpCode === 403) &&
		IMPERSONATION_PATTERN.test(error.message)
	);
}

/** A refusal for Autotask's thread limit (3 requests per endpoint at once), whatever its status. */
export function isThreadLimitRefusal(body: unknown): boolean {
	return THREAD_LIMIT_PATTERN.test(errorsOf(body).join(' '));
}

export function classifyAutotaskResponse(response: HttpResponse<unknown>): Verdict {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok' };
	if (status === 429) return { kind: 'retry' };
	if (status === 503) return { kind: 'retry' };
	if (status === 502 || status === 504) return { kind: 'retryIfIdempotent' };
	if (isThreadLimitRefusal(response.body)) return { kind: 'retry' };
	return { kind: 'fail' };
}

function errorsOf(body: unknown): string[] {
	if (body && typeof body === 'object') {
		const errors = (body as { errors?: unknown; Message?: unknown }).errors;
		if (Array.isArray(errors))
			return errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
		const message =
			(body as { Message?: unknown; message?: unknown }).Message ??
			(body as { message?: unknown }).message;
		if (typeof message === 'string') return [message];
	}
	if (typeof body === 'string' && body.trim()) return [body.trim().slice(0, 500)];
	return [];
}

/** Autotask's `{"errors":[...]}` as a VendorApiError with a fix for the usual causes. */
export function autotaskError(response: HttpResponse<unknown>): VendorApiError {
	const messages = errorsOf(response.body);
	const text = messages.join(' ') || `HTTP ${response.status}`;
	let description: string;
	switch (true) {
		case response.status === 401:
			description =
				"Autotask rejected the API user's secret. Re-enter it in the credential and make sure the API user is active and exempt from password expiry.";
			break;
		case response.status === 403:
			description =
				"The API user's security level does not allow this. Adjust it under Admin > Features & Settings > Resources/Users (HR) > Security Levels (and Protected Data Permission for contact details).";
			break;
		case response.status === 404:
			description = 'The record does not exist, or the API user cannot see it. Check the ID.';
			break;
		case response.status === 429:
			description =
				'Autotask kept throttling after retries. Spread the workflow out, or check Admin > Extensions & Integrations > API Activity by Hour for other heavy integrations.';
			break;
		case /IntegrationCode is invalid/i.test(text):
			description =
				"Copy the tracking identifier from the API user's Security tab into the credential's API Integration Code.";
			break;
		case /Zone information could not be determined/i.test(text):
			description =
				'Check the API username in the credential (the full username of an API-only resource), or set the zone base URL by hand.';
			break;
		case IMPERSONATION_PATTERN.test(text):
			description =
				'Autotask refused to act as that resource. The resource must be active and its security level must allow impersonation (Admin > Features & Settings > Resources/Users (HR) > Security Levels > "Allow impersonation of resources with this security level"), and the API user\'s security level must allow impersonation for this entity (Web Services API section).';
			break;
		case /limited to 500 or fewer 'OR' conditions/i.test(text):
			description = 'The filter has too many alternatives. Split the input into smaller batches.';
			break;
		case /Unable to find .* in the Entity/i.test(text):
			description =
				'A field name in the request does not exist on this entity. Check the spelling, and use "udf": true for user-defined fields.';
			break;
		default:
			description =
				"Autotask refused the request with the message above. Correct the value it names (required fields and lengths come from the tenant's field settings) and run again.";
	}
	return new VendorApiError({
		vendor: 'autotask',
		httpCode: response.status,
		message: `Autotask: ${text}`,
		description,
	});
}
