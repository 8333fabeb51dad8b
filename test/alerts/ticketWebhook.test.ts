/**
 * The reverse path (issue 22): Autotask's signed ticket webhook, through the n8n engine, resolves
 * the Datto alerts on a ticket a technician completed, and nothing else.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import type { OutboundDelivery } from '../../sandbox/core/outbox';
import type { RaiseAlertInput } from '../../sandbox/datto/state';
import { rawAutotask } from '../autotask/fixtures';
import { alertTickets, harness, notesOf, run, SEED, webhook } from './helpers';
import type { AlertHarness } from './helpers';

const SECRET = 'tw-secret-&-plus+';
const CALM = { options: { stormPerDevice: 0, stormPerSite: 0 } };
const FS01 = SEED.fs01.uid;

let sandbox: Sandbox;
let h: AlertHarness;

const disk = (name: string): RaiseAlertInput['alertContext'] => ({
	'@class': 'perf_disk_usage_ctx',
	diskName: name,
	freeSpace: 3.1,
	totalVolume: 500,
	unitOfMeasure: 'GB',
});

async function fieldId(name: string): Promise<number> {
	const info = await rawAutotask(sandbox, 'GET', '/TicketWebhookFields/entityInformation/fields');
	const fields = info.body.fields as Array<{ name: string; picklistValues: IDataObject[] | null }>;
	return Number(
		fields
			.find((field) => field.name === 'fieldID')!
			.picklistValues!.find((entry) => entry.label === name)!.value,
	);
}

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
	const created = await rawAutotask(sandbox, 'POST', '/TicketWebhooks', {
		body: {
			name: 'Alert tickets to n8n',
			webhookUrl: 'http://127.0.0.1:5678/webhook/autotask-tickets',
			deactivationUrl: 'http://127.0.0.1:5678/webhook/autotask-deactivated',
			secretKey: SECRET,
			isActive: true,
			isSubscribedToUpdateEvents: true,
		},
	});
	const id = Number(created.body.itemId);
	for (const [name, flags] of [
		['status', { isSubscribedField: true }],
		['externalID', { isDisplayAlwaysField: true }],
	] as const)
		await rawAutotask(sandbox, 'POST', `/TicketWebhooks/${id}/Fields`, {
			body: { fieldID: await fieldId(name), ...flags },
		});
});

afterAll(async () => {
	await sandbox.stop();
});

/** A technician changes a ticket's status in Autotask; the callouts it queued. */
async function technicianSets(ticketId: number, status: number): Promise<OutboundDelivery[]> {
	const before = sandbox.autotask.pendingWebhookDeliveries().length;
	const changed = await rawAutotask(sandbox, 'PATCH', '/Tickets', {
		body: { id: ticketId, status },
	});
	expect(changed.status).toBe(200);
	return sandbox.autotask.pendingWebhookDeliveries().slice(before);
}

/** The item n8n's Webhook node makes of a callout (headers lower-cased, JSON body parsed). */
function item(delivery: OutboundDelivery, headers: Record<string, string | undefined> = {}) {
	const merged: Record<string, string> = {};
	for (const [name, value] of Object.entries({ ...delivery.headers, ...headers }))
		if (value !== undefined) merged[name.toLowerCase()] = value;
	for (const name of Object.keys(headers))
		if (headers[name] === undefined) delete merged[name.toLowerCase()];
	return { headers: merged, params: {}, query: {}, body: JSON.parse(delivery.body) } as IDataObject;
}

const reverse = async (items: IDataObject[], secret = SECRET) =>
	await run(
		h,
		items,
		{ operation: 'resolveAlertFromTicket', input: 'ticketWebhook', webhookSecretKey: secret },
		{ continueOnFail: true },
	);

const isResolved = (uid: string) => sandbox.datto.alert(uid)?.resolved === true;
const dattoResolves = (from: number) =>
	sandbox.log.entries.filter(
		(e) => e.seq > from && e.vendor === 'datto' && e.path.endsWith('/resolve'),
	).length;
const lastSeq = () => sandbox.log.entries.at(-1)?.seq ?? 0;

