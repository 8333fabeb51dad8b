/**
 * Measure 9 at a small size (bench/book.ts): one map-driven contact sync over a book of customers
 * reads each tenant's users and each company's contacts once, the PSA tenant's own configuration
 * (Autotask field lengths, ConnectWise communication types) once for the whole run, and writes
 * once per change; the second run writes nothing. Expectations come from the book's sizes.
 */
import { bookBound, bookCalls } from '../../bench/book';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';

const SIZES = { customers: 4, users: 30, changeRate: 0.05 };

test('a book of customers in one map-driven run: the bound plus one tenant read, then no writes', async () => {
	const { calls, contractViolations } = await bookCalls(loadSourcePackage(), SIZES);
	expect(calls.map((run) => run.psa).sort()).toEqual(['autotask', 'connectwise']);
	for (const run of calls) {
		const perCustomer = Math.round(SIZES.users * SIZES.changeRate);
		expect(run.k).toBe(SIZES.customers * perCustomer);
		expect({ psa: run.psa, ...run.first.outputs }).toMatchObject({
			psa: run.psa,
			update: run.k,
			create: 0,
			deactivate: 0,
			reactivate: 0,
		});
		expect({
			psa: run.psa,
			graph: run.first.calls.sourceReads,
			writes: run.first.calls.targetWrites,
			total: run.first.calls.total,
			again: run.second.calls.total,
			writesAgain: run.second.calls.targetWrites,
		}).toEqual({
			psa: run.psa,
			graph: SIZES.customers,
			writes: run.k,
			total: bookBound(run.psa, SIZES, run.k) + 1,
			again: bookBound(run.psa, SIZES, 0) + 1,
			writesAgain: 0,
		});
	}
	expect(contractViolations).toBe(0);
});
