import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	autotaskToCanonical,
	checkContactId,
	checkContactLengths,
	companyContactsPath,
	contactBody,
	contactEmails,
	planToWrite,
	prepareContactWrite,
	truncateContactWrite,
} from '../../../lib/contacts/autotask';
import type { AutotaskContact, ContactWrite } from '../../../lib/contacts/autotask';
import type { ContactPlanItem } from '../../../lib/contacts/canonical';
import { lookUpByEmail } from '../../../lib/contacts/findByEmail';
import type { TruncatedValue } from '../../../lib/contacts/fieldLimits';
import { cleanText, isBlank, normalizeEmail } from '../../../lib/contacts/normalize';
import {
	planCompanyId,
	planItemContext,
	planItemSubject,
	planTargetId,
	readPlanItem,
	WRITE_SUMMARY,
} from '../../../lib/reconcile/planItem';
import type { DuplicateStore } from '../../../lib/reconcile/syncDuplicates';
import {
	AUTOTASK_CONTACT_EMAIL_FIELDS,
	chunkForOrLimit,
	contactEmailFilter,
	isImpersonationRefusal,
} from '../../../lib/transport/autotask';
import { InputError } from '../../../lib/transport/http';
import { settle } from '../../../lib/util/settled';
import type { RoutedJson } from '../../shared/items';
import type { ContactRun } from './contactRun';
import { contactNotFound } from './contactRun';

/** Items written at once; the transport still keeps Autotask's 3 threads per endpoint. */
const WRITE_CONCURRENCY = 3;

const ACT_AS = 'Act As (Resource Email)';

export type WriteOperation = 'create' | 'update' | 'deactivate' | 'reactivate';

/** Who a write was made as: the resource named by "Act As", or the credential's default. */
interface ActAs extends IDataObject {
	email: string;
	resourceId: number | null;
	applied: boolean;
	reason: string;
}

/**
 * Runs a write operation: an item applies its plan item when "From Contact Reconcile" is on,
 * otherwise `manual` writes it from the node's fields.
 */
export async function writeItems(
	run: ContactRun,
	operation: WriteOperation,
	manual: (itemIndex: number) => Promise<RoutedJson>,
): Promise<INodeExecutionData[][]> {
	return await run.perItem(
		WRITE_CONCURRENCY,
		async (itemIndex) =>
			fromReconcile(run, itemIndex)
				? [await applyPlanItem(run, operation, itemIndex)]
				: [await manual(itemIndex)],
		{
			...WRITE_SUMMARY,
			subject: (itemIndex) => planItemSubject(run.ctx.getInputData()[itemIndex]?.json),
			context: (itemIndex) => planItemContext(run.ctx.getInputData()[itemIndex]?.json),
		},
	);
}

/**
 * Update, Deactivate and Reactivate: the contact each item names is written through its company,
 * and the companies of all of them are looked up at once.
 */
export async function writeByContact(
	run: ContactRun,
	operation: Exclude<WriteOperation, 'create'>,
	prepare: (itemIndex: number) => ContactWrite,
): Promise<INodeExecutionData[][]> {
	const companies = fromReconcile(run, 0)
		? new Map<number, string>()
		: await companiesOfInputContacts(run);
	return await writeItems(run, operation, async (itemIndex) => {
		const simplify = run.simplify(itemIndex);
		const id = checkContactId(
			run.ctx.getNodeParameter('contactId', itemIndex, '', { extractValue: true }),
		);
		const companyId = companies.get(id);
		if (companyId === undefined) throw contactNotFound(id);
		return await writeContact(run, itemIndex, companyId, id, prepare(itemIndex), { simplify });
	});
}

function fromReconcile(run: ContactRun, itemIndex: number): boolean {
	return run.ctx.getNodeParameter('fromReconcile', itemIndex, false) as boolean;
}

/**
 * Writes one contact (after the length check and Act As): creates it when `id` is undefined,
 * otherwise changes it; its output item is filled in when the run completes.
 */
export async function writeContact(
	run: ContactRun,
	itemIndex: number,
	companyId: string,
	id: number | undefined,
	write: ContactWrite,
	output: { simplify: boolean; plan?: ContactPlanItem },
): Promise<RoutedJson> {
	const { client } = run;
	// A sync's over-long value is cut at the tenant's length and reported; a person's input is refused.
	let truncated: TruncatedValue[] = [];
	if (write.overFloor.length) {
		const metadata = await client.fields('Contacts');
		if (output.plan) truncated = truncateContactWrite(write, metadata);
		else checkContactLengths(write, metadata);
	}
	const actAs = await actAsOf(run, itemIndex);
	const body = contactBody(write);
	let writtenId = id;
	if (id === undefined) {
		const email = write.fields.emailAddress;
		writtenId = await withActAs(
			actAs,
			async (impersonateResourceId) =>
				await client.create(
					companyContactsPath(companyId),
					{ ...body, companyID: Number(companyId) },
					{
						impersonateResourceId,
						// After an ambiguous failure, the contact is looked up in its company by email: never created twice.
						findExisting: email
							? async () => await existingContact(run, companyId, email)
							: undefined,
					},
				),
		);
	} else if (Object.keys(body).length) {
		await withActAs(
			actAs,
			async (impersonateResourceId) =>
				await client.update(
					companyContactsPath(companyId),
					{ id, ...body },
					{ impersonateResourceId },
				),
		);
	}
	if (id === undefined && output.plan)
		run.created.push({ itemIndex, plan: output.plan, id: String(writtenId) });
	return run.laterWritten(
		{ id: writtenId!, companyId, write, ...(truncated.length ? { truncated } : {}) },
		output,
		actAs ? { actAs } : {},
	);
}

