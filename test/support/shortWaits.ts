/**
 * n8n-workflow with every `sleep` ten times shorter, for suites whose faults make the transport
 * wait out back-off and Retry-After delays that are not what they check (their end states are).
 * Requests, timeouts and the sandbox stay real; only the waits between retries shrink, so a run
 * that exhausts its retries still does (same attempts, same order). Not for suites whose creates
 * time out: the look-up of a create still in progress lasts a real-time window, and with short
 * pauses its last look comes earlier, so a write that lands late on a busy machine is missed
 * (test/reliability/faults.test.ts failed so in npm run test:stress). Use it as
 *
 *   jest.mock('n8n-workflow', () =>
 *     jest.requireActual<typeof import('../support/shortWaits')>('../support/shortWaits').n8nWorkflowWithShortWaits(),
 *   );
 */
export const WAIT_DIVISOR = 10;

export function n8nWorkflowWithShortWaits(): object {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return {
		...actual,
		sleep: async (ms: number) => await actual.sleep(ms / WAIT_DIVISOR),
	};
}
