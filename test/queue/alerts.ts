/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { parseAlertKey } from '../../lib/alerts/key';
import { RESOLVED_NOTE_TITLE } from '../../lib/alerts/notes';
import type { Sandbox } from '../../sandbox/index';

/**
 * The alert scenario of the queue lane, and the PSA state it must end in.
 *
 * The scenario is made from the sandbox's devices and sites (never from knowledge of the default
 * seed): new problems across devices and sites within the storm limits, each raise delivered one
 * to three times, repeats of a problem (a second alert), resolves after and before their raise
 * (some after a technician took the ticket), 20 deliveries of one alert at the same moment, and a
 * storm of distinct problems on one device.
 * Every delivery is a task for a pool of concurrent senders; a task's deliveries go in order.
 *
 * The checks read only the PSA (Autotask tickets, through the sandbox) and Datto's alerts: which
 * alerts are open says which problems are open, and each ticket's key says which alert it tracks.
 */

/** How long a resolve that follows its raise waits for the raise's ticket before Datto resolves anyway. */
const RESOLVE_WAIT_MS = 120_000;

/** Autotask's system status Complete. */
const COMPLETE = 5;

export interface StormLimits {
	perDevice: number;
	perSite: number;
}

/** The node's own defaults for the storm limits (the template leaves them unset). */
export function stormLimits(alertNode: INodeType | undefined): StormLimits {
	const defaults = new Map<string, unknown>();
	const walk = (properties: INodeProperties[] | undefined) => {
		for (const property of properties ?? []) {
			if (!defaults.has(property.name)) defaults.set(property.name, property.default);
			for (const option of (property.options ?? []) as Array<INodeProperties | object>)
				if ('name' in option && 'type' in option) walk([option as INodeProperties]);
		}
	};
	walk(alertNode?.description.properties);
	const perDevice = Number(defaults.get('stormPerDevice'));
	const perSite = Number(defaults.get('stormPerSite'));
	if (!Number.isFinite(perDevice) || !Number.isFinite(perSite))
		throw new Error('RMM Alert to Ticket has no stormPerDevice / stormPerSite option defaults');
	return { perDevice, perSite };
}

export interface Problem {
	id: string;
	deviceUid: string;
	siteUid: string;
	alerts: string[];
	kind: 'new' | 'burst' | 'storm';
	/**
	 * A technician takes the problem's ticket (assigns it to themselves) after it exists and
	 * before its resolve is delivered: the resolve must leave it open with a note, not complete it.
	 */
	taken?: boolean;
	/** The ticket the technician took. */
	takenTicket?: number;
}

export interface Delivery {
	/** Unique per delivery: sent as ?delivery=<marker> and found again in the execution's data. */
	marker: string;
	label: string;
	body: Record<string, unknown>;
	/**
	 * For a resolve that follows its raise: makes Datto resolve the alert when the delivery is due
	 * (once the problem's ticket exists, as in production, where a resolve comes minutes later)
	 * and returns the webhook body Datto sends then.
	 */
	prepare?: () => Promise<Record<string, unknown>>;
}

/** Deliveries sent one after another; a burst's are sent all at once. */
export interface Task {
	deliveries: Delivery[];
	burst?: boolean;
}

export interface Scenario {
	problems: Problem[];
	tasks: Task[];
	deliveries: number;
	summary: string;
}

/** A small seeded generator, so a run can be repeated. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

function shuffle<T>(items: T[], next: () => number): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
	return items;
}

export interface ScenarioOptions {
	stormProblems: number;
	burst: number;
	seed: number;
	/**
	 * Add repeats (a further alert of an open problem, delivered on its own) until the scenario has
	 * this many deliveries; 0 for none beyond the one-in-three the new problems get anyway.
	 */
	targetDeliveries: number;
}

