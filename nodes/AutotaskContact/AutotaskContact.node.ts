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
import type { AutotaskFilter } from '../../lib/transport/autotask';
import { settle } from '../../lib/transport/http';
import { toNodeError } from '../shared/errors';
import { createHttpClient } from '../shared/transport';
import { ContactRun } from './actions';
import { contactFields, contactOperations } from './description';
import { checkApiUserPermissions } from './permissions';

const CREDENTIAL = 'autotaskApi';

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
			async searchCompanies(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const client = new AutotaskClient(createHttpClient(this, CREDENTIAL));
				const text = cleanText(filter);
				const conditions: AutotaskFilter[] = [{ op: 'eq', field: 'isActive', value: true }];
				if (text) conditions.push({ op: 'contains', field: 'companyName', value: text });
				const companies = await client.query<{ id: number; companyName?: string }>('Companies', {
					filter: conditions,
					includeFields: ['id', 'companyName'],
					limit: 100,
				});
				return {
					results: companies
						.map((company) => ({ name: `${String(company.companyName ?? '')} (${company.id})`, value: String(company.id) }))
						.sort((a, b) => a.name.localeCompare(b.name)),
				};
			},
			async searchContacts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const client = new AutotaskClient(createHttpClient(this, CREDENTIAL));
				const text = cleanText(filter);
				const conditions: AutotaskFilter[] = text
					? [
							{
								op: 'or',
								items: ['firstName', 'lastName', 'emailAddress'].map((field) => ({ op: 'contains', field, value: text })),
							},
						]
					: [];
				const contacts = await client.query<AutotaskContactRow>('Contacts', {
					filter: conditions,
					includeFields: ['id', 'firstName', 'lastName', 'emailAddress'],
					limit: 100,
				});
				return {
					results: contacts.map((contact) => ({
						name: `${cleanText(`${contact.firstName ?? ''} ${contact.lastName ?? ''}`)}${contact.emailAddress ? ` (${contact.emailAddress})` : ''}`,
						value: String(contact.id),
					})),
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
