import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PLAN_CHANGE_LABELS } from '../../lib/contacts/canonical';
import {
	CANONICAL_CONTACT_FIELDS,
	CONNECTWISE_CONTACT_PATH,
	contactEmails,
	connectWiseToCanonical,
	DEFAULT_COMMUNICATION_TYPE_NAMES,
	resolveCommunicationTypes,
} from '../../lib/contacts/connectwise';
import type {
	CommunicationTypeNames,
	ConnectWiseCommunicationItem,
	ConnectWiseCommunicationType,
	ConnectWiseContact,
	ResolvedCommunicationTypes,
} from '../../lib/contacts/connectwise';
import {
	communicationWrites,
	communicationWritesFromRef,
	fieldsToCreate,
	usableConnectWiseRef,
	withCommunicationResults,
} from '../../lib/contacts/connectwiseCommunications';
import type { CommunicationWrite } from '../../lib/contacts/connectwiseCommunications';
import {
	checkContactInput,
	communicationFieldsOf,
	contactPatch,
	needsCommunicationTypes,
	newContactBody,
	planToInput,
} from '../../lib/contacts/connectwiseInput';
import type { ContactInput } from '../../lib/contacts/connectwiseInput';
import { addressesToFind, lookUpByEmail } from '../../lib/contacts/findByEmail';
import { cleanText, isBlank, normalizeEmail } from '../../lib/contacts/normalize';
import {
	checkRawConditions,
	chunkEmailLookups,
	ConnectWiseClient,
	cw,
	emailChildConditions,
} from '../../lib/transport/connectwise';
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
import { createHttpClient } from '../shared/n8nHttpAdapter';

export const CREDENTIAL = 'connectWiseManageApi';

/** Items written at once; ConnectWise throttles integrations that push too hard. */
const CONCURRENCY = 3;

const PLAN_LABELS: Partial<Record<keyof ContactInput, string>> = {
	...PLAN_CHANGE_LABELS,
	companyId: 'companyId',
};

/** What one execution shares: the transport and the tenant's communication types. */
class Execution {
	readonly client: ConnectWiseClient;

	readonly secrets: () => string[];

	private typesPromise?: Promise<ConnectWiseCommunicationType[]>;

	constructor(readonly ctx: IExecuteFunctions) {
		const http = createHttpClient(ctx, CREDENTIAL);
		this.client = new ConnectWiseClient(http);
		this.secrets = () => http.secrets();
	}

	names(itemIndex: number): CommunicationTypeNames {
		const options = this.ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const pick = (value: unknown, fallback: string) => cleanText(value) || fallback;
		return {
			email: pick(options.emailTypeName, DEFAULT_COMMUNICATION_TYPE_NAMES.email),
			phone: pick(options.phoneTypeName, DEFAULT_COMMUNICATION_TYPE_NAMES.phone),
			mobile: pick(options.mobileTypeName, DEFAULT_COMMUNICATION_TYPE_NAMES.mobile),
		};
	}

	/** The tenant's communication types, asked once per execution and only when a write needs them. */
	async types(itemIndex: number, input: ContactInput): Promise<ResolvedCommunicationTypes> {
		if (!this.typesPromise) {
			this.typesPromise = this.client.list<ConnectWiseCommunicationType>(
				'/company/communicationTypes',
				{
					fields: ['id', 'description', 'emailFlag', 'phoneFlag', 'faxFlag', 'defaultFlag'],
				},
			);
		}
		return resolveCommunicationTypes(
			await this.typesPromise,
			this.names(itemIndex),
			communicationFieldsOf(input),
		);
	}

	output(contact: ConnectWiseContact, itemIndex: number): IDataObject {
		const simplify = this.ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
		return (simplify
			? connectWiseToCanonical(contact, this.names(itemIndex))
			: contact) as unknown as IDataObject;
	}

	fields(itemIndex: number): string[] | undefined {
		return (this.ctx.getNodeParameter('simplify', itemIndex, true) as boolean)
			? CANONICAL_CONTACT_FIELDS
			: undefined;
	}

