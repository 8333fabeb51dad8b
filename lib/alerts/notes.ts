import { settle } from '../util/settled';
import type { AlertInfo } from './alert';
import type { AlertRun } from './alertRun';
import type { TicketRecord } from './tickets';
import type { ItemResults } from './outcome';
import type { TicketFieldValues } from './settings';

/**
 * The note protocol: the notes this node writes on alert tickets, and how it reads them back.
 * A note is how a ticket records an alert it carries without tracking it in its key (a repeat,
 * a storm alert, a merged duplicate, a re-fire), and how a resolve that could not complete the
 * ticket is told once. Titles and wording are what later executions search for: change them
 * only together with the look-ups below.
 */

export const REPEAT_NOTE_TITLE = 'Alert repeated';
export const STORM_NOTE_TITLE = 'Alert storm';
export const REFIRE_NOTE_TITLE = 'Alert re-fired: ticket reopened';
export const RESOLVED_NOTE_TITLE = 'Alert resolved in Datto RMM';
export const CATCH_ALL_NOTE_TITLE = 'Company chosen by the catch-all rule';
/** Written once on a problem ticket that became its device's or site's storm ticket. */
export const STORM_TICKET_NOTE_TITLE = 'Became the storm ticket';

/** The note a resolve leaves while other alerts of the same problem are still open. */
export const STILL_OPEN_NOTE_TITLE = 'Alert resolved, problem still alerting';

/** Text a shared note may hold (PSAs keep about 32,000 characters; room left for truncation marks). */
const NOTE_TEXT_BUDGET = 30_000;

/** Titles of the notes that apply an alert to a ticket (repeats, storm alerts, merges, re-fires). */
const APPLIED_NOTE_TITLES = [REPEAT_NOTE_TITLE, STORM_NOTE_TITLE, 'Alert re-fired'];

/** Whether one of our notes records this alert on its ticket (a repeat, a storm alert, a merge, a re-fire). */
export function noteApplies(
	note: { title: string; description: string },
	alertUid: string,
): boolean {
	return (
		APPLIED_NOTE_TITLES.some((prefix) => note.title.startsWith(prefix)) &&
		note.description.toLowerCase().includes(alertUid.toLowerCase())
	);
}

/** "Do this ticket's notes name this alert?": applied as a repeat, or its resolve noted while the problem still alerted. */
export interface NoteLookup {
	ticket: TicketRecord;
	alertUid: string;
}

/** The line a resolve writes (note or resolution), and the part of it that names the alert. */
export const resolvedLine = (alertUid: string, by: string, when: string): string =>
	`Datto RMM reports alert ${alertUid} resolved${by} at ${when}.`;
const resolvedMention = (alertUid: string): string =>
	`reports alert ${alertUid} resolved`.toLowerCase();

const lookupKey = (lookup: NoteLookup): string =>
	`${lookup.ticket.id}|${lookup.alertUid.toLowerCase()}`;

/** The note fields a ticket's settings may choose (empty: the node's defaults, then the tenant's labels). */
export type NoteFields = Pick<TicketFieldValues, 'noteType' | 'notePublish'>;

interface PendingNote {
	ticket: TicketRecord;
	title: string;
	lines: string[];
	indexes: number[];
}

/** The notes of one execution: what was read, what waits to be written, and the writes. */
export class TicketNotes {
	/** Note lookups done (`lookupKey`), and the resolves found noted as "still alerting" (same keys). */
	private readonly lookedUp = new Set<string>();

	private readonly stillOpenNoted = new Set<string>();

	private readonly pending = new Map<number, PendingNote>();

	constructor(
		private readonly run: AlertRun,
		private readonly defaults: NoteFields & { alertsPerNote: number },
	) {}

	/** The line a raise adds to a note. */
	alertLines(alert: AlertInfo): string[] {
		const when = alert.timestamp
			? new Date(alert.timestamp).toISOString()
			: new Date(this.run.now()).toISOString();
		return [
			`${when} [${alert.priority}] ${alert.monitorLabel}: ${alert.message} on ${alert.hostname || alert.deviceUid} (alert ${alert.alertUid})`,
		];
	}

	/** Whether this execution read (or wrote) what the ticket's notes say about the alert. */
	isRead(lookup: NoteLookup): boolean {
		return this.lookedUp.has(lookupKey(lookup));
	}

	/** Whether the ticket's notes record this alert's resolve while its problem still alerted. */
	isStillOpenNoted(lookup: NoteLookup): boolean {
		return this.stillOpenNoted.has(lookupKey(lookup));
	}

