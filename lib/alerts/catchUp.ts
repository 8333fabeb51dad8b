import { epochMs } from './alert';
import type { AlertBatch } from './batch';
import type { AlertEvent } from './webhook';

/** Datto's clock against the PSA's: alerts raised this long before a storm ticket's last note count as after it. */
const CLOCK_MARGIN_MS = 120_000;

/**
 * A storm ticket gets a note at most once per storm-note interval; the note that is due lists the
 * storm's alerts since the previous one (the deliveries in between deferred them). They come from
 * Datto's open alerts of the storm's device (or site) raised since the ticket's last activity:
 * those no ticket tracks and this batch did not bring are applied with the batch, as Sync Open
 * Alerts would apply them (a repeat of an open problem ticket is noted there, a new problem on
 * the storm ticket; one already listed in a note is recognised). One listing per storm ticket.
 */
export async function catchUpEvents(batch: AlertBatch, seen: Set<string>): Promise<AlertEvent[]> {
	const { run } = batch;
	const events: AlertEvent[] = [];
	for (const { ticket, siteUid, deviceUid } of batch.stormNotes.values()) {
		const scope =
			ticket.key.storm === 'site'
				? { level: 'site' as const, uid: siteUid }
				: { level: 'device' as const, uid: deviceUid };
		if (!scope.uid) continue;
		const since = (ticket.lastActivityDate ?? ticket.createDate ?? 0) - CLOCK_MARGIN_MS;
		for (const alert of await run.datto.listAlerts(scope, 'open')) {
			const uid = alert.alertUid.toLowerCase();
			if (seen.has(uid)) continue;
			seen.add(uid);
			const raised = epochMs(alert.timestamp);
			if ((raised !== undefined && raised < since) || run.hasOwnTicket(alert.alertUid)) continue;
			run.alerts.prime(alert.alertUid, alert);
			events.push({ kind: 'raised', alertUid: alert.alertUid, hints: {}, apiAlert: alert });
		}
	}
	batch.stormNotes.clear();
	return events;
}
