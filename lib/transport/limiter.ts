/**
 * At most `limit` tasks at once per key (Autotask allows 3 concurrent requests per endpoint and
 * integration: docs/adr/autotask-thread-limit-and-hourly-budget.md). Lives for one node
 * execution; it is not a cross-worker lock.
 */
export class KeyedLimiter {
	private readonly active = new Map<string, number>();

	private readonly waiting = new Map<string, Array<() => void>>();

	constructor(private readonly limit: number) {}

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		await this.acquire(key);
		try {
			return await task();
		} finally {
			this.release(key);
		}
	}

	private acquire(key: string): Promise<void> {
		const running = this.active.get(key) ?? 0;
		if (running < this.limit) {
			this.active.set(key, running + 1);
			return Promise.resolve();
		}
		return new Promise((resolve) => {
			const queue = this.waiting.get(key) ?? [];
			queue.push(resolve);
			this.waiting.set(key, queue);
		});
	}

	private release(key: string): void {
		const queue = this.waiting.get(key);
		const next = queue?.shift();
		if (next) {
			// The slot passes straight to the next waiter.
			next();
			return;
		}
		this.active.set(key, (this.active.get(key) ?? 1) - 1);
	}
}

/** Runs `task` over `count` indexes with at most `concurrency` in flight; results keep their order. */
export async function mapWithConcurrency<T>(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<T>,
): Promise<T[]> {
	const results: T[] = new Array(count);
	let next = 0;
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, async () => {
		while (next < count) {
			const index = next++;
			results[index] = await task(index);
		}
	});
	await Promise.all(workers);
	return results;
}
