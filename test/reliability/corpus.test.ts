/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * The bad-input corpus (test/reliability/corpus/*.json): malformed and hostile values for every
 * node, each with the outcome it must get. Every case runs its bad item between two good ones,
 * with the node set to continue on error, through the real engine against the sandbox:
 * - "error": the bad item becomes one error item that names the item ([item 1]) and the field,
 *   the good neighbours are processed;
 * - "ok": handled as documented (normalized, escaped, skipped with a reason...), with what the
 *   node put out for it;
 * and, where the value reaches a query, what the sandbox received (the value as a literal) and
 * what came back for it (never more than the literal value matches).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { describeViolations } from '../../sandbox/core/contract';
import type { Sandbox } from '../../sandbox/index';
import type { SandboxVendor } from '../../sandbox/core/types';
import { CredentialStore } from '../../dev/runner/credentials';
import { runWorkflow } from '../../dev/runner/engine';
import type { WorkflowDefinition, WorkflowResult } from '../../dev/runner/engine';
import { PACKAGE_NAME } from '../../dev/runner/nodeTypes';
import { FIXTURE, packageWithFixture } from '../../dev/fixtureNode';
import { startSandbox } from '../../sandbox/index';
import { defaultSeed, findSecrets, secretsOf } from './support';

interface Expectation {
	outcome: 'error' | 'ok';
	/** For errors: the field the error names (the error item's `field`). */
	field?: string;
	/** A pattern the error message (or, for "ok", the joined output) must match. */
	message?: string;
	/** For "ok": the output the bad item's results come out of, how many, and what they hold. */
	output?: number;
	count?: number;
	match?: IDataObject;
}

interface SentCheck {
	vendor: SandboxVendor;
	method?: string;
	/** Pattern of the request path. */
	path?: string;
	/** Strings that must appear, as sent, in the query string or JSON body of one such request. */
	contains: string[];
}

interface CorpusCase {
	id: string;
	title: string;
	/** Merged over the file's parameters. */
	parameters?: IDataObject;
	/** The neighbours' json, merged over the file's `good`. */
	good?: IDataObject;
	/** The bad item's json. */
	item: IDataObject;
	/** Contact Reconcile only: which input the bad item goes to. */
	input?: 'source' | 'target';
	expect: Expectation;
	sent?: SentCheck;
	/** No request like this may have been sent for the case (a value must not widen a query). */
	notSent?: Omit<SentCheck, 'contains'> & { contains?: string[] };
}

/** Cases that share the node's parameters and their good neighbours. */
interface CorpusGroup {
	name: string;
	parameters: IDataObject;
	good: IDataObject;
	/** Contact Reconcile only: the Target input's items. */
	target?: IDataObject[];
	cases: CorpusCase[];
}

interface CorpusFile {
	node: string;
	nodeName: string;
	credentials: Record<string, { id: string; name: string }>;
	groups: CorpusGroup[];
}

/**
 * Long values are written compactly in the corpus: {"$repeat": "A", "times": 10000} is 10,000 As,
 * and {"$concat": [...]} joins its parts.
 */
function expand(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(expand);
	if (value === null || typeof value !== 'object') return value;
	const record = value as Record<string, unknown>;
	if (typeof record.$repeat === 'string') return record.$repeat.repeat(Number(record.times));
	if (Array.isArray(record.$concat))
		return record.$concat.map((part) => String(expand(part))).join('');
	return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, expand(child)]));
}

const CORPUS_DIR = path.join(__dirname, 'corpus');
const files = fs
	.readdirSync(CORPUS_DIR)
	.filter((name) => name.endsWith('.json'))
	.sort()
	.map((name) => ({
		name,
		corpus: expand(JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8'))) as CorpusFile,
	}));

const pkg = packageWithFixture();
let sandbox: Sandbox;
let credentials: CredentialStore;
const leakChecks: unknown[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ seed: defaultSeed() });
	sandbox.datto.config.cutoffDelayMs = 0;
	credentials = new CredentialStore(pkg.credentialTypes, sandbox.credentials);
});

afterAll(async () => {
	await sandbox.stop();
});

