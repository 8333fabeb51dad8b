import type { IDataObject } from 'n8n-workflow';

import { alertKey, parseAlertKey } from '../../lib/alerts/key';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import type { RaiseAlertInput } from '../../sandbox/datto/state';
import {
	alertTickets,
	apiCallsSince,
	editorCall,
	harness,
	lastSeq,
	notesOf,
	run,
	SEED,
	ticket,
	webhook,
} from './helpers';
import type { AlertHarness } from './helpers';

let sandbox: Sandbox;
let h: AlertHarness;

/** Storm limits off: these tests look at one rule at a time. */
const CALM = { options: { stormPerDevice: 0, stormPerSite: 0 } };

const DEVICES = {
	fs01: '63ebc7f7-c905-45e4-a00a-049462c8cde0',
	dc01: '1d7d3962-1588-4919-af6c-5fbbd5a0e021',
	sql01: '3f2fc960-2c63-4e3a-9a45-6a5a8a4b0d0e',
	ws001: '0023b5fe',
	fabSrv01: '51db25bc',
	ttSrv01: '0ec556dd',
	ttWs01: '7500d0b8',
	awWs101: '0bccf47d',
	pos03: 'aaeab3d6',
};

/** Full device uid from the seed by its first characters. */
function device(prefix: string): string {
	const found = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix));
	if (!found) throw new Error(`No seed device ${prefix}`);
	return found.uid;
}

function raise(
	devicePrefix: string,
	context: RaiseAlertInput['alertContext'],
	extra: Partial<RaiseAlertInput> = {},
) {
	return sandbox.datto.raiseAlert({
		deviceUid: device(devicePrefix),
		alertContext: context,
		...extra,
	});
}

const disk = (name: string) => ({
	'@class': 'perf_disk_usage_ctx',
	diskName: name,
	freeSpace: 3.1,
	totalVolume: 500,
	unitOfMeasure: 'GB',
});
const service = (name: string) => ({
	'@class': 'srvc_status_ctx',
	serviceName: name,
	status: 'STOPPED',
});

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterAll(async () => {
	await sandbox.stop();
});

