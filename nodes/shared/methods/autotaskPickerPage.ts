import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { AutotaskClient } from '../../../lib/transport/autotask';
import type { AutotaskFilter, AutotaskPage } from '../../../lib/transport/autotask';
import { createHttpClient } from '../n8nHttpAdapter';

/** The credential every Autotask picker reads with. */
export const AUTOTASK_CREDENTIAL = 'autotaskApi';

const PICKER_PAGE_SIZE = 50;

/**
 * One page of an Autotask picker: the first query, or the next page Autotask linked (asked with
 * the same body). n8n hands the link back as the pagination token.
 */
export async function autotaskPickerPage<T>(
	ctx: ILoadOptionsFunctions,
	entity: string,
	filter: AutotaskFilter[],
	includeFields: string[],
	paginationToken?: string,
): Promise<{ items: T[]; next?: string }> {
	let url = `/${entity}/query`;
	if (paginationToken) {
		// Only a next-page link of this entity, sent to the credential's own zone: a token is never a free URL.
		const next = new RegExp(`/V1\\.0(/${entity}/query/next\\?[^#]*)$`, 'i').exec(
			paginationToken,
		)?.[1];
		if (!next) return { items: [] };
		url = next;
	}
	const client = new AutotaskClient(createHttpClient(ctx, AUTOTASK_CREDENTIAL));
	const body = { MaxRecords: PICKER_PAGE_SIZE, IncludeFields: includeFields, filter };
	const page = await client.request<AutotaskPage<T>>('POST', url, { body, idempotent: true });
	return { items: page.items ?? [], next: page.pageDetails?.nextPageUrl ?? undefined };
}
