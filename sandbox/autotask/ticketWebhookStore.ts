/**
 * The tenant's ticket webhooks and what they do: each ticket write a webhook listens to becomes a
 * signed callout, queued in the outbox until a test or the demo delivers it.
 *
 * Rules (Autotask's webhook entity pages): a webhook needs at least one Field or UdfField before it
 * counts (`isReady`; a callout needs a callout field); only active, ready webhooks call out; an
 * update calls out when a subscribed field (or UDF) changed, whoever changed it, API users
 * included, unless the resource who made the change is excluded on the webhook; a create calls
 * out when the webhook subscribes to create events; deleting or deactivating a webhook calls its
 * deactivation URL. Payload shape and signing: ticketWebhookPayload.ts.
 */
import { createHash } from 'node:crypto';

import { Outbox } from '../core/outbox';
import type { DeliverOptions, DeliveryResult, OutboundDelivery } from '../core/outbox';
import {
	FIRST_TICKET_UDF_FIELD_ID,
	TICKET_WEBHOOK_FIELDS,
	TICKET_WEBHOOK_FIELD_NAMES,
} from './ticketWebhookFields';
import { autotaskJson, calloutBody, calloutHeaders } from './ticketWebhookPayload';
import type { WebhookAction } from './ticketWebhookPayload';

type Row = Record<string, unknown>;

/** Seed keys of a ticketWebhooks.json record that hold its children (sandbox format). */
const CHILD_KEYS = ['fields', 'udfFields', 'excludedResources'] as const;

export interface TicketWrite {
	action: 'Create' | 'Update';
	/** The ticket before the write (undefined on create). */
	before?: Row;
	after: Row;
	/** The resource the write is attributed to (the impersonated one, or the API user's own). */
	actingResourceId: number;
}

export class TicketWebhookStore {
	webhooks: Row[] = [];
	fields: Row[] = [];
	udfFields: Row[] = [];
	excludedResources: Row[] = [];

	/** Callouts not yet delivered. */
	readonly outbox = new Outbox('autotask');

	private readonly sequences = new Map<number, number>();

	private readonly udfIds = new Map<string, number>();

	constructor(
		seed: unknown[],
		private readonly deps: { now: () => Date; ticketUdfNames: () => string[] },
	) {
		for (const raw of structuredClone(seed) as Row[]) {
			const webhook: Row = { ...raw };
			for (const key of CHILD_KEYS) delete webhook[key];
			webhook.id = Number(webhook.id) || this.nextId(this.webhooks, 1);
			webhook.webhookGUID ??= guidFor(`ticket-webhook:${String(webhook.id)}`);
			this.webhooks.push(webhook);
			const children = (key: (typeof CHILD_KEYS)[number], table: Row[]) => {
				for (const child of (raw[key] ?? []) as Row[])
					table.push({
						...child,
						id: Number(child.id) || this.nextId(table, 1),
						webhookID: webhook.id,
					});
			};
			children('fields', this.fields);
			children('udfFields', this.udfFields);
			children('excludedResources', this.excludedResources);
			this.refreshReady(webhook);
		}
	}

	/** The rows behind an entity's seed file name, or undefined for entities that are not webhooks'. */
	rows(seedFile: string): Row[] | undefined {
		switch (seedFile) {
			case 'ticketWebhooks':
				return this.webhooks;
			case 'ticketWebhookFields':
				return this.fields;
			case 'ticketWebhookUdfFields':
				return this.udfFields;
			case 'ticketWebhookExcludedResources':
				return this.excludedResources;
			default:
				return undefined;
		}
	}

	nextId(table: Row[], start: number): number {
		return table.reduce((max, row) => Math.max(max, Number(row.id) || 0), start - 1) + 1;
	}

	webhook(id: unknown): Row | undefined {
		return this.webhooks.find((row) => Number(row.id) === Number(id));
	}

	childrenOf(webhookId: unknown): { fields: Row[]; udfFields: Row[]; excludedResources: Row[] } {
		const mine = (row: Row) => Number(row.webhookID) === Number(webhookId);
		return {
			fields: this.fields.filter(mine),
			udfFields: this.udfFields.filter(mine),
			excludedResources: this.excludedResources.filter(mine),
		};
	}

	/** `isReady`: the webhook has at least one callout field (Field or UdfField). [U] read-back only. */
	refreshReady(webhook: Row): void {
		const { fields, udfFields } = this.childrenOf(webhook.id);
		webhook.isReady = fields.length + udfFields.length > 0;
	}

	/** Ticket UDFs as webhook UDF fields: `[udfFieldID, UDF name]`, ids stable once handed out. */
	udfFieldIds(): Array<[number, string]> {
		for (const name of this.deps.ticketUdfNames()) {
			if (!this.udfIds.has(name.toLowerCase()))
				this.udfIds.set(name.toLowerCase(), FIRST_TICKET_UDF_FIELD_ID + this.udfIds.size);
		}
		const names = new Map(this.deps.ticketUdfNames().map((name) => [name.toLowerCase(), name]));
		return [...this.udfIds].map(([lower, id]) => [id, names.get(lower) ?? lower]);
	}

