import type { Sandbox } from '../../sandbox';
import type { Scenario } from '../../sandbox/scenario';
import type { CredentialStore } from '../runner/credentials';
import type { StaticDataStore, WorkflowResult } from '../runner/engine';
import type { LoadedPackage } from '../runner/nodeTypes';
import { DemoFailure } from './output';

/** What every section of the demo works with: one sandbox, the built package, one n8n's storage. */
export interface DemoContext {
	sandbox: Sandbox;
	pkg: LoadedPackage;
	credentials: CredentialStore;
	/** The workflows' static data, kept between runs as n8n keeps it. */
	staticData: StaticDataStore;
	scenario: Scenario;
}

/**
 * One part of the demo: runs its steps (each printed as it runs), fails with a DemoFailure when
 * the outcome is wrong, and returns its report (lines, ending with a blank one), printed after
 * every section has run.
 */
export type DemoSection = (demo: DemoContext) => Promise<string[]>;

/** The sandbox's request log position: the calls after it are the next run's. */
export function lastSeq(sandbox: Sandbox): number {
	return sandbox.log.entries[sandbox.log.entries.length - 1]?.seq ?? 0;
}

export function callsByVendor(sandbox: Sandbox, fromSeq: number): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of sandbox.log.entries) {
		if (entry.seq <= fromSeq) continue;
		counts[entry.vendor] = (counts[entry.vendor] ?? 0) + 1;
	}
	return counts;
}

/** The run failed, or one of `nodes` returned error items (continue on fail). */
export function failIfErrored(
	result: WorkflowResult,
	nodes: readonly string[],
	what: string,
): void {
	if (result.status !== 'success') {
		throw new DemoFailure(
			`${what} did not finish: ${result.error?.message ?? result.status}${result.error?.description ? ` (${result.error.description})` : ''}`,
		);
	}
	for (const node of nodes) {
		const errors = result.json(node).filter((json) => json.error);
		if (errors.length)
			throw new DemoFailure(
				`${what}: "${node}" reported ${errors.length} error(s), first: ${String(errors[0].error)}`,
			);
	}
}
