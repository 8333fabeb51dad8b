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

/** How many new (non-storm) tickets the device and the site got within the storm window. */
export function recentTicketCounts(
	tickets: TicketRecord[],
	key: AlertKeyInfo,
	ctx: { now: number; storm: StormLimits },
): { device: number; site: number } {
	const since = ctx.now - ctx.storm.windowMs;
	let device = 0;
	let site = 0;
	for (const ticket of tickets) {
		if (ticket.key.storm || ticket.createDate === undefined || ticket.createDate < since) continue;
		if (ticket.key.sitePrefix !== key.sitePrefix) continue;
		site++;
		if (ticket.key.devicePrefix === key.devicePrefix) device++;
	}
	return { device, site };
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
	const deviceStorm = new Set<string>();
	for (const key of keys) {
		const counts = recentTicketCounts(tickets, key, ctx);
		const pending = newProblems.get(key.devicePrefix)?.size ?? 0;
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
		let sitePending = 0;
		for (const [device, problems] of newProblems) {
			if (device.startsWith(key.sitePrefix) && !deviceStorm.has(device))
				sitePending += problems.size;
		}
		const counts = recentTicketCounts(tickets, key, ctx);
		levels.set(
			key.devicePrefix,
			stormLevel(
				counts,
				{
					device: newProblems.get(key.devicePrefix)?.size ?? 0,
					site: deviceStorm.has(key.devicePrefix) ? 0 : sitePending,
				},
				ctx.storm,
			),
		);
	}
	return levels;
}