describe('Resolve Alert From Ticket, from the Autotask ticket webhook', () => {
	test('a completed ticket resolves its own alert and the repeats noted on it, not another open alert of the problem; a re-delivery and a replay change nothing', async () => {
		const first = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('R:') });
		await run(h, [webhook(h, first.alertUid, 'raised')], CALM);
		const ticketId = Number(alertTickets(h, first.alertUid)[0].id);
		const repeat = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('R:') });
		expect((await run(h, [webhook(h, repeat.alertUid, 'raised')], CALM)).updated).toHaveLength(1);
		expect(notesOf(h, ticketId).some((n) => String(n.description).includes(repeat.alertUid))).toBe(
			true,
		);
		// Raised in Datto, its webhook lost: the same problem, but not on the ticket.
		const lost = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('R:') });

		// In progress first: not complete, nothing read or resolved.
		const working = await technicianSets(ticketId, 8);
		let seq = lastSeq();
		const notYet = await reverse(working.map((d) => item(d)));
		expect(notYet.skipped.map((s) => s.decision)).toEqual(['ticketNotComplete']);
		expect(sandbox.log.entries.filter((e) => e.seq > seq)).toHaveLength(0);

		const done = await technicianSets(ticketId, SEED.completeStatus);
		expect(done).toHaveLength(1);
		const out = await reverse([item(done[0])]);
		expect(out.result.status).toBe('success');
		expect(out.completed.map((c) => [c.decision, c.alertUid, c.ticketId])).toEqual([
			['alertResolved', first.alertUid, ticketId],
			['alertResolved', repeat.alertUid, ticketId],
		]);
		expect(isResolved(first.alertUid)).toBe(true);
		expect(isResolved(repeat.alertUid)).toBe(true);
		expect(isResolved(lost.alertUid)).toBe(false);

		// The same delivery again, and the earlier "in progress" one replayed: nothing changes.
		seq = lastSeq();
		const again = await reverse([item(done[0]), ...working.map((d) => item(d))]);
		expect(again.skipped.map((s) => s.decision)).toEqual(['alreadyResolved', 'ticketNotComplete']);
		expect(dattoResolves(seq)).toBe(0);
	});

	test('a missing or wrong signature is rejected with a clear error and changes nothing; a ticket that is not ours is left alone', async () => {
		const alert = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('S:') });
		await run(h, [webhook(h, alert.alertUid, 'raised')], CALM);
		const ticketId = Number(alertTickets(h, alert.alertUid)[0].id);
		const [callout] = await technicianSets(ticketId, SEED.completeStatus);

		const seq = lastSeq();
		const unsigned = await reverse([item(callout, { 'X-Hook-Signature': undefined })]);
		expect(unsigned.skipped[0].error).toMatch(
			/^Unsigned ticket webhook rejected: the X-Hook-Signature header is missing/,
		);
		const forged = await reverse([item(callout)], 'another-secret');
		expect(forged.skipped[0].error).toMatch(
			/^Ticket webhook rejected: its X-Hook-Signature does not match the secret key/,
		);
		const tampered = item(callout);
		(tampered.body as IDataObject).Id = ticketId + 1;
		expect((await reverse([tampered])).skipped[0].error).toMatch(/does not match the secret key/);
		expect(sandbox.log.entries.filter((e) => e.seq > seq)).toHaveLength(0);
		expect(isResolved(alert.alertUid)).toBe(false);
		expect(JSON.stringify([unsigned.all, forged.all])).not.toContain(SECRET);
		// Without Continue On Fail a rejected delivery fails the execution.
		const failed = await run(h, [item(callout, { 'X-Hook-Signature': 'sha1=AAAA' })], {
			operation: 'resolveAlertFromTicket',
			input: 'ticketWebhook',
			webhookSecretKey: SECRET,
		});
		expect(failed.result.status).toBe('error');

		expect((await reverse([item(callout)])).completed[0]).toMatchObject({
			decision: 'alertResolved',
			alertUid: alert.alertUid,
		});

		// A ticket without our key (a technician's own ticket) completed: not ours.
		const theirs = (sandbox.autotask.tickets as IDataObject[]).find(
			(t) => !alertTickets(h).includes(t) && Number(t.status) !== SEED.completeStatus,
		)!;
		const [other] = await technicianSets(Number(theirs.id), SEED.completeStatus);
		expect((await reverse([item(other)])).skipped[0]).toMatchObject({
			decision: 'notAlertTicket',
			ticketId: Number(theirs.id),
		});
	});

	test("the node's own completion (the alert resolved in Datto) fires the webhook too: handled harmlessly", async () => {
		const alert = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('T:') });
		await run(h, [webhook(h, alert.alertUid, 'raised')], CALM);
		const ticketId = Number(alertTickets(h, alert.alertUid)[0].id);
		const before = sandbox.autotask.pendingWebhookDeliveries().length;
		sandbox.datto.resolveAlert(alert.alertUid);
		await run(h, [webhook(h, alert.alertUid, 'resolved')], CALM);
		const own = sandbox.autotask.pendingWebhookDeliveries().slice(before);
		expect(own.length).toBeGreaterThan(0);
		const seq = lastSeq();
		const out = await reverse(own.map((d) => item(d)));
		expect(out.skipped.map((s) => [s.decision, s.ticketId])).toEqual(
			own.map(() => ['alreadyResolved', ticketId]),
		);
		expect(dattoResolves(seq)).toBe(0);
	});

	test('the backstop reverses too: Sync Open Alerts, when enabled, resolves the alert of a ticket completed while its webhook was lost; off, it leaves it', async () => {
		const alert = sandbox.datto.raiseAlert({ deviceUid: FS01, alertContext: disk('U:') });
		await run(h, [webhook(h, alert.alertUid, 'raised')], CALM);
		const ticketId = Number(alertTickets(h, alert.alertUid)[0].id);
		await technicianSets(ticketId, SEED.completeStatus);
		// The callout never arrives.
		const sync = (resolveCompletedTickets: boolean) =>
			run(h, [{}], { operation: 'syncOpenAlerts', resolveCompletedTickets, ...CALM });

		const off = await sync(false);
		expect(off.result.status).toBe('success');
		expect(isResolved(alert.alertUid)).toBe(false);
		expect(alertTickets(h, alert.alertUid)).toHaveLength(1);

		const on = await sync(true);
		expect(on.result.status).toBe('success');
		expect(on.completed.filter((c) => c.alertUid === alert.alertUid)).toEqual([
			expect.objectContaining({ decision: 'alertResolved', ticketId }),
		]);
		expect(isResolved(alert.alertUid)).toBe(true);
		const seq = lastSeq();
		const again = await sync(true);
		expect(again.all.filter((c) => c.alertUid === alert.alertUid)).toEqual([]);
		expect(dattoResolves(seq)).toBe(0);
		expect(alertTickets(h, alert.alertUid)).toHaveLength(1);
	});
});
