// The import layers of docs/architecture.md, checked by `npm run lint` after `n8n-node lint`.
// They live here, not in eslint.config.mjs: the package is in n8n's strict mode, whose lint
// refuses any eslint.config.mjs other than the starter's two lines. This file borrows the
// parser, the import-x plugin and its TypeScript resolver from that same configuration, and
// runs with --no-inline-config, so no comment in a source file can switch a layer rule off.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { config } from '@n8n/node-cli/eslint';
import ts from 'typescript';

const part = (test, what) => {
	const found = config.find(test);
	if (!found) throw new Error(`eslint.layers.mjs: @n8n/node-cli's config has no ${what}`);
	return found;
};
const typescript = part((c) => c.name === 'typescript-eslint/base', 'TypeScript parser');
const importX = part((c) => c.plugins?.['import-x'], 'import-x plugin');
const resolver = part((c) => c.settings?.['import-x/resolver-next'], 'import resolver');

/** Each folder, and the folders it must never import from. */
const LAYERS = {
	lib: ['credentials', 'nodes', 'sandbox', 'dev', 'test', 'scripts', 'bench'],
	credentials: ['nodes', 'sandbox', 'dev', 'test', 'scripts', 'bench'],
	nodes: ['credentials', 'sandbox', 'dev', 'test', 'scripts', 'bench'],
	// A simulator that reuses the code under test cannot catch its errors.
	sandbox: ['lib', 'nodes', 'credentials', 'dev', 'test', 'scripts', 'bench'],
	dev: ['test'],
	scripts: ['test'],
	bench: ['test'],
};

/**
 * Imports that break a layer today, each with what removes it (issue 15). An entry goes as soon
 * as its fix is on main; the list ends empty.
 */
const KNOWN_EXCEPTIONS = [];

/**
 * Import circles that exist today, each with what removes it. A circle is allowed only between
 * files of the same entry.
 */
const KNOWN_CYCLES = [];

// ---------------------------------------------------------------------------------------------
// Import circles, type-only imports included. import-x/no-cycle skips `import type`, and a
// circle of types still ties two modules together: neither can be understood, moved or tested
// without the other.

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const SOURCE_FOLDERS = Object.keys(LAYERS).concat('test');

function sourceFiles(folder) {
	const found = [];
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules') walk(full);
			} else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) found.push(full);
		}
	};
	if (fs.existsSync(folder)) walk(folder);
	return found;
}

/** The project file a relative specifier names, as TypeScript resolves it; undefined otherwise. */
function resolveRelative(from, specifier) {
	if (!specifier.startsWith('.')) return undefined;
	const base = path.resolve(path.dirname(from), specifier);
	return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
		(candidate) => candidate.endsWith('.ts') && fs.existsSync(candidate),
	);
}

let graph;

/** file -> the project files it imports, and each file's strongly connected component. */
function importGraph() {
	if (graph) return graph;
	const edges = new Map();
	for (const file of SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)))) {
		const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
		const targets = importedFiles
			.map((imported) => resolveRelative(file, imported.fileName))
			.filter((target) => target !== undefined);
		edges.set(file, [...new Set(targets)]);
	}
	// Tarjan's algorithm: files that reach each other share a component.
	const component = new Map();
	const index = new Map();
	const low = new Map();
	const stack = [];
	let counter = 0;
	const visit = (file) => {
		index.set(file, counter);
		low.set(file, counter++);
		stack.push(file);
		for (const next of edges.get(file) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(file, Math.min(low.get(file), low.get(next)));
			} else if (stack.includes(next)) low.set(file, Math.min(low.get(file), index.get(next)));
		}
		if (low.get(file) === index.get(file)) {
			const members = new Set();
			let member;
			do {
				member = stack.pop();
				members.add(member);
			} while (member !== file);
			for (const m of members) component.set(m, members);
		}
	};
	for (const file of edges.keys()) if (!index.has(file)) visit(file);
	graph = { edges, component };
	return graph;
}

