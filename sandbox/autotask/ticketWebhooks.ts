/**
 * The TicketWebhooks routes: the webhook itself (POST, PATCH, PUT, DELETE) and its child
 * collections `/Fields` and `/UdfFields` (GET, POST, PATCH, PUT; GET and DELETE by id) and
 * `/ExcludedResources` (GET, POST; GET and DELETE by id: no update), written through the parent as
 * every Autotask child entity is. Root queries of all four are the generic entity routes.
 *
 * Rules: both URLs required and absolute; secret key at most 64 characters (field lengths in
 * ticketWebhookFields.ts); `webhookGUID` and `isReady` are read-only; a webhook counts once it has
 * a callout field, and an update of a webhook without one is refused ("At least one callout field
 * (WebhookField or WebhookUdfField) must be present to make a create or update call"); a field or
 * UDF field names a supported one once per webhook and subscribes or displays it [U: the refusals'
 * wording]; an excluded resource exists and is listed once.
 */
import { randomUUID } from 'node:crypto';

import type { SandboxRequest } from '../core/types';
import { entityByRoute } from './fields';
import type { EntityDefinition } from './fieldInfo';
import { ok } from './gate';
import type { AddRoute, Call } from './gate';
import { AutotaskFault, invalid } from './query';
import type { AutotaskState, Row } from './state';
import {
	changesOf,
	checkReferences,
	checkRequired,
	creator,
	existingFor,
	merge,
	replaceRow,
} from './writes';

const NO_CALLOUT_FIELD =
	'At least one callout field (WebhookField or WebhookUdfField) must be present to make a create or update call.';

export function addTicketWebhookRoutes(add: AddRoute, state: AutotaskState): void {
	const webhooks = entityByRoute('TicketWebhooks')!;
	const store = state.ticketWebhooks;

	add('POST', '/TicketWebhooks', { entity: webhooks, action: 'create' }, ({ request }) => {
		const { changes } = changesOf(state, webhooks, request.body);
		const row: Row = {
			isSubscribedToCreateEvents: false,
			isSubscribedToUpdateEvents: false,
			isSubscribedToDeleteEvents: false,
			sendThresholdExceededNotification: false,
			...changes,
		};
		checkRequired(state, webhooks, row);
		checkWebhook(state, row, Object.keys(changes));
		row.id = store.nextId(store.webhooks, 1);
		row.webhookGUID = randomUUID();
		store.webhooks.push(row);
		store.refreshReady(row);
		return ok({ itemId: row.id });
	});

	for (const [method, mode] of [
		['PATCH', 'patch'],
		['PUT', 'put'],
	] as const) {
		add(method, '/TicketWebhooks', { entity: webhooks, action: 'update' }, ({ request, actor }) => {
			const existing = existingFor(state, webhooks, request.body);
			const { changes } = changesOf(state, webhooks, request.body);
			const row = merge(state, webhooks, existing, changes, mode);
			checkRequired(state, webhooks, row, mode === 'patch' ? Object.keys(changes) : undefined);
			checkWebhook(state, row, Object.keys(changes));
			const { fields, udfFields } = store.childrenOf(existing.id);
			if (fields.length + udfFields.length === 0) throw invalid(NO_CALLOUT_FIELD);
			const deactivated = existing.isActive === true && row.isActive !== true;
			replaceRow(existing, row);
			store.refreshReady(existing);
			if (deactivated) store.webhookDeactivated(existing, creator(actor));
			return ok({ itemId: existing.id });
		});
	}

	add(
		'DELETE',
		'/TicketWebhooks/{id}',
		{ entity: webhooks, action: 'delete' },
		({ request, actor }) => {
			const webhook = parentOf(state, request, 'id');
			const id = Number(webhook.id);
			const mine = (row: Row) => Number(row.webhookID) !== id;
			store.webhooks = store.webhooks.filter((row) => row !== webhook);
			store.fields = store.fields.filter(mine);
			store.udfFields = store.udfFields.filter(mine);
			store.excludedResources = store.excludedResources.filter(mine);
			if (webhook.isActive === true) store.webhookDeactivated(webhook, creator(actor));
			return ok({ itemId: id });
		},
	);

	childRoutes(add, state, {
		segment: 'Fields',
		entity: entityByRoute('TicketWebhookFields')!,
		key: 'fieldID',
		table: () => store.fields,
		setTable: (rows) => (store.fields = rows),
		updatable: true,
		check: checkCalloutField,
	});
	childRoutes(add, state, {
		segment: 'UdfFields',
		entity: entityByRoute('TicketWebhookUdfFields')!,
		key: 'udfFieldID',
		table: () => store.udfFields,
		setTable: (rows) => (store.udfFields = rows),
		updatable: true,
		check: checkCalloutField,
	});
	childRoutes(add, state, {
		segment: 'ExcludedResources',
		entity: entityByRoute('TicketWebhookExcludedResources')!,
		key: 'resourceID',
		table: () => store.excludedResources,
		setTable: (rows) => (store.excludedResources = rows),
		updatable: false,
	});
}

interface ChildCollection {
	/** The route segment under /TicketWebhooks/{parentId}/. */
	segment: string;
	entity: EntityDefinition;
	/** The field that may appear once per webhook. */
	key: string;
	table: () => Row[];
	setTable: (rows: Row[]) => void;
	updatable: boolean;
	check?: (row: Row) => void;
}

