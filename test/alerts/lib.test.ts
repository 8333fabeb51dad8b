import { normalizeAlert, nativeTicketReason } from '../../lib/alerts/alert';
import type { AlertInfo } from '../../lib/alerts/alert';
import type { AlertRun } from '../../lib/alerts/alertRun';
import { batchReads } from '../../lib/alerts/batchReads';
import type { RaiseToPlan, ResolveToPlan } from '../../lib/alerts/batchReads';
import {
	decideRaised,
	decideResolved,
	decideRoute,
	decideWithoutAlert,
	mayAlreadyCarry,
	notesToRead,
	otherOpenAlerts,
	routeRaised,
} from '../../lib/alerts/decide';
import type { DecisionContext } from '../../lib/alerts/decide';
import { duplicatesOf } from '../../lib/alerts/duplicates';
import { humanWorkReasons, mayHaveTimeEntries } from '../../lib/alerts/humanWork';
import {
	alertKey,
	alertPart,
	alertSuffix,
	devicePrefix,
	deviceStormPrefix,
	KEY_MAX_LENGTH,
	parseAlertKey,
	problemPrefix,
	sitePrefix,
	siteStormPrefix,
} from '../../lib/alerts/key';
import { alertDetail, monitorType } from '../../lib/alerts/monitorTypes';
import { STORM_NOTE_TITLE, TicketNotes } from '../../lib/alerts/notes';
import type { ItemResults } from '../../lib/alerts/outcome';
import {
	compilePattern,
	DEFAULT_DESCRIPTION_TEMPLATE,
	renderTemplate,
	resolveSettings,
	templateVariables,
} from '../../lib/alerts/settings';
import type { TicketDefaults } from '../../lib/alerts/settings';
import { recentTicketCounts, stormLevel, stormSurplus } from '../../lib/alerts/storm';
import type { TicketRecord } from '../../lib/alerts/tickets';
import {
	constantTimeEquals,
	parseAlertEvent,
	unwrapWebhookItem,
	verifySharedSecret,
	WEBHOOK_TEMPLATE_RESOLVED,
} from '../../lib/alerts/webhook';
import { InputError } from '../../lib/transport/http';
import { alert as apiAlert, DEVICE_A, DEVICE_B, SITE_MAPPED } from '../datto/fixtures';

const UID = '6f1c2a8e-7a57-4b0b-9a3e-1f5b0c9d2e11';

describe('alert key on the ticket (externalID)', () => {
	test('fits 50 characters, carries the alert uid losslessly, and its prefixes nest', () => {
		const parts = {
			siteUid: SITE_MAPPED,
			deviceUid: DEVICE_A,
			monitorClass: 'perf_disk_usage_ctx',
			detail: 'c:',
		};
		const key = alertKey(parts, UID);
		expect(key.length).toBeLessThanOrEqual(KEY_MAX_LENGTH);
		expect(key.startsWith(problemPrefix(parts))).toBe(true);
		expect(key.startsWith(devicePrefix(SITE_MAPPED, DEVICE_A))).toBe(true);
		expect(key.startsWith(sitePrefix(SITE_MAPPED))).toBe(true);
		expect(key.endsWith(alertSuffix(UID))).toBe(true);
		const parsed = parseAlertKey(key)!;
		expect(parsed).toMatchObject({
			alertUid: UID,
			problemPrefix: problemPrefix(parts),
			storm: undefined,
		});
		expect(parseAlertKey(key.toUpperCase())?.alertUid).toBe(UID);
		expect(parseAlertKey('INC-12345')).toBeUndefined();
		expect(
			parseAlertKey(`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(UID).slice(1)}`)
				?.storm,
		).toBe('device');
		expect(
			parseAlertKey(`${siteStormPrefix(SITE_MAPPED)}:${alertSuffix(UID).slice(1)}`)?.storm,
		).toBe('site');
	});

	test('other problems, devices and sites get other prefixes; non-UUID uids are kept or hashed', () => {
		const base = {
			siteUid: SITE_MAPPED,
			deviceUid: DEVICE_A,
			monitorClass: 'perf_disk_usage_ctx',
			detail: 'c:',
		};
		expect(problemPrefix({ ...base, detail: 'd:' })).not.toBe(problemPrefix(base));
		expect(devicePrefix(SITE_MAPPED, DEVICE_B)).not.toBe(devicePrefix(SITE_MAPPED, DEVICE_A));
		expect(parseAlertKey(alertKey(base, 'alert-42'))?.alertUid).toBe('alert-42');
		const long = 'x'.repeat(80);
		const hashed = alertKey(base, long);
		expect(hashed.length).toBeLessThanOrEqual(KEY_MAX_LENGTH);
		expect(parseAlertKey(hashed)?.alertUid).toBeUndefined();
	});
});

