/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { LOG_DIR } from '../../dev/n8n/paths';
import { detail, say, step } from '../../dev/n8n/progress';
import type { WorkflowJson } from '../../dev/n8n/templates';
import { withWebhookStart } from '../../dev/n8n/templates';
import { psaContacts } from '../../dev/psaState';
import type { ContactRecord } from '../../dev/psaState';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow, StaticDataStore } from '../../dev/runner/engine';
import type { WorkflowDefinition } from '../../dev/runner/engine';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { postWebhook, settleExecutions } from './executions';
import type { ExecutionRow } from './executions';
import { breach } from './lane';
import type { QueueLane } from './lane';

/**
 * The contact sync under queue mode: the every-customer Autotask contact template (the customer
 * map in a real Data Table) started twice at the same moment (two queued executions, which the
 * workers run side by side), then once more. The PSA's contacts of every mapped company must end
 * as one clean run leaves them (the same template in n8n's
 * engine against a fresh sandbox from the same seed), with no two active contacts for one
 * address right after the pair (each run settles its own creates), and the third run must write
 * nothing.
 *
 * Queue mode hands webhook and schedule executions to the workers; the lane starts the template
 * through a Webhook node it adds beside the template's schedule (same connections), so it can
 * start two runs at once instead of waiting for the hour.
 */

const TRIGGER_NAME = 'Queue Lane Start';
export const CONTACT_WEBHOOK_PATH = 'queue-lane-contact-sync';
const SETTLE_TIMEOUT_MS = 10 * 60_000;

/** The template with a production webhook that starts it where its schedule does. */
export function withContactWebhook(workflow: WorkflowJson): WorkflowJson {
	return withWebhookStart(workflow, CONTACT_WEBHOOK_PATH, TRIGGER_NAME);
}

/** Contacts compared by what they hold, not by id (ids depend on the order of creates). */
const content = (contact: ContactRecord) =>
	JSON.stringify({ ...contact, id: undefined, emails: [...contact.emails].sort() });

function differences(actual: ContactRecord[], expected: ContactRecord[]): string[] {
	const count = (list: ContactRecord[]) => {
		const map = new Map<string, number>();
		for (const contact of list) map.set(content(contact), (map.get(content(contact)) ?? 0) + 1);
		return map;
	};
	const [a, e] = [count(actual), count(expected)];
	const out: string[] = [];
	for (const key of new Set([...a.keys(), ...e.keys()])) {
		const diff = (a.get(key) ?? 0) - (e.get(key) ?? 0);
		if (diff !== 0) out.push(`${diff > 0 ? '+' : ''}${diff} ${key}`);
	}
	return out;
}

/** Active contacts that share an email address, as "address: ids". */
function activeDuplicates(contacts: ContactRecord[]): string[] {
	const byEmail = new Map<string, string[]>();
	for (const contact of contacts.filter((c) => c.active))
		for (const email of new Set(contact.emails))
			byEmail.set(email, [...(byEmail.get(email) ?? []), contact.id]);
	return [...byEmail.entries()]
		.filter(([, ids]) => ids.length > 1)
		.map(([email, ids]) => `${email}: ${ids.join(', ')}`);
}

/** Which worker ran each execution, from the workers' logs ("Worker started execution N"). */
function workerOf(ids: string[]): Map<string, string> {
	const found = new Map<string, string>();
	for (const file of fs.readdirSync(LOG_DIR).filter((name) => name.startsWith('worker-'))) {
		const text = fs.readFileSync(path.join(LOG_DIR, file), 'utf8');
		for (const id of ids)
			if (new RegExp(`Worker started execution ${id} `).test(text))
				found.set(id, file.replace(/\.log$/, ''));
	}
	return found;
}

/** PSA writes (not reads or queries) to Autotask in the sandbox's log after `fromSeq`. */
function autotaskWrites(lane: QueueLane, fromSeq: number): string[] {
	return lane.sandbox.log.entries
		.filter(
			(entry) =>
				entry.seq > fromSeq &&
				entry.vendor === 'autotask' &&
				entry.method !== 'GET' &&
				!/\/query$/i.test(entry.path),
		)
		.map((entry) => `${entry.method} ${entry.path}`);
}

const lastSeq = (lane: QueueLane) =>
	lane.sandbox.log.entries[lane.sandbox.log.entries.length - 1]?.seq ?? 0;

/** The PSA's contacts of the mapped companies, each marked with its company. */
function mappedContacts(sandbox: Sandbox, companyIds: string[]): ContactRecord[] {
	return companyIds.flatMap((companyId) =>
		psaContacts(sandbox, 'autotask', companyId).map((contact) => ({ ...contact, companyId })),
	);
}

