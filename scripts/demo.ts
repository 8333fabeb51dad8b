/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * `npm run demo`: the package's main job, end to end, without real tenants.
 *
 * Starts the vendor sandbox, loads the BUILT package the way n8n loads a community package,
 * runs the template workflows from workflows/ through n8n's execution engine (credentials
 * pointed at the sandbox), prints what they did, runs them again to show that nothing changes,
 * and exits 0 — or prints what went wrong and exits 1.
 *
 *   --seed DIR   a vendor-native seed folder (see sandbox/README.md); DIR/scenario.json optional
 *   --out DIR    write the sandbox's final state there, in the seed layout
 *
 * Each section lives in dev/demo/ and runs in the order listed here, against the same sandbox.
 */
import { alertSection } from '../dev/demo/alerts';
import { contactSyncSection } from '../dev/demo/contactSync';
import { customerContactsSection } from '../dev/demo/customerContacts';
import { customersSection } from '../dev/demo/customers';
import { deviceSection } from '../dev/demo/devices';
import { DemoFailure, out } from '../dev/demo/output';
import { runDemo } from '../dev/demo/run';
import { SeedError } from '../sandbox';

runDemo(process.argv.slice(2), [
	contactSyncSection,
	customerContactsSection,
	alertSection,
	deviceSection,
	customersSection,
]).then(
	() => process.exit(0),
	(error: unknown) => {
		out();
		// A failure the demo or the seed loader explains (file, field) is printed without a stack.
		if (error instanceof DemoFailure || error instanceof SeedError) {
			process.stderr.write(`Demo failed: ${error.message}\n`);
		} else {
			process.stderr.write(
				`Demo failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
		}
		process.exit(1);
	},
);
