/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/** How the demo talks: numbered steps as they run, then plain-text tables. */

/** A failure the demo explains itself (printed without a stack). */
export class DemoFailure extends Error {}

export const out = (text = '') => process.stdout.write(`${text}\n`);

let stepNumber = 0;

/** Runs one step, printed as "[n] title ... done (s)". */
export async function step<T>(title: string, work: () => Promise<T>): Promise<T> {
	stepNumber++;
	const started = Date.now();
	process.stdout.write(`[${stepNumber}] ${title} ... `);
	const result = await work();
	out(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return result;
}

/** Rows (the first one the header) as indented lines, every column as wide as its widest cell. */
export function table(rows: string[][]): string[] {
	const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
	return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`);
}

/** "graph 2, autotask 103". */
export function formatCalls(calls: Record<string, number>): string {
	return Object.entries(calls)
		.map(([vendor, count]) => `${vendor} ${count}`)
		.join(', ');
}
