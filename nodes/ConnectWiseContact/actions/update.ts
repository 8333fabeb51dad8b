import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkContactId, checkContactInput } from '../../../lib/contacts/connectwiseInput';
import { collectionParameter } from '../../shared/items';
import { fieldsCollection } from '../../shared/descriptions';
import { textField, withAddressFields } from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { stringFields, writeItems } from './write';

export const description: INodeProperties[] = [
	fieldsCollection(
		'update',
		withAddressFields([
			textField('Company ID', 'companyId', 'Move the contact to this company'),
			{
				...textField(
					'Email',
					'email',
					"Replaces the default email item's address; other items are kept",
				),
				placeholder: 'name@email.com',
			},
			textField('First Name', 'firstName'),
			textField('Last Name', 'lastName'),
			textField('Mobile', 'mobile', "Replaces the mobile item's number, or adds one"),
			textField('Phone', 'phone', "Replaces the phone item's number, or adds one"),
			textField('Title', 'title'),
		]),
		'Blank values are skipped: they never clear a field',
	),
];

/** Changes the given fields of a contact; blanks never clear anything. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		writeItems(run, 'update', async (i) => {
			const id = checkContactId(this.getNodeParameter('contact', i, '', { extractValue: true }));
			const fields = collectionParameter(this, 'updateFields', i);
			const input = checkContactInput(stringFields(fields), {
				creating: false,
				labels: { companyId: 'Company ID' },
			});
			return await run.output(await run.update(id, input, i), i);
		}),
	);
}
