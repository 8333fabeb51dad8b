/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INode } from 'n8n-workflow';

import { CREATED_MARK } from '../../lib/devices/fields';
import { describeViolations } from '../../sandbox/core/contract';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { DEVICE_TEMPLATE } from '../../dev/templates';
import { deviceByHost, harness, itemsOfDevice, itemWrites, lastSeq, sync } from './helpers';
import type { DeviceHarness } from './helpers';

/** The template over the shipped seed, through n8n's engine: what a first run and a second run do. */

let sandbox: Sandbox;
let h: DeviceHarness;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.datto.config.cutoffDelayMs = 0;
	h = harness(sandbox);
});

afterAll(async () => {
	await sandbox.stop();
});

describe(`workflows/${DEVICE_TEMPLATE}`, () => {
	const file = JSON.parse(
		fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', DEVICE_TEMPLATE), 'utf8'),
	) as { id: string; nodes: INode[]; connections: Record<string, unknown> };

	test('imports as an n8n workflow: known node types and versions, parameters the nodes have, credential placeholders', () => {
		expect(file.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		const base: Record<string, number[]> = {
			'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2, 1.3],
			'n8n-nodes-base.manualTrigger': [1],
			'n8n-nodes-base.stickyNote': [1],
			'n8n-nodes-base.dataTable': [1, 1.1],
		};
		for (const node of file.nodes) {
			expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
			if (!node.type.startsWith('n8n-nodes-msp.')) {
				expect(base[node.type]).toContain(node.typeVersion);
				continue;
			}
			const description = h.pkg.nodes[node.type.replace('n8n-nodes-msp.', '')].description;
			expect(description.version).toBe(node.typeVersion);
			const names = new Set(description.properties.map((p) => p.name));
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
			expect(Object.keys(node.credentials ?? {}).sort()).toEqual(['autotaskApi', 'dattoRmmApi']);
			// Failures must fail the execution: no "continue" that would hide them.
			expect(node.onError).toBeUndefined();
		}
		const dataTable = file.nodes.find((n) => n.type === 'n8n-nodes-base.dataTable')!;
		expect(dataTable.parameters).toMatchObject({
			resource: 'row',
			operation: 'get',
			returnAll: true,
		});
	});

	test('the first run creates the missing item, brings the others in line and reports what is unmapped; the second run writes nothing', async () => {
		const before = sandbox.autotask.configurationItems.length;
		const from = lastSeq(h);
		const first = await sync(h);
		expect(first.result.status).toBe('success');

		// RETAIL-POS03 (Contoso Retail) and TT-WS01 (Tailspin) had no item: created with the mapped
		// product, type, contract and UDF.
		const pos = deviceByHost(h, 'RETAIL-POS03');
		expect(first.created.map((json) => (json.device as { hostname: string }).hostname)).toEqual([
			'RETAIL-POS03',
			'TT-WS01',
		]);
		const [created] = itemsOfDevice(h, pos.uid);
		expect(created).toMatchObject({
			companyID: 29684101,
			productID: 29682701,
			configurationItemType: 1,
			contractID: 29690001,
			isActive: true,
			referenceTitle: 'RETAIL-POS03',
			serialNumber: `SN${String(pos.id).slice(-6)}`,
		});
		expect(String(created.notes)).toContain(CREATED_MARK);
		expect(created.userDefinedFields).toContainEqual({ name: 'Customer Code', value: 'Contoso' });
		expect(sandbox.autotask.configurationItems.length).toBe(before + 2);

		// Existing items (the native integration's) get Datto's udf1 into Customer Code, and nothing a person chose.
		expect(first.updated.length).toBeGreaterThan(0);
		for (const json of first.updated) {
			expect(Object.keys(json.changes as object)).not.toContain('productID');
			expect(Object.keys(json.changes as object)).not.toContain('contractID');
		}
		// Wingtip's row has no Autotask company and the MSP's own site is in no row.
		expect(first.unmapped.filter((json) => json.problem === 'siteWithoutCompany')).toHaveLength(2);
		expect(
			first.review.every((json) => (json.review as { problem: string }).problem === 'noCompany'),
		).toBe(true);
		// Adventure Works has no contract rule: reported so no device escapes billing.
		expect(first.unmapped).toContainEqual(
			expect.objectContaining({ problem: 'noContract', companyId: 29684103 }),
		);
		// Every write was to a configuration item of a mapped company.
		for (const write of itemWrites(h, from))
			if (write.method === 'POST')
				expect([29684101, 29684102, 29684103, 29684104]).toContain(write.body.companyID);

		const again = lastSeq(h);
		const second = await sync(h);
		expect(second.result.status).toBe('success');
		expect(itemWrites(h, again)).toEqual([]);
		expect(second.created).toEqual([]);
		expect(second.updated).toEqual([]);
		expect(second.unchanged.length).toBe(
			first.unchanged.length + first.updated.length + first.created.length,
		);
	});

	test("every request and answer kept to the vendors' documents", () => {
		expect(describeViolations(sandbox.contractViolations)).toBe('');
	});
});