describe('monitor types and alert details', () => {
	test('known classes name their detail; aliases map; unknown classes fall through', () => {
		expect(alertDetail('perf_disk_usage_ctx', { diskName: 'C:' }, '')).toBe('c:');
		expect(
			alertDetail(
				'eventlog_ctx',
				{ logName: 'System', code: 7031, source: 'Service Control Manager' },
				'',
			),
		).toBe('system|7031|service control manager');
		expect(monitorType('disk_usage_ctx').label).toBe('Disk Usage');
		expect(monitorType('brand_new_ctx').label).toBe('Brand New');
		expect(alertDetail('brand_new_ctx', {}, 'Temperature 71.5 C over 70')).toBe(
			'temperature # c over #',
		);
		expect(alertDetail('online_offline_status_ctx', { status: 'OFFLINE' }, 'x')).toBe('');
	});

	test('an API alert is flattened; webhook wording wins for the message; native tickets are noticed', () => {
		const raw = apiAlert(
			UID,
			DEVICE_A,
			{ '@class': 'srvc_status_ctx', serviceName: 'Spooler', status: 'STOPPED' },
			{ priority: 'Critical' },
		);
		const info = normalizeAlert(raw, {
			message: 'Print Spooler stopped',
			monitorName: 'Spooler Service Monitor',
		});
		expect(info).toMatchObject({
			alertUid: UID,
			priority: 'Critical',
			monitorClass: 'srvc_status_ctx',
			monitorLabel: 'Service Status',
			monitorName: 'Spooler Service Monitor',
			detail: 'spooler',
			message: 'Print Spooler stopped',
			hostname: 'CONTOSO-PC01',
			siteUid: SITE_MAPPED,
			timestamp: 1_767_100_000_000,
		});
		expect(normalizeAlert(raw).message).toBe('Service Spooler is STOPPED');
		expect(nativeTicketReason({ ...raw, ticketNumber: 'T20260101.0001' })).toMatch(
			/already opened ticket T20260101.0001/,
		);
		expect(
			nativeTicketReason({
				...raw,
				responseActions: [{ actionType: 'TICKET_CREATED', actionReference: '12345' }],
			}),
		).toMatch(/already created a ticket.*12345/);
		expect(nativeTicketReason({ ...raw, alertMonitorInfo: { createsTicket: true } })).toMatch(
			/set to create tickets/,
		);
		expect(nativeTicketReason(raw)).toBeUndefined();
	});
});

describe('webhook bodies', () => {
	test('the documented bodies, n8n Webhook items, other markers, API alerts', () => {
		const body = {
			event: 'raised',
			alertUid: UID,
			message: '[alert_message]',
			siteUid: SITE_MAPPED,
		};
		expect(parseAlertEvent(body)).toMatchObject({
			kind: 'raised',
			alertUid: UID,
			hints: { siteUid: SITE_MAPPED, message: undefined },
		});
		const resolved = JSON.parse(WEBHOOK_TEMPLATE_RESOLVED.replace('[alert_uid]', UID));
		expect(parseAlertEvent(resolved).kind).toBe('resolved');
		expect(
			unwrapWebhookItem({ headers: { a: 'b' }, params: {}, query: { secret: 'x' }, body }),
		).toEqual({ headers: { a: 'b' }, query: { secret: 'x' }, body });
		expect(unwrapWebhookItem(body).body).toBe(body);
		expect(parseAlertEvent({ alertUID: UID, resolvedAlert: 'true' }).kind).toBe('resolved');
		expect(parseAlertEvent({ alertUid: UID, eventType: 'alert.raised' }).kind).toBe('raised');
		expect(parseAlertEvent(JSON.stringify({ event: 'resolved', alertUid: UID })).kind).toBe(
			'resolved',
		);
		// Datto does not escape quotes inside a substituted message.
		expect(
			parseAlertEvent(`{"event": "raised", "alertUid": "${UID}", "message": "Disk "C:" low"}`),
		).toMatchObject({ kind: 'raised', alertUid: UID });
		const api = apiAlert(
			UID,
			DEVICE_A,
			{ '@class': 'online_offline_status_ctx', status: 'OFFLINE' },
			{ resolved: true },
		);
		expect(parseAlertEvent(api)).toMatchObject({ kind: 'resolved', apiAlert: api });
	});

	test('malformed payloads name the missing field', () => {
		const fieldOf = (body: unknown) => {
			try {
				parseAlertEvent(body);
			} catch (error) {
				expect(error).toBeInstanceOf(InputError);
				return { field: (error as InputError).field, message: (error as InputError).message };
			}
			throw new Error('expected an InputError');
		};
		expect(fieldOf({ event: 'raised' })).toEqual({
			field: 'alertUid',
			message: 'The webhook body is missing "alertUid"',
		});
		expect(fieldOf({ alertUid: UID })).toMatchObject({ field: 'event' });
		expect(fieldOf({ alertUid: UID, event: 'exploded' })).toMatchObject({ field: 'event' });
		expect(fieldOf({ alertUid: '[alert_uid]', event: 'raised' })).toMatchObject({
			field: 'alertUid',
			message: expect.stringContaining('unfilled variable [alert_uid]'),
		});
		expect(fieldOf({ alertUid: 'a b; drop', event: 'raised' })).toMatchObject({
			field: 'alertUid',
		});
		expect(fieldOf('not json at all')).toMatchObject({ field: 'body' });
		expect(fieldOf(undefined)).toMatchObject({ field: 'body' });
	});

	test('shared secret: header or query, constant-time compare, never echoed', () => {
		const check = {
			expected: 'S3cret-Value',
			location: 'headerOrQuery' as const,
			headerName: 'X-Webhook-Secret',
			queryName: 'secret',
		};
		expect(() =>
			verifySharedSecret(
				{ body: {}, headers: { 'x-webhook-secret': 'S3cret-Value' }, query: {} },
				check,
			),
		).not.toThrow();
		expect(() =>
			verifySharedSecret({ body: {}, headers: {}, query: { secret: 'S3cret-Value' } }, check),
		).not.toThrow();
		expect(() => verifySharedSecret({ body: {}, headers: {}, query: {} }, check)).toThrow(
			/Unsigned delivery rejected: the header "X-Webhook-Secret" or query parameter "secret" is missing/,
		);
		let wrong: Error | undefined;
		try {
			verifySharedSecret({ body: {}, headers: {}, query: { secret: 'S3cret-Valuf' } }, check);
		} catch (error) {
			wrong = error as Error;
		}
		expect(wrong?.message).toMatch(/does not match/);
		expect(
			JSON.stringify({ m: wrong?.message, d: (wrong as InputError).description }),
		).not.toContain('S3cret');
		expect(() =>
			verifySharedSecret(
				{ body: {}, headers: {}, query: { secret: 'S3cret-Value' } },
				{ ...check, location: 'header' },
			),
		).toThrow(/missing/);
		expect(() =>
			verifySharedSecret(
				{ body: {}, headers: { authorization: 'Bearer S3cret-Value' }, query: {} },
				{ ...check, headerName: 'Authorization' },
			),
		).not.toThrow();
		expect(constantTimeEquals('abc', 'abc')).toBe(true);
		expect(constantTimeEquals('abc', 'abcd')).toBe(false);
		expect(constantTimeEquals('abc', '')).toBe(false);
	});
});

