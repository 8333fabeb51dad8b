/** Outcomes as values: how library code handles a failure without throwing from a catch block. */

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A promise's outcome as a value. Library code translates failures after the fact with it,
 * instead of throwing from catch blocks (n8n's lint reserves those for NodeApiError, which the
 * node layer adds in `toNodeError`).
 */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}

/** `settle` for synchronous work: the outcome of `run` as a value. */
export function attempt<T>(run: () => T): Settled<T> {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}

/** JSON.parse without exceptions. */
export function parseJson(text: string): Settled<unknown> {
	return attempt(() => JSON.parse(text) as unknown);
}
