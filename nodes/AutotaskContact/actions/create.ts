import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkCompanyId, prepareContactWrite } from '../../../lib/contacts/autotask';
import { listOrIdLocator, manualFor } from '../../shared/descriptions';
import { optionalFields, textField } from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { writeContact, writeItems } from './write';

const manual = manualFor(['create']);

export const description: INodeProperties[] = [
	{
		displayName: 'Company',
		name: 'company',
		...listOrIdLocator('searchCompanies', 'e.g. 174', 'Not an Autotask company ID (a number)'),
		description: 'The company the contact belongs to',
		required: true,
		displayOptions: manual,
	},
	{ ...textField('firstName', 'First Name'), required: true, displayOptions: manual },
	{ ...textField('lastName', 'Last Name'), required: true, displayOptions: manual },
	{
		...textField('emailAddress', 'Email', { placeholder: 'e.g. nathan@example.com' }),
		required: true,
		displayOptions: manual,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: manual,
		options: [
			{
				displayName: 'Active',
				name: 'active',
				type: 'boolean',
				default: true,
				description: 'Whether the contact is active',
			},
			...optionalFields,
		],
	},
];

/** Creates a contact in the chosen company (or applies "create" plan items). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		writeItems(run, 'create', async (i) => {
			const simplify = run.simplify(i);
			const companyId = checkCompanyId(
				this.getNodeParameter('company', i, '', { extractValue: true }),
			);
			const additional = { ...(this.getNodeParameter('additionalFields', i, {}) as IDataObject) };
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
		}),
	);
}
