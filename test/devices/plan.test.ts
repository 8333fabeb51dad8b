import { readDeviceState, writeDeviceState } from '../../lib/devices/state';
import { CREATED_MARK } from '../../lib/devices/fields';
import {
	COMPANY_A,
	COMPANY_B,
	COMPANY_OUTSIDE,
	DAY,
	device,
	item,
	mapping,
	NOW,
	options,
	plan,
	run,
	schema,
	SITE_B,
	SITE_LOOSE,
} from './builders';
import type { World } from './builders';

const world = (more: Partial<World> = {}): World => ({
	devices: [],
	items: [],
	state: new Map(),
	...more,
});

const byOutput = (p: ReturnType<typeof plan>, output: string) =>
	p.entries.filter((entry) => entry.output === output);

describe('device sync plan: create', () => {
	test('a device without an item gets one in its customer company, with its product, type, uid and the creation mark', () => {
		const d = device({ description: null });
		const p = plan(world({ devices: [d] }));
		const [create] = byOutput(p, 'create');
		expect(create.body).toMatchObject({
			companyID: COMPANY_A,
			isActive: true,
			productID: 70,
			configurationItemType: 1,
			referenceTitle: d.hostname,
			rmmDeviceUID: d.uid,
			rmmDeviceID: d.id,
			serialNumber: d.serialNumber,
		});
		expect(String(create.body!.notes)).toContain(CREATED_MARK);
		// A blank device value is not sent.
		expect(create.body).not.toHaveProperty('rmmDeviceAuditDescription');
		expect(p.counts.create).toBe(1);
	});

	test('a device of a site with no company is a Needs Review item and in the Unmapped report, and nothing is written', () => {
		const loose = device({ siteUid: SITE_LOOSE, siteName: 'Loose' });
		const p = plan(world({ devices: [loose, device({ siteUid: SITE_LOOSE, siteName: 'Loose' })] }));
		expect(byOutput(p, 'review').map((e) => e.review!.problem)).toEqual(['noCompany', 'noCompany']);
		expect(p.unmapped).toEqual([
			expect.objectContaining({ problem: 'siteWithoutCompany', siteUid: SITE_LOOSE, devices: 2 }),
		]);
		expect(p.entries.some((entry) => entry.body)).toBe(false);
	});

	test('a device whose type has no product waits in Needs Review; with a Default Product it is created', () => {
		const printer = device({ deviceType: { category: 'Printer', type: 'Laser' } });
		const p = plan(world({ devices: [printer] }));
		expect(byOutput(p, 'review')[0].review!.problem).toBe('noProduct');
		expect(p.unmapped[0]).toMatchObject({
			problem: 'typeWithoutProduct',
			deviceType: 'Printer / Laser',
		});
		const withDefault = plan(
			world({ devices: [printer], input: { mapping: mapping({ defaultProductId: 77 }) } }),
		);
		expect(byOutput(withDefault, 'create')[0].body).toMatchObject({ productID: 77 });
	});

	test('a "category/type" rule wins over the category rule', () => {
		const rack = device({ deviceType: { category: 'Server', type: 'Rack' } });
		const p = plan(
			world({
				devices: [rack],
				input: {
					mapping: mapping({
						typeRules: [
							{ key: 'server', productId: 71, configurationItemType: 2 },
							{ key: 'server/rack', productId: 72, configurationItemType: 2 },
						],
					}),
				},
			}),
		);
		expect(byOutput(p, 'create')[0].body).toMatchObject({ productID: 72 });
	});

	test('a field Autotask requires and the sync has no value for stops the create and says which', () => {
		const d = device();
		const p = plan(
			world({
				devices: [d],
				input: {
					schema: schema({ required: ['configurationItemType'] }),
					mapping: mapping({ typeRules: [{ key: 'desktop', productId: 70 }] }),
				},
			}),
		);
		const [entry] = byOutput(p, 'review');
		expect(entry.review!.problem).toBe('requiredField');
		expect(entry.reason).toContain('configurationItemType');
	});
});

