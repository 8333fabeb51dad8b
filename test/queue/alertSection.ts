import type { ExecutionResult } from '../../dev/n8n/n8n';
import { DATTO_ACCOUNT_LIMIT_WAITED_OUT } from '../../lib/transport/datto';
import { DATTO_ACCOUNT_READ_LIMIT } from '../../sandbox/datto/state';
import { detail, say, step } from '../../dev/n8n/progress';
import type { ImportedTemplate } from '../../dev/n8n/templates';
import { buildScenario, checkAlertState, describeState, stormLimits } from './alerts';
import type { AlertState, Delivery, Scenario, Task } from './alerts';
import { killWorker, startWorker, WORKER_CONCURRENCY } from './cluster';
import {
	alertOutcomes,
	describeFailure,
	failureDetails,
	postWebhook,
	settleExecutions,
} from './executions';
import type { ExecutionRow } from './executions';
import { percentile } from './figures';
import { breach, describeRoles } from './lane';
import type { QueueLane } from './lane';

/** How many tasks are sent at the same time. */
const CONCURRENCY = 16;
/** The worker is killed when this share of the deliveries has been sent. */
const KILL_AT = 0.4;
const SETTLE_TIMEOUT_MS = 10 * 60_000;

interface Sent {
	delivery: Delivery;
	entry: string;
	sentAt: number;
	answeredAt: number;
	status: number;
	error?: string;
}

async function send(entry: { name: string; url: string }, delivery: Delivery): Promise<Sent> {
	if (delivery.prepare) delivery.body = await delivery.prepare();
	const sentAt = Date.now();
	const answer = await postWebhook(entry.url, delivery.marker, delivery.body);
	return { delivery, entry: entry.name, sentAt, answeredAt: Date.now(), ...answer };
}

/**
 * The tasks through a pool of CONCURRENCY senders, alternating between the two production
 * webhook entry points (the main and the webhook processor); `onProgress` sees the share sent.
 */
async function deliverAll(
	lane: QueueLane,
	scenario: Scenario,
	webhookPath: string,
	onProgress: (share: number) => void,
): Promise<Sent[]> {
	const entries = [lane.cluster.webhook!, lane.cluster.main!].map((entry) => ({
		name: entry.name,
		url: `${entry.url}/webhook/${webhookPath}`,
	}));
	const sent: Sent[] = [];
	let next = 0;
	let turn = 0;
	const runTask = async (task: Task) => {
		if (task.burst) {
			const results = await Promise.all(
				task.deliveries.map(async (delivery) => {
					const entry = entries[turn++ % entries.length];
					return await send(entry, delivery);
				}),
			);
			sent.push(...results);
		} else
			for (const delivery of task.deliveries) {
				const entry = entries[turn++ % entries.length];
				sent.push(await send(entry, delivery));
			}
		onProgress(sent.length / scenario.deliveries);
	};
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < scenario.tasks.length) await runTask(scenario.tasks[next++]);
		}),
	);
	return sent;
}

/** How big the alert scenario is: CI's variant, or the issue's full load. */
export interface AlertSize {
	stormProblems: number;
	burst: number;
	targetDeliveries: number;
	/** Share of Autotask and Datto calls that fail or answer late while deliveries run. */
	faultRate: number;
}

export const ALERT_SIZES: Record<'ci' | 'full', AlertSize> = {
	ci: { stormProblems: 40, burst: 20, targetDeliveries: 0, faultRate: 0.05 },
	full: { stormProblems: 300, burst: 20, targetDeliveries: 1000, faultRate: 0.05 },
};

/**
 * Faults at `rate` of Autotask's and Datto's calls, spread over what can go wrong: the connection
 * cut before the vendor acts, a create or update that lands but whose answer is lost, 429 with
 * Retry-After, 503; and at twice `rate` of Autotask's ticket creates (a few dozen calls) an
 * answer held until the client's write timeout passed, the vendor acting after it ("late").
 */
function addFaults(lane: QueueLane, rate: number): void {
	for (const vendor of ['autotask', 'datto'] as const) {
		const share = rate / 5;
		lane.sandbox.faults.add({ vendor, kind: 'reset', rate: share });
		lane.sandbox.faults.add({ vendor, kind: 'resetAfter', method: 'POST', rate: share });
		lane.sandbox.faults.add({ vendor, kind: 'resetAfter', method: 'PATCH', rate: share });
		lane.sandbox.faults.add({
			vendor,
			kind: 'status',
			status: 429,
			retryAfterSeconds: 1,
			rate: share / 2,
		});
		lane.sandbox.faults.add({ vendor, kind: 'status', status: 503, rate: share / 2 });
	}
	lane.sandbox.faults.add({
		vendor: 'autotask',
		kind: 'late',
		method: 'POST',
		path: /\/Tickets$/i,
		rate: rate * 2,
	});
}

