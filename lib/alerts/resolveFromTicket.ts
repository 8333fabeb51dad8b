import type { DattoAlert, DattoClient } from '../transport/datto';
import { InputError } from '../transport/http';
import { normalizeAlert } from './alert';
import { PromiseCache } from '../util/promiseCache';
import { deviceCode, problemCode } from './key';
import { describeAlert, outcome } from './outcome';
import type { Outcome } from './outcome';
import type { AlertTicketStore } from './ticketStore';

export interface ResolveFromTicketOptions {
	/** Refuse unless the ticket tracks this alert. */
	expectedAlertUid?: string;
	/** Resolve only when the ticket is complete. */
	requireComplete: boolean;
}

/**
 * Resolve Alert From Ticket for the items of one execution: they share their alert reads, so
 * two items naming the same alert read it once.
 */
export function ticketAlertResolver(
	store: AlertTicketStore,
	datto: DattoClient,
): (ticketId: number, options: ResolveFromTicketOptions) => Promise<Outcome> {
	const alerts = new PromiseCache(async (uid: string) => await datto.getAlert(uid));
	return async (ticketId, options) =>
		await resolveFromTicket(store, datto, alerts, ticketId, options);
}

/** Resolves the Datto alert a PSA ticket tracks, if (and only if) it is the ticket's own. */
async function resolveFromTicket(
	store: AlertTicketStore,
	datto: DattoClient,
	alerts: PromiseCache<string, DattoAlert | undefined>,
	ticketId: number,
	options: ResolveFromTicketOptions,
): Promise<Outcome> {
	const found = await store.getTicket(ticketId);
	if (!found) {
		throw new InputError(
			'Ticket',
			`${store.name} ticket ${ticketId} was not found`,
			'Check the ticket ID, and that the API user may read tickets of its company.',
		);
	}
	const ticket = found.record;
	const ref = { ticketId, ticketNumber: found.ticketNumber };
	if (!ticket) {
		return outcome({
			decision: 'notAlertTicket',
			...ref,
			reason: `The ticket carries no Datto RMM alert key in its ${store.keyFieldLabel}, so it was not opened by this node`,
		});
	}
	if (ticket.key.storm) {
		return outcome({
			decision: 'stormTicket',
			...ref,
			reason: 'A storm ticket stands for many alerts; resolve them in Datto RMM',
		});
	}
	const alertUid = ticket.key.alertUid;
	if (!alertUid) {
		return outcome({
			decision: 'notAlertTicket',
			...ref,
			reason: 'The ticket key does not carry the full alert UID',
		});
	}
	if (
		options.expectedAlertUid &&
		options.expectedAlertUid.trim().toLowerCase() !== alertUid.toLowerCase()
	) {
		return outcome({
			decision: 'notOwnAlert',
			...ref,
			alertUid: options.expectedAlertUid,
			reason: `Refused: ticket ${ref.ticketNumber ?? ticketId} tracks alert ${alertUid}, not ${options.expectedAlertUid}`,
		});
	}
	if (options.requireComplete && ticket.status !== store.completeStatus) {
		return outcome({
			decision: 'ticketNotComplete',
			...ref,
			alertUid,
			reason: `Ticket ${ref.ticketNumber ?? ticketId} is not complete yet`,
		});
	}
	const alert = await alerts.get(alertUid);
	if (!alert)
		return outcome({
			decision: 'alertNotFound',
			...ref,
			alertUid,
			reason: `Datto RMM does not know alert ${alertUid}`,
		});
	const info = normalizeAlert(alert);
	if (
		deviceCode(info.deviceUid) !== ticket.key.device ||
		problemCode(info.monitorClass, info.detail) !== ticket.key.problem
	) {
		return outcome({
			decision: 'notOwnAlert',
			...ref,
			alertUid,
			reason: `Refused: alert ${alertUid} (${info.monitorLabel} on ${info.hostname}) is not the device and problem this ticket was opened for`,
		});
	}
	if (alert.resolved)
		return outcome({
			...describeAlert(info, 'resolved'),
			decision: 'alreadyResolved',
			...ref,
			reason: 'The alert is already resolved in Datto RMM',
		});
	await datto.resolveAlert(alertUid);
	return outcome({ ...describeAlert(info, 'resolved'), decision: 'alertResolved', ...ref });
}
