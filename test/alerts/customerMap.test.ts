/**
 * Site to company from the customer map (issues 19 and 23): RMM Alert to Ticket's Customer Map
 * input, fed by an n8n Data Table node, is the only source of a ticket's company for both PSAs.
 * A mapped site needs no Datto site read; a site the map gives no company gets no ticket in any
 * customer's company (the catch-all, named on the ticket, or the delivery fails); a mapped
 * company the PSA's own record of the device contradicts is refused. Each case runs the node
 * through n8n's engine against the sandbox's default seed, whose scenario.json holds the map.
 */
import type { IDataObject, INodeCredentials, INodeParameters } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { splitXRef } from '../../lib/alerts/psa/connectwiseRecords';
import { customerMapRows } from '../../dev/customerMap';
import { runWorkflow, singleNodeWorkflow } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { dataTables } from '../../dev/runner/standInNodes';
import { connectCustomerMap, CUSTOMER_MAP_TABLE } from '../../dev/templates';
import type { Sandbox } from '../../sandbox/index';
import { defaultScenario } from '../../sandbox/scenario';
import { allJson, credentialStore, pkg, withSandbox } from '../reliability/support';

interface PsaCase {
	psa: 'autotask' | 'connectwise';
	/** The map's column for this PSA. */
	column: 'autotaskCompanyId' | 'connectwiseCompanyId';
	/** The MSP's own company (the catch-all) in the seed. */
	ownCompany: number;
	parameters(sandbox: Sandbox): INodeParameters;
	credentials: INodeCredentials;
	/** The alert tickets of one alert: id, company, attached configuration. */
	tickets(sandbox: Sandbox, alertUid: string): Array<{ id: number; companyId: number }>;
	notes(sandbox: Sandbox, ticketId: number): string;
	/** Every ticket, to see that nothing was written. */
	ticketCount(sandbox: Sandbox): number;
}

const AUTOTASK: PsaCase = {
	psa: 'autotask',
	column: 'autotaskCompanyId',
	ownCompany: 0,
	parameters: () => ({}),
	credentials: {
		autotaskApi: { id: 'at', name: 'Autotask' },
		dattoRmmApi: { id: 'dr', name: 'Datto' },
	},
	tickets: (sandbox, alertUid) =>
		(sandbox.autotask.tickets as IDataObject[])
			.filter((row) => parseAlertKey(row.externalID)?.alertUid === alertUid)
			.map((row) => ({ id: Number(row.id), companyId: Number(row.companyID) })),
	notes: (sandbox, ticketId) =>
		(sandbox.autotask.ticketNotes as IDataObject[])
			.filter((note) => Number(note.ticketID) === ticketId)
			.map((note) => String(note.description))
			.join('\n'),
	ticketCount: (sandbox) => sandbox.autotask.tickets.length,
};

const CONNECTWISE: PsaCase = {
	psa: 'connectwise',
	column: 'connectwiseCompanyId',
	ownCompany: 19298,
	parameters: (sandbox) => ({
		psa: 'connectwise',
		connectwiseBoard: {
			__rl: true,
			mode: 'id',
			value: String(sandbox.connectwise.service.boards[0].id),
		},
	}),
	credentials: {
		connectWiseManageApi: { id: 'cw', name: 'ConnectWise' },
		dattoRmmApi: { id: 'dr', name: 'Datto' },
	},
	tickets: (sandbox, alertUid) =>
		sandbox.connectwise.service.tickets
			.filter((row) => {
				const xref = splitXRef(row.externalXRef);
				return xref && parseAlertKey(xref.key)?.alertUid === alertUid;
			})
			.map((row) => ({
				id: Number(row.id),
				companyId: Number((row.company as { id?: number } | undefined)?.id),
			})),
	notes: (sandbox, ticketId) =>
		sandbox.connectwise.service
			.notesOf(ticketId)
			.map((note) => String(note.text))
			.join('\n'),
	ticketCount: (sandbox) => sandbox.connectwise.service.tickets.length,
};

