import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { graphUserToContact, userSelect } from '../../../lib/contacts/graph';
import type { GraphClient, GraphUser } from '../../../lib/transport/graph';
import { runPerItem } from '../../shared/items';
import type { RoutedJson } from '../../shared/items';
import { GraphTenants } from '../clients';

/** The node's outputs, in order. */
export const OUTPUT_NAMES = ['Users', 'No Address'];

const USERS_OUTPUT = 0;
const NO_ADDRESS_OUTPUT = 1;

/** What every operation needs for one item. */
export interface UserItem {
	/** The client of the item's tenant (made when first asked). */
	graph: () => GraphClient;
	/** The Graph properties to read. */
	select: string[];
	simplify: boolean;
}

/**
 * Runs `handle` for every input item, `concurrency` at once, with one Graph client per tenant;
 * its users go to Users or No Address. When the item names a tenant, each user (and a Continue On
 * Fail error item) carries it as `tenant`, so Contact Reconcile can give it to its customer.
 */
export async function runUserItems(
	ctx: IExecuteFunctions,
	concurrency: number,
	handle: (itemIndex: number, item: UserItem) => Promise<RoutedJson[]>,
): Promise<INodeExecutionData[][]> {
	const tenants = new GraphTenants(ctx);
	const tenantStamp = (itemIndex: number): IDataObject | undefined => {
		// As typed (a bad value fails the item elsewhere): the customer map row holds the same text.
		const tenant = String(ctx.getNodeParameter('tenantId', itemIndex, '') ?? '')
			.trim()
			.toLowerCase();
		return tenant ? { tenant } : undefined;
	};
	const options = {
		concurrency,
		outputs: OUTPUT_NAMES.length,
		secrets: tenants.secrets,
		errorContext: tenantStamp,
	};
	return await runPerItem(ctx, options, async (itemIndex) => {
		const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
		const select = selectFor(ctx, itemIndex);
		const routed = await handle(itemIndex, {
			graph: () => tenants.clientFor(itemIndex),
			select,
			simplify,
		});
		const stamp = tenantStamp(itemIndex);
		if (stamp) for (const item of routed) Object.assign(item.json, stamp);
		return routed;
	});
}

/** The Graph properties to read for the item: the mapping's own plus its Extra Properties. */
function selectFor(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return userSelect(options.extraProperties);
}

/** A user on the Users output, or on No Address (with the reason) when it has no usable address. */
export function routeUser(user: GraphUser, simplify: boolean, extra: IDataObject = {}): RoutedJson {
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

/** A removed user (Get Changes): only its id is known. */
export function removedUser(json: IDataObject): RoutedJson {
	return { json, output: USERS_OUTPUT };
}
