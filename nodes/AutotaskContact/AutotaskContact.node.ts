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
import { settle } from '../../lib/util/settled';
import { toNodeError } from '../shared/errors';
import { searchAutotaskCompanies } from '../shared/methods/autotaskCompanies';
import { autotaskPickerPage } from '../shared/methods/autotaskPickerPage';
import { createHttpClient } from '../shared/n8nHttpAdapter';
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
			searchCompanies: searchAutotaskCompanies,
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
				const page = await autotaskPickerPage<AutotaskContactRow>(
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
