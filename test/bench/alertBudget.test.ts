/**
 * The alert path's call budget (issue 19), one webhook per execution as Datto delivers them:
 * the figures `npm run bench` reports, pinned so that a regression fails CI. The same measures
 * as bench/alerts.ts, at a smaller size.
 */
import { benchColdCalls, benchStorm } from '../../bench/alerts';
import { loadSourcePackage } from '../../dev/runner/nodeTypes';

const pkg = loadSourcePackage();

describe('alert call budget, one webhook per execution', () => {
	test('new / repeat / resolve: 7 / 3 / 4 calls, signed or not (README: "Calls of one delivery")', async () => {
		for (const mode of ['now', 'before'] as const) {
			const { calls, contractViolations } = await benchColdCalls(pkg, mode);
			expect(contractViolations).toBe(0);
			expect(calls).toMatchObject({ newCalls: 7, repeatCalls: 3, resolveCalls: 4 });
		}
	});

	test('a storm from one device, signed: the device limit of tickets, then one ticket read per alert, no note until the interval, the backstop lists them all', async () => {
		const alerts = 40;
		const storm = await benchStorm(pkg, { mode: 'now', alerts });
		expect(storm.contractViolations).toBe(0);
		// Storm limit 3: two problem tickets, then the third problem opens the storm ticket.
		expect(storm).toMatchObject({ ticketsCreated: 3, stormTickets: 1, ticketsBeforeStorm: 2 });
		expect(storm.decisions).toEqual({ created: 2, stormTicketCreated: 1, stormDeferred: 37 });
		// A ticket made: its read, the alert, the site, the configuration item, the ticket fields,
		// the create, the re-read after writing (5 Autotask, 2 Datto). A deferred alert: its read.
		expect(storm.autotaskCalls).toBe(3 * 5 + 37);
		expect(storm.dattoCalls).toBe(3 * 2);
		expect(storm.stormTicketNotes).toBe(0);
		// The backstop writes one note listing every deferred alert; nothing is unaccounted.
		expect(storm.backstop).toMatchObject({ notes: 1, ticketsCreated: 0 });
		expect(storm.unaccounted).toBe(0);
	});

	test('unsigned, a note per delivery (the path before issue 19): every alert read from Datto and noted', async () => {
		const alerts = 40;
		const storm = await benchStorm(pkg, { mode: 'before', alerts });
		expect(storm.decisions).toEqual({ created: 2, stormTicketCreated: 1, stormNoted: 37 });
		expect(storm.dattoCalls).toBe(alerts + 3);
		expect(storm.stormTicketNotes).toBe(37);
		expect(storm.unaccounted).toBe(0);
	});

	test('a storm across a site (devices taking turns), signed: within 1.5 Autotask and 1 Datto call per alert, none unaccounted', async () => {
		const storm = await benchStorm(pkg, { mode: 'now', alerts: 60, devices: 20 });
		expect(storm.contractViolations).toBe(0);
		expect(storm.stormTickets).toBe(1);
		expect(storm.perAlert.autotask).toBeLessThanOrEqual(1.5);
		expect(storm.perAlert.datto).toBeLessThanOrEqual(1);
		expect(storm.stormTicketNotes).toBe(0);
		// The backstop reads each alert and may open device storm tickets (a seed device over its own
		// limit within the window); every alert ends up on a ticket's key or in a note.
		expect(storm.unaccounted).toBe(0);
	});
});