describe('settings: defaults, monitor type overrides, monitor overrides', () => {
	const defaults: TicketDefaults = {
		queueID: '29683481',
		issueType: '4',
		newStatus: '1',
		completeStatus: '5',
		priorityMap: { Critical: '4' },
		titleTemplate: '{{alertType}}: {{message}} on {{hostname}}',
		descriptionTemplate: DEFAULT_DESCRIPTION_TEMPLATE,
	};
	const disk = normalizeAlert(
		apiAlert(UID, DEVICE_A, { '@class': 'perf_disk_usage_ctx', diskName: 'C:' }),
		{ monitorName: 'Disk Space Monitor', message: 'C: below 10%' },
	);

	test('later, more specific overrides win; "don\'t ticket" is an override like any other', () => {
		const settings = resolveSettings(
			defaults,
			[
				{
					kind: 'monitor',
					matchField: 'monitorName',
					pattern: 'disk space*',
					action: 'ticket',
					fields: { queueID: '29683483' },
				},
				{
					kind: 'monitorType',
					monitorClass: 'perf_disk_usage_ctx',
					action: 'ticket',
					fields: { queueID: '29683482', subIssueType: '10' },
				},
			],
			disk,
		);
		expect(settings).toMatchObject({
			ticket: true,
			fields: { queueID: '29683483', subIssueType: '10', issueType: '4' },
		});
		const off = resolveSettings(
			defaults,
			[
				{
					kind: 'monitor',
					matchField: 'message',
					pattern: '/below \\d+%/',
					action: 'dontTicket',
					fields: {},
				},
			],
			disk,
		);
		expect(off.ticket).toBe(false);
		expect(off.reason).toContain('/below \\d+%/');
		expect(
			resolveSettings(
				defaults,
				[
					{
						kind: 'monitorType',
						monitorClass: 'srvc_status_ctx',
						action: 'dontTicket',
						fields: {},
					},
				],
				disk,
			).ticket,
		).toBe(true);
		expect(() => compilePattern('/([/')).toThrow(InputError);
	});

	test('templates render the alert', () => {
		const title = renderTemplate(defaults.titleTemplate, templateVariables(disk));
		expect(title).toBe('Disk Usage: C: below 10% on CONTOSO-PC01');
		const description = renderTemplate(
			DEFAULT_DESCRIPTION_TEMPLATE,
			templateVariables({ ...disk, platform: 'merlot' }),
		);
		expect(description).toContain(
			`Datto RMM alert: ${UID} https://merlot.rmm.datto.com/alert/${UID}`,
		);
		expect(description).toContain('Monitor: Disk Usage - Disk Space Monitor (c:)');
	});
});