/** Seed devices (sandbox/seed/default/datto/devices.json) by hostname. */
const DEVICES = {
	/** Contoso HQ: Datto maps the site to Contoso's Autotask company too; the map says Contoso. */
	contoso: 'CONTOSO-FS01',
	/** Tailspin Toys (Spokane): Datto maps the site to no company; the map does. */
	tailspin: 'TT-SRV01',
	/** Northwind IT - Internal: in no row of the map. */
	unmapped: 'NW-MON01',
	/** Wingtip Toys: a map row without PSA companies. */
	noCompany: 'WT-SRV01',
};

describe.each([AUTOTASK, CONNECTWISE])('site to company from the customer map, $psa', (psa) => {
	const scenario = defaultScenario();

	async function deliver(
		sandbox: Sandbox,
		alertUids: string[],
		options: { rows?: IDataObject[]; catchAll?: number } = {},
	): Promise<IDataObject[]> {
		dataTables.set(CUSTOMER_MAP_TABLE, options.rows ?? customerMapRows(scenario, sandbox));
		const workflow = connectCustomerMap(
			singleNodeWorkflow({
				name: 'Alerts',
				type: `${PACKAGE_NAME}.rmmAlertToTicket`,
				parameters: {
					operation: 'processAlert',
					...psa.parameters(sandbox),
					catchAllCompany: {
						__rl: true,
						mode: 'id',
						value: options.catchAll === undefined ? '' : String(options.catchAll),
					},
					options: { stormPerDevice: 0, stormPerSite: 0 },
				} as INodeParameters,
				credentials: psa.credentials,
				onError: 'continueRegularOutput',
			}),
			'Alerts',
			['Start'],
		);
		const result = await runWorkflow({
			pkg: pkg(),
			credentials: credentialStore(sandbox),
			workflow,
			input: alertUids.map(
				(uid) =>
					sandbox.datto.webhookItem(
						sandbox.datto.webhookBody(uid, 'raised'),
					) as unknown as IDataObject,
			),
		});
		expect({ status: result.status, error: result.error }).toEqual({
			status: 'success',
			error: undefined,
		});
		return allJson(result, 'Alerts');
	}

	const raise = (sandbox: Sandbox, hostname: string, service: string): string => {
		const device = sandbox.datto.devices.find((d) => d.hostname === hostname);
		if (!device) throw new Error(`The default seed has no device ${hostname}`);
		return sandbox.datto.raiseAlert({
			deviceUid: device.uid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
		}).alertUid;
	};

	const customer = (name: string) => scenario.customers!.find((row) => row.name === name)!;

	const siteReads = (sandbox: Sandbox, from: number) =>
		sandbox.log.entries.filter(
			(entry) => entry.seq > from && entry.vendor === 'datto' && /\/site\/[^/]+$/.test(entry.path),
		).length;

	test("a mapped site's ticket goes to the map's company, with no Datto site read (Datto's own mapping names none for Tailspin)", async () => {
		await withSandbox(async (sandbox) => {
			const contoso = raise(sandbox, DEVICES.contoso, 'MapContoso');
			const tailspin = raise(sandbox, DEVICES.tailspin, 'MapTailspin');
			const from = sandbox.log.entries.at(-1)?.seq ?? 0;
			const outcomes = await deliver(sandbox, [contoso, tailspin], { catchAll: psa.ownCompany });
			expect(outcomes.map((o) => [o.decision, o.companySource, o.companyId])).toEqual([
				['created', 'customerMap', customer('Contoso Ltd')[psa.column]],
				['created', 'customerMap', customer('Tailspin Toys')[psa.column]],
			]);
			expect(psa.tickets(sandbox, contoso)).toEqual([
				expect.objectContaining({ companyId: customer('Contoso Ltd')[psa.column] }),
			]);
			expect(psa.tickets(sandbox, tailspin)).toEqual([
				expect.objectContaining({ companyId: customer('Tailspin Toys')[psa.column] }),
			]);
			expect(siteReads(sandbox, from)).toBe(0);
			expect(sandbox.contractViolations).toEqual([]);
		});
	});

	test('a site in no row, and a row without a company in this PSA: the catch-all company, named on the ticket, never a customer', async () => {
		await withSandbox(async (sandbox) => {
			const unmapped = raise(sandbox, DEVICES.unmapped, 'MapUnmapped');
			const noCompany = raise(sandbox, DEVICES.noCompany, 'MapNoCompany');
			const outcomes = await deliver(sandbox, [unmapped, noCompany], {
				catchAll: psa.ownCompany,
			});
			expect(outcomes.map((o) => [o.decision, o.companySource, o.companyId])).toEqual([
				['created', 'catchAll', psa.ownCompany],
				['created', 'catchAll', psa.ownCompany],
			]);
			const [unmappedTicket] = psa.tickets(sandbox, unmapped);
			const [noCompanyTicket] = psa.tickets(sandbox, noCompany);
			expect(psa.notes(sandbox, unmappedTicket.id)).toMatch(/is in no row of the customer map/);
			expect(psa.notes(sandbox, noCompanyTicket.id)).toContain(
				`belongs to customer "Wingtip Toys", whose customer map row has no ${psa.column}`,
			);
		});
	});

	test('without a catch-all, an unmapped site fails its delivery naming the site and writes nothing; the mapped one in the batch is applied', async () => {
		await withSandbox(async (sandbox) => {
			const unmapped = raise(sandbox, DEVICES.unmapped, 'MapOrphan');
			const mapped = raise(sandbox, DEVICES.contoso, 'MapStillApplied');
			const before = psa.ticketCount(sandbox);
			const outcomes = await deliver(sandbox, [unmapped, mapped]);
			expect(String(outcomes.find((o) => o.error !== undefined)?.error)).toContain(
				'Northwind IT - Internal',
			);
			expect(outcomes.find((o) => o.error === undefined)).toMatchObject({
				decision: 'created',
				companySource: 'customerMap',
			});
			expect(psa.tickets(sandbox, unmapped)).toEqual([]);
			expect(psa.ticketCount(sandbox)).toBe(before + 1);
		});
	});

	test("a map row whose company the device's configuration item contradicts (one digit off): no ticket in that company", async () => {
		await withSandbox(async (sandbox) => {
			const rows = customerMapRows(scenario, sandbox).map((row) =>
				row.name === 'Contoso Ltd' ? { ...row, [psa.column]: Number(row[psa.column]) + 4 } : row,
			);
			const wrong = Number(rows.find((row) => row.name === 'Contoso Ltd')![psa.column]);
			expect(rows.filter((row) => Number(row[psa.column]) === wrong)).toHaveLength(1);
			const toCatchAll = raise(sandbox, DEVICES.contoso, 'MapTypoCatchAll');
			const [caught] = await deliver(sandbox, [toCatchAll], { rows, catchAll: psa.ownCompany });
			expect(caught).toMatchObject({ decision: 'created', companySource: 'catchAll' });
			const [ticket] = psa.tickets(sandbox, toCatchAll);
			expect(ticket.companyId).toBe(psa.ownCompany);
			expect(psa.notes(sandbox, ticket.id)).toContain(
				`(the customer map, customer "Contoso Ltd"), but device CONTOSO-FS01 is configuration item`,
			);

			const refused = raise(sandbox, DEVICES.contoso, 'MapTypoRefused');
			const [failed] = await deliver(sandbox, [refused], { rows });
			expect(String(failed.error)).toContain(`maps to`);
			expect(psa.tickets(sandbox, refused)).toEqual([]);
			expect(
				psa.tickets(sandbox, toCatchAll).concat(psa.tickets(sandbox, refused)),
			).not.toContainEqual(expect.objectContaining({ companyId: wrong }));
		});
	});
});
