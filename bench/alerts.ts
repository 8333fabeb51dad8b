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
import { parseAlertKey } from '../lib/alerts/key';
import type { Sandbox } from '../sandbox';
import type { LoadedPackage } from '../dev/runner/nodeTypes';
import { backstop, deliver, device, expectOnly, MODES, problem, withHarness } from './alertHarness';
import type { AlertMode, AlertModeName, Harness } from './alertHarness';
import { breakdown, round } from './measure';

export type { AlertModeName } from './alertHarness';

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
	/** The template's set-up (see AlertModeName). */
	mode: AlertModeName;
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
	autotaskCalls: number;
	dattoCalls: number;
	perAlert: { autotask: number; datto: number };
	/** Share of the Autotask hourly budget the deliveries took. */
	budgetShare: number;
	/** The most Autotask requests the sandbox counted in its rolling hour, and its 429s for the budget. */
	autotaskPeakHour: number;
	budgetRefusals: number;
	wallMs: number;
	/** One Sync Open Alerts run after the storm: what it wrote and cost. */
	backstop: { notes: number; ticketsCreated: number; autotaskCalls: number; dattoCalls: number };
	/** Storm alerts that after the backstop neither a ticket's key nor a note names (the goal: 0). */
	unaccounted: number;
	/** Where the calls went ("vendor METHOD /path" → calls), token and zone look-ups included. */
	byRoute: Record<string, number>;
}

export interface AlertsBench {
	warm: PerAlertCalls & { devices: number; problemsPerDevice: number };
	/** One webhook per execution, per mode. */
	cold: Record<AlertModeName, PerAlertCalls>;
	storms: StormResult[];
	contractViolations: number;
	/** What "warm", "cold" and the modes mean here. */
	definitions: { warm: string; cold: string; now: string; before: string };
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
			uid: device(h.sandbox, prefix),
			context: problem(tag, n),
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

/** Every open alert ticket and note the sandbox holds, by the alert uids they name. */
function accountedAlerts(sandbox: Sandbox, alertUids: string[]): number {
	const named = new Set<string>();
	for (const ticket of sandbox.autotask.tickets) {
		const uid = parseAlertKey(ticket.externalID)?.alertUid;
		if (uid) named.add(uid.toLowerCase());
	}
	const text = sandbox.autotask.ticketNotes
		.map((note) => String(note.description ?? ''))
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
			alertContext: problem(`Storm${prefix}`, Math.floor(i / uids.length)),
		}).alertUid;
	const oneByOne = delivery !== 'one execution';
	const alerts: string[] = oneByOne ? [] : Array.from({ length: count }, (_, i) => raise(i));
	const ticketsBefore = new Set(h.sandbox.autotask.tickets.map((t) => Number(t.id)));
	const notesBefore = h.sandbox.autotask.ticketNotes.length;
	const refusalsBefore = h.sandbox.log.count({ vendor: 'autotask', status: 429 });
	let peak = 0;
	const decisions: Record<string, number> = {};
	let autotaskCalls = 0;
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
		autotaskCalls += outcome.autotask;
		dattoCalls += outcome.datto;
		peak = Math.max(peak, h.sandbox.autotask.requestTimes.length);
	}
	const wallMs = Math.round(performance.now() - started);
	const byRoute = breakdown(h.sandbox.log.entries.filter((entry) => entry.seq > from)).byRoute;
	const created = h.sandbox.autotask.tickets
		.filter((t) => !ticketsBefore.has(Number(t.id)))
		.sort((a, b) => Number(a.id) - Number(b.id));
	const isStorm = (t: { externalID?: unknown }) => parseAlertKey(t.externalID)?.storm !== undefined;
	const firstStorm = created.findIndex(isStorm);
	const stormIds = new Set(created.filter(isStorm).map((t) => Number(t.id)));
	const notesAfterStorm = h.sandbox.autotask.ticketNotes.length;

	const backstopFrom = h.sandbox.log.entries.at(-1)?.seq ?? 0;
	const ticketsBeforeBackstop = h.sandbox.autotask.tickets.length;
	await backstop(h);
	const backstopEntries = h.sandbox.log.entries.filter((entry) => entry.seq > backstopFrom);
	return {
		alerts: count,
		mode: h.mode.name,
		scope: devices > 1 ? 'site' : 'device',
		devices: uids.length,
		delivery,
		ticketsCreated: created.length,
		stormTickets: stormIds.size,
		ticketsBeforeStorm: firstStorm < 0 ? created.length : firstStorm,
		notes: notesAfterStorm - notesBefore,
		stormTicketNotes: h.sandbox.autotask.ticketNotes
			.slice(notesBefore, notesAfterStorm)
			.filter((note) => stormIds.has(Number(note.ticketID))).length,
		stormMinutes: round(wallMs / 60_000, 2),
		decisions,
		autotaskCalls,
		dattoCalls,
		perAlert: { autotask: round(autotaskCalls / count, 2), datto: round(dattoCalls / count, 2) },
		budgetShare: round(autotaskCalls / AUTOTASK_HOURLY_BUDGET, 3),
		autotaskPeakHour: peak,
		budgetRefusals: h.sandbox.log.count({ vendor: 'autotask', status: 429 }) - refusalsBefore,
		wallMs,
		backstop: {
			notes: h.sandbox.autotask.ticketNotes.length - notesAfterStorm,
			ticketsCreated: h.sandbox.autotask.tickets.length - ticketsBeforeBackstop,
			autotaskCalls: backstopEntries.filter(
				(e) => e.vendor === 'autotask' && !/ZoneInformation/i.test(e.path),
			).length,
			dattoCalls: backstopEntries.filter((e) => e.vendor === 'datto' && !/oauth/i.test(e.path))
				.length,
		},
		unaccounted: count - accountedAlerts(h.sandbox, alerts),
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
	const warm = await measure(
		MODES.now,
		async (h) => await perAlert(h, warmDevices, 3, 'Warm', true),
	);
	// One problem on each of three retail tills, one webhook per execution.
	const tills = ['5423870e', '233cb1dd', 'aaeab3d6'];
	const cold = {
		before: await measure(MODES.before, async (h) => await perAlert(h, tills, 1, 'Cold', false)),
		now: await measure(MODES.now, async (h) => await perAlert(h, tills, 1, 'Cold', false)),
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
	for (const mode of [MODES.before, MODES.now]) {
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
		warm: { ...warm, devices: warmDevices.length, problemsPerDevice: 3 },
		cold,
		storms,
		contractViolations,
		definitions: {
			warm: "several alerts in one execution (the node's caches of sites, configuration items, ticket metadata and the site's alert tickets live for one execution): calls of the execution / alerts; 3 devices x 3 problems",
			cold: 'one webhook per execution, as Datto delivers them: every execution starts with empty caches (token and zone already in the credential)',
			now: 'the template as its notes say: a shared secret in the webhook URL, the node defaults (Storm Note Interval 60 s)',
			before:
				'the path as it ran when issue 19 was filed, measured in the same run: unsigned deliveries (each alert read from Datto first), a note on the storm ticket per delivery (Storm Note Interval 0)',
		},
	};
}