	/** Contacts that have `email` as an Email item, optionally within one company. */
	async findByEmail(email: string, companyId?: string): Promise<ConnectWiseContact | undefined> {
		const found = await this.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
			conditions: companyId ? cw.eq('company/id', Number(companyId)) : undefined,
			childConditions: emailChildConditions([email]),
			limit: 1,
		});
		return found[0];
	}

	async create(input: ContactInput, itemIndex: number): Promise<ConnectWiseContact> {
		const types = needsCommunicationTypes(input) ? await this.types(itemIndex, input) : undefined;
		const body = newContactBody(input, types);
		const email = input.email;
		return await this.client.create<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, body, {
			// A create whose answer was lost is looked up by its address before anything is resent.
			findExisting: email ? async () => await this.findByEmail(email, input.companyId) : undefined,
		});
	}

	async update(id: number, input: ContactInput, itemIndex: number): Promise<ConnectWiseContact> {
		const path = `${CONNECTWISE_CONTACT_PATH}/${id}`;
		const communications = needsCommunicationTypes(input);
		const types = communications ? await this.types(itemIndex, input) : undefined;
		let contact = communications
			? await this.client.request<ConnectWiseContact>('GET', path, { idempotent: true })
			: undefined;
		const operations = contactPatch(input, contact);
		if (operations.length) contact = await this.client.patch<ConnectWiseContact>(path, operations);
		if (!contact)
			contact = await this.client.request<ConnectWiseContact>('GET', path, { idempotent: true });
		if (types)
			contact = withCommunicationResults(
				contact,
				await this.writeCommunications(path, communicationWrites(contact, input, types)),
			);
		return contact;
	}

	/**
	 * A plan item's update: with the contact's item ids from its `targetRef`, nothing is read first
	 * and the tenant's types are asked only to create an item. Without a usable ref, or when a write
	 * by ref fails (the item changed since the contact was listed), the contact is read as `update`
	 * does. `complete` is false when only communication items were written (no full record came back).
	 */
	async updateFromPlan(
		id: number,
		input: ContactInput,
		itemIndex: number,
		targetRef: unknown,
	): Promise<{ contact: ConnectWiseContact; complete: boolean }> {
		const ref = needsCommunicationTypes(input)
			? usableConnectWiseRef(targetRef, this.names(itemIndex), input)
			: undefined;
		if (!ref) return { contact: await this.update(id, input, itemIndex), complete: true };
		const path = `${CONNECTWISE_CONTACT_PATH}/${id}`;
		const operations = contactPatch(input);
		const patched = operations.length
			? await this.client.patch<ConnectWiseContact>(path, operations)
			: undefined;
		const creating = fieldsToCreate(ref, input);
		const types = creating.length
			? await this.types(
					itemIndex,
					Object.fromEntries(creating.map((field) => [field, input[field]])),
				)
			: {};
		const written = await settle(
			this.writeCommunications(path, communicationWritesFromRef(ref, input, types)),
		);
		if (!written.ok) {
			const stale =
				written.error instanceof VendorApiError && [400, 404].includes(written.error.httpCode);
			if (!stale) throw written.error;
			// Setting absolute values again is safe: the contact is read and written as `update` does.
			const { email, phone, mobile } = input;
			return {
				contact: await this.update(id, { email, phone, mobile }, itemIndex),
				complete: true,
			};
		}
		if (patched)
			return { contact: withCommunicationResults(patched, written.value), complete: true };
		return { contact: withCommunicationResults({ id }, written.value), complete: false };
	}

	/** One at a time: each write can move the contact's default of its kind. */
	private async writeCommunications(
		path: string,
		writes: CommunicationWrite[],
	): Promise<ConnectWiseCommunicationItem[]> {
		const results: ConnectWiseCommunicationItem[] = [];
		for (const write of writes) {
			results.push(
				write.kind === 'update'
					? await this.client.patch<ConnectWiseCommunicationItem>(
							`${path}/communications/${write.itemId}`,
							write.operations,
						)
					: await this.client.create<ConnectWiseCommunicationItem>(
							`${path}/communications`,
							write.body,
							{
								findExisting: async () => {
									const items = await this.client.list<ConnectWiseCommunicationItem>(
										`${path}/communications`,
									);
									return items.find(
										(item) =>
											item.type?.id === write.body.type.id &&
											cleanText(item.value) === write.body.value,
									);
								},
							},
						),
			);
		}
		return results;
	}
}

