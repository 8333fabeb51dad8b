import type { AlertInfo } from './alert';
import {
	isNewProblem,
	notesToRead,
	opensDeviceTicket,
	otherOpenAlerts,
	routeRaised,
} from './decide';
import type { DecisionContext, RaisedRoute } from './decide';
import { mayHaveTimeEntries } from './humanWork';
import type { AlertKeyInfo } from './key';
import type { EffectiveSettings } from './settings';
import { batchStormLevels } from './storm';
import type { StormLevel } from './storm';
import type { TicketRecord } from './tickets';

/**
 * What a batch must read before its events are decided
 * (docs/adr/alert-reads-planned-before-deciding.md): the storm levels, configuration items,
 * notes and time entries that decide.ts's decisions depend on.
 */

/** A raised alert of a batch, described by its alert. */
export interface RaiseToPlan {
	kind: 'raised';
	alert: AlertInfo;
	key: AlertKeyInfo;
	settings: EffectiveSettings;
	/** The device a new ticket would be for ('' when neither the alert nor the body names one). */
	deviceUid: string;
}

/** A resolve of a batch that may complete `ticket`, with its device's open alerts when known. */
export interface ResolveToPlan {
	kind: 'resolved';
	alertUid: string;
	ticket: TicketRecord;
	openAlerts?: AlertInfo[];
}

export interface BatchReads {
	/** Storm level per device ("DR:<site><device>") of the batch's raised alerts. */
	storm: Map<string, StormLevel | undefined>;
	/** Devices whose configuration items a new ticket (or a device's first storm ticket) may attach. */
	configurationItems: string[];
	/** Notes that may change a decision: whether these tickets' notes name these alerts. */
	notes: Array<{ ticket: TicketRecord; alertUid: string }>;
	/** Tickets a resolve may complete whose time entries the human-work guard must count. */
	timeEntries: number[];
}

/**
 * What a batch must read before its events are decided, from what is known (the ticket view
 * before the batch writes): each raise is routed once, the storm level of its device follows
 * from the new problems the batch brings, and the routes say which configuration items and
 * notes matter; each resolve that may complete a ticket needs its still-open note or its time
 * entries. Items come in batch order; the reads keep it.
 */
export function batchReads(
	items: Array<RaiseToPlan | ResolveToPlan>,
	tickets: TicketRecord[],
	ctx: DecisionContext,
	options: {
		configurationItems: boolean;
		notesRead: (ticket: TicketRecord, alertUid: string) => boolean;
	},
): BatchReads {
	const routes = new Map<RaiseToPlan, RaisedRoute>();
	const newProblems = new Map<string, Set<string>>();
	for (const item of items) {
		if (item.kind !== 'raised') continue;
		const route = routeRaised(item.alert, item.key, item.settings, tickets, ctx);
		routes.set(item, route);
		if (!isNewProblem(route, item.alert.alertUid)) continue;
		const problems = newProblems.get(item.key.devicePrefix) ?? new Set<string>();
		problems.add(item.key.problemPrefix);
		newProblems.set(item.key.devicePrefix, problems);
	}
	const raises = [...routes.keys()];
	const storm = batchStormLevels(
		raises.map((item) => item.key),
		newProblems,
		tickets,
		ctx,
	);
	const configurationItems = new Set<string>();
	if (options.configurationItems) {
		for (const item of raises) {
			const level = storm.get(item.key.devicePrefix);
			if (item.deviceUid && opensDeviceTicket(routes.get(item)!, item.alert.alertUid, level))
				configurationItems.add(item.deviceUid);
		}
	}
	const notes: BatchReads['notes'] = [];
	const timeEntries: number[] = [];
	for (const item of items) {
		if (item.kind === 'raised') {
			const { alertUid } = item.alert;
			const level = storm.get(item.key.devicePrefix);
			const isRead = (ticket: TicketRecord) => options.notesRead(ticket, alertUid);
			for (const ticket of notesToRead(routes.get(item)!, item.alert, level, isRead, ctx))
				notes.push({ ticket, alertUid });
			continue;
		}
		if (!item.openAlerts) continue;
		if (otherOpenAlerts(item.ticket, item.openAlerts, item.alertUid).length) {
			if (!options.notesRead(item.ticket, item.alertUid))
				notes.push({ ticket: item.ticket, alertUid: item.alertUid });
		} else if (mayHaveTimeEntries(item.ticket)) timeEntries.push(item.ticket.id);
	}
	return { storm, configurationItems: [...configurationItems], notes, timeEntries };
}
