/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULT_SEED_DIR } from '../../sandbox/core/seed';
import {
	DEFAULT_SCENARIO_FILE,
	defaultScenario,
	readScenario,
	readScenarioFile,
	ScenarioError,
	writeScenario,
} from '../../sandbox/scenario';

let directory: string;
beforeEach(() => {
	directory = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-'));
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function writeFile(content: string): string {
	const file = path.join(directory, 'scenario.json');
	fs.writeFileSync(file, content);
	return file;
}

const valid = {
	autotaskCompanyId: 29684101,
	connectwiseCompanyId: 250,
	domains: ['contoso.com'],
	updateExisting: true,
	mode: 'mirror',
};

/** The error a scenario file gives, as the demo would print it. */
function problemWith(contactSync: unknown): string {
	const file = writeFile(JSON.stringify({ contactSync }));
	try {
		readScenarioFile(file);
	} catch (error) {
		expect(error).toBeInstanceOf(ScenarioError);
		return (error as Error).message;
	}
	throw new Error('the scenario was accepted');
}

describe('scenario.json', () => {
	test('a valid file reads as written; ids written as digit strings become numbers', () => {
		const file = writeFile(
			JSON.stringify({ contactSync: { ...valid, autotaskCompanyId: ' 29684101 ' } }),
		);
		expect(readScenarioFile(file)).toEqual({ contactSync: valid });
	});

	test('Update Existing and Mode may be left out: the node defaults (off, changes only)', () => {
		const file = writeFile(
			JSON.stringify({
				contactSync: { autotaskCompanyId: 1, connectwiseCompanyId: 2, domains: [] },
			}),
		);
		expect(readScenarioFile(file).contactSync).toMatchObject({
			domains: [],
			updateExisting: false,
			mode: 'changes',
		});
	});

	test('each problem names the file and the field', () => {
		const withoutDomains: Partial<typeof valid> = { ...valid };
		delete withoutDomains.domains;
		const file = path.join(directory, 'scenario.json');
		expect(problemWith(withoutDomains)).toBe(
			`${file}: contactSync.domains is missing: it must list the e-mail domains to sync, e.g. ["contoso.com"] ([] syncs every user)`,
		);
		expect(problemWith({ ...valid, domains: 'contoso.com' })).toMatch(
			/^.*scenario\.json: contactSync\.domains is "contoso\.com": /,
		);
		expect(problemWith({ ...valid, mode: 'full' })).toBe(
			`${file}: contactSync.mode is "full": it must be "changes" or "mirror"`,
		);
		expect(problemWith({ ...valid, updateExisting: 'yes' })).toContain(
			'contactSync.updateExisting is "yes"',
		);
		expect(problemWith({ ...valid, autotaskCompanyId: 'Contoso' })).toContain(
			'contactSync.autotaskCompanyId is "Contoso"',
		);
		expect(problemWith({ ...valid, connectwiseCompanyId: undefined })).toContain(
			'contactSync.connectwiseCompanyId is missing',
		);
		expect(problemWith(undefined)).toContain(`${file}: contactSync is missing: the file must hold`);
	});

	test('a file that is not JSON names the file', () => {
		const file = writeFile('{"contactSync": ');
		expect(() => readScenarioFile(file)).toThrow(`${file} is not valid JSON`);
	});

	test("a seed folder without one uses the shipped seed's; the writer's output reads back", () => {
		expect(readScenario(directory)).toEqual(defaultScenario());
		expect(readScenario(DEFAULT_SEED_DIR)).toEqual(readScenarioFile(DEFAULT_SCENARIO_FILE));
		writeScenario(directory, { contactSync: { ...valid, mode: 'mirror' } });
		expect(readScenario(directory)).toEqual({ contactSync: valid });
	});

	test('customers: the map of every customer, each row checked for types; the contactSync form stays valid alone', () => {
		const customers = [
			{
				name: 'Contoso Ltd',
				tenant: '6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c',
				domains: ['contoso.com', 'contosoretail.com'],
				autotaskCompanyId: 29684101,
				connectwiseCompanyId: '250',
				dattoSiteUids: 'site-a, site-b',
				contactSync: true,
				updateExisting: false,
				mode: 'changes',
				fields: ['title', 'phone'],
			},
			{ name: 'Alpine Ski House', autotaskCompanyId: 29684107, contactSync: false },
		];
		const file = writeFile(JSON.stringify({ contactSync: valid, customers }));
		expect(readScenarioFile(file)).toEqual({
			contactSync: valid,
			customers: [
				{
					...customers[0],
					connectwiseCompanyId: 250,
					dattoSiteUids: ['site-a', 'site-b'],
				},
				customers[1],
			],
		});
		expect(readScenarioFile(writeFile(JSON.stringify({ contactSync: valid })))).toEqual({
			contactSync: valid,
		});
	});

	test('a customer row that cannot be read names the file, the row and the field', () => {
		const problem = (customers: unknown) => {
			const file = writeFile(JSON.stringify({ contactSync: valid, customers }));
			try {
				readScenarioFile(file);
			} catch (error) {
				expect(error).toBeInstanceOf(ScenarioError);
				return (error as Error).message;
			}
			throw new Error('the scenario was accepted');
		};
		const file = path.join(directory, 'scenario.json');
		expect(problem({ name: 'x' })).toBe(
			`${file}: customers is {"name":"x"}: it must be an array of customers [{"name", "tenant", ...}]`,
		);
		expect(problem([{ tenant: 'contoso.com' }])).toBe(
			`${file}: customers[0].name is missing: every customer needs a name`,
		);
		expect(problem([{ name: 'A' }, { name: 'B', tenant: 'not a tenant' }])).toContain(
			'customers[1].tenant is "not a tenant": it must be the Microsoft 365 tenant id (a GUID) or one of its verified domains',
		);
		expect(problem([{ name: 'A', autotaskCompanyId: 'Contoso' }])).toContain(
			'customers[0].autotaskCompanyId is "Contoso"',
		);
		expect(problem([{ name: 'A', contactSync: 'yes' }])).toContain(
			'customers[0].contactSync is "yes": it must be true or false',
		);
		expect(problem([{ name: 'A', mode: 'full' }])).toContain('customers[0].mode is "full"');
		expect(problem([{ name: 'A', dattoSiteUids: [1, 2] }])).toContain(
			'customers[0].dattoSiteUids is [1,2]',
		);
		expect(problem([{ name: 'A', autotaskCompanyID: 1 }])).toContain(
			'customers[0].autotaskCompanyID is not a customer field; the fields are name, tenant, domains',
		);
	});
});
