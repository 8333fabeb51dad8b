/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * The sandbox's HTTP plumbing, shared by the four vendor servers: routing, body parsing,
 * the request log, fault injection and the contract check. Vendor behaviour lives in
 * sandbox/<vendor>/; nothing here knows a vendor's rules.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { FaultInjector } from './faults';
import type { RequestLog } from './log';
import type { SandboxRequest, SandboxResponse, SandboxVendor } from './types';

export type RouteHandler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
	method: string;
	pattern: PathPattern;
	template: string;
	handler: RouteHandler;
}

/** A path template ('/V1.0/Companies/{parentId}/Contacts', or '*' for any path), compiled once. */
export interface PathPattern {
	regex: RegExp;
	names: string[];
	/** Literal segments: the more, the more specific the match. */
	literals: number;
}

/** Templates match case-insensitively, as IIS and Graph do; `{name}` is one path segment. */
export function compilePattern(template: string): PathPattern {
	if (template === '*') return { regex: /^/, names: [], literals: -1 };
	const names: string[] = [];
	let literals = 0;
	const source = template
		.split('/')
		.map((segment) => {
			const param = /^\{(.+)\}$/.exec(segment);
			if (param) {
				names.push(param[1]);
				return '([^/]+)';
			}
			if (segment) literals++;
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${source}/?$`, 'i'), names, literals };
}

/** The template's parameters in `target`, percent-decoded, or undefined when it does not match. */
export function matchPattern(
	pattern: PathPattern,
	target: string,
): Record<string, string> | undefined {
	const found = pattern.regex.exec(target);
	if (!found) return undefined;
	const params: Record<string, string> = {};
	pattern.names.forEach((name, index) => {
		const raw = found[index + 1];
		try {
			params[name] = decodeURIComponent(raw);
		} catch {
			params[name] = raw;
		}
	});
	return params;
}

/** Routes like '/V1.0/Companies/{parentId}/Contacts'; matching is case-insensitive, as IIS and Graph are. */
export class Router {
	private readonly routes: Route[] = [];

	add(method: string, template: string, handler: RouteHandler): this {
		this.routes.push({
			method: method.toUpperCase(),
			pattern: compilePattern(template),
			template,
			handler,
		});
		return this;
	}

	match(
		method: string,
		path: string,
	): { route?: Route; params: Record<string, string>; methodNotAllowed: boolean } {
		let pathMatched = false;
		for (const route of this.routes) {
			const params = matchPattern(route.pattern, path);
			if (!params) continue;
			pathMatched = true;
			if (route.method !== method.toUpperCase()) continue;
			return { route, params, methodNotAllowed: false };
		}
		return { params: {}, methodNotAllowed: pathMatched };
	}
}

export interface ContractChecker {
	check(
		vendor: SandboxVendor,
		request: SandboxRequest,
		response: SandboxResponse,
		template: string | undefined,
	): void;
}

export interface VendorServerOptions {
	vendor: SandboxVendor;
	router: Router;
	log: RequestLog;
	faults: FaultInjector;
	contract?: ContractChecker;
	/** Vendor-specific answers for unknown routes and wrong methods. */
	notFound?: (request: SandboxRequest) => SandboxResponse;
	methodNotAllowed?: (request: SandboxRequest) => SandboxResponse;
	host?: string;
}

export class VendorServer {
	private server?: http.Server;

	private baseUrl = '';

	private readonly sockets = new Set<import('node:net').Socket>();

	constructor(private readonly options: VendorServerOptions) {}

	get url(): string {
		return this.baseUrl;
	}

	async start(port = 0): Promise<string> {
		const host = this.options.host ?? '127.0.0.1';
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, host, () => resolve());
		});
		const address = this.server.address() as AddressInfo;
		this.baseUrl = `http://${host}:${address.port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = Date.now();
		const { vendor, router, log, faults } = this.options;
		const rawBody = await readBody(req);
		const url = new URL(req.url ?? '/', this.baseUrl);
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(req.headers)) {
			if (value !== undefined)
				headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
		}
		const request: SandboxRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: url.pathname,
			query: url.searchParams,
			headers,
			rawBody,
			body: parseBody(rawBody, headers['content-type']),
			params: {},
			origin: this.baseUrl,
		};
		const entry = log.start(vendor, request);
		const fault = faults.pick(vendor, request.method, request.path);
		if (fault) entry.fault = fault.kind;

		try {
			if (fault?.latencyMs) await delay(fault.latencyMs);
			const latency = faults.latencyFor(vendor);
			if (latency) await delay(latency);

			if (fault?.kind === 'reset') {
				log.finish(entry, 0, started);
				req.socket.destroy();
				return;
			}
			if (fault?.kind === 'hang') {
				log.finish(entry, 0, started);
				await Promise.race([clientGone(res), delay(fault.hangMs ?? 600_000)]);
				req.socket.destroy();
				return;
			}
			// The vendor acts only once the client stopped waiting (or the test lets it go).
			if (fault?.kind === 'late') await clientGone(res);
			if (fault?.kind === 'hold') await faults.hold();
			if (fault?.kind === 'status') {
				const response: SandboxResponse = {
					status: fault.status ?? 503,
					headers:
						fault.retryAfterSeconds !== undefined
							? { 'Retry-After': String(fault.retryAfterSeconds) }
							: {},
					body: fault.body ?? { error: 'Injected fault' },
				};
				log.finish(entry, response.status, started);
				send(res, response);
				return;
			}

			const matched = router.match(request.method, request.path);
			let response: SandboxResponse;
			if (matched.route) {
				request.params = matched.params;
				response = await matched.route.handler(request);
			} else if (matched.methodNotAllowed) {
				response = this.options.methodNotAllowed?.(request) ?? {
					status: 405,
					body: { message: 'Method not allowed' },
				};
			} else {
				response = this.options.notFound?.(request) ?? {
					status: 404,
					body: { message: 'Not found' },
				};
			}
			this.options.contract?.check(vendor, request, response, matched.route?.template);

			if (fault?.kind === 'resetAfter' || res.destroyed || req.socket.destroyed) {
				// The vendor acted on the request; the client never hears about it.
				log.finish(entry, 0, started);
				req.socket.destroy();
				return;
			}
			if (fault?.kind === 'truncate') {
				const text = response.raw ?? JSON.stringify(response.body ?? null);
				res.writeHead(response.status, {
					'Content-Type': 'application/json',
					'Content-Length': String(Buffer.byteLength(text)),
				});
				res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
				log.finish(entry, response.status, started);
				req.socket.destroy();
				return;
			}
			log.finish(entry, response.status, started);
			send(res, response);
		} catch (error) {
			const response = {
				status: 500,
				body: { error: `Sandbox failure: ${(error as Error).message}` },
			};
			log.finish(entry, 500, started);
			send(res, response);
		}
	}
}

function send(res: http.ServerResponse, response: SandboxResponse): void {
	const text = response.raw ?? (response.body === undefined ? '' : JSON.stringify(response.body));
	const headers: Record<string, string> = { ...response.headers };
	if (text && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
		headers['Content-Type'] = 'application/json; charset=utf-8';
	}
	res.writeHead(response.status, headers);
	res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function parseBody(raw: string, contentType = ''): unknown {
	if (!raw) return undefined;
	if (contentType.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(raw));
	}
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}

/** Resolves when the client has closed the connection (it gave up waiting), at once if it already has. */
function clientGone(res: http.ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		if (res.destroyed || res.socket?.destroyed) resolve();
		else res.once('close', () => resolve());
	});
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
