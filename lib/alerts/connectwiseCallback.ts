import { InputError } from '../transport/http';
import { constantTimeEquals } from './webhook';
import type { WebhookEnvelope } from './webhook';

/**
 * ConnectWise Manage's callback (`/system/callbacks`): how a delivery is recognised, how it is
 * authenticated and what it says. ConnectWise posts to the URL registered on the callback, so a
 * secret in that URL (`?secret=...`) proves the delivery came through the callback we set up.
 * [U] The body: `{MessageId, FromUrl, CompanyId, MemberId, Action, Type, ID, Entity}` with
 * `Entity` the record as a JSON string (docs/adr/connectwise-callbacks.md).
 */
export const CALLBACK_SECRET_QUERY = 'secret';

export interface ConnectWiseCallbackEvent {
	action: string;
	type: string;
	ticketId: number;
	/** Whether the ticket is closed after the change, when the callback's entity says so. */
	closed?: boolean;
}

const record = (value: unknown): Record<string, unknown> =>
	(value && typeof value === 'object' ? value : {}) as Record<string, unknown>;

function pick(body: Record<string, unknown>, name: string): unknown {
	const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : body[key];
}

/** Whether an item looks like a ConnectWise callback (not a Datto alert or an Autotask callout). */
export function isConnectWiseCallback(envelope: WebhookEnvelope): boolean {
	const body = record(envelope.body);
	return (
		pick(body, 'type') !== undefined &&
		pick(body, 'id') !== undefined &&
		pick(body, 'action') !== undefined &&
		!('EntityType' in body)
	);
}

/**
 * Throws InputError unless the delivery's URL carries the callback secret (query parameter
 * `secret`). Never echoes the secret.
 */
export function verifyCallbackSecret(envelope: WebhookEnvelope, secret: string): void {
	if (!secret)
		throw new InputError(
			'ConnectWise Callback Secret',
			'No ConnectWise Callback Secret is set, so no callback can be trusted',
			'Set a long random value under "ConnectWise Callback Secret" and register the callback URL with ?secret=<that value> (the "Set Up Ticket Webhook" operation does both).',
		);
	const value = Object.entries(envelope.query).find(
		([name]) => name.toLowerCase() === CALLBACK_SECRET_QUERY,
	)?.[1];
	const provided = Array.isArray(value) ? value[0] : value;
	if (provided === undefined || provided === null || String(provided) === '')
		throw new InputError(
			'ConnectWise Callback Secret',
			'Unauthenticated ConnectWise callback rejected: its URL carries no "secret" query parameter',
			'Register the callback in ConnectWise with this webhook URL followed by ?secret=<the ConnectWise Callback Secret>.',
		);
	if (!constantTimeEquals(secret, String(provided).trim()))
		throw new InputError(
			'ConnectWise Callback Secret',
			"ConnectWise callback rejected: the URL's secret does not match the ConnectWise Callback Secret",
			'Make the secret in the callback URL registered in ConnectWise equal to the one set in this node.',
		);
}

/** What a ticket callback says; throws InputError naming the field when it is not one. */
export function parseConnectWiseCallback(body: unknown): ConnectWiseCallbackEvent {
	const fields = record(body);
	const type = String(pick(fields, 'type') ?? '');
	const id = Number(pick(fields, 'id'));
	if (!Number.isSafeInteger(id) || id <= 0)
		throw new InputError(
			'ID',
			`The ConnectWise callback carries no record id (ID: ${JSON.stringify(pick(fields, 'id') ?? null)})`,
			'Check that the delivery comes from a ConnectWise ticket callback.',
		);
	let entity: Record<string, unknown> = {};
	const raw = pick(fields, 'entity');
	if (typeof raw === 'string' && raw.trim()) {
		try {
			entity = record(JSON.parse(raw));
		} catch {
			entity = {};
		}
	} else entity = record(raw);
	const closedFlag = pick(entity, 'closedflag');
	return {
		action: String(pick(fields, 'action') ?? ''),
		type,
		ticketId: id,
		closed: typeof closedFlag === 'boolean' ? closedFlag : undefined,
	};
}
