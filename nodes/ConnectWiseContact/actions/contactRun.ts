import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	CANONICAL_CONTACT_FIELDS,
	CONNECTWISE_CONTACT_PATH,
	CONNECTWISE_SYNC_TAG,
	connectWiseToCanonical,
	DEFAULT_COMMUNICATION_TYPE_NAMES,
	resolveCommunicationTypes,
} from '../../../lib/contacts/connectwise';
import type {
	CommunicationTypeNames,
	ConnectWiseCommunicationItem,
	ConnectWiseCommunicationType,
	ConnectWiseContact,
	ResolvedCommunicationTypes,
} from '../../../lib/contacts/connectwise';
import {
	communicationWrites,
	communicationWritesFromRef,
	fieldsToCreate,
	usableConnectWiseRef,
	withCommunicationResults,
} from '../../../lib/contacts/connectwiseCommunications';
import type { CommunicationWrite } from '../../../lib/contacts/connectwiseCommunications';
import {
	communicationFieldsOf,
	contactPatch,
	needsCommunicationTypes,
	newContactBody,
} from '../../../lib/contacts/connectwiseInput';
import type { ContactInput } from '../../../lib/contacts/connectwiseInput';
import { cleanText } from '../../../lib/contacts/normalize';
import { cw, emailChildConditions } from '../../../lib/transport/connectwise';
import type { ConnectWiseClient } from '../../../lib/transport/connectwise';
import { VendorApiError } from '../../../lib/transport/http';
import { settle } from '../../../lib/util/settled';
import { withNodeErrors } from '../../shared/errors';
import { runPerItem } from '../../shared/items';
import type { RoutedJson, RunItemsOptions } from '../../shared/items';
import { connectWiseClient } from '../clients';

/** Items handled at once; ConnectWise throttles integrations that push too hard. */
const CONCURRENCY = 3;

/**
 * One execution of the node: the client, the tenant's communication types (asked once), and the
 * contact writes every operation shares.
 */
export class ContactRun {
	private typesPromise?: Promise<ConnectWiseCommunicationType[]>;

	private constructor(
		readonly ctx: IExecuteFunctions,
		readonly client: ConnectWiseClient,
		readonly secrets: () => string[],
	) {}

	/** Runs one operation in a run of its own; whatever fails leaves as a node error. */
	static async execute(
		ctx: IExecuteFunctions,
		operation: (run: ContactRun) => Promise<INodeExecutionData[][]>,
	): Promise<INodeExecutionData[][]> {
		const { client, secrets } = connectWiseClient(ctx);
		const run = new ContactRun(ctx, client, secrets);
		return await withNodeErrors(ctx.getNode(), secrets, async () => await operation(run));
	}

	/** `summary`: a writing operation tries every item and sums up the failures (see runPerItem). */
	async perItem(
		handle: (itemIndex: number) => Promise<RoutedJson[]>,
		summary?: RunItemsOptions['summary'],
	): Promise<INodeExecutionData[][]> {
		return await runPerItem(
			this.ctx,
			{ concurrency: CONCURRENCY, secrets: this.secrets, summary },
			handle,
		);
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

	/** A contact that has `email` as an Email item, optionally within one company. */
	async findOneByEmail(email: string, companyId?: string): Promise<ConnectWiseContact | undefined> {
		const found = await this.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
			conditions: companyId ? cw.eq('company/id', Number(companyId)) : undefined,
			childConditions: emailChildConditions([email]),
			limit: 1,
		});
		return found[0];
	}

	/** `marked`: the contact carries the sync's creation mark (a plan item's create). */
	async create(
		input: ContactInput,
		itemIndex: number,
		marked = false,
	): Promise<ConnectWiseContact> {
		const types = needsCommunicationTypes(input) ? await this.types(itemIndex, input) : undefined;
		const body = newContactBody(input, types);
		if (marked) body.integratorTags = [CONNECTWISE_SYNC_TAG];
		const email = input.email;
		return await this.client.create<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, body, {
			// A create whose answer was lost is looked up by its address before anything is resent.
			findExisting: email
				? async () => await this.findOneByEmail(email, input.companyId)
				: undefined,
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
	 * A plan item's update, by the item ids of its `targetRef` when they settle it (see
	 * docs/adr/connectwise-contact-ref.md), else as `update`. `complete` is false when only
	 * communication items were written (no full record came back).
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
