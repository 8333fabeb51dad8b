import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { AutotaskContact as AutotaskContactRow } from '../../lib/contacts/autotask';
import { cleanText } from '../../lib/contacts/normalize';
import { AutotaskClient } from '../../lib/transport/autotask';
import type { AutotaskFilter, AutotaskPage } from '../../lib/transport/autotask';
import { settle } from '../../lib/util/settled';
import { toNodeError } from '../shared/errors';
import { createHttpClient } from '../shared/n8nHttpAdapter';
import { ContactRun } from './actions';
import { contactFields, contactOperations } from './description';
import { checkApiUserPermissions } from './permissions';

const CREDENTIAL = 'autotaskApi';
const PICKER_PAGE_SIZE = 50;

/** One page of a picker: the first query, or the next page Autotask linked (asked with the same body). */
async function pickerPage<T>(
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
	const client = new AutotaskClient(createHttpClient(ctx, CREDENTIAL));
	const body = { MaxRecords: PICKER_PAGE_SIZE, IncludeFields: includeFields, filter };
	const page = await client.request<AutotaskPage<T>>('POST', url, { body, idempotent: true });
	return { items: page.items ?? [], next: page.pageDetails?.nextPageUrl ?? undefined };
}

export class AutotaskContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Autotask Contact',
		name: 'autotaskContact',
		icon: { light: 'file:../../icons/autotask.svg', dark: 'file:../../icons/autotask.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Read and write Autotask PSA contacts, with Autotask's quirks handled",
		defaults: { name: 'Autotask Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL, required: true }],
		properties: [...contactOperations, ...contactFields],
	};

	methods = {
		listSearch: {
			async searchCompanies(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const text = cleanText(filter);
				const conditions: AutotaskFilter[] = [{ op: 'eq', field: 'isActive', value: true }];
				if (text) conditions.push({ op: 'contains', field: 'companyName', value: text });
				const page = await pickerPage<{ id: number; companyName?: string }>(
					this,
					'Companies',
					conditions,
					['id', 'companyName'],
					paginationToken,
				);
				return {
					results: page.items
						.map((company) => ({
							name: `${String(company.companyName ?? '')} (${company.id})`,
							value: String(company.id),
						}))
						.sort((a, b) => a.name.localeCompare(b.name)),
					paginationToken: page.next,
				};
			},
			async searchContacts(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const text = cleanText(filter);
				const conditions: AutotaskFilter[] = text
					? [
							{
								op: 'or',
								items: ['firstName', 'lastName', 'emailAddress'].map((field) => ({
									op: 'contains',
									field,
									value: text,
								})),
							},
						]
					: [{ op: 'exist', field: 'id' }];
				const page = await pickerPage<AutotaskContactRow>(
					this,
					'Contacts',
					conditions,
					['id', 'firstName', 'lastName', 'emailAddress'],
					paginationToken,
				);
				return {
					results: page.items.map((contact) => ({
						name: `${cleanText(`${contact.firstName ?? ''} ${contact.lastName ?? ''}`)}${contact.emailAddress ? ` (${contact.emailAddress})` : ''}`,
						value: String(contact.id),
					})),
					paginationToken: page.next,
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const http = createHttpClient(this, CREDENTIAL);
		const client = new AutotaskClient(http);
		if (operation === 'checkPermissions') {
			// One check per execution, whatever the number of input items.
			const checked = await settle(checkApiUserPermissions(client));
			if (!checked.ok) throw toNodeError(this.getNode(), checked.error, undefined, http.secrets());
			return [checked.value.map((json) => ({ json, pairedItem: { item: 0 } }))];
		}
		const ran = await settle(new ContactRun(this, client, () => http.secrets()).run(operation));
		if (!ran.ok) throw toNodeError(this.getNode(), ran.error, undefined, http.secrets());
		return ran.value;
	}
}
