import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { KEY_PREFIX, parseAlertKey } from '../../../lib/alerts/key';
import { splitXRef } from '../../../lib/alerts/psa/connectwiseRecords';
import { cw } from '../../../lib/transport/connectwise';
import { searchAutotaskCompanies } from '../../shared/methods/autotaskCompanies';
import { connectwiseClient } from '../clients';
import { searchAlertTickets as searchAutotaskAlertTickets } from './listSearch';

/** The ConnectWise pickers: boards, their statuses, types, subtypes and items, priorities, sources, companies. */

const PICKER_PAGE_SIZE = 50;

function boardId(ctx: ILoadOptionsFunctions): number | undefined {
	const raw = ctx.getCurrentNodeParameter('connectwiseBoard');
	// The editor hands over the resource locator as it is stored: { __rl, mode, value }.
	const value = Number(
		raw !== null && typeof raw === 'object' ? (raw as { value?: unknown }).value : raw,
	);
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

interface Named {
	id: number;
	name: string;
	inactive?: boolean;
	inactiveFlag?: boolean;
	closedStatus?: boolean;
	defaultFlag?: boolean;
	sortOrder?: number;
}

async function listOf(
	ctx: ILoadOptionsFunctions,
	path: string,
	keep: (row: Named) => boolean = () => true,
): Promise<INodePropertyOptions[]> {
	const rows = await connectwiseClient(ctx).list<Named>(path, {
		fields: ['id', 'name', 'inactive', 'inactiveFlag', 'closedStatus', 'defaultFlag', 'sortOrder'],
	});
	return rows
		.filter((row) => !row.inactive && !row.inactiveFlag && keep(row))
		.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name))
		.map((row) => ({
			name: row.defaultFlag ? `${row.name} (default)` : row.name,
			value: String(row.id),
		}));
}

async function ofBoard(
	ctx: ILoadOptionsFunctions,
	child: string,
	keep?: (row: Named) => boolean,
): Promise<INodePropertyOptions[]> {
	const board = boardId(ctx);
	return board ? await listOf(ctx, `/service/boards/${board}/${child}`, keep) : [];
}

export const connectwiseLoadOptions = {
	async getConnectWiseOpenStatuses(this: ILoadOptionsFunctions) {
		return await ofBoard(this, 'statuses', (row) => !row.closedStatus);
	},
	async getConnectWiseClosedStatuses(this: ILoadOptionsFunctions) {
		return await ofBoard(this, 'statuses', (row) => row.closedStatus === true);
	},
	async getConnectWiseTypes(this: ILoadOptionsFunctions) {
		return await ofBoard(this, 'types');
	},
	async getConnectWiseSubTypes(this: ILoadOptionsFunctions) {
		return await ofBoard(this, 'subtypes');
	},
	async getConnectWiseItems(this: ILoadOptionsFunctions) {
		return await ofBoard(this, 'items');
	},
	async getConnectWisePriorities(this: ILoadOptionsFunctions) {
		return await listOf(this, '/service/priorities');
	},
	async getConnectWiseSources(this: ILoadOptionsFunctions) {
		return await listOf(this, '/service/sources');
	},
};

export const connectwiseListSearch = {
	/** Active service boards whose name contains the text, by name, paged. */
	async searchConnectWiseBoards(
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const text = (filter ?? '').trim();
		const page = Number(paginationToken) || 1;
		const result = await connectwiseClient(this).page<{ id: number; name: string }>(
			'/service/boards',
			{
				conditions: cw.and(
					cw.eq('inactiveFlag', false),
					text ? cw.contains('name', text) : undefined,
				),
				fields: ['id', 'name'],
				orderBy: 'name asc',
				page,
				pageSize: PICKER_PAGE_SIZE,
			},
		);
		return {
			results: result.items.map((board) => ({ name: board.name, value: String(board.id) })),
			paginationToken: result.hasMore ? String(page + 1) : undefined,
		};
	},

	/** Tickets this node opened (they carry an alert key), newest first, by summary or number. */
	async searchAlertTickets(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		if (this.getCurrentNodeParameter('psa') !== 'connectwise')
			return await searchAutotaskAlertTickets.call(this, filter);
		const text = (filter ?? '').trim();
		const result = await connectwiseClient(this).page<{
			id: number;
			summary?: string;
			externalXRef?: string;
		}>('/service/tickets', {
			conditions: cw.and(
				cw.startsWith('externalXRef', KEY_PREFIX),
				text
					? /^\d+$/.test(text)
						? cw.eq('id', Number(text))
						: cw.contains('summary', text)
					: undefined,
			),
			fields: ['id', 'summary', 'externalXRef'],
			orderBy: 'id desc',
			page: 1,
			pageSize: 100,
		});
		return {
			results: result.items
				.filter((row) => parseAlertKey(splitXRef(row.externalXRef)?.key))
				.map((row) => ({ name: `${row.id}: ${row.summary ?? ''}`, value: String(row.id) })),
		};
	},

	/** The catch-all company picker, in the chosen PSA. */
	async searchCompanies(
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		if (this.getCurrentNodeParameter('psa') !== 'connectwise')
			return await searchAutotaskCompanies.call(this, filter, paginationToken);
		const text = (filter ?? '').trim();
		const page = Number(paginationToken) || 1;
		const result = await connectwiseClient(this).page<{
			id: number;
			identifier: string;
			name: string;
		}>('/company/companies', {
			conditions: text
				? cw.or(cw.contains('name', text), cw.contains('identifier', text))
				: undefined,
			fields: ['id', 'identifier', 'name'],
			orderBy: 'name asc',
			page,
			pageSize: PICKER_PAGE_SIZE,
		});
		return {
			results: result.items.map((company) => ({
				name: `${company.name} (${company.identifier})`,
				value: String(company.id),
			})),
			paginationToken: result.hasMore ? String(page + 1) : undefined,
		};
	},
};
