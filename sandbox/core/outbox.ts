/**
 * Calls a vendor makes on its own (Autotask ticket webhooks, ConnectWise callbacks), held until a
 * test or the demo asks for them: the sandbox never calls out by itself. Each delivery keeps the
 * exact bytes the vendor sends (and signs), so a receiver can check a signature over the raw body.
 */
import type { SandboxVendor } from './types';

export interface OutboundDelivery {
	/** Sequence number of this delivery in its outbox (1, 2, ...). */
	id: number;
	vendor: SandboxVendor;
	/** Where the vendor posts it. */
	url: string;
	method: 'POST';
	headers: Record<string, string>;
	/** The raw body, exactly as sent (and, where the vendor signs, as signed). */
	body: string;
	/** What caused it, for reports: e.g. "ticket 7401 Update (status)". */
	description: string;
}

export interface DeliveryResult {
	delivery: OutboundDelivery;
	/** The URL it was posted to. */
	url: string;
	/** The receiver's HTTP status; 0 when there was no answer. */
	status: number;
	ok: boolean;
	/** The receiver's answer body. */
	response: string;
	/** Why it failed, naming the URL; absent when ok. */
	error?: string;
}

export interface DeliverOptions {
	/** Post every delivery here instead of the URL the vendor has on record. */
	url?: string;
	/** Only these deliveries (the others stay queued). */
	only?: (delivery: OutboundDelivery) => boolean;
	/** Give up on one delivery after this long (default 30 s). */
	timeoutMs?: number;
}

export class Outbox {
	private readonly queue: OutboundDelivery[] = [];

	private sequence = 0;

	constructor(private readonly vendor: SandboxVendor) {}

	/** Queues a delivery; returns it. */
	add(delivery: Omit<OutboundDelivery, 'id' | 'vendor' | 'method'>): OutboundDelivery {
		const queued: OutboundDelivery = {
			id: ++this.sequence,
			vendor: this.vendor,
			method: 'POST',
			...delivery,
			headers: { ...delivery.headers },
		};
		this.queue.push(queued);
		return queued;
	}

	/** The queued deliveries, oldest first (copies: the queue is not changed). */
	pending(): OutboundDelivery[] {
		return this.queue.map((delivery) => ({ ...delivery, headers: { ...delivery.headers } }));
	}

	/** Removes and returns the queued deliveries (for callers that send them their own way). */
	take(): OutboundDelivery[] {
		return this.queue.splice(0, this.queue.length);
	}

	/**
	 * Posts the queued deliveries in order, one at a time. A delivery the receiver accepts (2xx)
	 * leaves the queue; one that fails stays queued, as a vendor retries, and its result says why,
	 * naming the URL.
	 */
	async deliver(options: DeliverOptions = {}): Promise<DeliveryResult[]> {
		const results: DeliveryResult[] = [];
		for (const delivery of [...this.queue]) {
			if (options.only && !options.only(delivery)) continue;
			const result = await post(delivery, options.url ?? delivery.url, options.timeoutMs ?? 30_000);
			if (result.ok) this.queue.splice(this.queue.indexOf(delivery), 1);
			results.push(result);
		}
		return results;
	}
}

async function post(
	delivery: OutboundDelivery,
	url: string,
	timeoutMs: number,
): Promise<DeliveryResult> {
	const what = `${delivery.vendor} delivery ${delivery.id} (${delivery.description}) to ${url}`;
	try {
		const response = await fetch(url, {
			method: delivery.method,
			headers: delivery.headers,
			body: delivery.body,
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		const ok = response.status >= 200 && response.status < 300;
		return {
			delivery,
			url,
			status: response.status,
			ok,
			response: text,
			...(ok ? {} : { error: `${what} was answered ${response.status}: ${text.slice(0, 300)}` }),
		};
	} catch (error) {
		const cause = (error as { cause?: { message?: string } }).cause?.message;
		return {
			delivery,
			url,
			status: 0,
			ok: false,
			response: '',
			error: `${what} failed: ${cause ?? (error as Error).message}`,
		};
	}
}
