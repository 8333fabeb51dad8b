import { mapWithConcurrency } from '../transport/limiter';
import { settle } from '../util/settled';
import { normalizeAlert } from './alert';
import type { AlertRun } from './alertRun';
import { DATTO_READ_CONCURRENCY } from './alertRun';
import {
	deviceScope,
	describeEvent,
	openAlertsForTicket,
	readResolvedAlerts,
	trustedDevice,
} from './batch';
import type { AlertBatch, PreparedEvent } from './batch';
import { batchReads } from './batchReads';
import type { RaiseToPlan, ResolveToPlan } from './batchReads';
import { decideResolved, decideWithoutAlert } from './decide';
import { humanWorkReasons } from './humanWork';
import { alertSuffix, devicePrefix, keyTracksAlert, narrowest, sitePrefix } from './key';
import { settleTickets } from './settle';
import type { TicketRecord } from './tickets';
import type { NoteLookup } from './notes';
import { deferredOutcome, outcome, ticketRef } from './outcome';
import type { OutcomeJson } from './outcome';
import type { AlertEvent } from './webhook';

/** Whether the event's device has any alert ticket its problem could be (unknown device: maybe). */
function mayHaveProblemTicket(run: AlertRun, item: PreparedEvent): boolean {
	const scope = deviceScope(item);
	if (!scope) return true;
	for (const ticket of run.tickets.values())
		if (!ticket.key.storm && ticket.key.devicePrefix === scope) return true;
	return false;
}

/**
 * Reads what the batch's decisions need, in as few calls as possible: the alerts, the alert
 * tickets of their sites and devices, the notes and time entries that may change a decision,
 * the configuration items of new tickets; and sets the storm level of every device. Returns
 * the events that are still to be applied (the others have their outcome or error already).
 */
