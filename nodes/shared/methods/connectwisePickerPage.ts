import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ConnectWiseClient } from '../../../lib/transport/connectwise';
import { createHttpClient } from '../n8nHttpAdapter';

/** The credential every ConnectWise picker reads with. */
export const CONNECTWISE_PICKER_CREDENTIAL = 'connectWiseManageApi';

const PICKER_PAGE_SIZE = 50;

export interface PickerQuery {
	conditions?: string;
	childConditions?: string;
	fields: string[];
	orderBy: string;
}

/** One page of a ConnectWise picker: n8n hands back the next page number as the pagination token. */
export async function connectwisePickerPage<T>(
	ctx: ILoadOptionsFunctions,
	path: string,
	query: PickerQuery,
	paginationToken: string | undefined,
	toResult: (row: T) => INodeListSearchResult['results'][number],
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const client = new ConnectWiseClient(createHttpClient(ctx, CONNECTWISE_PICKER_CREDENTIAL));
	const result = await client.page<T>(path, { ...query, page, pageSize: PICKER_PAGE_SIZE });
	return {
		results: result.items.map(toResult),
		paginationToken: result.hasMore ? String(page + 1) : undefined,
	};
}
