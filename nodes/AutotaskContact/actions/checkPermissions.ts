import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { AutotaskContact } from '../../../lib/contacts/autotask';
import type { AutotaskClient, AutotaskEntityInfo } from '../../../lib/transport/autotask';
import { settle } from '../../../lib/util/settled';
import { ContactRun } from './contactRun';

/** The check has no fields: it needs only the credential. */
export const description: INodeProperties[] = [];

/** One check per execution, whatever the number of input items: one output item per permission. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await ContactRun.execute(this, async (run) => [
		(await checkApiUserPermissions(run.client)).map((json) => ({ json, pairedItem: { item: 0 } })),
	]);
}

type Access = 'query' | 'create' | 'update';

interface Probe {
	permission: string;
	entity: string;
	access: Access;
	/** Why the package needs it. */
	neededFor: string;
	/** The Autotask security-level area holding the right. */
	area: string;
}

const SECURITY_LEVELS = 'Admin > Features & Settings > Resources/Users (HR) > Security Levels';

const PROBES: Probe[] = [
	{
		permission: 'Read contacts',
		entity: 'Contacts',
		access: 'query',
		neededFor: 'Get, Get Many, Find by Email, Contact Reconcile targets',
		area: 'CRM > Contacts',
	},
	{
		permission: 'Create contacts',
		entity: 'Contacts',
		access: 'create',
		neededFor: 'Create; Contact Reconcile "create"',
		area: 'CRM > Contacts',
	},
	{
		permission: 'Update contacts',
		entity: 'Contacts',
		access: 'update',
		neededFor: 'Update, Deactivate, Reactivate',
		area: 'CRM > Contacts',
	},
	{
		permission: 'Read companies',
		entity: 'Companies',
		access: 'query',
		neededFor: 'company pickers, labels, RMM site mapping',
		area: 'CRM > Companies (Accounts)',
	},
	{
		permission: 'Read resources',
		entity: 'Resources',
		access: 'query',
		neededFor: 'Act As (Resource Email), ticket ownership by email',
		area: 'Admin > Resources/Users',
	},
	{
		permission: 'Create tickets',
		entity: 'Tickets',
		access: 'create',
		neededFor: 'RMM Alert to Ticket',
		area: 'Service Desk > Tickets',
	},
	{
		permission: 'Update tickets',
		entity: 'Tickets',
		access: 'update',
		neededFor: 'RMM Alert to Ticket (completing tickets)',
		area: 'Service Desk > Tickets',
	},
	{
		permission: 'Create ticket notes',
		entity: 'TicketNotes',
		access: 'create',
		neededFor: 'RMM Alert to Ticket (notes on repeated alerts)',
		area: 'Service Desk > Ticket Notes',
	},
	{
		permission: 'Read configuration items',
		entity: 'ConfigurationItems',
		access: 'query',
		neededFor: 'RMM Alert to Ticket (device matching)',
		area: 'CRM > Configuration Items',
	},
];

const ACCESS_KEY: Record<Access, keyof AutotaskEntityInfo> = {
	query: 'userAccessForQuery',
	create: 'userAccessForCreate',
	update: 'userAccessForUpdate',
};

/**
 * Probes what the package needs without writing anything: the API user's access per entity
 * (entityInformation), picklists (Tickets field metadata) and protected data (a contact with an
 * address must show it). One output item per permission, with where to fix it.
 */
