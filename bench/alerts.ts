/**
 * The alert path (measure 5): workflows/datto-rmm-alerts-to-autotask-tickets.json through
 * n8n's WorkflowExecute against the sandbox (default seed), calls counted in its request log
 * (Autotask and Datto; token and zone look-ups reported apart).
 *
 * The RMM node's caches (Datto sites, configuration items, ticket field metadata, the site's
 * alert tickets, the assignee) live for ONE execution. "Warm caches" therefore means: several
 * alerts in one execution (a webhook batch, or Sync Open Alerts), the calls divided by the alerts,
 * so that what one alert filled is reused by the next. "Cold" means one webhook per execution,
 * the way Datto delivers them one by one. The sandbox, template and executions: alertHarness.ts.
 */
import type { Sandbox } from '../sandbox';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { seedDevice, variedProblem } from '../dev/alertProblems';
import { backstop, deliver, expectOnly, MODES, withHarness } from './alertHarness';
import type { AlertMode, AlertModeName, AlertPsa, Harness } from './alertHarness';
import { AUTH_PATH, breakdown, round } from './measure';

export type { AlertModeName, AlertPsa } from './alertHarness';

export const AUTOTASK_HOURLY_BUDGET = 10_000;

export interface PerAlertCalls {
	/** Alerts measured and the calls they took (auth excluded), per alert. */
	alerts: number;
	newCalls: number;
	repeatCalls: number;
	resolveCalls: number;
}

export interface StormResult {
	alerts: number;
	/** The template's set-up (see AlertModeName) and the PSA its tickets go to. */
	mode: AlertModeName;
	psa: AlertPsa;
	/** One device, or a site's devices taking turns. */
	scope: 'device' | 'site';
	devices: number;
	/** How they arrived: all in one execution, or one execution per webhook. */
	delivery: 'one execution' | 'one execution per webhook';
	ticketsCreated: number;
	stormTickets: number;
	/** Ordinary (problem) tickets created before the first storm ticket. */
	ticketsBeforeStorm: number;
	notes: number;
	/** Notes on storm tickets, and the storm's wall-clock minutes (the target: at most one a minute). */
	stormTicketNotes: number;
	stormMinutes: number;
	decisions: Record<string, number>;
	/** PSA calls (Autotask or ConnectWise), token, zone and codebase look-ups apart. */
	psaCalls: number;
	dattoCalls: number;
	perAlert: { psa: number; datto: number };
	/** Share of the Autotask hourly budget the deliveries took (ConnectWise publishes none: undefined). */
	budgetShare?: number;
	/** The most Autotask requests the sandbox counted in its rolling hour, and its 429s for the budget. */
	autotaskPeakHour: number;
	budgetRefusals: number;
	wallMs: number;
	/** One Sync Open Alerts run after the storm: what it wrote and cost. */
	backstop: { notes: number; ticketsCreated: number; psaCalls: number; dattoCalls: number };
	/** Storm alerts that after the backstop neither a ticket's key nor a note names (the goal: 0). */
	unaccounted: number;
	/** Where the calls went ("vendor METHOD /path" → calls), token and zone look-ups included. */
	byRoute: Record<string, number>;
}

export interface AlertsBench {
	/** Several alerts in one execution, per PSA (the "now" set-up). */
	warm: Record<AlertPsa, PerAlertCalls & { devices: number; problemsPerDevice: number }>;
	/** One webhook per execution, per mode. */
	cold: Record<AlertModeName, PerAlertCalls>;
	storms: StormResult[];
	contractViolations: number;
	/** What "warm", "cold" and the modes mean here. */
	definitions: { warm: string; cold: string; now: string; before: string; connectwise: string };
}

