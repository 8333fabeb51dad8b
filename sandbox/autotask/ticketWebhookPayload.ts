/**
 * What a ticket webhook callout looks like on the wire: its body, how Autotask writes it and how
 * it is signed. Everything here the vendor's documentation does not state is [U]; this file is
 * the one place to correct it.
 *
 * - Signature: `X-Hook-Signature: sha1=<base64(HMAC-SHA1(secretKey, body))>` over the exact bytes
 *   sent (Autotask's "Secret key and payload verification"; Nango and n8n-nodes-autotask verify it
 *   so).
 * - Writing: Autotask's serializer escapes `& < > ' " \` +` and every non-ASCII character inside
 *   strings as \uXXXX (upper-case hex, UTF-16 units) before signing; n8n-nodes-autotask re-creates
 *   exactly that escaping to verify. The backslash itself stays `\\` (standard JSON). No spaces.
 * - [U] Body: `{Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber, PersonID}`, the
 *   raw payload n8n-nodes-autotask reads from real tenants. `Guid` is the webhook's `webhookGUID`
 *   (Nango routes deliveries on it); `Action` is Create | Update | Delete, or Deactivated for the
 *   call to the deactivation URL; `Fields` maps the REST field names of the subscribed fields that
 *   changed (all subscribed fields on Create) and of every display-always field to their values
 *   after the change, as stored (ids and numbers, never labels; UDFs by name); `SequenceNumber`
 *   counts each webhook's callouts from 1; `PersonID` is the resource that made the change.
 */
import { createHmac } from 'node:crypto';

export type WebhookAction = 'Create' | 'Update' | 'Delete' | 'Deactivated';

export interface CalloutInput {
	action: WebhookAction;
	guid: string;
	entityType: string;
	id: number;
	fields: Record<string, unknown>;
	eventTime: string;
	sequenceNumber: number;
	personId: number | null;
}

/** [U] The callout body. */
export function calloutBody(input: CalloutInput): Record<string, unknown> {
	return {
		Action: input.action,
		Guid: input.guid,
		EntityType: input.entityType,
		Id: input.id,
		Fields: input.fields,
		EventTime: input.eventTime,
		SequenceNumber: input.sequenceNumber,
		PersonID: input.personId,
	};
}

/** The characters Autotask writes as \uXXXX inside strings, besides every non-ASCII one. */
export const AUTOTASK_ESCAPED_CHARACTERS = `&<>'"\`+`;

function escapeString(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		const code = text.charCodeAt(i);
		if (char === '\\') out += '\\\\';
		else if (code === 0x08) out += '\\b';
		else if (code === 0x09) out += '\\t';
		else if (code === 0x0a) out += '\\n';
		else if (code === 0x0c) out += '\\f';
		else if (code === 0x0d) out += '\\r';
		else if (code < 0x20 || code > 0x7e || AUTOTASK_ESCAPED_CHARACTERS.includes(char)) {
			out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
		} else out += char;
	}
	return `${out}"`;
}

/** JSON as Autotask writes it: compact, with the escaping above. Pure ASCII. */
export function autotaskJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return escapeString(value);
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (Array.isArray(value)) return `[${value.map((item) => autotaskJson(item)).join(',')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(
			([, entry]) => entry !== undefined,
		);
		return `{${entries.map(([key, entry]) => `${escapeString(key)}:${autotaskJson(entry)}`).join(',')}}`;
	}
	return 'null';
}

/** The `X-Hook-Signature` value for a body. */
export function hookSignature(secretKey: string, body: string): string {
	return `sha1=${createHmac('sha1', secretKey).update(body, 'utf8').digest('base64')}`;
}

/** [U] Headers of a callout: JSON, and the signature when the webhook has a secret key. */
export function calloutHeaders(body: string, secretKey: string | null): Record<string, string> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
	if (secretKey) headers['X-Hook-Signature'] = hookSignature(secretKey, body);
	return headers;
}
