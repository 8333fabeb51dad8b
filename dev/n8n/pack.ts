/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	communityNodesFolder,
	LOG_DIR,
	PACKAGE_NAME,
	REPO_ROOT,
	USER_FOLDER,
	WORK_DIR,
} from './paths';
import { run } from './processes';
import { detail } from './progress';

export interface PackedPackage {
	tarball: string;
	version: string;
	files: string[];
	/** package.json's n8n.nodes / n8n.credentials entries. */
	declaredNodes: string[];
	declaredCredentials: string[];
	/** Declared entries the tarball does not contain (a node that has not landed yet). */
	missing: string[];
}

interface PackJson {
	filename: string;
	version: string;
	files: Array<{ path: string }>;
}

interface Manifest {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/**
 * `npm pack` exactly as a publish would (the `files` list decides), into the scratch folder.
 * --ignore-scripts=false runs prepack (the build, skipped when dist/ is up to date), which the
 * repository's .npmrc would otherwise skip.
 */
export async function packPackage(): Promise<PackedPackage> {
	fs.mkdirSync(WORK_DIR, { recursive: true });
	const result = await run(
		'npm',
		['pack', '--json', '--ignore-scripts=false', '--pack-destination', WORK_DIR],
		{
			cwd: REPO_ROOT,
			logFile: path.join(LOG_DIR, 'pack.log'),
			timeoutMs: 5 * 60_000,
		},
	);
	// prepack's build may print first; npm's JSON starts on a line of its own.
	const start = /^\[$/m.exec(result.stdout)?.index ?? -1;
	const [packed] = JSON.parse(result.stdout.slice(start)) as PackJson[];
	const tarball = path.join(WORK_DIR, packed.filename);
	const files = packed.files.map((file) => file.path);
	const manifest = JSON.parse(
		fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
	) as Manifest;
	const declaredNodes = manifest.n8n?.nodes ?? [];
	const declaredCredentials = manifest.n8n?.credentials ?? [];
	const missing = [...declaredNodes, ...declaredCredentials].filter(
		(file) => !files.includes(file),
	);
	const size = fs.statSync(tarball).size;
	detail(`${packed.filename}: ${files.length} files, ${(size / 1024).toFixed(0)} KiB`);
	return { tarball, version: packed.version, files, declaredNodes, declaredCredentials, missing };
}

/**
 * Installs the tarball the way n8n 2.x's own community-package installer does
 * (CommunityPackagesService.downloadPackage): unpack into
 * `<user folder>/.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its
 * package.json, `npm install` its production dependencies (none here) with scripts off, and list
 * it in `.n8n/nodes/package.json`.
 */
export async function installIntoCommunityFolder(
	packed: PackedPackage,
	env: NodeJS.ProcessEnv,
	userFolder = USER_FOLDER,
): Promise<string> {
	const communityNodesDir = communityNodesFolder(userFolder);
	const target = path.join(communityNodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	await run('tar', ['-xzf', packed.tarball, '-C', target, '--strip-components=1'], {
		timeoutMs: 60_000,
	});
	const manifestPath = path.join(target, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		fs.readFileSync(manifestPath, 'utf8'),
	) as Manifest & {
		devDependencies?: unknown;
		peerDependencies?: unknown;
		optionalDependencies?: unknown;
	};
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	if (manifest.name !== PACKAGE_NAME)
		throw new Error(`The tarball holds ${manifest.name}, expected ${PACKAGE_NAME}`);
	const dependencies = Object.keys(manifest.dependencies ?? {});
	if (dependencies.length > 0) {
		throw new Error(
			`The package declares runtime dependencies (${dependencies.join(', ')}); this package must have none`,
		);
	}
	if (packed.missing.length > 0 && manifest.n8n) {
		// A declared file that is not in the tarball stops n8n from loading the whole package. The
		// lane has already recorded each one as a failure; dropping them from the installed copy
		// lets the remaining checks run and report too.
		manifest.n8n.nodes = (manifest.n8n.nodes ?? []).filter(
			(file) => !packed.missing.includes(file),
		);
		manifest.n8n.credentials = (manifest.n8n.credentials ?? []).filter(
			(file) => !packed.missing.includes(file),
		);
		detail(
			`left ${packed.missing.length} missing file(s) out of the installed copy's n8n block so the rest can run (the lane fails regardless)`,
		);
	}
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');
	await run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: target, env, logFile: path.join(LOG_DIR, 'pack.log'), timeoutMs: 5 * 60_000 },
	);
	fs.writeFileSync(
		path.join(communityNodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } }, null, 2)}\n`,
	);
	detail(
		`installed into ${path.relative(REPO_ROOT, target)} (as n8n's community-package installer does)`,
	);
	return target;
}
