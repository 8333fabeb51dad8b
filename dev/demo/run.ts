/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import { CredentialStore } from '../runner/credentials';
import { StaticDataStore } from '../runner/engine';
import { loadBuiltPackage, PACKAGE_ROOT } from '../runner/nodeTypes';
import { parseArgs, scenarioOf } from './args';
import type { DemoContext, DemoSection } from './context';
import { checkContracts, contractSummary, writeFinalState } from './finalState';
import { DemoFailure, failureText, out, step } from './output';

/**
 * The demo over one seed: the sandbox started from it, the built package loaded, each section run
 * in order against the same sandbox, then the contract check, the final state (--out) and every
 * section's report.
 */
export async function runDemo(argv: string[], sections: DemoSection[]): Promise<void> {
	const args = parseArgs(argv);
	const scenario = scenarioOf(args.seedDir);
	out(
		'n8n-nodes-msp demo: the template workflows through the n8n engine, against the local vendor sandbox',
	);
	out(`seed: ${path.relative(process.cwd(), args.seedDir) || args.seedDir}`);
	out();

	const sandbox = await step(
		'Starting the Autotask, ConnectWise, Microsoft Graph and Datto RMM sandbox',
		async () => await startSandbox({ seedDir: args.seedDir }),
	);
	try {
		const pkg = await step(
			'Loading the built package as n8n loads a community package (dist/)',
			async () => await loadBuiltPackage(PACKAGE_ROOT),
		);
		const demo: DemoContext = {
			sandbox,
			pkg,
			credentials: new CredentialStore(pkg.credentialTypes, sandbox.credentials),
			staticData: new StaticDataStore(),
			scenario,
		};
		// Every section runs and --out is written whatever failed; only then does the demo fail,
		// naming everything that went wrong (a failing item must leave its state to inspect).
		const reports: string[][] = [];
		const failures: string[] = [];
		for (const section of sections) {
			try {
				reports.push(await section(demo));
			} catch (error) {
				if (error instanceof DemoFailure) reports.push(error.report);
				failures.push(failureText(error));
			}
		}
		try {
			checkContracts(sandbox);
		} catch (error) {
			failures.push(failureText(error));
		}
		await writeFinalState(sandbox, args.outDir);

		out();
		for (const line of reports.flat()) out(line);
		if (failures.length) {
			throw new DemoFailure(
				[
					`${failures.length} part(s) of the demo failed${args.outDir ? ` (the final state is in ${args.outDir})` : ''}:`,
					...failures.map((failure) => `  - ${failure}`),
				].join('\n'),
			);
		}
		out(contractSummary(sandbox));
		out('Second runs changed nothing: the workflows are safe to re-run and to deliver twice.');
	} finally {
		await sandbox.stop();
	}
}
