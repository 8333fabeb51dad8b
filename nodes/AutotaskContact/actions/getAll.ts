import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { contactFilter } from '../../../lib/contacts/autotask';
import type { AutotaskContact, ContactFilters } from '../../../lib/contacts/autotask';
import { cleanText } from '../../../lib/contacts/normalize';
import { parseRawAutotaskFilter } from '../../../lib/transport/autotask';
import { collectionParameter, companyFilterContext } from '../../shared/items';
import { getManyProperties, modifiedSinceFilter, statusFilter } from '../../shared/descriptions';
import { ContactRun } from './contactRun';

export const description = getManyProperties([
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 174',
		description: 'Only contacts of this company',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. nathan@example.com',
		description: 'Only contacts with this address in Email, Email 2 or Email 3 (any case)',
	},
	modifiedSinceFilter,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Ann Lee',
		description: 'Only contacts whose first or last name contains this text',
	},
	{
		displayName: 'Raw Autotask Filter',
		name: 'rawFilter',
		type: 'json',
		default: '',
		placeholder: '[{"op":"eq","field":"title","value":"CEO"}]',
		description:
			'Extra conditions in Autotask\'s query syntax (an array of {op, field, value} or {op: "and"|"or", items}), combined with the other filters',
	},
	statusFilter,
]);

/** The contacts matching the filters, paged through Autotask until the limit. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => {
		run.withLimits = true;
		return await run.perItem(
			3,
			async (i) => {
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const limit = returnAll ? undefined : (this.getNodeParameter('limit', i, 50) as number);
				const raw = collectionParameter(this, 'filters', i);
				const filters: ContactFilters = {
					companyId: cleanText(raw.companyId) || undefined,
					email: cleanText(raw.email) || undefined,
					status: (raw.status as ContactFilters['status']) ?? 'all',
					name: cleanText(raw.name) || undefined,
					modifiedSince: cleanText(raw.modifiedSince) || undefined,
				};
				const filter = [
					...contactFilter(filters),
					...parseRawAutotaskFilter(raw.rawFilter ?? '', 'Raw Autotask Filter'),
				];
				const simplify = run.simplify(i);
				const contacts = await run.client.query<AutotaskContact>('Contacts', { filter, limit });
				return contacts.map((contact) => run.later(contact, simplify));
			},
			undefined,
			companyFilterContext(this),
		);
	});
}
