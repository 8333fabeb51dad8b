/** A per-key promise cache that forgets a failed load, so that a later call tries again. */
export class PromiseCache<K, V> {
	private readonly entries = new Map<K, Promise<V>>();

	constructor(private readonly load: (key: K) => Promise<V>) {}

	async get(key: K): Promise<V> {
		let cached = this.entries.get(key);
		if (!cached) {
			cached = this.load(key);
			cached.catch(() => this.entries.delete(key));
			this.entries.set(key, cached);
		}
		return await cached;
	}

	has(key: K): boolean {
		return this.entries.has(key);
	}

	/** Records a value read some other way (a listing), unless one is cached already. */
	prime(key: K, value: V): void {
		if (!this.entries.has(key)) this.entries.set(key, Promise.resolve(value));
	}
}