describe('Process Alert: the ticket life cycle', () => {
	let first: ReturnType<typeof raise>;
	let repeat: ReturnType<typeof raise>;
	let other: ReturnType<typeof raise>;
	let ticketId: number;

	test('a raised alert opens one ticket: defaults, priority map, company from the site, CI, key; cold calls counted', async () => {
		first = raise('63ebc7f7', disk('E:'), {
			priority: 'Critical',
			message: 'Disk E: has 3.1 GB free',
			monitorName: 'Disk Space Monitor',
		});
		const seq = lastSeq(h);
		const out = await run(h, [webhook(h, first.alertUid, 'raised')], CALM);
		expect(out.result.status).toBe('success');
		expect(out.created).toHaveLength(1);
		const created = out.created[0];
		ticketId = Number(created.ticketId);
		expect(created).toMatchObject({
			decision: 'created',
			event: 'raised',
			alertUid: first.alertUid,
			companyId: SEED.contosoCompany,
			companySource: 'site',
			configurationItemId: SEED.fs01.ci,
			ticketNumber: expect.stringMatching(/^T\d{8}\.\d{4}$/),
		});
		const row = ticket(h, ticketId);
		expect(row).toMatchObject({
			companyID: SEED.contosoCompany,
			configurationItemID: SEED.fs01.ci,
			status: 1,
			ticketType: 5,
			source: 6,
			priority: 4,
			title: 'Disk Usage: Disk E: has 3.1 GB free on CONTOSO-FS01',
			externalID: alertKey(
				{
					siteUid: SEED.contosoHq,
					deviceUid: SEED.fs01.uid,
					monitorClass: 'perf_disk_usage_ctx',
					detail: 'e:',
				},
				first.alertUid,
			),
		});
		expect(String(row.externalID).length).toBeLessThanOrEqual(50);
		expect(String(row.description)).toContain(`Datto RMM alert: ${first.alertUid}`);
		expect(out.result.items('RMM Alert to Ticket', 0)[0].pairedItem).toEqual({ item: 0 });
		// Cold execution: alert, site, ticket view, CI, picklists (source, priority by label), create, duplicate check.
		const calls = apiCallsSince(h, seq);
		expect(calls.filter((c) => c.vendor === 'datto').map((c) => c.path)).toEqual([
			`/api/v2/alert/${first.alertUid}`,
			`/api/v2/site/${SEED.contosoHq}`,
		]);
		expect(calls.filter((c) => c.vendor === 'autotask')).toHaveLength(5);
		expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/Tickets'))).toHaveLength(1);
	});

	test('the same body delivered three times: one ticket, the later deliveries skipped with the ticket', async () => {
		const again1 = await run(h, [webhook(h, first.alertUid, 'raised')], CALM);
		const again2 = await run(h, [webhook(h, first.alertUid, 'raised')], CALM);
		for (const again of [again1, again2]) {
			expect(again.skipped).toEqual([
				expect.objectContaining({
					decision: 'duplicateDelivery',
					ticketId,
					alertUid: first.alertUid,
				}),
			]);
		}
		expect(alertTickets(h, first.alertUid)).toHaveLength(1);
	});

	test('a repeat (same device, monitor type and detail) adds a note instead of a ticket', async () => {
		repeat = raise('63ebc7f7', disk('E:'), { priority: 'High' });
		const seq = lastSeq(h);
		const out = await run(h, [webhook(h, repeat.alertUid, 'raised')], CALM);
		expect(out.updated).toEqual([
			expect.objectContaining({ decision: 'repeatNoted', ticketId, alertUid: repeat.alertUid }),
		]);
		expect(alertTickets(h, repeat.alertUid)).toHaveLength(0);
		const notes = notesOf(h, ticketId);
		expect(notes).toHaveLength(1);
		expect(notes[0]).toMatchObject({ title: 'Alert repeated', noteType: 1, publish: 1 });
		expect(String(notes[0].description)).toContain(repeat.alertUid);
		// Alert, ticket view, note: a first delivery pays no look for an earlier note.
		expect(apiCallsSince(h, seq)).toHaveLength(3);
		// Another disk on the same device is another problem.
		other = raise('63ebc7f7', disk('F:'));
		const separate = await run(h, [webhook(h, other.alertUid, 'raised')], CALM);
		expect(separate.created).toHaveLength(1);
		expect(separate.created[0].ticketId).not.toBe(ticketId);
	});

	test('the same repeat delivered again (3 times in all, also twice in one run): still one note, nothing reopened', async () => {
		const seq = lastSeq(h);
		const again = await run(h, [webhook(h, repeat.alertUid, 'raised')], CALM);
		expect(again.skipped).toEqual([
			expect.objectContaining({
				decision: 'duplicateDelivery',
				ticketId,
				alertUid: repeat.alertUid,
			}),
		]);
		// Alert, ticket view, and (the ticket's last activity is not older than the alert) one look at its notes; no write.
		expect(
			apiCallsSince(h, seq).map((c) => `${c.vendor} ${c.method} ${c.path.replace(/^.*V1\.0/, '')}`),
		).toEqual([
			'autotask POST /Tickets/query',
			`datto GET /api/v2/alert/${repeat.alertUid}`,
			'autotask POST /TicketNotes/query',
		]);
		const twice = await run(
			h,
			[webhook(h, repeat.alertUid, 'raised'), webhook(h, repeat.alertUid, 'raised')],
			CALM,
		);
		expect(twice.skipped.map((s) => s.decision)).toEqual([
			'duplicateDelivery',
			'duplicateDelivery',
		]);
		expect(notesOf(h, ticketId)).toHaveLength(1);
		expect(ticket(h, ticketId).status).toBe(1);

		// A new repeat delivered twice in one run: one note.
		const third = raise('63ebc7f7', disk('E:'));
		const batch = await run(
			h,
			[webhook(h, third.alertUid, 'raised'), webhook(h, third.alertUid, 'raised')],
			CALM,
		);
		expect(batch.all.map((o) => o.decision)).toEqual(['repeatNoted', 'duplicateDelivery']);
		expect(
			notesOf(h, ticketId).filter((n) => String(n.description).includes(third.alertUid)),
		).toHaveLength(1);
		sandbox.datto.resolveAlert(third.alertUid);
		const thirdResolved = await run(h, [webhook(h, third.alertUid, 'resolved')], CALM);
		expect(thirdResolved.updated).toEqual([
			expect.objectContaining({ decision: 'resolvedNoteStillOpen', ticketId }),
		]);
	});

	test("resolve of the first alert while its repeat is open: a note, not completion; the repeat's resolve then completes the ticket", async () => {
		sandbox.datto.resolveAlert(first.alertUid, 'tech@northwindit.example');
		let seq = lastSeq(h);
		const out = await run(h, [webhook(h, first.alertUid, 'resolved')], CALM);
		expect(out.updated).toEqual([
			expect.objectContaining({
				decision: 'resolvedNoteStillOpen',
				ticketId,
				alertUid: first.alertUid,
				reason: `Not completed: alert ${repeat.alertUid} of the same problem is still open in Datto RMM`,
			}),
		]);
		expect(ticket(h, ticketId).status).toBe(1);
		const note = notesOf(h, ticketId).at(-1)!;
		expect(note.title).toBe('Alert resolved, problem still alerting');
		expect(String(note.description)).toContain(
			`Datto RMM reports alert ${first.alertUid} resolved at `,
		);
		expect(String(note.description)).toContain(
			`alert ${repeat.alertUid} of the same problem is still open in Datto RMM`,
		);
		// Ticket view, the device's open alerts, a look for this note, the note.
		expect(
			apiCallsSince(h, seq).map((c) => `${c.vendor} ${c.method} ${c.path.replace(/^.*V1\.0/, '')}`),
		).toEqual([
			'autotask POST /Tickets/query',
			`datto GET /api/v2/device/${DEVICES.fs01}/alerts/open`,
			'autotask POST /TicketNotes/query',
			`autotask POST /Tickets/${ticketId}/Notes`,
		]);
		const notes = notesOf(h, ticketId).length;
		const redelivered = await run(h, [webhook(h, first.alertUid, 'resolved')], CALM);
		expect(redelivered.skipped).toEqual([
			expect.objectContaining({ decision: 'alreadyNoted', ticketId }),
		]);
		expect(notesOf(h, ticketId)).toHaveLength(notes);

		// The last open alert of the problem resolves: its webhook names an alert the ticket does
		// not track; the ticket's repeat note names it, and the ticket completes.
		sandbox.datto.resolveAlert(repeat.alertUid);
		seq = lastSeq(h);
		const last = await run(h, [webhook(h, repeat.alertUid, 'resolved')], CALM);
		expect(last.completed).toEqual([
			expect.objectContaining({
				decision: 'completed',
				ticketId,
				alertUid: repeat.alertUid,
				ticketNumber: ticket(h, ticketId).ticketNumber,
			}),
		]);
		const row = ticket(h, ticketId);
		expect(row.status).toBe(SEED.completeStatus);
		expect(String(row.resolution)).toMatch(
			new RegExp(`reports alert ${repeat.alertUid} resolved .*Ticket completed automatically`),
		);
		expect(
			apiCallsSince(h, seq).map((c) => `${c.vendor} ${c.method} ${c.path.replace(/^.*V1\.0/, '')}`),
		).toEqual([
			'autotask POST /Tickets/query',
			'autotask POST /TicketNotes/query',
			`datto GET /api/v2/device/${DEVICES.fs01}/alerts/open`,
			'autotask POST /TimeEntries/query',
			'autotask PATCH /Tickets',
		]);
		const twice = await run(
			h,
			[webhook(h, first.alertUid, 'resolved'), webhook(h, repeat.alertUid, 'resolved')],
			CALM,
		);
		expect(twice.skipped.map((s) => [s.decision, s.ticketId])).toEqual([
			['alreadyComplete', ticketId],
			['alreadyComplete', ticketId],
		]);
	});

	test('resolved, nothing else of the problem open and no activity on the ticket: completed with the resolution on the PATCH (3 calls)', async () => {
		const otherTicket = Number(alertTickets(h, other.alertUid)[0].id);
		sandbox.datto.resolveAlert(other.alertUid);
		const seq = lastSeq(h);
		const out = await run(h, [webhook(h, other.alertUid, 'resolved')], CALM);
		expect(out.completed).toEqual([
			expect.objectContaining({ decision: 'completed', ticketId: otherTicket }),
		]);
		expect(String(ticket(h, otherTicket).resolution)).toMatch(
			/reports alert .* resolved at .*Ticket completed automatically/,
		);
		expect(
			apiCallsSince(h, seq).map((c) => `${c.vendor} ${c.method} ${c.path.replace(/^.*V1\.0/, '')}`),
		).toEqual([
			'autotask POST /Tickets/query',
			`datto GET /api/v2/device/${DEVICES.fs01}/alerts/open`,
			'autotask PATCH /Tickets',
		]);
	});

	test('a real re-fire within the reopen window reopens the ticket; re-deliveries of alerts it already carried do not', async () => {
		const refire = raise('63ebc7f7', disk('E:'));
		const out = await run(h, [webhook(h, refire.alertUid, 'raised')], CALM);
		expect(out.updated).toEqual([
			expect.objectContaining({ decision: 'reopened', ticketId, alertUid: refire.alertUid }),
		]);
		const row = ticket(h, ticketId);
		expect(row.status).toBe(1);
		expect(parseAlertKey(row.externalID)?.alertUid).toBe(refire.alertUid);
		expect(notesOf(h, ticketId).map((n) => n.title)).toContain('Alert re-fired: ticket reopened');
		expect((await run(h, [webhook(h, refire.alertUid, 'raised')], CALM)).skipped).toEqual([
			expect.objectContaining({ decision: 'duplicateDelivery', ticketId }),
		]);

		// A repeat lands on the reopened ticket; a technician completes the ticket while that
		// repeat is still open in Datto (Autotask stamps the completion as the last activity).
		const pending = raise('63ebc7f7', disk('E:'));
		await run(h, [webhook(h, pending.alertUid, 'raised')], CALM);
		const done = new Date().toISOString();
		Object.assign(ticket(h, ticketId), {
			status: SEED.completeStatus,
			completedDate: done,
			lastActivityDate: done,
		});
		const notes = notesOf(h, ticketId).length;
		const redelivered = await run(
			h,
			[webhook(h, pending.alertUid, 'raised'), webhook(h, refire.alertUid, 'raised')],
			CALM,
		);
		expect(redelivered.skipped.map((s) => [s.decision, s.ticketId])).toEqual([
			['duplicateDelivery', ticketId],
			['duplicateDelivery', ticketId],
		]);
		expect(ticket(h, ticketId).status).toBe(SEED.completeStatus);
		expect(notesOf(h, ticketId)).toHaveLength(notes);

		// A new alert of the problem after the completion is a real re-fire.
		const again = raise('63ebc7f7', disk('E:'), { timestamp: Date.parse(done) + 1 });
		const reopened = await run(h, [webhook(h, again.alertUid, 'raised')], CALM);
		expect(reopened.updated).toEqual([
			expect.objectContaining({ decision: 'reopened', ticketId, alertUid: again.alertUid }),
		]);
		for (const alert of [refire, pending, again]) sandbox.datto.resolveAlert(alert.alertUid);
		const resolved = await run(h, [webhook(h, again.alertUid, 'resolved')], CALM);
		expect(resolved.completed).toEqual([expect.objectContaining({ ticketId })]);
	});

	test('re-fired after the reopen window: a new ticket', async () => {
		ticket(h, ticketId).completedDate = new Date(Date.now() - 30 * 3600_000).toISOString();
		const late = raise('63ebc7f7', disk('E:'));
		const out = await run(h, [webhook(h, late.alertUid, 'raised')], CALM);
		expect(out.created).toHaveLength(1);
		expect(out.created[0].ticketId).not.toBe(ticketId);
		const short = raise('63ebc7f7', disk('G:'));
		await run(h, [webhook(h, short.alertUid, 'raised')], CALM);
		sandbox.datto.resolveAlert(short.alertUid);
		await run(h, [webhook(h, short.alertUid, 'resolved')], CALM);
		const reopenOff = raise('63ebc7f7', disk('G:'));
		const noReopen = await run(h, [webhook(h, reopenOff.alertUid, 'raised')], {
			options: { ...CALM.options, reopenWindowHours: 0 },
		});
		expect(noReopen.created).toHaveLength(1);
	});
});