/** How the run's creates are settled for duplicates (lib/reconcile/syncDuplicates.ts). */
export function duplicateStore(run: ContactRun): DuplicateStore {
	return {
		read: async (companyId, emails) => {
			const found = await lookUpByEmail<AutotaskContact>({
				batches: chunkForOrLimit(emails, AUTOTASK_CONTACT_EMAIL_FIELDS.length),
				query: async (batch) =>
					await run.client.query<AutotaskContact>('Contacts', {
						filter: [
							{ op: 'eq', field: 'companyID', value: Number(companyId) },
							contactEmailFilter([...batch]),
						],
					}),
				addressesOf: contactEmails,
			});
			if (found.error !== undefined) throw found.error;
			const contacts = new Map<number, AutotaskContact>();
			for (const email of emails)
				for (const contact of found.matches(email)) contacts.set(contact.id, contact);
			return [...contacts.values()].map(autotaskToCanonical);
		},
		deactivate: async (contact) => {
			await run.client.update(companyContactsPath(contact.companyId), {
				id: Number(contact.id),
				...contactBody(prepareContactWrite({}, { creating: false, active: false })),
			});
		},
	};
}

async function existingContact(
	run: ContactRun,
	companyId: string,
	email: string,
): Promise<number | undefined> {
	const found = await run.client.query<AutotaskContact>('Contacts', {
		filter: [
			{ op: 'eq', field: 'companyID', value: Number(companyId) },
			contactEmailFilter([email]),
		],
		includeFields: ['id'],
		limit: 1,
	});
	return found[0]?.id;
}

/** "From Contact Reconcile": write exactly the plan item's changes (see lib/reconcile/planItem.ts). */
async function applyPlanItem(
	run: ContactRun,
	operation: WriteOperation,
	itemIndex: number,
): Promise<RoutedJson> {
	const step = readPlanItem(run.ctx.getInputData()[itemIndex].json, operation, 'autotask');
	if ('skip' in step) return { json: step.skip as unknown as IDataObject };
	const plan = step.apply;
	const write = planToWrite(plan);
	const companyId = planCompanyId(plan);
	const id = plan.action === 'create' ? undefined : planTargetId(plan);
	return await writeContact(run, itemIndex, companyId, id, write, { simplify: true, plan });
}

/** The companies of the contacts the input items name, in one query per 500 contacts. */
async function companiesOfInputContacts(run: ContactRun): Promise<Map<number, string>> {
	const ids = new Set<number>();
	const count = run.ctx.getInputData().length;
	for (let i = 0; i < count; i++) {
		if (fromReconcile(run, i)) continue;
		const text = cleanText(run.ctx.getNodeParameter('contactId', i, '', { extractValue: true }));
		// Bad ids fail on their own item later, with the field named.
		if (/^\d+$/.test(text)) ids.add(Number(text));
	}
	const found = await run.client.queryByIds<AutotaskContact>(
		'Contacts',
		[...ids],
		['id', 'companyID'],
	);
	return new Map(found.map((contact) => [contact.id, String(contact.companyID)]));
}

async function actAsOf(run: ContactRun, itemIndex: number): Promise<ActAs | undefined> {
	const raw = run.options(itemIndex).actAsEmail;
	if (isBlank(raw)) return undefined;
	const email = normalizeEmail(raw);
	if (!email) {
		throw new InputError(
			ACT_AS,
			`${ACT_AS} "${cleanText(raw)}" is not a valid email address`,
			'Enter the email of an active Autotask resource, or leave the option empty.',
		);
	}
	const resource = await run.client.activeResourceByEmail(email);
	if (!resource) {
		return {
			email,
			resourceId: null,
			applied: false,
			reason:
				"No active Autotask resource has this email; written as the credential's default resource",
		};
	}
	return { email, resourceId: resource.id, applied: true, reason: '' };
}

/** Writes as the resource; when Autotask refuses the impersonation, writes as the default and says why. */
async function withActAs<T>(
	actAs: ActAs | undefined,
	write: (impersonateResourceId?: string) => Promise<T>,
): Promise<T> {
	if (!actAs?.applied || actAs.resourceId === null) return await write(undefined);
	const first = await settle(write(String(actAs.resourceId)));
	if (first.ok) return first.value;
	if (!isImpersonationRefusal(first.error)) throw first.error;
	actAs.applied = false;
	actAs.reason = `Autotask refused to act as resource ${actAs.resourceId} (${(first.error as Error).message.replace(/^Autotask: /, '')}); written as the credential's default resource`;
	return await write(undefined);
}
