import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { AUTOTASK_CONTACT_FIELDS, prepareContactWrite } from '../../../lib/contacts/autotask';
import { collectionParameter } from '../../shared/items';
import { fieldsCollection, manualFor } from '../../shared/descriptions';
import { optionalFields, textField } from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { writeByContact } from './write';

export const description: INodeProperties[] = [
	fieldsCollection(
		'update',
		[
			{ ...textField('emailAddress', 'Email', { placeholder: 'e.g. nathan@example.com' }) },
			textField('firstName', 'First Name'),
			textField('lastName', 'Last Name'),
			...optionalFields,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		'Only these fields are changed. An empty value leaves the field as it is; use Fields to Clear to empty a field.',
	),
	{
		displayName: 'Fields to Clear',
		name: 'fieldsToClear',
		type: 'multiOptions',
		default: [],
		description:
			'Fields to empty in Autotask. An empty value in Update Fields never clears anything; list the field here to clear it.',
		displayOptions: manualFor(['update']),
		options: AUTOTASK_CONTACT_FIELDS.filter((spec) => spec.clearable)
			.map((spec) => ({ name: spec.label, value: spec.field }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	},
];

/** Changes the given fields of a contact; blanks never clear, Fields to Clear does. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		writeByContact(run, 'update', (i) =>
			prepareContactWrite(collectionParameter(this, 'updateFields', i), {
				creating: false,
				clear: this.getNodeParameter('fieldsToClear', i, []) as string[],
			}),
		),
	);
}
