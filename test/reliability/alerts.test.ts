/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * Alert delivery under faults: what test/alerts proves on a healthy network (three deliveries
 * of one body, 20 concurrent deliveries, a resolve that overtakes its raise, a resolve for an
 * unknown alert), again with resets, lost answers and throttling on the way; and the rules that
 * make the end state right whatever the timing (docs/adr/alert-eventual-uniqueness.md): the
 * lowest id wins, a create the client gave up on is looked up until it lands, the storm limit
 * holds after the fact. No assertion depends on the machine's speed: a slow vendor is the
 * sandbox holding an answer until an event (the client gave up, the test let it go), and what a
 * race may leave for a moment is checked after the next reader settled it.
 */
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { devicePrefix, parseAlertKey } from '../../lib/alerts/key';
import { splitXRef } from '../../lib/alerts/psa/connectwiseRecords';
import type { Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/core/faults';
import type { SandboxVendor } from '../../sandbox/core/types';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { allJson, credentialStore, pkg, withSandbox } from './support';
import type { CredentialStore } from '../../dev/runner/credentials';

const COMPLETE = '5';
const TICKET_CREATE = /\/V1\.0\/Tickets$/i;
const TICKET_QUERY = /\/V1\.0\/Tickets\/query$/i;
const CREATE_PATHS = { autotask: TICKET_CREATE, connectwise: /\/service\/tickets$/i };

/** Resets before and after the vendor acted, and throttling, at `rate` of the calls in all. */
function mixedFaults(vendors: SandboxVendor[], rate = 0.1): FaultRule[] {
	return vendors.flatMap((vendor): FaultRule[] => [
		{ vendor, kind: 'reset', rate: rate / 3 },
		{ vendor, kind: 'resetAfter', method: 'POST', rate: rate / 3 },
		{ vendor, kind: 'resetAfter', method: 'PATCH', rate: rate / 3 },
		{ vendor, kind: 'status', status: 429, retryAfterSeconds: 0, rate: rate / 3 },
	]);
}

function processAlert(options: IDataObject = {}): ReturnType<typeof singleNodeWorkflow> {
	return singleNodeWorkflow({
		name: 'Process Alert',
		type: `${PACKAGE_NAME}.rmmAlertToTicket`,
		parameters: {
			operation: 'processAlert',
			catchAllCompany: { __rl: true, mode: 'id', value: '0' },
			options: { stormPerDevice: 0, stormPerSite: 0, ...options },
		},
		credentials: {
			autotaskApi: { id: 'at', name: 'Autotask' },
			dattoRmmApi: { id: 'dr', name: 'Datto' },
		},
		onError: 'continueRegularOutput',
	});
}

/** Sync Open Alerts once (the template's backstop), with the same settings. */
async function backstop(credentials: CredentialStore, options: IDataObject = {}): Promise<void> {
	const result = await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow: singleNodeWorkflow({
			name: 'Sync Open Alerts',
			type: `${PACKAGE_NAME}.rmmAlertToTicket`,
			parameters: {
				operation: 'syncOpenAlerts',
				catchAllCompany: { __rl: true, mode: 'id', value: '0' },
				options: { stormPerDevice: 0, stormPerSite: 0, ...options },
			},
			credentials: {
				autotaskApi: { id: 'at', name: 'Autotask' },
				dattoRmmApi: { id: 'dr', name: 'Datto' },
			},
		}),
		input: [{}],
	});
	expect(result.status).toBe('success');
}

async function deliver(
	sandbox: Sandbox,
	credentials: CredentialStore,
	items: IDataObject[],
	options: IDataObject = {},
): Promise<IDataObject[]> {
	const result = await runWorkflow({
		pkg: pkg(),
		credentials,
		workflow: processAlert(options),
		input: items,
	});
	expect(result.status).toBe('success');
	return allJson(result, 'Process Alert');
}

function item(sandbox: Sandbox, alertUid: string, event: 'raised' | 'resolved'): IDataObject {
	return sandbox.datto.webhookItem(
		sandbox.datto.webhookBody(alertUid, event),
	) as unknown as IDataObject;
}

function ticketsOf(sandbox: Sandbox, alertUid: string): IDataObject[] {
	return (sandbox.autotask.tickets as IDataObject[]).filter(
		(ticket) => parseAlertKey(ticket.externalID)?.alertUid === alertUid,
	);
}

