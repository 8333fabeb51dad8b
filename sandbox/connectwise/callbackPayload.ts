/**
 * What a ConnectWise callback posts. The vendor documents the callback entry (type, level,
 * objectId, url) but not the body it sends; everything here is [U] and this file is the one place
 * to correct it.
 *
 * - [U] Body: `{MessageId, FromUrl, CompanyId, MemberId, Action, Type, ID, Entity}`: `Action` is
 *   added | updated | deleted (as integrations that consume callbacks read it), `Type` the
 *   record type in lower case ("ticket"), `ID` the record id, `MemberId` the member who made the
 *   change, `CompanyId` the PSA's login company, `FromUrl` the PSA's host, and `Entity` the record
 *   as `GET /service/tickets/{id}` returns it, serialised to a JSON string.
 * - [U] No signature header: ConnectWise's `x-content-signature` (HMAC-SHA256 with a key fetched
 *   from `metadata.key_url`) is not reproduced. Receivers authenticate a callback by a secret in its
 *   URL, which the sandbox posts to exactly as registered.
 */
import { randomUUID } from 'node:crypto';

export type CallbackAction = 'added' | 'updated' | 'deleted';

export interface CallbackInput {
	action: CallbackAction;
	type: string;
	id: number;
	entity: unknown;
	memberIdentifier: string;
	companyId: string;
	fromUrl: string;
}

/** [U] The callback body. */
export function callbackBody(input: CallbackInput): Record<string, unknown> {
	return {
		MessageId: randomUUID(),
		FromUrl: input.fromUrl,
		CompanyId: input.companyId,
		MemberId: input.memberIdentifier,
		Action: input.action,
		Type: input.type,
		ID: input.id,
		Entity: JSON.stringify(input.entity),
	};
}

/**
 * [U] Which ticket callbacks a ticket change reaches, by level: Owner = every ticket; the others
 * name one record by `objectId` (ConnectWise's "PSA Callbacks" page lists levels per type).
 */
export const TICKET_CALLBACK_LEVELS: Record<string, (ticket: Record<string, unknown>) => unknown> =
	{
		owner: () => undefined,
		board: (ticket) => (ticket.board as { id?: unknown } | undefined)?.id,
		status: (ticket) => (ticket.status as { id?: unknown } | undefined)?.id,
		company: (ticket) => (ticket.company as { id?: unknown } | undefined)?.id,
		type: (ticket) => (ticket.type as { id?: unknown } | undefined)?.id,
		ticket: (ticket) => ticket.id,
	};

/** [U] Callback types a callback entry may name (the "PSA Callbacks" page's table). */
export const CALLBACK_TYPES = [
	'Activity',
	'Agreement',
	'Company',
	'Configuration',
	'Contact',
	'Invoice',
	'Opportunity',
	'Product',
	'Project',
	'ProjectTicket',
	'PurchaseOrder',
	'Schedule',
	'Ticket',
	'Time',
];