export async function alertSection(
	lane: QueueLane,
	template: ImportedTemplate,
	webhookPath: string,
	size: AlertSize,
	runBackstop: (label: string) => Promise<ExecutionResult>,
): Promise<void> {
	const limits = stormLimits(lane.nodeTypes.rmmAlertToTicket);
	const scenario = buildScenario(lane.sandbox, limits, { ...size, seed: 18 });
	const firstLaneTicketId =
		Math.max(
			0,
			...(lane.sandbox.dump().autotask.tickets as Array<{ id: number }>).map((t) => Number(t.id)),
		) + 1;
	detail(scenario.summary);
	detail(
		`storm limits (the node's defaults): ${limits.perDevice} per device, ${limits.perSite} per site`,
	);

	let killedAt: number | undefined;
	let restarted: Promise<unknown> | undefined;
	const worker = lane.cluster.workers[0];
	addFaults(lane, size.faultRate);
	detail(
		`faults: ${Math.round(size.faultRate * 100)}% of Autotask and Datto calls (resets before and after the vendor acted, 429, 503, creates answered after the write timeout)`,
	);
	const dattoFrom = lane.sandbox.log.entries.length;
	const started = Date.now();
	lane.meter.start();
	const sent = await step(
		`Deliver ${scenario.deliveries} webhooks concurrently (${CONCURRENCY} at a time) to the main and the webhook processor; SIGKILL ${worker.name} after ${Math.round(KILL_AT * 100)}% and restart it`,
		async () =>
			await deliverAll(lane, scenario, webhookPath, (share) => {
				if (share < KILL_AT || killedAt !== undefined) return;
				killedAt = Date.now();
				restarted = (async () => {
					await killWorker(worker);
					detail(
						`${worker.name} (pid ${worker.process.child.pid}) SIGKILLed at ${Math.round(share * 100)}% sent`,
					);
					const again = await startWorker(lane.cluster, 0);
					detail(
						`${worker.name} restarted in ${((Date.now() - killedAt!) / 1000).toFixed(1)} s (pid ${again.process.child.pid})`,
					);
				})();
			}),
	);
	await restarted;
	const refused = sent.filter((entry) => entry.status !== 200);
	const accepted = sent.length - refused.length;
	const sentDone = Date.now();

	const rows = await step(
		'Wait until every accepted delivery has a finished execution',
		async () => {
			const settled = await settleExecutions(lane, template.id, accepted, SETTLE_TIMEOUT_MS);
			detail(
				`${settled.length} executions in ${((Date.now() - sentDone) / 1000).toFixed(1)} s after the last delivery`,
			);
			return settled;
		},
	);
	const settledAt = Date.now();

	const datto = dattoUse(lane, dattoFrom, sent.length);
	detail(`Datto RMM: ${describeDattoUse(datto)}`);
	const injected = { ...lane.sandbox.faults.injected };
	// The backstop runs against a vendor that answers: it is the arbiter of the end state here.
	lane.sandbox.faults.clear();
	detail(
		`faults injected: ${Object.entries(injected)
			.map(([kind, count]) => `${kind} ${count}`)
			.join(', ')}`,
	);
	const before = checkAlertState(lane.sandbox, scenario, limits, firstLaneTicketId);
	detail(`PSA state before the backstop: ${describeState(before)}`);
	const outcomes = await alertOutcomes(lane, template.id);
	let after: AlertState = before;
	await step('The backstop once (Sync Open Alerts through the n8n CLI)', async () => {
		// A failed backstop is a broken invariant of its own; the state after it is still checked.
		try {
			const run = await runBackstop('Sync Open Alerts (backstop)');
			detail(`backstop run ${run.status ?? '?'}`);
		} catch (error) {
			lane.failures.push(
				`the backstop failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`,
			);
			detail('backstop run FAILED');
		}
		after = checkAlertState(lane.sandbox, scenario, limits, firstLaneTicketId);
		detail(`PSA state after the backstop: ${describeState(after)}`);
	});
	const figures = lane.meter.stop();

	// Executions: one per accepted delivery, each a success, or a failure the kill explains.
	const byMarker = new Map<string, ExecutionRow[]>();
	for (const row of rows)
		byMarker.set(row.marker ?? '?', [...(byMarker.get(row.marker ?? '?') ?? []), row]);
	const acceptedMarkers = sent
		.filter((entry) => entry.status === 200)
		.map((entry) => entry.delivery.marker);
	// A failed execution's stored data may no longer hold the delivery (n8n keeps the error), so
	// a delivery is lost when there are fewer executions than accepted deliveries.
	const lost = Math.max(0, accepted - rows.length);
	const twice = acceptedMarkers.filter((marker) => (byMarker.get(marker)?.length ?? 0) > 1);
	const statuses: Record<string, number> = {};
	for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
	// What the kill explains: executions queued before it that n8n marked crashed (their process
	// died) or failed because their job stalled, at most as many as the killed worker ran at once.
	const inFlightAtKill = (row: ExecutionRow) =>
		killedAt !== undefined &&
		row.createdAt <= killedAt &&
		(row.status === 'crashed' || (row.status === 'error' && row.stalled));
	const failed = rows.filter((row) => row.status !== 'success');
	// Every failed run says why (its failing node, error message and description), so a failure
	// the lane cannot explain explains itself in the report.
	const why = await failureDetails(
		lane,
		failed.map((row) => row.id),
	);
	const expected = failed.filter(inFlightAtKill).slice(0, WORKER_CONCURRENCY);
	// What the faults explain: the node applied what it could and failed the run naming the
	// deliveries it could not apply (after its retries), which is how a failed run must look.
	const reported = failed.filter(
		(row) => !expected.includes(row) && row.status === 'error' && row.reported,
	);
	// What Datto's account window explains: the delivery waited its 429s out for the node's three
	// windows and failed saying so; only when the sandbox's window did refuse reads (injected 429s
	// answer within a second, they cannot add up to that).
	const waitedOut = failed.filter(
		(row) =>
			datto.refused > 0 &&
			!expected.includes(row) &&
			!reported.includes(row) &&
			row.status === 'error' &&
			(why.get(row.id)?.message ?? '').includes(DATTO_ACCOUNT_LIMIT_WAITED_OUT),
	);
	const unexpected = failed.filter(
		(row) => !expected.includes(row) && !reported.includes(row) && !waitedOut.includes(row),
	);
	const fromKill = (row: ExecutionRow) =>
		killedAt ? ` created ${((row.createdAt - killedAt) / 1000).toFixed(1)} s from the kill` : '';
	for (const row of failed)
		detail(
			`execution #${row.id} ${row.status}${row.stalled ? ' (stalled)' : ''}${fromKill(row)}, ${
				expected.includes(row)
					? 'the kill'
					: reported.includes(row)
						? 'injected faults'
						: waitedOut.includes(row)
							? "Datto's account window, waited out for 180 s"
							: 'UNEXPLAINED'
			}: ${describeFailure(why.get(row.id))}`,
		);

	// Storm alerts deferred on purpose are accounted for, not lost: the execution of their delivery
	// succeeded and its output says the alert waits for the storm ticket's next note (the Storm Note
	// Interval), and the PSA shows that storm ticket open over the alert's device or site. The next
	// storm note or the backstop must then write them (checked after the backstop).
	const succeeded = new Set(rows.filter((row) => row.status === 'success').map((row) => row.id));
	const deferredTo = new Map<string, number>();
	for (const entry of outcomes)
		if (
			entry.decision === 'stormDeferred' &&
			succeeded.has(entry.executionId) &&
			entry.alertUid &&
			entry.ticketId !== undefined
		)
			deferredTo.set(entry.alertUid.toLowerCase(), entry.ticketId);
	const decisions: Record<string, number> = {};
	for (const entry of outcomes) decisions[entry.decision] = (decisions[entry.decision] ?? 0) + 1;
	const pending = [...before.unrecordedAlerts].filter(([uid, problem]) => {
		const storm = before.openStormTickets.get(deferredTo.get(uid.toLowerCase()) ?? -1);
		return (
			storm !== undefined &&
			storm.uid === (storm.level === 'device' ? problem.deviceUid : problem.siteUid)
		);
	});
	const pendingUids = new Set(pending.map(([uid]) => uid));
	const stillPending = pending.filter(([uid]) => after.unrecordedAlerts.has(uid));

	// A run that failed looks failed: every problem left without its ticket or note after the
	// deliveries (its storm alerts deferred on purpose aside) is explained by a delivery of it whose
	// execution did not succeed (or, for runs whose stored data lost the delivery, one such run each).
	const missing = new Set([
		...before.uncoveredProblems,
		...[...before.unrecordedAlerts]
			.filter(([uid]) => !pendingUids.has(uid))
			.map(([, problem]) => problem.id),
	]);
	const problemOfMarker = new Map(
		sent.map((entry) => [entry.delivery.marker, entry.delivery.label.split(' ')[0]]),
	);
	const failedProblems = new Set(
		failed.filter((row) => row.marker).map((row) => problemOfMarker.get(row.marker!)),
	);
	let unmarkedFailures = failed.filter((row) => !row.marker).length + lost;
	const looksGreen = [...missing].filter((problem) => {
		if (failedProblems.has(problem)) return false;
		if (unmarkedFailures > 0) {
			unmarkedFailures--;
			return false;
		}
		return true;
	});

	// Figures.
	const finished = new Map<string, number>();
	for (const row of rows) if (row.marker && row.stoppedAt) finished.set(row.marker, row.stoppedAt);
	const latencies = sent
		.filter((entry) => finished.has(entry.delivery.marker))
		.map((entry) => (finished.get(entry.delivery.marker)! - entry.sentAt) / 1000);
	const answers = sent.map((entry) => (entry.answeredAt - entry.sentAt) / 1000);
	// How long executions ran once a worker took them (Datto's 429s are waited out in here).
	const runTimes = rows
		.filter((row) => row.startedAt !== undefined && row.stoppedAt !== undefined)
		.map((row) => (row.stoppedAt! - row.startedAt!) / 1000);
	const runTime = `execution run time p50 ${percentile(runTimes, 0.5).toFixed(1)} s, p95 ${percentile(runTimes, 0.95).toFixed(1)} s, max ${Math.max(0, ...runTimes).toFixed(1)} s`;
	const lastStop = Math.max(...rows.map((row) => row.stoppedAt ?? 0));
	const executionsPerSecond = rows.length / Math.max(0.001, (lastStop - started) / 1000);
	const cpuTotal = figures.reduce((sum, entry) => sum + entry.cpuSeconds, 0);

	const failures = lane.failures;
	if (refused.length > 0)
		failures.push(
			`${refused.length} deliveries were not accepted, e.g. ${refused
				.slice(0, 3)
				.map((entry) => `${entry.delivery.label} → ${entry.entry}: ${entry.status || entry.error}`)
				.join('; ')}`,
		);
	if (lost > 0) failures.push(`${lost} accepted deliveries have no execution (lost)`);
	if (twice.length > 0)
		failures.push(
			`${twice.length} deliveries ran more than once, e.g. ${twice.slice(0, 5).join(', ')}`,
		);
	if (unexpected.length > 0)
		failures.push(
			`${unexpected.length} executions ended other than success and neither the worker kill (at most ${WORKER_CONCURRENCY} queued before it, crashed or stalled), the injected faults nor Datto's account window explains them, e.g. ${unexpected
				.slice(0, 5)
				.map(
					(row) =>
						`#${row.id} ${row.status}${row.stalled ? ' (stalled)' : ''}${fromKill(row)}: ${describeFailure(why.get(row.id))}`,
				)
				.join('; ')}`,
		);
	if (looksGreen.length > 0)
		failures.push(
			`${looksGreen.length} problems were left without their ticket or note although every execution of their deliveries succeeded (a failed run looked green), e.g. ${looksGreen.slice(0, 5).join(', ')}`,
		);
	if (stillPending.length > 0)
		failures.push(
			`${stillPending.length} storm alerts deferred to their storm ticket's next note were on no ticket and in no note after the backstop, e.g. ${stillPending
				.slice(0, 5)
				.map(
					([uid, problem]) =>
						`${problem.id} alert ${uid} (storm ticket ${deferredTo.get(uid.toLowerCase())})`,
				)
				.join(', ')}`,
		);
	for (const [kind, violation] of after.violations)
		breach(lane, `alerts.${kind}`, `after the backstop: ${violation}`);

	const summary = `${sent.length} deliveries (${accepted} accepted), ${rows.length} executions (${Object.entries(
		statuses,
	)
		.map(([status, count]) => `${status} ${count}`)
		.join(
			', ',
		)}; ${expected.length} failed by the worker kill, ${reported.length} by injected faults, each naming what it could not apply, ${waitedOut.length} by Datto's account window after 180 s), Datto reads refused by the account's window (${datto.limit} per ${datto.windowMs / 1000} s) ${datto.refused}, ${executionsPerSecond.toFixed(2)} exec/s, latency p50 ${percentile(latencies, 0.5).toFixed(1)} s p95 ${percentile(latencies, 0.95).toFixed(1)} s, ${(cpuTotal / Math.max(1, rows.length)).toFixed(3)} CPU s/exec; duplicates before/after backstop ${before.duplicates}/${after.duplicates}, uncovered ${before.uncovered}/${after.uncovered}, not completed ${before.notCompleted}/${after.notCompleted}, over storm limits ${before.overStormLimit}/${after.overStormLimit}, alerts unrecorded ${before.unrecorded}/${after.unrecorded} (of them storm alerts deferred on purpose ${pending.length}/${stillPending.length}), tickets taken by a technician ${after.takenProblems} (completed or not noted ${before.takenWrong}/${after.takenWrong})`;
	lane.summary.push(summary);
	lane.figures.push(
		`alerts: ${scenario.summary}`,
		`alerts: ${sent.length} deliveries sent in ${((sentDone - started) / 1000).toFixed(1)} s; all executions finished ${((settledAt - started) / 1000).toFixed(1)} s after the first; ${executionsPerSecond.toFixed(2)} executions/s`,
		`alerts: delivery → execution finished p50 ${percentile(latencies, 0.5).toFixed(1)} s, p95 ${percentile(latencies, 0.95).toFixed(1)} s; ${runTime}; webhook answered p50 ${(percentile(answers, 0.5) * 1000).toFixed(0)} ms, p95 ${(percentile(answers, 0.95) * 1000).toFixed(0)} ms`,
		...describeRoles(figures, rows.length).map((line) => `alerts: ${line}`),
		`alerts: Datto RMM (the account's ${datto.limit} reads per ${datto.windowMs / 1000} s, shared by every process${datto.limit === DATTO_ACCOUNT_READ_LIMIT ? '' : `; Datto's is ${DATTO_ACCOUNT_READ_LIMIT}, --datto-reads-per-minute`}): ${describeDattoUse(datto)}; executions failed on it after 180 s: ${waitedOut.length}`,
		`alerts: before the backstop: ${describeState(before)}`,
		`alerts: after the backstop: ${describeState(after)}`,
		`alerts: the alert node's outcomes: ${Object.entries(decisions)
			.sort(([, a], [, b]) => b - a)
			.map(([decision, count]) => `${decision} ${count}`)
			.join(', ')}`,
		`alerts: ${deferredTo.size} storm alerts deferred by the Storm Note Interval (successful executions); ${pending.length} of them still pending on their open storm ticket after the deliveries, ${stillPending.length} after the backstop; problems left without ticket or note otherwise: ${missing.size} (${missing.size - looksGreen.length} with a delivery whose execution failed, ${looksGreen.length} by green executions only)`,
	);
	say(`alerts: ${summary}`);
}