export async function contactSection(
	lane: QueueLane,
	workflowId: string,
	template: WorkflowDefinition,
	companyIds: string[],
): Promise<void> {
	const entries = [lane.cluster.main!, lane.cluster.webhook!];
	const url = (index: number) => `${entries[index % 2].url}/webhook/${CONTACT_WEBHOOK_PATH}`;

	// The reference: one clean run of the same template in n8n's engine, on a fresh sandbox.
	const expected = await step(
		'Contacts: one clean run of the template in the in-process engine, on a fresh sandbox (the reference)',
		async () => {
			const clean = await startSandbox({});
			try {
				const result = await runWorkflow({
					pkg: lane.pkg,
					credentials: new CredentialStore(lane.pkg.credentialTypes, clean.credentials),
					workflow: template,
					startNode: 'Every Hour',
					mode: 'trigger',
					staticData: new StaticDataStore(),
				});
				if (result.status !== 'success')
					throw new Error(`the clean run ended ${result.status}: ${result.error?.message ?? ''}`);
				return mappedContacts(clean, companyIds);
			} finally {
				await clean.stop();
			}
		},
	);
	const before = mappedContacts(lane.sandbox, companyIds);
	detail(
		`companies ${companyIds.join(', ')}: ${before.length} contacts before; a clean run leaves ${expected.length} (${expected.filter((c) => c.active).length} active)`,
	);

	const rows = await step(
		'Contacts: the sync started twice at the same moment (through the main and the webhook processor)',
		async () => {
			const answers = await Promise.all([
				postWebhook(url(0), 'qlane-c1', {}),
				postWebhook(url(1), 'qlane-c2', {}),
			]);
			const refused = answers.filter((answer) => answer.status !== 200);
			if (refused.length > 0)
				throw new Error(
					`the contact webhook refused ${refused.map((a) => a.status || a.error).join(', ')}`,
				);
			return await settleExecutions(lane, workflowId, 2, SETTLE_TIMEOUT_MS);
		},
	);
	const workers = workerOf(rows.map((row) => row.id));
	const overlap =
		rows.length === 2 &&
		rows[0].startedAt !== undefined &&
		rows[1].startedAt !== undefined &&
		Math.max(rows[0].startedAt, rows[1].startedAt) <
			Math.min(rows[0].stoppedAt ?? 0, rows[1].stoppedAt ?? 0);
	detail(
		`executions ${rows.map((row) => `#${row.id} ${row.status} on ${workers.get(row.id) ?? '?'}`).join(', ')}; ${overlap ? 'they ran at the same time' : 'they did not overlap'}`,
	);
	const afterPair = mappedContacts(lane.sandbox, companyIds);
	const pairDuplicates = activeDuplicates(afterPair);
	detail(
		`after the pair: ${afterPair.length} contacts, ${pairDuplicates.length} addresses with two active contacts`,
	);

	const runOnce = async (marker: string, index: number): Promise<ExecutionRow | undefined> => {
		const known = rows.length + index;
		const answer = await postWebhook(url(index), marker, {});
		if (answer.status !== 200)
			throw new Error(`the contact webhook refused ${answer.status || answer.error}`);
		const all = await settleExecutions(lane, workflowId, known + 1, SETTLE_TIMEOUT_MS);
		return all[known];
	};
	const thirdFrom = lastSeq(lane);
	const third = await step(
		'Contacts: once more after them',
		async () => await runOnce('qlane-c3', 0),
	);
	const thirdWrites = autotaskWrites(lane, thirdFrom);
	detail(`run 3: #${third?.id} ${third?.status}, ${thirdWrites.length} writes`);
	let lastWrites = thirdWrites;
	let last = third;
	if (thirdWrites.length > 0) {
		// Run 3 settled what the pair left (e.g. deactivated a duplicate it created): one more run
		// must then find nothing to do.
		const fourthFrom = lastSeq(lane);
		last = await step('Contacts: one more run', async () => await runOnce('qlane-c4', 1));
		lastWrites = autotaskWrites(lane, fourthFrom);
		detail(`run 4: #${last?.id} ${last?.status}, ${lastWrites.length} writes`);
	}

	const final = mappedContacts(lane.sandbox, companyIds);
	const finalDuplicates = activeDuplicates(final);
	const diff = differences(
		final.filter((c) => c.active),
		expected.filter((c) => c.active),
	);
	const runs = [...rows, third, last].filter((row): row is ExecutionRow => row !== undefined);
	const notSuccess = runs.filter((row) => row.status !== 'success');
	if (notSuccess.length > 0)
		lane.failures.push(
			`contacts: ${notSuccess.length} sync runs did not succeed: ${notSuccess.map((row) => `#${row.id} ${row.status}`).join(', ')}`,
		);
	if (finalDuplicates.length > 0)
		breach(
			lane,
			'contacts.concurrent',
			`contacts: ${finalDuplicates.length} addresses have two active contacts, e.g. ${finalDuplicates.slice(0, 3).join('; ')}`,
		);
	if (diff.length > 0)
		breach(
			lane,
			'contacts.concurrent',
			`contacts: the active contacts differ from a single clean run's (${diff.length} differences), e.g. ${diff.slice(0, 3).join('; ')}`,
		);
	// Each run settles its own creates (docs/adr/contact-sync-settles-its-own-creates.md): the pair
	// leaves no duplicate, and the third run has nothing to write.
	if (pairDuplicates.length > 0)
		breach(
			lane,
			'contacts.concurrent',
			`contacts: the two runs at once left ${pairDuplicates.length} addresses with two active contacts, e.g. ${pairDuplicates.slice(0, 3).join('; ')}`,
		);
	if (thirdWrites.length > 0)
		breach(
			lane,
			'contacts.concurrent',
			`contacts: the third run still wrote ${thirdWrites.length} times, e.g. ${thirdWrites.slice(0, 3).join(', ')}`,
		);
	if (lastWrites.length > 0 && last !== third)
		breach(
			lane,
			'contacts.concurrent',
			`contacts: the last run still wrote ${lastWrites.length} times, e.g. ${lastWrites.slice(0, 3).join(', ')}`,
		);
	const summary = `contacts: 2 runs at once (${overlap ? 'overlapping' : 'not overlapping'}, on ${[...new Set(workers.values())].join(' and ') || '?'}) left ${pairDuplicates.length} duplicate addresses; run 3 wrote ${thirdWrites.length}${last !== third ? `, run 4 wrote ${lastWrites.length}` : ''}; final ${final.filter((c) => c.active).length} active contacts, ${diff.length} differences from a clean run, ${finalDuplicates.length} duplicates`;
	lane.summary.push(summary);
	lane.figures.push(summary);
	say(summary);
}
