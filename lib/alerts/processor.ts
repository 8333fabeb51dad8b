import type { AutotaskClient } from '../transport/autotask';
import type { DattoAlert, DattoClient } from '../transport/datto';
import { InputError } from '../transport/http';
import { settle } from '../util/settled';
import { KeyedLimiter, mapWithConcurrency } from '../transport/limiter';
import { AlertRun, DATTO_READ_CONCURRENCY } from './alertRun';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import {
	decideRaised,
	decideResolved,
	duplicatesOf,
	humanWorkReasons,
	mayAlreadyCarry,
	mayHaveTimeEntries,
	otherOpenAlerts,
	recentTicketCounts,
	stormLevel,
	stormTicketsCovering,
} from './decide';
import type { AlertKeyInfo, DecisionContext, RaisedDecision, TicketRecord } from './decide';
import {
	alertKey,
	alertSuffix,
	deviceCode,
	devicePrefix,
	keyTracksAlert,
	parseAlertKey,
	problemCode,
	problemPrefix,
	sitePrefix,
} from './key';
import type { KeyParts } from './key';
import { resolveSettings, statusesWeSet, truncate } from './settings';
import type { EffectiveSettings, MonitorOverride, TicketDefaults } from './settings';
import { openAlertTicketsFilter, TICKET_FIELDS, ticketRecord } from './tickets';
import type { AlertEvent } from './webhook';
import { buildTicket } from './ticketBody';
import { closeDuplicate, mergeConcurrentDuplicates } from './duplicates';
import type { CreatedTicket } from './duplicates';
import type { CompanyMapping } from './ticketBody';
import {
	CATCH_ALL_NOTE_TITLE,
	REFIRE_NOTE_TITLE,
	REPEAT_NOTE_TITLE,
	RESOLVED_NOTE_TITLE,
	resolvedLine,
	STILL_OPEN_NOTE_TITLE,
	STORM_NOTE_TITLE,
	TicketNotes,
} from './notes';
import type { NoteFields, NoteLookup } from './notes';
import { describeAlert, joinReasons, outcome, ticketRef } from './outcome';
import type { Outcome, OutcomeJson } from './outcome';

export type { CompanyMapping };

/**
 * Applies alert events to Autotask: reads the alert tickets of the sites involved in ONE query
 * (the state lives on the tickets, so any number of workers agree), decides per event with the
 * pure rules in ./decide, writes, and finally re-reads what it created to merge a duplicate a
 * concurrent worker made. Everything cached here lives for one execution.
 */

export interface ProcessorConfig {
	defaults: TicketDefaults;
	overrides: MonitorOverride[];
	/** Use the site's own Autotask mapping (Datto's native integration) first. */
	useSiteAutotaskCompany: boolean;
	siteCompanies: CompanyMapping[];
	catchAllCompanyId?: number;
	attachConfigurationItem: boolean;
	assignToEmail?: string;
	fallbackAssigneeEmail?: string;
	skipNativeTickets: boolean;
	/** 0 = never reopen. */
	reopenWindowHours: number;
	stormWindowMinutes: number;
	/** 0 = no limit. */
	stormPerDevice: number;
	stormPerSite: number;
	/** Repeats and storm alerts written into one note, at most this many per note. */
	alertsPerNote: number;
}

/**
 * The existing tickets whose notes may already record a raise: the one the decision would write
 * a note on (repeat, re-fire, storm), or for a new ticket the open storm tickets of its device
 * and site (a storm alert delivered again once the storm has calmed).
 */
function noteTargets(
	decision: RaisedDecision,
	key: AlertKeyInfo,
	tickets: TicketRecord[],
	ctx: DecisionContext,
): TicketRecord[] {
	if (decision.action === 'note' || decision.action === 'reopen') return [decision.ticket];
	if (decision.action === 'storm' && decision.ticket) return [decision.ticket];
	if (decision.action === 'storm' || decision.action === 'create')
		return stormTicketsCovering(key, tickets, ctx);
	return [];
}

/** The prefixes without those another one in the set already covers ("DR:<site>" covers its devices). */
function narrowest(prefixes: Set<string>): string[] {
	const all = [...prefixes];
	return all.filter((prefix) => !all.some((other) => other !== prefix && prefix.startsWith(other)));
}

interface Prepared {
	index: number;
	event: AlertEvent;
	alert?: AlertInfo;
	parts?: KeyParts;
	keyInfo?: AlertKeyInfo;
	settings?: EffectiveSettings;
	/** Lock key: the site the event belongs to. */
	lane: string;
}

export class AlertProcessor {
	private readonly now: () => number;

	private readonly ctx: DecisionContext;

	private readonly reads: AlertRun;

