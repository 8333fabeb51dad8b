import type { AlertKeyInfo } from './key';
import { byIdAscending, isOpen } from './tickets';
import type { TicketRecord } from './tickets';

/**
 * The storm guard: a device or site that raises more new problems within the window than its
 * limit gets one storm ticket, and its further alerts become notes on it.
 */

export type StormLevel = 'device' | 'site';

export interface StormLimits {
	windowMs: number;
	/** New tickets per device within the window; 0 = no limit. */
	perDevice: number;
	/** New tickets per site within the window; 0 = no limit. */
	perSite: number;
}

/** Whether a ticket is a problem ticket (not a storm ticket) created within the storm window. */
const inWindow = (ticket: TicketRecord, ctx: { now: number; storm: StormLimits }): boolean =>
	!ticket.key.storm &&
	ticket.createDate !== undefined &&
	ticket.createDate >= ctx.now - ctx.storm.windowMs;

/** The problems (problem prefixes) the device and the site opened tickets for within the storm window. */
export function recentProblems(
	tickets: TicketRecord[],
	key: Pick<AlertKeyInfo, 'sitePrefix' | 'devicePrefix'>,
	ctx: { now: number; storm: StormLimits },
): { device: Set<string>; site: Set<string> } {
	const device = new Set<string>();
	const site = new Set<string>();
	for (const ticket of tickets) {
		if (!inWindow(ticket, ctx) || ticket.key.sitePrefix !== key.sitePrefix) continue;
		site.add(ticket.key.problemPrefix);
		if (ticket.key.devicePrefix === key.devicePrefix) device.add(ticket.key.problemPrefix);
	}
	return { device, site };
}

/** How many problems the device and the site opened tickets for within the storm window. */
export function recentTicketCounts(
	tickets: TicketRecord[],
	key: Pick<AlertKeyInfo, 'sitePrefix' | 'devicePrefix'>,
	ctx: { now: number; storm: StormLimits },
): { device: number; site: number } {
	const problems = recentProblems(tickets, key, ctx);
	return { device: problems.device.size, site: problems.site.size };
}

/**
 * Storm state of a device and its site: the tickets already made in the window plus the new
 * problems this batch brings. A batch of 500 alerts from one device is a storm from its first
 * alert, so it yields one storm ticket, not `perDevice` tickets and then a storm ticket. A
 * device over its own limit is a device storm; the site is in a storm when its other devices
 * together go over the site limit (`pending.site` leaves out devices already in a storm).
 */
export function stormLevel(
	counts: { device: number; site: number },
	pending: { device: number; site: number },
	limits: StormLimits,
): StormLevel | undefined {
	if (limits.perDevice > 0 && counts.device + pending.device > limits.perDevice) return 'device';
	if (limits.perSite > 0 && counts.site + pending.site > limits.perSite) return 'site';
	return undefined;
}

/** The open storm tickets of an alert's device and of its site. */
export function stormTicketsCovering(
	key: AlertKeyInfo,
	tickets: TicketRecord[],
	ctx: { completeStatus: string },
): TicketRecord[] {
	return tickets
		.filter(
			(t) =>
				isOpen(t, ctx) &&
				((t.key.storm === 'device' && t.key.devicePrefix === key.devicePrefix) ||
					(t.key.storm === 'site' && t.key.sitePrefix === key.sitePrefix)),
		)
		.sort(byIdAscending);
}

/**
 * The storm level of every device of a batch's raised alerts (`keys`, in batch order): its
 * tickets within the window plus the new problems the batch brings (`newProblems`: device
 * prefix → the problem prefixes of alerts that would open a ticket).
 */