function childRoutes(add: AddRoute, state: AutotaskState, child: ChildCollection): void {
	const store = state.ticketWebhooks;
	const base = `/TicketWebhooks/{parentId}/${child.segment}`;
	const read = { entity: child.entity, action: 'query' as const };

	const list = (webhook: Row) =>
		child
			.table()
			.filter((row) => Number(row.webhookID) === Number(webhook.id))
			.sort((a, b) => Number(a.id) - Number(b.id));
	const found = (request: SandboxRequest, webhook: Row): Row => {
		const row = list(webhook).find((entry) => String(entry.id) === request.params.id);
		if (!row)
			throw new AutotaskFault(404, [
				`No ${child.entity.name} with id ${request.params.id} was found.`,
			]);
		return row;
	};
	const validate = (webhook: Row, row: Row, changed: string[], self?: Row): void => {
		if (
			row.webhookID !== undefined &&
			row.webhookID !== null &&
			Number(row.webhookID) !== Number(webhook.id)
		) {
			throw invalid(
				`webhookID: Value ${String(row.webhookID)} does not match the parent webhook ${String(webhook.id)}.`,
			);
		}
		row.webhookID = Number(webhook.id);
		checkRequired(state, child.entity, row);
		checkReferences(state, child.entity, row, changed);
		child.check?.(row);
		const twin = list(webhook).find(
			(entry) => entry !== self && Number(entry[child.key]) === Number(row[child.key]),
		);
		if (twin)
			throw invalid(
				`${child.key}: Value ${String(row[child.key])} is already on webhook ${String(webhook.id)} (id ${String(twin.id)}).`,
			);
	};

	add('GET', base, read, ({ request, user }) => {
		const rows = list(parentOf(state, request));
		return ok({
			items: rows.map((row) => state.present(child.entity, row, user)),
			pageDetails: { count: rows.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
		});
	});
	add('GET', `${base}/{id}`, read, ({ request, user }) =>
		ok({ item: state.present(child.entity, found(request, parentOf(state, request)), user) }),
	);
	add('POST', base, { entity: child.entity, action: 'create' }, ({ request }: Call) => {
		const webhook = parentOf(state, request);
		const { changes } = changesOf(state, child.entity, request.body);
		const row: Row = { ...defaults(child.entity), ...changes };
		validate(webhook, row, Object.keys(changes));
		row.id = store.nextId(child.table(), 1);
		child.table().push(row);
		store.refreshReady(webhook);
		return ok({ itemId: row.id });
	});
	if (child.updatable) {
		for (const [method, mode] of [
			['PATCH', 'patch'],
			['PUT', 'put'],
		] as const) {
			add(method, base, { entity: child.entity, action: 'update' }, ({ request }) => {
				const webhook = parentOf(state, request);
				const existing = existingFor(state, child.entity, request.body);
				if (Number(existing.webhookID) !== Number(webhook.id))
					throw invalid(
						`id: Value ${String(existing.id)} does not exist or is invalid for webhook ${String(webhook.id)}.`,
					);
				const { changes } = changesOf(state, child.entity, request.body);
				const row = merge(state, child.entity, existing, changes, mode);
				validate(webhook, row, Object.keys(changes), existing);
				replaceRow(existing, row);
				return ok({ itemId: existing.id });
			});
		}
	}
	add('DELETE', `${base}/{id}`, { entity: child.entity, action: 'delete' }, ({ request }) => {
		const webhook = parentOf(state, request);
		const row = found(request, webhook);
		child.setTable(child.table().filter((entry) => entry !== row));
		store.refreshReady(webhook);
		return ok({ itemId: Number(row.id) });
	});
}

function defaults(entity: EntityDefinition): Row {
	const out: Row = {};
	for (const field of entity.fields)
		if (field.dataType === 'boolean' && !field.isReadOnly) out[field.name] = false;
	return out;
}

/** A callout field subscribes to changes, is always displayed, or both. [U] wording. */
function checkCalloutField(row: Row): void {
	if (row.isSubscribedField !== true && row.isDisplayAlwaysField !== true) {
		throw invalid(
			'A webhook field must be a subscribed field, a display-always field, or both (isSubscribedField or isDisplayAlwaysField true).',
		);
	}
}

function checkWebhook(state: AutotaskState, row: Row, changed: string[]): void {
	checkReferences(state, entityByRoute('TicketWebhooks')!, row, changed);
	for (const name of ['webhookUrl', 'deactivationUrl']) {
		const value = row[name];
		if (typeof value !== 'string') continue;
		let url: URL | undefined;
		try {
			url = new URL(value);
		} catch {
			url = undefined;
		}
		if (!url || !/^https?:$/.test(url.protocol))
			throw invalid(`${name}: '${value}' is not a valid absolute URL.`); // [U] wording
	}
}

function parentOf(state: AutotaskState, request: SandboxRequest, param = 'parentId'): Row {
	const raw = request.params[param];
	const webhook = /^\d+$/.test(raw) ? state.ticketWebhooks.webhook(raw) : undefined;
	if (!webhook) throw new AutotaskFault(404, [`No TicketWebhook with id ${raw} was found.`]);
	return webhook;
}