describe('device sync plan: matching', () => {
	test('by uid first: an item in line with its device writes nothing', () => {
		const d = device();
		const p = plan(world({ devices: [d], items: [item(d)] }));
		expect(p.counts).toMatchObject({ create: 0, update: 0, unchanged: 1 });
	});

	test('then by serial number within the company: the item is adopted and the uid written on it', () => {
		const d = device();
		const old = item(undefined, { serialNumber: d.serialNumber, referenceTitle: d.hostname });
		const p = plan(world({ devices: [d], items: [old] }));
		const [update] = byOutput(p, 'update');
		expect(update.configurationItemId).toBe(old.id);
		expect(update.body).toMatchObject({ rmmDeviceUID: d.uid });
		expect(update.reason).toContain('matched by serial number');
	});

	test('never across companies: the same serial in another company is not matched', () => {
		const d = device();
		const other = item(undefined, { companyID: COMPANY_B, serialNumber: d.serialNumber });
		const p = plan(world({ devices: [d], items: [other] }));
		expect(p.counts.create).toBe(1);
		expect(p.entries.find((entry) => entry.configurationItemId === other.id)).toBeUndefined();
	});

	test('a placeholder serial matches nothing', () => {
		const d = device({ serialNumber: 'To Be Filled By O.E.M.' });
		const filler = item(undefined, { serialNumber: 'To Be Filled By O.E.M.' });
		const p = plan(world({ devices: [d], items: [filler] }));
		expect(p.counts.create).toBe(1);
	});

	test("two items with the device's serial: Needs Review, nothing written", () => {
		const d = device();
		const p = plan(
			world({
				devices: [d],
				items: [
					item(undefined, { serialNumber: d.serialNumber }),
					item(undefined, { serialNumber: d.serialNumber }),
				],
			}),
		);
		expect(byOutput(p, 'review')[0].review!.problem).toBe('twoItemsClaim');
		expect(p.counts.create).toBe(0);
	});

	test("two active items with the device's uid: a later one of ours is deactivated (the lowest id stays); a later one of a person's is Needs Review", () => {
		const d = device();
		const mine = { notes: `${CREATED_MARK} x` };
		const theirs = plan(world({ devices: [d], items: [item(d, mine), item(d)] }));
		expect(byOutput(theirs, 'review')[0].review!.problem).toBe('twoItemsClaim');
		const first = item(d, mine);
		const second = item(d, mine);
		const ours = plan(world({ devices: [d], items: [second, first].reverse() }));
		const [deactivate] = byOutput(ours, 'deactivate');
		expect(deactivate.configurationItemId).toBe(second.id);
		expect(deactivate.reason).toContain(`duplicate of configuration item ${first.id}`);
	});

	test("an item of a company outside the customer map is never touched, even with the device's uid", () => {
		const d = device();
		const outside = item(d, { companyID: COMPANY_OUTSIDE, referenceTitle: 'stale' });
		const p = plan(world({ devices: [d], items: [outside] }));
		expect(p.entries.every((entry) => entry.configurationItemId !== outside.id)).toBe(true);
		expect(byOutput(p, 'create')).toHaveLength(1);
		expect(byOutput(p, 'deactivate')).toHaveLength(0);
	});
});

