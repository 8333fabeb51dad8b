/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development tooling, never shipped in dist */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';

/**
 * What `npm pack` puts in the tarball users install: every file package.json's `n8n` block
 * names, with each node's codex and icons. The repository's .npmrc sets ignore-scripts=true (for
 * `npm ci`), which also skips `prepack`; the second test shows that `npm pack
 * --ignore-scripts=false` on a fresh checkout without dist/ builds it first.
 */

interface Manifest {
	n8n: { nodes: string[]; credentials: string[] };
}

interface PackJson {
	files: Array<{ path: string }>;
}

/** `ignoreScripts` undefined: as the checkout's .npmrc says (a plain `npm pack`). */
function packedFiles(directory: string, ignoreScripts?: boolean): string[] {
	const output = execFileSync(
		'npm',
		[
			'pack',
			'--dry-run',
			'--json',
			...(ignoreScripts === undefined ? [] : [`--ignore-scripts=${ignoreScripts}`]),
		],
		{
			cwd: directory,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
		},
	);
	// prepack's build writes its own lines first; npm's JSON starts on a line of its own.
	const start = /^\[$/m.exec(output)?.index ?? -1;
	const [packed] = JSON.parse(output.slice(start)) as PackJson[];
	return packed.files.map((file) => file.path);
}

/** The icon files the built node and credential modules point at (`file:` paths), as tarball paths. */
function iconFiles(manifest: Manifest): string[] {
	const icons = new Set<string>();
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		const built = path.join(PACKAGE_ROOT, entry);
		if (!fs.existsSync(built)) continue;
		for (const [, relative] of fs.readFileSync(built, 'utf8').matchAll(/['"]file:([^'"]+)['"]/g))
			icons.add(path.posix.normalize(path.posix.join(path.posix.dirname(entry), relative)));
	}
	return [...icons];
}

/** Each declared entry, the codex of each node, and every icon they point at. */
function missingFromTarball(files: string[], manifest: Manifest): string[] {
	const expected = [
		...manifest.n8n.nodes,
		...manifest.n8n.credentials,
		...manifest.n8n.nodes.map((node) => node.replace(/\.js$/, '.json')),
		...iconFiles(manifest),
	];
	return expected.filter((file) => !files.includes(file));
}

const manifest = JSON.parse(
	fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'),
) as Manifest;

describe('npm pack', () => {
	test('the tarball holds every node and credential package.json declares, with codex and icons', () => {
		// ignore-scripts: prepack would rebuild dist/ under the other test files' feet.
		const files = packedFiles(PACKAGE_ROOT, true);
		expect(missingFromTarball(files, manifest)).toEqual([]);
		expect(manifest.n8n.nodes.length).toBeGreaterThan(0);
		expect(iconFiles(manifest).length).toBeGreaterThanOrEqual(manifest.n8n.nodes.length);
		// Only the built package and the manifest files npm always adds.
		const outside = files.filter(
			(file) => !file.startsWith('dist/') && !/^(package\.json|README\.md|LICENSE)$/.test(file),
		);
		expect(outside).toEqual([]);
		expect(
			files.filter((file) => /\.test\.|\.tsbuildinfo$|\.ts$/.test(file) && !file.endsWith('.d.ts')),
		).toEqual([]);
	});

	test("on a fresh checkout without dist/, the README's npm pack --ignore-scripts=false builds it first; a plain npm pack cannot", () => {
		const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-pack-'));
		try {
			const tracked = execFileSync('git', ['ls-files', '-z'], {
				cwd: PACKAGE_ROOT,
				encoding: 'utf8',
			})
				.split('\0')
				.filter((file) => file && fs.existsSync(path.join(PACKAGE_ROOT, file)));
			for (const file of tracked) {
				fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
				fs.copyFileSync(path.join(PACKAGE_ROOT, file), path.join(checkout, file));
			}
			// The installed tools, but not their build stamp (node_modules/.cache), which is this copy's own.
			const modules = path.join(checkout, 'node_modules');
			fs.mkdirSync(modules);
			for (const entry of fs.readdirSync(path.join(PACKAGE_ROOT, 'node_modules')))
				if (entry !== '.cache')
					fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules', entry), path.join(modules, entry));
			expect(fs.existsSync(path.join(checkout, 'dist'))).toBe(false);

			// .npmrc's ignore-scripts=true (npm ci needs it) skips prepack too: what the README warns of.
			const plain = packedFiles(checkout);
			expect(plain.filter((file) => file.startsWith('dist/'))).toEqual([]);
			expect(missingFromTarball(plain, manifest).length).toBeGreaterThan(0);

			const files = packedFiles(checkout, false);
			expect(missingFromTarball(files, manifest)).toEqual([]);
		} finally {
			fs.rmSync(checkout, { recursive: true, force: true });
		}
	}, 300_000);
});
