import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	CANONICAL_CONTACT_FIELDS,
	CONNECTWISE_CONTACT_PATH,
	contactEmails,
} from '../../../lib/contacts/connectwise';
import type { ConnectWiseContact } from '../../../lib/contacts/connectwise';
import { addressesToFind, lookUpByEmail } from '../../../lib/contacts/findByEmail';
import { chunkEmailLookups, cw, emailChildConditions } from '../../../lib/transport/connectwise';
import { collectionParameter } from '../../shared/items';
import { findEmail, findOptions, onlyInVersions } from '../../shared/descriptions';
import { findByEmailItems } from '../../shared/findByEmail';
import { ContactRun } from './contactRun';

export const description: INodeProperties[] = [
	findEmail('in the email items'),
	onlyInVersions([2], findOptions()),
];

/** The whole input in a few calls: one childConditions query per URL-sized batch of addresses. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => {
		const items = this.getInputData();
		const { wanted, distinct } = addressesToFind(
			items.map((_item, i) => this.getNodeParameter('email', i, '')),
		);
		const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
		// Version 1: Options > Include Not Found, off by default; version 2: Find Options, as Autotask Contact.
		const optionsOf = (i: number) =>
			collectionParameter(this, run.version1 ? 'options' : 'findOptions', i);
		const outputNotFound = run.version1
			? (i: number) => optionsOf(i).includeNotFound === true
			: (i: number) => optionsOf(i).outputNotFound !== false;
		const activeOnly = !run.version1 && optionsOf(0).activeOnly === true;
		const found = await lookUpByEmail<ConnectWiseContact>({
			batches: chunkEmailLookups(distinct),
			query: async (batch) =>
				await run.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
					childConditions: emailChildConditions([...batch]),
					...(activeOnly ? { conditions: cw.eq('inactiveFlag', false) } : {}),
					fields: simplify ? CANONICAL_CONTACT_FIELDS : undefined,
				}),
			addressesOf: contactEmails,
		});
		return await run.perItem(
			findByEmailItems(wanted, found, {
				outputNotFound,
				found: async (contact, email, i) => ({
					json: { ...(await run.output(contact, i)), found: true, matchedEmail: email },
				}),
			}),
		);
	});
}