export function buildScenario(
	sandbox: Sandbox,
	limits: StormLimits,
	options: ScenarioOptions,
): Scenario {
	const datto = sandbox.datto;
	// A technician of the tenant (an active employee with a service desk role), read from the PSA.
	const technician = (sandbox.dump().autotask.resources as Array<Record<string, unknown>>).find(
		(resource) =>
			resource.isActive === true &&
			resource.resourceType === 'Employee' &&
			resource.defaultServiceDeskRoleID !== null &&
			resource.defaultServiceDeskRoleID !== undefined,
	);
	if (!technician) throw new Error('the sandbox has no active Autotask employee with a role');
	const devices = (sandbox.dump().datto.devices as Array<Record<string, unknown>>)
		.filter((device) => typeof device.siteUid === 'string' && device.siteUid !== '')
		.map((device) => ({ uid: String(device.uid), siteUid: String(device.siteUid) }))
		.sort((a, b) => a.siteUid.localeCompare(b.siteUid) || a.uid.localeCompare(b.uid));
	const bySite = new Map<string, string[]>();
	for (const device of devices)
		bySite.set(device.siteUid, [...(bySite.get(device.siteUid) ?? []), device.uid]);
	const stormSite = [...bySite.entries()].find(([, uids]) => uids.length >= 2)?.[0];
	if (!stormSite) throw new Error('the sandbox has no site with two devices for the storm');
	const stormDevice = bySite.get(stormSite)![0];

	let markers = 0;
	let problemCount = 0;
	const problems: Problem[] = [];
	const tasks: Task[] = [];
	const delivery = (label: string, body: unknown): Delivery => ({
		marker: `qlane-d${String(++markers).padStart(5, '0')}`,
		label,
		body: body as Record<string, unknown>,
	});
	const raise = (deviceUid: string, siteUid: string, kind: Problem['kind']): Problem => {
		const id = `QueueLane-P${String(++problemCount).padStart(3, '0')}`;
		const problem: Problem = { id, deviceUid, siteUid, alerts: [], kind };
		problems.push(problem);
		return problem;
	};
	const raiseAlert = (problem: Problem): Record<string, unknown> => {
		datto.takeOutbox();
		const alert = datto.raiseAlert({
			deviceUid: problem.deviceUid,
			alertContext: { '@class': 'srvc_status_ctx', serviceName: problem.id, status: 'STOPPED' },
			priority: 'High',
		});
		problem.alerts.push(alert.alertUid);
		const [entry] = datto.takeOutbox();
		return entry.body as Record<string, unknown>;
	};
	const resolveWhenTicketed = async (
		problem: Problem,
		alertUid: string,
	): Promise<Record<string, unknown>> => {
		const deadline = Date.now() + RESOLVE_WAIT_MS;
		const ticketed = () =>
			sandbox.autotask.tickets.some((ticket) => {
				const uid = parseAlertKey(ticket.externalID)?.alertUid;
				return uid !== undefined && problem.alerts.includes(uid);
			});
		while (!ticketed() && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 500));
		if (problem.taken && problem.takenTicket === undefined) {
			// As a person does in Autotask: the one open ticket they see (the lowest id), assigned to
			// themselves, which is activity on it.
			const [ticket] = sandbox.autotask.tickets
				.filter((row) => {
					const key = parseAlertKey(row.externalID);
					return (
						key?.alertUid !== undefined &&
						!key.storm &&
						problem.alerts.includes(key.alertUid) &&
						Number(row.status) !== COMPLETE
					);
				})
				.sort((a, b) => Number(a.id) - Number(b.id));
			if (ticket) {
				Object.assign(ticket, {
					assignedResourceID: technician.id,
					assignedResourceRoleID: technician.defaultServiceDeskRoleID,
					lastActivityDate: sandbox.autotask.now().toISOString(),
				});
				problem.takenTicket = Number(ticket.id);
			} else problem.taken = false; // e.g. its raise died with the killed worker: nothing to take
		}
		datto.takeOutbox();
		datto.resolveAlert(alertUid);
		const [entry] = datto.takeOutbox();
		return entry.body as Record<string, unknown>;
	};
	const resolveAll = (problem: Problem): Array<Record<string, unknown>> => {
		datto.takeOutbox();
		for (const uid of problem.alerts) datto.resolveAlert(uid);
		return datto.takeOutbox().map((entry) => entry.body as Record<string, unknown>);
	};

	// New problems: below both limits, so that every one of them must get its own ticket.
	// Per device at most perDevice - 1; per site at most perSite - 1, less what the storm device's
	// own tickets (up to perDevice) take from its site.
	const perDevice = Math.max(1, Math.min(2, limits.perDevice - 1));
	let index = 0;
	for (const [siteUid, uids] of bySite) {
		let budget = limits.perSite - 1 - (siteUid === stormSite ? limits.perDevice : 0);
		for (const deviceUid of uids) {
			if (deviceUid === stormDevice) continue;
			for (let n = 0; n < perDevice && budget > 0; n++, budget--) {
				const problem = raise(deviceUid, siteUid, 'new');
				const body = raiseAlert(problem);
				const copies = (index % 3) + 1; // the same body up to three times
				const task: Task = {
					deliveries: Array.from({ length: copies }, (_, copy) =>
						delivery(`${problem.id} raised${copy ? ` (again ${copy})` : ''}`, body),
					),
				};
				if (index % 7 === 5) {
					// A resolve that overtakes its raise: Datto resolved it, the resolve is delivered first.
					const [resolved] = resolveAll(problem);
					task.deliveries.unshift(delivery(`${problem.id} resolved before its raise`, resolved));
				} else {
					if (index % 3 === 1)
						task.deliveries.push(delivery(`${problem.id} repeat`, raiseAlert(problem)));
					if (index % 4 === 2) {
						// Every other problem resolved after its ticket exists is taken by a technician first.
						problem.taken = index % 8 === 2;
						for (const alertUid of [...problem.alerts])
							task.deliveries.push({
								...delivery(`${problem.id} resolved`, {}),
								prepare: async () => await resolveWhenTicketed(problem, alertUid),
							});
					}
				}
				tasks.push(task);
				index++;
			}
		}
	}
	const newProblems = problems.length;

	// Repeats up to the target: open problems (no resolve planned) take turns, each repeat is a
	// task of its own, so it may overtake its problem's first raise as Datto's retries do.
	const resolving = new Set(
		tasks
			.filter((task) => task.deliveries.some((entry) => entry.label.includes('resolved')))
			.map((task) => task.deliveries[0].label.split(' ')[0]),
	);
	const open = problems.filter((problem) => !resolving.has(problem.id));
	let planned = tasks.reduce((sum, task) => sum + task.deliveries.length, 0);
	const rest = options.burst + options.stormProblems;
	for (let turn = 0; open.length > 0 && planned + rest < options.targetDeliveries; turn++) {
		const problem = open[turn % open.length];
		tasks.push({ deliveries: [delivery(`${problem.id} repeat`, raiseAlert(problem))] });
		planned++;
	}

	// One alert delivered `burst` times at the same moment, on a device with room for one more.
	const quiet = problems.find((problem) => problem.kind === 'new');
	if (!quiet) throw new Error('the sandbox has no device for new problems');
	const burstProblem = raise(quiet.deviceUid, quiet.siteUid, 'burst');
	// Its device now has perDevice problems at most (perDevice - 1 new ones plus this one).
	const burstBody = raiseAlert(burstProblem);
	tasks.push({
		burst: true,
		deliveries: Array.from({ length: options.burst }, (_, n) =>
			delivery(`${burstProblem.id} burst ${n + 1}/${options.burst}`, burstBody),
		),
	});

	// A storm: many distinct problems on one device.
	for (let n = 0; n < options.stormProblems; n++) {
		const problem = raise(stormDevice, stormSite, 'storm');
		tasks.push({ deliveries: [delivery(`${problem.id} storm`, raiseAlert(problem))] });
	}

	shuffle(tasks, random(options.seed));
	const deliveries = tasks.reduce((sum, task) => sum + task.deliveries.length, 0);
	return {
		problems,
		tasks,
		deliveries,
		summary: `${newProblems} new problems on ${new Set(problems.filter((p) => p.kind === 'new').map((p) => p.deviceUid)).size} devices at ${new Set(problems.filter((p) => p.kind === 'new').map((p) => p.siteUid)).size} sites (each raise delivered 1-3 times, repeats, resolves after and before their raise), one alert delivered ${options.burst} times at once, a storm of ${options.stormProblems} problems on one device: ${deliveries} deliveries in ${tasks.length} tasks`,
	};
}

