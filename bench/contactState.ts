/**
 * Measure 8: the contact sync's memory for a book of customers (issue 17). One every-customer
 * workflow keeps one Contact Reconcile node's static data for all of them, which n8n stores in the
 * workflow's database row after each production run. Each customer is planned as the node plans
 * it (its own users, its own company, its own scope), after a sync that linked every user, and
 * the static data is measured as n8n handles it: its JSON size, and the time to serialize it (the
 * save) and to parse it (the load at the next run). The database write itself is not measured
 * here (no database in this process).
 */
import { randomUUID } from 'node:crypto';

import type { CanonicalContact } from '../lib/contacts/canonical';
import { SYNC_FIELDS } from '../lib/contacts/canonical';
import {
	DEFAULT_GUARD,
	planReconcile,
	readScopeState,
	scopeKey,
	writeScopeState,
} from '../lib/reconcile';

export interface ContactStateResult {
	customers: number;
	users: number;
	bytes: number;
	bytesPerUser: number;
	stringifyMs: number;
	parseMs: number;
	/** Planning every customer and building the state, in this process. */
	planMs: number;
}

export type ContactStateBench = ContactStateResult[];

function book(customer: number, users: number) {
	const domain = `customer${customer}.example`;
	const companyId = String(29_000_000 + customer);
	const source: CanonicalContact[] = [];
	const target: CanonicalContact[] = [];
	for (let u = 0; u < users; u++) {
		const email = `user${u}@${domain}`;
		const values = {
			email,
			emails: [email],
			firstName: `First${u}`,
			lastName: `Last${u}`,
			title: 'Engineer',
			phone: `+1 425 555 ${String(u % 10_000).padStart(4, '0')}`,
			mobile: '',
			active: true,
		};
		source.push({ system: 'm365', id: randomUUID(), companyId: '', ...values });
		target.push({
			system: 'autotask',
			id: String(30_000_000 + customer * 1_000 + u),
			companyId,
			...values,
		});
	}
	return { domain, companyId, source, target };
}

function measure(customers: number, users: number): ContactStateResult {
	let root: unknown;
	let planMs = 0;
	for (let c = 0; c < customers; c++) {
		const { domain, companyId, source, target } = book(c, users);
		const key = scopeKey('autotask', companyId);
		const started = performance.now();
		const result = planReconcile({
			source,
			target,
			state: readScopeState(root, key),
			options: {
				targetSystem: 'autotask',
				companyId,
				updateExisting: true,
				mode: 'changes',
				fields: SYNC_FIELDS,
				domains: [domain],
				guard: DEFAULT_GUARD,
				dryRun: false,
			},
		});
		root = writeScopeState(root, key, result.state);
		planMs += performance.now() - started;
	}
	// n8n keeps node static data under "node:<name>" in the workflow's staticData column.
	const staticData = { 'node:Contact Reconcile': { contactSync: root } };
	let started = performance.now();
	const json = JSON.stringify(staticData);
	const stringifyMs = performance.now() - started;
	started = performance.now();
	JSON.parse(json);
	const parseMs = performance.now() - started;
	const bytes = Buffer.byteLength(json);
	return {
		customers,
		users,
		bytes,
		bytesPerUser: Math.round(bytes / (customers * users)),
		stringifyMs: Math.round(stringifyMs * 10) / 10,
		parseMs: Math.round(parseMs * 10) / 10,
		planMs: Math.round(planMs),
	};
}

export function benchContactState(books: Array<[number, number]>): ContactStateBench {
	return books.map(([customers, users]) => measure(customers, users));
}
