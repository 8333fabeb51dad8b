import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkCompanyId, prepareContactWrite } from '../../../lib/contacts/autotask';
import { collectionParameter } from '../../shared/items';
import { settleOwnCreates } from '../../shared/settleCreates';
import {
	companyLocator,
	createEmail,
	fieldsCollection,
	manualFor,
} from '../../shared/descriptions';
import { optionalFields, textField } from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { duplicateStore, writeContact, writeItems } from './write';

export const description: INodeProperties[] = [
	companyLocator('e.g. 174'),
	{
		...textField('firstName', 'First Name'),
		required: true,
		displayOptions: manualFor(['create']),
	},
	{
		...textField('lastName', 'Last Name', { description: 'Autotask requires one' }),
		required: true,
		displayOptions: manualFor(['create']),
	},
	createEmail(),
	fieldsCollection('create', [
		{
			displayName: 'Active',
			name: 'active',
			type: 'boolean',
			default: true,
			description: 'Whether the contact is active',
		},
		...optionalFields,
	]),
];

/** Creates a contact in the chosen company (or applies "create" plan items). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => {
		const outputs = await writeItems(run, 'create', async (i) => {
			const simplify = run.simplify(i);
			const companyId = checkCompanyId(
				this.getNodeParameter('company', i, '', { extractValue: true }),
			);
			const additional = { ...collectionParameter(this, 'additionalFields', i) };
			const active = additional.active !== false;
			delete additional.active;
			const write = prepareContactWrite(
				{
					firstName: this.getNodeParameter('firstName', i, ''),
					lastName: this.getNodeParameter('lastName', i, ''),
					emailAddress: this.getNodeParameter('emailAddress', i, ''),
					...additional,
				},
				{ creating: true, active },
			);
			return await writeContact(run, i, companyId, undefined, write, { simplify });
		});
		// The run's own duplicates (a concurrent run created the same people) go right away.
		return await settleOwnCreates(this, outputs, run.created, duplicateStore(run), run.secrets);
	});
}