export interface AlertState {
	/** Open tickets beyond the first, summed over problems (duplicates left). */
	duplicates: number;
	/** Open problems with neither their own open ticket nor an open storm ticket covering them. */
	uncovered: number;
	/** Problems whose every alert is resolved but that still have an open ticket. */
	notCompleted: number;
	/** Tickets beyond the storm limits (per device, per site), and extra open storm tickets. */
	overStormLimit: number;
	/** Open alerts whose uid is on no ticket and in no note. */
	unrecorded: number;
	/** Problems whose ticket a technician took before the resolve. */
	takenProblems: number;
	/** Of them: the taken ticket completed, or no note of the resolve on it. */
	takenWrong: number;
	/** Open problems with no open ticket of their own and no open storm ticket of their device or site. */
	uncoveredProblems: Set<string>;
	/** Open alerts on no ticket and in no note: alert uid → its problem. */
	unrecordedAlerts: Map<string, Problem>;
	/** Open storm tickets by id: the device (device storm) or site (site storm) they cover. */
	openStormTickets: Map<number, { level: 'device' | 'site'; uid: string }>;
	openProblems: number;
	resolvedProblems: number;
	ticketsCreated: number;
	stormTickets: number;
	/** Each broken invariant: its kind (duplicate, uncovered, notCompleted, storm, unrecorded) and what was seen. */
	violations: Array<[string, string]>;
}

