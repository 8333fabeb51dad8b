/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { AutotaskClient } from '../../lib/transport/autotask';
import { TransportError, VendorApiError } from '../../lib/transport/http';
import { sendWithRetry } from '../../lib/transport/retry';
import type { Verdict } from '../../lib/transport/retry';
import { DirectClient } from '../../dev/directClient';
import { json, loopbackServer } from '../support/loopbackServer';

/** A DirectClient that records the waits the retry policy asks for instead of sleeping them. */
class RecordingClient extends DirectClient {
	readonly waits: number[] = [];

	async sleep(ms: number): Promise<void> {
		this.waits.push(ms);
	}
}

const classify = (response: { status: number }): Verdict =>
	response.status < 300
		? { kind: 'ok' }
		: [429, 503].includes(response.status)
			? { kind: 'retry' }
			: response.status === 504
				? { kind: 'retryIfIdempotent' }
				: { kind: 'fail' };

async function autotaskServer(handler: Parameters<typeof loopbackServer>[0]) {
	const server = await loopbackServer((request, res) => {
		if (request.url.includes('ZoneInformation'))
			return json(res, 200, { url: `${server.url}/ATServicesRest/` });
		handler(request, res);
	});
	const client = new RecordingClient(new AutotaskApi(), {
		username: 'api@msp.example',
		secret: 'x',
		integrationCode: 'y',
		zone: 'auto',
		discoveryUrl: `${server.url}/atservicesrest`,
		resolvedZone: '',
	});
	return { server, client };
}

