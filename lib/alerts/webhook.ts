import { InputError } from '../transport/http';
import { parseJson } from '../util/settled';
import { looksLikeApiAlert } from './alert';
import type { DattoAlert, WebhookHints } from './alert';

/**
 * The webhook body to paste into a Datto RMM monitor's Response > Send a Webhook (or Setup >
 * Integrations > Global Webhooks): one for "When alert is raised" and one for "When alert is
 * resolved", both to the same URL. Only `alertUid` and `event` are needed; the rest is fetched
 * with GET /v2/alert/{uid} and only used when the API does not have it (Datto's own message and
 * monitor name). Datto substitutes the [square bracket] variables.
 */
export const WEBHOOK_TEMPLATE_RAISED = `{
  "event": "raised",
  "alertUid": "[alert_uid]",
  "priority": "[alert_priority]",
  "alertType": "[alert_type]",
  "category": "[alert_category]",
  "message": "[alert_message]",
  "deviceUid": "[device_uid]",
  "hostname": "[device_hostname]",
  "siteUid": "[site_uid]",
  "siteName": "[site_name]",
  "platform": "[platform]",
  "timestamp": "[timestamp]"
}`;

export const WEBHOOK_TEMPLATE_RESOLVED = WEBHOOK_TEMPLATE_RAISED.replace(
	'"event": "raised"',
	'"event": "resolved"',
);

export type AlertEventKind = 'raised' | 'resolved';

export interface AlertEvent {
	kind: AlertEventKind;
	alertUid: string;
	/** What the body says beyond the uid; never trusted over the API. */
	hints: WebhookHints & { siteUid?: string; deviceUid?: string; priority?: string };
	/** A full API alert (input read from the Datto RMM API): no GET needed. */
	apiAlert?: DattoAlert;
	/** The delivery carried the shared secret: its site and device may be trusted. */
	trusted?: boolean;
}

export interface WebhookEnvelope {
	body: unknown;
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
}

/**
 * n8n's Webhook node emits `{headers, params, query, body}`; other sources pass the body itself.
 */
export function unwrapWebhookItem(json: Record<string, unknown>): WebhookEnvelope {
	const isEnvelope = 'body' in json && ('headers' in json || 'query' in json || 'params' in json);
	if (isEnvelope) {
		return {
			body: json.body,
			headers: (json.headers && typeof json.headers === 'object' ? json.headers : {}) as Record<
				string,
				unknown
			>,
			query: (json.query && typeof json.query === 'object' ? json.query : {}) as Record<
				string,
				unknown
			>,
		};
	}
	return { body: json, headers: {}, query: {} };
}

const RAISED_WORDS = [
	'raised',
	'raise',
	'triggered',
	'trigger',
	'open',
	'opened',
	'created',
	'new',
	'alert.raised',
	'alert.triggered',
	'alert.created',
];
const RESOLVED_WORDS = [
	'resolved',
	'resolve',
	'closed',
	'cleared',
	'clear',
	'alert.resolved',
	'alert.closed',
	'alert.cleared',
];

function field(body: Record<string, unknown>, names: string[]): unknown {
	for (const name of names) {
		if (body[name] !== undefined && body[name] !== null && body[name] !== '') return body[name];
	}
	const lower = new Map(Object.keys(body).map((key) => [key.toLowerCase(), key]));
	for (const name of names) {
		const key = lower.get(name.toLowerCase());
		if (key !== undefined && body[key] !== undefined && body[key] !== null && body[key] !== '')
			return body[key];
	}
	return undefined;
}

const isPlaceholder = (value: string): boolean => /^\[[a-z_]+\]$/i.test(value.trim());

function optionalText(body: Record<string, unknown>, names: string[]): string | undefined {
	const value = field(body, names);
	if (value === undefined || typeof value === 'object') return undefined;
	const text = String(value).trim();
	return text && !isPlaceholder(text) ? text : undefined;
}

/**
 * Datto does not escape quotes in substituted values, so a message with a `"` breaks the JSON.
 * Recover the two fields we need from such a body rather than losing the alert.
 */
function salvageBrokenJson(text: string): Record<string, unknown> | undefined {
	const uid = /"alert_?uid"\s*:\s*"([^"]+)"/i.exec(text)?.[1];
	if (!uid) return undefined;
	const event = /"(?:event|eventType|status)"\s*:\s*"([^"]+)"/i.exec(text)?.[1];
	const resolvedAlert = /"resolvedAlert"\s*:\s*"?(true|false)"?/i.exec(text)?.[1];
	const out: Record<string, unknown> = { alertUid: uid };
	if (event) out.event = event;
	if (resolvedAlert) out.resolvedAlert = resolvedAlert;
	return out;
}

function eventKind(body: Record<string, unknown>): AlertEventKind | undefined {
	const marker = field(body, [
		'event',
		'eventType',
		'alertEvent',
		'alertStatus',
		'status',
		'state',
	]);
	if (typeof marker === 'string' && !isPlaceholder(marker)) {
		const word = marker.trim().toLowerCase();
		if (RESOLVED_WORDS.includes(word)) return 'resolved';
		if (RAISED_WORDS.includes(word)) return 'raised';
	}
	const flag = field(body, ['resolvedAlert', 'resolved', 'isResolved']);
	if (flag === true || flag === 'true' || flag === 'True' || flag === 1 || flag === '1')
		return 'resolved';
	if (flag === false || flag === 'false' || flag === 'False' || flag === 0 || flag === '0')
		return 'raised';
	return undefined;
}