	/** Every alert ticket this execution knows, by id (kept current as it writes). */
	private readonly tickets: Map<number, TicketRecord>;

	private readonly notes: TicketNotes;

	/** Tickets created by this execution, for the duplicate check. */
	private readonly created: CreatedTicket[] = [];

	constructor(
		private readonly autotask: AutotaskClient,
		private readonly datto: DattoClient,
		private readonly config: ProcessorConfig,
		options: { now?: () => number } = {},
	) {
		this.now = options.now ?? (() => Date.now());
		this.ctx = {
			now: this.now(),
			completeStatus: String(config.defaults.completeStatus || '5'),
			statusesWeSet: statusesWeSet(config.defaults, config.overrides),
			reopenWindowMs: Math.max(0, config.reopenWindowHours) * 3600_000,
			storm: {
				windowMs: Math.max(1, config.stormWindowMinutes) * 60_000,
				perDevice: Math.max(0, config.stormPerDevice),
				perSite: Math.max(0, config.stormPerSite),
			},
			autoAssigneeIds: new Set<number>(),
		};
		this.reads = new AlertRun(autotask, datto, this.ctx, this.now);
		this.tickets = this.reads.tickets;
		this.notes = new TicketNotes(this.reads, {
			noteType: config.defaults.noteType,
			notePublish: config.defaults.notePublish,
			alertsPerNote: config.alertsPerNote,
		});
	}

	// ------------------------------------------------------------------------------------------
	// Process Alert

	/**
	 * Applies events in order (per site; sites in parallel). Returns one outcome or error per
	 * input; `undefined` for events not run because an earlier one failed and `stopOnError`.
	 */
	async run(
		events: Array<AlertEvent | Error>,
		options: { stopOnError?: boolean } = {},
	): Promise<Array<Outcome | Error | undefined>> {
		const results: Array<Outcome | Error | undefined> = events.map((event) =>
			event instanceof Error ? event : undefined,
		);
		if (options.stopOnError && results.some((result) => result instanceof Error)) return results;
		this.ctx.now = this.now();

		const prepared = await this.prepare(events, results);
		let stopped = false;
		const lanes = new KeyedLimiter(1);
		await Promise.all(
			prepared.map(
				async (item) =>
					await lanes.run(item.lane, async () => {
						if (stopped) return;
						const done = await settle(this.apply(item, results));
						if (!done.ok) {
							results[item.index] = done.error as Error;
							if (options.stopOnError) stopped = true;
						}
					}),
			),
		);
		await this.notes.flush(results);
		await mergeConcurrentDuplicates(this.reads, this.notes, this.created, results);
		// Tickets opened in this run got their numbers from the duplicate check: hand them on.
		for (const result of results) {
			if (
				!result ||
				result instanceof Error ||
				result.json.ticketId === undefined ||
				result.json.ticketNumber
			)
				continue;
			const number = this.tickets.get(result.json.ticketId)?.ticketNumber;
			if (number) result.json.ticketNumber = number;
		}
		return results;
	}

