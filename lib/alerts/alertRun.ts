import type { DattoAlert, DattoClient, DattoSite } from '../transport/datto';
import { VendorApiError } from '../transport/http';
import { PromiseCache } from '../util/promiseCache';
import { settle } from '../util/settled';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import type { DecisionContext } from './decide';
import { keyTracksAlert } from './key';
import type { AlertTicketStore, Assignee, ConfigurationItem, TicketQuery } from './ticketStore';
import type { TicketRecord } from './tickets';

/** Datto reads in flight at once. */
export const DATTO_READ_CONCURRENCY = 4;

/**
 * The reads of one execution, each made at most once: Datto alerts, sites and open alerts per
 * device, and the PSA's alert tickets (the view the decisions read, kept current as the
 * execution writes), configuration items, time entries and the assignee. Nothing here outlives
 * the execution: the state lives on the tickets.
 */
export class AlertRun {
	/** Every alert ticket this execution knows, by id (kept current as it writes). */
	readonly tickets = new Map<number, TicketRecord>();

	readonly alerts: PromiseCache<string, DattoAlert | undefined>;

	readonly sites: PromiseCache<string, DattoSite | undefined>;

	/** Open alerts per device (flattened), for "is the problem still alerting?". */
	private readonly openAlerts: PromiseCache<string, AlertInfo[]>;

	/** Sync's listing of the account's (or one site's) open alerts, by device. */
	private openListing?: { siteUid?: string; byDevice: Map<string, AlertInfo[]> };

	private readonly configurationItemsByDevice = new Map<string, Promise<ConfigurationItem[]>>();

	private readonly timeEntryCounts = new Map<number, number>();

	/**
	 * Key prefixes whose tickets this execution read whole (every open one and every one created
	 * within the storm window): the duplicate and storm rules may judge tickets under them.
	 */
	private readonly wholeScopes = new Map<string, { completedSince?: number }>();

	constructor(
		readonly store: AlertTicketStore,
		readonly datto: DattoClient,
		readonly ctx: DecisionContext,
		readonly now: () => number,
	) {
		this.alerts = new PromiseCache(async (uid) => await datto.getAlert(uid));
		this.sites = new PromiseCache(async (uid) => await datto.getSite(uid));
		this.openAlerts = new PromiseCache(async (deviceUid) => {
			const listed = await settle(datto.listAlerts({ level: 'device', uid: deviceUid }, 'open'));
			// A device Datto no longer knows has no open alerts.
			if (!listed.ok && listed.error instanceof VendorApiError && listed.error.httpCode === 404)
				return [];
			if (!listed.ok) throw listed.error;
			return listed.value.map((alert) => normalizeAlert(alert));
		});
	}

	/** The tickets known now, as the decisions read them. */
	view(): TicketRecord[] {
		return [...this.tickets.values()];
	}

	hasOwnTicket(alertUid: string): boolean {
		for (const ticket of this.tickets.values())
			if (keyTracksAlert(ticket.key, alertUid)) return true;
		return false;
	}

	/**
	 * Reads the alert tickets that begin with these prefixes or end with these suffixes and matter
	 * now: every open one, those created within the storm window and those completed within the
	 * reopen window. Tickets already known are kept as they are.
	 */
	async loadTickets(prefixes: string[], suffixes: string[]): Promise<void> {
		const { ctx } = this;
		const completedSince =
			ctx.reopenWindowMs > 0 ? ctx.now - ctx.reopenWindowMs : ctx.now - 3600_000;
		prefixes = prefixes.filter((prefix) => !this.covers(prefix, completedSince));
		if (!prefixes.length && !suffixes.length) return;
		await this.remember({
			prefixes,
			suffixes,
			createdSince: ctx.now - ctx.storm.windowMs,
			completedSince,
		});
	}