export function batchStormLevels(
	keys: AlertKeyInfo[],
	newProblems: Map<string, Set<string>>,
	tickets: TicketRecord[],
	ctx: { now: number; storm: StormLimits },
): Map<string, StormLevel | undefined> {
	// A new alert of a problem the window already counts brings no new problem.
	const pendingOf = (device: string, known: Set<string>) =>
		[...(newProblems.get(device) ?? [])].filter((problem) => !known.has(problem)).length;
	const deviceStorm = new Set<string>();
	for (const key of keys) {
		const counts = recentTicketCounts(tickets, key, ctx);
		const pending = pendingOf(key.devicePrefix, recentProblems(tickets, key, ctx).device);
		if (
			stormLevel(
				{ device: counts.device, site: 0 },
				{ device: pending, site: 0 },
				{ ...ctx.storm, perSite: 0 },
			) === 'device'
		)
			deviceStorm.add(key.devicePrefix);
	}
	const levels = new Map<string, StormLevel | undefined>();
	for (const key of keys) {
		if (levels.has(key.devicePrefix)) continue;
		// The site's pressure without the devices already contained by their own storm ticket.
		const known = recentProblems(tickets, key, ctx);
		let sitePending = 0;
		for (const device of newProblems.keys()) {
			if (device.startsWith(key.sitePrefix) && !deviceStorm.has(device))
				sitePending += pendingOf(device, known.site);
		}
		levels.set(
			key.devicePrefix,
			stormLevel(
				{ device: known.device.size, site: known.site.size },
				{
					device: pendingOf(key.devicePrefix, known.device),
					site: deviceStorm.has(key.devicePrefix) ? 0 : sitePending,
				},
				ctx.storm,
			),
		);
	}
	return levels;
}

/**
 * Tickets a storm limit did not let through, found after the fact (concurrent deliveries each
 * saw the device under its limit): within the window, a problem ticket stands when fewer than
 * `perDevice` problems of its device and fewer than `perSite` problems of its site opened a
 * ticket before it (by lowest id per problem). The open tickets of the later problems belong on
 * the storm ticket of their device (or, when only the site is over, of their site): the lowest-id
 * open storm ticket of that scope, if there is one yet.
 * See docs/adr/alert-eventual-uniqueness.md.
 */
export interface StormSurplus {
	level: StormLevel;
	/** The device prefix (device storms) or site prefix (site storms). */
	scope: string;
	stormTicket?: TicketRecord;
	/** Open problem tickets over the limit, lowest id first. */
	over: TicketRecord[];
}

export function stormSurplus(
	tickets: TicketRecord[],
	ctx: { now: number; completeStatus: string; storm: StormLimits },
	inScope: (ticket: TicketRecord) => boolean,
): StormSurplus[] {
	const { perDevice, perSite } = ctx.storm;
	if (perDevice <= 0 && perSite <= 0) return [];
	// The first ticket (lowest id) of every problem within the window, per device and per site.
	const firstOf = new Map<string, number>();
	for (const ticket of tickets) {
		if (!inWindow(ticket, ctx)) continue;
		const known = firstOf.get(ticket.key.problemPrefix);
		if (known === undefined || ticket.id < known) firstOf.set(ticket.key.problemPrefix, ticket.id);
	}
	const rankWithin = (prefix: string, problem: string): number => {
		const first = firstOf.get(problem)!;
		let rank = 1;
		for (const [other, id] of firstOf)
			if (other.startsWith(prefix) && (id < first || (id === first && other < problem))) rank++;
		return rank;
	};
	const out = new Map<string, StormSurplus>();
	for (const ticket of [...tickets].sort(byIdAscending)) {
		if (!inWindow(ticket, ctx) || !isOpen(ticket, ctx) || !inScope(ticket)) continue;
		const { devicePrefix, sitePrefix, problemPrefix } = ticket.key;
		let level: StormLevel | undefined;
		if (perDevice > 0 && rankWithin(devicePrefix, problemPrefix) > perDevice) level = 'device';
		else if (perSite > 0 && rankWithin(sitePrefix, problemPrefix) > perSite) level = 'site';
		if (!level) continue;
		const scope = level === 'device' ? devicePrefix : sitePrefix;
		const entry = out.get(`${level}|${scope}`) ?? {
			level,
			scope,
			stormTicket: tickets
				.filter(
					(t) =>
						t.key.storm === level &&
						isOpen(t, ctx) &&
						(level === 'device' ? t.key.devicePrefix : t.key.sitePrefix) === scope,
				)
				.sort(byIdAscending)[0],
			over: [],
		};
		entry.over.push(ticket);
		out.set(`${level}|${scope}`, entry);
	}
	return [...out.values()];
}
