import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { nativeTicketReason, normalizeAlert } from '../../lib/alerts/alert';
import { alertPart, parseAlertKey, problemPrefix } from '../../lib/alerts/key';
import type { DattoAlert } from '../../lib/transport/datto';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import type { RaiseAlertInput } from '../../sandbox/datto/state';
import { alertTickets, harness, notesOf, run, SEED, ticket, webhook } from './helpers';
import type { AlertHarness } from './helpers';

let sandbox: Sandbox;
let h: AlertHarness;

const SYNC: INodeParameters = { operation: 'syncOpenAlerts', options: { stormPerSite: 0 } };

function raise(
	prefix: string,
	context: RaiseAlertInput['alertContext'],
	extra: Partial<RaiseAlertInput> = {},
) {
	const device = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix))!;
	return sandbox.datto.raiseAlert({ deviceUid: device.uid, alertContext: context, ...extra });
}

const openTicketOf = (alertUid: string) =>
	alertTickets(h, alertUid).find((t) => t.status !== SEED.completeStatus);

/** "DR:<site><device><problem>" of a Datto alert: its device, monitor type and detail. */
function problemOf(alert: DattoAlert): string {
	const info = normalizeAlert(alert);
	return problemPrefix({
		siteUid: info.siteUid,
		deviceUid: info.deviceUid,
		monitorClass: info.monitorClass,
		detail: info.detail,
	});
}

const openTicketOfProblem = (alert: DattoAlert) =>
	alertTickets(h).find(
		(t) => t.status !== SEED.completeStatus && String(t.externalID).startsWith(problemOf(alert)),
	);

function resolveFromTicket(ticketId: number | string, extra: INodeParameters = {}) {
	// "list" mode: the editor's own ID check (digits) does not stop an expression-made value.
	return run(
		h,
		[{}],
		{
			operation: 'resolveAlertFromTicket',
			ticket: { __rl: true, mode: 'list', value: String(ticketId) },
			...extra,
		},
		{ continueOnFail: true },
	);
}

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterAll(async () => {
	await sandbox.stop();
});