/**
 * The PSA state against Datto's truth, for the lane's problems:
 * - exactly one open ticket per open problem (its own, or an open storm ticket of its device or
 *   site), never two of its own;
 * - no open ticket for a problem whose alerts are all resolved;
 * - per device at most perDevice, per site at most perSite open tickets that are not storm
 *   tickets, and at most one open storm ticket per device and per site.
 */
export function checkAlertState(
	sandbox: Sandbox,
	scenario: Scenario,
	limits: StormLimits,
	firstLaneTicketId: number,
): AlertState {
	const dump = sandbox.dump();
	const alerts = new Map(
		(dump.datto.alerts as Array<Record<string, unknown>>).map((alert) => [
			String(alert.alertUid),
			alert,
		]),
	);
	const problemOf = new Map<string, Problem>();
	for (const problem of scenario.problems)
		for (const uid of problem.alerts) problemOf.set(uid, problem);

	const own = new Map<string, number[]>();
	const stormByDevice = new Map<string, number[]>();
	const stormBySite = new Map<string, number[]>();
	const createdByDevice = new Map<string, number>();
	const createdBySite = new Map<string, number>();
	const openStormTickets: AlertState['openStormTickets'] = new Map();
	let ticketsCreated = 0;
	let stormTickets = 0;
	for (const ticket of dump.autotask.tickets as Array<Record<string, unknown>>) {
		const key = parseAlertKey(ticket.externalID);
		const problem = key?.alertUid ? problemOf.get(key.alertUid) : undefined;
		if (!key || !problem) continue;
		const id = Number(ticket.id);
		const open = Number(ticket.status) !== COMPLETE;
		if (id >= firstLaneTicketId) ticketsCreated++;
		if (key.storm) {
			stormTickets++;
			if (!open) continue;
			const map = key.storm === 'device' ? stormByDevice : stormBySite;
			const where = key.storm === 'device' ? problem.deviceUid : problem.siteUid;
			map.set(where, [...(map.get(where) ?? []), id]);
			openStormTickets.set(id, { level: key.storm, uid: where });
			continue;
		}
		// The limits bound the problem tickets that stand: a ticket folded into its storm ticket (or
		// completed by its resolve) no longer counts.
		if (id >= firstLaneTicketId && open) {
			createdByDevice.set(problem.deviceUid, (createdByDevice.get(problem.deviceUid) ?? 0) + 1);
			createdBySite.set(problem.siteUid, (createdBySite.get(problem.siteUid) ?? 0) + 1);
		}
		if (open) own.set(problem.id, [...(own.get(problem.id) ?? []), id]);
	}

	const state: AlertState = {
		duplicates: 0,
		uncovered: 0,
		notCompleted: 0,
		overStormLimit: 0,
		unrecorded: 0,
		takenProblems: 0,
		takenWrong: 0,
		uncoveredProblems: new Set(),
		unrecordedAlerts: new Map(),
		openStormTickets,
		openProblems: 0,
		resolvedProblems: 0,
		ticketsCreated,
		stormTickets,
		violations: [],
	};
	const examples = new Map<string, string[]>();
	const note = (kind: string, text: string) => {
		const list = examples.get(kind) ?? [];
		if (list.length < 3) list.push(text);
		examples.set(kind, list);
	};
	for (const problem of scenario.problems) {
		const open = problem.alerts.some((uid) => alerts.get(uid)?.resolved !== true);
		const tickets = own.get(problem.id) ?? [];
		if (tickets.length > 1) {
			state.duplicates += tickets.length - 1;
			note('duplicate', `${problem.id}: open tickets ${tickets.join(', ')}`);
		}
		if (open) {
			state.openProblems++;
			const covered =
				tickets.length > 0 ||
				(stormByDevice.get(problem.deviceUid)?.length ?? 0) > 0 ||
				(stormBySite.get(problem.siteUid)?.length ?? 0) > 0;
			if (!covered) {
				state.uncovered++;
				state.uncoveredProblems.add(problem.id);
				note(
					'uncovered',
					`${problem.id} (${problem.kind}) is open in Datto and has no open ticket`,
				);
			}
		} else {
			state.resolvedProblems++;
			// The ticket a technician took stays open; any other open ticket of the problem is left over.
			const left = tickets.filter((id) => id !== problem.takenTicket);
			if (left.length > 0) {
				state.notCompleted++;
				note(
					'notCompleted',
					`${problem.id}: resolved in Datto, ticket ${left.join(', ')} still open`,
				);
			}
		}
		const taken = problem.takenTicket;
		if (problem.taken && taken !== undefined) {
			state.takenProblems++;
			const noted = (dump.autotask.ticketNotes as Array<Record<string, unknown>>).some(
				(row) => Number(row.ticketID) === taken && row.title === RESOLVED_NOTE_TITLE,
			);
			if (!tickets.includes(taken)) {
				state.takenWrong++;
				note('taken', `${problem.id}: ticket ${taken}, taken by a technician, was completed`);
			} else if (!open && !noted) {
				state.takenWrong++;
				note(
					'taken',
					`${problem.id}: ticket ${taken}, taken by a technician, has no '${RESOLVED_NOTE_TITLE}' note`,
				);
			}
		}
	}
	// No open alert without its ticket or note: its uid is on a ticket (key, title, description)
	// or in a note of one.
	const mentioned = new Set<string>();
	const texts = [
		...(dump.autotask.tickets as Array<Record<string, unknown>>).flatMap((ticket) => [
			ticket.externalID,
			ticket.title,
			ticket.description,
		]),
		...(dump.autotask.ticketNotes as Array<Record<string, unknown>>).flatMap((note) => [
			note.title,
			note.description,
		]),
	].join('\n');
	for (const uid of problemOf.keys()) if (texts.includes(uid)) mentioned.add(uid);
	for (const problem of scenario.problems)
		for (const uid of problem.alerts) {
			if (alerts.get(uid)?.resolved === true || mentioned.has(uid)) continue;
			state.unrecorded++;
			state.unrecordedAlerts.set(uid, problem);
			note('unrecorded', `${problem.id} alert ${uid} is on no ticket and in no note`);
		}
	for (const [device, count] of createdByDevice)
		if (count > limits.perDevice) {
			state.overStormLimit += count - limits.perDevice;
			note('storm', `device ${device}: ${count} open problem tickets (limit ${limits.perDevice})`);
		}
	for (const [site, count] of createdBySite)
		if (count > limits.perSite) {
			state.overStormLimit += count - limits.perSite;
			note('storm', `site ${site}: ${count} open problem tickets (limit ${limits.perSite})`);
		}
	for (const [what, map] of [
		['device', stormByDevice],
		['site', stormBySite],
	] as const)
		for (const [where, ids] of map)
			if (ids.length > 1) {
				state.overStormLimit += ids.length - 1;
				note('storm', `${what} ${where}: open storm tickets ${ids.join(', ')}`);
			}

	const counts: Record<string, number> = {
		duplicate: state.duplicates,
		uncovered: state.uncovered,
		notCompleted: state.notCompleted,
		storm: state.overStormLimit,
		unrecorded: state.unrecorded,
		taken: state.takenWrong,
	};
	const wording: Record<string, string> = {
		duplicate: 'duplicate open tickets (more than one open ticket for one problem)',
		uncovered: 'open problems without an open ticket',
		notCompleted: 'resolved problems whose ticket is still open',
		storm: 'tickets beyond the storm limits',
		unrecorded: 'open alerts on no ticket and in no note',
		taken: 'tickets a technician took that the resolve completed or did not note',
	};
	for (const [kind, list] of examples)
		state.violations.push([kind, `${counts[kind]} ${wording[kind]}, e.g. ${list.join('; ')}`]);
	return state;
}

export function describeState(state: AlertState): string {
	return `open problems ${state.openProblems}, resolved ${state.resolvedProblems}; tickets created ${state.ticketsCreated} (storm ${state.stormTickets}); duplicates ${state.duplicates}, uncovered ${state.uncovered}, not completed ${state.notCompleted}, over storm limits ${state.overStormLimit}, alerts unrecorded ${state.unrecorded}; taken by a technician ${state.takenProblems} (completed or not noted ${state.takenWrong})`;
}