/** The event one webhook body (or API alert) stands for; InputError naming the missing field. */
export function parseAlertEvent(rawBody: unknown): AlertEvent {
	let body = rawBody;
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text)
			throw new InputError(
				'body',
				'The webhook body is empty',
				'Paste the documented JSON body into the Datto RMM webhook (Content-Type application/json).',
			);
		const parsed = parseJson(text);
		body = parsed.ok ? parsed.value : salvageBrokenJson(text);
		if (!body) {
			throw new InputError(
				'body',
				'The webhook body is not JSON and has no "alertUid"',
				'Use the documented JSON body and Content-Type application/json in the Datto RMM webhook.',
			);
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new InputError(
			'body',
			'The item has no webhook body object',
			'Connect the Webhook node (or an item holding a Datto RMM alert) to this node.',
		);
	}
	const object = body as Record<string, unknown>;

	if (looksLikeApiAlert(object)) {
		const marker = eventKind({ event: object.event, eventType: object.eventType });
		return {
			kind: marker ?? (object.resolved === true ? 'resolved' : 'raised'),
			alertUid: object.alertUid.trim(),
			hints: {},
			apiAlert: object,
		};
	}

	const uidValue = field(object, ['alertUid', 'alertUID', 'alert_uid', 'alertuid']);
	if (uidValue === undefined || typeof uidValue === 'object') {
		throw new InputError(
			'alertUid',
			'The webhook body is missing "alertUid"',
			'Put "alertUid": "[alert_uid]" in the Datto RMM webhook body (see the node\'s documented template).',
		);
	}
	const alertUid = String(uidValue).trim();
	if (isPlaceholder(alertUid)) {
		throw new InputError(
			'alertUid',
			`"alertUid" arrived as the unfilled variable ${alertUid}`,
			'Datto RMM did not substitute it: check the variable is spelled [alert_uid] in the webhook body.',
		);
	}
	if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(alertUid)) {
		throw new InputError(
			'alertUid',
			'"alertUid" is not a Datto RMM alert UID',
			'It must be the [alert_uid] variable of the webhook, e.g. 6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11.',
		);
	}
	const kind = eventKind(object);
	if (!kind) {
		throw new InputError(
			'event',
			'The webhook body is missing the raised/resolved marker "event"',
			'Use "event": "raised" in the alert webhook body and "event": "resolved" in the resolution body (or "resolvedAlert": "true"/"false").',
		);
	}
	return {
		kind,
		alertUid,
		hints: {
			message: optionalText(object, ['message', 'alertMessage', 'alert_message']),
			monitorName: optionalText(object, ['alertType', 'monitorName', 'alert_type']),
			category: optionalText(object, ['category', 'alertCategory']),
			hostname: optionalText(object, ['hostname', 'deviceHostname', 'deviceName']),
			siteName: optionalText(object, ['siteName', 'site_name', 'sitename']),
			platform: optionalText(object, ['platform']),
			siteUid: optionalText(object, ['siteUid', 'site_uid']),
			deviceUid: optionalText(object, ['deviceUid', 'device_uid']),
			priority: optionalText(object, ['priority', 'alertPriority', 'alert_priority']),
		},
	};
}

/** Compares in time that depends only on the expected value's length. */
export function constantTimeEquals(expected: string, provided: string): boolean {
	let diff = expected.length ^ provided.length;
	for (let i = 0; i < expected.length; i++) {
		diff |= expected.charCodeAt(i) ^ (i < provided.length ? provided.charCodeAt(i) : 0);
	}
	return diff === 0;
}

export type SecretLocation = 'header' | 'query' | 'headerOrQuery';

export interface SecretCheck {
	expected: string;
	location: SecretLocation;
	headerName: string;
	queryName: string;
}

function lookup(record: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(record)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		if (first === undefined || first === null) return undefined;
		return String(first);
	}
	return undefined;
}

/** Throws InputError when the delivery does not carry the shared secret; never echoes it. */
export function verifySharedSecret(envelope: WebhookEnvelope, check: SecretCheck): void {
	const candidates: string[] = [];
	if (check.location !== 'query') {
		let value = lookup(envelope.headers, check.headerName);
		if (value !== undefined && check.headerName.toLowerCase() === 'authorization')
			value = value.replace(/^Bearer\s+/i, '');
		if (value !== undefined) candidates.push(value.trim());
	}
	if (check.location !== 'header') {
		const value = lookup(envelope.query, check.queryName);
		if (value !== undefined) candidates.push(value.trim());
	}
	const where =
		check.location === 'header'
			? `header "${check.headerName}"`
			: check.location === 'query'
				? `query parameter "${check.queryName}"`
				: `header "${check.headerName}" or query parameter "${check.queryName}"`;
	if (!candidates.length) {
		throw new InputError(
			'Shared Secret',
			`Unsigned delivery rejected: the ${where} is missing`,
			'Add the shared secret to the Datto RMM webhook (URL query parameter or header), or clear "Shared Secret" in this node.',
		);
	}
	let matched = false;
	for (const candidate of candidates)
		if (constantTimeEquals(check.expected, candidate)) matched = true;
	if (!matched) {
		throw new InputError(
			'Shared Secret',
			`Delivery rejected: the ${where} does not match the shared secret`,
			'Make the secret in the Datto RMM webhook equal to the one set in this node.',
		);
	}
}