describe('ticket decisions', () => {
	const now = 1_767_200_000_000;
	const ctx: DecisionContext = {
		now,
		completeStatus: '5',
		statusesWeSet: new Set(['1']),
		reopenWindowMs: 24 * 3600_000,
		storm: { windowMs: 3600_000, perDevice: 3, perSite: 10 },
		autoAssigneeIds: new Set([29682885]),
		statusLabel: (status) => (status === '8' ? 'In Progress' : status),
		stormNoteIntervalMs: 60_000,
	};
	const disk = normalizeAlert(
		apiAlert(UID, DEVICE_A, { '@class': 'perf_disk_usage_ctx', diskName: 'C:' }),
	);
	const parts = {
		siteUid: SITE_MAPPED,
		deviceUid: DEVICE_A,
		monitorClass: disk.monitorClass,
		detail: disk.detail,
	};
	const keyInfo = {
		sitePrefix: sitePrefix(SITE_MAPPED),
		devicePrefix: devicePrefix(SITE_MAPPED, DEVICE_A),
		problemPrefix: problemPrefix(parts),
	};
	const settings = resolveSettings(
		{
			priorityMap: {},
			titleTemplate: 't',
			descriptionTemplate: 'd',
			newStatus: '1',
			completeStatus: '5',
		},
		[],
		disk,
	);
	const ticket = (
		id: number,
		externalID: string,
		extra: Partial<TicketRecord> = {},
	): TicketRecord => ({
		id,
		ticketNumber: `T${id}`,
		key: parseAlertKey(externalID)!,
		status: '1',
		createDate: now - 60_000,
		...extra,
	});
	const otherUid = '11111111-2222-4333-8444-555555555555';

	test('raised: create, duplicate delivery, repeat note, reopen within the window, not after it', () => {
		expect(decideRaised(disk, keyInfo, settings, [], ctx, undefined)).toEqual({ action: 'create' });
		const own = ticket(10, alertKey(parts, UID));
		expect(decideRaised(disk, keyInfo, settings, [own], ctx, undefined)).toMatchObject({
			action: 'skip',
			code: 'duplicateDelivery',
		});
		const earlier = ticket(11, alertKey(parts, otherUid));
		expect(decideRaised(disk, keyInfo, settings, [earlier], ctx, undefined)).toMatchObject({
			action: 'note',
			ticket: { id: 11 },
		});
		const completed = ticket(12, alertKey(parts, otherUid), {
			status: '5',
			completedDate: now - 3600_000,
		});
		expect(decideRaised(disk, keyInfo, settings, [completed], ctx, undefined)).toMatchObject({
			action: 'reopen',
			ticket: { id: 12 },
		});
		const old = ticket(13, alertKey(parts, otherUid), {
			status: '5',
			completedDate: now - 25 * 3600_000,
		});
		expect(decideRaised(disk, keyInfo, settings, [old], ctx, undefined)).toEqual({
			action: 'create',
		});
		expect(
			decideRaised(disk, keyInfo, settings, [completed], { ...ctx, reopenWindowMs: 0 }, undefined),
		).toEqual({ action: 'create' });
	});

	test("raised: resolved first, native ticket, don't ticket, storm", () => {
		expect(
			decideRaised({ ...disk, resolved: true }, keyInfo, settings, [], ctx, undefined),
		).toMatchObject({ action: 'skip', code: 'alreadyResolved' });
		expect(
			decideRaised({ ...disk, nativeTicket: 'native' }, keyInfo, settings, [], ctx, undefined),
		).toMatchObject({ action: 'skip', code: 'nativeTicket', reason: 'native' });
		expect(
			decideRaised(
				disk,
				keyInfo,
				{ ...settings, ticket: false, reason: 'off' },
				[],
				ctx,
				undefined,
			),
		).toMatchObject({ action: 'skip', code: 'dontTicket', reason: 'off' });
		expect(decideRaised(disk, keyInfo, settings, [], ctx, 'device')).toEqual({
			action: 'storm',
			level: 'device',
			ticket: undefined,
		});
		const storm = ticket(
			20,
			`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(otherUid).slice(1)}`,
		);
		expect(decideRaised(disk, keyInfo, settings, [storm], ctx, 'device')).toMatchObject({
			action: 'storm',
			ticket: { id: 20 },
		});
		// A device over its own limit while its site has an open storm ticket (and it has none):
		// the site's storm ticket takes it, rather than a second storm ticket for one outage.
		const siteStorm = ticket(
			21,
			`${siteStormPrefix(SITE_MAPPED)}:${alertSuffix(otherUid).slice(1)}`,
		);
		expect(decideRaised(disk, keyInfo, settings, [siteStorm], ctx, 'device')).toMatchObject({
			action: 'storm',
			ticket: { id: 21 },
		});
		expect(decideRaised(disk, keyInfo, settings, [siteStorm, storm], ctx, 'device')).toMatchObject({
			ticket: { id: 20 },
		});
		// A repeat of an open problem still goes to its own ticket during a storm.
		const earlier = ticket(11, alertKey(parts, otherUid));
		expect(decideRaised(disk, keyInfo, settings, [earlier, storm], ctx, 'device')).toMatchObject({
			action: 'note',
			ticket: { id: 11 },
		});
	});

	test('a storm ticket takes a note at most once per storm-note interval; the alerts in between are deferred to it', () => {
		const stormKey = `${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(otherUid).slice(1)}`;
		const noted = (ago: number, extra: Partial<TicketRecord> = {}) =>
			ticket(20, stormKey, { lastActivityDate: now - ago, ...extra });
		// Noted 30 s ago: deferred, and its notes are not read for it.
		const recent = noted(30_000);
		expect(decideRaised(disk, keyInfo, settings, [recent], ctx, 'device')).toEqual({
			action: 'defer',
			ticket: recent,
		});
		const route = routeRaised(disk, keyInfo, settings, [recent], ctx);
		expect(
			notesToRead(route, { ...disk, timestamp: now - 60_000 }, 'device', () => false, ctx),
		).toEqual([]);
		// Noted 90 s ago, never noted (unknown), opened by this execution, or no interval: a note now.
		for (const due of [noted(90_000), ticket(20, stormKey), noted(1_000, { createdHere: true })])
			expect(decideRaised(disk, keyInfo, settings, [due], ctx, 'device')).toMatchObject({
				action: 'storm',
				ticket: { id: 20 },
			});
		expect(
			decideRaised(disk, keyInfo, settings, [recent], { ...ctx, stormNoteIntervalMs: 0 }, 'device'),
		).toMatchObject({ action: 'storm' });
		// Without reading the alert (a signed delivery names its device): the same rule; a re-delivery
		// is recognised first; an unsigned delivery (no trusted place) is never deferred.
		const where = { sitePrefix: keyInfo.sitePrefix, devicePrefix: keyInfo.devicePrefix };
		expect(decideWithoutAlert(UID, where, [recent], ctx)).toEqual({
			action: 'defer',
			ticket: recent,
		});
		expect(decideWithoutAlert(UID, where, [noted(90_000)], ctx)).toBeUndefined();
		expect(decideWithoutAlert(UID, undefined, [recent], ctx)).toBeUndefined();
		const own = ticket(10, alertKey(parts, UID));
		expect(decideWithoutAlert(UID, where, [recent, own], ctx)).toMatchObject({
			action: 'skip',
			code: 'duplicateDelivery',
			ticket: { id: 10 },
		});
	});

	test("storm level counts the window's tickets plus the batch's new problems", () => {
		const recent = [1, 2, 3].map((n) =>
			ticket(n, alertKey({ ...parts, detail: `d${n}` }, otherUid)),
		);
		const stale = ticket(4, alertKey({ ...parts, detail: 'old' }, otherUid), {
			createDate: now - 2 * 3600_000,
		});
		const counts = recentTicketCounts([...recent, stale], keyInfo, ctx);
		expect(counts).toEqual({ device: 3, site: 3 });
		expect(stormLevel(counts, { device: 0, site: 0 }, ctx.storm)).toBeUndefined();
		expect(stormLevel(counts, { device: 1, site: 1 }, ctx.storm)).toBe('device');
		expect(stormLevel({ device: 0, site: 0 }, { device: 500, site: 500 }, ctx.storm)).toBe(
			'device',
		);
		expect(stormLevel({ device: 1, site: 9 }, { device: 1, site: 2 }, ctx.storm)).toBe('site');
		expect(
			stormLevel(
				{ device: 0, site: 0 },
				{ device: 500, site: 500 },
				{ ...ctx.storm, perDevice: 0 },
			),
		).toBe('site');
	});

	test('resolved: complete, already complete, nothing to do, storm tickets stay', () => {
		const own = ticket(10, alertKey(parts, UID));
		expect(decideResolved(UID, undefined, [own], ctx)).toMatchObject({
			action: 'complete',
			ticket: { id: 10 },
			own: true,
		});
		expect(decideResolved(UID, undefined, [{ ...own, status: '5' }], ctx)).toMatchObject({
			action: 'skip',
			code: 'alreadyComplete',
		});
		expect(decideResolved(UID, undefined, [], ctx)).toMatchObject({
			action: 'skip',
			code: 'noTicket',
		});
		const storm = ticket(
			20,
			`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(UID).slice(1)}`,
		);
		expect(decideResolved(UID, undefined, [storm], ctx)).toMatchObject({
			action: 'skip',
			code: 'stormTicket',
		});
	});

	test('resolved repeat: the open ticket of its problem, found by the problem key; none without the key', () => {
		const problemTicket = ticket(11, alertKey(parts, otherUid));
		expect(decideResolved(UID, keyInfo.problemPrefix, [problemTicket], ctx)).toMatchObject({
			action: 'complete',
			ticket: { id: 11 },
			own: false,
		});
		expect(decideResolved(UID, undefined, [problemTicket], ctx)).toMatchObject({
			action: 'skip',
			code: 'noTicket',
		});
		expect(
			decideResolved(UID, keyInfo.problemPrefix, [{ ...problemTicket, status: '5' }], ctx),
		).toMatchObject({ action: 'skip', code: 'alreadyComplete', ticket: { id: 11 } });
		// Another disk of the same device is another problem.
		const otherDisk = ticket(12, alertKey({ ...parts, detail: 'd:' }, otherUid));
		expect(decideResolved(UID, keyInfo.problemPrefix, [otherDisk], ctx)).toMatchObject({
			action: 'skip',
			code: 'noTicket',
		});
		// The ticket whose repeat note names the alert (its notes were read): no problem key needed.
		const carrier = { ...problemTicket, notedAlerts: new Set([UID]) };
		expect(decideResolved(UID, undefined, [carrier], ctx)).toMatchObject({
			action: 'complete',
			ticket: { id: 11 },
			own: false,
		});
		expect(decideResolved(UID, undefined, [{ ...carrier, status: '5' }], ctx)).toMatchObject({
			action: 'skip',
			code: 'alreadyComplete',
			ticket: { id: 11 },
		});
		// An alert a storm ticket records: the storm ticket is a technician's to close.
		const stormTicket = ticket(
			20,
			`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(otherUid).slice(1)}`,
			{ notedAlerts: new Set([UID]) },
		);
		expect(decideResolved(UID, undefined, [stormTicket], ctx)).toMatchObject({
			action: 'skip',
			code: 'stormTicket',
			ticket: { id: 20 },
		});
		// A duplicate closed into the first ticket of its problem hands its resolve on to that ticket.
		const merged = ticket(13, alertKey(parts, UID), {
			status: '5',
			resolution: 'Duplicate of ticket T11: merged',
		});
		expect(decideResolved(UID, undefined, [merged, problemTicket], ctx)).toMatchObject({
			action: 'complete',
			ticket: { id: 11 },
			own: false,
		});
	});

	test('still alerting: other open alerts of the same device, monitor type and detail, not the resolving one', () => {
		const own = ticket(10, alertKey(parts, UID));
		const sameDisk = normalizeAlert(
			apiAlert(otherUid, DEVICE_A, { '@class': 'perf_disk_usage_ctx', diskName: 'C:' }),
		);
		const otherDisk = normalizeAlert(
			apiAlert('22222222-2222-4333-8444-555555555555', DEVICE_A, {
				'@class': 'perf_disk_usage_ctx',
				diskName: 'D:',
			}),
		);
		const otherDevice = normalizeAlert(
			apiAlert('33333333-2222-4333-8444-555555555555', DEVICE_B, {
				'@class': 'perf_disk_usage_ctx',
				diskName: 'C:',
			}),
		);
		expect(
			otherOpenAlerts(own, [disk, sameDisk, otherDisk, otherDevice], UID).map((a) => a.alertUid),
		).toEqual([otherUid]);
		expect(otherOpenAlerts(own, [disk, otherDisk, otherDevice], UID)).toEqual([]);
		expect(otherOpenAlerts(own, [{ ...sameDisk, resolved: true }], UID)).toEqual([]);
	});

	test('re-delivery: a repeat already noted on the ticket changes nothing and reopens nothing; a new alert does', () => {
		const open = ticket(11, alertKey(parts, otherUid), { notedAlerts: new Set([UID]) });
		expect(decideRaised(disk, keyInfo, settings, [open], ctx, undefined)).toMatchObject({
			action: 'skip',
			code: 'duplicateDelivery',
			ticket: { id: 11 },
		});
		const completed = { ...open, status: '5', completedDate: now - 3600_000 };
		expect(decideRaised(disk, keyInfo, settings, [completed], ctx, undefined)).toMatchObject({
			action: 'skip',
			code: 'duplicateDelivery',
			ticket: { id: 11 },
		});
		expect(
			decideRaised(
				disk,
				keyInfo,
				settings,
				[{ ...completed, notedAlerts: new Set(['someone-else']) }],
				ctx,
				undefined,
			),
		).toMatchObject({ action: 'reopen' });
		const storm = ticket(
			20,
			`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(otherUid).slice(1)}`,
			{ notedAlerts: new Set([UID]) },
		);
		expect(decideRaised(disk, keyInfo, settings, [storm], ctx, 'device')).toMatchObject({
			action: 'skip',
			code: 'duplicateDelivery',
			ticket: { id: 20 },
		});
	});

	test('when a ticket may carry an alert (a note lookup is due) and when it may have time entries', () => {
		const t = ticket(10, alertKey(parts, otherUid), {
			createDate: now - 60_000,
			lastActivityDate: now - 30_000,
		});
		// An alert newer than the ticket's last activity cannot be on it yet: no lookup.
		expect(mayAlreadyCarry(t, now - 10_000)).toBe(false);
		expect(mayAlreadyCarry(t, now - 30_000)).toBe(true);
		expect(mayAlreadyCarry(t, now - 40_000)).toBe(true);
		expect(mayAlreadyCarry(t, undefined)).toBe(true);
		expect(mayAlreadyCarry({ ...t, lastActivityDate: undefined }, now)).toBe(true);
		expect(mayAlreadyCarry({ ...t, createdHere: true }, now - 40_000)).toBe(false);
		expect(mayHaveTimeEntries(t)).toBe(true);
		expect(mayHaveTimeEntries({ ...t, lastActivityDate: t.createDate })).toBe(false);
		expect(mayHaveTimeEntries({ ...t, lastActivityDate: t.createDate! + 1 })).toBe(true);
		expect(mayHaveTimeEntries({ ...t, lastActivityDate: undefined })).toBe(true);
		expect(mayHaveTimeEntries({ ...t, createdHere: true })).toBe(false);
	});

	describe('what must be read before deciding', () => {
		const raise = (uid: string, device: string, diskName: string): RaiseToPlan => {
			const alert = normalizeAlert(
				apiAlert(uid, device, { '@class': 'perf_disk_usage_ctx', diskName }),
			);
			const keyParts = {
				siteUid: alert.siteUid,
				deviceUid: device,
				monitorClass: alert.monitorClass,
				detail: alert.detail,
			};
			return {
				kind: 'raised',
				alert,
				key: {
					sitePrefix: sitePrefix(alert.siteUid),
					devicePrefix: devicePrefix(alert.siteUid, device),
					problemPrefix: problemPrefix(keyParts),
				},
				settings,
				deviceUid: device,
			};
		};
		const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
		const nothingRead = () => false;

		test('a new problem needs its configuration items; a repeat needs the notes of its ticket only when it may carry the alert', () => {
			const fresh = raise(uid(1), DEVICE_B, 'D:');
			const repeat = raise(UID, DEVICE_A, 'C:');
			// The ticket's last activity is later than the alert: a note of ours may name it.
			const busy = ticket(11, alertKey(parts, otherUid), { lastActivityDate: now - 60_000 });
			const reads = batchReads([fresh, repeat], [busy], ctx, {
				configurationItems: true,
				notesRead: nothingRead,
			});
			expect(reads.configurationItems).toEqual([DEVICE_B]);
			expect(reads.notes).toEqual([{ ticket: busy, alertUid: UID }]);
			expect(reads.timeEntries).toEqual([]);
			expect([...reads.storm.values()]).toEqual([undefined, undefined]);

			// Quiet since before the alert: nothing of ours can name it yet. Already read: no read.
			const quiet = { ...busy, lastActivityDate: disk.timestamp! - 1 };
			const options = { configurationItems: false, notesRead: nothingRead };
			expect(batchReads([fresh, repeat], [quiet], ctx, options)).toMatchObject({
				configurationItems: [],
				notes: [],
			});
			expect(
				batchReads([repeat], [busy], ctx, { ...options, notesRead: () => true }).notes,
			).toEqual([]);
			expect(
				batchReads([repeat], [{ ...busy, notedAlerts: new Set([UID]) }], ctx, options).notes,
			).toEqual([]);
		});

		test("a batch over the device's storm limit: one storm level for the device, the configuration items of its first storm ticket, the storm ticket's notes once it exists", () => {
			const storm = [1, 2, 3, 4].map((n) => raise(uid(n), DEVICE_A, `${n}:`));
			const first = batchReads(storm, [], ctx, {
				configurationItems: true,
				notesRead: nothingRead,
			});
			expect(first.storm).toEqual(new Map([[devicePrefix(SITE_MAPPED, DEVICE_A), 'device']]));
			expect(first.configurationItems).toEqual([DEVICE_A]);
			expect(first.notes).toEqual([]);

			const stormTicket = ticket(
				20,
				`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(otherUid).slice(1)}`,
				{ lastActivityDate: now - 60_000 },
			);
			const later = batchReads(storm, [stormTicket], ctx, {
				configurationItems: true,
				notesRead: nothingRead,
			});
			expect(later.configurationItems).toEqual([]);
			expect(later.notes.map((read) => [read.ticket.id, read.alertUid])).toEqual(
				storm.map((item) => [20, item.alert.alertUid]),
			);
		});

		test('a resolve that may complete its ticket: the still-open note while its problem alerts, else the time entries when someone may have logged any', () => {
			const own = ticket(10, alertKey(parts, UID), { lastActivityDate: now - 30_000 });
			const sameProblem = { ...disk, alertUid: otherUid };
			const resolve = (openAlerts?: AlertInfo[]): ResolveToPlan => ({
				kind: 'resolved',
				alertUid: UID,
				ticket: own,
				openAlerts,
			});
			const options = { configurationItems: true, notesRead: nothingRead };
			expect(batchReads([resolve([sameProblem])], [own], ctx, options)).toMatchObject({
				notes: [{ ticket: own, alertUid: UID }],
				timeEntries: [],
			});
			expect(batchReads([resolve([])], [own], ctx, options)).toMatchObject({
				notes: [],
				timeEntries: [10],
			});
			const untouched = { ...own, lastActivityDate: own.createDate };
			expect(
				batchReads([{ ...resolve([]), ticket: untouched }], [untouched], ctx, options).timeEntries,
			).toEqual([]);
			// The device's open alerts could not be told: nothing to read.
			expect(batchReads([resolve(undefined)], [own], ctx, options)).toMatchObject({
				notes: [],
				timeEntries: [],
			});
		});

		test('a raise decided after its notes were read is the decision the notes allow', () => {
			const earlier = ticket(11, alertKey(parts, otherUid), { lastActivityDate: now });
			const route = routeRaised(disk, keyInfo, settings, [earlier], ctx);
			expect(notesToRead(route, disk, undefined, nothingRead, ctx)).toEqual([earlier]);
			expect(decideRoute(route, UID, undefined, ctx)).toMatchObject({ action: 'note' });
			earlier.notedAlerts = new Set([UID]);
			expect(notesToRead(route, disk, undefined, nothingRead, ctx)).toEqual([]);
			expect(decideRoute(route, UID, undefined, ctx)).toMatchObject({
				action: 'skip',
				code: 'duplicateDelivery',
			});
		});
	});

	test("human-work guard: a technician's assignment, status or time keeps the ticket open", () => {
		const own = ticket(10, alertKey(parts, UID));
		expect(humanWorkReasons(own, ctx, 0)).toEqual([]);
		expect(humanWorkReasons({ ...own, assignee: 29682885 }, ctx, 0)).toEqual([]);
		expect(humanWorkReasons({ ...own, assignee: 29682999, status: '8' }, ctx, 2)).toEqual([
			'it is assigned to resource 29682999',
			'its status was set to "In Progress" by a person',
			'2 time entries have been logged on it',
		]);
		expect(humanWorkReasons({ ...own, createdHere: true, assignee: 5 }, ctx, 1)).toEqual([]);
	});

	test('storm limit after the fact: the first problems of a device by id stand, later open ones go to the storm ticket', () => {
		const key = (n: number, device = DEVICE_A) =>
			alertKey(
				{ ...parts, deviceUid: device, detail: `d${n}` },
				`00000000-0000-4000-8000-00000000000${n}`,
			);
		const limits = { ...ctx, storm: { windowMs: 3600_000, perDevice: 2, perSite: 0 } };
		const first = ticket(10, key(1));
		const second = ticket(11, key(2), { status: '5' });
		const third = ticket(12, key(3));
		const fourth = ticket(13, key(4));
		const old = ticket(5, key(5), { createDate: now - 2 * 3600_000 });
		const otherDevice = ticket(14, key(6, DEVICE_B));
		const all = [fourth, third, second, first, old, otherDevice];
		expect(stormSurplus(all, limits, () => true)).toEqual([
			{
				level: 'device',
				scope: keyInfo.devicePrefix,
				stormTicket: undefined,
				over: [third, fourth],
			},
		]);
		// An open storm ticket of the device takes them; a second problem ticket of a problem does not count twice.
		const storm = ticket(20, `${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertPart(UID)}`);
		const again = ticket(15, key(1));
		expect(stormSurplus([...all, storm, again], limits, () => true)).toEqual([
			expect.objectContaining({ stormTicket: storm, over: [third, fourth] }),
		]);
		// Only what this execution read whole is judged; no limit, nothing to judge.
		expect(stormSurplus(all, limits, () => false)).toEqual([]);
		expect(
			stormSurplus(all, { ...limits, storm: { ...limits.storm, perDevice: 0 } }, () => true),
		).toEqual([]);
		// A site over its limit (the devices each under theirs) folds into the site's storm ticket.
		const site = { ...ctx, storm: { windowMs: 3600_000, perDevice: 0, perSite: 1 } };
		expect(stormSurplus([first, otherDevice], site, () => true)).toEqual([
			{ level: 'site', scope: keyInfo.sitePrefix, stormTicket: undefined, over: [otherDevice] },
		]);
	});

	test('a ticket closed by the duplicate or storm rule is never re-fired', () => {
		const folded = ticket(40, alertKey(parts, otherUid), {
			status: '5',
			completedDate: now - 60_000,
			resolution: 'Folded into storm ticket T20261202.0001: the device raised more new problems.',
		});
		expect(decideRaised(disk, keyInfo, settings, [folded], ctx, undefined)).toEqual({
			action: 'create',
		});
		const done = { ...folded, resolution: 'Fixed by a technician' };
		expect(decideRaised(disk, keyInfo, settings, [done], ctx, undefined)).toMatchObject({
			action: 'reopen',
		});
		expect(decideResolved(otherUid, undefined, [folded], ctx)).toMatchObject({
			action: 'skip',
			code: 'stormTicket',
		});
	});

	test('duplicates from concurrent workers: the lowest id wins per problem', () => {
		const a = ticket(30, alertKey(parts, UID));
		const b = ticket(31, alertKey(parts, UID));
		const c = ticket(29, alertKey(parts, otherUid), { status: '5' });
		const other = ticket(40, alertKey({ ...parts, detail: 'd:' }, UID));
		expect(duplicatesOf([b, a, c, other], ctx)).toEqual([{ winner: a, losers: [b] }]);
	});
});