describe('Process Alert: what is not ticketed', () => {
	test("alerts Datto RMM's own PSA integration ticketed are skipped with the reason", async () => {
		const seeded = await run(
			h,
			[
				webhook(
					h,
					'428e8a17-9a61-4f3a-8d1b-3a1e0c5f7d22'.replace(
						/^.*$/,
						sandbox.datto.alerts.find((a) => a.ticketNumber)!.alertUid,
					),
					'raised',
				),
			],
			CALM,
		);
		expect(seeded.skipped).toEqual([
			expect.objectContaining({
				decision: 'nativeTicket',
				reason: expect.stringContaining('T20261030.0012'),
			}),
		]);
		const action = raise(DEVICES.fabSrv01, service('Spooler'), {
			responseActions: [
				{
					actionTime: Date.now(),
					actionType: 'TICKET_CREATED',
					description: 'Ticket created',
					actionReference: 'T20261124.0099',
				},
			],
		});
		const monitor = raise(DEVICES.fabSrv01, service('W32Time'), { createsTicket: true });
		const out = await run(
			h,
			[webhook(h, action.alertUid, 'raised'), webhook(h, monitor.alertUid, 'raised')],
			CALM,
		);
		expect(out.skipped.map((s) => s.decision)).toEqual(['nativeTicket', 'nativeTicket']);
		expect(alertTickets(h, action.alertUid)).toHaveLength(0);
		expect(alertTickets(h, monitor.alertUid)).toHaveLength(0);
		const optedIn = await run(h, [webhook(h, monitor.alertUid, 'raised')], {
			options: { ...CALM.options, skipNativeTickets: false },
		});
		expect(optedIn.created).toHaveLength(1);
	});

	test("monitor type and monitor overrides: don't ticket, or other fields", async () => {
		const parameters = {
			...CALM,
			monitorTypeOverrides: {
				overrides: [
					{ monitorType: 'antivirus_ctx', ticketing: 'dontTicket' },
					{
						monitorType: 'srvc_status_ctx',
						ticketing: 'ticket',
						queueID: '29683482',
						issueType: '4',
						subIssueType: '11',
					},
				],
			},
			monitorOverrides: {
				overrides: [
					{
						matchField: 'either',
						pattern: '/spooler/i',
						ticketing: 'ticket',
						priority: '3',
						queueID: '29683483',
					},
				],
			},
		};
		const av = raise(DEVICES.fabSrv01, {
			'@class': 'antivirus_ctx',
			productName: 'Defender',
			status: 'NotRunning',
		});
		const svc = raise(DEVICES.fabSrv01, service('Dnscache'), { priority: 'Critical' });
		const spooler = raise(DEVICES.awWs101, service('Spooler'), { priority: 'Critical' });
		const out = await run(
			h,
			[
				webhook(h, av.alertUid, 'raised'),
				webhook(h, svc.alertUid, 'raised'),
				webhook(h, spooler.alertUid, 'raised'),
			],
			parameters,
		);
		expect(out.skipped).toEqual([
			expect.objectContaining({
				decision: 'dontTicket',
				alertUid: av.alertUid,
				reason: expect.stringContaining('antivirus_ctx'),
			}),
		]);
		const bySvc = ticket(h, out.created.find((c) => c.alertUid === svc.alertUid)!.ticketId);
		expect(bySvc).toMatchObject({ queueID: 29683482, issueType: 4, subIssueType: 11, priority: 4 });
		const bySpooler = ticket(h, out.created.find((c) => c.alertUid === spooler.alertUid)!.ticketId);
		expect(bySpooler).toMatchObject({
			queueID: 29683483,
			issueType: 4,
			subIssueType: 11,
			priority: 3,
		});
	});
});

