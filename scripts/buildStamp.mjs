// Remembers which sources dist/ was built from, so that a command that needs the built package
// builds it only when it is missing or out of date:
//
//   npm run build           clean, compile, copy assets, then `record` a fingerprint of the sources
//   npm run build:changed   `check` the fingerprint; build only when it differs (or dist/ is gone)
//
// `npm test`, `npm run demo`, `npm run bench` and `npm run test:e2e` use build:changed: each still
// builds on its own from a clean checkout, and CI, which runs them one after another after one
// `npm run build`, builds the package once instead of five times.
//
// The fingerprint is a SHA-256 of every file the build reads (path and content): credentials/,
// nodes/, lib/, icons/, the TypeScript, gulp and npm manifests and the lockfile (a new compiler
// is a new build). It lives in node_modules/.cache, so `npm ci` forgets it, and `clean` removes it
// together with dist/, so a build that failed half-way is never taken for a finished one.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const STAMP = path.join(ROOT, 'node_modules', '.cache', 'n8n-nodes-msp', 'build-sources.sha256');
const INPUT_FOLDERS = ['credentials', 'nodes', 'lib', 'icons'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'gulpfile.js'];

function files(folder) {
	const full = path.join(ROOT, folder);
	if (!fs.existsSync(full)) return [];
	return fs
		.readdirSync(full, { withFileTypes: true })
		.sort((a, b) => a.name.localeCompare(b.name))
		.flatMap((entry) => {
			const relative = path.join(folder, entry.name);
			return entry.isDirectory() ? files(relative) : [relative];
		});
}

function fingerprint() {
	const hash = createHash('sha256');
	for (const file of [...INPUT_FOLDERS.flatMap(files), ...INPUT_FILES]) {
		const full = path.join(ROOT, file);
		hash.update(`${file}\0`);
		hash.update(fs.existsSync(full) ? fs.readFileSync(full) : '(none)');
		hash.update('\0');
	}
	return hash.digest('hex');
}

/** What package.json tells n8n to load: built, or the package is not. */
function entryFiles() {
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
}

switch (process.argv[2]) {
	case 'record':
		fs.mkdirSync(path.dirname(STAMP), { recursive: true });
		fs.writeFileSync(STAMP, `${fingerprint()}\n`);
		break;
	case 'check': {
		const recorded = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
		const missing = entryFiles().filter((file) => !fs.existsSync(path.join(ROOT, file)));
		if (recorded && !missing.length && recorded === fingerprint()) {
			console.log('dist/ is up to date with the sources: not built again');
			break;
		}
		console.log(recorded ? 'dist/ is out of date: building' : 'dist/ is not built yet: building');
		process.exitCode = 1;
		break;
	}
	case 'clean':
		fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
		fs.rmSync(STAMP, { force: true });
		break;
	default:
		console.error('usage: node scripts/buildStamp.mjs record|check|clean');
		process.exitCode = 2;
}