function contactId(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = cleanText(ctx.getNodeParameter('contact', itemIndex, '', { extractValue: true }));
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
		throw new InputError(
			'Contact',
			raw ? `Contact "${raw}" is not a ConnectWise contact ID` : 'Contact is required',
			'Pick the contact from the list, or enter its numeric ID.',
		);
	}
	return Number(raw);
}

function stringFields(collection: IDataObject): ContactInput {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(collection))
		if (value !== undefined && value !== null) out[key] = String(value);
	return out as ContactInput;
}

export async function executeContact(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = new Execution(ctx);
	if (operation === 'findByEmail') return await findByEmail(ctx, run);

	return await runPerItem(
		ctx,
		{ concurrency: CONCURRENCY, secrets: run.secrets },
		async (itemIndex): Promise<RoutedJson[]> => {
			const fromReconcile =
				['create', 'update', 'deactivate', 'reactivate'].includes(operation) &&
				(ctx.getNodeParameter('fromReconcile', itemIndex, false) as boolean);
			if (fromReconcile) return [{ json: await applyPlan(ctx, run, operation, itemIndex) }];

			switch (operation) {
				case 'create': {
					const companyId = cleanText(
						ctx.getNodeParameter('company', itemIndex, '', { extractValue: true }),
					);
					if (!companyId)
						throw new InputError(
							'Company',
							'Company is required to create a ConnectWise contact',
							'Pick the company from the list, or enter its numeric ID.',
						);
					const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
					const input = checkContactInput(
						{
							...stringFields(additional),
							companyId,
							firstName: String(ctx.getNodeParameter('firstName', itemIndex, '')),
							lastName: String(ctx.getNodeParameter('lastName', itemIndex, '')),
						},
						{ creating: true },
					);
					return [{ json: run.output(await run.create(input, itemIndex), itemIndex) }];
				}
				case 'get': {
					const contact = await run.client.request<ConnectWiseContact>(
						'GET',
						`${CONNECTWISE_CONTACT_PATH}/${contactId(ctx, itemIndex)}`,
						{
							qs: { fields: run.fields(itemIndex)?.join(',') },
							idempotent: true,
						},
					);
					return [{ json: run.output(contact, itemIndex) }];
				}
				case 'getAll':
					return await getMany(ctx, run, itemIndex);
				case 'update': {
					const id = contactId(ctx, itemIndex);
					const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
					const input = checkContactInput(stringFields(fields), {
						creating: false,
						labels: { companyId: 'Company ID' },
					});
					return [{ json: run.output(await run.update(id, input, itemIndex), itemIndex) }];
				}
				case 'deactivate':
				case 'reactivate': {
					const id = contactId(ctx, itemIndex);
					const contact = await run.client.patch<ConnectWiseContact>(
						`${CONNECTWISE_CONTACT_PATH}/${id}`,
						[{ op: 'replace', path: 'inactiveFlag', value: operation === 'deactivate' }],
					);
					return [{ json: run.output(contact, itemIndex) }];
				}
				case 'delete':
					await run.client.delete(`${CONNECTWISE_CONTACT_PATH}/${contactId(ctx, itemIndex)}`);
					return [{ json: { deleted: true } }];
				default:
					throw new InputError('Operation', `The operation "${operation}" is not supported`);
			}
		},
	);
}