/** What the deliveries cost Datto RMM's account, from the sandbox's request log. */
interface DattoUse {
	deliveries: number;
	reads: number;
	writes: number;
	/** The most reads answered in any window. */
	peak: number;
	/** Requests the account's window refused (429s that were not injected faults). */
	refused: number;
	/** From the first refusal to the last, in seconds (0 without refusals). */
	refusingSeconds: number;
	limit: number;
	windowMs: number;
}

/**
 * What the deliveries cost Datto RMM's account (the sandbox keeps Datto's window for the whole
 * account, as Datto does): reads answered, writes, the most reads in any window, and the requests
 * the window refused.
 */
function dattoUse(lane: QueueLane, from: number, deliveries: number): DattoUse {
	const entries = lane.sandbox.log.entries
		.slice(from)
		.filter((entry) => entry.vendor === 'datto' && !entry.path.startsWith('/auth/'));
	const reads = entries.filter((entry) => entry.method === 'GET' && entry.status === 200);
	const writes = entries.filter((entry) => entry.method !== 'GET' && entry.status === 200);
	const refused = entries.filter((entry) => entry.status === 429 && !entry.fault);
	const windowMs = lane.sandbox.datto.config.windowMs;
	let peak = 0;
	for (let first = 0, last = 0; last < reads.length; last++) {
		while (reads[last].startedAt - reads[first].startedAt >= windowMs) first++;
		peak = Math.max(peak, last - first + 1);
	}
	return {
		deliveries,
		reads: reads.length,
		writes: writes.length,
		peak,
		refused: refused.length,
		refusingSeconds:
			refused.length > 0
				? (refused[refused.length - 1].startedAt - refused[0].startedAt) / 1000
				: 0,
		limit: lane.sandbox.datto.config.readLimit,
		windowMs,
	};
}

function describeDattoUse(use: DattoUse): string {
	return `${use.reads} reads answered (${(use.reads / Math.max(1, use.deliveries)).toFixed(2)} per delivery), ${use.writes} writes, at most ${use.peak} reads in ${use.windowMs / 1000} s (limit ${use.limit}), ${use.refused} requests refused by the account's window (429)${use.refused > 0 ? ` over ${use.refusingSeconds.toFixed(0)} s` : ''}`;
}