describe('Process Alert: the human-work guard', () => {
	async function openTicket(devicePrefix: string, serviceName: string) {
		const raised = raise(devicePrefix, service(serviceName));
		const out = await run(h, [webhook(h, raised.alertUid, 'raised')], CALM);
		return { raised, id: Number(out.created[0].ticketId) };
	}

	test('a ticket a technician took (assigned, time logged, status set by a person) gets a note, not completed', async () => {
		const assigned = await openTicket(DEVICES.awWs101, 'BITS');
		Object.assign(ticket(h, assigned.id), {
			assignedResourceID: 29682886,
			assignedResourceRoleID: 29683461,
		});
		const timed = await openTicket(DEVICES.awWs101, 'Winmgmt');
		(sandbox.autotask.timeEntries as IDataObject[]).push({
			id: 990001,
			ticketID: timed.id,
			resourceID: 29682887,
			roleID: 29683461,
			dateWorked: new Date().toISOString(),
			hoursWorked: 0.5,
		});
		// Logging time is activity on the ticket: Autotask moves its lastActivityDate.
		ticket(h, timed.id).lastActivityDate = new Date(
			Math.max(Date.now(), Date.parse(String(ticket(h, timed.id).createDate)) + 1),
		).toISOString();
		const moved = await openTicket(DEVICES.awWs101, 'Schedule');
		ticket(h, moved.id).status = 8;
		const untouched = await openTicket(DEVICES.awWs101, 'EventLog');

		for (const one of [assigned, timed, moved, untouched])
			sandbox.datto.resolveAlert(one.raised.alertUid);
		const seq = lastSeq(h);
		const out = await run(
			h,
			[assigned, timed, moved, untouched].map((one) => webhook(h, one.raised.alertUid, 'resolved')),
			CALM,
		);
		expect(out.updated.map((u) => [u.ticketId, u.decision])).toEqual([
			[assigned.id, 'resolvedNoteHumanWork'],
			[timed.id, 'resolvedNoteHumanWork'],
			[moved.id, 'resolvedNoteHumanWork'],
		]);
		expect(out.updated.map((u) => u.reason)).toEqual([
			'Human-work guard: it is assigned to resource 29682886',
			'Human-work guard: 1 time entry has been logged on it',
			'Human-work guard: its status was set to "8" by a person',
		]);
		expect(out.completed).toEqual([
			expect.objectContaining({ ticketId: untouched.id, decision: 'completed' }),
		]);
		expect([assigned, timed].map((one) => ticket(h, one.id).status)).toEqual([1, 1]);
		expect(ticket(h, moved.id).status).toBe(8);
		expect(String(notesOf(h, timed.id).at(-1)?.description)).toContain(
			'left open because 1 time entry has been logged on it',
		);
		// Four resolves in one execution: one ticket read, the device's open alerts, one time-entry
		// read (the untouched ticket has had no activity, so no time entries), one PATCH; for each
		// guarded ticket a look for an earlier note and the note.
		expect(
			apiCallsSince(h, seq)
				.map((c) => `${c.method} ${c.path.replace(/^.*V1\.0/, '')}`)
				.sort(),
		).toEqual(
			[
				'POST /Tickets/query',
				`GET /api/v2/device/${device(DEVICES.awWs101)}/alerts/open`,
				'POST /TimeEntries/query',
				'PATCH /Tickets',
				...Array(3).fill('POST /TicketNotes/query'),
				`POST /Tickets/${assigned.id}/Notes`,
				`POST /Tickets/${timed.id}/Notes`,
				`POST /Tickets/${moved.id}/Notes`,
			].sort(),
		);
		// Delivered again: told once, not twice.
		const again = await run(h, [webhook(h, timed.raised.alertUid, 'resolved')], CALM);
		expect(again.skipped).toEqual([
			expect.objectContaining({ decision: 'alreadyNoted', ticketId: timed.id }),
		]);
		expect(
			notesOf(h, timed.id).filter((n) => n.title === 'Alert resolved in Datto RMM'),
		).toHaveLength(1);
	});
});

