import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	autotaskToCanonical,
	checkCompanyId,
	checkContactId,
	checkContactLengths,
	companyContactsPath,
	contactBody,
	contactFilter,
	contactFromWrite,
	contactEmails,
	planToWrite,
	prepareContactWrite,
} from '../../lib/contacts/autotask';
import type { AutotaskContact, ContactFilters, ContactWrite } from '../../lib/contacts/autotask';
import type { ContactPlanItem } from '../../lib/contacts/canonical';
import { addressesToFind, lookUpByEmail } from '../../lib/contacts/findByEmail';
import { cleanText, isBlank, normalizeEmail } from '../../lib/contacts/normalize';
import {
	AUTOTASK_CONTACT_EMAIL_FIELDS,
	chunkForOrLimit,
	contactEmailFilter,
	isImpersonationRefusal,
	parseRawAutotaskFilter,
} from '../../lib/transport/autotask';
import type { AutotaskClient, AutotaskFilter } from '../../lib/transport/autotask';
import {
	appliedPlanItem,
	planCompanyId,
	planTargetId,
	readPlanItem,
} from '../../lib/reconcile/planItem';
import { InputError, VendorApiError } from '../../lib/transport/http';
import { settle } from '../../lib/util/settled';
import { findByEmailItems } from '../shared/findByEmail';
import { runPerItem } from '../shared/items';
import type { RoutedJson } from '../shared/items';

/** Items written at once; the transport still keeps Autotask's 3 threads per endpoint. */
const WRITE_CONCURRENCY = 3;

type Operation =
	| 'create'
	| 'get'
	| 'getAll'
	| 'findByEmail'
	| 'update'
	| 'deactivate'
	| 'reactivate';

const ACT_AS = 'Act As (Resource Email)';

/** Who a write was made as: the resource named by "Act As", or the credential's default. */
interface ActAs extends IDataObject {
	email: string;
	resourceId: number | null;
	applied: boolean;
	reason: string;
}

/** An output item whose contact is filled in once the whole batch has been written and read back. */
interface Pending {
	json: IDataObject;
	contact?: AutotaskContact;
	written?: { id: number; companyId: string; write: ContactWrite };
	/** The plan item applied (From Contact Reconcile): its contact is built from what was written. */
	plan?: ContactPlanItem;
	/** Canonical contact (true) or Autotask's raw record. */
	simplify: boolean;
	/** Keys added after the contact (actAs, matchedEmail...). */
	extra: IDataObject;
}

