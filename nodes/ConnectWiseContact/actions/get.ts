import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CONNECTWISE_CONTACT_PATH } from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact } from '../../../lib/contacts/connectwise';
import { ContactRun } from './contactRun';

/** Its only field is the contact (descriptions/contact.ts). */
export const description: INodeProperties[] = [];

/** One contact by ID. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) =>
		run.perItem(async (i) => {
			const id = run.contactId(i);
			const contact = await run.client.request<ConnectWiseContact>(
				'GET',
				`${CONNECTWISE_CONTACT_PATH}/${id}`,
				{ qs: { fields: run.fields(i)?.join(',') }, idempotent: true },
			);
			return [{ json: await run.output(contact, i) }];
		}),
	);
}