function raise(sandbox: Sandbox, service: string) {
	return sandbox.datto.raiseAlert({
		deviceUid: sandbox.datto.devices[1].uid,
		alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
	});
}

type Alert = ReturnType<typeof raise>;

/** A fresh sandbox, its credentials and one alert raised on the test device. */
async function withAlert(
	service: string,
	work: (sandbox: Sandbox, credentials: CredentialStore, alert: Alert) => Promise<void>,
): Promise<void> {
	await withSandbox(
		async (sandbox) => await work(sandbox, credentialStore(sandbox), raise(sandbox, service)),
	);
}

/** The PSA's ticket creates answered as the rule says (held, late, the answer lost). */
function faultCreates(
	sandbox: Sandbox,
	vendor: keyof typeof CREATE_PATHS,
	rule: Pick<FaultRule, 'kind' | 'times' | 'nth'>,
): void {
	sandbox.faults.add({ vendor, method: 'POST', path: CREATE_PATHS[vendor], ...rule });
}

/** The alert's raised webhook, delivered once to Process Alert. */
async function deliverRaised(
	sandbox: Sandbox,
	credentials: CredentialStore,
	alert: Alert,
	options: IDataObject = {},
): Promise<IDataObject[]> {
	return await deliver(sandbox, credentials, [item(sandbox, alert.alertUid, 'raised')], options);
}

/** `count` deliveries at once; their outcomes in one list. */
async function atOnce(
	count: number,
	deliverOne: () => Promise<IDataObject[]>,
): Promise<IDataObject[]> {
	return (await Promise.all(Array.from({ length: count }, deliverOne))).flat();
}

/**
 * One body delivered three times under mixed faults, the first ticket create's answer lost: every
 * delivery without error, the first creates, the later two are recognised. Returns the outcomes.
 */
async function threeTimesFirstAnswerLost(
	sandbox: Sandbox,
	psa: keyof typeof CREATE_PATHS,
	deliverOne: () => Promise<IDataObject[]>,
): Promise<IDataObject[]> {
	faultCreates(sandbox, psa, { kind: 'resetAfter', nth: [1] });
	for (const rule of mixedFaults([psa, 'datto'])) sandbox.faults.add(rule);
	const outcomes: IDataObject[] = [];
	for (let i = 0; i < 3; i++) outcomes.push(...(await deliverOne()));
	expect(sandbox.faults.injected.resetAfter).toBeGreaterThan(0);
	expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined]);
	expect(outcomes.map((o) => o.decision)).toEqual([
		'created',
		'duplicateDelivery',
		'duplicateDelivery',
	]);
	return outcomes;
}

