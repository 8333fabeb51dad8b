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
 * its users go to Users or No Address.
 */
export async function runUserItems(
	ctx: IExecuteFunctions,
	concurrency: number,
	handle: (itemIndex: number, item: UserItem) => Promise<RoutedJson[]>,
): Promise<INodeExecutionData[][]> {
	const tenants = new GraphTenants(ctx);
	const options = { concurrency, outputs: OUTPUT_NAMES.length, secrets: tenants.secrets };
	return await runPerItem(ctx, options, async (itemIndex) => {
		const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
		const select = selectFor(ctx, itemIndex);
		return await handle(itemIndex, { graph: () => tenants.clientFor(itemIndex), select, simplify });
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
