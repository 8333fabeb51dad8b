import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	buildUserQuery,
	checkRawFilter,
	graphUserToContact,
	parseTenant,
	removedUserContact,
	requireUserId,
	userSelect,
} from '../../lib/contacts/graph';
import type { GraphUserFilters } from '../../lib/contacts/graph';
import { parseDomains } from '../../lib/contacts/domains';
import {
	GRAPH_MAX_PAGE_SIZE,
	GRAPH_TENANT_PATTERN,
	GraphClient,
	odataString,
	relativeGraphLink,
} from '../../lib/transport/graph';
import type { GraphRemovedUser, GraphUser } from '../../lib/transport/graph';
import { runPerItem } from '../shared/items';
import type { RoutedJson } from '../shared/items';
import { createHttpClient } from '../shared/n8nHttpAdapter';
import { userFields, userOperations } from './description';

const CREDENTIAL = 'microsoftGraphAppApi';
const USERS_OUTPUT = 0;
const NO_ADDRESS_OUTPUT = 1;

/** Where Get Changes keeps its position, per tenant, in the node's workflow static data. */
interface DeltaPosition {
	link: string;
	/** The link the last round started from, for "Replay Previous Changes". */
	previousLink: string;
	/** The $select the link was made with: a link made for other properties is not reused. */
	select: string;
	savedAt: string;
}

