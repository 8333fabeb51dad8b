import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { DattoRmmApi } from '../../credentials/DattoRmmApi.credentials';
import { AutotaskItemStore } from '../../lib/devices/autotask';
import { readDattoDevice, serialFromAudit } from '../../lib/devices/device';
import { AutotaskClient } from '../../lib/transport/autotask';
import { DattoClient } from '../../lib/transport/datto';
import { VendorApiError } from '../../lib/transport/http';
import { settle } from '../../lib/util/settled';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { DirectClient } from '../../dev/directClient';

/** The sandbox's device parts over real HTTP, through the package's own clients, against the vendors' documents. */

let sandbox: Sandbox;
let datto: DattoClient;
let autotask: AutotaskClient;

const CONTOSO = 29684101;
const FABRIKAM = 29684102;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	datto = new DattoClient(
		new DirectClient(new DattoRmmApi(), { ...sandbox.credentials.dattoRmmApi, accessToken: '' }),
	);
	autotask = new AutotaskClient(
		new DirectClient(new AutotaskApi(), { ...sandbox.credentials.autotaskApi }),
	);
});

afterAll(async () => {
	await sandbox.stop();
});

describe('Datto RMM devices and audits', () => {
	test('the account listing pages over every device, v2 and v3 alike', async () => {
		const v2 = await datto.listDevices({ level: 'account' }, { pageSize: 7 });
		expect(v2.map((d) => d.uid)).toEqual(sandbox.datto.devices.map((d) => d.uid));
		const v3 = await datto.listDevices({ level: 'account' }, { version: 3, pageSize: 7 });
		expect(v3).toHaveLength(v2.length);
		// v3 carries UDFs as typed entries; both read the same.
		const withUdf = v2.find((d) => d.udf?.udf1)!;
		const same = v3.find((d) => d.uid === withUdf.uid)!;
		expect(same.udfs).toEqual([{ ordinal: 1, type: 'STRING', valueString: withUdf.udf!.udf1 }]);
		expect(readDattoDevice(same)!.udfs).toEqual(readDattoDevice(withUdf)!.udfs);
		expect(
			sandbox.log.count({ vendor: 'datto', method: 'GET', path: '/api/v2/account/devices' }),
		).toBe(Math.ceil(v2.length / 7));
	});

	test("a site's listing holds its devices only; an unknown site answers 404", async () => {
		const site = sandbox.datto.sites[0];
		const devices = await datto.listDevices({ level: 'site', uid: site.uid });
		expect(devices.length).toBeGreaterThan(0);
		expect(devices.every((d) => d.siteUid === site.uid)).toBe(true);
		const unknown = await settle(datto.listDevices({ level: 'site', uid: 'no-such-site' }));
		expect(!unknown.ok && (unknown.error as VendorApiError).httpCode).toBe(404);
	});

	test('audits carry the BIOS serial; other device classes and unknown devices have none', async () => {
		const pc = sandbox.datto.devices.find((d) => d.hostname === 'CONTOSO-WS001')!;
		const audit = await datto.getDeviceAudit(pc.uid);
		expect(serialFromAudit(audit)).toBe(`SN${String(pc.id).slice(-6)}`);
		const printer = sandbox.datto.devices.find((d) => d.deviceClass === 'printer')!;
		expect(await datto.getDeviceAudit(printer.uid)).toBeUndefined();
		expect(await datto.getDeviceAudit('00000000-0000-4000-8000-000000000000')).toBeUndefined();
		// A placeholder serial counts as none.
		const whitebox = sandbox.datto.devices.find((d) => d.hostname === 'TT-WS01')!;
		expect(serialFromAudit(await datto.getDeviceAudit(whitebox.uid))).toBe('');
	});
});

