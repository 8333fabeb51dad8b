import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { Outcome, OutputName } from '../../lib/alerts/outcome';
import { processAlerts } from '../../lib/alerts/processAlerts';
import { ticketAlertResolver } from '../../lib/alerts/resolveFromTicket';
import { syncOpenAlerts } from '../../lib/alerts/syncOpenAlerts';
import { KEY_PREFIX, parseAlertKey } from '../../lib/alerts/key';
import { parseAlertEvent, unwrapWebhookItem, verifySharedSecret } from '../../lib/alerts/webhook';
import type { AlertEvent } from '../../lib/alerts/webhook';
import { AutotaskClient } from '../../lib/transport/autotask';
import type { AutotaskPicklistValue } from '../../lib/transport/autotask';
import { DattoClient } from '../../lib/transport/datto';
import { attempt, settle } from '../../lib/util/settled';
import { toNodeError } from '../shared/errors';
import { runPerItem } from '../shared/items';
import { createHttpClient } from '../shared/n8nHttpAdapter';
import {
	outcomeOrThrow,
	parseTicketId,
	readProcessAlertsConfig,
	readSecretCheck,
	resolveFromTicketConfig,
} from './config';
import { properties } from './description';

const AUTOTASK = 'autotaskApi';
const DATTO = 'dattoRmmApi';

const OUTPUT_INDEX: Record<OutputName, number> = {
	created: 0,
	updated: 1,
	completed: 2,
	skipped: 3,
};

