import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CONNECTWISE_CONTACT_PATH } from '../../../lib/contacts/connectwise';
import { ContactRun } from './contactRun';

/** Its only field is the contact (descriptions/contact.ts). */
export const description: INodeProperties[] = [];

/** Deletes a contact. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		run.perItem(async (i) => {
			const id = run.contactId(i);
			await run.client.delete(`${CONNECTWISE_CONTACT_PATH}/${id}`);
			return [{ json: { deleted: true } }];
		}),
	);
}
