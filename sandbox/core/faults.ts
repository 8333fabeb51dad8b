import type { SandboxVendor } from './types';

export type FaultKind =
	/** Answer with `status` (429 and 503 with Retry-After, 500...) without running the handler. */
	| 'status'
	/** Cut the connection before the vendor acts. */
	| 'reset'
	/** Act on the request, then cut the connection: the client cannot know it landed. */
	| 'resetAfter'
	/** Hold the connection until the client gives up (or `hangMs` passed), then cut it without acting. */
	| 'hang'
	/** Hold the request until the client gives up, then act on it: the vendor finishes too late to answer. */
	| 'late'
	/** Hold the request until the test calls `release()`, then act and answer (if the client still waits). */
	| 'hold'
	/** Send half of the body and cut the connection. */
	| 'truncate'
	/** Answer normally after `latencyMs`. */
	| 'slow';

export interface FaultRule {
	kind: FaultKind;
	vendor?: SandboxVendor;
	method?: string;
	/** Substring of the path, or a pattern. */
	path?: string | RegExp;
	/** Probability per matching request (0..1), drawn from the injector's seeded generator. */
	rate?: number;
	/** Fire on these matching calls (1-based), e.g. [3] = the third matching call. */
	nth?: number[];
	/** Stop after firing this many times. */
	times?: number;
	status?: number;
	retryAfterSeconds?: number;
	body?: unknown;
	latencyMs?: number;
	hangMs?: number;
}

interface ActiveRule extends FaultRule {
	seen: number;
	fired: number;
}

/** Deterministic (seeded) fault injection plus standing per-vendor latency. */
export class FaultInjector {
	private rules: ActiveRule[] = [];

	private readonly latency = new Map<SandboxVendor, number>();

	private state: number;

	/** How many faults fired, by kind. */
	readonly injected: Record<string, number> = {};

	/** Requests held by a 'hold' rule, each waiting for `release()`. */
	private held: Array<() => void> = [];

	private readonly heldWaiters: Array<{ count: number; resolve: () => void }> = [];

	constructor(seed = 42) {
		this.state = seed >>> 0 || 1;
	}

	add(rule: FaultRule): this {
		this.rules.push({ ...rule, seen: 0, fired: 0 });
		return this;
	}

	clear(): void {
		this.rules = [];
		this.latency.clear();
		this.release();
	}

	/** Holds a request (a 'hold' rule fired) until `release()`. */
	async hold(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.held.push(resolve);
			for (const waiter of [...this.heldWaiters]) {
				if (this.held.length < waiter.count) continue;
				this.heldWaiters.splice(this.heldWaiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		});
	}

	/** Resolves once at least `count` requests are held (an event, not a clock: tests wait on it). */
	async whenHeld(count = 1): Promise<void> {
		if (this.held.length >= count) return;
		await new Promise<void>((resolve) => this.heldWaiters.push({ count, resolve }));
	}

	/** Lets every held request go on; returns how many there were. */
	release(): number {
		const held = this.held;
		this.held = [];
		for (const resolve of held) resolve();
		return held.length;
	}

	/** Latency added to every answer of a vendor (benchmarks inject 100 ms). */
	setLatency(vendor: SandboxVendor, ms: number): void {
		this.latency.set(vendor, ms);
	}

	latencyFor(vendor: SandboxVendor): number {
		return this.latency.get(vendor) ?? 0;
	}

	totalInjected(): number {
		return Object.values(this.injected).reduce((sum, count) => sum + count, 0);
	}

	pick(vendor: SandboxVendor, method: string, path: string): FaultRule | undefined {
		for (const rule of this.rules) {
			if (rule.vendor && rule.vendor !== vendor) continue;
			if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
			if (rule.path instanceof RegExp && !rule.path.test(path)) continue;
			if (typeof rule.path === 'string' && !path.toLowerCase().includes(rule.path.toLowerCase()))
				continue;
			if (rule.times !== undefined && rule.fired >= rule.times) continue;
			rule.seen++;
			const fires = rule.nth ? rule.nth.includes(rule.seen) : this.random() < (rule.rate ?? 1);
			if (!fires) continue;
			rule.fired++;
			this.injected[rule.kind] = (this.injected[rule.kind] ?? 0) + 1;
			return rule;
		}
		return undefined;
	}

	/** mulberry32: small, seeded, good enough for fault dice. */
	private random(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
}