describe('device sync plan: changes only', () => {
	test('a second run with nothing changed writes nothing', async () => {
		const w = world({ devices: [device(), device()] });
		const first = await run(w);
		expect(first.calls).toHaveLength(2);
		const second = await run(w);
		expect(second.calls).toEqual([]);
		expect(second.plan.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });
	});

	test("a field someone edited in Autotask is kept until the device's value changes", async () => {
		const d = device();
		const w = world({ devices: [d], items: [item(d)] });
		await run(w);
		w.items[0].referenceTitle = 'Reception PC (edited)';
		const kept = await run(w);
		expect(kept.calls).toEqual([]);
		expect(kept.plan.entries[0].reason).toContain('edited in Autotask and kept: reference title');
		w.devices = [{ ...d, hostname: 'HOST-RENAMED' }];
		const changed = await run(w);
		expect(changed.calls).toEqual([`update ${w.items[0].id}`]);
		expect(w.items[0].referenceTitle).toBe('HOST-RENAMED');
	});

	test('first sync aligns an existing item to the device', () => {
		const d = device();
		const p = plan(
			world({ devices: [d], items: [item(d, { rmmDeviceAuditOperatingSystem: 'Windows 10' })] }),
		);
		const [update] = byOutput(p, 'update');
		expect(update.changes).toEqual({ rmmDeviceAuditOperatingSystem: 'Windows 11' });
		expect(update.before).toEqual({ rmmDeviceAuditOperatingSystem: 'Windows 10' });
		expect(update.reason).toContain('first sync');
	});

	test('a blank in Datto never clears a value in Autotask', async () => {
		const d = device();
		const w = world({ devices: [d], items: [item(d)] });
		await run(w);
		w.devices = [{ ...d, lastLoggedInUser: '', intIpAddress: '' }];
		const blank = await run(w);
		expect(blank.calls).toEqual([]);
		expect(w.items[0].rmmDeviceAuditLastUser).toBe('ALPHA\\ann');
	});

	test('a write that failed is tried again on the next run', async () => {
		const d = device();
		const w = world({ devices: [d], items: [item(d, { referenceTitle: 'old' })] });
		const failed = await run(w, () => 'Autotask: referenceTitle: nope');
		expect(failed.applied.failures[0].message).toContain(`Device ${d.hostname}`);
		expect(failed.applied.failures[0].field).toBe('referenceTitle');
		const again = await run(w);
		expect(again.calls).toEqual([`update ${w.items[0].id}`]);
	});

	test("product, type and contract stay a person's choice on their item, and follow the mapping on ours", () => {
		const d = device();
		const theirs = item(d, { productID: 12 });
		const ours = item(d, { productID: 12, notes: `${CREATED_MARK} x` });
		expect(plan(world({ devices: [d], items: [theirs] })).counts.update).toBe(0);
		const p = plan(world({ devices: [d], items: [ours] }));
		expect(byOutput(p, 'update')[0].changes).toEqual({ productID: 70 });
	});

	test('a value longer than Autotask takes fails that device naming the field; the others go on', () => {
		const long = device({ operatingSystem: 'x'.repeat(40) });
		const fine = device();
		const p = plan(
			world({
				devices: [long, fine],
				input: { schema: schema({ lengths: { rmmDeviceAuditOperatingSystem: 30 } }) },
			}),
		);
		const failed = p.entries.find((entry) => entry.error);
		expect(failed!.error!.message).toContain(long.hostname);
		expect(failed!.error!.message).toContain('rmmDeviceAuditOperatingSystem');
		expect(p.counts.create).toBe(1);
	});

	test('the memory survives its own serialisation', async () => {
		const w = world({ devices: [device(), device()] });
		await run(w);
		const again = readDeviceState(writeDeviceState({}, w.state));
		expect(again).toEqual(w.state);
	});
});

