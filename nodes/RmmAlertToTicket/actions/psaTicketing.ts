import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DattoPriority } from '../../../lib/alerts/alert';
import type { ProcessAlertsConfig } from '../../../lib/alerts/batch';
import { AutotaskTicketStore } from '../../../lib/alerts/psa/autotask';
import { ConnectWiseTicketStore } from '../../../lib/alerts/psa/connectwise';
import type { ConnectWiseTicketSettings } from '../../../lib/alerts/psa/connectwise';
import { CLOSED } from '../../../lib/alerts/psa/connectwiseRecords';
import { DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_TITLE_TEMPLATE } from '../../../lib/alerts/settings';
import type { AlertTicketStore } from '../../../lib/alerts/ticketStore';
import type { ConnectWiseClient } from '../../../lib/transport/connectwise';
import { InputError } from '../../../lib/transport/http';
import { settle } from '../../../lib/util/settled';
import { toNodeError } from '../../shared/errors';
import type { VendorClients } from '../clients';

export type AlertPsa = 'autotask' | 'connectwise';

export function alertPsa(ctx: IExecuteFunctions): AlertPsa {
	return ctx.getNodeParameter('psa', 0, 'autotask') === 'connectwise' ? 'connectwise' : 'autotask';
}

const text = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

function optionalId(value: unknown, field: string): number | undefined {
	const raw = text(value);
	if (!raw) return undefined;
	if (!/^\d+$/.test(raw))
		throw new InputError(
			field,
			`${field} must be a ConnectWise ID, not "${raw}"`,
			'Choose the value from the list, or give its numeric ID.',
		);
	return Number(raw);
}

/**
 * The PSA's ticket store for this execution. For ConnectWise the node's ConnectWise settings
 * replace the Autotask ticket defaults in `config` (status of new tickets, priority map, source;
 * closed = any closed status), so the one engine reads the same settings for both PSAs.
 */
export async function alertTicketStore(
	ctx: IExecuteFunctions,
	clients: VendorClients,
	config: ProcessAlertsConfig,
): Promise<AlertTicketStore> {
	if (alertPsa(ctx) === 'autotask')
		return new AutotaskTicketStore(clients.autotask, String(config.defaults.completeStatus));
	const read = await settle(connectwiseSettings(ctx, clients.connectwise, config));
	if (!read.ok) throw toNodeError(ctx.getNode(), read.error, undefined, clients.secrets());
	return new ConnectWiseTicketStore(clients.connectwise, read.value);
}

/**
 * The store Resolve Alert From Ticket reads a ticket with: it writes nothing, so no ticket
 * settings are needed (Autotask: complete is the system status Complete; ConnectWise: any
 * closed status).
 */
export function ticketReader(
	ctx: IExecuteFunctions,
	clients: VendorClients,
	autotaskCompleteStatus: string,
): AlertTicketStore {
	return alertPsa(ctx) === 'connectwise'
		? new ConnectWiseTicketStore(clients.connectwise, {
				boardId: 0,
				noteFlag: 'internalAnalysisFlag',
			})
		: new AutotaskTicketStore(clients.autotask, autotaskCompleteStatus);
}

async function connectwiseSettings(
	ctx: IExecuteFunctions,
	client: ConnectWiseClient,
	config: ProcessAlertsConfig,
): Promise<ConnectWiseTicketSettings> {
	const boardId = optionalId(
		ctx.getNodeParameter('connectwiseBoard', 0, '', { extractValue: true }),
		'Board',
	);
	if (!boardId)
		throw new InputError(
			'Board',
			'No ConnectWise board is chosen for alert tickets',
			'Choose the service board under "Board".',
		);
	const raw = ctx.getNodeParameter('connectwiseTicket', 0, {}) as IDataObject;
	const mapRaw = ((ctx.getNodeParameter('connectwisePriorityMap', 0, {}) as IDataObject)
		.priorities ?? {}) as IDataObject;
	const priorityMap: Partial<Record<DattoPriority, string>> = {};
	for (const priority of ['Critical', 'High', 'Moderate', 'Low', 'Information'] as const) {
		const id = optionalId(mapRaw[priority.toLowerCase()], `${priority} Priority`);
		if (id) priorityMap[priority] = String(id);
	}
	let newStatus = optionalId(raw.newStatus, 'New Status');
	if (!newStatus) {
		// The engine must know the status it sets (a ticket in any other open status was moved by
		// a person): the board's default status, read once per execution.
		const statuses = await client.list<{
			id: number;
			sortOrder?: number;
			inactive?: boolean;
			closedStatus?: boolean;
			defaultFlag?: boolean;
		}>(`/service/boards/${boardId}/statuses`, {
			fields: ['id', 'sortOrder', 'inactive', 'closedStatus', 'defaultFlag'],
		});
		const open = statuses
			.filter((status) => !status.closedStatus && !status.inactive)
			.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
		newStatus = (open.find((status) => status.defaultFlag) ?? open[0])?.id;
		if (!newStatus)
			throw new InputError(
				'New Status',
				`ConnectWise board ${boardId} has no open status for new tickets`,
				'Choose another board, or add an open status to this one in ConnectWise.',
			);
	}
	const source = optionalId(raw.source, 'Source');
	const template = (value: unknown, fallback: string) =>
		typeof value === 'string' && value.trim() ? value : fallback;
	config.defaults = {
		titleTemplate: template(raw.titleTemplate, DEFAULT_TITLE_TEMPLATE),
		descriptionTemplate: template(raw.descriptionTemplate, DEFAULT_DESCRIPTION_TEMPLATE),
		newStatus: String(newStatus),
		source: source ? String(source) : undefined,
		completeStatus: CLOSED,
		priorityMap,
	};
	return {
		boardId,
		closedStatusId: optionalId(raw.closedStatus, 'Closed Status'),
		typeId: optionalId(raw.type, 'Type'),
		subTypeId: optionalId(raw.subType, 'Subtype'),
		itemId: optionalId(raw.item, 'Item'),
		noteFlag:
			raw.noteFlag === 'detailDescriptionFlag' ? 'detailDescriptionFlag' : 'internalAnalysisFlag',
	};
}
