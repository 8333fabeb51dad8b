import type { AutotaskClient } from '../transport/autotask';
import type { ConnectWiseClient } from '../transport/connectwise';
import { InputError } from '../transport/http';
import { CALLBACK_SECRET_QUERY } from './connectwiseCallback';

/**
 * Sets up the PSA's side of the reverse path (a ticket completed in the PSA resolves its Datto
 * alerts): Autotask's ticket webhook, or ConnectWise's ticket callback, pointing at the alert
 * workflow's ticket Webhook node. Run twice, it changes nothing the second time: the webhook or
 * callback is found by its URL and only what differs is written.
 */
export interface TicketWebhookSetup {
	/** The production URL of the workflow's ticket Webhook node. */
	url: string;
	/** Autotask: the webhook's secret key; ConnectWise: the secret carried in the callback URL. */
	secret: string;
	/** The webhook's (callback's) name in the PSA. */
	name: string;
	/** Autotask: called when the webhook is deactivated; default: `url`. */
	deactivationUrl?: string;
	/** Autotask: who hears when the webhook's callouts exceed Autotask's threshold. */
	notificationEmail?: string;
	/** ConnectWise: the board whose tickets call back. */
	boardId?: number;
}

export type SetupAction = 'created' | 'updated' | 'unchanged';

/** What the setup did, for the node's output. */
export interface SetupResult {
	psa: 'autotask' | 'connectwise';
	action: SetupAction;
	id: number;
	name: string;
	url: string;
	/** What was written, in words ("created the webhook", "subscribed to the status field"). */
	changes: string[];
	/** Autotask: the callout fields; ConnectWise: the callback's type and level. */
	subscribes: string;
	/** Autotask: whether it can call out (it has a callout field). */
	ready?: boolean;
}

/** [U] The ticket fields the branch needs: a change of status fires a callout that carries it. */
const STATUS_FIELD = 'status';

function checkUrl(value: string, field: string): string {
	const url = value.trim();
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !/^https?:$/.test(parsed.protocol))
		throw new InputError(
			field,
			`${field} "${url}" is not an http(s) URL`,
			"Copy the Production URL of the workflow's ticket Webhook node (open the node, Production URL).",
		);
	return url;
}

function checkSecret(secret: string, field: string, max?: number): void {
	if (!secret.trim())
		throw new InputError(
			field,
			`No ${field} is set: the PSA's deliveries could not be authenticated`,
			`Set ${field} to a long random value (the same one the ticket deliveries are checked with).`,
		);
	if (max && secret.length > max)
		throw new InputError(
			field,
			`${field} is ${secret.length} characters long; Autotask keeps at most ${max}`,
			`Choose a secret of at most ${max} characters.`,
		);
}

interface AutotaskWebhookRow {
	id: number;
	name?: string;
	webhookUrl?: string;
	deactivationUrl?: string;
	secretKey?: string | null;
	isActive?: boolean;
	isSubscribedToUpdateEvents?: boolean;
	notificationEmailAddress?: string | null;
	sendThresholdExceededNotification?: boolean;
	isReady?: boolean;
}

interface AutotaskWebhookField {
	id: number;
	fieldID: number;
	isSubscribedField?: boolean;
	isDisplayAlwaysField?: boolean;
}

/** Autotask: a ticket webhook on update events, its callout field Status (subscribed, always shown). */
export async function setUpAutotaskTicketWebhook(
	client: AutotaskClient,
	setup: TicketWebhookSetup,
): Promise<SetupResult> {
	const url = checkUrl(setup.url, 'Ticket Webhook URL');
	const deactivationUrl = setup.deactivationUrl?.trim()
		? checkUrl(setup.deactivationUrl, 'Deactivation URL')
		: url;
	checkSecret(setup.secret, 'Autotask Webhook Secret Key', 64);
	const name = setup.name.trim().slice(0, 50) || 'Datto RMM alert tickets (n8n)';
	const statusFieldId = await ticketFieldId(client, STATUS_FIELD);
	const wanted: Record<string, unknown> = {
		name,
		webhookUrl: url,
		deactivationUrl,
		secretKey: setup.secret,
		isActive: true,
		isSubscribedToUpdateEvents: true,
		...(setup.notificationEmail?.trim()
			? {
					notificationEmailAddress: setup.notificationEmail.trim(),
					sendThresholdExceededNotification: true,
				}
			: {}),
	};
	const findByUrl = async () =>
		(
			await client.query<AutotaskWebhookRow>('TicketWebhooks', {
				filter: [{ op: 'eq', field: 'webhookUrl', value: url }],
			})
		).sort((a, b) => a.id - b.id)[0];
	const changes: string[] = [];
	let webhook = await findByUrl();
	let action: SetupAction = 'unchanged';
	if (!webhook) {
		const id = await client.create(
			'/TicketWebhooks',
			{
				...wanted,
				isSubscribedToCreateEvents: false,
				isSubscribedToDeleteEvents: false,
			},
			{ findExisting: async () => (await findByUrl())?.id },
		);
		changes.push(`created the ticket webhook "${name}" (update events) for ${url}`);
		action = 'created';
		webhook = { id, ...wanted } as AutotaskWebhookRow;
	}
	// Autotask refuses to update a webhook without a callout field: the field comes first.
	const fields = await client.query<AutotaskWebhookField>('TicketWebhookFields', {
		filter: [{ op: 'eq', field: 'webhookID', value: webhook.id }],
	});
	const status = fields.find((field) => Number(field.fieldID) === statusFieldId);
	if (!status) {
		await client.create(`/TicketWebhooks/${webhook.id}/Fields`, {
			fieldID: statusFieldId,
			isSubscribedField: true,
			isDisplayAlwaysField: true,
		});
		changes.push('added the callout field Status (a status change calls out, always carried)');
	} else if (!status.isSubscribedField || !status.isDisplayAlwaysField) {
		await client.update(`/TicketWebhooks/${webhook.id}/Fields`, {
			id: status.id,
			isSubscribedField: true,
			isDisplayAlwaysField: true,
		});
		changes.push('made the callout field Status subscribed and always carried');
	}
	if (action !== 'created') {
		const differs = Object.entries(wanted).filter(([field, value]) => {
			const current = (webhook as unknown as Record<string, unknown>)[field];
			// A secret key Autotask does not read back is written again: the only way to know it matches.
			if (field === 'secretKey' && (current === undefined || current === null)) return true;
			return current !== value;
		});
		if (differs.length) {
			await client.update('/TicketWebhooks', {
				id: webhook.id,
				...Object.fromEntries(differs),
			});
			changes.push(
				`updated the webhook's ${differs.map(([field]) => (field === 'secretKey' ? 'secret key' : field)).join(', ')}`,
			);
		}
	}
	if (action === 'unchanged' && changes.length) action = 'updated';
	const after = await client.get<AutotaskWebhookRow>('TicketWebhooks', webhook.id);
	return {
		psa: 'autotask',
		action,
		id: webhook.id,
		name,
		url,
		changes,
		subscribes: 'Tickets: update events; callout field Status (subscribed, always carried)',
		ready: after?.isReady,
	};
}

