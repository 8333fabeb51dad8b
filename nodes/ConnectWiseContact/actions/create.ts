import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkContactInput } from '../../../lib/contacts/connectwiseInput';
import { cleanText } from '../../../lib/contacts/normalize';
import { InputError } from '../../../lib/transport/http';
import { collectionParameter } from '../../shared/items';
import { settleOwnCreates } from '../../shared/settleCreates';
import {
	companyLocator,
	createEmail,
	fieldsCollection,
	manualFor,
	onlyInVersions,
} from '../../shared/descriptions';
import {
	fieldsFromVersion2,
	textField,
	version2Names,
	withAddressFields,
} from '../descriptions/contact';
import { ContactRun } from './contactRun';
import { stringFields, writeItems } from './write';

const phonesAndTitle = [
	textField('Mobile Phone', 'mobile', 'Stored as a communication item of the mobile type'),
	textField('Phone', 'phone', 'Stored as a communication item of the phone type'),
	{
		...textField('Title', 'title', 'Job title, up to 100 characters'),
		placeholder: 'e.g. IT Manager',
	},
];

export const description: INodeProperties[] = [
	companyLocator('e.g. 250'),
	{
		...textField('First Name', 'firstName', 'Up to 30 characters'),
		required: true,
		displayOptions: manualFor(['create']),
	},
	{
		...textField('Last Name', 'lastName', 'Optional in ConnectWise; up to 30 characters'),
		displayOptions: manualFor(['create']),
	},
	onlyInVersions([2], createEmail()),
	onlyInVersions([2], fieldsCollection('create', version2Names(withAddressFields(phonesAndTitle)))),
	// Version 1 had Email among the Additional Fields.
	onlyInVersions(
		[1],
		fieldsCollection(
			'create',
			withAddressFields([
				{
					...textField(
						'Email',
						'email',
						'Stored as the default communication item of the email type',
					),
					placeholder: 'e.g. nathan@example.com',
				},
				...phonesAndTitle,
			]),
		),
	),
];

/** Creates a contact in the chosen company, email and phones as communication items. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => {
		const outputs = await writeItems(run, 'create', async (i) => {
			const companyId = cleanText(this.getNodeParameter('company', i, '', { extractValue: true }));
			if (!companyId)
				throw new InputError(
					'Company',
					'Company is required to create a ConnectWise contact',
					'Pick the company from the list, or enter its numeric ID.',
				);
			const additional = fieldsFromVersion2(
				collectionParameter(this, 'additionalFields', i),
				run.version1,
			);
			const email = run.version1 ? additional.email : this.getNodeParameter('emailAddress', i, '');
			const input = checkContactInput(
				{
					...stringFields({ ...additional, email }),
					companyId,
					firstName: String(this.getNodeParameter('firstName', i, '')),
					lastName: String(this.getNodeParameter('lastName', i, '')),
				},
				{ creating: true },
			);
			return await run.output(await run.create(input, i), i);
		});
		// The run's own duplicates (a concurrent run created the same people) go right away.
		return await settleOwnCreates(this, outputs, run.created, run.duplicateStore(), run.secrets);
	});
}