export class Office365Users implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Users',
		name: 'office365Users',
		icon: {
			light: 'file:../../icons/microsoft365.svg',
			dark: 'file:../../icons/microsoft365.dark.svg',
		},
		group: ['input'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "getAll" ? "Get many users" : $parameter["operation"] === "getChanges" ? "Get changed users" : "Get a user"}}',
		description: 'Read Microsoft 365 users through Microsoft Graph as contacts for a PSA sync',
		defaults: { name: 'Office 365 Users' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Users', 'No Address'],
		credentials: [{ name: CREDENTIAL, required: true }],
		properties: [...userOperations, ...userFields],
	};

	methods = {
		listSearch: {
			async searchUsers(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const tenant = String(this.getCurrentNodeParameter('tenantId') ?? '').trim();
				const usable = tenant && !tenant.startsWith('=') && GRAPH_TENANT_PATTERN.test(tenant);
				const http = createHttpClient(this, CREDENTIAL, {
					credentialOverrides: usable ? { tenantId: tenant } : undefined,
				});
				const graph = new GraphClient(http);
				const select = 'id,displayName,mail,userPrincipalName';
				let page: { value?: GraphUser[]; '@odata.nextLink'?: string };
				if (paginationToken) {
					page = await graph.request(relativeGraphLink(paginationToken));
				} else {
					const text = (filter ?? '').trim();
					const qs: IDataObject = { $select: select, $top: 50 };
					if (text) {
						const value = odataString(text);
						qs.$filter = `startsWith(displayName,${value}) or startsWith(mail,${value}) or startsWith(userPrincipalName,${value})`;
					}
					page = await graph.request('/users', { qs: qs as Record<string, string | number> });
				}
				return {
					results: (page.value ?? []).map((user) => ({
						name: `${String(user.displayName ?? user.userPrincipalName ?? user.id)} (${String(user.mail ?? user.userPrincipalName ?? '')})`,
						value: user.id,
					})),
					paginationToken: page['@odata.nextLink'],
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const clients = new Map<string, { graph: GraphClient; secrets: () => string[] }>();

		// One client per tenant per execution: each has its own credential copy and token.
		const clientFor = (itemIndex: number): GraphClient => {
			const tenant = tenantOf(this, itemIndex);
			const key = tenant.toLowerCase();
			let entry = clients.get(key);
			if (!entry) {
				const http = createHttpClient(this, CREDENTIAL, {
					itemIndex,
					credentialOverrides: tenant ? { tenantId: tenant } : undefined,
				});
				entry = { graph: new GraphClient(http), secrets: () => http.secrets() };
				clients.set(key, entry);
			}
			return entry.graph;
		};

		return await runPerItem(
			this,
			{
				// Get Changes moves a saved position: items run one after another.
				concurrency: operation === 'getChanges' ? 1 : 4,
				outputs: 2,
				secrets: () => [...clients.values()].flatMap((client) => client.secrets()),
			},
			async (itemIndex) => {
				const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
				const select = selectFor(this, itemIndex);
				if (operation === 'get') {
					const id = requireUserId(
						this.getNodeParameter('user', itemIndex, '', { extractValue: true }),
					);
					const user = await clientFor(itemIndex).getUser(id, select);
					return [route(user, simplify)];
				}
				if (operation === 'getAll')
					return await getMany(this, itemIndex, clientFor(itemIndex), select, simplify);
				if (operation === 'getChanges')
					return await getChanges(this, itemIndex, clientFor(itemIndex), select, simplify);
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`, {
					itemIndex,
				});
			},
		);
	}
}

function tenantOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return parseTenant(ctx.getNodeParameter('tenantId', itemIndex, ''));
}

function selectFor(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return userSelect(options.extraProperties);
}

/** A user on the Users output, or on No Address (with the reason) when it has no usable address. */
function route(user: GraphUser, simplify: boolean, extra: IDataObject = {}): RoutedJson {
	const mapped = graphUserToContact(user);
	const json: IDataObject = simplify
		? { ...(mapped.contact as unknown as IDataObject) }
		: ({ ...user } as IDataObject);
	Object.assign(json, extra);
	if (mapped.noAddressReason)
		return {
			json: { ...json, noAddressReason: mapped.noAddressReason },
			output: NO_ADDRESS_OUTPUT,
		};
	return { json, output: USERS_OUTPUT };
}

async function getMany(
	ctx: IExecuteFunctions,
	itemIndex: number,
	graph: GraphClient,
	select: string[],
	simplify: boolean,
): Promise<RoutedJson[]> {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
	const raw = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: GraphUserFilters = {
		enabledOnly: raw.enabledOnly === true,
		licensedOnly: raw.licensedOnly === true,
		membersOnly: raw.membersOnly === true,
		domains: parseDomains(raw.emailDomains, 'Email Domains'),
		excludeShared: raw.excludeShared === true,
		rawFilter: checkRawFilter(String(raw.rawFilter ?? ''), 'Raw Filter'),
	};
	const query = buildUserQuery(filters);
	const out: RoutedJson[] = [];
	const top =
		limit === undefined ? GRAPH_MAX_PAGE_SIZE : Math.min(GRAPH_MAX_PAGE_SIZE, Math.max(limit, 100));
	for await (const page of graph.listUserPages({
		select,
		filter: query.serverFilter || undefined,
		top,
	})) {
		for (const user of page.users) {
			if (!query.accepts(user)) continue;
			out.push(route(user, simplify));
			if (limit !== undefined && out.length >= limit) return out;
		}
	}
	return out;
}

async function getChanges(
	ctx: IExecuteFunctions,
	itemIndex: number,
	graph: GraphClient,
	select: string[],
	simplify: boolean,
): Promise<RoutedJson[]> {
	const raw = ctx.getNodeParameter('changeFilters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const query = buildUserQuery({
		enabledOnly: false,
		licensedOnly: false,
		membersOnly: raw.membersOnly === true,
		domains: parseDomains(raw.emailDomains, 'Email Domains'),
		excludeShared: raw.excludeShared === true,
	});

	// The position is kept per tenant: the item's tenant, or the credential's.
	const tenant =
		tenantOf(ctx, itemIndex) ||
		String((await ctx.getCredentials(CREDENTIAL, itemIndex)).tenantId ?? '').trim();
	const key = tenant.toLowerCase();
	const staticData = ctx.getWorkflowStaticData('node');
	const positions = (staticData.deltaPositions ?? {}) as Record<string, DeltaPosition>;
	const saved = positions[key];
	const selectKey = select.join(',');
	let link: string | undefined;
	let sync: 'initial' | 'incremental' | 'resync' = 'initial';
	let syncNote: string | undefined;
	if (saved && options.startOver !== true) {
		if (saved.select !== selectKey) {
			syncNote = 'The properties read changed since the saved position: this is a full read.';
		} else {
			link =
				options.replayPrevious === true && saved.previousLink ? saved.previousLink : saved.link;
			sync = 'incremental';
		}
	}

	const round = await graph.deltaOrFullRead({ select, link });
	if (round.expired) {
		sync = 'resync';
		syncNote = `The saved position expired (${round.expired.vendorCode ?? `HTTP ${round.expired.httpCode}`}): this is a full read of every user. Users removed since the last run are not listed; a full comparison finds them.`;
	}

	// Manual runs are not saved by n8n; the node does not even try, so a preview never moves the position.
	if (ctx.getMode() !== 'manual') {
		staticData.deltaPositions = {
			...positions,
			[key]: {
				link: round.deltaLink,
				previousLink: link ?? '',
				select: selectKey,
				savedAt: new Date().toISOString(),
			},
		};
	}

	const meta = (changeType: string): IDataObject => {
		const extra: IDataObject = { changeType, sync };
		if (syncNote) extra.syncNote = syncNote;
		return extra;
	};
	const out: RoutedJson[] = [];
	for (const item of round.items) {
		const removed = (item as GraphRemovedUser)['@removed'];
		if (removed) {
			const base: IDataObject = simplify
				? { ...(removedUserContact(String(item.id)) as unknown as IDataObject) }
				: ({ ...item } as IDataObject);
			out.push({
				json: { ...base, ...meta('removed'), removedReason: removed.reason },
				output: USERS_OUTPUT,
			});
			continue;
		}
		const user = item as GraphUser;
		if (!query.accepts(user)) continue;
		out.push(route(user, simplify, meta(sync === 'incremental' ? 'changed' : 'current')));
	}
	return out;
}