describe('retries and backoff over real HTTP', () => {
	test('429 with Retry-After in seconds or as a date is waited out exactly', async () => {
		let calls = 0;
		const { server, client } = await autotaskServer((_r, res) => {
			calls++;
			if (calls === 1) return json(res, 429, { errors: ['slow down'] }, { 'Retry-After': '3' });
			if (calls === 2)
				return json(
					res,
					429,
					{ errors: ['slow down'] },
					{ 'Retry-After': new Date(Date.now() + 5000).toUTCString() },
				);
			return json(res, 200, { ok: true });
		});
		const response = await sendWithRetry(
			client,
			{ method: 'GET', url: '/x' },
			{ idempotent: true, classify },
		);
		await server.close();
		expect(response.status).toBe(200);
		expect(calls).toBe(3);
		expect(client.waits[0]).toBe(3000);
		expect(client.waits[1]).toBeGreaterThan(3000);
		expect(client.waits[1]).toBeLessThanOrEqual(5000);
	});

	test('503 without Retry-After backs off exponentially with jitter, up to the attempt limit', async () => {
		const { server, client } = await autotaskServer((_r, res) =>
			json(res, 503, { errors: ['busy'] }),
		);
		const policy = {
			maxAttempts: 4,
			baseDelayMs: 100,
			maxDelayMs: 10_000,
			maxRetryAfterMs: 60_000,
		};
		const response = await sendWithRetry(
			client,
			{ method: 'GET', url: '/x' },
			{ idempotent: true, classify, policy },
		);
		await server.close();
		expect(response.status).toBe(503);
		expect(server.seen.filter((r) => r.url === '/ATServicesRest/V1.0/x')).toHaveLength(4);
		expect(client.waits).toHaveLength(3);
		client.waits.forEach((wait, i) => {
			const step = 100 * 2 ** i;
			expect(wait).toBeGreaterThanOrEqual(step / 2);
			expect(wait).toBeLessThanOrEqual(step);
		});
	});

	test('a validation error is never retried', async () => {
		const { server, client } = await autotaskServer((_r, res) =>
			json(res, 400, { errors: ['bad'] }),
		);
		const response = await sendWithRetry(
			client,
			{ method: 'POST', url: '/x', body: {} },
			{ idempotent: false, classify },
		);
		await server.close();
		expect(response.status).toBe(400);
		expect(server.seen.filter((r) => r.url.endsWith('/x'))).toHaveLength(1);
	});

	test('a reset read is retried; a reset create is verified, not blindly repeated', async () => {
		let created = 0;
		let reads = 0;
		const { server, client } = await autotaskServer((request, res) => {
			if (request.method === 'GET') {
				reads++;
				if (reads === 1) return void res.socket?.destroy();
				return json(res, 200, { item: { id: 1 } });
			}
			// The create lands, then the connection drops before the answer.
			created++;
			res.socket?.destroy();
		});
		const read = await sendWithRetry(
			client,
			{ method: 'GET', url: '/Contacts/1' },
			{ idempotent: true, classify },
		);
		expect(read.status).toBe(200);

		const verified = await sendWithRetry(
			client,
			{ method: 'POST', url: '/Companies/1/Contacts', body: { firstName: 'A' } },
			{
				idempotent: false,
				classify,
				verifyAfterAmbiguousFailure: async () => ({
					status: 200,
					headers: {},
					body: { itemId: 77 },
				}),
			},
		);
		expect(verified.body).toEqual({ itemId: 77 });

		await expect(
			sendWithRetry(
				client,
				{ method: 'POST', url: '/Companies/1/Contacts', body: { firstName: 'B' } },
				{ idempotent: false, classify },
			),
		).rejects.toBeInstanceOf(TransportError);
		await server.close();
		expect(created).toBe(2);
	});

	test('a create the client stopped waiting for is looked up until it lands, and not sent again', async () => {
		let creates = 0;
		const { server } = await autotaskServer((request) => {
			// The vendor never answers in time: the client's write timeout ends the wait.
			if (request.method === 'POST') creates++;
		});
		const client = new RecordingClient(
			new AutotaskApi(),
			{
				username: 'api@msp.example',
				secret: 'x',
				integrationCode: 'y',
				zone: 'auto',
				discoveryUrl: `${server.url}/atservicesrest`,
				resolvedZone: '',
			},
			{ timeoutMs: 1_000 },
		);
		let looks = 0;
		const response = await sendWithRetry(
			client,
			{ method: 'POST', url: '/Tickets', body: { title: 'A' } },
			{
				idempotent: false,
				classify,
				// Still in progress at the first two look-ups; there at the third.
				verifyAfterAmbiguousFailure: async () =>
					++looks < 3 ? undefined : { status: 200, headers: {}, body: { itemId: 9 } },
			},
		);
		await server.close();
		expect(response.body).toEqual({ itemId: 9 });
		expect(creates).toBe(1);
		expect(looks).toBe(3);
	});

	test('a create whose connection dropped is looked up once, then sent again', async () => {
		let creates = 0;
		const { server, client } = await autotaskServer((request, res) => {
			creates++;
			if (creates === 1) return void res.socket?.destroy();
			return json(res, 200, { itemId: 5 });
		});
		let looks = 0;
		const response = await sendWithRetry(
			client,
			{ method: 'POST', url: '/Tickets', body: { title: 'B' } },
			{
				idempotent: false,
				classify,
				verifyAfterAmbiguousFailure: async () => {
					looks++;
					return undefined;
				},
			},
		);
		await server.close();
		expect(response.body).toEqual({ itemId: 5 });
		expect([creates, looks]).toEqual([2, 1]);
	});

	test('Autotask client: nextPageUrl re-POSTed with the same body, limit respected, 3 threads per endpoint', async () => {
		const records = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1 }));
		let inFlight = 0;
		let maxInFlight = 0;
		const { server, client } = await autotaskServer((request, res) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			const body = JSON.parse(request.body || '{}') as { MaxRecords: number; filter: unknown };
			const after = Number(new URL(request.url, server.url).searchParams.get('after') ?? 0);
			const page = records.filter((r) => r.id > after).slice(0, body.MaxRecords);
			const last = page[page.length - 1]?.id ?? after;
			// The link names another host: it must be followed on the credential's own zone.
			const nextPageUrl =
				last < records.length
					? `https://elsewhere.example/ATServicesRest/V1.0/Contacts/query/next?after=${last}`
					: null;
			setTimeout(() => {
				inFlight--;
				json(res, 200, {
					items: page,
					pageDetails: { count: page.length, requestCount: body.MaxRecords, nextPageUrl },
				});
			}, 20);
		});
		const autotask = new AutotaskClient(client);
		const all = await autotask.query<{ id: number }>('Contacts', {
			filter: [{ op: 'gt', field: 'id', value: 0 }],
		});
		const limited = await autotask.query<{ id: number }>('Contacts', {
			filter: [{ op: 'gt', field: 'id', value: 0 }],
			limit: 700,
		});
		await Promise.all(
			Array.from({ length: 10 }, async () => await autotask.count('Contacts', []).catch(() => 0)),
		);
		await server.close();

		expect(all.map((r) => r.id)).toEqual(records.map((r) => r.id));
		expect(limited).toHaveLength(700);
		const queries = server.seen.filter(
			(r) => r.url.includes('/Contacts/query') && !r.url.includes('count'),
		);
		expect(queries.map((r) => JSON.parse(r.body).filter)).toEqual(
			queries.map(() => [{ op: 'gt', field: 'id', value: 0 }]),
		);
		expect(queries.slice(0, 3).map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
		expect(maxInFlight).toBeLessThanOrEqual(3);
	});

	test("Autotask client: thread-limit rejections are waited out; validation errors surface in Autotask's words", async () => {
		let calls = 0;
		const { server, client } = await autotaskServer((request, res) => {
			calls++;
			if (request.url.includes('Tickets') && calls <= 2) {
				return json(res, 429, {
					errors: [
						'Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)',
					],
				});
			}
			if (request.url.includes('Tickets')) return json(res, 200, { itemId: 9 });
			return json(res, 500, {
				errors: ['Value does not reference an existing entity for taskType . '],
			});
		});
		const autotask = new AutotaskClient(client);
		expect(await autotask.create('/Tickets', { title: 't' })).toBe(9);
		expect(server.seen.some((r) => r.url.includes('ThresholdInformation'))).toBe(false);
		const failure = await autotask
			.create('/Companies/1/Contacts', { firstName: 'A' })
			.catch((error: unknown) => error);
		await server.close();
		expect(failure).toBeInstanceOf(VendorApiError);
		expect((failure as VendorApiError).message).toBe(
			'Autotask: Value does not reference an existing entity for taskType . ',
		);
		expect((failure as VendorApiError).httpCode).toBe(500);
	});
});
