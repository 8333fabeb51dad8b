import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { CONNECTWISE_CONTACT_PATH, connectWiseToCanonical } from '../../lib/contacts/connectwise';
import type { ConnectWiseContact as ContactRecord } from '../../lib/contacts/connectwise';
import { cleanText } from '../../lib/contacts/normalize';
import { ConnectWiseClient, cw } from '../../lib/transport/connectwise';
import { createHttpClient } from '../shared/n8nHttpAdapter';
import { contactFields, contactOperations } from './description';
import { CREDENTIAL, executeContact } from './operations';

const PICKER_PAGE_SIZE = 50;

export class ConnectWiseContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ConnectWise Contact',
		name: 'connectWiseContact',
		icon: {
			light: 'file:../../icons/connectwise.svg',
			dark: 'file:../../icons/connectwise.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, find, update and deactivate ConnectWise Manage (PSA) contacts, emails and phones included',
		defaults: { name: 'ConnectWise Contact' },
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
				const client = new ConnectWiseClient(createHttpClient(this, CREDENTIAL));
				const page = Number(paginationToken) || 1;
				const text = cleanText(filter);
				const result = await client.page<{ id: number; identifier: string; name: string }>(
					'/company/companies',
					{
						conditions: text
							? cw.or(cw.contains('name', text), cw.contains('identifier', text))
							: undefined,
						fields: ['id', 'identifier', 'name'],
						orderBy: 'name asc',
						page,
						pageSize: PICKER_PAGE_SIZE,
					},
				);
				return {
					results: result.items.map((company) => ({
						name: `${company.name} (${company.identifier})`,
						value: String(company.id),
					})),
					paginationToken: result.hasMore ? String(page + 1) : undefined,
				};
			},

			async searchContacts(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const client = new ConnectWiseClient(createHttpClient(this, CREDENTIAL));
				const page = Number(paginationToken) || 1;
				const text = cleanText(filter);
				const byAddress = text.includes('@');
				const words = byAddress ? [] : text.split(' ').filter(Boolean);
				const result = await client.page<ContactRecord>(CONNECTWISE_CONTACT_PATH, {
					conditions:
						cw.and(
							...words.map((word) =>
								cw.or(cw.contains('firstName', word), cw.contains('lastName', word)),
							),
						) || undefined,
					childConditions: byAddress ? cw.contains('communicationItems/value', text) : undefined,
					fields: ['id', 'firstName', 'lastName', 'inactiveFlag', 'company', 'communicationItems'],
					orderBy: 'lastName asc, firstName asc',
					page,
					pageSize: PICKER_PAGE_SIZE,
				});
				return {
					results: result.items.map((contact) => {
						const canonical = connectWiseToCanonical(contact);
						const name =
							[canonical.firstName, canonical.lastName].filter(Boolean).join(' ') ||
							`#${contact.id}`;
						const details = [
							canonical.email,
							contact.company?.name,
							canonical.active ? '' : 'inactive',
						]
							.filter(Boolean)
							.join(', ');
						return { name: details ? `${name} (${details})` : name, value: String(contact.id) };
					}),
					paginationToken: result.hasMore ? String(page + 1) : undefined,
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeContact(this);
	}
}