describe('alert delivery under resets, lost answers and throttling', () => {
	test("the same body three times, the first ticket's answer lost: one ticket, the later deliveries recognised", async () => {
		await withAlert('ThreeTimes', async (sandbox, credentials, alert) => {
			const outcomes = await threeTimesFirstAnswerLost(
				sandbox,
				'autotask',
				async () => await deliverRaised(sandbox, credentials, alert),
			);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
			expect(new Set(outcomes.map((o) => o.ticketId)).size).toBe(1);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('20 concurrent deliveries of one alert: exactly one open ticket, every delivery accounted for, no error', async () => {
		await withAlert('TwentyAtOnce', async (sandbox, credentials, alert) => {
			// Two creates whose answer is lost for certain: their look-up by key may find another
			// delivery's ticket, so their own is nobody's; the rule closes it all the same.
			faultCreates(sandbox, 'autotask', { kind: 'resetAfter', nth: [3, 7] });
			for (const rule of mixedFaults(['autotask', 'datto'])) sandbox.faults.add(rule);
			const outcomes = await atOnce(
				20,
				async () => await deliverRaised(sandbox, credentials, alert),
			);
			expect(sandbox.faults.injected.resetAfter).toBeGreaterThanOrEqual(2);
			expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
			expect(outcomes).toHaveLength(20);
			expect(
				outcomes.every((o) =>
					['created', 'mergedIntoExisting', 'duplicateDelivery'].includes(String(o.decision)),
				),
			).toBe(true);
			const tickets = ticketsOf(sandbox, alert.alertUid);
			const open = tickets.filter((t) => String(t.status) !== COMPLETE);
			const openNow = open.length;
			await backstop(credentials);
			const openAfterBackstop = ticketsOf(sandbox, alert.alertUid).filter(isOpenTicket).length;
			process.stdout.write(
				`20 concurrent deliveries under faults: ${tickets.length} tickets made in the race; open right after the burst ${openNow}, after the backstop ${openAfterBackstop}\n`,
			);
			expect([openNow, openAfterBackstop]).toEqual([1, 1]);
			// Every delivery points at the one ticket left open; race duplicates were closed into it.
			expect(outcomes.every((o) => Number(o.ticketId) === Number(open[0].id))).toBe(true);
			for (const duplicate of tickets.filter((t) => t !== open[0]))
				expect(String(duplicate.resolution)).toMatch(/^Duplicate of ticket/);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('a resolve that overtakes its raise leaves no ticket; a resolve for an unknown alert writes nothing', async () => {
		await withAlert('ResolvedFirst', async (sandbox, credentials, early) => {
			for (const rule of mixedFaults(['autotask', 'datto'], 0.2)) sandbox.faults.add(rule);
			sandbox.datto.resolveAlert(early.alertUid);
			const resolvedFirst = await deliver(sandbox, credentials, [
				item(sandbox, early.alertUid, 'resolved'),
			]);
			const raisedLate = await deliver(sandbox, credentials, [
				item(sandbox, early.alertUid, 'raised'),
			]);
			expect(resolvedFirst).toEqual([expect.objectContaining({ decision: 'noTicket' })]);
			expect(raisedLate).toEqual([expect.objectContaining({ decision: 'alreadyResolved' })]);
			expect(ticketsOf(sandbox, early.alertUid)).toEqual([]);

			const from = sandbox.log.entries.length;
			const unknown = await deliver(sandbox, credentials, [
				sandbox.datto.webhookItem({
					event: 'resolved',
					alertUid: '7e57a1e7-0000-4000-8000-000000000001',
				}) as unknown as IDataObject,
			]);
			expect(unknown).toEqual([expect.objectContaining({ decision: 'noTicket' })]);
			const writes = sandbox.log.entries
				.slice(from)
				.filter((e) => e.method !== 'GET' && !/\/query|token/i.test(e.path));
			expect(writes).toEqual([]);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('raise and resolve of one alert in one batch under faults: one ticket, completed once', async () => {
		await withAlert('Batch', async (sandbox, credentials, alert) => {
			for (const rule of mixedFaults(['autotask', 'datto'], 0.2)) sandbox.faults.add(rule);
			const outcomes = await deliver(sandbox, credentials, [
				item(sandbox, alert.alertUid, 'raised'),
				item(sandbox, alert.alertUid, 'resolved'),
			]);
			expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
			expect(outcomes.map((o) => o.decision)).toEqual(['created', 'completed']);
			const tickets = ticketsOf(sandbox, alert.alertUid);
			expect(tickets).toHaveLength(1);
			expect(String(tickets[0].status)).toBe(COMPLETE);
			// Delivered again later (Datto re-sends nothing, but a replay might): nothing changes.
			const again = await deliver(sandbox, credentials, [
				item(sandbox, alert.alertUid, 'raised'),
				item(sandbox, alert.alertUid, 'resolved'),
			]);
			expect(again.filter((o) => o.decision === 'created' || o.decision === 'completed')).toEqual(
				[],
			);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});
});

/** The alert tickets of one device (its problem tickets and its storm ticket). */
function ticketsOfDevice(sandbox: Sandbox, deviceUid: string): IDataObject[] {
	const prefix = devicePrefix(String(deviceSite(sandbox, deviceUid)), deviceUid);
	return (sandbox.autotask.tickets as IDataObject[]).filter((ticket) =>
		String(ticket.externalID ?? '').startsWith(prefix),
	);
}

function deviceSite(sandbox: Sandbox, deviceUid: string): string {
	return String(sandbox.datto.devices.find((d) => d.uid === deviceUid)!.siteUid);
}

const isOpenTicket = (ticket: IDataObject) => String(ticket.status) !== COMPLETE;

/** Calls logged after `seq` that match. */
function loggedSince(sandbox: Sandbox, seq: number, method: string, path: RegExp): number {
	return sandbox.log.entries.filter(
		(entry) => entry.seq > seq && entry.method === method && path.test(entry.path),
	).length;
}

/** Waits for something the system under test does (polled; no assertion on how long it takes). */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await sleep(20);
}

describe('a ticket create the client gave up on (write timeout shrunk by the node option)', () => {
	const SHORT = { writeTimeoutSeconds: 1 };

	test('it finishes just after the client stopped waiting: found by its key, not sent again', async () => {
		await withAlert('LateCreate', async (sandbox, credentials, alert) => {
			faultCreates(sandbox, 'autotask', { kind: 'late', times: 1 });
			const from = sandbox.log.entries.at(-1)?.seq ?? 0;
			const outcomes = await deliverRaised(sandbox, credentials, alert, SHORT);
			expect(sandbox.faults.injected.late).toBe(1);
			expect(outcomes).toEqual([expect.objectContaining({ decision: 'created' })]);
			expect(loggedSince(sandbox, from, 'POST', TICKET_CREATE)).toBe(1);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
		});
	});

	test('it is still in progress when the first look-ups come: they keep looking until it lands, and nothing is sent twice', async () => {
		await withAlert('HeldCreate', async (sandbox, credentials, alert) => {
			faultCreates(sandbox, 'autotask', { kind: 'hold', times: 1 });
			const from = sandbox.log.entries.at(-1)?.seq ?? 0;
			const delivered = deliverRaised(sandbox, credentials, alert, SHORT);
			await sandbox.faults.whenHeld(1);
			const held = sandbox.log.entries.filter(
				(e) => e.seq > from && e.method === 'POST' && TICKET_CREATE.test(e.path),
			)[0].seq;
			// The vendor finishes the create only after two look-ups found nothing.
			await until(() => loggedSince(sandbox, held, 'POST', TICKET_QUERY) >= 2);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(0);
			sandbox.faults.release();
			const outcomes = await delivered;
			expect(outcomes).toEqual([expect.objectContaining({ decision: 'created' })]);
			expect(loggedSince(sandbox, from, 'POST', TICKET_CREATE)).toBe(1);
			expect(ticketsOf(sandbox, alert.alertUid)).toHaveLength(1);
		});
	});

	test('it lands after its delivery stopped looking and sent it again: two tickets for a moment, one after the next delivery of the site', async () => {
		await withAlert('LandsLate', async (sandbox, credentials, alert) => {
			faultCreates(sandbox, 'autotask', { kind: 'hold', times: 1 });
			const outcomes = await deliverRaised(sandbox, credentials, alert, SHORT);
			expect(outcomes).toEqual([expect.objectContaining({ decision: 'created' })]);
			// The first create, held all along, lands now: after every look-up and the re-send.
			expect(sandbox.faults.release()).toBe(1);
			await until(() => ticketsOf(sandbox, alert.alertUid).length === 2);
			expect(ticketsOf(sandbox, alert.alertUid).filter(isOpenTicket)).toHaveLength(2);

			// Whoever reads the site's tickets next closes the later one into the first.
			await deliverRaised(sandbox, credentials, raise(sandbox, 'NextOnTheSite'));
			const tickets = ticketsOf(sandbox, alert.alertUid);
			const open = tickets.filter(isOpenTicket);
			expect(open).toHaveLength(1);
			expect(Number(open[0].id)).toBe(Math.min(...tickets.map((t) => Number(t.id))));
			const closed = tickets.find((t) => t !== open[0])!;
			expect(String(closed.resolution)).toMatch(/^Duplicate of ticket/);
		});
	});
});

describe('the storm limit under concurrency', () => {
	const LIMIT = { stormPerDevice: 3, stormPerSite: 0 };

	test('12 new problems of one device delivered at once, all deciding before any ticket exists: at most 3 problem tickets and one storm ticket stay open, every alert on them', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialStore(sandbox);
			const device = sandbox.datto.devices[1].uid;
			const alerts = Array.from({ length: 12 }, (_, n) => raise(sandbox, `Storm${n}`));
			// Every create waits until all twelve deliveries decided: the race, for certain.
			faultCreates(sandbox, 'autotask', { kind: 'hold', times: alerts.length });
			const delivered = Promise.all(
				alerts.map(async (alert) => await deliverRaised(sandbox, credentials, alert, LIMIT)),
			);
			await sandbox.faults.whenHeld(alerts.length);
			sandbox.faults.release();
			const outcomes = (await delivered).flat();
			expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);

			const tickets = ticketsOfDevice(sandbox, device);
			const stormOpen = tickets.filter(
				(t) => isOpenTicket(t) && parseAlertKey(t.externalID)?.storm,
			);
			const problemOpen = tickets.filter(
				(t) => isOpenTicket(t) && !parseAlertKey(t.externalID)?.storm,
			);
			await backstop(credentials, LIMIT);
			const settled = ticketsOfDevice(sandbox, device).filter(isOpenTicket);
			process.stdout.write(
				`12 concurrent new problems, storm limit 3: ${tickets.length} tickets made; open right after the burst ${problemOpen.length} problem + ${stormOpen.length} storm, after the backstop ${settled.length} in all\n`,
			);
			expect(problemOpen).toHaveLength(3);
			expect(stormOpen).toHaveLength(1);
			expect(settled).toHaveLength(4);
			// The three that stand are the first three by id.
			const problemIds = tickets
				.filter((t) => !String(t.resolution ?? '').startsWith('Duplicate'))
				.map((t) => Number(t.id))
				.sort((a, b) => a - b);
			expect(problemOpen.map((t) => Number(t.id)).sort((a, b) => a - b)).toEqual(
				problemIds.slice(0, 3),
			);
			// Every alert: on a problem ticket that stands, or recorded on the storm ticket.
			const storm = stormOpen[0];
			const stormText = [
				String(storm.externalID),
				...(sandbox.autotask.ticketNotes as IDataObject[])
					.filter((n) => Number(n.ticketID) === Number(storm.id))
					.map((n) => String(n.description)),
			].join('\n');
			for (const alert of alerts) {
				const own = problemOpen.some(
					(t) => parseAlertKey(t.externalID)?.alertUid === alert.alertUid,
				);
				const onStorm =
					stormText.includes(alert.alertUid) ||
					parseAlertKey(storm.externalID)?.alertUid === alert.alertUid;
				expect({ alert: alert.alertUid, accounted: own || onStorm }).toEqual({
					alert: alert.alertUid,
					accounted: true,
				});
			}
			expect(
				outcomes.every((o) =>
					['created', 'stormTicketCreated', 'foldedIntoStorm', 'mergedIntoExisting'].includes(
						String(o.decision),
					),
				),
			).toBe(true);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});
});

describe('whoever reads the tickets next settles them', () => {
	test("a resolve that reads its device's tickets closes a duplicate a stopped worker left open, never one a person took", async () => {
		await withAlert('LeftOpen', async (sandbox, credentials, alert) => {
			const [first] = await deliverRaised(sandbox, credentials, alert);
			const original = (sandbox.autotask.tickets as IDataObject[]).find(
				(t) => Number(t.id) === Number(first.ticketId),
			)!;
			const tickets = sandbox.autotask.tickets as IDataObject[];
			const nextId = () => Math.max(...tickets.map((t) => Number(t.id))) + 1;
			const stopped: IDataObject = { ...original, id: nextId(), ticketNumber: 'T20261124.9998' };
			tickets.push(stopped);
			const taken: IDataObject = {
				...original,
				id: nextId(),
				ticketNumber: 'T20261124.9999',
				assignedResourceID: 29682999,
			};
			tickets.push(taken);

			const other = raise(sandbox, 'LeftOpenToo');
			sandbox.datto.resolveAlert(other.alertUid);
			const outcomes = await deliver(sandbox, credentials, [
				item(sandbox, other.alertUid, 'resolved'),
			]);
			expect(outcomes[0].housekeeping).toEqual([
				{ ticketId: stopped.id, closedInto: original.id, rule: 'duplicate' },
			]);
			expect(String(stopped.status)).toBe(COMPLETE);
			expect(String(stopped.resolution)).toMatch(/^Duplicate of ticket/);
			expect(String(original.status)).not.toBe(COMPLETE);
			expect(String(taken.status)).not.toBe(COMPLETE);
		});
	});
});

describe('ConnectWise: the same rules under resets, lost answers and throttling', () => {
	const CW_CREDENTIALS = {
		connectWiseManageApi: { id: 'cw', name: 'ConnectWise' },
		dattoRmmApi: { id: 'dr', name: 'Datto' },
	};

	function connectwiseNode(sandbox: Sandbox, operation: 'processAlert' | 'syncOpenAlerts') {
		// Datto sites name only Autotask companies: each site's customer by name in ConnectWise.
		const companies = sandbox.connectwise.companies as Array<{ id: number; name: string }>;
		const mappings = sandbox.datto.sites.flatMap((site) => {
			const company = companies.find((c) => c.name === site.autotaskCompanyName);
			return company ? [{ site: site.uid, companyId: company.id }] : [];
		});
		return singleNodeWorkflow({
			name: 'ConnectWise Alerts',
			type: `${PACKAGE_NAME}.rmmAlertToTicket`,
			parameters: {
				psa: 'connectwise',
				operation,
				connectwiseBoard: {
					__rl: true,
					mode: 'id',
					value: String(sandbox.connectwise.service.boards[0].id),
				},
				siteCompanies: { mappings },
				options: { stormPerDevice: 0, stormPerSite: 0 },
			},
			credentials: CW_CREDENTIALS,
			onError: 'continueRegularOutput',
		});
	}

	const cwTickets = (sandbox: Sandbox, alertUid: string) =>
		sandbox.connectwise.service.tickets.filter((row) => {
			const xref = splitXRef(row.externalXRef);
			return parseAlertKey(xref?.key)?.alertUid === alertUid && !xref?.resolution;
		});
	const cwDuplicates = (sandbox: Sandbox, alertUid: string) =>
		sandbox.connectwise.service.tickets.filter((row) => {
			const xref = splitXRef(row.externalXRef);
			return parseAlertKey(xref?.key)?.alertUid === alertUid && xref?.resolution;
		});

	async function cwDeliver(sandbox: Sandbox, credentials: CredentialStore, alertUid: string) {
		const result = await runWorkflow({
			pkg: pkg(),
			credentials,
			workflow: connectwiseNode(sandbox, 'processAlert'),
			input: [item(sandbox, alertUid, 'raised')],
		});
		expect(result.status).toBe('success');
		return allJson(result, 'ConnectWise Alerts');
	}

	test("the same body three times, the first ticket's answer lost: one ticket, the later deliveries recognised", async () => {
		await withAlert('CwThreeTimes', async (sandbox, credentials, alert) => {
			await threeTimesFirstAnswerLost(
				sandbox,
				'connectwise',
				async () => await cwDeliver(sandbox, credentials, alert.alertUid),
			);
			expect(cwTickets(sandbox, alert.alertUid)).toHaveLength(1);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('20 concurrent deliveries of one alert under faults: one open ticket after the burst and after the backstop, the others closed as duplicates', async () => {
		await withAlert('CwTwentyAtOnce', async (sandbox, credentials, alert) => {
			faultCreates(sandbox, 'connectwise', { kind: 'resetAfter', nth: [3, 7] });
			for (const rule of mixedFaults(['connectwise', 'datto'])) sandbox.faults.add(rule);
			const outcomes = await atOnce(
				20,
				async () => await cwDeliver(sandbox, credentials, alert.alertUid),
			);
			expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
			expect(outcomes).toHaveLength(20);
			const open = () =>
				cwTickets(sandbox, alert.alertUid).filter((t) => t.closedFlag !== true).length;
			const openNow = open();
			const sync = await runWorkflow({
				pkg: pkg(),
				credentials,
				workflow: connectwiseNode(sandbox, 'syncOpenAlerts'),
				input: [{}],
			});
			expect(sync.status).toBe('success');
			process.stdout.write(
				`ConnectWise, 20 concurrent deliveries under faults: ${cwTickets(sandbox, alert.alertUid).length + cwDuplicates(sandbox, alert.alertUid).length} tickets made in the race; open right after the burst ${openNow}, after the backstop ${open()}\n`,
			);
			expect([openNow, open()]).toEqual([1, 1]);
			for (const duplicate of cwDuplicates(sandbox, alert.alertUid))
				expect(duplicate.closedFlag).toBe(true);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});
});
