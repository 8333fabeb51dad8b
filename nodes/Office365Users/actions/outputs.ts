import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphUserToContact, userSelect } from '../../../lib/contacts/graph';
import type { GraphUser } from '../../../lib/transport/graph';
import type { RoutedJson, RunItemsOptions } from '../../shared/items';
import type { GraphTenants } from '../clients';

/** The node's outputs, in order. */
export const OUTPUT_NAMES = ['Users', 'No Address'];

const USERS_OUTPUT = 0;
const NO_ADDRESS_OUTPUT = 1;

/** How every operation emits its items: two outputs, items handled `concurrency` at once. */
export function outputOptions(tenants: GraphTenants, concurrency: number): RunItemsOptions {
	return { concurrency, outputs: OUTPUT_NAMES.length, secrets: tenants.secrets };
}

/** The Graph properties to read for the item: the mapping's own plus its Extra Properties. */
export function selectFor(ctx: IExecuteFunctions, itemIndex: number): string[] {
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