/** The shortest way from `start` back to `goal` inside their component, for the message. */
function circlePath(start, goal, members) {
	const previous = new Map([[start, undefined]]);
	const queue = [start];
	while (queue.length) {
		const file = queue.shift();
		if (file === goal) break;
		for (const next of graph.edges.get(file) ?? []) {
			if (members.has(next) && !previous.has(next)) {
				previous.set(next, file);
				queue.push(next);
			}
		}
	}
	const way = [];
	for (let file = goal; file !== undefined; file = previous.get(file)) way.unshift(file);
	return way;
}

const noImportCycle = {
	meta: {
		type: 'problem',
		docs: { description: 'Forbid import circles between project files, type-only included.' },
		schema: [
			{
				type: 'object',
				properties: {
					allowed: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
				},
				additionalProperties: false,
			},
		],
	},
	create(context) {
		const file = context.physicalFilename;
		const { component } = importGraph();
		const members = component.get(file);
		if (!members || members.size < 2) return {};
		const allowed = (context.options[0]?.allowed ?? []).map(
			(group) => new Set(group.map((member) => path.join(ROOT, member))),
		);
		const check = (node, source) => {
			if (typeof source?.value !== 'string') return;
			const target = resolveRelative(file, source.value);
			if (!target || !members.has(target)) return;
			if (allowed.some((group) => group.has(file) && group.has(target))) return;
			const way = circlePath(target, file, members).map((f) => path.relative(ROOT, f));
			context.report({
				node,
				message: `Import circle: ${[path.relative(ROOT, file), ...way].join(' -> ')}. Move what both sides need into a module both may import.`,
			});
		};
		return {
			ImportDeclaration: (node) => check(node, node.source),
			ExportNamedDeclaration: (node) => check(node, node.source),
			ExportAllDeclaration: (node) => check(node, node.source),
			ImportExpression: (node) => check(node, node.source),
			TSImportEqualsDeclaration: (node) => check(node, node.moduleReference?.expression),
			CallExpression: (node) => {
				if (node.callee.type === 'Identifier' && node.callee.name === 'require')
					check(node, node.arguments[0]);
			},
		};
	},
};

// ---------------------------------------------------------------------------------------------

const layerRule = (layer, allowed = []) => [
	'error',
	{
		zones: LAYERS[layer].map((forbidden) => ({
			target: `./${layer}`,
			from: `./${forbidden}`,
			except: allowed
				.filter((file) => file.startsWith(`${forbidden}/`))
				.map((file) => `./${file.slice(forbidden.length + 1)}`),
			message: `${layer}/ never imports ${forbidden}/ (docs/architecture.md).`,
		})),
	},
];

const exceptionsByFile = new Map();
for (const { file, imports } of KNOWN_EXCEPTIONS) {
	exceptionsByFile.set(file, [...(exceptionsByFile.get(file) ?? []), ...imports]);
}

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', '.e2e/**', 'out/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: typescript.languageOptions,
		plugins: {
			'import-x': importX.plugins['import-x'],
			layers: { rules: { 'no-import-cycle': noImportCycle } },
		},
		settings: resolver.settings,
		rules: {
			'layers/no-import-cycle': ['error', { allowed: KNOWN_CYCLES.map(({ files }) => files) }],
		},
	},
	{
		files: ['lib/**/*.ts'],
		rules: {
			// n8n's types where a signature needs them; never its runtime.
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'n8n-workflow', allowTypeImports: true, message: 'lib/ is plain TypeScript.' },
						{ name: 'n8n-core', message: 'lib/ is plain TypeScript.' },
					],
				},
			],
		},
	},
	...Object.keys(LAYERS).map((layer) => ({
		files: [`${layer}/**/*.ts`],
		rules: { 'import-x/no-restricted-paths': layerRule(layer) },
	})),
	...[...exceptionsByFile].map(([file, allowed]) => ({
		files: [file],
		rules: { 'import-x/no-restricted-paths': layerRule(file.split('/')[0], allowed) },
	})),
];
