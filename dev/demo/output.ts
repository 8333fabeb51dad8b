/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- development tooling, never shipped in dist */
/** How the demo talks: numbered steps as they run, then plain-text tables. */

/**
 * A failure the demo explains itself (printed without a stack). `report` carries what the failing
 * section still has to show (the parts that worked), printed with the other sections' reports.
 */
export class DemoFailure extends Error {
	constructor(
		message: string,
		readonly report: string[] = [],
	) {
		super(message);
	}
}

export const out = (text = '') => process.stdout.write(`${text}\n`);

let stepNumber = 0;

/** Runs one step, printed as "[n] title ... done (s)". */
export async function step<T>(title: string, work: () => Promise<T>): Promise<T> {
	stepNumber++;
	const started = Date.now();
	process.stdout.write(`[${stepNumber}] ${title} ... `);
	const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
	try {
		const result = await work();
		out(`done (${seconds()} s)`);
		return result;
	} catch (error) {
		out(`FAILED (${seconds()} s)`);
		throw error;
	}
}

/** What a failure says in the demo's closing list: its own words, a stack only when unexpected. */
export function failureText(error: unknown): string {
	if (error instanceof DemoFailure) return error.message;
	if (error instanceof Error) return `${error.name}: ${error.message}`;
	return String(error);
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
