import type { FoundByEmail } from '../../lib/contacts/findByEmail';
import type { InputError } from '../../lib/transport/http';
import type { RoutedJson } from './items';

export interface FindByEmailOutput<T> {
	/** Whether an item whose address no contact has still gives an item ({ email, found: false }). */
	outputNotFound(itemIndex: number): boolean;
	/** The output item of one contact found (the node adds found and matchedEmail). */
	found(contact: T, email: string, itemIndex: number): RoutedJson | Promise<RoutedJson>;
}

/** Each input item's outcome of a batched Find by Email (see lib/contacts/findByEmail.ts). */
export function findByEmailItems<T>(
	wanted: ReadonlyArray<string | InputError>,
	found: FoundByEmail<T>,
	output: FindByEmailOutput<T>,
): (itemIndex: number) => Promise<RoutedJson[]> {
	return async (itemIndex) => {
		const email = wanted[itemIndex];
		if (typeof email !== 'string') throw email;
		if (found.error !== undefined) throw found.error;
		const matches = found.matches(email);
		if (!matches.length)
			return output.outputNotFound(itemIndex) ? [{ json: { email, found: false } }] : [];
		return await Promise.all(
			matches.map(async (contact) => await output.found(contact, email, itemIndex)),
		);
	};
}