describe('Sync Open Alerts (backstop for lost webhooks)', () => {
	test('the first run opens a ticket for every open problem a webhook never brought (repeats noted on it); the next run changes nothing', async () => {
		const open = sandbox.datto.alerts.filter((a) => !a.resolved && !nativeTicketReason(a));
		const problems = new Set(open.map(problemOf));
		expect(problems.size).toBeLessThan(open.length);
		const first = await run(h, [{}], SYNC);
		expect(first.result.status).toBe('success');
		expect(first.created).toHaveLength(problems.size);
		expect(first.created.every((c) => c.decision === 'created')).toBe(true);
		expect(first.updated.every((u) => u.decision === 'repeatNoted')).toBe(true);
		expect([...first.created, ...first.updated].map((c) => c.alertUid).sort()).toEqual(
			open.map((a) => a.alertUid).sort(),
		);
		for (const alert of open) expect(openTicketOfProblem(alert)).toBeDefined();
		// The natively ticketed alert was left alone.
		const native = sandbox.datto.alerts.find((a) => a.ticketNumber)!;
		expect(alertTickets(h, native.alertUid)).toHaveLength(0);

		const second = await run(h, [{}], SYNC);
		expect(second.all).toEqual([]);
	});

	test('a lost raise is ticketed; a lost resolve completes its ticket only when no alert of its problem is open any more', async () => {
		const lostRaise = raise('0ec556dd', {
			'@class': 'srvc_status_ctx',
			serviceName: 'MSSQLSERVER',
			status: 'STOPPED',
		});
		// CONTOSO-FS01's disk C: has two open alerts (the seed's repeat): one ticket tracks the first.
		const disk = sandbox.datto.alerts.filter(
			(a) => a.alertSourceInfo?.deviceName === 'CONTOSO-FS01' && !a.resolved,
		);
		expect(disk).toHaveLength(2);
		expect(new Set(disk.map(problemOf)).size).toBe(1);
		const tracked = disk.find((a) => openTicketOf(a.alertUid))!;
		const repeat = disk.find((a) => a !== tracked)!;
		const ticketId = Number(openTicketOf(tracked.alertUid)!.id);

		sandbox.datto.resolveAlert(tracked.alertUid, 'Auto-resolve');
		const out = await run(h, [{}], SYNC);
		expect(out.created).toEqual([
			expect.objectContaining({
				alertUid: lostRaise.alertUid,
				companyId: SEED.ownCompany,
				companySource: 'catchAll',
			}),
		]);
		// The repeat still alerts: the ticket stays open, and the sync says nothing about it.
		expect(out.all.filter((o) => Number(o.ticketId) === ticketId)).toEqual([]);
		expect(ticket(h, ticketId).status).toBe(1);

		sandbox.datto.resolveAlert(repeat.alertUid, 'Auto-resolve');
		const last = await run(h, [{}], SYNC);
		expect(last.completed).toEqual([
			expect.objectContaining({ decision: 'completed', alertUid: tracked.alertUid, ticketId }),
		]);
		expect(ticket(h, ticketId).status).toBe(SEED.completeStatus);
		expect((await run(h, [{}], SYNC)).all).toEqual([]);
	});

	test('a resolved alert whose ticket a technician works on: noted once, left open', async () => {
		const alert = sandbox.datto.alerts.find(
			(a) => a.alertSourceInfo?.deviceName === 'CONTOSO-WS002' && !a.resolved,
		)!;
		const row = openTicketOf(alert.alertUid)!;
		Object.assign(row, { assignedResourceID: 29682887, assignedResourceRoleID: 29683461 });
		sandbox.datto.resolveAlert(alert.alertUid);
		const out = await run(h, [{}], SYNC);
		expect(out.updated).toEqual([
			expect.objectContaining({ decision: 'resolvedNoteHumanWork', ticketId: row.id }),
		]);
		const again = await run(h, [{}], SYNC);
		expect(again.all).toEqual([]);
		expect(ticket(h, row.id).status).toBe(1);
		expect(
			notesOf(h, row.id).filter((n) => n.title === 'Alert resolved in Datto RMM'),
		).toHaveLength(1);
	});

	test('a duplicate a stopped worker left open is closed into the first; a vanished alert leaves its ticket open', async () => {
		const alert = sandbox.datto.alerts.find(
			(a) => a.alertSourceInfo?.deviceName === 'CONTOSO-DC01' && !a.resolved,
		)!;
		const original = openTicketOf(alert.alertUid)!;
		const tickets = sandbox.autotask.tickets as IDataObject[];
		const duplicateId = Math.max(...tickets.map((t) => Number(t.id))) + 1;
		tickets.push({
			...original,
			id: duplicateId,
			ticketNumber: 'T20261124.9999',
			createDate: new Date().toISOString(),
		});

		const vanished = sandbox.datto.alerts.find(
			(a) => a.alertSourceInfo?.deviceName === 'FAB-SRV01' && !a.resolved,
		)!;
		const vanishedTicket = openTicketOf(vanished.alertUid)!;
		sandbox.datto.alerts.splice(sandbox.datto.alerts.indexOf(vanished), 1);

		const out = await run(h, [{}], SYNC);
		expect(out.completed).toEqual([
			expect.objectContaining({ decision: 'duplicateClosed', ticketId: duplicateId }),
		]);
		expect(ticket(h, duplicateId)).toMatchObject({
			status: SEED.completeStatus,
			resolution: expect.stringContaining(`Duplicate of ticket ${String(original.ticketNumber)}`),
		});
		expect(ticket(h, original.id).status).toBe(1);
		expect(out.skipped).toEqual([
			expect.objectContaining({ decision: 'alertNotFound', ticketId: vanishedTicket.id }),
		]);
		expect(ticket(h, vanishedTicket.id).status).toBe(1);
	});

	test('alerts covered by an open storm ticket are not ticketed again by the sync', async () => {
		const storm = [0, 1, 2].map((n) =>
			raise('7500d0b8', {
				'@class': 'srvc_status_ctx',
				serviceName: `Storm${n}`,
				status: 'STOPPED',
			}),
		);
		const processed = await run(
			h,
			storm.map((a) => webhook(h, a.alertUid, 'raised')),
			{ options: { stormPerDevice: 1, stormPerSite: 0 } },
		);
		expect(processed.created.map((c) => c.decision)).toEqual(['stormTicketCreated']);
		const out = await run(h, [{}], SYNC);
		expect(out.all.filter((o) => storm.some((a) => a.alertUid === o.alertUid))).toEqual([]);
	});
});