async function getMany(
	ctx: IExecuteFunctions,
	run: Execution,
	itemIndex: number,
): Promise<RoutedJson[]> {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? undefined
		: Math.max(1, Number(ctx.getNodeParameter('limit', itemIndex, 50)));
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;

	const conditions: string[] = [];
	const companyId = cleanText(filters.companyId);
	if (companyId) {
		if (!/^\d+$/.test(companyId) || !Number.isSafeInteger(Number(companyId)))
			throw new InputError(
				'Company ID',
				`Company ID "${companyId}" is not a number`,
				'Enter the numeric ConnectWise company ID.',
			);
		conditions.push(cw.eq('company/id', Number(companyId)));
	}
	const status = String(filters.status ?? 'all');
	if (status === 'active') conditions.push(cw.eq('inactiveFlag', false));
	if (status === 'inactive') conditions.push(cw.eq('inactiveFlag', true));
	for (const word of cleanText(filters.name).split(' ').filter(Boolean)) {
		conditions.push(cw.or(cw.contains('firstName', word), cw.contains('lastName', word)));
	}
	if (!isBlank(filters.updatedSince)) {
		const since = new Date(String(filters.updatedSince));
		if (!Number.isFinite(since.getTime()))
			throw new InputError(
				'Updated Since',
				`Updated Since "${String(filters.updatedSince)}" is not a date`,
			);
		conditions.push(cw.compare('lastUpdated', '>', since));
	}
	if (!isBlank(filters.conditions))
		conditions.push(checkRawConditions(String(filters.conditions), 'Conditions (Raw)'));

	const childConditions: string[] = [];
	if (!isBlank(filters.email)) {
		const email = normalizeEmail(filters.email);
		if (!email)
			throw new InputError(
				'Email',
				`Email "${cleanText(filters.email)}" is not a valid email address`,
			);
		childConditions.push(emailChildConditions([email]));
	}
	if (!isBlank(filters.childConditions))
		childConditions.push(
			checkRawConditions(String(filters.childConditions), 'Child Conditions (Raw)'),
		);

	const contacts = await run.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
		conditions: cw.and(...conditions) || undefined,
		childConditions: cw.and(...childConditions) || undefined,
		fields: run.fields(itemIndex),
		limit,
	});
	// The item's settings are read once, not once per contact (a sync lists thousands).
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	const names = run.names(itemIndex);
	return contacts.map((contact) => ({
		json: (simplify ? connectWiseToCanonical(contact, names) : contact) as unknown as IDataObject,
	}));
}

/** The whole input in a few calls: one childConditions query per URL-sized batch of addresses. */
async function findByEmail(
	ctx: IExecuteFunctions,
	run: Execution,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const { wanted, distinct } = addressesToFind(
		items.map((_item, itemIndex) => ctx.getNodeParameter('email', itemIndex, '')),
	);
	const simplify = ctx.getNodeParameter('simplify', 0, true) as boolean;
	const found = await lookUpByEmail<ConnectWiseContact>({
		batches: chunkEmailLookups(distinct),
		query: async (batch) =>
			await run.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
				childConditions: emailChildConditions([...batch]),
				fields: simplify ? CANONICAL_CONTACT_FIELDS : undefined,
			}),
		addressesOf: contactEmails,
	});
	return await runPerItem(
		ctx,
		{ concurrency: CONCURRENCY, secrets: run.secrets },
		findByEmailItems(wanted, found, {
			outputNotFound: (itemIndex) =>
				(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject).includeNotFound === true,
			found: (contact, email, itemIndex) => ({
				json: { ...run.output(contact, itemIndex), found: true, matchedEmail: email },
			}),
		}),
	);
}

/** Applies one Contact Reconcile plan item: exactly its changes, never a blank; dry runs pass through. */
async function applyPlan(
	ctx: IExecuteFunctions,
	run: Execution,
	operation: string,
	itemIndex: number,
): Promise<IDataObject> {
	const step = readPlanItem(ctx.getInputData()[itemIndex]?.json, operation, 'connectwise');
	if ('skip' in step) return step.skip as unknown as IDataObject;
	const plan = step.apply;
	const names = run.names(itemIndex);
	if (plan.action === 'create') {
		planCompanyId(plan);
		const input = checkContactInput(planToInput(plan), { creating: true, labels: PLAN_LABELS });
		const created = await run.create(input, itemIndex);
		const contact = connectWiseToCanonical(created, names);
		return appliedPlanItem(plan, String(created.id), contact) as unknown as IDataObject;
	}
	const id = planTargetId(plan);
	const input = checkContactInput(planToInput(plan), { creating: false, labels: PLAN_LABELS });
	const written = await run.updateFromPlan(id, input, itemIndex, plan.targetRef);
	// Built from what ConnectWise answered to the writes: no read-back. When only email or phone
	// items were written, the rest of the contact is unknown (blank) and it carries no ref.
	const contact = connectWiseToCanonical(
		written.complete
			? written.contact
			: {
					...written.contact,
					company: isBlank(plan.companyId) ? null : { id: Number(plan.companyId) },
				},
		names,
	);
	if (!written.complete) delete contact.ref;
	return appliedPlanItem(plan, String(written.contact.id), contact) as unknown as IDataObject;
}
