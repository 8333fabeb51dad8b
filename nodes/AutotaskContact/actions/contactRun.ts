import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	autotaskFieldLimits,
	autotaskToCanonical,
	contactFromWrite,
} from '../../../lib/contacts/autotask';
import type { AutotaskContact, ContactWrite } from '../../../lib/contacts/autotask';
import type { ContactPlanItem, FieldLimits } from '../../../lib/contacts/canonical';
import type { TruncatedValue } from '../../../lib/contacts/fieldLimits';
import { appliedPlanItem } from '../../../lib/reconcile/planItem';
import type { CreatedBySync } from '../../../lib/reconcile/syncDuplicates';
import type { AutotaskClient } from '../../../lib/transport/autotask';
import { VendorApiError } from '../../../lib/transport/http';
import { settle } from '../../../lib/util/settled';
import { withNodeErrors } from '../../shared/errors';
import { runPerItem } from '../../shared/items';
import type { RoutedJson, RunItemsOptions } from '../../shared/items';
import { autotaskClient } from '../clients';

/** A contact written by this run: its id, company and what was sent. */
export interface WrittenContact {
	id: number;
	companyId: string;
	write: ContactWrite;
	/** Values cut at the tenant's field length (a sync's write). */
	truncated?: TruncatedValue[];
}

/** An output item whose contact is filled in once the whole batch has been written and read back. */
interface Pending {
	json: IDataObject;
	contact?: AutotaskContact;
	written?: WrittenContact;
	/** The plan item applied (From Contact Reconcile): its contact is built from what was written. */
	plan?: ContactPlanItem;
	/** Canonical contact (true) or Autotask's raw record. */
	simplify: boolean;
	/** Keys added after the contact (actAs, matchedEmail...). */
	extra: IDataObject;
}

type Labels = {
	simplified: (contact: AutotaskContact) => IDataObject;
	raw: (contact: AutotaskContact) => IDataObject;
};

/**
 * One execution of the node: one client and its caches, and the output items waiting for their
 * contact. Operations queue contacts (`later`, `laterWritten`); `complete` reads back what was
 * written in one query per 500 and shapes every item at once.
 */
export class ContactRun {
	private readonly pending: Pending[] = [];

	/** Contacts created from "create" plan items, settled for duplicates after the batch. */
	readonly created: CreatedBySync[] = [];

	/** Get Many: simplified contacts carry the tenant's field lengths (Contact Reconcile compares with them). */
	withLimits = false;

	private constructor(
		readonly ctx: IExecuteFunctions,
		readonly client: AutotaskClient,
		readonly secrets: () => string[],
	) {}

	/** Runs one operation in a run of its own, then shapes its items; failures leave as node errors. */
	static async execute(
		ctx: IExecuteFunctions,
		operation: (run: ContactRun) => Promise<INodeExecutionData[][]>,
	): Promise<INodeExecutionData[][]> {
		const { client, secrets } = autotaskClient(ctx);
		const run = new ContactRun(ctx, client, secrets);
		return await withNodeErrors(ctx.getNode(), secrets, async () => {
			const outputs = await operation(run);
			await run.complete();
			return outputs;
		});
	}

	/** `summary`: a writing operation tries every item and sums up the failures (see runPerItem). */
	async perItem(
		concurrency: number,
		handle: (itemIndex: number) => Promise<RoutedJson[]>,
		summary?: RunItemsOptions['summary'],
		errorContext?: RunItemsOptions['errorContext'],
	): Promise<INodeExecutionData[][]> {
		return await runPerItem(
			this.ctx,
			{ concurrency, secrets: this.secrets, summary, errorContext },
			handle,
		);
	}

	simplify(itemIndex: number): boolean {
		return this.ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	}

	options(itemIndex: number): IDataObject {
		return this.ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	}

	/** An output item for a contact already read; its shape is settled in complete(). */
	later(contact: AutotaskContact, simplify: boolean, extra: IDataObject = {}): RoutedJson {
		const json: IDataObject = {};
		this.pending.push({ json, contact, simplify, extra });
		return { json };
	}

	/** An output item for a contact written: read back (or, for a plan item, built) in complete(). */
	laterWritten(
		written: WrittenContact,
		output: { simplify: boolean; plan?: ContactPlanItem },
		extra: IDataObject,
	): RoutedJson {
		const json: IDataObject = {};
		this.pending.push({ json, written, plan: output.plan, simplify: output.simplify, extra });
		return { json };
	}

	/**
	 * Reads back what was written (one query per 500 contacts), then shapes every output item.
	 * Plan items are not read back: the plan says what changed, so their contact is built from
	 * what was written (fields not written are blank, i.e. unknown) and a sync costs no query.
	 */
	private async complete(): Promise<void> {
		if (!this.pending.length) return;
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
		const limits = await this.limits();
		for (const entry of this.pending) {
			const contact = entry.contact!;
			if (entry.plan) {
				const canonical = { ...autotaskToCanonical(contact), ...labels?.simplified(contact) };
				const applied = appliedPlanItem(
					entry.plan,
					String(contact.id),
					canonical,
					entry.written?.truncated,
				);
				Object.assign(entry.json, applied, entry.extra);
				continue;
			}
			const shaped = entry.simplify
				? {
						...(autotaskToCanonical(contact) as unknown as IDataObject),
						...(limits ? { limits } : {}),
						...labels?.simplified(contact),
					}
				: { ...(contact as IDataObject), ...labels?.raw(contact) };
			Object.assign(entry.json, shaped, entry.extra);
		}
	}

	/**
	 * The tenant's lengths of the sync fields, on every simplified contact read (from the field
	 * metadata, read once per execution): Contact Reconcile compares a value cut at its limit with
	 * the longer value it was cut from.
	 */
	private async limits(): Promise<FieldLimits | undefined> {
		if (!this.withLimits || !this.pending.some((entry) => entry.simplify && !entry.plan))
			return undefined;
		const metadata = await settle(this.client.fields('Contacts'));
		return metadata.ok ? autotaskFieldLimits(metadata.value) : undefined;
	}

	/** Company names and picklist labels, when "Include Labels" is on for any item (one query per 500 companies). */
	private async labels(): Promise<Labels | undefined> {
		const count = this.ctx.getInputData().length;
		let wanted = false;
		for (let i = 0; i < count && !wanted; i++) wanted = this.options(i).includeLabels === true;
		if (!wanted) return undefined;
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

export function contactNotFound(id: number): VendorApiError {
	return new VendorApiError({
		vendor: 'autotask',
		httpCode: 404,
		message: `Autotask: contact ${id} was not found`,
		description:
			'The contact does not exist, or the API user cannot see it. Check the ID (Get Many or Find by Email list the contacts).',
	});
}