describe('Autotask configuration items, products, types and contracts', () => {
	const store = () => new AutotaskItemStore(autotask);

	test('field information: the type picklist is the tenant configuration item types; read-only integration fields say so', async () => {
		const schema = await store().schema(true);
		expect(schema.typeLabel(2)).toBe('Server');
		expect(schema.writable('rmmDeviceUID')).toBe(true);
		expect(schema.writable('rmmOpenAlertCount')).toBe(false);
		expect(schema.writable('createDate')).toBe(false);
		expect(schema.required()).toEqual(expect.arrayContaining(['companyID', 'productID']));
		expect(schema.udfNames?.has('customer code')).toBe(true);
		sandbox.autotask.fieldOverrides = {
			ConfigurationItems: { rmmDeviceUID: { isReadOnly: true } },
		};
		try {
			const client = new AutotaskClient(
				new DirectClient(new AutotaskApi(), { ...sandbox.credentials.autotaskApi }),
			);
			expect((await new AutotaskItemStore(client).schema(false)).writable('rmmDeviceUID')).toBe(
				false,
			);
		} finally {
			sandbox.autotask.fieldOverrides = {};
		}
	});

	test('items of the given companies, every page', async () => {
		const items = await store().itemsOf([CONTOSO, FABRIKAM], false);
		const expected = sandbox.autotask.configurationItems.filter((ci) =>
			[CONTOSO, FABRIKAM].includes(Number(ci.companyID)),
		);
		expect(items.map((ci) => ci.id).sort()).toEqual(expected.map((ci) => ci.id).sort());
	});

	test('contracts by id and each company its default contract', async () => {
		const s = store();
		const [contract] = await s.contracts([29690002]);
		expect(contract).toMatchObject({ id: 29690002, companyID: CONTOSO });
		expect(await s.defaultContracts([CONTOSO, FABRIKAM, 29684103])).toEqual(
			new Map([
				[CONTOSO, 29690001],
				[FABRIKAM, 29690003],
			]),
		);
	});

	test('create, then PATCH: the company never changes, read-only fields are dropped, the look-up finds it', async () => {
		const s = store();
		const uid = 'aaaaaaaa-0000-4000-8000-000000000001';
		const id = await s.create(
			{
				companyID: CONTOSO,
				productID: 29682701,
				isActive: true,
				referenceTitle: 'NEW-PC',
				rmmDeviceUID: uid,
				rmmOpenAlertCount: 7,
				userDefinedFields: [{ name: 'Customer Code', value: 'CONTOSO' }],
			},
			async () => undefined,
		);
		expect(await s.findByDevice(CONTOSO, uid)).toBe(id);
		expect(await s.findByDevice(FABRIKAM, uid)).toBeUndefined();
		await s.update({ id, companyID: FABRIKAM, referenceTitle: 'NEW-PC-2' });
		const row = sandbox.autotask.configurationItems.find((ci) => ci.id === id)!;
		expect(row).toMatchObject({ companyID: CONTOSO, referenceTitle: 'NEW-PC-2' });
		expect(row.rmmOpenAlertCount).toBeUndefined();
		expect(row.userDefinedFields).toContainEqual({ name: 'Customer Code', value: 'CONTOSO' });
	});

	test.each([
		[{ productID: 29682699 }, 'productID'],
		[{ productID: 29682701, contractID: 29690003 }, 'contractID'],
		[
			{ productID: 29682701, contractID: 29690001, contractServiceID: 29691002 },
			'contractServiceID',
		],
		[
			{ productID: 29682701, userDefinedFields: [{ name: 'No Such UDF', value: 'x' }] },
			'No Such UDF',
		],
		[{}, 'productID'],
	])('a create Autotask refuses names the field: %j', async (fields, field) => {
		const made = await settle(
			store().create({ companyID: CONTOSO, isActive: true, ...fields }, async () => undefined),
		);
		expect(made.ok).toBe(false);
		expect((made as { error: VendorApiError }).error.message).toContain(field);
	});
});

test("every request and answer above kept to the vendors' documents", () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
});