	/**
	 * Reads tickets into the view: a ticket not known yet is added, a known one takes what the PSA
	 * says now (another worker may have closed, re-keyed or assigned it) and keeps what this
	 * execution learnt of its notes. Prefixes read with `createdSince` at the storm window are
	 * read whole. Returns every ticket read, as the view holds it.
	 */
	async remember(query: TicketQuery): Promise<TicketRecord[]> {
		const out: TicketRecord[] = [];
		const records = await this.store.readTickets(query);
		if (
			query.createdSince !== undefined &&
			query.createdSince <= this.ctx.now - this.ctx.storm.windowMs
		)
			for (const prefix of query.prefixes)
				this.wholeScopes.set(prefix, { completedSince: query.completedSince });
		for (const record of records) {
			const known = this.tickets.get(record.id);
			if (known) {
				const { createdHere, notedAlerts } = known;
				Object.assign(known, record, { createdHere, notedAlerts });
				out.push(known);
			} else {
				this.tickets.set(record.id, record);
				out.push(record);
			}
		}
		return out;
	}

	/**
	 * Whether the tickets under this key prefix were read whole already (and, when asked, those
	 * completed since `completedSince` with them).
	 */
	covers(prefix: string, completedSince?: number): boolean {
		for (const [scope, read] of this.wholeScopes) {
			if (!prefix.startsWith(scope)) continue;
			if (completedSince === undefined) return true;
			if (read.completedSince !== undefined && read.completedSince <= completedSince) return true;
		}
		return false;
	}

	/** Whether this execution read every ticket of the ticket's device (or site) that the rules weigh. */
	readWhole(ticket: TicketRecord): boolean {
		for (const scope of this.wholeScopes.keys()) if (ticket.key.key.startsWith(scope)) return true;
		return false;
	}

	/** Uses a listing of open alerts (the whole account's, or one site's) for every device it covers. */
	useOpenAlertListing(siteUid: string | undefined, byDevice: Map<string, AlertInfo[]>): void {
		this.openListing = { siteUid, byDevice };
	}

	/** Records a device's complete list of open alerts, read some other way. */
	primeOpenAlerts(deviceUid: string, alerts: AlertInfo[]): void {
		this.openAlerts.prime(deviceUid, alerts);
	}

	/** A device's open alerts, flattened; from Sync's account listing when it covers the device. */
	async openAlertsOf(deviceUid: string, siteUid?: string): Promise<AlertInfo[]> {
		const listing = this.openListing;
		if (listing && (listing.siteUid === undefined || listing.siteUid === siteUid))
			return listing.byDevice.get(deviceUid) ?? [];
		return await this.openAlerts.get(deviceUid);
	}

	/** Reads the configuration items of these devices, in as few queries as possible. */
	async loadConfigurationItems(deviceUids: string[]): Promise<void> {
		const missing = [...new Set(deviceUids)].filter(
			(uid) => !this.configurationItemsByDevice.has(uid),
		);
		if (!missing.length) return;
		const request = this.store.configurationItems(missing);
		for (const uid of missing) {
			const forDevice = request.then((rows) =>
				rows.filter((row) => row.deviceUid.toLowerCase() === uid.toLowerCase()),
			);
			forDevice.catch(() => this.configurationItemsByDevice.delete(uid));
			this.configurationItemsByDevice.set(uid, forDevice);
		}
		await settle(request);
	}

	async configurationItems(deviceUid: string): Promise<ConfigurationItem[]> {
		if (!this.configurationItemsByDevice.has(deviceUid))
			await this.loadConfigurationItems([deviceUid]);
		return await this.configurationItemsByDevice.get(deviceUid)!;
	}

	/** Counts the time entries of these tickets, in as few queries as possible. */
	async loadTimeEntries(ticketIds: number[]): Promise<void> {
		const ids = [...new Set(ticketIds)].filter((id) => !this.timeEntryCounts.has(id));
		if (!ids.length) return;
		for (const [id, count] of await this.store.timeEntryCounts(ids))
			this.timeEntryCounts.set(id, count);
	}

	async timeEntryCount(ticketId: number): Promise<number> {
		if (!this.timeEntryCounts.has(ticketId)) await this.loadTimeEntries([ticketId]);
		return this.timeEntryCounts.get(ticketId) ?? 0;
	}

	/** The first of these emails that is an active resource, with its default service desk role. */
	async assignee(emails: Array<string | undefined>): Promise<Assignee | undefined> {
		const wanted = emails.filter((email): email is string => !!email);
		return wanted.length ? await this.store.assignee(wanted) : undefined;
	}
}
