/** ConnectWise's error shapes and words. */
import type { SandboxRequest, SandboxResponse } from '../core/types';

/** The vendor's words: quoted where its documents or live answers give them, [U] where they do not. */
export const VENDOR_TEXT = {
	// [U] the gateway's answer without a clientId header.
	missingClientId:
		'A clientId header is required on every request. Register the integration at https://developer.connectwise.com/ClientID and send its GUID in the clientId header.',
	// [U] body of a 401 (the code "Unauthorized" is what the ConnectWiseManageAPI module handles).
	unauthorized: 'Authentication failed. Check the company, public key and private key.',
	// The PSA's answer to communicationItems sent as a string (ChristayCodes/ConnectWiseManageAPI issue #51).
	communicationItemsCast:
		'Could not cast or convert from System.String to ConnectWise.Apis.v3_0.v2015_3.Company.Contact.ContactCommunicationItem[].',
	// [U]
	pageSize: (max: number) => `pageSize must be between 1 and ${max}.`,
	// [U] wording; that forward-only paging cannot use orderBy is in the developer guide.
	forwardOnlyOrderBy:
		'orderBy is not supported with forward-only pagination. Results are ordered by id.',
	// [U]
	notFound: (entity: string, id: string) => `${entity} recId ${id} was not found.`,
	// [U] ASP.NET Web API's answer for a path no route serves; on cloud also what bad keys
	// through the v4_6_release router look like (developer guide, troubleshooting). It carries no
	// `code`.
	noRoute: (path: string) => `No HTTP resource was found that matches the request URI '${path}'.`,
	// "company object is invalid" (a live answer), the same pattern per resource.
	invalidObject: (resource: string) => `${resource} object is invalid`,
};

export interface FieldProblem {
	code: string;
	message: string;
	resource: string;
	field: string;
}

export function fieldError(
	resource: string,
	field: string,
	code: string,
	message: string,
): FieldProblem {
	return { code, message, resource, field };
}

export function cwError(
	status: number,
	code: string,
	message: string,
	errors: FieldProblem[] | null = null,
): SandboxResponse {
	return { status, body: { code, message, errors } };
}

export function invalidObject(resource: string, problems: FieldProblem[]): SandboxResponse {
	return cwError(400, 'InvalidObject', VENDOR_TEXT.invalidObject(resource), problems);
}

export function noRoute(request: SandboxRequest): SandboxResponse {
	return {
		status: 404,
		body: { Message: VENDOR_TEXT.noRoute(`${request.origin}${request.path}`) },
	};
}

export function notFound(entity: string, id: string): SandboxResponse {
	return cwError(404, 'NotFound', VENDOR_TEXT.notFound(entity, id));
}
