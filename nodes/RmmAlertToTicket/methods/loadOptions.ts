import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { AutotaskClient, AutotaskPicklistValue } from '../../../lib/transport/autotask';
import { settle } from '../../../lib/util/settled';
import { autotaskClient, dattoClient } from '../clients';

async function picklistValues(
	ctx: ILoadOptionsFunctions,
	entity: string,
	field: string,
	client: AutotaskClient = autotaskClient(ctx),
): Promise<AutotaskPicklistValue[]> {
	return (await client.picklist(entity, field)).sort(
		(a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.label.localeCompare(b.label),
	);
}

/** A tenant picklist as options: shown by label, stored by id. */
async function picklistOptions(
	ctx: ILoadOptionsFunctions,
	entity: string,
	field: string,
): Promise<INodePropertyOptions[]> {
	return (await picklistValues(ctx, entity, field)).map((value) => ({
		name: value.label,
		value: value.value,
	}));
}

/** A load-options method for one tenant picklist. */
const picklist = (entity: string, field: string) =>
	async function (this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return await picklistOptions(this, entity, field);
	};

export const getQueues = picklist('Tickets', 'queueID');
export const getIssueTypes = picklist('Tickets', 'issueType');
export const getTicketTypes = picklist('Tickets', 'ticketType');
export const getSources = picklist('Tickets', 'source');
export const getStatuses = picklist('Tickets', 'status');
export const getPriorities = picklist('Tickets', 'priority');
export const getNoteTypes = picklist('TicketNotes', 'noteType');
export const getNotePublish = picklist('TicketNotes', 'publish');

/** Sub-issue types, each named after its issue type. */
export async function getSubIssueTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const client = autotaskClient(this);
	const issueTypes = new Map(
		(await picklistValues(this, 'Tickets', 'issueType', client)).map((value) => [
			value.value,
			value.label,
		]),
	);
	return (await picklistValues(this, 'Tickets', 'subIssueType', client)).map((value) => ({
		name:
			value.parentValue && issueTypes.has(value.parentValue)
				? `${issueTypes.get(value.parentValue)} › ${value.label}`
				: value.label,
		value: value.value,
	}));
}

export async function getWorkTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fromPicklist = await picklistOptions(this, 'Tickets', 'billingCodeID');
	if (fromPicklist.length) return fromPicklist;
	// Tenants that expose work types only as the BillingCodes entity.
	const rows = await settle(
		autotaskClient(this).query<{ id: number; name?: string; isActive?: boolean }>('BillingCodes', {
			filter: [{ op: 'eq', field: 'isActive', value: true }],
			includeFields: ['id', 'name', 'isActive'],
		}),
	);
	return rows.ok
		? rows.value.map((row) => ({ name: String(row.name ?? row.id), value: String(row.id) }))
		: [];
}

/** Datto RMM sites by name, each saying which Autotask company Datto maps it to. */
export async function getDattoSites(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const sites = await dattoClient(this).listSites();
	return sites
		.map((site) => ({
			name: site.name ?? site.uid,
			value: site.uid,
			description: site.autotaskCompanyName
				? `Autotask: ${site.autotaskCompanyName}`
				: 'Not mapped to an Autotask company',
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
