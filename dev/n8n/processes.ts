/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every process and resource the lane starts is registered here, so that success, failure and
 * Ctrl-C all end them. Children run in their own process group (detached) and are ended as a
 * group: n8n starts task-runner children, npm starts node-gyp, and none of them may outlive us.
 */
type Cleanup = { name: string; run: () => Promise<void> | void };

const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();

export function onCleanup(name: string, run: Cleanup['run']): () => void {
	const entry = { name, run };
	cleanups.push(entry);
	return () => {
		const index = cleanups.indexOf(entry);
		if (index >= 0) cleanups.splice(index, 1);
	};
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM the process group, then SIGKILL what is left after the grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		signalGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const killed = new Promise<void>((resolve) => {
			timer = setTimeout(() => {
				signalGroup(child, 'SIGKILL');
				resolve();
			}, graceMs);
		});
		await Promise.race([exited(child), killed]);
		if (timer) clearTimeout(timer);
		await exited(child);
	}
	// Members of the group that ignored the parent's exit.
	signalGroup(child, 'SIGKILL');
	children.delete(child);
}

let cleaning: Promise<void> | undefined;

/** Ends everything still registered, newest first. Safe to call more than once. */
export function cleanupAll(): Promise<void> {
	cleaning ??= (async () => {
		while (cleanups.length > 0) {
			const entry = cleanups.pop()!;
			try {
				await entry.run();
			} catch (error) {
				process.stderr.write(`cleanup of ${entry.name} failed: ${(error as Error).message}\n`);
			}
		}
		await Promise.all([...children].map(async (child) => await stopProcess(child, 5_000)));
	})();
	return cleaning;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Appends stdout and stderr here as they come. */
	logFile?: string;
	timeoutMs?: number;
	/** Resolve even on a non-zero exit. */
	allowFailure?: boolean;
	/** Written to stdin, then stdin is closed. */
	input?: string;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export class CommandError extends Error {
	constructor(
		message: string,
		readonly result: RunResult,
	) {
		super(message);
	}
}

function tail(text: string, lines = 40): string {
	const all = text.trimEnd().split('\n');
	return all.slice(-lines).join('\n');
}

export function describeCommand(command: string, args: string[]): string {
	return [command, ...args]
		.map((part) => (/\s/.test(part) ? JSON.stringify(part) : part))
		.join(' ');
}

function openLog(logFile: string | undefined, header: string): fs.WriteStream | undefined {
	if (!logFile) return undefined;
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const stream = fs.createWriteStream(logFile, { flags: 'a' });
	stream.write(`\n$ ${header}\n`);
	return stream;
}

/** Runs a command to its end; rejects with the output's tail on a non-zero exit or timeout. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const header = describeCommand(command, args);
	const log = openLog(options.logFile, header);
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		detached: true,
		stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
	});
	children.add(child);
	if (options.input !== undefined) child.stdin!.end(options.input);
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		log?.write(chunk);
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		log?.write(chunk);
	});
	let timedOut = false;
	const timer =
		options.timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					void stopProcess(child, 2_000);
				}, options.timeoutMs);

	return new Promise((resolve, reject) => {
		child.once('error', (error) => {
			if (timer) clearTimeout(timer);
			children.delete(child);
			log?.end();
			reject(new Error(`Could not start ${header}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			children.delete(child);
			// Grandchildren left in the group (none expected) go with it.
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// group already empty
				}
			}
			log?.end();
			const result: RunResult = { code, signal, stdout, stderr, durationMs: Date.now() - started };
			if (timedOut) {
				reject(
					new CommandError(
						`Timed out after ${Math.round(options.timeoutMs! / 1000)} s: ${header}\n${tail(stdout + stderr)}`,
						result,
					),
				);
			} else if (code !== 0 && !options.allowFailure) {
				reject(
					new CommandError(
						`Exit ${code ?? signal}: ${header}${options.logFile ? `\n(full output: ${options.logFile})` : ''}\n${tail(`${stdout}\n${stderr}`)}`,
						result,
					),
				);
			} else {
				resolve(result);
			}
		});
	});
}

export interface LongRunning {
	child: ChildProcess;
	logFile: string;
	/** Everything written so far. */
	output(): string;
	/** Rejects as soon as the process exits (for racing against readiness polls). */
	exited: Promise<never>;
	stop(): Promise<void>;
}

/** Starts a server process whose output goes to a log file; it is stopped on cleanup. */
export function startProcess(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string; name: string },
): LongRunning {
	const log = openLog(options.logFile, describeCommand(command, args))!;
	let output = '';
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	const append = (chunk: Buffer) => {
		output += chunk.toString();
		log.write(chunk);
	};
	child.stdout!.on('data', append);
	child.stderr!.on('data', append);
	const exited = new Promise<never>((_resolve, reject) => {
		child.once('error', (error) =>
			reject(new Error(`${options.name} could not start: ${error.message}`)),
		);
		child.once('exit', (code, signal) =>
			reject(
				new Error(
					`${options.name} exited (${code ?? signal}); log: ${options.logFile}\n${tail(output)}`,
				),
			),
		);
	});
	exited.catch(() => undefined);
	let stopped: Promise<void> | undefined;
	const handle: LongRunning = {
		child,
		logFile: options.logFile,
		output: () => output,
		exited,
		stop: () => {
			stopped ??= stopProcess(child).then(() => {
				log.end();
			});
			return stopped;
		},
	};
	onCleanup(options.name, handle.stop);
	return handle;
}

export { tail };