export class RmmAlertToTicket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RMM Alert to Ticket',
		name: 'rmmAlertToTicket',
		icon: {
			light: 'file:../../icons/rmmAlertToTicket.svg',
			dark: 'file:../../icons/rmmAlertToTicket.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "syncOpenAlerts" ? "Sync open alerts" : $parameter["operation"] === "resolveAlertFromTicket" ? "Resolve alert from ticket" : "Process alert"}}',
		description:
			'Turn Datto RMM alerts into Autotask tickets: no duplicates, no storms, no ticket closed while a technician works on it',
		defaults: { name: 'RMM Alert to Ticket' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		outputNames: ['Created', 'Updated', 'Completed', 'Skipped'],
		credentials: [
			{ name: AUTOTASK, required: true },
			{ name: DATTO, required: true },
		],
		properties,
	};

	methods = {
		loadOptions: {
			async getQueues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'queueID');
			},
			async getIssueTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'issueType');
			},
			async getSubIssueTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const client = new AutotaskClient(createHttpClient(this, AUTOTASK));
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
			},
			async getWorkTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const fromPicklist = await picklistOptions(this, 'Tickets', 'billingCodeID');
				if (fromPicklist.length) return fromPicklist;
				// Tenants that expose work types only as the BillingCodes entity.
				const client = new AutotaskClient(createHttpClient(this, AUTOTASK));
				const rows = await settle(
					client.query<{ id: number; name?: string; isActive?: boolean }>('BillingCodes', {
						filter: [{ op: 'eq', field: 'isActive', value: true }],
						includeFields: ['id', 'name', 'isActive'],
					}),
				);
				return rows.ok
					? rows.value.map((row) => ({ name: String(row.name ?? row.id), value: String(row.id) }))
					: [];
			},
			async getTicketTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'ticketType');
			},
			async getSources(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'source');
			},
			async getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'status');
			},
			async getPriorities(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'Tickets', 'priority');
			},
			async getNoteTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'TicketNotes', 'noteType');
			},
			async getNotePublish(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await picklistOptions(this, 'TicketNotes', 'publish');
			},
			async getDattoSites(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const datto = new DattoClient(createHttpClient(this, DATTO));
				const sites = await datto.listSites();
				return sites
					.map((site) => ({
						name: site.name ?? site.uid,
						value: site.uid,
						description: site.autotaskCompanyName
							? `Autotask: ${site.autotaskCompanyName}`
							: 'Not mapped to an Autotask company',
					}))
					.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
		listSearch: {
			async searchCompanies(
				this: ILoadOptionsFunctions,
				filter?: string,
			): Promise<INodeListSearchResult> {
				const client = new AutotaskClient(createHttpClient(this, AUTOTASK));
				const text = (filter ?? '').trim();
				const rows = await client.query<{ id: number; companyName?: string }>('Companies', {
					filter: [
						{ op: 'eq', field: 'isActive', value: true },
						...(text ? [{ op: 'contains', field: 'companyName', value: text }] : []),
					],
					includeFields: ['id', 'companyName'],
					limit: 100,
				});
				return {
					results: rows.map((row) => ({
						name: `${String(row.companyName ?? row.id)} (${row.id})`,
						value: String(row.id),
					})),
				};
			},
			async searchAlertTickets(
				this: ILoadOptionsFunctions,
				filter?: string,
			): Promise<INodeListSearchResult> {
				const client = new AutotaskClient(createHttpClient(this, AUTOTASK));
				const text = (filter ?? '').trim();
				const rows = await client.query<{
					id: number;
					ticketNumber?: string;
					title?: string;
					externalID?: string;
				}>('Tickets', {
					filter: [
						{ op: 'beginsWith', field: 'externalID', value: KEY_PREFIX },
						...(text
							? [
									{
										op: 'or',
										items: [
											{ op: 'contains', field: 'title', value: text },
											{ op: 'beginsWith', field: 'ticketNumber', value: text },
										],
									},
								]
							: []),
					],
					includeFields: ['id', 'ticketNumber', 'title', 'externalID'],
					limit: 100,
				});
				return {
					results: rows
						.filter((row) => parseAlertKey(row.externalID))
						.sort((a, b) => b.id - a.id)
						.map((row) => ({
							name: `${row.ticketNumber ?? row.id}: ${row.title ?? ''}`,
							value: String(row.id),
						})),
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const autotaskHttp = createHttpClient(this, AUTOTASK);
		const dattoHttp = createHttpClient(this, DATTO);
		const autotask = new AutotaskClient(autotaskHttp);
		const datto = new DattoClient(dattoHttp);
		const sharedSecret =
			operation === 'processAlert'
				? String(this.getNodeParameter('sharedSecret', 0, '') ?? '')
				: '';
		const secrets = () => [
			...autotaskHttp.secrets(),
			...dattoHttp.secrets(),
			...(sharedSecret ? [sharedSecret] : []),
		];
		const routed = (result: Outcome) => ({
			json: result.json as IDataObject,
			output: OUTPUT_INDEX[result.output],
		});
		const runOptions = { outputs: 4, errorOutput: OUTPUT_INDEX.skipped, secrets };

		if (operation === 'resolveAlertFromTicket') {
			const resolve = ticketAlertResolver(autotask, datto, resolveFromTicketConfig());
			return await runPerItem(this, { ...runOptions, concurrency: 4 }, async (itemIndex) => {
				const ticketId = parseTicketId(
					this.getNodeParameter('ticket', itemIndex, '', { extractValue: true }),
				);
				const result = await resolve(ticketId, {
					expectedAlertUid:
						String(this.getNodeParameter('expectedAlertUid', itemIndex, '') ?? '').trim() ||
						undefined,
					requireComplete: this.getNodeParameter('onlyWhenComplete', itemIndex, true) as boolean,
				});
				return [routed(result)];
			});
		}

		const configured = attempt(() => readProcessAlertsConfig(this));
		if (!configured.ok) throw toNodeError(this.getNode(), configured.error, undefined, secrets());
		const config = configured.value;

		if (operation === 'syncOpenAlerts') {
			const site = String(this.getNodeParameter('syncSite', 0, '') ?? '').trim();
			return await runPerItem(this, { ...runOptions, concurrency: 1 }, async (itemIndex) => {
				// One reconciliation per run, whatever the trigger emitted.
				if (itemIndex > 0) return [];
				return (await syncOpenAlerts(autotask, datto, config, { siteUid: site || undefined })).map(
					routed,
				);
			});
		}

		const secretCheck = readSecretCheck(this);
		const events: Array<AlertEvent | Error> = this.getInputData().map((item) => {
			const parsed = attempt(() => {
				const envelope = unwrapWebhookItem(item.json);
				if (secretCheck) verifySharedSecret(envelope, secretCheck);
				return parseAlertEvent(envelope.body);
			});
			return parsed.ok ? parsed.value : (parsed.error as Error);
		});
		const results = await processAlerts(autotask, datto, config, events, {
			stopOnError: !this.continueOnFail(),
		});
		return await runPerItem(this, { ...runOptions, concurrency: 1 }, async (itemIndex) => {
			return [routed(outcomeOrThrow(results[itemIndex]))];
		});
	}
}

async function picklistValues(
	ctx: ILoadOptionsFunctions,
	entity: string,
	field: string,
	client = new AutotaskClient(createHttpClient(ctx, AUTOTASK)),
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