describe('shared notes: at most alertsPerNote alerts and never more text than a note holds', () => {
	const written: Array<{ title: string; description: string }> = [];
	const run = {
		now: () => 0,
		store: {
			addNote: async (_id: number, note: { title: string; description: string }) => {
				written.push(note);
				await Promise.resolve();
			},
		},
	} as unknown as AlertRun;
	const stormTicket = {
		id: 7,
		key: parseAlertKey(`${deviceStormPrefix(SITE_MAPPED, DEVICE_A)}:${alertSuffix(UID).slice(1)}`)!,
		status: '1',
	} as TicketRecord;

	test('short lines go 200 to a note; long ones (a verbose monitor message) split by size', async () => {
		const fill = async (count: number, length: number) => {
			written.length = 0;
			const notes = new TicketNotes(run, { noteType: '', notePublish: '', alertsPerNote: 200 });
			const results: ItemResults = [];
			for (let i = 0; i < count; i++) {
				const line = `${String(i).padStart(5, '0')} `.padEnd(length, 'x');
				notes.queue(stormTicket, STORM_NOTE_TITLE, [line], i, `alert-${i}`);
			}
			await notes.flush(results);
			return written.map((note) => note.description.split('\n').length);
		};
		expect(await fill(450, 100)).toEqual([200, 200, 50]);
		const long = await fill(450, 2_000);
		expect(long.reduce((a, b) => a + b, 0)).toBe(450);
		for (const note of written) expect(note.description.length).toBeLessThanOrEqual(30_000);
		expect(long[0]).toBe(14);
		expect(written[0].title).toBe(`${STORM_NOTE_TITLE}: 14 alerts`);
	});
});
