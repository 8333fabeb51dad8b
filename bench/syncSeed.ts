/**
 * The contact sync's data set: N Microsoft 365 users against the same N contacts in each PSA,
 * built from the sandbox's large seed, with k known changes to check the PSA against afterwards.
 */
import type { Seed } from '../sandbox/core/seed';
import { generateLargeSeed } from '../sandbox/seed/largeSeed';
import type { Scenario } from '../sandbox/scenario';

export interface SyncSeed {
	seed: Seed;
	scenario: Scenario;
	size: number;
	changeRate: number;
	/** Contacts that must change, by the field that differs (one field each). */
	changes: { title: number; phone: number; mobile: number };
	k: number;
	/** The new values, by user email, for checking the PSA afterwards. */
	expected: Map<string, { field: 'title' | 'phone' | 'mobile'; value: string }>;
}

interface GraphUserRow {
	mail: string;
	jobTitle: string;
	businessPhones: string[];
	mobilePhone: string | null;
}

/**
 * N Microsoft 365 users against the same N PSA contacts (both PSAs), with k = changeRate x N
 * contacts that differ in exactly one field: 40% a title (the PSA holds an old one), 30% an office
 * phone and 30% a mobile number that changed in Microsoft 365 (to a new number, of a contact that
 * has one). Everything else is equal, phones written differently on each side.
 */
export function buildSyncSeed(size: number, changeRate = 0.01): SyncSeed {
	const k = Math.max(3, Math.round(size * changeRate));
	const phone = Math.floor(k * 0.3);
	const mobile = Math.floor(k * 0.3);
	const title = k - phone - mobile;
	const large = generateLargeSeed({ users: size, contacts: size, changeRate: title / size });
	if (large.expected.update !== title)
		throw new Error(`generateLargeSeed made ${large.expected.update} title changes, not ${title}`);
	const users = large.seed.graph.users as unknown as GraphUserRow[];
	const taken = new Set(large.expected.changedEmails);
	const expected: SyncSeed['expected'] = new Map();
	for (const email of large.expected.changedEmails) {
		const user = users.find((row) => row.mail === email);
		expected.set(email, { field: 'title', value: String(user?.jobTitle ?? '') });
	}
	/** Spread over the whole list, skipping users already changed (or without the field). */
	const pick = (
		count: number,
		offset: number,
		eligible: (row: GraphUserRow) => boolean,
	): GraphUserRow[] => {
		const out: GraphUserRow[] = [];
		for (let j = 0; j < count; j++) {
			let i = (Math.floor(((j + 0.5) * size) / count) + offset) % size;
			while (taken.has(users[i].mail) || !eligible(users[i])) i = (i + 1) % size;
			taken.add(users[i].mail);
			out.push(users[i]);
		}
		return out;
	};
	pick(phone, 7, () => true).forEach((row, j) => {
		row.businessPhones = [`+1 425 777 ${String(1000 + j).slice(-4)}`];
		expected.set(row.mail, { field: 'phone', value: row.businessPhones[0] });
	});
	pick(mobile, 13, (row) => !!row.mobilePhone).forEach((row, j) => {
		row.mobilePhone = `+1 206 777 ${String(2000 + j).slice(-4)}`;
		expected.set(row.mail, { field: 'mobile', value: row.mobilePhone });
	});
	return {
		seed: large.seed,
		scenario: large.scenario,
		size,
		changeRate,
		changes: { title, phone, mobile },
		k,
		expected,
	};
}