function workflowFor(
	file: CorpusFile,
	group: CorpusGroup,
	test: CorpusCase,
): { workflow: WorkflowDefinition; input: IDataObject[]; startNode: string } {
	const node: INode = {
		id: 'subject',
		name: file.nodeName,
		type: `${PACKAGE_NAME}.${file.node}`,
		typeVersion: 1,
		position: [400, 0],
		parameters: { ...group.parameters, ...test.parameters } as INode['parameters'],
		credentials: file.credentials,
		onError: 'continueRegularOutput',
	};
	const good = { ...group.good, ...test.good };
	const trigger: INode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	if (file.node !== 'contactReconcile') {
		return {
			workflow: {
				nodes: [trigger, node],
				connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
			},
			input: [good, test.item, good],
			startNode: 'Start',
		};
	}
	// Contact Reconcile: Source and Target inputs, fed by fixtures.
	const sourceItems =
		test.input === 'target'
			? [good]
			: [
					good,
					test.item,
					{
						...good,
						id: `${String(good.id)}-2`,
						email: `second.${String(good.email)}`,
						emails: [`second.${String(good.email)}`],
					},
				];
	const targetItems =
		test.input === 'target'
			? [...(group.target ?? []).slice(0, 1), test.item, ...(group.target ?? []).slice(1)]
			: (group.target ?? []);
	const fixture = (name: string, items: IDataObject[], y: number): INode => ({
		id: name,
		name,
		type: FIXTURE,
		typeVersion: 1,
		position: [200, y],
		parameters: { items: JSON.stringify(items) },
	});
	return {
		workflow: {
			nodes: [
				trigger,
				fixture('Source', sourceItems, 0),
				fixture('Target', targetItems, 200),
				node,
			],
			connections: {
				Start: {
					main: [
						[
							{ node: 'Source', type: 'main', index: 0 },
							{ node: 'Target', type: 'main', index: 0 },
						],
					],
				},
				Source: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
				Target: { main: [[{ node: node.name, type: 'main', index: 1 }]] },
			},
		},
		input: [{}],
		startNode: 'Start',
	};
}

function outputs(result: WorkflowResult, node: string): INodeExecutionData[][] {
	const runs = result.run.data.resultData.runData[node];
	return (runs?.[0]?.data?.main ?? []) as INodeExecutionData[][];
}

function pairedTo(item: INodeExecutionData, index: number, input = 0): boolean {
	const pairs = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
	return pairs.some(
		(pair) =>
			typeof pair === 'object' &&
			pair !== null &&
			pair.item === index &&
			(pair.input ?? 0) === input,
	);
}

const cases = files.flatMap(({ corpus }) =>
	corpus.groups.flatMap((group) => group.cases.map((test) => ({ corpus, group, test }))),
);

test('the corpus holds at least 60 cases, with unique ids, for every node', () => {
	expect(cases.length).toBeGreaterThanOrEqual(60);
	expect(new Set(cases.map(({ test }) => test.id)).size).toBe(cases.length);
	expect(new Set(files.map(({ corpus }) => corpus.node))).toEqual(
		new Set([
			'autotaskContact',
			'connectWiseContact',
			'office365Users',
			'contactReconcile',
			'rmmAlertToTicket',
		]),
	);
});

