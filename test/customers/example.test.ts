/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { CUSTOMER_MAP_COLUMNS, parseCustomerMap } from '../../lib/customers/map';
import { DEFAULT_SEED_DIR } from '../../sandbox/core/seed';
import { readScenario } from '../../sandbox/scenario';

/** RFC 4180 as spreadsheets and n8n's CSV import write it: a quoted cell may hold commas. */
function parseCsv(text: string): Array<Record<string, string>> {
	const records: string[][] = [];
	let record: string[] = [];
	let cell = '';
	let quoted = false;
	const endCell = () => {
		record.push(cell);
		cell = '';
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted && char === '"' && text[i + 1] === '"') {
			cell += '"';
			i++;
		} else if (char === '"') {
			quoted = !quoted;
		} else if (!quoted && char === ',') {
			endCell();
		} else if (!quoted && char === '\n') {
			endCell();
			records.push(record);
			record = [];
		} else if (char !== '\r' || quoted) {
			cell += char;
		}
	}
	if (cell || record.length) {
		endCell();
		records.push(record);
	}
	const [header, ...rows] = records;
	return rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? ''])));
}

describe('the example customer map (workflows/customer-map.csv)', () => {
	const csv = fs.readFileSync(path.join(PACKAGE_ROOT, 'workflows', 'customer-map.csv'), 'utf8');

	test('has the map columns, in order, and is the shipped seed scenario.json customers', () => {
		expect(csv.split('\n')[0].split(',')).toEqual([...CUSTOMER_MAP_COLUMNS]);
		const fromCsv = parseCustomerMap(parseCsv(csv));
		const fromScenario = parseCustomerMap(readScenario(DEFAULT_SEED_DIR).customers ?? []);
		expect(fromCsv.errors).toEqual([]);
		expect(fromCsv.customers.length).toBeGreaterThan(0);
		expect(fromCsv).toEqual(fromScenario);
	});
});