	private async prepare(
		events: Array<AlertEvent | Error>,
		results: Array<Outcome | Error | undefined>,
	): Promise<Prepared[]> {
		const prepared: Prepared[] = [];
		events.forEach((event, index) => {
			if (!(event instanceof Error)) prepared.push({ index, event, lane: '' });
		});

		// Several alerts of one device in this run: one listing of its open alerts instead of a
		// GET each (a storm of 500 costs 5 Datto calls, not 500). Missing ones are fetched singly.
		const perDevice = new Map<string, number>();
		for (const item of prepared) {
			const device = item.event.hints.deviceUid;
			if (item.event.kind === 'raised' && !item.event.apiAlert && device)
				perDevice.set(device, (perDevice.get(device) ?? 0) + 1);
		}
		const crowded = [...perDevice.entries()].filter(([, count]) => count >= 2);
		await mapWithConcurrency(crowded.length, DATTO_READ_CONCURRENCY, async (i) => {
			const [device, count] = crowded[i];
			const limit = Math.max(100, count * 2);
			const listed = await settle(
				this.datto.listAlerts({ level: 'device', uid: device }, 'open', { limit }),
			);
			if (!listed.ok) return;
			for (const alert of listed.value) this.reads.alerts.prime(alert.alertUid, alert);
			// A listing that ended before its limit is the device's whole open list: resolves reuse it.
			if (listed.value.length < limit)
				this.reads.primeOpenAlerts(
					device,
					listed.value.map((alert) => normalizeAlert(alert)),
				);
		});

		// The alerts of raised events (and of resolved ones given as API alerts).
		await mapWithConcurrency(prepared.length, DATTO_READ_CONCURRENCY, async (i) => {
			const item = prepared[i];
			const { event } = item;
			if (event.kind === 'resolved' && !event.apiAlert) return;
			const fetched = event.apiAlert
				? { ok: true as const, value: event.apiAlert }
				: await settle(this.reads.alerts.get(event.alertUid));
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
			this.describeItem(item, fetched.value);
		});
		let live = prepared.filter((item) => results[item.index] === undefined);

		// One read of the alert tickets that matter: the sites of raised events; the alerts of
		// resolved ones and their devices (a resolved repeat completes its problem's ticket).
		const prefixes = new Set<string>();
		const suffixes = new Set<string>();
		for (const item of live) {
			if (item.event.kind === 'raised') {
				if (item.keyInfo) prefixes.add(item.keyInfo.sitePrefix);
				continue;
			}
			suffixes.add(alertSuffix(item.event.alertUid));
			const scope = this.deviceScope(item);
			if (scope) prefixes.add(scope);
		}
		await this.reads.loadTickets(narrowest(prefixes), [...suffixes]);

		// A resolved alert without a ticket of its own may be a repeat: the repeat note on its
		// problem's ticket names it (one notes query for all), else its monitor type and detail
		// (read from Datto, only when the device has an alert ticket at all) name its problem.
		const resolved = live.filter((item) => item.event.kind === 'resolved');
		const orphans = resolved.filter(
			(item) => !item.alert && !this.reads.hasOwnTicket(item.event.alertUid),
		);
		const carriers: NoteLookup[] = [];
		for (const item of orphans) {
			const scope = this.deviceScope(item);
			if (!scope) continue;
			for (const ticket of this.tickets.values()) {
				// The device's tickets, its storm ticket included, and its site's storm ticket.
				const site = ticket.key.storm === 'site' && scope.startsWith(ticket.key.sitePrefix);
				if (ticket.key.devicePrefix === scope || site)
					carriers.push({ ticket, alertUid: item.event.alertUid });
			}
		}
		await this.notes.lookup(carriers);
		const carried = (item: Prepared) =>
			carriers.some(
				(lookup) =>
					lookup.alertUid === item.event.alertUid &&
					lookup.ticket.notedAlerts?.has(item.event.alertUid.toLowerCase()),
			);
		const repeats = orphans.filter((item) => !carried(item) && this.mayHaveProblemTicket(item));
		const unscoped = repeats.filter((item) => !this.deviceScope(item));
		await this.describeResolved(repeats, results);
		// A body without site and device: the problem's tickets were not part of the read above.
		await this.reads.loadTickets(
			narrowest(
				new Set(unscoped.flatMap((item) => (item.keyInfo ? [item.keyInfo.devicePrefix] : []))),
			),
			[],
		);

		// The tickets resolves may complete need the device's open alerts (is the problem still
		// alerting?): one Datto listing per device. A resolve whose body names no device, or a
		// device other than the ticket's, is told by its alert.
		const candidates = new Map<Prepared, TicketRecord>();
		for (const item of resolved) {
			const decision = decideResolved(
				item.event.alertUid,
				item.keyInfo?.problemPrefix,
				[...this.tickets.values()],
				this.ctx,
			);
			if (decision.action === 'complete' && !humanWorkReasons(decision.ticket, this.ctx).length)
				candidates.set(item, decision.ticket);
		}
		await this.describeResolved(
			[...candidates.entries()]
				.filter(([item, ticket]) => !item.alert && !this.trustedDevice(item, ticket))
				.map(([item]) => item),
			results,
		);
		live = live.filter((item) => results[item.index] === undefined);
		const devices = new Map<string, string | undefined>();
		for (const [item, ticket] of candidates) {
			const device = item.alert?.deviceUid || this.trustedDevice(item, ticket);
			if (device) devices.set(device, item.alert?.siteUid || item.event.hints.siteUid);
		}
		const deviceList = [...devices.entries()];
		await mapWithConcurrency(
			deviceList.length,
			DATTO_READ_CONCURRENCY,
			async (i) => await settle(this.reads.openAlertsOf(deviceList[i][0], deviceList[i][1])),
		);

		// Storm pressure: new problems this batch brings per device and per site.
		const pendingDevice = new Map<string, Set<string>>();
		const viewNow = [...this.tickets.values()];
		for (const item of live) {
			if (item.event.kind !== 'raised' || !item.alert || !item.keyInfo || !item.settings) continue;
			const decision = decideRaised(
				item.alert,
				item.keyInfo,
				item.settings,
				viewNow,
				this.ctx,
				undefined,
			);
			if (decision.action !== 'create') continue;
			const device = pendingDevice.get(item.keyInfo.devicePrefix) ?? new Set<string>();
			device.add(item.keyInfo.problemPrefix);
			pendingDevice.set(item.keyInfo.devicePrefix, device);
		}
		this.storm = new Map();
		const deviceStorm = new Set<string>();
		const keyed = live.filter((item) => item.event.kind === 'raised' && item.keyInfo);
		for (const item of keyed) {
			const { devicePrefix: device } = item.keyInfo!;
			const counts = recentTicketCounts(viewNow, item.keyInfo!, this.ctx);
			const pending = pendingDevice.get(device)?.size ?? 0;
			if (
				stormLevel(
					{ device: counts.device, site: 0 },
					{ device: pending, site: 0 },
					{ ...this.ctx.storm, perSite: 0 },
				) === 'device'
			)
				deviceStorm.add(device);
		}
		for (const item of keyed) {
			const info = item.keyInfo!;
			if (this.storm.has(info.devicePrefix)) continue;
			// The site's pressure without the devices already contained by their own storm ticket.
			let sitePending = 0;
			for (const device of pendingDevice.keys()) {
				if (device.startsWith(info.sitePrefix) && !deviceStorm.has(device))
					sitePending += pendingDevice.get(device)!.size;
			}
			const counts = recentTicketCounts(viewNow, info, this.ctx);
			this.storm.set(
				info.devicePrefix,
				stormLevel(
					counts,
					{
						device: pendingDevice.get(info.devicePrefix)?.size ?? 0,
						site: deviceStorm.has(info.devicePrefix) ? 0 : sitePending,
					},
					this.ctx.storm,
				),
			);
		}

		// Configuration items of every device that may get a new ticket (or its first storm ticket),
		// in one query. Alerts that become notes need none: in a storm that is nearly all of them.
		if (this.config.attachConfigurationItem) {
			const devices = new Set<string>();
			for (const item of live) {
				if (
					item.event.kind !== 'raised' ||
					!item.alert ||
					!item.keyInfo ||
					!item.settings ||
					!item.parts?.deviceUid
				)
					continue;
				if (!pendingDevice.has(item.keyInfo.devicePrefix)) continue;
				const decision = decideRaised(
					item.alert,
					item.keyInfo,
					item.settings,
					viewNow,
					this.ctx,
					this.storm.get(item.keyInfo.devicePrefix),
				);
				const opensTicket =
					decision.action === 'create' ||
					(decision.action === 'storm' && !decision.ticket && decision.level === 'device');
				if (opensTicket) devices.add(item.parts.deviceUid);
			}
			await this.reads.loadConfigurationItems([...devices]);
		}

		// Notes that may already record an alert (a re-delivered repeat, a resolve noted while its
		// problem was still alerting), and time entries of the tickets a resolve may complete: one
		// query each for the whole run.
		const lookups: NoteLookup[] = [];
		const completing: number[] = [];
		for (const item of live) {
			if (item.event.kind === 'raised') {
				if (!item.alert || !item.keyInfo || !item.settings) continue;
				const decision = decideRaised(
					item.alert,
					item.keyInfo,
					item.settings,
					viewNow,
					this.ctx,
					this.storm.get(item.keyInfo.devicePrefix),
				);
				for (const target of noteTargets(decision, item.keyInfo, viewNow, this.ctx)) {
					if (mayAlreadyCarry(target, item.alert.timestamp))
						lookups.push({ ticket: target, alertUid: item.alert.alertUid });
				}
				continue;
			}
			const ticket = candidates.get(item);
			if (!ticket) continue;
			const open = await settle(this.openAlertsForTicket(item, ticket));
			if (!open.ok || !open.value) continue;
			if (otherOpenAlerts(ticket, open.value, item.event.alertUid).length)
				lookups.push({ ticket, alertUid: item.event.alertUid });
			else if (mayHaveTimeEntries(ticket)) completing.push(ticket.id);
		}
		await this.notes.lookup(lookups);
		await this.reads.loadTimeEntries(completing);

		if (this.config.assignToEmail || this.config.fallbackAssigneeEmail) {
			const assignee = await this.reads.assignee([
				this.config.assignToEmail,
				this.config.fallbackAssigneeEmail,
			]);
			if (assignee) this.ctx.autoAssigneeIds.add(assignee.resourceId);
		}

		// Events are applied in order per site; every event of one alert shares its lane.
		const laneOfAlert = new Map<string, string>();
		for (const item of live)
			if (item.keyInfo) laneOfAlert.set(item.event.alertUid, item.keyInfo.sitePrefix);
		for (const item of live) {
			const own = [...this.tickets.values()].find((t) =>
				keyTracksAlert(t.key, item.event.alertUid),
			);
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

	/** Fills in what the alert tells about an event: its flattened form, key parts and settings. */
	private describeItem(item: Prepared, alert: DattoAlert): void {
		item.alert = normalizeAlert(alert, item.event.hints);
		if (!this.config.skipNativeTickets) item.alert.nativeTicket = undefined;
		const siteUid = item.alert.siteUid || item.event.hints.siteUid || '';
		const deviceUid = item.alert.deviceUid || item.event.hints.deviceUid || '';
		item.parts = {
			siteUid,
			deviceUid,
			monitorClass: item.alert.monitorClass,
			detail: item.alert.detail,
		};
		item.keyInfo = {
			sitePrefix: sitePrefix(siteUid),
			devicePrefix: devicePrefix(siteUid, deviceUid),
			problemPrefix: problemPrefix(item.parts),
		};
		item.settings = resolveSettings(this.config.defaults, this.config.overrides, item.alert);
	}

	/** Reads the alerts of resolved events from Datto (cached); a 404 leaves the event as it is. */
	private async describeResolved(
		items: Prepared[],
		results: Array<Outcome | Error | undefined>,
	): Promise<void> {
		const pending = items.filter((item) => !item.alert && results[item.index] === undefined);
		await mapWithConcurrency(pending.length, DATTO_READ_CONCURRENCY, async (i) => {
			const item = pending[i];
			const fetched = await settle(this.reads.alerts.get(item.event.alertUid));
			if (!fetched.ok) results[item.index] = fetched.error as Error;
			else if (fetched.value) this.describeItem(item, fetched.value);
		});
	}

	/** "DR:<site><device>" of a resolved event, from its alert or its body. */
	private deviceScope(item: Prepared): string | undefined {
		if (item.keyInfo) return item.keyInfo.devicePrefix;
		const { siteUid, deviceUid } = item.event.hints;
		return siteUid && deviceUid ? devicePrefix(siteUid, deviceUid) : undefined;
	}

	/** Whether the event's device has any alert ticket its problem could be (unknown device: maybe). */
	private mayHaveProblemTicket(item: Prepared): boolean {
		const scope = this.deviceScope(item);
		if (!scope) return true;
		for (const ticket of this.tickets.values())
			if (!ticket.key.storm && ticket.key.devicePrefix === scope) return true;
		return false;
	}

	/** The body's device uid, when it is the device the ticket was opened for (bodies are hints, not truth). */
	private trustedDevice(item: Prepared, ticket: TicketRecord): string | undefined {
		const hinted = item.event.hints.deviceUid;
		return hinted && deviceCode(hinted) === ticket.key.device ? hinted : undefined;
	}

	/**
	 * Datto's open alerts of the device a resolve's ticket belongs to; undefined when the device
	 * cannot be told (the alert is gone from Datto and the body names no device of this ticket).
	 */
	private async openAlertsForTicket(
		item: Prepared,
		ticket: TicketRecord,
	): Promise<AlertInfo[] | undefined> {
		let device = item.alert?.deviceUid;
		if (!device || deviceCode(device) !== ticket.key.device)
			device = this.trustedDevice(item, ticket);
		if (!device) {
			if (!item.alert) {
				const alert = await this.reads.alerts.get(item.event.alertUid);
				if (alert) this.describeItem(item, alert);
			}
			device =
				item.alert?.deviceUid && deviceCode(item.alert.deviceUid) === ticket.key.device
					? item.alert.deviceUid
					: undefined;
		}
		if (!device) return undefined;
		return await this.reads.openAlertsOf(device, item.alert?.siteUid || item.event.hints.siteUid);
	}

	private storm = new Map<string, 'device' | 'site' | undefined>();

	private async apply(item: Prepared, results: Array<Outcome | Error | undefined>): Promise<void> {
		const { event } = item;
		if (event.kind === 'resolved') {
			results[item.index] = await this.applyResolved(item);
			return;
		}
		const alert = item.alert!;
		const keyInfo = item.keyInfo!;
		const settings = item.settings!;
		const base = describeAlert(alert, 'raised');
		let decision = decideRaised(
			alert,
			keyInfo,
			settings,
			[...this.tickets.values()],
			this.ctx,
			this.storm.get(keyInfo.devicePrefix),
		);
		// A ticket that may already carry this alert (see mayAlreadyCarry) has its notes read first,
		// unless this run read them already: a re-delivered repeat then changes nothing.
		const unread = noteTargets(decision, keyInfo, [...this.tickets.values()], this.ctx).filter(
			(target) =>
				mayAlreadyCarry(target, alert.timestamp) &&
				!this.notes.isRead({ ticket: target, alertUid: alert.alertUid }),
		);
		if (unread.length) {
			await this.notes.lookup(unread.map((ticket) => ({ ticket, alertUid: alert.alertUid })));
			decision = decideRaised(
				alert,
				keyInfo,
				settings,
				[...this.tickets.values()],
				this.ctx,
				this.storm.get(keyInfo.devicePrefix),
			);
		}
		switch (decision.action) {
			case 'skip':
				results[item.index] = outcome({
					...base,
					decision: decision.code,
					reason: decision.reason,
					...ticketRef(decision.ticket),
				});
				return;
			case 'note':
				this.notes.queue(
					decision.ticket,
					REPEAT_NOTE_TITLE,
					this.notes.alertLines(alert),
					item.index,
					alert.alertUid,
				);
				results[item.index] = outcome({
					...base,
					decision: 'repeatNoted',
					reason: `The same problem (${alert.monitorLabel}${alert.detail ? ` ${alert.detail}` : ''} on ${alert.hostname}) already has open ticket ${decision.ticket.ticketNumber ?? decision.ticket.id}`,
					...ticketRef(decision.ticket),
				});
				return;
			case 'reopen': {
				const key = alertKey(item.parts!, alert.alertUid);
				const status = String(settings.fields.newStatus || '1');
				await this.autotask.update('/Tickets', {
					id: decision.ticket.id,
					status: Number(status),
					externalID: key,
				});
				Object.assign(decision.ticket, {
					status,
					externalID: key,
					key: parseAlertKey(key)!,
					completedDate: undefined,
				});
				await this.notes.write(decision.ticket, REFIRE_NOTE_TITLE, [
					`The alert came back within ${this.config.reopenWindowHours} hours of this ticket being completed, so the ticket was reopened instead of opening a new one.`,
					'',
					...this.notes.alertLines(alert),
				]);
				results[item.index] = outcome({
					...base,
					decision: 'reopened',
					alertKey: key,
					...ticketRef(decision.ticket),
				});
				return;
			}
			case 'storm': {
				if (decision.ticket) {
					this.notes.queue(
						decision.ticket,
						STORM_NOTE_TITLE,
						this.notes.alertLines(alert),
						item.index,
						alert.alertUid,
					);
					results[item.index] = outcome({
						...base,
						decision: 'stormNoted',
						reason: `Storm guard: ${decision.level === 'device' ? alert.hostname : alert.siteName || 'the site'} exceeded its new-ticket limit; the alert was recorded on the storm ticket`,
						...ticketRef(decision.ticket),
					});
					return;
				}
				const created = await this.createTicket(item, decision.level);
				results[item.index] = outcome({ ...base, ...created, decision: 'stormTicketCreated' });
				return;
			}
			case 'create': {
				const created = await this.createTicket(item);
				results[item.index] = outcome({ ...base, ...created, decision: 'created' });
				return;
			}
		}
	}

	private async applyResolved(item: Prepared): Promise<Outcome> {
		const { event } = item;
		const base: OutcomeJson = item.alert
			? describeAlert(item.alert, 'resolved')
			: {
					decision: 'noTicket',
					event: 'resolved',
					alertUid: event.alertUid,
					hostname: event.hints.hostname,
					siteName: event.hints.siteName,
				};
		const decision = decideResolved(
			event.alertUid,
			item.keyInfo?.problemPrefix,
			[...this.tickets.values()],
			this.ctx,
		);
		if (decision.action === 'skip') {
			return outcome({
				...base,
				decision: decision.code,
				reason: decision.reason,
				...ticketRef(decision.ticket),
			});
		}
		const ticket = decision.ticket;
		const when = item.alert?.resolvedOn
			? new Date(item.alert.resolvedOn).toISOString()
			: new Date(this.now()).toISOString();
		const by = item.alert?.resolvedBy ? ` by ${item.alert.resolvedBy}` : '';
		const line = resolvedLine(event.alertUid, by, when);
		const fields = item.settings?.fields;
		let reasons = humanWorkReasons(ticket, this.ctx);
		if (!reasons.length) {
			// The problem may still be alerting: another alert of it open in Datto keeps the ticket open.
			const open = await this.openAlertsForTicket(item, ticket);
			if (!open) {
				return outcome({
					...base,
					decision: 'alertNotFound',
					reason: `Datto RMM no longer knows alert ${event.alertUid} and the webhook names no device of ticket ${ticket.ticketNumber ?? ticket.id}, so whether its problem still alerts cannot be told; the ticket was left open for a person to close`,
					...ticketRef(ticket),
				});
			}
			const others = otherOpenAlerts(ticket, open, event.alertUid);
			if (others.length) return await this.noteStillOpen(ticket, others, base, line, fields);
			if (mayHaveTimeEntries(ticket))
				reasons = humanWorkReasons(ticket, this.ctx, await this.reads.timeEntryCount(ticket.id));
		}
		if (reasons.length) {
			// A ticket kept open for a technician is told once, not on every delivery or sync run.
			if (await this.notes.hasNoteTitled(ticket.id, RESOLVED_NOTE_TITLE)) {
				return outcome({
					...base,
					decision: 'alreadyNoted',
					reason: `Human-work guard: ${joinReasons(reasons)}; the resolution was already noted on the ticket`,
					...ticketRef(ticket),
				});
			}
			await this.notes.write(
				ticket,
				RESOLVED_NOTE_TITLE,
				[
					line,
					`The ticket was left open because ${joinReasons(reasons)}. Complete it when the work is done.`,
				],
				{ fields },
			);
			return outcome({
				...base,
				decision: 'resolvedNoteHumanWork',
				reason: `Human-work guard: ${joinReasons(reasons)}`,
				...ticketRef(ticket),
			});
		}
		const resolution = truncate(
			[ticket.resolution?.trim(), `${line} Ticket completed automatically.`]
				.filter(Boolean)
				.join('\n\n'),
			32000,
		);
		// The resolution text rides on the completing PATCH: one call, no separate note.
		await this.autotask.update('/Tickets', {
			id: ticket.id,
			status: Number(this.ctx.completeStatus),
			resolution,
		});
		Object.assign(ticket, {
			status: this.ctx.completeStatus,
			completedDate: this.now(),
			resolution,
		});
		return outcome({
			...base,
			decision: 'completed',
			...(decision.own
				? {}
				: {
						reason: `The last open alert of the problem of ticket ${ticket.ticketNumber ?? ticket.id} resolved`,
					}),
			...ticketRef(ticket),
		});
	}

	/**
	 * A resolve while other alerts of the same problem are still open: a note, once per alert
	 * (a re-delivery finds it and changes nothing), and the ticket stays open.
	 */
	private async noteStillOpen(
		ticket: TicketRecord,
		others: AlertInfo[],
		base: OutcomeJson,
		line: string,
		fields: NoteFields | undefined,
	): Promise<Outcome> {
		const alertUid = String(base.alertUid);
		const lookup: NoteLookup = { ticket, alertUid };
		if (!this.notes.isRead(lookup)) await this.notes.lookup([lookup]);
		const list = others.map((alert) => alert.alertUid);
		const still = `${list.length === 1 ? 'alert' : 'alerts'} ${joinReasons(list)} of the same problem ${list.length === 1 ? 'is' : 'are'} still open in Datto RMM`;
		if (this.notes.isStillOpenNoted(lookup)) {
			return outcome({
				...base,
				decision: 'alreadyNoted',
				reason: `Not completed: ${still}; this resolution was already noted on the ticket`,
				...ticketRef(ticket),
			});
		}
		const first = others[0];
		const problem = `${first.monitorLabel}${first.detail ? ` ${first.detail}` : ''} on ${first.hostname || first.deviceUid}`;
		await this.notes.write(
			ticket,
			STILL_OPEN_NOTE_TITLE,
			[
				line,
				`The ticket stays open: ${still} (${problem}). It is completed when the last of them resolves.`,
			],
			{ fields },
		);
		this.notes.markStillOpenNoted(lookup);
		return outcome({
			...base,
			decision: 'resolvedNoteStillOpen',
			reason: `Not completed: ${still}`,
			...ticketRef(ticket),
		});
	}

	/** Creates the ticket (or a storm ticket) for a prepared raised event. */
	private async createTicket(
		item: Prepared,
		storm?: 'device' | 'site',
	): Promise<Partial<OutcomeJson>> {
		const alert = item.alert!;
		const parts = item.parts!;
		const settings = item.settings!;
		const { key, body, company, configurationItemId } = await buildTicket(
			this.reads,
			this.config,
			alert,
			parts,
			settings,
			storm,
		);
		const startedAt = this.now();
		let foundAfterLostAnswer = false;
		const id = await this.autotask.create('/Tickets', body, {
			// After a lost answer, the key says whether the ticket landed.
			findExisting: async () => {
				const found = await this.autotask.query<Record<string, unknown>>('Tickets', {
					filter: [
						{ op: 'eq', field: 'externalID', value: key },
						{ op: 'gte', field: 'createDate', value: new Date(startedAt - 120_000).toISOString() },
					],
					includeFields: ['id'],
					limit: 1,
				});
				if (found[0]) foundAfterLostAnswer = true;
				return found[0] ? Number(found[0].id) : undefined;
			},
		});
		const ticket: TicketRecord = {
			id,
			externalID: key,
			key: parseAlertKey(key)!,
			status: String(body.status),
			createDate: this.now(),
			assignedResourceID: (body.assignedResourceID as number | undefined) ?? null,
			companyID: company.id,
			title: String(body.title),
			createdHere: true,
		};
		this.tickets.set(id, ticket);
		this.created.push({ ticket, index: item.index, alertUid: alert.alertUid });
		if (company.source === 'catchAll') {
			// A ticket found after a lost answer may be a concurrent delivery's, which wrote this note.
			await this.notes.write(ticket, CATCH_ALL_NOTE_TITLE, [company.explanation], {
				fields: settings.fields,
				unlessPresent: foundAfterLostAnswer,
			});
		}
		return {
			ticketId: id,
			alertKey: key,
			companyId: company.id,
			companySource: company.source,
			configurationItemId,
			priority: String(body.priority),
		};
	}

	// ------------------------------------------------------------------------------------------
	// Sync Open Alerts

	/** Compares Datto's open alerts with the open alert tickets and fixes what webhooks missed. */
	async sync(options: { siteUid?: string } = {}): Promise<Outcome[]> {
		this.ctx.now = this.now();
		const alerts = await this.datto.listAlerts(
			options.siteUid ? { level: 'site', uid: options.siteUid } : { level: 'account' },
			'open',
		);
		const rows = await this.autotask.query<Record<string, unknown>>('Tickets', {
			filter: openAlertTicketsFilter(
				this.ctx.completeStatus,
				options.siteUid ? sitePrefix(options.siteUid) : undefined,
			),
			includeFields: TICKET_FIELDS,
		});
		const open = rows.map(ticketRecord).filter((t): t is TicketRecord => t !== undefined);
		for (const ticket of open) this.tickets.set(ticket.id, ticket);

		const events: AlertEvent[] = [];
		const openAlertUids = new Set(alerts.map((alert) => alert.alertUid));
		// The listing answers "is the problem still alerting?" for every resolve this run applies.
		const byDevice = new Map<string, AlertInfo[]>();
		const flattened = alerts.map((raw) => normalizeAlert(raw));
		for (const info of flattened)
			byDevice.set(info.deviceUid, [...(byDevice.get(info.deviceUid) ?? []), info]);
		this.reads.useOpenAlertListing(options.siteUid, byDevice);
		for (const [index, raw] of alerts.entries()) {
			const info = flattened[index];
			if (this.config.skipNativeTickets && info.nativeTicket) continue;
			if (!resolveSettings(this.config.defaults, this.config.overrides, info).ticket) continue;
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
			if (!covered)
				events.push({ kind: 'raised', alertUid: raw.alertUid, hints: {}, apiAlert: raw });
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
			async (i) => await this.reads.alerts.get(stale[i].key.alertUid!),
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
		for (const { winner, losers } of duplicatesOf(open, this.ctx)) {
			for (const loser of losers) {
				if (humanWorkReasons(loser, this.ctx).length) continue;
				await closeDuplicate(this.reads, this.notes, loser, winner, loser.key.alertUid ?? '');
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

		const results = await this.run(events);
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

	// ------------------------------------------------------------------------------------------
	// Resolve Alert from Ticket

	/** Resolves the Datto alert an Autotask ticket tracks, if (and only if) it is the ticket's own. */
	async resolveFromTicket(
		ticketId: number,
		options: { expectedAlertUid?: string; requireComplete: boolean },
	): Promise<Outcome> {
		const row = await this.autotask.get<Record<string, unknown>>('Tickets', ticketId);
		if (!row) {
			throw new InputError(
				'Ticket',
				`Autotask ticket ${ticketId} was not found`,
				'Check the ticket ID, and that the API user may read tickets of its company.',
			);
		}
		const ticket = ticketRecord(row);
		const ref = {
			ticketId,
			ticketNumber:
				row.ticketNumber === undefined || row.ticketNumber === null
					? undefined
					: String(row.ticketNumber),
		};
		if (!ticket) {
			return outcome({
				decision: 'notAlertTicket',
				...ref,
				reason:
					'The ticket carries no Datto RMM alert key in its External ID, so it was not opened by this node',
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
		if (options.requireComplete && ticket.status !== this.ctx.completeStatus) {
			return outcome({
				decision: 'ticketNotComplete',
				...ref,
				alertUid,
				reason: `Ticket ${ref.ticketNumber ?? ticketId} is not complete yet`,
			});
		}
		const alert = await this.reads.alerts.get(alertUid);
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
		await this.datto.resolveAlert(alertUid);
		return outcome({ ...describeAlert(info, 'resolved'), decision: 'alertResolved', ...ref });
	}
}
