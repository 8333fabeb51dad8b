/** The answers' shapes: Graph's OData envelope and error, the identity platform's error. */
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../core/types';

export function ok(body: Record<string, unknown>): SandboxResponse {
	const requestId = randomUUID();
	return {
		status: 200,
		headers: { 'request-id': requestId, 'client-request-id': requestId },
		body,
	};
}

export function graphError(status: number, code: string, message: string): SandboxResponse {
	const requestId = randomUUID();
	return {
		status,
		headers: { 'request-id': requestId, 'client-request-id': requestId },
		body: {
			error: {
				code,
				message,
				innerError: {
					date: new Date().toISOString().replace(/\.\d+Z$/, ''),
					'request-id': requestId,
					'client-request-id': requestId,
				},
			},
		},
	};
}

export function unauthorized(message: string): SandboxResponse {
	const response = graphError(401, 'InvalidAuthenticationToken', message);
	response.headers = {
		...response.headers,
		'WWW-Authenticate':
			'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
	};
	return response;
}

export function aadError(
	status: number,
	error: string,
	code: number,
	description: string,
): SandboxResponse {
	const traceId = randomUUID();
	const correlationId = randomUUID();
	const timestamp = new Date()
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, 'Z');
	return {
		status,
		body: {
			error,
			error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
			error_codes: [code],
			timestamp,
			trace_id: traceId,
			correlation_id: correlationId,
			error_uri: `https://login.microsoftonline.com/error?code=${code}`,
		},
	};
}
