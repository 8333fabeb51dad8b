import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { contactEmails } from '../../../lib/contacts/autotask';
import type { AutotaskContact } from '../../../lib/contacts/autotask';
import { addressesToFind, lookUpByEmail } from '../../../lib/contacts/findByEmail';
import {
	AUTOTASK_CONTACT_EMAIL_FIELDS,
	chunkForOrLimit,
	contactEmailFilter,
} from '../../../lib/transport/autotask';
import type { AutotaskFilter } from '../../../lib/transport/autotask';
import { collectionParameter } from '../../shared/items';
import { findEmail, findOptions } from '../../shared/descriptions';
import { findByEmailItems } from '../../shared/findByEmail';
import { ContactRun } from './contactRun';

export const description: INodeProperties[] = [
	findEmail('in Email, Email 2 and Email 3'),
	findOptions(),
];

/** Every input item's address looked up together: `in` filters, split at Autotask's 500-condition limit. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const optionsOf = (itemIndex: number) => collectionParameter(this, 'findOptions', itemIndex);
	return await ContactRun.execute(this, async (run) => {
		const count = this.getInputData().length;
		const { wanted, distinct } = addressesToFind(
			Array.from({ length: count }, (_, i) => this.getNodeParameter('email', i, '')),
		);
		const activeOnly = optionsOf(0).activeOnly === true;
		const found = await lookUpByEmail<AutotaskContact>({
			batches: chunkForOrLimit(distinct, AUTOTASK_CONTACT_EMAIL_FIELDS.length),
			query: async (batch) => {
				const filter: AutotaskFilter[] = [contactEmailFilter([...batch])];
				if (activeOnly) filter.push({ op: 'eq', field: 'isActive', value: 1 });
				return await run.client.query<AutotaskContact>('Contacts', { filter });
			},
			addressesOf: contactEmails,
		});
		return await run.perItem(
			1,
			findByEmailItems(wanted, found, {
				outputNotFound: (i) => optionsOf(i).outputNotFound !== false,
				found: (contact, email, i) =>
					run.later(contact, run.simplify(i), { found: true, matchedEmail: email }),
			}),
		);
	});
}
