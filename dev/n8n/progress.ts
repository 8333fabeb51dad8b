/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */

/** Progress lines with durations, written straight to stdout (no console in this repo). */
const runStarted = Date.now();

export function seconds(ms: number): string {
	return ms >= 60_000
		? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
		: `${(ms / 1000).toFixed(1)} s`;
}

let label = 'e2e';

/** The name progress lines start with (`[e2e 1.2 s]`, `[try 1.2 s]`). */
export function setLabel(name: string): void {
	label = name;
}

export function say(line: string): void {
	process.stdout.write(`[${label} ${seconds(Date.now() - runStarted).padStart(8)}] ${line}\n`);
}

/** An indented detail line under the current step. */
export function detail(line: string): void {
	for (const part of line.split('\n')) process.stdout.write(`               ${part}\n`);
}

export interface StepRecord {
	name: string;
	status: 'passed' | 'failed' | 'skipped';
	durationMs: number;
	note?: string;
}

export const steps: StepRecord[] = [];

/**
 * Runs one step with a progress line and its duration. A step fails when it throws, or when
 * `problems()` (the lane's collected check failures) grew while it ran.
 */
export async function step<T>(
	name: string,
	body: () => Promise<T>,
	problems: () => number = () => 0,
): Promise<T> {
	const started = Date.now();
	const problemsBefore = problems();
	say(`> ${name}`);
	try {
		const result = await body();
		const durationMs = Date.now() - started;
		const added = problems() - problemsBefore;
		steps.push({ name, status: added > 0 ? 'failed' : 'passed', durationMs });
		say(
			`${added > 0 ? `FAILED (${added} problem${added > 1 ? 's' : ''})` : 'ok'} ${name} (${seconds(durationMs)})`,
		);
		return result;
	} catch (error) {
		const durationMs = Date.now() - started;
		steps.push({ name, status: 'failed', durationMs });
		say(`FAILED ${name} (${seconds(durationMs)})`);
		throw error;
	}
}

export function elapsed(): number {
	return Date.now() - runStarted;
}

/** Thrown by checks: the message says what was expected and what was found. */
export class CheckFailed extends Error {}

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailed(message);
}