describe('device sync plan: deactivation', () => {
	test('the item of a deleted device is deactivated once the grace period after lastSeen is over, never before', () => {
		const recent = device({ deleted: true, lastSeen: NOW - 5 * DAY });
		const old = device({ deleted: true, lastSeen: NOW - 40 * DAY });
		const p = plan(world({ devices: [recent, old], items: [item(recent), item(old)] }));
		expect(byOutput(p, 'deactivate').map((e) => e.deviceKey)).toEqual([old.key]);
		expect(byOutput(p, 'deactivate')[0].body).toEqual({
			id: expect.any(Number),
			isActive: false,
		});
		const waiting = p.entries.find((entry) => entry.deviceKey === recent.key)!;
		expect(waiting.output).toBe('unchanged');
		expect(waiting.reason).toContain('30-day grace period');
	});

	test('a device that left Datto: the grace counts from the lastSeen remembered, and the item is deactivated after it', async () => {
		const d = device({ lastSeen: NOW - DAY });
		const w = world({ devices: [d], items: [item(d)] });
		await run(w);
		w.devices = [];
		const soon = await run(w);
		expect(soon.plan.counts.deactivate).toBe(0);
		w.input = { options: options({ now: NOW + 31 * DAY }) };
		const later = await run(w);
		expect(later.plan.counts.deactivate).toBe(1);
		expect(w.items[0].isActive).toBe(false);
		// Back in Datto: reactivated (the sync deactivated it); a person's deactivation would stay.
		w.devices = [d];
		const back = await run(w);
		expect(back.plan.entries[0].reason).toContain('back in Datto');
		expect(w.items[0].isActive).toBe(true);
	});

	test('an item a person deactivated stays inactive', () => {
		const d = device();
		const p = plan(world({ devices: [d], items: [item(d, { isActive: false })] }));
		expect(p.counts).toMatchObject({ update: 0, create: 0, unchanged: 1 });
		expect(p.entries[0].reason).toContain('left as it is');
	});

	test('in mapped-sites scope a missing device is looked up before its item is deactivated', () => {
		const d = device({ lastSeen: NOW - 60 * DAY });
		const state = new Map([
			[d.key, { itemId: 1, lastSeenDay: Math.floor((NOW - 60 * DAY) / DAY), slots: new Map() }],
		]);
		const base = world({
			devices: [],
			items: [item(d)],
			state,
			input: { options: options({ scope: 'mappedSites' }) },
		});
		const p = plan(base);
		expect(p.toLookUp).toEqual([d.key]);
		expect(p.counts.deactivate).toBe(0);
		const moved = plan({
			...base,
			input: { ...base.input, lookups: new Map([[d.key, { ...d, siteUid: SITE_LOOSE }]]) },
		});
		expect(moved.counts.deactivate).toBe(0);
		expect(moved.entries[0].reason).toContain('no company in the customer map');
		const gone = plan({ ...base, input: { ...base.input, lookups: new Map([[d.key, null]]) } });
		expect(gone.counts.deactivate).toBe(1);
	});

	test("the guard holds a customer's mass deactivation and lets a small one through", () => {
		const devices = Array.from({ length: 10 }, () =>
			device({ deleted: true, lastSeen: NOW - 90 * DAY }),
		);
		const keep = Array.from({ length: 10 }, () => device());
		const p = plan(
			world({ devices: [...devices, ...keep], items: [...devices, ...keep].map((d) => item(d)) }),
		);
		expect(p.counts.deactivate).toBe(0);
		expect(p.refusals).toEqual([
			expect.objectContaining({ companyId: COMPANY_A, deactivations: 10, linked: 20 }),
		]);
		expect(byOutput(p, 'review').every((e) => e.review!.problem === 'deactivationGuard')).toBe(
			true,
		);
		const small = devices.slice(0, 3);
		const q = plan(
			world({ devices: [...small, keep[0]], items: [...small, keep[0]].map((d) => item(d)) }),
		);
		expect(q.counts.deactivate).toBe(3);
		expect(q.refusals).toEqual([]);
	});
});

describe('device sync plan: moves between customers', () => {
	test('a device whose site now belongs to another customer gets a new item there; the old one is deactivated with a note naming it', async () => {
		const d = device();
		const w = world({ devices: [d], items: [item(d, { notes: 'bought 2024' })] });
		await run(w);
		w.devices = [{ ...d, siteUid: SITE_B, siteName: 'Beta HQ' }];
		const moved = await run(w);
		const [create] = byOutput(moved.plan, 'create');
		expect(create.body).toMatchObject({ companyID: COMPANY_B, rmmDeviceUID: d.uid });
		const old = w.items[0];
		const created = w.items.find((row) => row.companyID === COMPANY_B)!;
		expect(old.isActive).toBe(false);
		expect(String(old.notes)).toContain('bought 2024');
		expect(String(old.notes)).toContain(`configuration item ${created.id}`);
		expect(String(old.notes)).toContain('Beta');
		expect(old.companyID).toBe(COMPANY_A);
		const settled = await run(w);
		expect(settled.calls).toEqual([]);
	});

	test("a whole site appearing under another customer trips that customer's guard: nothing is moved", () => {
		const devices = Array.from({ length: 8 }, () => device({ siteUid: SITE_B }));
		const p = plan(world({ devices, items: devices.map((d) => item(d)) }));
		expect(p.counts.create).toBe(0);
		expect(p.refusals[0]).toMatchObject({ companyId: COMPANY_A, deactivations: 8 });
		expect(byOutput(p, 'review')[0].held).toBe('create');
	});
});

