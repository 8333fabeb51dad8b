/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { applyTicketEvents } from '../../sandbox/connectwise';
import { describeViolations } from '../../sandbox/core/contract';
import { readSeed, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { CW_BOARDS } from '../../sandbox/seed/connectwiseService';

type AnyRow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTOSO = 250;
const FABRIKAM = 251;
const MONITORING = CW_BOARDS.monitoring.id;
const HELP_DESK = CW_BOARDS.helpDesk.id;

let sandbox: Sandbox;

beforeEach(async () => {
	sandbox = await startSandbox();
});

afterEach(async () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
	await sandbox.stop();
});

async function cw(
	method: string,
	route: string,
	options: { body?: unknown; query?: Record<string, string> } = {},
): Promise<{ status: number; body: AnyRow; link: string | null }> {
	const identity = SANDBOX_IDENTITIES.connectwise;
	const url = new URL(`${sandbox.urls.connectwise}/${identity.codebase}apis/3.0${route}`);
	for (const [name, value] of Object.entries(options.query ?? {}))
		url.searchParams.set(name, value);
	const response = await fetch(url, {
		method,
		headers: {
			Authorization: `Basic ${Buffer.from(`${identity.companyId}+${identity.publicKey}:${identity.privateKey}`).toString('base64')}`,
			clientId: identity.clientId,
			'Content-Type': 'application/json',
			Accept: 'application/vnd.connectwise.com+json; version=2025.1',
		},
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	return {
		status: response.status,
		body: text ? (JSON.parse(text) as AnyRow) : {},
		link: response.headers.get('link'),
	};
}

/** Requests that break the contract on purpose: their request-side violations are dropped. */
async function deliberate<T>(run: () => Promise<T>): Promise<T> {
	const before = sandbox.contractViolations.length;
	const result = await run();
	const added = sandbox.contractViolations.splice(before);
	sandbox.contractViolations.push(
		...added.filter((violation) => violation.direction !== 'request'),
	);
	return result;
}

const fields = (response: { body: AnyRow }) =>
	(response.body.errors as AnyRow[]).map((error) => error.field).sort();

async function statusNamed(board: number, name: string): Promise<AnyRow> {
	const statuses = await cw('GET', `/service/boards/${board}/statuses`, {
		query: { conditions: `name="${name}"` },
	});
	return statuses.body[0] as AnyRow;
}

async function newTicket(extra: AnyRow = {}): Promise<AnyRow> {
	const created = await cw('POST', '/service/tickets', {
		body: {
			summary: 'Disk C: low on CONTOSO-FS01',
			company: { id: CONTOSO },
			board: { id: MONITORING },
			...extra,
		},
	});
	expect(created.status).toBe(201);
	return created.body;
}

describe('boards and their lists', () => {
	test('boards, statuses, types, subtypes, items, priorities and sources, per board and with conditions', async () => {
		const boards = await cw('GET', '/service/boards');
		expect(boards.body.map((board: AnyRow) => board.name)).toEqual(['Monitoring', 'Help Desk']);
		const closed = await cw('GET', `/service/boards/${MONITORING}/statuses`, {
			query: { conditions: 'closedStatus=true and inactive=false' },
		});
		expect(closed.body.map((status: AnyRow) => status.name)).toEqual(['Closed']);
		const helpDesk = await cw('GET', `/service/boards/${HELP_DESK}/statuses`);
		expect(helpDesk.body.every((status: AnyRow) => status.board.id === HELP_DESK)).toBe(true);
		for (const list of ['types', 'subtypes', 'items']) {
			const rows = await cw('GET', `/service/boards/${MONITORING}/${list}`);
			expect(rows.body.length).toBeGreaterThan(1);
			expect(rows.body.every((row: AnyRow) => row.board.id === MONITORING)).toBe(true);
		}
		const priorities = await cw('GET', '/service/priorities', { query: { orderBy: 'sortOrder' } });
		expect(priorities.body.filter((p: AnyRow) => p.defaultFlag)).toHaveLength(1);
		const sources = await cw('GET', '/service/sources', {
			query: { conditions: 'name="Monitoring"' },
		});
		expect(sources.body).toHaveLength(1);
		expect((await cw('GET', '/service/boards/999/statuses')).status).toBe(404);
	});
});

describe('service tickets', () => {
	test("summary and company are required; the document's limits hold (summary 100, externalXRef 100)", async () =>
		await deliberate(async () => {
			const empty = await cw('POST', '/service/tickets', { body: { board: { id: MONITORING } } });
			expect(empty.status).toBe(400);
			expect(fields(empty)).toEqual(['company', 'summary']);
			const long = await cw('POST', '/service/tickets', {
				body: {
					summary: 's'.repeat(101),
					externalXRef: 'x'.repeat(101),
					poNumber: 'p'.repeat(51),
					company: { id: CONTOSO },
				},
			});
			expect(fields(long)).toEqual(['externalXRef', 'poNumber', 'summary']);
			const unknown = await cw('POST', '/service/tickets', {
				body: { summary: 'x', company: { id: 999999 } },
			});
			expect(fields(unknown)).toEqual(['company']);
			expect(sandbox.connectwise.service.tickets).toHaveLength(3);
		}));

	test("a new ticket gets its board's default status, the default priority, Medium severity; initial notes are written, not returned", async () => {
		const ticket = await newTicket({
			externalXRef: 'DR:abc:alert-1',
			initialDescription: 'Free space below 10%',
			initialInternalAnalysis: 'Seen before on this host',
		});
		expect(ticket).toMatchObject({
			board: { id: MONITORING, name: 'Monitoring' },
			status: { name: 'New' },
			company: { id: CONTOSO, name: 'Contoso Ltd' },
			priority: { name: 'Priority 3 - Normal Response' },
			severity: 'Medium',
			impact: 'Medium',
			closedFlag: false,
			externalXRef: 'DR:abc:alert-1',
			_info: expect.objectContaining({ enteredBy: 'n8napi' }),
		});
		expect(ticket.initialDescription).toBeUndefined();
		const notes = await cw('GET', `/service/tickets/${ticket.id}/notes`);
		expect(
			notes.body.map((note: AnyRow) => [
				note.text,
				note.detailDescriptionFlag,
				note.internalAnalysisFlag,
			]),
		).toEqual([
			['Free space below 10%', true, false],
			['Seen before on this host', false, true],
		]);
	});

	test("status, type, subtype and item must be the board's and fit together", async () =>
		await deliberate(async () => {
			const otherBoard = await statusNamed(HELP_DESK, 'In Progress');
			const wrongStatus = await cw('POST', '/service/tickets', {
				body: {
					summary: 'x',
					company: { id: CONTOSO },
					board: { id: MONITORING },
					status: { id: otherBoard.id },
				},
			});
			expect(fields(wrongStatus)).toEqual(['status']);
			const inactive = await cw('POST', '/service/tickets', {
				body: {
					summary: 'x',
					company: { id: CONTOSO },
					board: { id: MONITORING },
					status: { name: 'Old - Escalated' },
				},
			});
			expect(inactive.body.errors[0].message).toMatch(/inactive/);
			// Patching is a Maintenance-only subtype; Alert is the type.
			const misfit = await cw('POST', '/service/tickets', {
				body: {
					summary: 'x',
					company: { id: CONTOSO },
					board: { id: MONITORING },
					type: { name: 'Alert' },
					subType: { name: 'Patching' },
					item: { name: 'Laptop' },
				},
			});
			expect(fields(misfit)).toEqual(['item', 'subType']);
			const fit = await newTicket({
				type: { name: 'Alert' },
				subType: { name: 'Server' },
				item: { name: 'Disk Space' },
				priority: { id: 1 },
				source: { name: 'Monitoring' },
			});
			expect(fit).toMatchObject({
				type: { id: 11 },
				subType: { id: 31 },
				item: { id: 41 },
				priority: { id: 1, name: 'Priority 1 - Emergency Response' },
				source: { id: 4 },
			});
		}));

	test("closing is moving to the board's closed status: it sets closedFlag, closedDate and closedBy; reopening clears them; closedFlag alone changes nothing", async () => {
		const ticket = await newTicket();
		const closed = await statusNamed(MONITORING, 'Closed');
		const flagOnly = await cw('PATCH', `/service/tickets/${ticket.id}`, {
			body: [{ op: 'replace', path: 'closedFlag', value: true }],
		});
		expect(flagOnly.body).toMatchObject({ closedFlag: false, status: { name: 'New' } });
		const close = await cw('PATCH', `/service/tickets/${ticket.id}`, {
			body: [{ op: 'replace', path: 'status', value: { id: closed.id } }],
		});
		expect(close.body).toMatchObject({
			closedFlag: true,
			closedBy: 'n8napi',
			closedDate: expect.stringMatching(/^\d{4}-/),
			status: { id: closed.id, name: 'Closed' },
		});
		const reopen = await cw('PATCH', `/service/tickets/${ticket.id}`, {
			body: [{ op: 'replace', path: 'status', value: { name: 'In Progress' } }],
		});
		expect(reopen.body.closedFlag).toBe(false);
		expect(reopen.body.closedDate).toBeUndefined();
		// Moving to another board without a status takes that board's default status.
		const moved = await cw('PATCH', `/service/tickets/${ticket.id}`, {
			body: [{ op: 'replace', path: 'board', value: { id: HELP_DESK } }],
		});
		expect(moved.body).toMatchObject({
			board: { id: HELP_DESK },
			status: { id: 201, name: 'New' },
		});
	});

	test('conditions (externalXRef, closedFlag, board, status, company, like), count and paging', async () => {
		const a = await newTicket({ externalXRef: 'DR:site1:alert-a', summary: 'Disk low on A' });
		const b = await newTicket({ externalXRef: 'DR:site1:alert-b', summary: 'CPU high on B' });
		await newTicket({
			company: { id: FABRIKAM },
			summary: 'Disk low on C',
			externalXRef: 'DR:site2:alert-c',
		});
		const closed = await statusNamed(MONITORING, 'Closed');
		await cw('PATCH', `/service/tickets/${b.id}`, {
			body: [{ op: 'replace', path: 'status', value: { id: closed.id } }],
		});
		const ids = async (conditions: string) =>
			(await cw('GET', '/service/tickets', { query: { conditions } })).body.map(
				(t: AnyRow) => t.id,
			);
		expect(await ids('externalXRef="DR:site1:alert-a"')).toEqual([a.id]);
		expect(await ids('externalXRef like "DR:site1:%" and closedFlag=false')).toEqual([a.id]);
		expect(await ids(`board/id=${MONITORING} and status/name="Closed"`)).toEqual([2, b.id]);
		expect(await ids(`company/id=${CONTOSO} and summary like "Disk%"`)).toEqual([a.id]);
		const count = await cw('GET', '/service/tickets/count', {
			query: { conditions: `company/id=${FABRIKAM}` },
		});
		expect(count.body).toEqual({ count: 2 });
		const page = await cw('GET', '/service/tickets', { query: { pageSize: '2', page: '1' } });
		expect(page.body).toHaveLength(2);
		expect(page.link).toContain('rel="next"');
	});

	test('notes: text and at least one of the detail, internal and resolution flags', async () =>
		await deliberate(async () => {
			const ticket = await newTicket();
			const flagless = await cw('POST', `/service/tickets/${ticket.id}/notes`, {
				body: { text: 'x' },
			});
			expect(flagless.status).toBe(400);
			const note = await cw('POST', `/service/tickets/${ticket.id}/notes`, {
				body: { text: 'Alert repeated at 09:14', internalAnalysisFlag: true },
			});
			expect(note.status).toBe(201);
			expect(note.body).toMatchObject({
				ticketId: ticket.id,
				internalAnalysisFlag: true,
				detailDescriptionFlag: false,
				createdBy: 'n8napi',
			});
			const internal = await cw('GET', `/service/tickets/${ticket.id}/notes`, {
				query: { conditions: 'internalAnalysisFlag=true' },
			});
			expect(internal.body.map((n: AnyRow) => n.id)).toEqual([note.body.id]);
			expect((await cw('GET', '/service/tickets/9999/notes')).status).toBe(404);
		}));
});

describe('configurations', () => {
	test('found by deviceIdentifier (the Datto device uid); created with name, type and company; attached to tickets', async () =>
		await deliberate(async () => {
			const device = sandbox.datto.devices.find((d) => d.hostname === 'CONTOSO-DC01')!;
			const found = await cw('GET', '/company/configurations', {
				query: { conditions: `deviceIdentifier="${device.uid}"` },
			});
			expect(found.body).toEqual([
				expect.objectContaining({
					name: 'CONTOSO-DC01',
					company: expect.objectContaining({ id: CONTOSO }),
				}),
			]);
			const types = await cw('GET', '/company/configurations/types', {
				query: { conditions: 'inactiveFlag=false' },
			});
			const server = types.body.find((type: AnyRow) => type.name === 'Server');
			const missing = await cw('POST', '/company/configurations', {
				body: { name: 'x'.repeat(101) },
			});
			expect(fields(missing)).toEqual(['company', 'name', 'type']);
			const created = await cw('POST', '/company/configurations', {
				body: {
					name: 'NEW-SRV01',
					type: { id: server.id },
					company: { id: CONTOSO },
					deviceIdentifier: 'new-device-uid',
				},
			});
			expect(created.body).toMatchObject({ activeFlag: true, type: { name: 'Server' } });
			const renamed = await cw('PATCH', `/company/configurations/${created.body.id}`, {
				body: [{ op: 'replace', path: 'serialNumber', value: 'SN-NEW' }],
			});
			expect(renamed.body.serialNumber).toBe('SN-NEW');

			const ticket = await newTicket();
			const attach = await cw('POST', `/service/tickets/${ticket.id}/configurations`, {
				body: { id: found.body[0].id },
			});
			expect(attach.status).toBe(201);
			expect(attach.body).toMatchObject({ id: found.body[0].id, deviceIdentifier: device.uid });
			const twice = await cw('POST', `/service/tickets/${ticket.id}/configurations`, {
				body: { id: found.body[0].id },
			});
			expect(twice.status).toBe(400);
			const none = await cw('POST', `/service/tickets/${ticket.id}/configurations`, {
				body: { id: 999999 },
			});
			expect(none.status).toBe(400);
			const attached = await cw('GET', `/service/tickets/${ticket.id}/configurations`);
			expect(attached.body.map((c: AnyRow) => c.id)).toEqual([found.body[0].id]);
		}));
});

describe('time entries', () => {
	test('charged to a ticket: chargeToType and chargeToId conditions, and a count', async () => {
		const conditions = 'chargeToType="ServiceTicket" and chargeToId=1';
		const entries = await cw('GET', '/time/entries', { query: { conditions } });
		expect(entries.body.map((entry: AnyRow) => entry.actualHours)).toEqual([0.75]);
		expect((await cw('GET', '/time/entries/count', { query: { conditions } })).body).toEqual({
			count: 1,
		});
		const none = await cw('GET', '/time/entries/count', {
			query: { conditions: 'chargeToType="ServiceTicket" and chargeToId=3' },
		});
		expect(none.body).toEqual({ count: 0 });
	});
});

/** A local receiver for callbacks. */
async function receiver(): Promise<{
	url: string;
	received: Array<{ url: string; body: string }>;
	stop: () => Promise<void>;
}> {
	const received: Array<{ url: string; body: string }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('callbacks', () => {
	test('CRUD: url, objectId, type and level required; a ticket callback names a known level', async () =>
		await deliberate(async () => {
			const missing = await cw('POST', '/system/callbacks', { body: { description: 'x' } });
			expect(fields(missing)).toEqual(['level', 'objectId', 'type', 'url']);
			const badLevel = await cw('POST', '/system/callbacks', {
				body: {
					url: 'https://n8n.example/webhook/cw',
					objectId: 1,
					type: 'Ticket',
					level: 'Planet',
				},
			});
			expect(fields(badLevel)).toEqual(['level']);
			const created = await cw('POST', '/system/callbacks', {
				body: {
					url: 'https://n8n.example/webhook/cw?secret=s3cr3t',
					objectId: MONITORING,
					type: 'Ticket',
					level: 'Board',
					description: 'n8n alert tickets',
				},
			});
			expect(created.status).toBe(201);
			expect(created.body).toMatchObject({ memberId: 178, inactiveFlag: false });
			const id = created.body.id;
			const off = await cw('PATCH', `/system/callbacks/${id}`, {
				body: [{ op: 'replace', path: 'inactiveFlag', value: true }],
			});
			expect(off.body.inactiveFlag).toBe(true);
			const replaced = await cw('PUT', `/system/callbacks/${id}`, {
				body: { ...created.body, description: 'replaced' },
			});
			expect(replaced.body).toMatchObject({ description: 'replaced', inactiveFlag: false });
			expect((await cw('GET', '/system/callbacks')).body).toHaveLength(1);
			expect((await cw('DELETE', `/system/callbacks/${id}`)).status).toBe(204);
			expect((await cw('GET', `/system/callbacks/${id}`)).status).toBe(404);
		}));

	test('a ticket change reaches each matching callback (Owner: all tickets; Board: its board), queued until delivered, with the ticket as Entity', async () => {
		const target = await receiver();
		try {
			const register = async (extra: AnyRow) =>
				await cw('POST', '/system/callbacks', {
					body: { type: 'Ticket', url: `${target.url}/webhook/cw?secret=s3cr3t`, ...extra },
				});
			await register({ level: 'Board', objectId: MONITORING });
			await register({ level: 'Owner', objectId: 1 });
			await register({ level: 'Board', objectId: MONITORING, inactiveFlag: true });

			const onMonitoring = await newTicket({ externalXRef: 'DR:x:alert-1' });
			await cw('POST', '/service/tickets', {
				body: { summary: 'Printer', company: { id: CONTOSO }, board: { id: HELP_DESK } },
			});
			await cw('PATCH', `/service/tickets/${onMonitoring.id}`, {
				body: [{ op: 'replace', path: 'summary', value: 'Disk C: very low' }],
			});
			// An API write that asks to skip callbacks calls none.
			await cw('PATCH', `/service/tickets/${onMonitoring.id}`, {
				body: [
					{ op: 'replace', path: 'summary', value: 'quiet change' },
					{ op: 'replace', path: 'skipCallback', value: true },
				],
			});
			const pending = sandbox.connectwise.pendingCallbackDeliveries();
			expect(pending.map((d) => [JSON.parse(d.body).ID, JSON.parse(d.body).Action])).toEqual([
				[onMonitoring.id, 'added'],
				[onMonitoring.id, 'added'],
				[onMonitoring.id + 1, 'added'],
				[onMonitoring.id, 'updated'],
				[onMonitoring.id, 'updated'],
			]);
			const body = JSON.parse(pending[3].body);
			expect(body).toMatchObject({
				Type: 'ticket',
				MemberId: 'n8napi',
				CompanyId: SANDBOX_IDENTITIES.connectwise.companyId,
			});
			expect(JSON.parse(body.Entity)).toMatchObject({
				id: onMonitoring.id,
				summary: 'Disk C: very low',
			});
			expect(target.received).toHaveLength(0);

			const results = await sandbox.connectwise.deliverCallbacks();
			expect(results.every((result) => result.ok)).toBe(true);
			expect(target.received.map((r) => r.url)).toEqual(Array(5).fill('/webhook/cw?secret=s3cr3t'));
			expect(target.received.map((r) => r.body)).toEqual(pending.map((d) => d.body));
			expect(sandbox.connectwise.pendingCallbackDeliveries()).toHaveLength(0);
		} finally {
			await target.stop();
		}
	});

	test("a self-suppressed callback ignores the API member's own changes, not a technician's", async () => {
		await cw('POST', '/system/callbacks', {
			body: {
				type: 'Ticket',
				level: 'Owner',
				objectId: 1,
				url: 'https://n8n.example/webhook/cw',
				isSelfSuppressedFlag: true,
			},
		});
		const ticket = await newTicket({ externalXRef: 'DR:x:alert-77' });
		expect(sandbox.connectwise.pendingCallbackDeliveries()).toHaveLength(0);
		const applied = applyTicketEvents(sandbox.connectwise, {
			events: [{ alertUid: 'alert-77', closed: true }],
		});
		expect(applied.outcomes[0]).toMatchObject({ ticketIds: [ticket.id] });
		expect(applied.deliveries.map((d) => JSON.parse(d.body).MemberId)).toEqual(['jsmith']);
	});
});

describe('ticket events and the seed layout', () => {
	test("events close (or reopen) every ticket carrying an alert's key, or one ticket; a key no ticket carries is reported", async () => {
		const first = await newTicket({ externalXRef: 'DR:s:ALERT-9' });
		const second = await newTicket({ externalXRef: 'DR:t:alert-9' });
		sandbox.connectwise.service.ticketEvents.push(
			{ alertUid: 'alert-9', closed: true },
			{ alertUid: 'alert-none', closed: true },
			{ ticketId: 3, closed: true, member: 'dwhitley' },
			{ ticketId: first.id, closed: false },
		);
		const applied = applyTicketEvents(sandbox.connectwise);
		expect(applied.outcomes.map((o) => [o.ticketIds, o.error])).toEqual([
			[[first.id, second.id], undefined],
			[[], expect.stringContaining('no ticket carries the key of alert alert-none')],
			[[3], undefined],
			[[first.id], undefined],
		]);
		const get = async (id: number) => (await cw('GET', `/service/tickets/${id}`)).body;
		expect(await get(second.id)).toMatchObject({
			closedFlag: true,
			status: { name: 'Closed' },
			closedBy: 'jsmith',
		});
		expect(await get(3)).toMatchObject({ closedFlag: true, closedBy: 'dwhitley' });
		expect(await get(first.id)).toMatchObject({ closedFlag: false, status: { name: 'New' } });
		expect(sandbox.connectwise.service.ticketEvents).toEqual([]);
	});

	test('the service desk is dumped in the layout it is read in', async () => {
		const ticket = await newTicket({ externalXRef: 'DR:dump:1' });
		await cw('POST', `/service/tickets/${ticket.id}/notes`, {
			body: { text: 'n', detailDescriptionFlag: true },
		});
		await cw('POST', '/system/callbacks', {
			body: { type: 'Ticket', level: 'Owner', objectId: 1, url: 'https://n8n.example/webhook/cw' },
		});
		await cw('POST', `/service/tickets/${ticket.id}/configurations`, { body: { id: 3001 } });
		sandbox.connectwise.service.ticketEvents.push({ ticketId: ticket.id, closed: true });
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-service-'));
		try {
			sandbox.dumpTo(directory);
			const again = readSeed(directory);
			expect(again.connectwise.ticketConfigurations).toContainEqual({
				ticketId: ticket.id,
				configurationId: 3001,
			});
			expect(again.connectwise.ticketEvents).toEqual([{ ticketId: ticket.id, closed: true }]);
			const twin = await startSandbox({ seed: again });
			try {
				expect(twin.dump().connectwise).toEqual(sandbox.dump().connectwise);
			} finally {
				await twin.stop();
			}
		} finally {
			fs.rmSync(directory, { recursive: true, force: true });
		}
	});
});
