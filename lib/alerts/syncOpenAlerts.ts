import type { DattoClient } from '../transport/datto';
import { mapWithConcurrency } from '../transport/limiter';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import { DATTO_READ_CONCURRENCY } from './alertRun';
import { openRun } from './batch';
import type { ProcessAlertsConfig } from './batch';
import { otherOpenAlerts } from './decide';
import { closeDuplicate, duplicatesOf } from './duplicates';
import { humanWorkReasons } from './humanWork';
import { devicePrefix, KEY_PREFIX, keyTracksAlert, problemPrefix, sitePrefix } from './key';
import { outcome, ticketRef } from './outcome';
import type { Outcome } from './outcome';
import { applyEvents } from './processAlerts';
import { resolveSettings } from './settings';
import type { AlertTicketStore } from './ticketStore';
import type { AlertEvent } from './webhook';

/** Sync applies what it finds missing as Process Alert would: it needs the same settings. */
export type SyncOpenAlertsConfig = ProcessAlertsConfig;

/**
 * Sync Open Alerts: compares Datto's open alerts with the open alert tickets and fixes what
 * webhooks missed: tickets for open alerts nobody ticketed, completion for tickets whose alert
 * resolved, and duplicates a stopped worker left open. Fails as a whole on the first error.
 */
export async function syncOpenAlerts(
	store: AlertTicketStore,
	datto: DattoClient,
	config: SyncOpenAlertsConfig,
	options: { siteUid?: string; now?: () => number } = {},
): Promise<Outcome[]> {
	const { run, notes } = openRun(store, datto, config, options.now);
	run.ctx.now = run.now();
	const alerts = await datto.listAlerts(
		options.siteUid ? { level: 'site', uid: options.siteUid } : { level: 'account' },
		'open',
	);
	const open = await run.remember({
		prefixes: [options.siteUid ? sitePrefix(options.siteUid) : KEY_PREFIX],
	});

	const events: AlertEvent[] = [];
	const openAlertUids = new Set(alerts.map((alert) => alert.alertUid));
	// The listing answers "is the problem still alerting?" for every resolve this run applies.
	const byDevice = new Map<string, AlertInfo[]>();
	const flattened = alerts.map((raw) => normalizeAlert(raw));
	for (const info of flattened)
		byDevice.set(info.deviceUid, [...(byDevice.get(info.deviceUid) ?? []), info]);
	run.useOpenAlertListing(options.siteUid, byDevice);
	for (const [index, raw] of alerts.entries()) {
		const info = flattened[index];
		if (config.skipNativeTickets && info.nativeTicket) continue;
		if (!resolveSettings(config.defaults, config.overrides, info).ticket) continue;
		const parts = {
			siteUid: info.siteUid,
			deviceUid: info.deviceUid,
			monitorClass: info.monitorClass,
			detail: info.detail,
		};
		const prefix = problemPrefix(parts);
		const dev = devicePrefix(info.siteUid, info.deviceUid);
		const site = sitePrefix(info.siteUid);
		const covered = open.some(
			(t) =>
				keyTracksAlert(t.key, raw.alertUid) ||
				(!t.key.storm && t.key.problemPrefix === prefix) ||
				(t.key.storm === 'device' && t.key.devicePrefix === dev) ||
				(t.key.storm === 'site' && t.key.sitePrefix === site),
		);
		if (!covered) events.push({ kind: 'raised', alertUid: raw.alertUid, hints: {}, apiAlert: raw });
	}

	const outcomes: Outcome[] = [];
	// Open tickets whose alert is no longer open: confirm with Datto before completing. A ticket
	// whose problem still has an open alert (a repeat) stays open, as a resolve leaves it.
	const stale = open.filter(
		(t) =>
			!t.key.storm &&
			t.key.alertUid &&
			!openAlertUids.has(t.key.alertUid) &&
			!otherOpenAlerts(t, flattened, t.key.alertUid).length,
	);
	const confirmed = await mapWithConcurrency(
		stale.length,
		DATTO_READ_CONCURRENCY,
		async (i) => await run.alerts.get(stale[i].key.alertUid!),
	);
	stale.forEach((ticket, i) => {
		const alert = confirmed[i];
		if (alert?.resolved)
			events.push({ kind: 'resolved', alertUid: alert.alertUid, hints: {}, apiAlert: alert });
		else if (!alert) {
			outcomes.push(
				outcome({
					decision: 'alertNotFound',
					event: 'resolved',
					alertUid: ticket.key.alertUid,
					reason: `Datto RMM no longer knows alert ${ticket.key.alertUid}; ticket ${ticket.ticketNumber ?? ticket.id} was left open for a person to close`,
					...ticketRef(ticket),
				}),
			);
		}
	});

	// Duplicates left open by a worker that stopped before merging them.
	for (const { winner, losers } of duplicatesOf(open, run.ctx)) {
		for (const loser of losers) {
			if (humanWorkReasons(loser, run.ctx).length) continue;
			await closeDuplicate(run, notes, loser, winner, loser.key.alertUid ?? '');
			outcomes.push(
				outcome({
					decision: 'duplicateClosed',
					alertUid: loser.key.alertUid,
					reason: `Duplicate of ticket ${winner.ticketNumber ?? winner.id}`,
					...ticketRef(loser),
				}),
			);
		}
	}

	const results = await applyEvents(run, notes, config, events);
	for (const result of results) {
		if (result instanceof Error) throw result;
		// A ticket kept open for a technician, or an alert its completed ticket already carried,
		// stays so quietly on every later run.
		if (
			result &&
			result.json.decision !== 'alreadyNoted' &&
			result.json.decision !== 'duplicateDelivery'
		)
			outcomes.push(result);
	}
	return outcomes;
}
