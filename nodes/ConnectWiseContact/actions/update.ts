import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkContactInput } from '../../../lib/contacts/connectwiseInput';
import { collectionParameter } from '../../shared/items';
import { fieldsCollection, onlyInVersions } from '../../shared/descriptions';
import {
	fieldsFromVersion2,
	textField,
	version2Names,
	withAddressFields,
} from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { stringFields, writeItems } from './write';

const fields = withAddressFields([
	textField('Company ID', 'companyId', 'Move the contact to this company'),
	{
		...textField(
			'Email',
			'email',
			"Replaces the default email item's address; other items are kept",
		),
		placeholder: 'e.g. nathan@example.com',
	},
	textField('First Name', 'firstName'),
	textField('Last Name', 'lastName'),
	textField('Mobile Phone', 'mobile', "Replaces the mobile item's number, or adds one"),
	textField('Phone', 'phone', "Replaces the phone item's number, or adds one"),
	{ ...textField('Title', 'title'), placeholder: 'e.g. IT Manager' },
]);

const BLANKS = 'Only these fields are changed. An empty value leaves the field as it is.';

export const description: INodeProperties[] = [
	onlyInVersions([2], fieldsCollection('update', version2Names(fields), BLANKS)),
	onlyInVersions([1], fieldsCollection('update', fields, BLANKS)),
];

/** Changes the given fields of a contact; blanks never clear anything. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		writeItems(run, 'update', async (i) => {
			const id = run.contactId(i);
			const values = fieldsFromVersion2(collectionParameter(this, 'updateFields', i), run.version1);
			const input = checkContactInput(stringFields(values), {
				creating: false,
				labels: { companyId: 'Company ID' },
			});
			return await run.output(await run.update(id, input, i), i);
		}),
	);
}
