import type { DattoAlert, DattoClient } from '../transport/datto';
import { InputError } from '../transport/http';
import { normalizeAlert } from './alert';
import { PromiseCache } from '../util/promiseCache';
import { DUPLICATE_RESOLUTION_PREFIX, FOLDED_RESOLUTION_PREFIX } from './decide';
import { deviceCode, problemCode } from './key';
import { noteApplies } from './notes';
import { describeAlert, outcome } from './outcome';
import type { Outcome } from './outcome';
import type { TicketRecord } from './tickets';
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

/**
 * The reverse path (a ticket completed in the PSA resolves its Datto alerts), shared by the
 * ticket webhook and the backstop. Rules, from the ticket as the PSA holds it now (so re-deliveries
 * and callouts out of order change nothing):
 * - only a ticket with our key, not a storm ticket (it stands for many alerts), and only when it
 *   has the completed status;
 * - not a ticket our duplicate or storm rules closed (its alerts live on the ticket it names);
 * - the alerts on that ticket, and no others: its own alert, and the open alerts of its problem
 *   that one of our notes records on it (repeats). Another open alert of the same problem that is
 *   not on the ticket stays open.
 */
export async function resolveCompletedTicket(
	store: AlertTicketStore,
	datto: DattoClient,
	alerts: PromiseCache<string, DattoAlert | undefined>,
	ticketId: number,
	known?: { ticketNumber?: string; record?: TicketRecord },
): Promise<Outcome[]> {
	const found = known ?? (await store.getTicket(ticketId));
	const ref = { ticketId, ticketNumber: found?.ticketNumber ?? found?.record?.ticketNumber };
	const ticket = found?.record;
	const label = ref.ticketNumber ?? ticketId;
	if (!found)
		return [
			outcome({
				decision: 'notAlertTicket',
				...ref,
				reason: `${store.name} ticket ${ticketId} no longer exists`,
			}),
		];
	if (!ticket)
		return [
			outcome({
				decision: 'notAlertTicket',
				...ref,
				reason: `The ticket carries no Datto RMM alert key in its ${store.keyFieldLabel}, so it was not opened by this node`,
			}),
		];
	if (ticket.key.storm)
		return [
			outcome({
				decision: 'stormTicket',
				...ref,
				reason: 'A storm ticket stands for many alerts; resolve them in Datto RMM',
			}),
		];
	if (String(ticket.status) !== String(store.completeStatus))
		return [
			outcome({
				decision: 'ticketNotComplete',
				...ref,
				alertUid: ticket.key.alertUid,
				reason: `Ticket ${label} is not complete`,
			}),
		];
	const resolution = ticket.resolution ?? '';
	if (
		resolution.startsWith(DUPLICATE_RESOLUTION_PREFIX) ||
		resolution.startsWith(FOLDED_RESOLUTION_PREFIX)
	)
		return [
			outcome({
				decision: 'closedByRules',
				...ref,
				alertUid: ticket.key.alertUid,
				reason: `Ticket ${label} was closed by the duplicate or storm rule ("${resolution.split('\n')[0]}"); its alerts are on that ticket`,
			}),
		];
	const alertUid = ticket.key.alertUid;
	if (!alertUid)
		return [
			outcome({
				decision: 'notAlertTicket',
				...ref,
				reason: 'The ticket key does not carry the full alert UID',
			}),
		];
	const own = await alerts.get(alertUid);
	if (!own)
		return [
			outcome({
				decision: 'alertNotFound',
				...ref,
				alertUid,
				reason: `Datto RMM does not know alert ${alertUid}`,
			}),
		];
	const info = normalizeAlert(own);
	const sameProblem = (alert: DattoAlert) => {
		const other = normalizeAlert(alert);
		return (
			deviceCode(other.deviceUid) === ticket.key.device &&
			problemCode(other.monitorClass, other.detail) === ticket.key.problem
		);
	};
	if (!sameProblem(own))
		return [
			outcome({
				decision: 'notOwnAlert',
				...ref,
				alertUid,
				reason: `Refused: alert ${alertUid} (${info.monitorLabel} on ${info.hostname}) is not the device and problem this ticket was opened for`,
			}),
		];

	// The problem's other open alerts that a note of ours records on this ticket.
	const others = info.deviceUid
		? (await datto.listAlerts({ level: 'device', uid: info.deviceUid }, 'open')).filter(
				(alert) => alert.alertUid.toLowerCase() !== alertUid.toLowerCase() && sameProblem(alert),
			)
		: [];
	const noted = others.length
		? await store.notesMentioning(others.map((alert) => ({ ticketId, alertUid: alert.alertUid })))
		: [];
	const onTicket = others.filter((alert) =>
		noted.some((note) => note.ticketId === ticketId && noteApplies(note, alert.alertUid)),
	);

	const outcomes: Outcome[] = [];
	for (const alert of [own, ...onTicket]) {
		const described = describeAlert(normalizeAlert(alert), 'resolved');
		if (alert.resolved) {
			outcomes.push(
				outcome({
					...described,
					decision: 'alreadyResolved',
					...ref,
					reason: 'The alert is already resolved in Datto RMM',
				}),
			);
			continue;
		}
		await datto.resolveAlert(alert.alertUid);
		outcomes.push(
			outcome({
				...described,
				decision: 'alertResolved',
				...ref,
				reason: `Ticket ${label} was completed in ${store.name}`,
			}),
		);
	}
	return outcomes;
}