/** One execution of the node: one client, its caches, and the items waiting for their contact. */
export class ContactRun {
	private readonly pending: Pending[] = [];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: AutotaskClient,
		private readonly secrets: () => string[],
	) {}

	async run(operation: string): Promise<INodeExecutionData[][]> {
		const op = operation as Operation;
		let outputs: INodeExecutionData[][];
		switch (op) {
			case 'get':
				outputs = await this.perItem(3, async (i) => [
					this.later(await this.getContact(i), this.simplify(i)),
				]);
				break;
			case 'getAll':
				outputs = await this.perItem(3, async (i) => await this.getMany(i));
				break;
			case 'findByEmail':
				outputs = await this.findByEmail();
				break;
			case 'create':
			case 'update':
			case 'deactivate':
			case 'reactivate':
				outputs = await this.writes(op);
				break;
			default:
				throw new NodeOperationError(
					this.ctx.getNode(),
					`The operation "${operation}" is not known`,
				);
		}
		await this.complete();
		return outputs;
	}

	private async perItem(
		concurrency: number,
		handle: (itemIndex: number) => Promise<RoutedJson[]>,
	): Promise<INodeExecutionData[][]> {
		return await runPerItem(this.ctx, { concurrency, secrets: this.secrets }, handle);
	}

	private simplify(itemIndex: number): boolean {
		return this.ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	}

	private options(itemIndex: number): IDataObject {
		return this.ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	}

	/** An output item for a contact already read; its shape is settled in complete(). */
	private later(contact: AutotaskContact, simplify: boolean, extra: IDataObject = {}): RoutedJson {
		const json: IDataObject = {};
		this.pending.push({ json, contact, simplify, extra });
		return { json };
	}

	// -------------------------------------------------------------------------------------
	// Reads

	private async getContact(itemIndex: number): Promise<AutotaskContact> {
		const id = checkContactId(
			this.ctx.getNodeParameter('contactId', itemIndex, '', { extractValue: true }),
		);
		const contact = await this.client.get<AutotaskContact>('Contacts', id);
		if (!contact) throw notFound(id);
		return contact;
	}

	private async getMany(itemIndex: number): Promise<RoutedJson[]> {
		const returnAll = this.ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? undefined
			: (this.ctx.getNodeParameter('limit', itemIndex, 50) as number);
		const raw = this.ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
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
		const simplify = this.simplify(itemIndex);
		const contacts = await this.client.query<AutotaskContact>('Contacts', { filter, limit });
		return contacts.map((contact) => this.later(contact, simplify));
	}

	/** Every input item's address looked up together: `in` filters, split at Autotask's 500-condition limit. */
	private async findByEmail(): Promise<INodeExecutionData[][]> {
		const count = this.ctx.getInputData().length;
		const { wanted, distinct } = addressesToFind(
			Array.from({ length: count }, (_, i) => this.ctx.getNodeParameter('email', i, '')),
		);
		const activeOnly =
			(this.ctx.getNodeParameter('findOptions', 0, {}) as IDataObject).activeOnly === true;
		const found = await lookUpByEmail<AutotaskContact>({
			batches: chunkForOrLimit(distinct, AUTOTASK_CONTACT_EMAIL_FIELDS.length),
			query: async (batch) => {
				const filter: AutotaskFilter[] = [contactEmailFilter([...batch])];
				if (activeOnly) filter.push({ op: 'eq', field: 'isActive', value: 1 });
				return await this.client.query<AutotaskContact>('Contacts', { filter });
			},
			addressesOf: contactEmails,
		});
		return await this.perItem(
			1,
			findByEmailItems(wanted, found, {
				outputNotFound: (i) =>
					(this.ctx.getNodeParameter('findOptions', i, {}) as IDataObject).outputNotFound !== false,
				found: (contact, email, i) =>
					this.later(contact, this.simplify(i), { found: true, matchedEmail: email }),
			}),
		);
	}

	// -------------------------------------------------------------------------------------
	// Writes

	private async writes(
		operation: Exclude<Operation, 'get' | 'getAll' | 'findByEmail'>,
	): Promise<INodeExecutionData[][]> {
		const fromReconcile = this.ctx.getNodeParameter('fromReconcile', 0, false) as boolean;
		// Update, Deactivate and Reactivate write through the contact's company: look them all up at once.
		const companies =
			operation !== 'create' && !fromReconcile
				? await this.companiesOfInputContacts()
				: new Map<number, string>();
		return await this.perItem(WRITE_CONCURRENCY, async (i) => {
			if (this.ctx.getNodeParameter('fromReconcile', i, false) as boolean)
				return [await this.applyPlanItem(operation, i)];
			const simplify = this.simplify(i);
			if (operation === 'create') {
				const companyId = checkCompanyId(
					this.ctx.getNodeParameter('company', i, '', { extractValue: true }),
				);
				const additional = {
					...(this.ctx.getNodeParameter('additionalFields', i, {}) as IDataObject),
				};
				const active = additional.active !== false;
				delete additional.active;
				const write = prepareContactWrite(
					{
						firstName: this.ctx.getNodeParameter('firstName', i, ''),
						lastName: this.ctx.getNodeParameter('lastName', i, ''),
						emailAddress: this.ctx.getNodeParameter('emailAddress', i, ''),
						...additional,
					},
					{ creating: true, active },
				);
				return [await this.write(i, 'create', companyId, undefined, write, { simplify })];
			}
			const id = checkContactId(
				this.ctx.getNodeParameter('contactId', i, '', { extractValue: true }),
			);
			const companyId = companies.get(id);
			if (companyId === undefined) throw notFound(id);
			const write =
				operation === 'update'
					? prepareContactWrite(this.ctx.getNodeParameter('updateFields', i, {}) as IDataObject, {
							creating: false,
							clear: this.ctx.getNodeParameter('fieldsToClear', i, []) as string[],
						})
					: prepareContactWrite({}, { creating: false, active: operation === 'reactivate' });
			return [await this.write(i, 'update', companyId, id, write, { simplify })];
		});
	}

	/** Writes one contact (after the length check and Act As), and queues its read-back. */
	private async write(
		itemIndex: number,
		kind: 'create' | 'update',
		companyId: string,
		id: number | undefined,
		write: ContactWrite,
		output: { simplify: boolean; plan?: ContactPlanItem },
	): Promise<RoutedJson> {
		if (write.overFloor.length) checkContactLengths(write, await this.client.fields('Contacts'));
		const actAs = await this.actAs(itemIndex);
		const body = contactBody(write);
		let writtenId = id;
		if (kind === 'create') {
			const email = write.fields.emailAddress;
			writtenId = await this.withActAs(
				actAs,
				async (impersonateResourceId) =>
					await this.client.create(
						companyContactsPath(companyId),
						{ ...body, companyID: Number(companyId) },
						{
							impersonateResourceId,
							// After an ambiguous failure, the contact is looked up in its company by email: never created twice.
							findExisting: email
								? async () => await this.existingContact(companyId, email)
								: undefined,
						},
					),
			);
		} else if (Object.keys(body).length) {
			await this.withActAs(
				actAs,
				async (impersonateResourceId) =>
					await this.client.update(
						companyContactsPath(companyId),
						{ id: id!, ...body },
						{ impersonateResourceId },
					),
			);
		}
		const extra: IDataObject = actAs ? { actAs } : {};
		const written = { id: writtenId!, companyId, write };
		if (output.plan) {
			const json: IDataObject = {};
			this.pending.push({
				json,
				written,
				plan: output.plan,
				simplify: true,
				extra,
			});
			return { json };
		}
		const json: IDataObject = {};
		this.pending.push({ json, written, simplify: output.simplify, extra });
		return { json };
	}

	private async existingContact(companyId: string, email: string): Promise<number | undefined> {
		const found = await this.client.query<AutotaskContact>('Contacts', {
			filter: [
				{ op: 'eq', field: 'companyID', value: Number(companyId) },
				contactEmailFilter([email]),
			],
			includeFields: ['id'],
			limit: 1,
		});
		return found[0]?.id;
	}

	/** "From Contact Reconcile": write exactly the plan item's changes (nothing for a dry run). */
	private async applyPlanItem(operation: string, itemIndex: number): Promise<RoutedJson> {
		const step = readPlanItem(this.ctx.getInputData()[itemIndex].json, operation, 'autotask');
		if ('skip' in step) return { json: step.skip as unknown as IDataObject };
		const plan = step.apply;
		const write = planToWrite(plan);
		const companyId = planCompanyId(plan);
		const output = { simplify: true, plan };
		if (plan.action === 'create')
			return await this.write(itemIndex, 'create', companyId, undefined, write, output);
		return await this.write(itemIndex, 'update', companyId, planTargetId(plan), write, output);
	}

	/** The companies of the contacts the input items name, in one query per 500 contacts. */
	private async companiesOfInputContacts(): Promise<Map<number, string>> {
		const ids = new Set<number>();
		const count = this.ctx.getInputData().length;
		for (let i = 0; i < count; i++) {
			if (this.ctx.getNodeParameter('fromReconcile', i, false) as boolean) continue;
			const text = cleanText(this.ctx.getNodeParameter('contactId', i, '', { extractValue: true }));
			// Bad ids fail on their own item later, with the field named.
			if (/^\d+$/.test(text)) ids.add(Number(text));
		}
		const found = await this.client.queryByIds<AutotaskContact>(
			'Contacts',
			[...ids],
			['id', 'companyID'],
		);
		return new Map(found.map((contact) => [contact.id, String(contact.companyID)]));
	}

	// -------------------------------------------------------------------------------------
	// Act As

	private async actAs(itemIndex: number): Promise<ActAs | undefined> {
		const raw = this.options(itemIndex).actAsEmail;
		if (isBlank(raw)) return undefined;
		const email = normalizeEmail(raw);
		if (!email) {
			throw new InputError(
				ACT_AS,
				`${ACT_AS} "${cleanText(raw)}" is not a valid email address`,
				'Enter the email of an active Autotask resource, or leave the option empty.',
			);
		}
		const resource = await this.client.activeResourceByEmail(email);
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
	private async withActAs<T>(
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

	// -------------------------------------------------------------------------------------
	// Output

	/**
	 * Reads back what was written (one query per 500 contacts), then shapes every output item.
	 * Plan items are not read back: the plan says what changed, so their contact is built from
	 * what was written (fields not written are blank, i.e. unknown) and a sync costs no query.
	 */
	private async complete(): Promise<void> {
		const written = this.pending.filter((entry) => entry.written && !entry.contact);
		const toRead = written.filter((entry) => !entry.plan);
		const readBack = new Map<number, AutotaskContact>();
		if (toRead.length) {
			const found = await settle(
				this.client.queryByIds<AutotaskContact>(
					'Contacts',
					toRead.map((entry) => entry.written!.id),
				),
			);
			// The writes happened: when the read-back fails, the output is built from what was sent.
			if (found.ok) for (const contact of found.value) readBack.set(contact.id, contact);
		}
		for (const entry of written) {
			const { id, companyId, write } = entry.written!;
			// Contact Reconcile plans updates for active contacts; the other actions write the flag.
			const before: Partial<AutotaskContact> = entry.plan
				? { isActive: entry.plan.action === 'deactivate' ? 0 : 1 }
				: {};
			entry.contact = readBack.get(id) ?? contactFromWrite(id, companyId, write, before);
		}
		const labels = await this.labels();
		for (const entry of this.pending) {
			const contact = entry.contact!;
			if (entry.plan) {
				const canonical = { ...autotaskToCanonical(contact), ...labels?.simplified(contact) };
				const applied = appliedPlanItem(entry.plan, String(contact.id), canonical);
				Object.assign(entry.json, applied, entry.extra);
				continue;
			}
			const shaped = entry.simplify
				? {
						...(autotaskToCanonical(contact) as unknown as IDataObject),
						...labels?.simplified(contact),
					}
				: { ...(contact as IDataObject), ...labels?.raw(contact) };
			Object.assign(entry.json, shaped, entry.extra);
		}
	}

	/** Company names and picklist labels, when "Include Labels" is on for any item (one query per 500 companies). */
	private async labels(): Promise<
		| { simplified: (c: AutotaskContact) => IDataObject; raw: (c: AutotaskContact) => IDataObject }
		| undefined
	> {
		const count = this.ctx.getInputData().length;
		let wanted = false;
		for (let i = 0; i < count && !wanted; i++) wanted = this.options(i).includeLabels === true;
		if (!wanted || !this.pending.length) return undefined;
		const contacts = this.pending.map((entry) => entry.contact!);
		const companyIds = [
			...new Set(
				contacts.map((c) => c.companyID).filter((id): id is number => typeof id === 'number'),
			),
		];
		const names = new Map<number, string>();
		if (companyIds.length) {
			const companies = await this.client.queryByIds<{ id: number; companyName?: string }>(
				'Companies',
				companyIds,
				['id', 'companyName'],
			);
			for (const company of companies) names.set(company.id, String(company.companyName ?? ''));
		}
		const picklistFields = ['namePrefix', 'nameSuffix'];
		const picklists = new Map<string, Map<string, string>>();
		if (
			contacts.some((c) =>
				picklistFields.some((field) => c[field] !== null && c[field] !== undefined),
			)
		) {
			for (const info of await this.client.fields('Contacts')) {
				if (!picklistFields.includes(info.name)) continue;
				picklists.set(
					info.name,
					new Map((info.picklistValues ?? []).map((v) => [String(v.value), v.label])),
				);
			}
		}
		const companyName = (c: AutotaskContact) =>
			typeof c.companyID === 'number' ? (names.get(c.companyID) ?? null) : null;
		return {
			simplified: (c) => ({ companyName: companyName(c) }),
			raw: (c) => {
				const out: IDataObject = { companyID_label: companyName(c) };
				for (const field of picklistFields) {
					const value = c[field];
					out[`${field}_label`] =
						value === null || value === undefined
							? null
							: (picklists.get(field)?.get(String(value)) ?? null);
				}
				return out;
			},
		};
	}
}

function notFound(id: number): VendorApiError {
	return new VendorApiError({
		vendor: 'autotask',
		httpCode: 404,
		message: `Autotask: contact ${id} was not found`,
		description:
			'The contact does not exist, or the API user cannot see it. Check the ID (Get Many or Find by Email list the contacts).',
	});
}
