/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import type { IDataObject } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import type { RaiseAlertInput } from '../../sandbox/datto/state';
import { seedDevice, variedProblem } from '../../dev/alertProblems';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import {
	alertNode,
	alertTickets,
	apiCallsSince,
	delivery,
	harness,
	lastSeq,
	NODE,
	notesOf,
	run,
	SEED,
	ticket,
	webhook,
} from './helpers';
import type { AlertHarness } from './helpers';

let sandbox: Sandbox;
let h: AlertHarness;

function raise(
	prefix: string,
	context: RaiseAlertInput['alertContext'],
	extra: Partial<RaiseAlertInput> = {},
) {
	return sandbox.datto.raiseAlert({
		deviceUid: seedDevice(sandbox, prefix),
		alertContext: context,
		...extra,
	});
}

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => sandbox.datto.resetRateWindows());

describe('Concurrency: state lives on the ticket', () => {
	test('20 concurrent deliveries of the same alert end with exactly one open ticket; every delivery accounted for', async () => {
		const alert = raise(
			'5423870e',
			{ '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
			{ priority: 'Critical' },
		);
		const item = webhook(h, alert.alertUid, 'raised');
		const runs = await Promise.all(
			Array.from(
				{ length: 20 },
				async () => await run(h, [item], { options: { stormPerDevice: 0, stormPerSite: 0 } }),
			),
		);

		for (const one of runs) {
			expect(one.result.status).toBe('success');
			expect(one.all).toHaveLength(1);
		}
		const tickets = alertTickets(h, alert.alertUid);
		const open = tickets.filter((t) => t.status !== SEED.completeStatus);
		expect(open).toHaveLength(1);
		const winner = Number(open[0].id);
		expect(winner).toBe(Math.min(...tickets.map((t) => Number(t.id))));
		// Transient duplicates from the race were closed into the first, never left open.
		for (const duplicate of tickets.filter((t) => Number(t.id) !== winner)) {
			expect(duplicate.status).toBe(SEED.completeStatus);
			expect(String(duplicate.resolution)).toMatch(/^Duplicate of ticket T\d{8}\.\d{4}/);
		}
		const outcomes = runs.map((one) => one.all[0]);
		expect(outcomes.filter((o) => o.decision === 'created')).toHaveLength(1);
		expect(
			outcomes.every((o) =>
				['created', 'mergedIntoExisting', 'duplicateDelivery'].includes(String(o.decision)),
			),
		).toBe(true);
		expect(outcomes.every((o) => Number(o.ticketId) === winner)).toBe(true);
		expect(outcomes.filter((o) => o.decision === 'mergedIntoExisting')).toHaveLength(
			tickets.length - 1,
		);
		process.stdout.write(
			`20 concurrent deliveries: ${tickets.length} tickets created in the race, ${tickets.length - 1} merged; thread-limit rejections so far: ${sandbox.autotask.threadRejections}\n`,
		);
	});
});

describe('Storm guard', () => {
	test('a storm of 500 alerts from one device in one run: one storm ticket, the rest as notes, few calls', async () => {
		const device = seedDevice(sandbox, '0bccf47d');
		const alerts = Array.from({ length: 500 }, (_, index) =>
			raise('0bccf47d', variedProblem(index)),
		);
		const before = lastSeq(h);
		const ticketsBefore = sandbox.autotask.tickets.length;
		const out = await run(
			h,
			alerts.map((alert) => webhook(h, alert.alertUid, 'raised')),
		);
		expect(out.result.status).toBe('success');
		expect(out.created).toEqual([
			expect.objectContaining({ decision: 'stormTicketCreated', alertUid: alerts[0].alertUid }),
		]);
		expect(out.updated).toHaveLength(499);
		expect(
			out.updated.every(
				(u) =>
					u.decision === 'stormNoted' &&
					u.ticketId === out.created[0].ticketId &&
					u.ticketNumber === out.created[0].ticketNumber,
			),
		).toBe(true);
		expect(out.created[0].ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
		expect(sandbox.autotask.tickets.length - ticketsBefore).toBe(1);
		const storm = ticket(h, out.created[0].ticketId);
		expect(parseAlertKey(storm.externalID)?.storm).toBe('device');
		expect(String(storm.title)).toBe(
			'Alert storm: AW-WS101 raised more alerts than the storm limit',
		);
		const notes = notesOf(h, storm.id);
		// 200 alerts a note (the default), each one line.
		expect(notes).toHaveLength(3);
		expect(
			notes.map((n) => String(n.description).split('\n').length).reduce((a, b) => a + b, 0),
		).toBe(499);
		expect(String(notes[0].title)).toBe('Alert storm: 200 alerts');
		const calls = apiCallsSince(h, before);
		const autotask = calls.filter((c) => c.vendor === 'autotask');
		const datto = calls.filter((c) => c.vendor === 'datto');
		// View, CI, picklists, the storm ticket, 3 notes, the duplicate check.
		expect(autotask).toHaveLength(8);
		// Datto: the device's open alerts listed page by page (100 each) instead of 500 single reads, and its site.
		expect(datto.filter((c) => c.path.startsWith('/api/v2/alert/'))).toHaveLength(0);
		expect(datto.filter((c) => c.path === `/api/v2/device/${device}/alerts/open`)).toHaveLength(
			Math.ceil((500 + 1) / 100),
		);
		expect(datto).toHaveLength(Math.ceil((500 + 1) / 100) + 1);
		process.stdout.write(
			`storm of 500 from ${device}: ${autotask.length} Autotask calls, ${datto.length} Datto calls\n`,
		);
	});

	test('storm alerts delivered again change nothing; resolved in one run, the storm ticket records them all and stays for a technician, with no alert reads', async () => {
		const device = seedDevice(sandbox, '0bccf47d');
		const stormTicket = alertTickets(h).find(
			(t) =>
				parseAlertKey(t.externalID)?.storm === 'device' && String(t.description).includes(device),
		)!;
		const stormAlerts = sandbox.datto.alerts.filter(
			(a) =>
				a.alertSourceInfo?.deviceUid === device &&
				!a.resolved &&
				Number(a.timestamp ?? 0) >= Date.parse(String(stormTicket.createDate)) - 60_000,
		);
		expect(stormAlerts).toHaveLength(500);
		// Re-delivered storm alerts are recognised on the storm ticket's notes: nothing written.
		const notes = notesOf(h, stormTicket.id).length;
		const again = await run(
			h,
			stormAlerts.slice(1, 4).map((alert) => webhook(h, alert.alertUid, 'raised')),
		);
		expect(again.skipped.map((s) => [s.decision, Number(s.ticketId)])).toEqual(
			Array(3).fill(['duplicateDelivery', Number(stormTicket.id)]),
		);
		expect(notesOf(h, stormTicket.id)).toHaveLength(notes);
		for (const alert of stormAlerts) sandbox.datto.resolveAlert(alert.alertUid);
		const before = lastSeq(h);
		const out = await run(
			h,
			stormAlerts.map((alert) => webhook(h, alert.alertUid, 'resolved')),
		);
		expect(out.skipped.map((s) => s.decision)).toEqual(Array(500).fill('stormTicket'));
		expect(out.skipped.every((s) => Number(s.ticketId) === Number(stormTicket.id))).toBe(true);
		expect(ticket(h, stormTicket.id).status).toBe(1);
		const calls = apiCallsSince(h, before).map(
			(c) => `${c.method} ${c.path.replace(/^.*V1\.0/, '')}`,
		);
		// The ticket view (500 alert keys and the device: 400 per query), then the storm ticket's
		// notes asked about the 499 alerts it noted (200 per query).
		expect(calls).toEqual([
			...Array(2).fill('POST /Tickets/query'),
			...Array(3).fill('POST /TicketNotes/query'),
		]);
	});

	test('a storm arriving one webhook at a time: the device limit of tickets, one storm ticket, then a note at most once per interval listing the alerts in between; the backstop writes the rest', async () => {
		const secret = 'storm-secret';
		const limits = { sharedSecret: secret, options: { stormPerDevice: 3, stormPerSite: 0 } };
		const signed = (uid: string) => webhook(h, uid, 'raised', { secret });
		const alerts = Array.from({ length: 8 }, (_, index) => raise('b19becbc', variedProblem(index)));
		const decisions: string[] = [];
		for (const alert of alerts.slice(0, 6)) {
			const out = await run(h, [signed(alert.alertUid)], limits);
			decisions.push(String(out.all[0].decision));
		}
		expect(decisions).toEqual([
			'created',
			'created',
			'created',
			'stormTicketCreated',
			'stormDeferred',
			'stormDeferred',
		]);
		const device = sandbox.datto.devices.find((d) => d.uid.startsWith('b19becbc'))!;
		const ofDevice = (h.sandbox.autotask.tickets as IDataObject[]).filter((t) =>
			String(t.description ?? '').includes(device.uid),
		);
		expect(ofDevice).toHaveLength(4);
		const storm = ofDevice.find((t) => parseAlertKey(t.externalID)?.storm)!;
		expect(notesOf(h, storm.id)).toHaveLength(0);

		// Within the interval a signed delivery costs one ticket read: no alert read, no write.
		let seq = lastSeq(h);
		expect((await run(h, [signed(alerts[6].alertUid)], limits)).all[0]).toMatchObject({
			decision: 'stormDeferred',
			ticketId: storm.id,
		});
		expect(apiCallsSince(h, seq).map((c) => `${c.vendor} ${c.method}`)).toEqual(['autotask POST']);

		// The interval passed (the storm ticket's last activity is a minute and a half old): the next
		// delivery writes one note listing it and every alert deferred since.
		storm.lastActivityDate = new Date(Date.now() - 90_000).toISOString();
		seq = lastSeq(h);
		const due = await run(h, [signed(alerts[7].alertUid)], limits);
		expect(due.all[0]).toMatchObject({ decision: 'stormNoted', ticketId: storm.id });
		const listed = notesOf(h, storm.id);
		expect(listed).toHaveLength(1);
		for (const alert of alerts.slice(4, 8))
			expect(String(listed[0].description)).toContain(alert.alertUid);
		// A ticket read, its alert, the device's open alerts, one note (the alerts are newer than the
		// storm ticket's last activity: no note can name them yet, so none is read).
		expect(
			apiCallsSince(h, seq).map((c) =>
				`${c.vendor} ${c.method} ${c.path.replace(/^.*V1\.0/, '')}`.replace(
					/[0-9a-f-]{36}/,
					'{uid}',
				),
			),
		).toEqual([
			'autotask POST /Tickets/query',
			'datto GET /api/v2/alert/{uid}',
			'datto GET /api/v2/device/{uid}/alerts/open',
			`autotask POST /Tickets/${String(storm.id)}/Notes`,
		]);

		// A new alert is deferred again; the backstop writes it, and nothing the next time.
		alerts.push(raise('b19becbc', variedProblem(8)));
		expect((await run(h, [signed(alerts[8].alertUid)], limits)).all[0].decision).toBe(
			'stormDeferred',
		);
		const sync = { operation: 'syncOpenAlerts', options: { stormPerDevice: 3, stormPerSite: 0 } };
		await run(h, [{}], sync);
		const after = notesOf(h, storm.id);
		expect(after).toHaveLength(2);
		expect(String(after[1].description)).toContain(alerts[8].alertUid);
		await run(h, [{}], sync);
		expect(notesOf(h, storm.id)).toHaveLength(2);
	});

	test('a site-wide storm (many devices, each under its own limit): one site storm ticket', async () => {
		const fabrikam = ['51db25bc', 'b68d8b30', 'f6c33ea3'];
		const alerts = fabrikam.flatMap((prefix) =>
			[0, 1].map((n) => raise(prefix, variedProblem(n + 10))),
		);
		const out = await run(
			h,
			alerts.map((alert) => webhook(h, alert.alertUid, 'raised')),
			{ options: { stormPerDevice: 3, stormPerSite: 4 } },
		);
		expect(out.created).toEqual([expect.objectContaining({ decision: 'stormTicketCreated' })]);
		expect(parseAlertKey(ticket(h, out.created[0].ticketId).externalID)?.storm).toBe('site');
		expect(out.updated.map((u) => u.decision)).toEqual(Array(5).fill('stormNoted'));
	});
});

describe('API calls per alert with warm per-execution caches', () => {
	const calm = { options: { stormPerDevice: 0, stormPerSite: 0 } };
	const service = (name: string): RaiseAlertInput['alertContext'] => ({
		'@class': 'srvc_status_ctx',
		serviceName: name,
		status: 'STOPPED',
	});
	const perAlert = (seq: number, alerts: unknown[]) => apiCallsSince(h, seq).length / alerts.length;

	async function budget(devices: string[], perDevice: number) {
		const problems = devices.flatMap((prefix) =>
			Array.from({ length: perDevice }, (_, n) => ({ prefix, service: `Budget-${prefix}-${n}` })),
		);
		const fresh = problems.map((p) => raise(p.prefix, service(p.service)));
		let seq = lastSeq(h);
		const created = await run(
			h,
			fresh.map((a) => webhook(h, a.alertUid, 'raised')),
			calm,
		);
		expect(created.created).toHaveLength(fresh.length);
		const perNew = perAlert(seq, fresh);

		const repeats = problems.map((p) => raise(p.prefix, service(p.service)));
		seq = lastSeq(h);
		const noted = await run(
			h,
			repeats.map((a) => webhook(h, a.alertUid, 'raised')),
			calm,
		);
		expect(noted.updated.map((u) => u.decision)).toEqual(Array(repeats.length).fill('repeatNoted'));
		const perRepeat = perAlert(seq, repeats);

		// The first alerts resolve while their repeats still alert: notes, no completion.
		for (const alert of fresh) sandbox.datto.resolveAlert(alert.alertUid);
		seq = lastSeq(h);
		const stillOpen = await run(
			h,
			fresh.map((a) => webhook(h, a.alertUid, 'resolved')),
			calm,
		);
		expect(stillOpen.updated.map((u) => u.decision)).toEqual(
			Array(fresh.length).fill('resolvedNoteStillOpen'),
		);
		const perResolveNoted = perAlert(seq, fresh);

		// The repeats, the last open alerts of their problems, resolve: the tickets complete.
		for (const alert of repeats) sandbox.datto.resolveAlert(alert.alertUid);
		seq = lastSeq(h);
		const completed = await run(
			h,
			repeats.map((a) => webhook(h, a.alertUid, 'resolved')),
			calm,
		);
		expect(completed.completed.map((c) => [c.decision, c.ticketId])).toEqual(
			created.created.map((c) => ['completed', c.ticketId]),
		);
		const perResolveLast = perAlert(seq, repeats);

		// Alerts whose tickets had no repeat and no activity: completed without a time-entry read.
		const plain = problems.map((p) => raise(p.prefix, service(`${p.service}-plain`)));
		await run(
			h,
			plain.map((a) => webhook(h, a.alertUid, 'raised')),
			calm,
		);
		for (const alert of plain) sandbox.datto.resolveAlert(alert.alertUid);
		seq = lastSeq(h);
		const plainDone = await run(
			h,
			plain.map((a) => webhook(h, a.alertUid, 'resolved')),
			calm,
		);
		expect(plainDone.completed).toHaveLength(plain.length);
		const perResolve = perAlert(seq, plain);

		process.stdout.write(
			`calls per alert (${devices.length} devices x ${perDevice} problems in one run): new ${perNew.toFixed(2)}, repeat ${perRepeat.toFixed(2)}, resolve ${perResolve.toFixed(2)}, resolve while the problem still alerts ${perResolveNoted.toFixed(2)}, resolve of the last open alert (a repeat) ${perResolveLast.toFixed(2)}\n`,
		);
		return { perNew, perRepeat, perResolve, perResolveNoted, perResolveLast };
	}

	test('new ≤ 3, repeat ≤ 2, every kind of resolve ≤ 3 (Autotask + Datto) for a busy run: a few devices, several problems each', async () => {
		const { perNew, perRepeat, perResolve, perResolveNoted, perResolveLast } = await budget(
			['1d7d3962', '63ebc7f7', '3f2fc960'],
			4,
		);
		expect(perNew).toBeLessThanOrEqual(3);
		expect(perRepeat).toBeLessThanOrEqual(2);
		for (const resolve of [perResolve, perResolveNoted, perResolveLast])
			expect(resolve).toBeLessThanOrEqual(3);
	});

	test('one problem on each of 9 devices in one run: new and every resolve within budget, repeat one query above 2', async () => {
		const { perNew, perRepeat, perResolve, perResolveNoted, perResolveLast } = await budget(
			[
				'0023b5fe',
				'83c062df',
				'36afd3a4',
				'8c0cf6df',
				'31c5f660',
				'f2af4198',
				'5423870e',
				'aaeab3d6',
				'b68d8b30',
			],
			1,
		);
		expect(perNew).toBeLessThanOrEqual(3);
		// A Datto read and a note each, plus one shared ticket read: 2 + 1/9 (a first delivery pays no note lookup).
		expect(perRepeat).toBeCloseTo(2 + 1 / 9, 5);
		for (const resolve of [perResolve, perResolveNoted, perResolveLast])
			expect(resolve).toBeLessThanOrEqual(3);
	});

	test("one alert per execution (a webhook each): repeat 3, plain resolve 3, a resolve while the problem still alerts 4, the last repeat's resolve 5", async () => {
		const calls = (seq: number) =>
			apiCallsSince(h, seq).map(
				(c) =>
					`${c.vendor} ${c.method} ${c.path
						.replace(/^.*V1\.0/, '')
						.replace(/[0-9a-f-]{36}/g, '{uid}')
						.replace(/\/Tickets\/\d+\//, '/Tickets/{id}/')}`,
			);
		const alert = raise('233cb1dd', service('Single'));
		await run(h, [webhook(h, alert.alertUid, 'raised')], calm);
		const repeat = raise('233cb1dd', service('Single'));
		let seq = lastSeq(h);
		await run(h, [webhook(h, repeat.alertUid, 'raised')], calm);
		expect(calls(seq)).toEqual([
			'autotask POST /Tickets/query',
			'datto GET /api/v2/alert/{uid}',
			'autotask POST /Tickets/{id}/Notes',
		]);

		sandbox.datto.resolveAlert(alert.alertUid);
		seq = lastSeq(h);
		await run(h, [webhook(h, alert.alertUid, 'resolved')], calm);
		expect(calls(seq)).toEqual([
			'autotask POST /Tickets/query',
			'datto GET /api/v2/device/{uid}/alerts/open',
			'autotask POST /TicketNotes/query',
			'autotask POST /Tickets/{id}/Notes',
		]);

		sandbox.datto.resolveAlert(repeat.alertUid);
		seq = lastSeq(h);
		const last = await run(h, [webhook(h, repeat.alertUid, 'resolved')], calm);
		expect(last.completed).toHaveLength(1);
		expect(calls(seq)).toEqual([
			'autotask POST /Tickets/query',
			'autotask POST /TicketNotes/query',
			'datto GET /api/v2/device/{uid}/alerts/open',
			'autotask POST /TimeEntries/query',
			'autotask PATCH /Tickets',
		]);

		const plain = raise('233cb1dd', service('SinglePlain'));
		await run(h, [webhook(h, plain.alertUid, 'raised')], calm);
		sandbox.datto.resolveAlert(plain.alertUid);
		seq = lastSeq(h);
		await run(h, [webhook(h, plain.alertUid, 'resolved')], calm);
		expect(calls(seq)).toEqual([
			'autotask POST /Tickets/query',
			'datto GET /api/v2/device/{uid}/alerts/open',
			'autotask PATCH /Tickets',
		]);
	});
});

describe('Faults on the way', () => {
	test('a ticket create whose answer is lost is found by its key, not made twice; Datto throttling is waited out', async () => {
		const alert = raise('f6c33ea3', {
			'@class': 'srvc_status_ctx',
			serviceName: 'LostAnswer',
			status: 'STOPPED',
		});
		sandbox.faults.add({
			vendor: 'autotask',
			method: 'POST',
			path: /\/V1\.0\/Tickets$/,
			kind: 'resetAfter',
			times: 1,
		});
		sandbox.faults.add({
			vendor: 'datto',
			method: 'GET',
			path: `/api/v2/alert/${alert.alertUid}`,
			kind: 'status',
			status: 429,
			retryAfterSeconds: 1,
			times: 1,
		});
		try {
			const out = await run(h, [webhook(h, alert.alertUid, 'raised')], {
				options: { stormPerDevice: 0, stormPerSite: 0 },
			});
			expect(out.created).toEqual([
				expect.objectContaining({
					alertUid: alert.alertUid,
					ticketNumber: expect.stringMatching(/^T/),
				}),
			]);
			expect(alertTickets(h, alert.alertUid)).toHaveLength(1);
			expect(sandbox.faults.injected).toMatchObject({ resetAfter: 1, status: 1 });
		} finally {
			sandbox.faults.clear();
		}
	});
});

describe('Engine and contract', () => {
	test('a single-node workflow with the engine keeps pairing over the 4 outputs', async () => {
		const alert = raise('7ef9c483', {
			'@class': 'srvc_status_ctx',
			serviceName: 'Pairing',
			status: 'STOPPED',
		});
		const result = await runWorkflow({
			pkg: h.pkg,
			credentials: h.credentials,
			workflow: singleNodeWorkflow(alertNode({})),
			input: [webhook(h, alert.alertUid, 'raised'), webhook(h, alert.alertUid, 'raised')],
		});
		const out = delivery(result, NODE);
		expect(out.created[0]).toMatchObject({ companyId: SEED.ownCompany, companySource: 'site' });
		expect(result.items(NODE, 0)[0].pairedItem).toEqual({ item: 0 });
		expect(result.items(NODE, 3)[0]).toMatchObject({
			json: { decision: 'duplicateDelivery' },
			pairedItem: { item: 1 },
		});
	});

	test('no contract violations', () => {
		expect(
			describeViolations(
				sandbox.contractViolations.filter((v) => v.vendor === 'autotask' || v.vendor === 'datto'),
			),
		).toBe('');
	});
});
