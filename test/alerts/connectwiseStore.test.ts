import { alertKey, devicePrefix } from '../../lib/alerts/key';
import { ConnectWiseTicketStore } from '../../lib/alerts/psa/connectwise';
import { CLOSED } from '../../lib/alerts/psa/connectwiseRecords';
import { DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_TITLE_TEMPLATE } from '../../lib/alerts/settings';
import type { EffectiveSettings } from '../../lib/alerts/settings';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { CW_BOARDS } from '../../sandbox/seed/connectwiseService';
import { directConnectWise } from '../connectwise/fixtures';

/** The ConnectWise ticket store over real HTTP against the sandbox: what the engine sees. */

let sandbox: Sandbox;
let store: ConnectWiseTicketStore;

const settings: EffectiveSettings = {
	ticket: true,
	fields: {
		newStatus: '101',
		titleTemplate: DEFAULT_TITLE_TEMPLATE,
		descriptionTemplate: DEFAULT_DESCRIPTION_TEMPLATE,
	},
	priorityMap: {},
};
const parts = {
	siteUid: 'site-a',
	deviceUid: 'dev-1',
	monitorClass: 'perf_disk_usage_ctx',
	detail: 'C:',
};
const uid = 'b7c5a1d2-0000-4000-8000-000000000001';

beforeEach(async () => {
	sandbox = await startSandbox();
	store = new ConnectWiseTicketStore(directConnectWise(sandbox).client, {
		boardId: CW_BOARDS.monitoring.id,
		noteFlag: 'internalAnalysisFlag',
	});
});

afterEach(async () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
	await sandbox.stop();
});

test('a ticket created with a key is read back by prefix and suffix, closed by the board closed status and reopened', async () => {
	const key = alertKey(parts, uid);
	const created = await store.createTicket({
		key,
		companyId: 250,
		title: 'x'.repeat(150),
		description: 'Disk C: is full',
		dattoPriority: 'High',
		settings,
	});
	expect(created.title).toHaveLength(100);
	const row = sandbox.connectwise.service.tickets.find((t) => t.id === created.id)!;
	expect(row.externalXRef).toBe(key);
	expect(row.board).toMatchObject({ id: CW_BOARDS.monitoring.id });
	expect(row.status).toMatchObject({ id: 101 });

	const byPrefix = await store.readTickets({
		prefixes: [devicePrefix(parts.siteUid, parts.deviceUid)],
	});
	expect(byPrefix.map((t) => t.id)).toEqual([created.id]);
	expect(byPrefix[0].status).toBe('101');
	expect(byPrefix[0].companyId).toBe(250);

	await store.addNote(created.id, { title: 'Alert repeated', description: `alert ${uid} again` });
	expect(await store.hasNoteTitled(created.id, 'Alert repeated')).toBe(true);
	expect(await store.hasNoteTitled(created.id, 'Alert')).toBe(false);
	const mentioning = await store.notesMentioning([{ ticketId: created.id, alertUid: uid }]);
	expect(mentioning).toEqual([
		{ ticketId: created.id, title: 'Alert repeated', description: `alert ${uid} again` },
	]);

	await store.completeTicket(created.id, 'Duplicate of ticket 7');
	const closed = await store.readTickets({
		prefixes: [],
		suffixes: [`:${key.split(':')[2]}`],
		completedSince: Date.now() - 60_000,
	});
	expect(closed).toHaveLength(1);
	expect(closed[0]).toMatchObject({ status: CLOSED, resolution: 'Duplicate of ticket' });
	expect(closed[0].key.key).toBe(key);
	expect(row.closedFlag).toBe(true);
	expect(row.status).toMatchObject({ id: 106 });
	const open = await store.readTickets({
		prefixes: [devicePrefix(parts.siteUid, parts.deviceUid)],
	});
	expect(open).toHaveLength(0);

	await store.reopenTicket(created.id, '101', key);
	expect(row.closedFlag).toBe(false);
	expect(row.externalXRef).toBe(key);
	expect(await store.timeEntryCounts([created.id])).toEqual(new Map([[created.id, 0]]));
});

test('a configuration another delivery attached between the look and the write leaves the ticket created, attached once', async () => {
	// The race of 20 concurrent deliveries made deterministic: this delivery's configuration
	// attach reaches ConnectWise just after another delivery's attach to the same ticket.
	const client = directConnectWise(sandbox).client;
	const racing = Object.create(client) as typeof client;
	let raced = 0;
	racing.create = async <T>(path: string, body: unknown, options?: object): Promise<T> => {
		if (/\/service\/tickets\/\d+\/configurations$/.test(path) && raced++ === 0)
			await client.create(path, body);
		return await client.create<T>(path, body, options);
	};
	const racingStore = new ConnectWiseTicketStore(racing, {
		boardId: CW_BOARDS.monitoring.id,
		noteFlag: 'internalAnalysisFlag',
	});
	const configuration = sandbox.connectwise.service.configurations.find(
		(row) => (row.company as { id?: number } | undefined)?.id === 250,
	)!;
	const created = await racingStore.createTicket({
		key: alertKey(parts, uid),
		companyId: 250,
		title: 'Disk C: is full',
		description: 'Disk C: is full',
		dattoPriority: 'High',
		settings,
		configurationItemId: Number(configuration.id),
	});
	expect(raced).toBe(1);
	expect(
		sandbox.connectwise.service.ticketConfigurations.filter((row) => row.ticketId === created.id),
	).toEqual([{ ticketId: created.id, configurationId: Number(configuration.id) }]);
});
