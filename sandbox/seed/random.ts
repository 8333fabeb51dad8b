/**
 * Deterministic randomness and the seed's fixed clock: the same call always gives the same bytes.
 */

/** The seed's "now": every date in it is relative to this instant. */
export const SEED_CLOCK = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23T09:00:00Z

export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0 || 1;
	}

	/** mulberry32 */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.next() * values.length)];
	}

	uuid(): string {
		const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
		hex[12] = '4';
		hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		const s = hex.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	}

	shuffle<T>(values: T[]): T[] {
		const out = [...values];
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[out[i], out[j]] = [out[j], out[i]];
		}
		return out;
	}
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const daysAgo = (days: number, minutes = 0): number =>
	SEED_CLOCK - days * 86_400_000 - minutes * 60_000;