	markStillOpenNoted(lookup: NoteLookup): void {
		this.stillOpenNoted.add(lookupKey(lookup));
	}

	/**
	 * What the notes of these tickets say about these alerts, in one TicketNotes query per chunk:
	 * whether a repeat, storm, merge or re-fire note applied the alert to the ticket
	 * (`notedAlerts`), and whether its resolve was noted while the problem still alerted
	 * (`isStillOpenNoted`). A ticket this execution created has no earlier notes.
	 */
	async lookup(lookups: NoteLookup[]): Promise<void> {
		const pending = new Map<string, NoteLookup>();
		for (const lookup of lookups) {
			const key = lookupKey(lookup);
			if (this.lookedUp.has(key) || pending.has(key)) continue;
			if (lookup.ticket.createdHere) this.lookedUp.add(key);
			else pending.set(key, lookup);
		}
		if (!pending.size) return;
		const all = [...pending.values()];
		const notes = await this.run.store.notesMentioning(
			all.map((lookup) => ({ ticketId: lookup.ticket.id, alertUid: lookup.alertUid })),
		);
		for (const lookup of all) {
			const key = lookupKey(lookup);
			this.lookedUp.add(key);
			const uid = lookup.alertUid.toLowerCase();
			for (const note of notes) {
				if (note.ticketId !== lookup.ticket.id) continue;
				const text = note.description.toLowerCase();
				if (
					APPLIED_NOTE_TITLES.some((prefix) => note.title.startsWith(prefix)) &&
					text.includes(uid)
				)
					(lookup.ticket.notedAlerts ??= new Set()).add(uid);
				// A still-alerting note starts with its own alert's "reports alert <uid> resolved" (it names others as open).
				if (note.title === STILL_OPEN_NOTE_TITLE && text.includes(resolvedMention(uid)))
					this.stillOpenNoted.add(key);
			}
		}
	}

	/** Whether the ticket has a note with this title (one of ours, written by any execution). */
	async hasNoteTitled(ticketId: number, title: string): Promise<boolean> {
		return await this.run.store.hasNoteTitled(ticketId, title);
	}

	/** Repeats and storm alerts for one ticket are gathered and written as few notes as possible. */
	queue(
		ticket: TicketRecord,
		title: string,
		lines: string[],
		index: number,
		alertUid: string,
	): void {
		// Recorded at once: the same alert again in this run is a repeated delivery.
		(ticket.notedAlerts ??= new Set()).add(alertUid.toLowerCase());
		const pending = this.pending.get(ticket.id) ?? { ticket, title, lines: [], indexes: [] };
		pending.lines.push(...lines);
		pending.indexes.push(index);
		this.pending.set(ticket.id, pending);
	}

	/** Writes the queued notes, at most `alertsPerNote` alerts each; a failed write fails its items. */
	async flush(results: ItemResults): Promise<void> {
		const pending = [...this.pending.values()];
		this.pending.clear();
		await Promise.all(
			pending.map(async (note) => {
				const per = Math.max(1, this.defaults.alertsPerNote);
				for (let start = 0; start < note.lines.length; ) {
					// At most `alertsPerNote` alerts, and never more text than a note holds.
					let end = start + 1;
					let size = note.lines[start].length;
					while (
						end < note.lines.length &&
						end - start < per &&
						size + note.lines[end].length + 1 <= NOTE_TEXT_BUDGET
					)
						size += note.lines[end++].length + 1;
					const lines = note.lines.slice(start, end);
					const indexes = note.indexes.slice(start, end);
					start = end;
					const title = lines.length > 1 ? `${note.title}: ${lines.length} alerts` : note.title;
					const written = await settle(this.write(note.ticket, title, lines));
					if (!written.ok)
						for (const index of indexes) if (index >= 0) results[index] = written.error as Error;
				}
			}),
		);
	}

	/**
	 * Writes one note (the store finds it after a lost answer instead of writing it twice);
	 * `unlessPresent` looks for it before writing too.
	 */
	async write(
		ticket: TicketRecord,
		title: string,
		lines: string[],
		options: { fields?: NoteFields; unlessPresent?: boolean } = {},
	): Promise<void> {
		await this.run.store.addNote(
			ticket.id,
			{
				title,
				description: lines.join('\n'),
				fields: {
					noteType: options.fields?.noteType || this.defaults.noteType,
					notePublish: options.fields?.notePublish || this.defaults.notePublish,
				},
			},
			{ unlessPresent: options.unlessPresent },
		);
	}
}