/** New, repeat and resolve of the same problems: all in one execution each (warm), or one webhook per execution (cold). */
async function perAlert(
	h: Harness,
	devices: string[],
	problemsPerDevice: number,
	tag: string,
	batched: boolean,
): Promise<PerAlertCalls> {
	const problems = devices.flatMap((prefix) =>
		Array.from({ length: problemsPerDevice }, (_, n) => ({
			uid: seedDevice(h.sandbox, prefix),
			context: variedProblem(n, tag),
		})),
	);
	const raise = () =>
		problems.map(
			(p) => h.sandbox.datto.raiseAlert({ deviceUid: p.uid, alertContext: p.context }).alertUid,
		);
	const run = async (uids: string[], event: 'raised' | 'resolved', decision: string) => {
		const batches = batched ? [uids] : uids.map((uid) => [uid]);
		let calls = 0;
		for (const batch of batches) {
			const outcome = await deliver(h, batch, event);
			expectOnly(outcome.decisions, decision, batch.length, `${tag} ${event}`);
			calls += outcome.calls;
		}
		return round(calls / uids.length, 2);
	};
	const fresh = raise();
	const newCalls = await run(fresh, 'raised', 'created');
	const repeats = raise();
	const repeatCalls = await run(repeats, 'raised', 'repeatNoted');
	// The problem is over: both alerts resolve in Datto, and the ticket's own alert's webhook completes it.
	for (const uid of [...fresh, ...repeats]) h.sandbox.datto.resolveAlert(uid);
	const resolveCalls = await run(fresh, 'resolved', 'completed');
	return { alerts: problems.length, newCalls, repeatCalls, resolveCalls };
}

