/**
 * Measure 9 at a small size (bench/book.ts): one map-driven contact sync over a book of customers
 * reads each tenant's users and each company's contacts once, the PSA tenant's own configuration
 * (Autotask field lengths, ConnectWise communication types) once for the whole run, and writes
 * once per change; the same work as one execution per customer reads that configuration once per
 * customer. Both mint one Graph token per tenant per run; the second run writes nothing.
 * Expectations come from the book's sizes.
 */
import { bookBound, bookCalls } from '../../bench/book';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';

const SIZES = { customers: 4, users: 30, changeRate: 0.05 };

test('a book of customers: the map-driven run takes the bound plus one tenant read, one execution per customer a tenant read each; then no writes', async () => {
	const { calls, contractViolations } = await bookCalls(loadSourcePackage(), SIZES);
	expect(calls.map((run) => `${run.shape} ${run.psa}`).sort()).toEqual([
		'map autotask',
		'map connectwise',
		'perCustomer autotask',
		'perCustomer connectwise',
	]);
	for (const run of calls) {
		const perCustomer = Math.round(SIZES.users * SIZES.changeRate);
		// One read of the PSA tenant's configuration per execution.
		const tenantReads = run.shape === 'map' ? 1 : SIZES.customers;
		expect(run.k).toBe(SIZES.customers * perCustomer);
		expect({ psa: run.psa, shape: run.shape, ...run.first.outputs }).toMatchObject({
			psa: run.psa,
			shape: run.shape,
			update: run.k,
			create: 0,
			deactivate: 0,
			reactivate: 0,
		});
		expect({
			psa: run.psa,
			shape: run.shape,
			graph: run.first.calls.sourceReads,
			writes: run.first.calls.targetWrites,
			total: run.first.calls.total,
			again: run.second.calls.total,
			writesAgain: run.second.calls.targetWrites,
			// A token per tenant; the zone or codebase once, kept in the credential.
			auth: run.first.calls.auth,
		}).toEqual({
			psa: run.psa,
			shape: run.shape,
			graph: SIZES.customers,
			writes: run.k,
			total: bookBound(run.psa, SIZES, run.k) + tenantReads,
			again: bookBound(run.psa, SIZES, 0) + tenantReads,
			writesAgain: 0,
			auth: SIZES.customers + 1,
		});
		// The next run mints a token per tenant again: the credential keeps one token, the last
		// tenant's, which the map-driven run may still find there when that tenant's turn comes.
		const reused = run.shape === 'map' ? 1 : 0;
		expect(run.second.calls.auth).toBeGreaterThanOrEqual(SIZES.customers - reused);
		expect(run.second.calls.auth).toBeLessThanOrEqual(SIZES.customers);
	}
	expect(contractViolations).toBe(0);
});