describe('Resolve Alert from Ticket (the reverse path)', () => {
	test('a completed alert ticket resolves its own Datto alert; the resulting webhook does not loop', async () => {
		const alert = raise('83c062df', {
			'@class': 'srvc_status_ctx',
			serviceName: 'Reverse',
			status: 'STOPPED',
		});
		const created = await run(h, [webhook(h, alert.alertUid, 'raised')], {
			options: { stormPerSite: 0 },
		});
		const ticketId = Number(created.created[0].ticketId);
		ticket(h, ticketId).status = SEED.completeStatus;
		sandbox.datto.takeOutbox();

		const out = await resolveFromTicket(ticketId);
		expect(out.completed).toEqual([
			expect.objectContaining({ decision: 'alertResolved', alertUid: alert.alertUid, ticketId }),
		]);
		expect(sandbox.datto.alert(alert.alertUid)).toMatchObject({
			resolved: true,
			resolvedBy: 'API User (sandbox)',
		});

		const [sent] = sandbox.datto.takeOutbox();
		expect(sent).toMatchObject({ event: 'resolved', alertUid: alert.alertUid });
		const echoed = await run(
			h,
			[sandbox.datto.webhookItem(sent.body) as unknown as IDataObject],
			{},
		);
		expect(echoed.skipped).toEqual([
			expect.objectContaining({ decision: 'alreadyComplete', ticketId }),
		]);
		const again = await resolveFromTicket(ticketId);
		expect(again.skipped).toEqual([expect.objectContaining({ decision: 'alreadyResolved' })]);
	});

	test("guards: only complete tickets, only the ticket's own alert, only alert tickets", async () => {
		const alert = raise('36afd3a4', {
			'@class': 'srvc_status_ctx',
			serviceName: 'Guarded',
			status: 'STOPPED',
		});
		const created = await run(h, [webhook(h, alert.alertUid, 'raised')], {
			options: { stormPerSite: 0 },
		});
		const ticketId = Number(created.created[0].ticketId);

		expect((await resolveFromTicket(ticketId)).skipped).toEqual([
			expect.objectContaining({ decision: 'ticketNotComplete' }),
		]);
		ticket(h, ticketId).status = SEED.completeStatus;

		const wrongUid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		expect((await resolveFromTicket(ticketId, { expectedAlertUid: wrongUid })).skipped).toEqual([
			expect.objectContaining({
				decision: 'notOwnAlert',
				reason: `Refused: ticket ${String(ticket(h, ticketId).ticketNumber)} tracks alert ${alert.alertUid}, not ${wrongUid}`,
			}),
		]);

		// A key pointing at another device's alert (edited by hand or copied) is refused.
		const other = raise('8c0cf6df', {
			'@class': 'srvc_status_ctx',
			serviceName: 'Guarded',
			status: 'STOPPED',
		});
		const original = String(ticket(h, ticketId).externalID);
		const key = parseAlertKey(original)!;
		const forged = original.replace(`:${key.alertPart}`, `:${alertPart(other.alertUid)}`);
		ticket(h, ticketId).externalID = forged;
		const refused = await resolveFromTicket(ticketId);
		expect(refused.skipped).toEqual([
			expect.objectContaining({ decision: 'notOwnAlert', alertUid: other.alertUid }),
		]);
		expect(sandbox.datto.alert(other.alertUid)?.resolved).toBe(false);
		ticket(h, ticketId).externalID = original;

		expect((await resolveFromTicket(128901)).skipped).toEqual([
			expect.objectContaining({ decision: 'notAlertTicket' }),
		]);
		const missing = await resolveFromTicket(99999999);
		expect(missing.skipped[0]).toMatchObject({
			field: 'Ticket',
			error: 'Autotask ticket 99999999 was not found [item 0]',
		});
		const bad = await resolveFromTicket('T2026');
		expect(bad.skipped[0]).toMatchObject({ field: 'Ticket' });

		expect(
			(await resolveFromTicket(ticketId, { expectedAlertUid: alert.alertUid })).completed,
		).toHaveLength(1);
	});
});

describe('Contract', () => {
	test('no contract violations', () => {
		expect(
			describeViolations(
				sandbox.contractViolations.filter((v) => v.vendor === 'autotask' || v.vendor === 'datto'),
			),
		).toBe('');
	});
});