/** The device uids of a storm: one device, or `devices` of one site (added to the site as needed). */
function stormDevices(sandbox: Sandbox, prefix: string, devices: number): string[] {
	const first = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix));
	if (!first) throw new Error(`The default seed has no Datto device ${prefix}`);
	if (devices <= 1) return [first.uid];
	const ofSite = sandbox.datto.devices.filter((d) => d.siteUid === first.siteUid);
	for (let i = ofSite.length; i < devices; i++) {
		const uid = `5170${String(i).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
		const clone = {
			...structuredClone(first),
			uid,
			hostname: `STORM-WS${String(i).padStart(3, '0')}`,
		};
		if ('id' in clone) (clone as { id: number }).id = 900_000 + i;
		sandbox.datto.devices.push(clone);
		ofSite.push(clone);
	}
	return ofSite.slice(0, devices).map((d) => d.uid);
}

/** Every alert ticket and note the PSA holds, by the alert uids they name. */
function accountedAlerts(h: Harness, alertUids: string[]): number {
	const named = new Set<string>();
	for (const ticket of h.psa.tickets()) {
		const uid = ticket.key?.alertUid;
		if (uid) named.add(uid.toLowerCase());
	}
	const text = h.psa
		.notes()
		.map((note) => note.text)
		.join('\n')
		.toLowerCase();
	return alertUids.filter((uid) => named.has(uid.toLowerCase()) || text.includes(uid.toLowerCase()))
		.length;
}

async function storm(
	h: Harness,
	prefix: string,
	count: number,
	delivery: StormResult['delivery'],
	devices = 1,
): Promise<StormResult> {
	// What the seed's own alerts need is done first, so the backstop after the storm is the storm's.
	await backstop(h);
	h.sandbox.datto.resetRateWindows();
	const uids = stormDevices(h.sandbox, prefix, devices);
	// A site's devices take turns (an outage across the site); one device raises them all. One
	// webhook per execution: each alert is raised in Datto just before its webhook arrives.
	const raise = (i: number) =>
		h.sandbox.datto.raiseAlert({
			deviceUid: uids[i % uids.length],
			alertContext: variedProblem(Math.floor(i / uids.length), `Storm${prefix}`),
		}).alertUid;
	const oneByOne = delivery !== 'one execution';
	const alerts: string[] = oneByOne ? [] : Array.from({ length: count }, (_, i) => raise(i));
	const ticketsBefore = new Set(h.psa.tickets().map((t) => t.id));
	const notesBefore = h.psa.notes().length;
	const refusalsBefore = h.sandbox.log.count({ vendor: 'autotask', status: 429 });
	let peak = 0;
	const decisions: Record<string, number> = {};
	let psaCalls = 0;
	let dattoCalls = 0;
	const from = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const started = performance.now();
	const batches = oneByOne
		? Array.from({ length: count }, (_, i) => () => {
				alerts.push(raise(i));
				return [alerts[i]];
			})
		: [() => alerts];
	for (const next of batches) {
		const outcome = await deliver(h, next(), 'raised');
		for (const [decision, n] of Object.entries(outcome.decisions))
			decisions[decision] = (decisions[decision] ?? 0) + n;
		psaCalls += outcome.psa;
		dattoCalls += outcome.datto;
		peak = Math.max(peak, h.sandbox.autotask.requestTimes.length);
	}
	const wallMs = Math.round(performance.now() - started);
	const byRoute = breakdown(h.sandbox.log.entries.filter((entry) => entry.seq > from)).byRoute;
	const created = h.psa
		.tickets()
		.filter((t) => !ticketsBefore.has(t.id))
		.sort((a, b) => a.id - b.id);
	const isStorm = (t: { key?: { storm?: unknown } }) => t.key?.storm !== undefined;
	const firstStorm = created.findIndex(isStorm);
	const stormIds = new Set(created.filter(isStorm).map((t) => t.id));
	const notesAfterStorm = h.psa.notes().length;

	const backstopFrom = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const ticketsBeforeBackstop = h.psa.tickets().length;
	await backstop(h);
	const backstopEntries = h.sandbox.log.entries.filter((entry) => entry.seq > backstopFrom);
	return {
		alerts: count,
		mode: h.mode.name,
		psa: h.mode.psa,
		scope: devices > 1 ? 'site' : 'device',
		devices: uids.length,
		delivery,
		ticketsCreated: created.length,
		stormTickets: stormIds.size,
		ticketsBeforeStorm: firstStorm < 0 ? created.length : firstStorm,
		notes: notesAfterStorm - notesBefore,
		stormTicketNotes: h.psa
			.notes()
			.slice(notesBefore, notesAfterStorm)
			.filter((note) => stormIds.has(note.ticketId)).length,
		stormMinutes: round(wallMs / 60_000, 2),
		decisions,
		psaCalls,
		dattoCalls,
		perAlert: { psa: round(psaCalls / count, 2), datto: round(dattoCalls / count, 2) },
		budgetShare:
			h.mode.psa === 'autotask' ? round(psaCalls / AUTOTASK_HOURLY_BUDGET, 3) : undefined,
		autotaskPeakHour: peak,
		budgetRefusals: h.sandbox.log.count({ vendor: 'autotask', status: 429 }) - refusalsBefore,
		wallMs,
		backstop: {
			notes: h.psa.notes().length - notesAfterStorm,
			ticketsCreated: h.psa.tickets().length - ticketsBeforeBackstop,
			psaCalls: backstopEntries.filter((e) => e.vendor === h.mode.psa && !AUTH_PATH.test(e.path))
				.length,
			dattoCalls: backstopEntries.filter((e) => e.vendor === 'datto' && !/oauth/i.test(e.path))
				.length,
		},
		unaccounted: count - accountedAlerts(h, alerts),
		byRoute,
	};
}

/** One measure of the benchmark on its own (the call-budget tests pin them). */
export async function benchColdCalls(
	pkg: LoadedPackage,
	mode: AlertModeName,
): Promise<{ calls: PerAlertCalls; contractViolations: number }> {
	const done = await withHarness(
		pkg,
		MODES[mode],
		async (h) => await perAlert(h, ['5423870e', '233cb1dd', 'aaeab3d6'], 1, 'Cold', false),
	);
	return { calls: done.value, contractViolations: done.contractViolations };
}

export async function benchStorm(
	pkg: LoadedPackage,
	options: { mode: AlertModeName; alerts: number; devices?: number },
): Promise<StormResult & { contractViolations: number }> {
	const done = await withHarness(pkg, MODES[options.mode], async (h) => {
		h.sandbox.datto.config.readLimit = Number.MAX_SAFE_INTEGER;
		return await storm(
			h,
			options.devices && options.devices > 1 ? '1d7d3962' : '51db25bc',
			options.alerts,
			'one execution per webhook',
			options.devices ?? 1,
		);
	});
	return { ...done.value, contractViolations: done.contractViolations };
}

export async function benchAlerts(
	pkg: LoadedPackage,
	options: { stormSize?: number; oneByOneStormSize?: number; siteDevices?: number } = {},
): Promise<AlertsBench> {
	let contractViolations = 0;
	const measure = async <T>(mode: AlertMode, fn: (h: Harness) => Promise<T>): Promise<T> => {
		const done = await withHarness(pkg, mode, fn);
		contractViolations += done.contractViolations;
		return done.value;
	};
	// Three Contoso HQ servers, three problems each: under the default storm limits (3 per device, 10 per site).
	const warmDevices = ['1d7d3962', '63ebc7f7', '3f2fc960'];
	const warmOf = async (mode: AlertMode) => ({
		...(await measure(mode, async (h) => await perAlert(h, warmDevices, 3, 'Warm', true))),
		devices: warmDevices.length,
		problemsPerDevice: 3,
	});
	const warm = { autotask: await warmOf(MODES.now), connectwise: await warmOf(MODES.connectwise) };
	// One problem on each of three retail tills, one webhook per execution.
	const tills = ['5423870e', '233cb1dd', 'aaeab3d6'];
	const coldOf = async (mode: AlertMode) =>
		await measure(mode, async (h) => await perAlert(h, tills, 1, 'Cold', false));
	const cold = {
		before: await coldOf(MODES.before),
		now: await coldOf(MODES.now),
		connectwise: await coldOf(MODES.connectwise),
	};

	const size = options.stormSize ?? 1000;
	const oneByOne = options.oneByOneStormSize ?? size;
	const siteDevices = options.siteDevices ?? 50;
	const storms: StormResult[] = [];
	storms.push(
		await measure(MODES.now, async (h) => await storm(h, '0bccf47d', size, 'one execution')),
	);
	// One webhook per execution: Datto's 600 reads a minute would spread them over minutes of
	// throttling waits; lifted here so the run stays short (the calls are counted).
	for (const mode of [MODES.before, MODES.now, MODES.connectwise]) {
		storms.push(
			await measure(mode, async (h) => {
				h.sandbox.datto.config.readLimit = Number.MAX_SAFE_INTEGER;
				return await storm(h, '51db25bc', oneByOne, 'one execution per webhook');
			}),
		);
		storms.push(
			await measure(mode, async (h) => {
				h.sandbox.datto.config.readLimit = Number.MAX_SAFE_INTEGER;
				return await storm(h, '1d7d3962', oneByOne, 'one execution per webhook', siteDevices);
			}),
		);
	}

	return {
		warm,
		cold,
		storms,
		contractViolations,
		definitions: {
			warm: "several alerts in one execution (the node's caches of sites, configuration items, ticket metadata and the site's alert tickets live for one execution): calls of the execution / alerts; 3 devices x 3 problems",
			cold: 'one webhook per execution, as Datto delivers them: every execution starts with empty caches (token and zone already in the credential)',
			now: "the Autotask template set up as the README says: a shared secret in the webhook URL, the customer map on the Customer Map inputs (no Datto site read), the source and priorities picked from the tenant's lists (no ticket field metadata read), the node's other defaults (Storm Note Interval 60 s)",
			before:
				'the path as it ran when issue 19 was filed, measured in the same run: unsigned deliveries (each alert read from Datto first), no customer map (the Datto site read for its company), nothing picked (the ticket field metadata read per execution), a note on the storm ticket per delivery (Storm Note Interval 0)',
			connectwise:
				"the ConnectWise template set up as 'now': a shared secret, the customer map (connectwiseCompanyId), the board, its status for new tickets and the priorities picked by id, the MSP's own company as catch-all",
		},
	};
}
