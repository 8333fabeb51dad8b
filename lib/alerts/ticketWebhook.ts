import { createHmac } from 'crypto';

import { InputError } from '../transport/http';
import { constantTimeEquals } from './webhook';
import type { WebhookEnvelope } from './webhook';

/**
 * Autotask's ticket webhook (a callout when a ticket changes): how a delivery is recognised, how
 * its signature is checked, and what it says. Autotask signs each callout with the webhook's
 * secret key: `X-Hook-Signature: sha1=<base64(HMAC-SHA1(secretKey, body))>` over the exact bytes
 * it sent, which it writes compactly, with `& < > ' " \` +` and every non-ASCII character
 * escaped as \uXXXX. The body: `{Action, Guid, EntityType, Id, Fields, EventTime,
 * SequenceNumber, PersonID}` ([U] the field names, as n8n-nodes-autotask reads them from real
 * tenants; docs/adr/alert-ticket-webhook.md).
 */
export const HOOK_SIGNATURE_HEADER = 'x-hook-signature';

export interface TicketWebhookEvent {
	action: string;
	ticketId: number;
	/** The ticket's status after the change, when the callout carries it (a subscribed field). */
	status?: string;
	sequenceNumber?: number;
	webhookGuid?: string;
}

/** Whether an item looks like an Autotask ticket callout (not a Datto alert delivery). */
export function isTicketWebhook(envelope: WebhookEnvelope): boolean {
	const body = envelope.body as Record<string, unknown> | undefined;
	if (!body || typeof body !== 'object') return false;
	return (
		Object.keys(envelope.headers).some((name) => name.toLowerCase() === HOOK_SIGNATURE_HEADER) ||
		('EntityType' in body && 'Id' in body && 'Action' in body)
	);
}

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
		else if (code < 0x20 || code > 0x7e || '&<>\'"`+'.includes(char))
			out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
		else out += char;
	}
	return `${out}"`;
}

/**
 * The body as Autotask wrote it, from the parsed JSON n8n's Webhook node hands on (key order is
 * kept by JSON.parse). Used when the raw body is not available (the Webhook node's Raw Body
 * option gives it exactly).
 */
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

const headerValue = (headers: Record<string, unknown>, name: string): string | undefined => {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return first === undefined || first === null ? undefined : String(first);
	}
	return undefined;
};

/**
 * Throws InputError unless the callout carries a signature the secret key made over its body
 * (the raw bytes when given, else the body as Autotask writes it). Never echoes the key.
 */
export function verifyHookSignature(
	envelope: WebhookEnvelope,
	secretKey: string,
	rawBody?: string,
): void {
	const provided = headerValue(envelope.headers, HOOK_SIGNATURE_HEADER)?.trim();
	if (!provided)
		throw new InputError(
			'Autotask Webhook Secret Key',
			'Unsigned ticket webhook rejected: the X-Hook-Signature header is missing',
			'Autotask signs every callout of a webhook that has a secret key: set the same Secret Key on the Autotask ticket webhook (Admin > Extensions & Integrations > Webhooks) and in this node.',
		);
	const body = rawBody ?? autotaskJson(envelope.body);
	const expected = `sha1=${createHmac('sha1', secretKey).update(body, 'utf8').digest('base64')}`;
	if (!constantTimeEquals(expected, provided))
		throw new InputError(
			'Autotask Webhook Secret Key',
			'Ticket webhook rejected: its X-Hook-Signature does not match the secret key',
			'The delivery was not signed with this secret key (or was changed on the way). Check that the Secret Key of the Autotask ticket webhook and this node are the same; turn on the Webhook node\'s "Raw Body" option if a proxy re-writes the JSON.',
		);
}

/** What a ticket callout says; throws InputError naming the field when it is not one. */
export function parseTicketWebhook(body: unknown): TicketWebhookEvent {
	const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
	const entity = String(record.EntityType ?? '');
	if (entity && entity.toLowerCase() !== 'ticket')
		throw new InputError(
			'EntityType',
			`The Autotask webhook is for "${entity}", not for tickets`,
			'Point only a ticket webhook (TicketWebhooks) at this branch.',
		);
	const id = Number(record.Id);
	if (!Number.isSafeInteger(id) || id <= 0)
		throw new InputError(
			'Id',
			`The Autotask ticket webhook carries no ticket id (Id: ${JSON.stringify(record.Id ?? null)})`,
			'Check that the delivery comes from an Autotask ticket webhook.',
		);
	const fields = (
		record.Fields && typeof record.Fields === 'object' ? record.Fields : {}
	) as Record<string, unknown>;
	const statusKey = Object.keys(fields).find((key) => key.toLowerCase() === 'status');
	const sequence = Number(record.SequenceNumber);
	return {
		action: String(record.Action ?? ''),
		ticketId: id,
		status:
			statusKey && fields[statusKey] !== null && fields[statusKey] !== undefined
				? String(fields[statusKey])
				: undefined,
		sequenceNumber: Number.isFinite(sequence) ? sequence : undefined,
		webhookGuid: record.Guid ? String(record.Guid) : undefined,
	};
}