async function checkApiUserPermissions(client: AutotaskClient): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const infos = new Map<string, Promise<Awaited<ReturnType<typeof settle<AutotaskEntityInfo>>>>>();
	for (const probe of PROBES) {
		if (!infos.has(probe.entity))
			infos.set(probe.entity, settle(client.entityInformation(probe.entity)));
		const info = await infos.get(probe.entity)!;
		const fix = `${SECURITY_LEVELS}: edit the API user's security level and allow ${verb(probe.access)} under ${probe.area} (for API-only levels also under Web Services API).`;
		if (!info.ok) {
			out.push(
				result(
					probe.permission,
					probe.entity,
					false,
					'fail',
					`Autotask refused to describe ${probe.entity}: ${message(info.error)}`,
					fix,
					probe.neededFor,
				),
			);
			continue;
		}
		const granted = String(info.value[ACCESS_KEY[probe.access]] ?? 'None');
		const passed = granted !== '' && granted.toLowerCase() !== 'none';
		const detail = passed
			? `The API user has "${granted}" ${verb(probe.access)} access to ${probe.entity}${granted.toLowerCase() === 'restricted' ? ' (limited to some records)' : ''}`
			: `The API user has no ${verb(probe.access)} access to ${probe.entity}`;
		out.push(
			result(
				probe.permission,
				probe.entity,
				passed,
				passed ? 'pass' : 'fail',
				detail,
				passed ? '' : fix,
				probe.neededFor,
				granted,
			),
		);
	}

	const picklists = await settle(client.fields('Tickets'));
	const statusValues = picklists.ok
		? (picklists.value.find((field) => field.name === 'status')?.picklistValues ?? [])
		: [];
	out.push(
		result(
			'Read picklists',
			'Tickets',
			statusValues.length > 0,
			statusValues.length > 0 ? 'pass' : 'fail',
			picklists.ok
				? statusValues.length > 0
					? `Ticket field metadata is readable (${statusValues.length} statuses)`
					: 'Ticket field metadata came back without status values'
				: `Autotask refused the ticket field metadata: ${message(picklists.error)}`,
			statusValues.length > 0
				? ''
				: `${SECURITY_LEVELS}: allow the API user's security level to view Tickets (Service Desk).`,
			'queue, status, priority, issue type and note type labels',
		),
	);

	// Protected data: a contact that has an address must show it to the API user.
	const sample = await settle(
		client.query<AutotaskContact>('Contacts', {
			filter: [{ op: 'exist', field: 'emailAddress' }],
			includeFields: ['id', 'emailAddress', 'phone'],
			limit: 1,
		}),
	);
	const protectedFix = `${SECURITY_LEVELS} / Protected Data Permission: allow the API user's security level to view protected data (contact email addresses and phone numbers).`;
	if (!sample.ok) {
		out.push(
			result(
				'Read protected contact data',
				'Contacts',
				false,
				'fail',
				`Autotask refused the contact query: ${message(sample.error)}`,
				protectedFix,
				'matching contacts by email',
			),
		);
	} else if (!sample.value.length) {
		out.push(
			result(
				'Read protected contact data',
				'Contacts',
				true,
				'unknown',
				'No contact with an email address exists to test with; nothing was written to find out',
				'',
				'matching contacts by email',
			),
		);
	} else {
		const visible = !!sample.value[0].emailAddress;
		out.push(
			result(
				'Read protected contact data',
				'Contacts',
				visible,
				visible ? 'pass' : 'fail',
				visible
					? 'Contact email addresses are visible to the API user'
					: `Contact ${sample.value[0].id} has an email address, but Autotask returns it blank to the API user`,
				visible ? '' : protectedFix,
				'matching contacts by email',
			),
		);
	}
	return out;
}

function verb(access: Access): string {
	return access === 'query'
		? 'view (query)'
		: access === 'create'
			? 'add (create)'
			: 'edit (update)';
}

function message(error: unknown): string {
	return error instanceof Error ? error.message.replace(/^Autotask: /, '') : String(error);
}

function result(
	permission: string,
	entity: string,
	passed: boolean,
	status: 'pass' | 'fail' | 'unknown',
	detail: string,
	fix: string,
	neededFor: string,
	access?: string,
): IDataObject {
	const out: IDataObject = { permission, entity, passed, status, detail, neededFor };
	if (access !== undefined) out.access = access;
	out.fix = fix;
	return out;
}