/** The internal id of a ticket field for webhooks (the `fieldID` picklist, [U] labelled by REST name). */
async function ticketFieldId(client: AutotaskClient, name: string): Promise<number> {
	const values = await client.picklist('TicketWebhookFields', 'fieldID');
	const found = values.find(
		(entry) => String(entry.label ?? '').toLowerCase() === name.toLowerCase(),
	);
	if (!found)
		throw new InputError(
			'Ticket Webhook URL',
			`Autotask lists no webhook field "${name}" for tickets`,
			'Check that the API user may read TicketWebhookFields (Admin > Resources > security level), or set the webhook up in Autotask by hand (README, "Tickets completed in the PSA").',
		);
	return Number(found.value);
}

interface CallbackRow {
	id: number;
	url?: string;
	description?: string;
	type?: string;
	level?: string;
	objectId?: number;
	inactiveFlag?: boolean;
	isSelfSuppressedFlag?: boolean;
}

/** The URL without our secret, to recognise our callback whatever secret it carries. */
function withoutSecret(value: string): string {
	try {
		const parsed = new URL(value);
		parsed.searchParams.delete(CALLBACK_SECRET_QUERY);
		return parsed.toString();
	} catch {
		return value;
	}
}

/**
 * ConnectWise: a ticket callback on the board (`type` Ticket, `level` Board, `objectId` the board)
 * to the URL with `?secret=`, suppressed for the API member's own changes ([U] isSelfSuppressedFlag).
 */
export async function setUpConnectWiseTicketCallback(
	client: ConnectWiseClient,
	setup: TicketWebhookSetup,
): Promise<SetupResult> {
	const base = checkUrl(setup.url, 'Ticket Webhook URL');
	checkSecret(setup.secret, 'ConnectWise Callback Secret');
	if (!setup.boardId)
		throw new InputError(
			'Board',
			'No ConnectWise board is chosen for the callback',
			'Choose the service board the alert tickets are on under "Board".',
		);
	const parsed = new URL(base);
	parsed.searchParams.set(CALLBACK_SECRET_QUERY, setup.secret);
	const url = parsed.toString();
	const description = setup.name.trim().slice(0, 100) || 'Datto RMM alert tickets (n8n)';
	const wanted = {
		url,
		description,
		type: 'Ticket',
		level: 'Board',
		objectId: setup.boardId,
		inactiveFlag: false,
		isSelfSuppressedFlag: true,
	};
	const findOurs = async () =>
		(await client.list<CallbackRow>('/system/callbacks', { conditions: 'type="Ticket"' }))
			.filter((row) => withoutSecret(String(row.url ?? '')) === withoutSecret(url))
			.sort((a, b) => a.id - b.id)[0];
	const found = await findOurs();
	const shown = withoutSecret(url);
	if (!found) {
		const created = await client.create<CallbackRow>('/system/callbacks', wanted, {
			findExisting: async () => await findOurs(),
		});
		return {
			psa: 'connectwise',
			action: 'created',
			id: created.id,
			name: description,
			url: shown,
			changes: [`created the ticket callback "${description}" for board ${setup.boardId}`],
			subscribes: `Ticket callbacks, level Board (board ${setup.boardId})`,
		};
	}
	const differs = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((field) =>
		field === 'type' || field === 'level'
			? String(found[field] ?? '').toLowerCase() !== String(wanted[field]).toLowerCase()
			: (found[field] ?? (field === 'inactiveFlag' ? false : undefined)) !== wanted[field],
	);
	if (differs.length)
		await client.patch(
			`/system/callbacks/${found.id}`,
			differs.map((field) => ({ op: 'replace' as const, path: field, value: wanted[field] })),
		);
	return {
		psa: 'connectwise',
		action: differs.length ? 'updated' : 'unchanged',
		id: found.id,
		name: description,
		url: shown,
		changes: differs.length
			? [
					`updated the callback's ${differs.map((field) => (field === 'url' ? 'url (secret)' : field)).join(', ')}`,
				]
			: [],
		subscribes: `Ticket callbacks, level Board (board ${setup.boardId})`,
	};
}