describe('device sync plan: mappings and the unmapped report', () => {
	test('Datto UDFs go into configuration item UDFs by name, and only when they have a value', async () => {
		const d = device({ udf: { udf1: 'ALPHA', udf2: null } });
		const w = world({
			devices: [d],
			items: [item(d)],
			input: {
				mapping: mapping({
					udfRules: [
						{ slot: 1, udfName: 'Customer Code' },
						{ slot: 2, udfName: 'Asset Tag' },
					],
				}),
			},
		});
		const first = await run(w);
		expect(first.plan.entries[0].body).toEqual({
			id: w.items[0].id,
			userDefinedFields: [{ name: 'Customer Code', value: 'ALPHA' }],
		});
		expect((await run(w)).calls).toEqual([]);
	});

	test('v3 udfs[] are read like v2 udf slots', () => {
		const d = device({ udfs: [{ ordinal: 7, type: 'STRING', valueString: 'Rack 4' }] });
		expect(d.udfs.get(7)).toBe('Rack 4');
	});

	test('contract rules: a type-specific rule wins, then the company rule; devices without a contract are reported', () => {
		const desktop = device();
		const server = device({ deviceType: { category: 'Server', type: 'Tower' } });
		const loose = device({ siteUid: SITE_B });
		const p = plan(
			world({
				devices: [desktop, server, loose],
				input: {
					mapping: mapping({
						contractRules: [
							{ contractId: 500, companyId: COMPANY_A },
							{ contractId: 501, companyId: COMPANY_A, configurationItemType: 2, serviceId: 9 },
						],
					}),
				},
			}),
		);
		const bodies = byOutput(p, 'create').map((entry) => entry.body!);
		expect(bodies.find((b) => b.referenceTitle === desktop.hostname)).toMatchObject({
			contractID: 500,
		});
		expect(bodies.find((b) => b.referenceTitle === server.hostname)).toMatchObject({
			contractID: 501,
			contractServiceID: 9,
		});
		expect(p.unmapped).toEqual([
			expect.objectContaining({
				problem: 'noContract',
				companyId: COMPANY_B,
				devices: 1,
				configurationItemType: 'Workstation',
			}),
		]);
	});

	test('fields the tenant keeps read-only are left out and reported', () => {
		const d = device();
		const p = plan(
			world({
				devices: [d],
				input: { schema: schema({ readOnly: ['rmmDeviceAuditLastUser', 'rmmDeviceID'] }) },
			}),
		);
		expect(byOutput(p, 'create')[0].body).not.toHaveProperty('rmmDeviceAuditLastUser');
		expect(p.unmapped).toContainEqual(
			expect.objectContaining({
				problem: 'fieldsNotWritable',
				fields: ['rmmDeviceID', 'rmmDeviceAuditLastUser'],
			}),
		);
	});

	test('with the uid in a UDF, items are matched and created by it', () => {
		const d = device();
		const linked = item(undefined, { userDefinedFields: [{ name: 'Asset Tag', value: d.uid }] });
		const p = plan(
			world({
				devices: [d, device()],
				items: [linked],
				input: { options: options({ keyUdf: 'Asset Tag' }) },
			}),
		);
		expect(p.entries.find((entry) => entry.deviceKey === d.key)!.configurationItemId).toBe(
			linked.id,
		);
		const [create] = byOutput(p, 'create');
		expect(create.body!.userDefinedFields).toEqual([
			{ name: 'Asset Tag', value: expect.any(String) },
		]);
		expect(create.body).not.toHaveProperty('rmmDeviceUID');
	});
});
