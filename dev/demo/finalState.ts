import type { Sandbox } from '../../sandbox';
import { DemoFailure, step } from './output';

/** Every request and answer of the run kept to the vendors' OpenAPI documents. */
export function checkContracts(sandbox: Sandbox): void {
	if (sandbox.contractViolations.length) {
		throw new DemoFailure(
			`${sandbox.contractViolations.length} request(s) or response(s) broke the vendors' API contracts, first: ${JSON.stringify(sandbox.contractViolations[0])}`,
		);
	}
}

export function contractSummary(sandbox: Sandbox): string {
	return `Contract checks: ${sandbox.log.count()} requests and responses validated against the vendors' OpenAPI documents, 0 violations.`;
}

/** `--out DIR`: the sandbox's final state, in the seed layout (it can seed the next run). */
export async function writeFinalState(sandbox: Sandbox, outDir: string | undefined): Promise<void> {
	if (outDir)
		await step(`Writing the sandbox's final state to ${outDir}`, async () =>
			sandbox.dumpTo(outDir),
		);
}