describe('Process Alert: order, unknown alerts, bad input', () => {
	test('a resolve that arrives before its create leaves no orphan (separate runs and one batch)', async () => {
		const early = raise(DEVICES.pos03, service('POSAgent'));
		sandbox.datto.resolveAlert(early.alertUid);
		const resolvedFirst = await run(h, [webhook(h, early.alertUid, 'resolved')], CALM);
		expect(resolvedFirst.skipped).toEqual([expect.objectContaining({ decision: 'noTicket' })]);
		const raisedLate = await run(h, [webhook(h, early.alertUid, 'raised')], CALM);
		expect(raisedLate.skipped).toEqual([expect.objectContaining({ decision: 'alreadyResolved' })]);
		expect(alertTickets(h, early.alertUid)).toHaveLength(0);

		const batch = raise(DEVICES.pos03, service('POSPrint'));
		sandbox.datto.resolveAlert(batch.alertUid);
		const reversed = await run(
			h,
			[webhook(h, batch.alertUid, 'resolved'), webhook(h, batch.alertUid, 'raised')],
			CALM,
		);
		expect(reversed.skipped.map((s) => s.decision)).toEqual(['noTicket', 'alreadyResolved']);
		expect(alertTickets(h, batch.alertUid)).toHaveLength(0);
	});

	test('raise and resolve in one batch are applied in order', async () => {
		const quick = raise(DEVICES.pos03, service('POSSync'));
		const body = webhook(h, quick.alertUid, 'raised');
		sandbox.datto.resolveAlert(quick.alertUid);
		// The raise was fetched as open? No: Datto already says resolved, so nothing opens.
		const out = await run(h, [body, webhook(h, quick.alertUid, 'resolved')], CALM);
		expect(out.all.map((o) => o.decision)).toEqual(['alreadyResolved', 'noTicket']);
		const open = raise(DEVICES.pos03, service('POSQueue'));
		const inOrder = await run(
			h,
			[webhook(h, open.alertUid, 'raised'), webhook(h, open.alertUid, 'resolved')],
			CALM,
		);
		expect(inOrder.created).toHaveLength(1);
		expect(inOrder.completed).toEqual([
			expect.objectContaining({ ticketId: inOrder.created[0].ticketId }),
		]);
		expect(ticket(h, inOrder.created[0].ticketId).status).toBe(SEED.completeStatus);
	});

	test('alerts read from the Datto RMM API (full alert JSON) need no further read', async () => {
		const raised = raise(DEVICES.fabSrv01, service('FromApi'));
		const seq = lastSeq(h);
		const out = await run(
			h,
			[structuredClone(sandbox.datto.alert(raised.alertUid)) as unknown as IDataObject],
			CALM,
		);
		expect(out.created).toEqual([
			expect.objectContaining({ alertUid: raised.alertUid, event: 'raised' }),
		]);
		expect(apiCallsSince(h, seq).filter((c) => c.path.includes('/v2/alert/'))).toEqual([]);
		sandbox.datto.resolveAlert(raised.alertUid);
		const resolved = await run(
			h,
			[structuredClone(sandbox.datto.alert(raised.alertUid)) as unknown as IDataObject],
			CALM,
		);
		expect(resolved.completed).toEqual([
			expect.objectContaining({
				alertUid: raised.alertUid,
				event: 'resolved',
				ticketId: out.created[0].ticketId,
			}),
		]);
	});

	test('unknown alerts: a resolve finds no ticket, a raise finds no alert', async () => {
		const ghost = '0f0f0f0f-1111-4222-8333-444444444444';
		const out = await run(
			h,
			[
				{ headers: {}, params: {}, query: {}, body: { event: 'resolved', alertUid: ghost } },
				{ headers: {}, params: {}, query: {}, body: { event: 'raised', alertUid: ghost } },
			],
			CALM,
		);
		expect(out.skipped.map((s) => [s.decision, s.alertUid])).toEqual([
			['noTicket', ghost],
			['alertNotFound', ghost],
		]);
	});

	test('malformed payloads: a per-item error naming the field; the rest of the batch runs', async () => {
		const good = raise(DEVICES.pos03, service('POSGood'));
		const out = await run(
			h,
			[
				{ headers: {}, params: {}, query: {}, body: { event: 'raised' } },
				{ headers: {}, params: {}, query: {}, body: { alertUid: good.alertUid } },
				{ headers: {}, params: {}, query: {}, body: { event: 'raised', alertUid: '[alert_uid]' } },
				{ headers: {}, params: {}, query: {}, body: 'not json' },
				webhook(h, good.alertUid, 'raised'),
			],
			CALM,
			{ continueOnFail: true },
		);
		expect(out.result.status).toBe('success');
		expect(out.skipped.map((s) => [s.field, s.error])).toEqual([
			['alertUid', 'The webhook body is missing "alertUid" [item 0]'],
			['event', 'The webhook body is missing the raised/resolved marker "event" [item 1]'],
			['alertUid', '"alertUid" arrived as the unfilled variable [alert_uid] [item 2]'],
			['body', 'The webhook body is not JSON and has no "alertUid" [item 3]'],
		]);
		expect(out.created).toEqual([expect.objectContaining({ alertUid: good.alertUid })]);
		expect(out.result.items('RMM Alert to Ticket', 3).map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(out.result.items('RMM Alert to Ticket', 0)[0].pairedItem).toEqual({ item: 4 });

		const stops = await run(
			h,
			[{ headers: {}, params: {}, query: {}, body: { event: 'raised' } }],
			CALM,
		);
		expect(stops.result.status).toBe('error');
		expect(stops.result.error?.message).toBe('The webhook body is missing "alertUid" [item 0]');
	});

	test('shared secret: unsigned or wrongly signed deliveries are rejected per item, never echoing the secret', async () => {
		const secret = ['S3cret', 'Webhook', 'Value', '77'].join('-');
		const signed = raise(DEVICES.pos03, service('POSSigned'));
		const signedHeader = raise(DEVICES.pos03, service('POSHeader'));
		const items = [
			webhook(h, signed.alertUid, 'raised'),
			webhook(h, signed.alertUid, 'raised', { secret: 'guessed-value' }),
			webhook(h, signed.alertUid, 'raised', { secret }),
			sandbox.datto.webhookItem(sandbox.datto.webhookBody(signedHeader.alertUid, 'raised'), {
				secret,
				secretHeader: 'X-Webhook-Secret',
			}) as unknown as IDataObject,
		];
		const out = await run(h, items, { ...CALM, sharedSecret: secret }, { continueOnFail: true });
		expect(out.skipped.map((s) => [s.field, s.error])).toEqual([
			[
				'Shared Secret',
				'Unsigned delivery rejected: the header "x-webhook-secret" or query parameter "secret" is missing [item 0]',
			],
			[
				'Shared Secret',
				'Delivery rejected: the header "x-webhook-secret" or query parameter "secret" does not match the shared secret [item 1]',
			],
		]);
		expect(out.created.map((c) => c.alertUid)).toEqual([signed.alertUid, signedHeader.alertUid]);
		// The deliveries themselves carry it; nothing the node emits does.
		expect(JSON.stringify(out.all)).not.toContain(secret);
		const headerOnly = await run(
			h,
			[webhook(h, signed.alertUid, 'raised', { secret })],
			{ ...CALM, sharedSecret: secret, secretOptions: { location: 'header' } },
			{ continueOnFail: true },
		);
		expect(headerOnly.skipped[0].error).toMatch(
			/Unsigned delivery rejected: the header "x-webhook-secret" is missing/,
		);
	});
});

describe('Process Alert: company and configuration item', () => {
	test("the site's own mapping first, then the site table, then the catch-all with a note", async () => {
		const tailspinSite = sandbox.datto.sites.find((s) => s.uid.startsWith(SEED.tailspinSite))!.uid;
		const table = {
			siteCompanies: {
				mappings: [
					{ site: tailspinSite, companyId: SEED.tailspinCompany },
					{ site: 'Contoso HQ', companyId: SEED.fabrikamCompany },
				],
			},
		};
		const tailspin = raise(DEVICES.ttWs01, service('Spooler'));
		const contoso = raise('1d7d3962', service('Netlogon'));
		const out = await run(
			h,
			[webhook(h, tailspin.alertUid, 'raised'), webhook(h, contoso.alertUid, 'raised')],
			{ ...CALM, ...table },
		);
		expect(out.created.map((c) => [c.companyId, c.companySource])).toEqual([
			[SEED.tailspinCompany, 'siteTable'],
			[SEED.contosoCompany, 'site'],
		]);
		const tableFirst = raise('1d7d3962', service('DNS'));
		const noSiteMapping = await run(h, [webhook(h, tableFirst.alertUid, 'raised')], {
			...CALM,
			...table,
			useSiteAutotaskCompany: false,
		});
		// The table maps Contoso HQ to Fabrikam (another customer), but the device is a Contoso
		// configuration item: never a ticket in Fabrikam; the catch-all company, with why.
		expect(noSiteMapping.created[0]).toMatchObject({
			companyId: SEED.ownCompany,
			companySource: 'catchAll',
		});
		const redirected = ticket(h, noSiteMapping.created[0].ticketId);
		expect(String(redirected.description)).toMatch(
			new RegExp(
				`went to the catch-all company because Datto RMM site "Contoso HQ" \\(${SEED.contosoHq}\\) maps to Autotask company ${SEED.fabrikamCompany} \\(the Site to Company table\\), but device CONTOSO-\\S+ is configuration item \\d+ of company ${SEED.contosoCompany}`,
			),
		);
		// Without a catch-all company the delivery fails and nothing is written anywhere.
		const strict = raise('1d7d3962', service('Kdc'));
		const refused = await run(
			h,
			[webhook(h, strict.alertUid, 'raised')],
			{
				...CALM,
				...table,
				useSiteAutotaskCompany: false,
				catchAllCompany: { __rl: true, mode: 'list', value: '' },
			},
			{ continueOnFail: true },
		);
		expect(refused.skipped[0]).toMatchObject({ field: 'Site to Company' });
		expect(String(refused.skipped[0].error)).toMatch(
			new RegExp(`^No ticket opened: .* maps to Autotask company ${SEED.fabrikamCompany} `),
		);
		expect(alertTickets(h, strict.alertUid)).toHaveLength(0);
		expect(
			(sandbox.autotask.tickets as IDataObject[]).filter(
				(t) => Number(t.companyID) === SEED.fabrikamCompany && /Kdc|DNS/.test(String(t.title)),
			),
		).toHaveLength(0);

		const unmapped = raise(DEVICES.ttWs01, service('W32Time'));
		const catchAll = await run(h, [webhook(h, unmapped.alertUid, 'raised')], CALM);
		expect(catchAll.created[0]).toMatchObject({
			companyId: SEED.ownCompany,
			companySource: 'catchAll',
		});
		const id = catchAll.created[0].ticketId;
		expect(String(ticket(h, id).description)).toContain(
			'went to the catch-all company because Datto RMM site "Tailspin Toys (Spokane)"',
		);
		expect(notesOf(h, id).map((n) => n.title)).toEqual(['Company chosen by the catch-all rule']);

		const nowhere = raise(DEVICES.ttWs01, service('Dhcp'));
		const failed = await run(
			h,
			[webhook(h, nowhere.alertUid, 'raised')],
			{ ...CALM, catchAllCompany: { __rl: true, mode: 'list', value: '' } },
			{ continueOnFail: true },
		);
		expect(failed.skipped[0]).toMatchObject({
			field: 'Catch-All Company ID',
			error: 'No Autotask company for Datto RMM site "Tailspin Toys (Spokane)" [item 0]',
		});
		expect(alertTickets(h, nowhere.alertUid)).toHaveLength(0);
	});

	test("the configuration item is attached only from the ticket's own company", async () => {
		const crossCompany = raise(DEVICES.ttSrv01, service('MSSQLSERVER'));
		const out = await run(h, [webhook(h, crossCompany.alertUid, 'raised')], CALM);
		const row = ticket(h, out.created[0].ticketId);
		expect(row.companyID).toBe(SEED.ownCompany);
		expect(row.configurationItemID ?? null).toBeNull();
		expect(String(row.description)).toContain(
			'Configuration item 29700117 matches this device but belongs to another company (29684104); it was not attached.',
		);

		const tailspinSite = sandbox.datto.sites.find((s) => s.uid.startsWith(SEED.tailspinSite))!.uid;
		const sameCompany = raise(DEVICES.ttSrv01, service('SQLAgent'));
		const mapped = await run(h, [webhook(h, sameCompany.alertUid, 'raised')], {
			...CALM,
			siteCompanies: { mappings: [{ site: tailspinSite, companyId: SEED.tailspinCompany }] },
		});
		expect(mapped.created[0]).toMatchObject({
			companyId: SEED.tailspinCompany,
			configurationItemId: 29700117,
		});
		const off = raise(DEVICES.ttSrv01, service('SQLBrowser'));
		const noCi = await run(h, [webhook(h, off.alertUid, 'raised')], {
			...CALM,
			options: { ...CALM.options, attachConfigurationItem: false },
			siteCompanies: { mappings: [{ site: tailspinSite, companyId: SEED.tailspinCompany }] },
		});
		expect(noCi.created[0].configurationItemId).toBeUndefined();
	});

	test('assignee by email, with fallback; an inactive or unknown address is passed over', async () => {
		const a = raise(DEVICES.fabSrv01, service('Assign1'));
		const out = await run(h, [webhook(h, a.alertUid, 'raised')], {
			...CALM,
			options: {
				...CALM.options,
				assignToEmail: 'former.tech@northwindit.example',
				fallbackAssigneeEmail: 'PRIYA.RAMAN@northwindit.example',
			},
		});
		expect(ticket(h, out.created[0].ticketId)).toMatchObject({
			assignedResourceID: 29682888,
			assignedResourceRoleID: 29683461,
		});
		// Our own assignment is not "a technician took it": the resolve completes the ticket.
		sandbox.datto.resolveAlert(a.alertUid);
		const resolved = await run(h, [webhook(h, a.alertUid, 'resolved')], {
			...CALM,
			options: {
				...CALM.options,
				assignToEmail: 'former.tech@northwindit.example',
				fallbackAssigneeEmail: 'priya.raman@northwindit.example',
			},
		});
		expect(resolved.completed).toHaveLength(1);
		const b = raise(DEVICES.fabSrv01, service('Assign2'));
		const none = await run(h, [webhook(h, b.alertUid, 'raised')], {
			...CALM,
			options: { ...CALM.options, assignToEmail: 'nobody@northwindit.example' },
		});
		expect(ticket(h, none.created[0].ticketId).assignedResourceID ?? null).toBeNull();
	});
});

describe('Editor: picklists from the tenant, shown by label, stored by id', () => {
	test('ticket picklists, dependent sub-issue types, statuses, note fields, Datto sites, pickers', async () => {
		expect(await editorCall(h, 'loadOptions', 'getQueues')).toEqual(
			expect.arrayContaining([{ name: 'Monitoring Alert', value: '29683481' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getSubIssueTypes')).toEqual(
			expect.arrayContaining([{ name: 'Monitoring › Disk Space', value: '10' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getStatuses')).toEqual(
			expect.arrayContaining([
				{ name: 'Complete', value: '5' },
				{ name: 'New', value: '1' },
			]),
		);
		expect(await editorCall(h, 'loadOptions', 'getSources')).toEqual(
			expect.arrayContaining([{ name: 'Monitoring Alert', value: '6' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getTicketTypes')).toEqual(
			expect.arrayContaining([{ name: 'Alert', value: '5' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getPriorities')).toEqual(
			expect.arrayContaining([{ name: 'Critical', value: '4' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getWorkTypes')).toEqual(
			expect.arrayContaining([{ name: 'Monitoring', value: '29682803' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getNoteTypes')).toEqual(
			expect.arrayContaining([{ name: 'Task Notes', value: '3' }]),
		);
		expect(await editorCall(h, 'loadOptions', 'getNotePublish')).toEqual(
			expect.arrayContaining([{ name: 'Internal Only', value: '2' }]),
		);
		const sites = (await editorCall(h, 'loadOptions', 'getDattoSites')) as Array<{
			name: string;
			value: string;
			description: string;
		}>;
		expect(sites.find((s) => s.value === SEED.contosoHq)).toEqual({
			name: 'Contoso HQ',
			value: SEED.contosoHq,
			description: 'Autotask: Contoso Ltd',
		});
		const companies = (await editorCall(h, 'listSearch', 'searchCompanies', 'contoso')) as {
			results: Array<{ name: string; value: string }>;
		};
		expect(companies.results).toEqual([{ name: 'Contoso Ltd (29684101)', value: '29684101' }]);
		const tickets = (await editorCall(h, 'listSearch', 'searchAlertTickets', 'Disk Usage')) as {
			results: Array<{ name: string; value: string }>;
		};
		expect(tickets.results.length).toBeGreaterThan(0);
		expect(tickets.results.every((r) => /^T\d{8}\.\d{4}: Disk Usage/.test(r.name))).toBe(true);
	});
});

describe('Contract', () => {
	test('every request the node sent and every answer it got matched the vendor documents', () => {
		const ours = sandbox.contractViolations.filter(
			(v) => v.vendor === 'autotask' || v.vendor === 'datto',
		);
		expect(describeViolations(ours)).toBe('');
	});
});
