/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';

/**
 * CPU time and memory of the cluster's processes, read from /proc. Each process the lane starts
 * leads its own process group (n8n's task runner, Postgres's backends are in it), so a role's
 * figures are its group's: CPU = the members' user + system time plus what the leader collected
 * from children that already exited; memory = the sum of the members' resident sets.
 */

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

interface ProcStat {
	pid: number;
	pgid: number;
	cpuTicks: number;
	childTicks: number;
	rssBytes: number;
}

function readStat(pid: number): ProcStat | undefined {
	let text: string;
	try {
		text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// The command name is in parentheses and may contain spaces: split after its last ')'.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	// fields[0] is field 3 (state): field n is fields[n - 3].
	return {
		pid,
		pgid: Number(fields[2]),
		cpuTicks: Number(fields[11]) + Number(fields[12]),
		childTicks: Number(fields[13]) + Number(fields[14]),
		rssBytes: Number(fields[21]) * PAGE_BYTES,
	};
}

function allStats(): ProcStat[] {
	const stats: ProcStat[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readStat(Number(entry));
		if (stat) stats.push(stat);
	}
	return stats;
}

export interface GroupSample {
	cpuSeconds: number;
	rssBytes: number;
}

/** One reading of each group (by its leader's pid). */
export function sampleGroups(leaders: number[]): Map<number, GroupSample> {
	const stats = allStats();
	const samples = new Map<number, GroupSample>();
	for (const leader of leaders) {
		const members = stats.filter((stat) => stat.pgid === leader);
		const head = members.find((stat) => stat.pid === leader);
		const ticks =
			members.reduce((sum, stat) => sum + stat.cpuTicks, 0) + (head ? head.childTicks : 0);
		samples.set(leader, {
			cpuSeconds: ticks / TICKS_PER_SECOND,
			rssBytes: members.reduce((sum, stat) => sum + stat.rssBytes, 0),
		});
	}
	return samples;
}

export interface RoleFigures {
	name: string;
	cpuSeconds: number;
	peakRssMb: number;
}

/**
 * Samples the named groups every `intervalMs` until stopped: CPU used between start and stop
 * (a restarted process counts with both lives) and the peak resident memory of each.
 */
export class ResourceMeter {
	private readonly cpu = new Map<string, number>();
	private readonly peak = new Map<string, number>();
	private readonly last = new Map<string, { pid: number; cpuSeconds: number }>();
	private timer?: NodeJS.Timeout;

	constructor(private readonly processes: () => Array<{ name: string; pid: number }>) {}

	start(intervalMs = 500): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), intervalMs);
	}

	sample(): void {
		const list = this.processes();
		const samples = sampleGroups(list.map((entry) => entry.pid));
		for (const { name, pid } of list) {
			const sample = samples.get(pid);
			if (!sample) continue;
			const previous = this.last.get(name);
			if (previous && previous.pid === pid)
				this.cpu.set(
					name,
					(this.cpu.get(name) ?? 0) + Math.max(0, sample.cpuSeconds - previous.cpuSeconds),
				);
			else this.cpu.set(name, this.cpu.get(name) ?? 0);
			this.last.set(name, { pid, cpuSeconds: sample.cpuSeconds });
			this.peak.set(name, Math.max(this.peak.get(name) ?? 0, sample.rssBytes));
		}
	}

	stop(): RoleFigures[] {
		if (this.timer) clearInterval(this.timer);
		this.sample();
		return [...this.cpu.keys()].map((name) => ({
			name,
			cpuSeconds: this.cpu.get(name) ?? 0,
			peakRssMb: Math.round((this.peak.get(name) ?? 0) / 1024 / 1024),
		}));
	}
}

export function percentile(values: number[], fraction: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
