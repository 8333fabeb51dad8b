import type { IDataObject } from 'n8n-workflow';

import { CREATED_MARK } from '../../lib/devices/fields';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import {
	deviceByHost,
	harness,
	itemById,
	itemsOfDevice,
	itemWrites,
	lastSeq,
	sync,
} from './helpers';
import type { DeviceHarness } from './helpers';

/**
 * Every rule of the device sync through n8n's engine: the device template, the sandbox's Datto and
 * Autotask, the shipped seed and its customer map (Contoso: two sites, Fabrikam, Adventure Works
 * and Tailspin one each, Tailspin's TT-WS01 without item; Wingtip's row has no Autotask company; the
 * MSP's own site is in no row), one fresh world per test.
 */

const CONTOSO = 29684101;
const FABRIKAM = 29684102;
const DAY = 86_400_000;

let sandbox: Sandbox;
let h: DeviceHarness;

beforeEach(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterEach(async () => {
	const violations = describeViolations(sandbox.contractViolations);
	await sandbox.stop();
	expect(violations).toBe('');
});

const hostnames = (items: IDataObject[]) =>
	items.map((json) => (json.device as { hostname?: string } | undefined)?.hostname);

/** The one active item of a device in a company. */
function activeItem(uid: string, companyId = CONTOSO): IDataObject {
	const found = itemsOfDevice(h, uid).filter(
		(ci) => ci.isActive === true && Number(ci.companyID) === companyId,
	);
	expect(found).toHaveLength(1);
	return found[0];
}

/** A new Datto device in a site, with its audit (serial number). */
function addDevice(
	like: string,
	hostname: string,
	more: Record<string, unknown> = {},
	serial = `SN-${hostname}`,
) {
	const template = deviceByHost(h, like);
	const uid = `0d000000-0000-4000-8000-${String(sandbox.datto.devices.length).padStart(12, '0')}`;
	const device = {
		...structuredClone(template),
		uid,
		id: 1_500_000 + sandbox.datto.devices.length,
		hostname,
		...more,
	};
	sandbox.datto.devices.push(device);
	sandbox.datto.deviceAudits.set(uid, { bios: { serialNumber: serial } });
	return device;
}

describe('create', () => {
	test('a new device gets an item in its customer company with the type rule product and type, its contract rule and its serial from the audit', async () => {
		const server = addDevice('CONTOSO-DC01', 'CONTOSO-NEW-SRV');
		const run = await sync(h);
		expect(run.result.status).toBe('success');
		expect(hostnames(run.created)).toEqual(['CONTOSO-NEW-SRV', 'RETAIL-POS03', 'TT-WS01']);
		expect(activeItem(server.uid)).toMatchObject({
			companyID: CONTOSO,
			productID: 29682702,
			configurationItemType: 2,
			contractID: 29690002,
			referenceTitle: 'CONTOSO-NEW-SRV',
			serialNumber: 'SN-CONTOSO-NEW-SRV',
			rmmDeviceUID: server.uid,
			rmmDeviceID: server.id,
			isActive: true,
		});
	});

	test('a device type without a product waits on Needs Review and the Unmapped report; a Default Product creates it', async () => {
		const template = h.template.nodes.find((n) => n.name === 'Sync Devices')!;
		const rules = (template.parameters.deviceTypeRules as { rule: IDataObject[] }).rule;
		(template.parameters.deviceTypeRules as { rule: IDataObject[] }).rule = rules.filter(
			(rule) => rule.deviceType !== 'Desktop',
		);
		const held = await sync(h);
		expect(held.created).toEqual([]);
		expect(
			held.review.find(
				(json) => json.device && (json.device as IDataObject).hostname === 'RETAIL-POS03',
			),
		).toMatchObject({
			review: expect.objectContaining({ problem: 'noProduct' }),
		});
		expect(held.unmapped).toContainEqual(
			expect.objectContaining({ problem: 'typeWithoutProduct', deviceType: 'Desktop', devices: 2 }),
		);
		const made = await sync(h, { parameters: { defaultProduct: '29682701' } });
		expect(hostnames(made.created)).toEqual(['RETAIL-POS03', 'TT-WS01']);
	});
});

describe('update and changes only', () => {
	test('a value changed in Datto is written; a field someone edited in Autotask is kept until the device changes it again', async () => {
		await sync(h);
		const device = deviceByHost(h, 'CONTOSO-WS001');
		const item = activeItem(device.uid);
		item.referenceTitle = 'Reception PC';
		const kept = lastSeq(h);
		const second = await sync(h);
		expect(itemWrites(h, kept)).toEqual([]);
		expect(second.unchanged.find((json) => json.configurationItemId === item.id)!.reason).toContain(
			'edited in Autotask and kept: reference title',
		);
		device.operatingSystem = 'Microsoft Windows 11 Pro 24H2';
		const third = await sync(h);
		const [update] = third.updated;
		expect(update).toMatchObject({
			configurationItemId: item.id,
			changes: { rmmDeviceAuditOperatingSystem: 'Microsoft Windows 11 Pro 24H2' },
		});
		expect(item.referenceTitle).toBe('Reception PC');
		device.hostname = 'CONTOSO-WS001B';
		await sync(h);
		expect(item.referenceTitle).toBe('CONTOSO-WS001B');
	});

	test('a blank in Datto never clears a value in Autotask', async () => {
		await sync(h);
		const device = deviceByHost(h, 'CONTOSO-WS002');
		const item = activeItem(device.uid);
		const before = { ...item };
		device.lastLoggedInUser = null;
		device.intIpAddress = '';
		device.udf = { udf1: null };
		const since = lastSeq(h);
		await sync(h);
		expect(itemWrites(h, since)).toEqual([]);
		expect(item.rmmDeviceAuditLastUser).toBe(before.rmmDeviceAuditLastUser);
		expect(item.rmmDeviceAuditIPAddress).toBe(before.rmmDeviceAuditIPAddress);
		expect(item.userDefinedFields).toContainEqual({ name: 'Customer Code', value: 'Contoso' });
	});

	test("a person's item keeps its product, type and contract; the sync's own item follows the mapping", async () => {
		await sync(h);
		const native = activeItem(deviceByHost(h, 'CONTOSO-WS004').uid);
		const ours = activeItem(deviceByHost(h, 'RETAIL-POS03').uid);
		expect(String(ours.notes)).toContain(CREATED_MARK);
		const node = h.template.nodes.find((n) => n.name === 'Sync Devices')!;
		for (const rule of (node.parameters.deviceTypeRules as { rule: IDataObject[] }).rule)
			if (rule.deviceType === 'Desktop' || rule.deviceType === 'Laptop') rule.product = '29682702';
		const run = await sync(h);
		const created = sandbox.autotask.configurationItems
			.filter((ci) => String(ci.notes).includes(CREATED_MARK))
			.map((ci) => ci.id);
		expect(created).toContain(ours.id);
		expect(run.updated.map((json) => json.configurationItemId)).toEqual(created);
		expect(ours.productID).toBe(29682702);
		expect(native.productID).toBe(29682701);
	});
});

describe('matching', () => {
	test('by serial number within the company: an item without the uid is adopted, not duplicated', async () => {
		const device = deviceByHost(h, 'FAB-LT014');
		const item = activeItem(device.uid, FABRIKAM);
		item.rmmDeviceUID = null;
		const run = await sync(h);
		// RETAIL-POS03 and TT-WS01 have no item in the seed; FAB-LT014 must not get a second one.
		expect(hostnames(run.created)).toEqual(['RETAIL-POS03', 'TT-WS01']);
		expect(itemsOfDevice(h, device.uid)).toHaveLength(1);
		expect(run.updated.find((json) => json.configurationItemId === item.id)).toMatchObject({
			changes: expect.objectContaining({ rmmDeviceUID: device.uid }),
		});
		expect(item.rmmDeviceUID).toBe(device.uid);
	});

	test('never across companies: the same serial in another customer is not matched, an item outside the map is never touched', async () => {
		const device = deviceByHost(h, 'FAB-LT022');
		const item = activeItem(device.uid, FABRIKAM);
		// The device's item now sits in Contoso's company without a uid, and a stale copy in Litware's (not in the map).
		item.companyID = CONTOSO;
		item.rmmDeviceUID = null;
		const stale = {
			...structuredClone(item),
			id: 29799999,
			companyID: 29684105,
			rmmDeviceUID: device.uid,
			referenceTitle: 'OLD',
		};
		sandbox.autotask.configurationItems.push(stale);
		const since = lastSeq(h);
		const run = await sync(h);
		expect(hostnames(run.created)).toContain('FAB-LT022');
		expect(activeItem(device.uid, FABRIKAM).id).not.toBe(item.id);
		expect(item.rmmDeviceUID).toBeNull();
		const touched = itemWrites(h, since).map((write) => write.body.id);
		expect(touched).not.toContain(item.id);
		expect(touched).not.toContain(stale.id);
		expect(stale).toMatchObject({ referenceTitle: 'OLD', isActive: true });
	});
});

describe('deactivation', () => {
	test('a deleted device: its item is deactivated once the grace period after lastSeen is over, never deleted', async () => {
		const old = deviceByHost(h, 'CONTOSO-WS006');
		const recent = deviceByHost(h, 'CONTOSO-WS004');
		Object.assign(old, { deleted: true, lastSeen: Date.now() - 40 * DAY });
		Object.assign(recent, { deleted: true, lastSeen: Date.now() - 5 * DAY });
		const count = sandbox.autotask.configurationItems.length;
		const run = await sync(h);
		expect(hostnames(run.deactivated)).toEqual(['CONTOSO-WS006']);
		expect(itemsOfDevice(h, old.uid)[0].isActive).toBe(false);
		expect(itemsOfDevice(h, recent.uid)[0].isActive).toBe(true);
		expect(
			run.unchanged.find((json) => (json.device as IDataObject)?.uid === recent.uid)!.reason,
		).toContain('30-day grace period');
		expect(sandbox.autotask.configurationItems.length).toBe(count + 2); // POS03 and TT-WS01 created, nothing removed
	});

	test('a device gone from Datto: the grace counts from the lastSeen the sync remembers', async () => {
		const device = deviceByHost(h, 'AW-WS101');
		device.lastSeen = Date.now() - 10 * DAY;
		await sync(h);
		sandbox.datto.devices.splice(sandbox.datto.devices.indexOf(device), 1);
		const waiting = await sync(h, { options: { graceDays: 30 } });
		expect(waiting.deactivated).toEqual([]);
		const due = await sync(h, { options: { graceDays: 7 } });
		expect(due.deactivated.map((json) => json.configurationItemId)).toEqual([
			itemsOfDevice(h, device.uid)[0].id,
		]);
		expect(due.deactivated[0].reason).toContain('no longer in Datto RMM');
	});

	test('the guard holds a mass deactivation per customer and fails the run; the other customers are written; raising it lets it through', async () => {
		const contoso = [
			'CONTOSO-WS001',
			'CONTOSO-WS002',
			'CONTOSO-WS004',
			'CONTOSO-WS006',
			'CONTOSO-FS01',
		];
		for (const host of contoso)
			Object.assign(deviceByHost(h, host), { deleted: true, lastSeen: Date.now() - 90 * DAY });
		const fab = deviceByHost(h, 'FAB-SRV01');
		fab.operatingSystem = 'Microsoft Windows Server 2025 Standard';
		const held = await sync(h);
		expect(held.result.status).toBe('error');
		expect(held.result.error!.message).toContain('Deactivation guard');
		expect(held.result.error!.message).toContain('Contoso');
		for (const host of contoso) expect(activeItem(deviceByHost(h, host).uid).isActive).toBe(true);
		expect(activeItem(fab.uid, FABRIKAM).rmmDeviceAuditOperatingSystem).toBe(
			'Microsoft Windows Server 2025 Standard',
		);

		const reported = await sync(h, { continueOnFail: true });
		expect(reported.result.status).toBe('success');
		expect(reported.review.filter((json) => json.error)).toEqual([
			expect.objectContaining({
				customer: 'Contoso Ltd',
				error: expect.stringContaining('Deactivation guard'),
			}),
		]);
		expect(
			reported.review.filter(
				(json) => (json.review as IDataObject)?.problem === 'deactivationGuard',
			),
		).toHaveLength(5);

		const allowed = await sync(h, { options: { alwaysAllow: 5 } });
		expect(allowed.result.status).toBe('success');
		expect(allowed.deactivated).toHaveLength(5);
	});
});

describe('a site that moves to another customer', () => {
	test('the device gets a new item in the new company; the old one is deactivated with a note naming it, never reused', async () => {
		await sync(h);
		const device = deviceByHost(h, 'RETAIL-POS01');
		const old = activeItem(device.uid);
		const rows = structuredClone(h.rows);
		const contosoRow = rows.find((row) => Number(row.autotaskCompanyId) === CONTOSO)!;
		const fabrikamRow = rows.find((row) => Number(row.autotaskCompanyId) === FABRIKAM)!;
		contosoRow.dattoSiteUids = String(contosoRow.dattoSiteUids)
			.split(',')
			.map((site) => site.trim())
			.filter((site) => site !== device.siteUid)
			.join(', ');
		fabrikamRow.dattoSiteUids = `${String(fabrikamRow.dattoSiteUids)}, ${device.siteUid}`;
		const run = await sync(h, { rows });
		expect(run.result.status).toBe('success');
		const created = activeItem(device.uid, FABRIKAM);
		expect(created.id).not.toBe(old.id);
		expect(old).toMatchObject({ isActive: false, companyID: CONTOSO });
		expect(String(old.notes)).toContain(`configuration item ${String(created.id)}`);
		expect(String(old.notes)).toContain('Fabrikam');
		const settled = lastSeq(h);
		await sync(h, { rows });
		expect(itemWrites(h, settled)).toEqual([]);
	});
});

describe('mappings', () => {
	test('contract rules with a service, and each company default contract for the rest', async () => {
		const node = h.template.nodes.find((n) => n.name === 'Sync Devices')!;
		node.parameters.contractRules = {
			rule: [{ contract: '29690002', configurationItemType: '1', service: '29691002', bundle: '' }],
		};
		addDevice('CONTOSO-WS001', 'CONTOSO-WS200');
		addDevice('FAB-SRV01', 'FAB-SRV02');
		const run = await sync(h, { parameters: { useDefaultContracts: true } });
		expect(run.result.status).toBe('success');
		const byHost = (host: string) =>
			activeItem(
				deviceByHost(h, host).uid,
				Number(
					run.created.find((json) => (json.device as IDataObject).hostname === host)!.companyId,
				),
			);
		expect(byHost('CONTOSO-WS200')).toMatchObject({
			contractID: 29690002,
			contractServiceID: 29691002,
		});
		expect(byHost('FAB-SRV02')).toMatchObject({ contractID: 29690003 });
	});

	test('with rmmDeviceUID read-only the run stops before writing and says to choose a UDF; with one chosen the uid is kept there', async () => {
		sandbox.autotask.fieldOverrides = {
			ConfigurationItems: { rmmDeviceUID: { isReadOnly: true } },
		};
		const since = lastSeq(h);
		const refused = await sync(h);
		expect(refused.result.status).toBe('error');
		expect(refused.result.error!.message).toContain('rmmDeviceUID');
		expect(refused.result.error!.description).toContain('Device UID Field');
		expect(itemWrites(h, since)).toEqual([]);

		for (const ci of sandbox.autotask.configurationItems)
			(ci.userDefinedFields as IDataObject[]).push({ name: 'Datto Device UID', value: null });
		const run = await sync(h, { options: { deviceUidUdf: 'Datto Device UID' } });
		expect(run.result.status).toBe('success');
		const pos = deviceByHost(h, 'RETAIL-POS03');
		const created = itemById(h, run.created[0].configurationItemId);
		expect(created.rmmDeviceUID ?? null).toBeNull();
		expect(created.userDefinedFields).toContainEqual({ name: 'Datto Device UID', value: pos.uid });
		const again = lastSeq(h);
		await sync(h, { options: { deviceUidUdf: 'Datto Device UID' } });
		expect(itemWrites(h, again)).toEqual([]);
	});
});

describe('the unmapped report and bad input', () => {
	test('sites with no company (in no row, or a row without Autotask company), items with no contract, and a customer map row that cannot be read (which fails the run)', async () => {
		const rows = [...h.rows, { name: 'Litware', autotaskCompanyId: 'twelve', dattoSiteUids: 'x' }];
		const run = await sync(h, { rows, continueOnFail: true });
		const problems = run.unmapped.map((json) => json.problem);
		expect(
			run.unmapped
				.filter((json) => json.problem === 'siteWithoutCompany')
				.map((json) => [json.siteName, json.customer, json.devices]),
		).toEqual([
			['Wingtip Toys - Head Office', 'Wingtip Toys', 2],
			['Northwind IT - Internal', undefined, 1],
		]);
		expect(
			run.review
				.filter((json) => (json.review as IDataObject)?.problem === 'noCompany')
				.map((json) => (json.device as IDataObject).hostname)
				.sort(),
		).toEqual(['NW-MON01', 'WT-SRV01', 'WT-WS01']);
		expect(problems).toContain('noContract');
		expect(run.unmapped.find((json) => json.problem === 'customerMapRow')).toMatchObject({
			row: h.rows.length,
			error: expect.stringContaining('autotaskCompanyId'),
		});
		const failed = await sync(h, { rows });
		expect(failed.result.status).toBe('error');
		expect(failed.result.error!.message).toContain(`Customer map row ${h.rows.length + 1}`);
	});

	test('a mistyped site uid leaves that customer untouched (its items are not "gone") and fails the run, in both scopes', async () => {
		const rows = structuredClone(h.rows);
		const fab = rows.find((row) => Number(row.autotaskCompanyId) === FABRIKAM)!;
		fab.dattoSiteUids = 'no-such-site';
		for (const devicesFrom of ['account', 'mappedSites']) {
			const since = lastSeq(h);
			const run = await sync(h, { rows, parameters: { devicesFrom }, options: { graceDays: 0 } });
			expect(run.result.status).toBe('error');
			expect(run.result.error!.message).toContain('no-such-site');
			for (const write of itemWrites(h, since)) {
				const companyId =
					write.method === 'POST' ? write.body.companyID : itemById(h, write.body.id).companyID;
				expect(Number(companyId)).not.toBe(FABRIKAM);
			}
			expect(
				sandbox.autotask.configurationItems.filter(
					(ci) => Number(ci.companyID) === FABRIKAM && ci.isActive === true,
				),
			).toHaveLength(3);
		}
	});
});

describe('failures look like failures', () => {
	test('a write Autotask refuses: the others are written, then one error names the device, the action and the field', async () => {
		const product = sandbox.autotask.deviceRows.products.find((row) => row.id === 29682701)!;
		product.isActive = false;
		const since = lastSeq(h);
		const run = await sync(h);
		expect(run.result.status).toBe('error');
		expect(run.result.error!.message).toContain('RETAIL-POS03');
		expect(run.result.error!.message).toContain(
			'creating its configuration item failed (field productID)',
		);
		expect(itemWrites(h, since).filter((write) => write.method === 'PATCH').length).toBeGreaterThan(
			0,
		);
		product.isActive = true;
		const next = await sync(h, { continueOnFail: true });
		expect(hostnames(next.created)).toEqual(['RETAIL-POS03', 'TT-WS01']);
	});
});

describe('runs that must not change the memory', () => {
	/** What the node remembers (n8n itself may leave an empty object for the node). */
	const memory = () =>
		(h.staticData.load(h.template.id ?? '')['node:Sync Devices'] as IDataObject | undefined)
			?.deviceSync;

	test('Dry Run writes nothing and remembers nothing; a manual run writes but leaves the memory as it was', async () => {
		const since = lastSeq(h);
		const dry = await sync(h, { options: { dryRun: true } });
		expect(dry.created[0]).toMatchObject({ dryRun: true });
		expect(itemWrites(h, since)).toEqual([]);
		expect(memory()).toBeUndefined();
		await sync(h, { mode: 'manual' });
		expect(itemWrites(h, since).length).toBeGreaterThan(0);
		expect(memory()).toBeUndefined();
		await sync(h);
		expect(memory()).toBeDefined();
	});
});

describe('duplicates the sync made', () => {
	test('two runs at once may both create a new device item; whatever the interleaving, the next run leaves one, the lowest id', async () => {
		await Promise.all([sync(h), sync(h)]);
		const device = deviceByHost(h, 'RETAIL-POS03');
		await sync(h);
		const active = itemsOfDevice(h, device.uid).filter((ci) => ci.isActive === true);
		expect(active).toHaveLength(1);
		const ids = itemsOfDevice(h, device.uid).map((ci) => Number(ci.id));
		expect(active[0].id).toBe(Math.min(...ids));
	});

	test('two items the sync created for one device (a race settled before this run): the later one is deactivated', async () => {
		await sync(h);
		const device = deviceByHost(h, 'RETAIL-POS03');
		const first = activeItem(device.uid);
		const second = { ...structuredClone(first), id: Number(first.id) + 1000 };
		sandbox.autotask.configurationItems.push(second);
		const run = await sync(h);
		expect(run.deactivated).toEqual([
			expect.objectContaining({
				configurationItemId: second.id,
				reason: expect.stringContaining('duplicate'),
			}),
		]);
		expect(first.isActive).toBe(true);
	});
});