describe.each(
	files.flatMap(({ name, corpus }) =>
		corpus.groups.map(
			(group) => [`${name.replace(/\.json$/, '')} ${group.name}`, corpus, group] as const,
		),
	),
)('%s', (_name, corpus, group) => {
	test.each(group.cases.map((test) => [test.id, test.title, test] as const))(
		'%s: %s',
		async (_id, _title, test) => {
			const { workflow, input, startNode } = workflowFor(corpus, group, test);
			const from = sandbox.log.entries.length;
			const result = await runWorkflow({ pkg, credentials, workflow, input, startNode });
			expect(result.error).toBeUndefined();
			const out = outputs(result, corpus.nodeName);
			const all = out.flat();
			leakChecks.push(result.run);

			if (corpus.node === 'contactReconcile') {
				checkReconcile(test, out);
			} else {
				const badIndex = 1;
				const mine = all.filter((item) => pairedTo(item, badIndex));
				const neighbours = all.filter((item) => !pairedTo(item, badIndex));
				// The good items around the bad one were processed.
				expect(
					neighbours.filter((item) => item.json.error !== undefined).map((item) => item.json.error),
				).toEqual([]);
				expect(neighbours.length).toBeGreaterThan(0);
				if (test.expect.outcome === 'error') {
					expect(mine).toHaveLength(1);
					const json = mine[0].json;
					expect(json.error).toEqual(expect.stringContaining(`[item ${badIndex}]`));
					if (test.expect.message)
						expect(String(json.error)).toMatch(new RegExp(test.expect.message, 'i'));
					if (test.expect.field) expect(json.field).toBe(test.expect.field);
				} else {
					expect(
						mine.filter((item) => item.json.error !== undefined).map((item) => item.json.error),
					).toEqual([]);
					const chosen =
						test.expect.output === undefined
							? mine
							: (out[test.expect.output] ?? []).filter((item) => pairedTo(item, badIndex));
					if (test.expect.count !== undefined) expect(chosen).toHaveLength(test.expect.count);
					if (test.expect.match)
						for (const item of chosen) expect(item.json).toMatchObject(test.expect.match);
					if (test.expect.message)
						expect(JSON.stringify(chosen.map((item) => item.json))).toMatch(
							new RegExp(test.expect.message, 'i'),
						);
				}
			}

			const requests = (check: Omit<SentCheck, 'contains'> & { contains?: string[] }) =>
				sandbox.log.entries.slice(from).filter((entry) => {
					if (entry.vendor !== check.vendor) return false;
					if (check.method && entry.method !== check.method) return false;
					if (check.path && !new RegExp(check.path, 'i').test(entry.path)) return false;
					const text = `${[...new URLSearchParams(entry.query).values()].join('\n')}\n${JSON.stringify(entry.body ?? null)}`;
					return (check.contains ?? []).every((fragment) => text.includes(fragment));
				});
			if (test.sent) expect(requests(test.sent).length).toBeGreaterThan(0);
			if (test.notSent)
				expect(
					requests(test.notSent).map((entry) => `${entry.method} ${entry.path}?${entry.query}`),
				).toEqual([]);
		},
	);
});

function checkReconcile(test: CorpusCase, out: INodeExecutionData[][]): void {
	const REVIEW = 5;
	const inputIndex = test.input === 'target' ? 1 : 0;
	const mine = out.flat().filter((item) => pairedTo(item, 1, inputIndex));
	if (test.expect.outcome === 'error') {
		const errors = out[REVIEW].filter(
			(item) => item.json.error !== undefined && pairedTo(item, 1, inputIndex),
		);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({
			input: inputIndex === 0 ? 'Source' : 'Target',
			itemIndex: 1,
		});
		if (test.expect.field) expect(errors[0].json.field).toBe(test.expect.field);
		if (test.expect.message)
			expect(String(errors[0].json.error)).toMatch(new RegExp(test.expect.message, 'i'));
	} else {
		expect(
			mine.filter((item) => item.json.error !== undefined).map((item) => item.json.error),
		).toEqual([]);
		const chosen =
			test.expect.output === undefined
				? mine
				: (out[test.expect.output] ?? []).filter((item) => pairedTo(item, 1, inputIndex));
		if (test.expect.count !== undefined) expect(chosen).toHaveLength(test.expect.count);
		if (test.expect.match)
			for (const item of chosen) expect(item.json).toMatchObject(test.expect.match);
		if (test.expect.message)
			expect(JSON.stringify(chosen.map((item) => item.json))).toMatch(
				new RegExp(test.expect.message, 'i'),
			);
	}
	// The good source user was planned all the same (held for review when the Target could not be read).
	expect(out.flat().some((item) => pairedTo(item, 0, 0) && item.json.error === undefined)).toBe(
		true,
	);
}

test('no secret or token in any output, error or thrown message of the corpus runs', () => {
	expect(findSecrets(leakChecks, secretsOf(sandbox))).toEqual([]);
});

test('whatever the input, every request sent and every answer matched the vendor documents', () => {
	expect(describeViolations(sandbox.contractViolations)).toBe('');
});
