import { InputError } from '../transport/http';
import { cleanText, isBlank, normalizeEmail } from './normalize';

/**
 * Find by Email for a whole input at once: each item's address, the distinct ones looked up in as
 * few vendor queries as the vendor's limits allow, then every item gets the contacts with its
 * address. The vendor decides only how to batch and query, and where a contact keeps addresses.
 */

/** Each input item's address, normalized, or the error its item gets; and the distinct ones. */
export function addressesToFind(values: readonly unknown[]): {
	wanted: Array<string | InputError>;
	distinct: string[];
} {
	const wanted = values.map((value): string | InputError => {
		const email = normalizeEmail(value);
		if (email) return email;
		return new InputError(
			'Email',
			isBlank(value)
				? 'Email is empty'
				: `Email "${cleanText(value)}" is not a valid email address`,
			'Map the field that holds the address, e.g. {{ $json.email }}.',
		);
	});
	const distinct = [
		...new Set(wanted.filter((email): email is string => typeof email === 'string')),
	];
	return { wanted, distinct };
}

export interface EmailLookup<T> {
	/** The distinct addresses in batches the vendor takes in one query. */
	batches: readonly string[][];
	query(batch: readonly string[]): Promise<T[]>;
	/** The contact's addresses, normalized. */
	addressesOf(contact: T): Iterable<string>;
}

export interface FoundByEmail<T> {
	/** The contacts with this address, by id. */
	matches(email: string): T[];
	/** Set when a query failed: every item that needed the look-up fails with it. */
	error?: unknown;
}

/** One query per batch; the first failure ends the look-up. */
export async function lookUpByEmail<T extends { id: number }>(
	lookup: EmailLookup<T>,
): Promise<FoundByEmail<T>> {
	const byEmail = new Map<string, T[]>();
	let error: unknown;
	for (const batch of lookup.batches) {
		let found: T[];
		try {
			found = await lookup.query(batch);
		} catch (failure) {
			error = failure;
			break;
		}
		const inBatch = new Set(batch);
		for (const contact of found) {
			for (const address of lookup.addressesOf(contact)) {
				if (!inBatch.has(address)) continue;
				const list = byEmail.get(address) ?? [];
				if (!list.some((known) => known.id === contact.id)) list.push(contact);
				byEmail.set(address, list);
			}
		}
	}
	for (const list of byEmail.values()) list.sort((a, b) => a.id - b.id);
	return { matches: (email) => byEmail.get(email) ?? [], error };
}
