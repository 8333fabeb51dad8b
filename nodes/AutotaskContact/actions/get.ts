import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkContactId } from '../../../lib/contacts/autotask';
import type { AutotaskContact } from '../../../lib/contacts/autotask';
import { ContactRun, contactNotFound } from './contactRun';

/** Its only field is the contact (descriptions/contact.ts). */
export const description: INodeProperties[] = [];

/** One contact by ID. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		run.perItem(3, async (i) => {
			const id = checkContactId(this.getNodeParameter('contactId', i, '', { extractValue: true }));
			const contact = await run.client.get<AutotaskContact>('Contacts', id);
			if (!contact) throw contactNotFound(id);
			return [run.later(contact, run.simplify(i))];
		}),
	);
}
