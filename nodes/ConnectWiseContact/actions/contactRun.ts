import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	CANONICAL_CONTACT_FIELDS,
	COMMUNICATION_TYPE_FIELDS,
	communicationTypeRoles,
	CONNECTWISE_CONTACT_PATH,
	CONNECTWISE_SYNC_TAG,
	connectWiseToCanonical,
	contactEmails,
	needsTypesToRead,
	NO_COMMUNICATION_TYPES,
	RECOGNIZED_COMMUNICATION_TYPES,
	resolveCommunicationTypes,
	typesFromRef,
	VERSION_1_COMMUNICATION_TYPE_NAMES,
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
	checkContactId,
	communicationFieldsOf,
	contactPatch,
	needsCommunicationTypes,
	newContactBody,
} from '../../../lib/contacts/connectwiseInput';
import type { ContactInput } from '../../../lib/contacts/connectwiseInput';
import { lookUpByEmail } from '../../../lib/contacts/findByEmail';
import { cleanText } from '../../../lib/contacts/normalize';
import type { CreatedBySync, DuplicateStore } from '../../../lib/reconcile/syncDuplicates';
import { chunkEmailLookups, cw, emailChildConditions } from '../../../lib/transport/connectwise';
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

	/** Contacts created from "create" plan items, settled for duplicates after the batch. */
	readonly created: CreatedBySync[] = [];

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
		errorContext?: RunItemsOptions['errorContext'],
	): Promise<INodeExecutionData[][]> {
		return await runPerItem(
			this.ctx,
			{ concurrency: CONCURRENCY, secrets: this.secrets, summary, errorContext },
			handle,
		);
	}

	/** Version 1 keeps its parameter names and defaults for saved workflows (see the node's version list). */
	get version1(): boolean {
		return this.ctx.getNode().typeVersion < 2;
	}

	/** The contact Get, Update, Deactivate, Reactivate and Delete work on (version 1 named it `contact`). */
	contactId(itemIndex: number): number {
		const name = this.version1 ? 'contact' : 'contactId';
		return checkContactId(this.ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	}

	/** The type-name overrides; version 1 named every type, version 2 recognizes them from the tenant. */
	names(itemIndex: number): CommunicationTypeNames {
		const options = this.ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const defaults = this.version1
			? VERSION_1_COMMUNICATION_TYPE_NAMES
			: RECOGNIZED_COMMUNICATION_TYPES;
		const pick = (value: unknown, fallback: string) => cleanText(value) || fallback;
		return {
			email: pick(options.emailTypeName, defaults.email),
			phone: pick(options.phoneTypeName, defaults.phone),
			mobile: pick(options.mobileTypeName, defaults.mobile),
		};
	}

	/** The tenant's communication types, asked once per execution and only when needed. */
	private async tenantTypes(): Promise<ConnectWiseCommunicationType[]> {
		if (!this.typesPromise) {
			this.typesPromise = this.client.list<ConnectWiseCommunicationType>(
				'/company/communicationTypes',
				{ fields: COMMUNICATION_TYPE_FIELDS },
			);
		}
		return await this.typesPromise;
	}

	/** The tenant's types for the fields a write uses (a field the tenant has no type for fails). */
	async types(itemIndex: number, input: ContactInput): Promise<ResolvedCommunicationTypes> {
		return resolveCommunicationTypes(
			await this.tenantTypes(),
			this.names(itemIndex),
			communicationFieldsOf(input),
		);
	}

	/** The tenant's types by what they hold, to read contacts with. */
	async roles(itemIndex: number): Promise<ResolvedCommunicationTypes> {
		return communicationTypeRoles(await this.tenantTypes(), this.names(itemIndex));
	}

	/**
	 * The canonical contact; the tenant's types are asked only when the contact has phone items
	 * and the ref it was planned with (`targetRef`) cannot tell them apart.
	 */
	async canonical(contact: ConnectWiseContact, itemIndex: number, targetRef?: unknown) {
		const names = this.names(itemIndex);
		let types = NO_COMMUNICATION_TYPES;
		if (needsTypesToRead(contact)) {
			const fromRef = this.typesPromise ? undefined : typesFromRef(contact, targetRef, names);
			types = fromRef ?? (await this.roles(itemIndex));
		}
		return connectWiseToCanonical(contact, types, names);
	}

	async output(contact: ConnectWiseContact, itemIndex: number): Promise<IDataObject> {
		const simplify = this.ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
		return (simplify
			? await this.canonical(contact, itemIndex)
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

	/** How the run's creates are settled for duplicates (lib/reconcile/syncDuplicates.ts). */
	duplicateStore(): DuplicateStore {
		return {
			read: async (companyId, emails) => {
				const found = await lookUpByEmail<ConnectWiseContact>({
					batches: chunkEmailLookups(emails),
					query: async (batch) =>
						await this.client.list<ConnectWiseContact>(CONNECTWISE_CONTACT_PATH, {
							conditions: cw.eq('company/id', Number(companyId)),
							childConditions: emailChildConditions([...batch]),
							fields: CANONICAL_CONTACT_FIELDS,
						}),
					addressesOf: contactEmails,
				});
				if (found.error !== undefined) throw found.error;
				const contacts = new Map<number, ConnectWiseContact>();
				for (const email of emails)
					for (const contact of found.matches(email)) contacts.set(contact.id, contact);
				const itemIndex = this.created[0]?.itemIndex ?? 0;
				return await Promise.all(
					[...contacts.values()].map(async (contact) => await this.canonical(contact, itemIndex)),
				);
			},
			deactivate: async (contact) => {
				await this.client.patch<ConnectWiseContact>(`${CONNECTWISE_CONTACT_PATH}/${contact.id}`, [
					{ op: 'replace', path: 'inactiveFlag', value: true },
				]);
			},
		};
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
			: NO_COMMUNICATION_TYPES;
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
