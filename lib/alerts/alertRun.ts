import type { AutotaskClient, AutotaskPicklistValue } from '../transport/autotask';
import type { DattoAlert, DattoClient, DattoSite } from '../transport/datto';
import { VendorApiError } from '../transport/http';
import { settle } from '../util/settled';
import { normalizeAlert } from './alert';
import type { AlertInfo } from './alert';
import type { DecisionContext } from './decide';
import { keyTracksAlert } from './key';
import { TICKET_FIELDS, ticketRecord, viewFilter } from './tickets';
import type { TicketRecord } from './tickets';

/** How many key conditions go into one query (Autotask allows 500 OR conditions). */
export const KEYS_PER_QUERY = 400;

/** Datto reads in flight at once. */
export const DATTO_READ_CONCURRENCY = 4;

export interface ConfigurationItem {
	id: number;
	companyID: number;
	rmmDeviceUID: string;
	isActive?: boolean;
	referenceTitle?: string;
}

export interface Assignee {
	resourceId: number;
	roleId?: number;
}

/** A per-key promise cache that forgets a failed load, so that a later call tries again. */
export class PromiseCache<K, V> {
	private readonly entries = new Map<K, Promise<V>>();

	constructor(private readonly load: (key: K) => Promise<V>) {}

	async get(key: K): Promise<V> {
		let cached = this.entries.get(key);
		if (!cached) {
			cached = this.load(key);
			cached.catch(() => this.entries.delete(key));
			this.entries.set(key, cached);
		}
		return await cached;
	}

	has(key: K): boolean {
		return this.entries.has(key);
	}

	/** Records a value read some other way (a listing), unless one is cached already. */
	prime(key: K, value: V): void {
		if (!this.entries.has(key)) this.entries.set(key, Promise.resolve(value));
	}
}

/**
 * The reads of one execution, each made at most once: Datto alerts, sites and open alerts per
 * device, and Autotask's alert tickets (the view the decisions read, kept current as the
 * execution writes), configuration items, time entries, picklists and assignees. Nothing here
 * outlives the execution: the state lives on the tickets.
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

	private readonly picklists: PromiseCache<string, AutotaskPicklistValue[]>;

	private readonly assignees: PromiseCache<string, Assignee | undefined>;

	private readonly configurationItemsByDevice = new Map<string, Promise<ConfigurationItem[]>>();

	private readonly timeEntryCounts = new Map<number, number>();

	constructor(
		readonly autotask: AutotaskClient,
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
		this.picklists = new PromiseCache(async (key) => {
			const [entity, field] = key.split('.');
			return await autotask.picklist(entity, field);
		});
		this.assignees = new PromiseCache(async (key) => {
			for (const email of key.split('\n')) {
				if (!email) continue;
				const resource = await autotask.activeResourceByEmail(email);
				if (resource)
					return {
						resourceId: Number(resource.id),
						roleId: resource.defaultServiceDeskRoleID ?? undefined,
					};
			}
			return undefined;
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
		const keys = [...prefixes.map((p) => ({ p })), ...suffixes.map((s) => ({ s }))];
		for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
			const chunk = keys.slice(start, start + KEYS_PER_QUERY);
			const rows = await this.autotask.query<Record<string, unknown>>('Tickets', {
				filter: viewFilter({
					prefixes: chunk.flatMap((k) => ('p' in k ? [k.p] : [])),
					suffixes: chunk.flatMap((k) => ('s' in k ? [k.s] : [])),
					completeStatus: ctx.completeStatus,
					createdSince: ctx.now - ctx.storm.windowMs,
					completedSince:
						ctx.reopenWindowMs > 0 ? ctx.now - ctx.reopenWindowMs : ctx.now - 3600_000,
				}),
				includeFields: TICKET_FIELDS,
			});
			for (const row of rows) {
				const record = ticketRecord(row);
				if (record && !this.tickets.has(record.id)) this.tickets.set(record.id, record);
			}
		}
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
		const missing = deviceUids.filter((uid) => !this.configurationItemsByDevice.has(uid));
		for (let start = 0; start < missing.length; start += KEYS_PER_QUERY) {
			const chunk = missing.slice(start, start + KEYS_PER_QUERY);
			const request = this.autotask
				.query<ConfigurationItem>('ConfigurationItems', {
					filter: [
						chunk.length === 1
							? { op: 'eq', field: 'rmmDeviceUID', value: chunk[0] }
							: { op: 'in', field: 'rmmDeviceUID', value: chunk },
					],
					includeFields: ['id', 'companyID', 'rmmDeviceUID', 'isActive', 'referenceTitle'],
				})
				.then((rows) => rows);
			for (const uid of chunk) {
				const forDevice = request.then((rows) =>
					rows.filter((row) => String(row.rmmDeviceUID).toLowerCase() === uid.toLowerCase()),
				);
				forDevice.catch(() => this.configurationItemsByDevice.delete(uid));
				this.configurationItemsByDevice.set(uid, forDevice);
			}
			await settle(request);
		}
	}

	async configurationItems(deviceUid: string): Promise<ConfigurationItem[]> {
		if (!this.configurationItemsByDevice.has(deviceUid))
			await this.loadConfigurationItems([deviceUid]);
		return await this.configurationItemsByDevice.get(deviceUid)!;
	}

	/** Counts the time entries of these tickets, in as few queries as possible. */
	async loadTimeEntries(ticketIds: number[]): Promise<void> {
		const ids = [...new Set(ticketIds)].filter((id) => !this.timeEntryCounts.has(id));
		for (let start = 0; start < ids.length; start += KEYS_PER_QUERY) {
			const chunk = ids.slice(start, start + KEYS_PER_QUERY);
			const rows = await this.autotask.query<{ id: number; ticketID: number }>('TimeEntries', {
				filter: [
					chunk.length === 1
						? { op: 'eq', field: 'ticketID', value: chunk[0] }
						: { op: 'in', field: 'ticketID', value: chunk },
				],
				includeFields: ['id', 'ticketID'],
			});
			for (const id of chunk) this.timeEntryCounts.set(id, 0);
			for (const row of rows)
				this.timeEntryCounts.set(
					Number(row.ticketID),
					(this.timeEntryCounts.get(Number(row.ticketID)) ?? 0) + 1,
				);
		}
	}

	async timeEntryCount(ticketId: number): Promise<number> {
		if (!this.timeEntryCounts.has(ticketId)) await this.loadTimeEntries([ticketId]);
		return this.timeEntryCounts.get(ticketId) ?? 0;
	}

	async picklist(entity: string, field: string): Promise<AutotaskPicklistValue[]> {
		return await this.picklists.get(`${entity}.${field}`);
	}

	/** The value of the first label (lower case) the picklist has. */
	async picklistValueByLabel(
		entity: string,
		field: string,
		labels: string[],
	): Promise<string | undefined> {
		const values = await this.picklist(entity, field);
		for (const label of labels) {
			const found = values.find((value) => value.label.trim().toLowerCase() === label);
			if (found) return found.value;
		}
		return undefined;
	}

	/** The first of these emails that is an active resource, with its default service desk role. */
	async assignee(emails: Array<string | undefined>): Promise<Assignee | undefined> {
		return await this.assignees.get(emails.filter(Boolean).join('\n'));
	}
}