export async function prepareBatch(
	batch: AlertBatch,
	events: Array<AlertEvent | Error>,
	offset = 0,
): Promise<PreparedEvent[]> {
	const { run, notes, config, results } = batch;
	const prepared: PreparedEvent[] = [];
	events.forEach((event, index) => {
		if (!(event instanceof Error) && results[offset + index] === undefined)
			prepared.push({ index: offset + index, event, lane: '' });
	});

	// 1. One read of the alert tickets that matter, from what the deliveries say before any alert
	// is read: the sites of raised events, the devices of resolved ones (a resolved repeat
	// completes its problem's ticket), and the tickets that track each event's own alert.
	const prefixes = new Set<string>();
	const suffixes = new Set<string>();
	for (const item of prepared) {
		const { event } = item;
		if (event.kind === 'raised') {
			// The site's tickets include the alert's own; without a site, its own by the key's end.
			const site = event.apiAlert?.alertSourceInfo?.siteUid || event.hints.siteUid;
			if (site) prefixes.add(sitePrefix(site));
			else suffixes.add(alertSuffix(event.alertUid));
			continue;
		}
		suffixes.add(alertSuffix(event.alertUid));
		const scope = deviceScope(item);
		if (scope) prefixes.add(scope);
	}
	await run.loadTickets(narrowest(prefixes), [...suffixes]);
	// Whoever reads a device's tickets closes what the duplicate and storm rules say should not
	// be open (a concurrent delivery's duplicate, a ticket over the storm limit), before deciding.
	await settleTickets(run, notes, config, batch.housekeeping);

	// 2. Raised events the tickets decide without reading their alert: a re-delivery of an alert a
	// ticket tracks; and, from a signed delivery, an alert of a device in a storm whose storm ticket
	// got its note less than the storm-note interval ago (its next note lists it).
	for (const item of prepared) {
		const { event } = item;
		if (event.kind !== 'raised' || event.apiAlert) continue;
		const { siteUid, deviceUid } = event.hints;
		const where =
			event.trusted && siteUid && deviceUid
				? { sitePrefix: sitePrefix(siteUid), devicePrefix: devicePrefix(siteUid, deviceUid) }
				: undefined;
		const decided = decideWithoutAlert(event.alertUid, where, run.view(), run.ctx);
		if (!decided || (decided.action !== 'skip' && decided.action !== 'defer')) continue;
		const base: OutcomeJson = {
			decision: 'noTicket',
			event: 'raised',
			alertUid: event.alertUid,
			hostname: event.hints.hostname,
			siteName: event.hints.siteName,
		};
		results[item.index] = outcome(
			decided.action === 'defer'
				? { ...base, ...deferredOutcome(decided.ticket) }
				: { ...base, decision: decided.code, reason: decided.reason, ...ticketRef(decided.ticket) },
		);
	}

	// 3. The alerts of the other raised events (and of resolved ones given as API alerts). Several
	// alerts of one device in this run: one listing of its open alerts instead of a GET each (a
	// storm of 500 costs 5 Datto calls, not 500); missing ones are fetched singly.
	const toRead = prepared.filter(
		(item) =>
			results[item.index] === undefined &&
			(item.event.kind === 'raised' || item.event.apiAlert !== undefined),
	);
	const perDevice = new Map<string, number>();
	for (const item of toRead) {
		const device = item.event.hints.deviceUid;
		if (!item.event.apiAlert && device) perDevice.set(device, (perDevice.get(device) ?? 0) + 1);
	}
	const crowded = [...perDevice.entries()].filter(([, count]) => count >= 2);
	await mapWithConcurrency(crowded.length, DATTO_READ_CONCURRENCY, async (i) => {
		const [device, count] = crowded[i];
		const limit = Math.max(100, count * 2);
		const listed = await settle(
			run.datto.listAlerts({ level: 'device', uid: device }, 'open', { limit }),
		);
		if (!listed.ok) return;
		for (const alert of listed.value) run.alerts.prime(alert.alertUid, alert);
		// A listing that ended before its limit is the device's whole open list: resolves reuse it.
		if (listed.value.length < limit)
			run.primeOpenAlerts(
				device,
				listed.value.map((alert) => normalizeAlert(alert)),
			);
	});
	await mapWithConcurrency(toRead.length, DATTO_READ_CONCURRENCY, async (i) => {
		const item = toRead[i];
		const { event } = item;
		const fetched = event.apiAlert
			? { ok: true as const, value: event.apiAlert }
			: await settle(run.alerts.get(event.alertUid));
		if (!fetched.ok) {
			results[item.index] = fetched.error as Error;
			return;
		}
		if (!fetched.value) {
			results[item.index] = outcome({
				decision: 'alertNotFound',
				event: event.kind,
				alertUid: event.alertUid,
				reason: `Datto RMM does not know alert ${event.alertUid} (404): nothing to ticket`,
			});
			return;
		}
		describeEvent(item, config, fetched.value);
	});
	let live = prepared.filter((item) => results[item.index] === undefined);
	// A site the deliveries did not name (or named wrongly): its tickets, read now.
	await run.loadTickets(
		narrowest(live.flatMap((item) => (item.keyInfo ? [item.keyInfo.sitePrefix] : []))),
		[],
	);

	// A resolved alert without a ticket of its own may be a repeat: the repeat note on its
	// problem's ticket names it (one notes query for all), else its monitor type and detail
	// (read from Datto, only when the device has an alert ticket at all) name its problem.
	const resolved = live.filter((item) => item.event.kind === 'resolved');
	const orphans = resolved.filter((item) => !item.alert && !run.hasOwnTicket(item.event.alertUid));
	const carriers: NoteLookup[] = [];
	for (const item of orphans) {
		const scope = deviceScope(item);
		if (!scope) continue;
		for (const ticket of run.tickets.values()) {
			// The device's tickets, its storm ticket included, and its site's storm ticket.
			const site = ticket.key.storm === 'site' && scope.startsWith(ticket.key.sitePrefix);
			if (ticket.key.devicePrefix === scope || site)
				carriers.push({ ticket, alertUid: item.event.alertUid });
		}
	}
	await notes.lookup(carriers);
	const carried = (item: PreparedEvent) =>
		carriers.some(
			(lookup) =>
				lookup.alertUid === item.event.alertUid &&
				lookup.ticket.notedAlerts?.has(item.event.alertUid.toLowerCase()),
		);
	const repeats = orphans.filter((item) => !carried(item) && mayHaveProblemTicket(run, item));
	const unscoped = repeats.filter((item) => !deviceScope(item));
	await readResolvedAlerts(run, config, repeats, results);
	// A body without site and device: the problem's tickets were not part of the read above.
	await run.loadTickets(
		narrowest(
			new Set(unscoped.flatMap((item) => (item.keyInfo ? [item.keyInfo.devicePrefix] : []))),
		),
		[],
	);

	// The tickets resolves may complete need the device's open alerts (is the problem still
	// alerting?): one Datto listing per device. A resolve whose body names no device, or a
	// device other than the ticket's, is told by its alert.
	const candidates = new Map<PreparedEvent, TicketRecord>();
	for (const item of resolved) {
		const decision = decideResolved(
			item.event.alertUid,
			item.keyInfo?.problemPrefix,
			[...run.tickets.values()],
			run.ctx,
		);
		if (decision.action === 'complete' && !humanWorkReasons(decision.ticket, run.ctx).length)
			candidates.set(item, decision.ticket);
	}
	await readResolvedAlerts(
		run,
		config,
		[...candidates.entries()]
			.filter(([item, ticket]) => !item.alert && !trustedDevice(item, ticket))
			.map(([item]) => item),
		results,
	);
	live = live.filter((item) => results[item.index] === undefined);
	const devices = new Map<string, string | undefined>();
	for (const [item, ticket] of candidates) {
		const device = item.alert?.deviceUid || trustedDevice(item, ticket);
		if (device) devices.set(device, item.alert?.siteUid || item.event.hints.siteUid);
	}
	const deviceList = [...devices.entries()];
	await mapWithConcurrency(
		deviceList.length,
		DATTO_READ_CONCURRENCY,
		async (i) => await settle(run.openAlertsOf(deviceList[i][0], deviceList[i][1])),
	);

	// Is the problem still alerting? Told by the device's open alerts, read above.
	const planned: Array<RaiseToPlan | ResolveToPlan> = [];
	for (const item of live) {
		if (item.event.kind === 'raised') {
			if (item.alert && item.keyInfo && item.settings)
				planned.push({
					kind: 'raised',
					alert: item.alert,
					key: item.keyInfo,
					settings: item.settings,
					deviceUid: item.parts?.deviceUid ?? '',
				});
			continue;
		}
		const ticket = candidates.get(item);
		if (!ticket) continue;
		const open = await settle(openAlertsForTicket(run, config, item, ticket));
		planned.push({
			kind: 'resolved',
			alertUid: item.event.alertUid,
			ticket,
			openAlerts: open.ok ? open.value : undefined,
		});
	}

	// What the decisions depend on, read in one query each for the whole batch: the configuration
	// items of new tickets (alerts that become notes need none: in a storm that is nearly all of
	// them), the notes that may already record an alert (a re-delivered repeat, a resolve noted
	// while its problem still alerted), and the time entries of the tickets a resolve may complete.
	const reads = batchReads(planned, run.view(), run.ctx, {
		configurationItems: config.attachConfigurationItem,
		notesRead: (ticket, alertUid) => notes.isRead({ ticket, alertUid }),
	});
	batch.storm = reads.storm;
	if (config.attachConfigurationItem) await run.loadConfigurationItems(reads.configurationItems);
	await notes.lookup(reads.notes);
	await run.loadTimeEntries(reads.timeEntries);

	if (config.assignToEmail || config.fallbackAssigneeEmail) {
		const assignee = await run.assignee([config.assignToEmail, config.fallbackAssigneeEmail]);
		if (assignee) run.ctx.autoAssigneeIds.add(assignee.resourceId);
	}

	// Events are applied in order per site; every event of one alert shares its lane.
	const laneOfAlert = new Map<string, string>();
	for (const item of live)
		if (item.keyInfo) laneOfAlert.set(item.event.alertUid, item.keyInfo.sitePrefix);
	for (const item of live) {
		const own = [...run.tickets.values()].find((t) => keyTracksAlert(t.key, item.event.alertUid));
		const hinted = item.event.hints.siteUid ? sitePrefix(item.event.hints.siteUid) : undefined;
		item.lane =
			laneOfAlert.get(item.event.alertUid) ??
			item.keyInfo?.sitePrefix ??
			own?.key.sitePrefix ??
			hinted ??
			'unknown';
	}
	return live;
}
