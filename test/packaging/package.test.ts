/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeTypeDescription } from 'n8n-workflow';

import { PACKAGE_ROOT } from '../../dev/runner/nodeTypes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require(path.join(PACKAGE_ROOT, 'package.json')) as {
	name: string;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	files: string[];
	keywords: string[];
	license: string;
};

type IconHolder = { iconUrl?: string | { light: string; dark: string } };

/** The loader swaps `icon: 'file:…'` for `iconUrl: 'icons/<package>/<path in package>'`, the URL the editor fetches. */
function expectIconFiles(holder: IconHolder) {
	const url = holder.iconUrl;
	expect(url).toBeDefined();
	const urls = typeof url === 'string' ? [url] : [url!.light, url!.dark];
	expect(new Set(urls).size).toBe(urls.length);
	for (const entry of urls) {
		expect(entry).toMatch(/^icons\/n8n-nodes-msp\/dist\//);
		const file = path.join(PACKAGE_ROOT, entry.replace(/^icons\/n8n-nodes-msp\//, ''));
		expect(fs.existsSync(file)).toBe(true);
	}
}

describe('the built package, loaded as n8n loads a community package', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		if (!fs.existsSync(path.join(PACKAGE_ROOT, 'dist')))
			throw new Error('dist/ is missing: run npm run build first (npm test does)');
		loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
	});

	test('package.json holds the community-package contract', () => {
		expect(manifest.name).toBe('n8n-nodes-msp');
		expect(manifest.license).toBe('MIT');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.files).toEqual(['dist', '!dist/.tsbuildinfo']);
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.strict).toBe(true);
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
			expect(file).toMatch(/^dist\//);
	});

	test('every credential listed loads', () => {
		const names = Object.keys(loader.credentialTypes).sort();
		expect(names).toEqual([
			'autotaskApi',
			'connectWiseManageApi',
			'dattoRmmApi',
			'microsoftGraphAppApi',
		]);
		expect(manifest.n8n.credentials).toHaveLength(names.length);
		for (const { type } of Object.values(loader.credentialTypes)) {
			expect(type.test).toBeDefined();
			const secrets = type.properties.filter((p) =>
				/secret|privateKey|integrationCode/i.test(p.name),
			);
			for (const secret of secrets) expect(secret.typeOptions?.password).toBe(true);
		}
	});

	test('every node listed loads, with icon files, codex and the n8n conventions', () => {
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(
			[
				'autotaskContact',
				'connectWiseContact',
				'contactReconcile',
				'contactSyncReport',
				'office365Users',
				'rmmAlertToTicket',
				'rmmDeviceToConfigurationItem',
			].sort(),
		);
		for (const file of manifest.n8n.nodes) {
			const absolute = path.join(PACKAGE_ROOT, file);
			const name = Object.entries(loader.nodeTypes).find(
				([, data]) => path.resolve(data.sourcePath) === absolute,
			)?.[0];
			expect(name).toBeDefined();
			const description = loader.nodeTypes[name!].type.description as INodeTypeDescription;
			expect(description.usableAsTool).toBe(true);
			expect(description.subtitle).toBeTruthy();
			expectIconFiles(description as unknown as IconHolder);
			expect(fs.existsSync(absolute.replace(/\.js$/, '.json'))).toBe(true);
		}
		for (const data of Object.values(loader.credentialTypes))
			expectIconFiles(data.type as unknown as IconHolder);
	});

	test('shipped code never switches off a lint rule', () => {
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (entry.name.endsWith('.ts') && /eslint-disable/.test(fs.readFileSync(full, 'utf8')))
					offenders.push(full);
			}
		};
		for (const dir of ['nodes', 'credentials', 'lib']) walk(path.join(PACKAGE_ROOT, dir));
		expect(offenders).toEqual([]);
	});
});