	/** Queues the callouts a ticket write causes; returns them. */
	ticketWritten(write: TicketWrite): OutboundDelivery[] {
		const queued: OutboundDelivery[] = [];
		for (const webhook of this.webhooks) {
			if (webhook.isActive !== true || webhook.isReady !== true) continue;
			const subscribed =
				write.action === 'Create'
					? webhook.isSubscribedToCreateEvents === true
					: webhook.isSubscribedToUpdateEvents === true;
			if (!subscribed) continue;
			const children = this.childrenOf(webhook.id);
			if (
				children.excludedResources.some(
					(row) => Number(row.resourceID) === Number(write.actingResourceId),
				)
			)
				continue;
			const fields = this.calloutFields(write, children);
			if (!fields) continue;
			queued.push(
				this.queue(webhook, write.action, Number(write.after.id), fields.values, {
					personId: write.actingResourceId,
					what: `ticket ${String(write.after.id)} ${write.action}${fields.changed.length ? ` (${fields.changed.join(', ')})` : ''}`,
				}),
			);
		}
		return queued;
	}

	/** The deactivation URL's call when a webhook is deleted or set inactive. */
	webhookDeactivated(webhook: Row, actingResourceId: number): OutboundDelivery | undefined {
		if (typeof webhook.deactivationUrl !== 'string' || !webhook.deactivationUrl) return undefined;
		return this.queue(
			webhook,
			'Deactivated',
			Number(webhook.id),
			{},
			{
				personId: actingResourceId,
				what: `webhook ${String(webhook.id)} deactivated`,
				url: webhook.deactivationUrl,
			},
		);
	}

	pending(): OutboundDelivery[] {
		return this.outbox.pending();
	}

	async deliver(options?: DeliverOptions): Promise<DeliveryResult[]> {
		return await this.outbox.deliver(options);
	}

	/** ticketWebhooks.json: each webhook with its children nested (sandbox format, see README). */
	dump(): Row[] {
		return this.webhooks.map((webhook) => {
			const children = this.childrenOf(webhook.id);
			return structuredClone({
				...webhook,
				fields: children.fields,
				udfFields: children.udfFields,
				excludedResources: children.excludedResources,
			});
		});
	}

	/** Which values go into Fields, or undefined when the write touches no subscribed field. */
	private calloutFields(
		write: TicketWrite,
		children: { fields: Row[]; udfFields: Row[] },
	): { values: Record<string, unknown>; changed: string[] } | undefined {
		const fieldName = new Map(TICKET_WEBHOOK_FIELDS.map(([id, name]) => [id, name]));
		const udfName = new Map(this.udfFieldIds());
		const standard = children.fields.map((row) => ({
			row,
			name: fieldName.get(Number(row.fieldID)),
			udf: false,
		}));
		const udfs = children.udfFields.map((row) => ({
			row,
			name: udfName.get(Number(row.udfFieldID)),
			udf: true,
		}));
		const value = (ticket: Row | undefined, name: string, udf: boolean): unknown => {
			if (!ticket) return null;
			if (!udf) return ticket[name] ?? null;
			const found = (
				(ticket.userDefinedFields ?? []) as Array<{ name?: string; value?: unknown }>
			).find((entry) => String(entry.name ?? '').toLowerCase() === name.toLowerCase());
			return found?.value ?? null;
		};
		const values: Record<string, unknown> = {};
		const changed: string[] = [];
		for (const entry of [...standard, ...udfs]) {
			if (!entry.name || (!entry.udf && !TICKET_WEBHOOK_FIELD_NAMES.has(entry.name))) continue;
			const now = value(write.after, entry.name, entry.udf);
			const was = value(write.before, entry.name, entry.udf);
			const didChange = write.action === 'Create' || JSON.stringify(now) !== JSON.stringify(was);
			if (entry.row.isSubscribedField === true && didChange) {
				changed.push(entry.name);
				values[entry.name] = now;
			}
			if (entry.row.isDisplayAlwaysField === true) values[entry.name] = now;
		}
		if (write.action === 'Update' && changed.length === 0) return undefined;
		return { values, changed };
	}

	private queue(
		webhook: Row,
		action: WebhookAction,
		id: number,
		fields: Record<string, unknown>,
		about: { personId: number | null; what: string; url?: string },
	): OutboundDelivery {
		const sequence = (this.sequences.get(Number(webhook.id)) ?? 0) + 1;
		this.sequences.set(Number(webhook.id), sequence);
		const body = autotaskJson(
			calloutBody({
				action,
				guid: String(webhook.webhookGUID ?? ''),
				entityType: 'Ticket',
				id,
				fields,
				eventTime: this.deps.now().toISOString(),
				sequenceNumber: sequence,
				personId: about.personId,
			}),
		);
		const secret =
			typeof webhook.secretKey === 'string' && webhook.secretKey ? webhook.secretKey : null;
		return this.outbox.add({
			url: about.url ?? String(webhook.webhookUrl ?? ''),
			headers: calloutHeaders(body, secret),
			body,
			description: about.what,
		});
	}
}

/** A stable GUID from a text, so seeded webhooks without one get the same GUID on every start. */
export function guidFor(text: string): string {
	const hex = createHash('sha1').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
