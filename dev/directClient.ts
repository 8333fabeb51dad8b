/* eslint-disable @n8n/community-nodes/require-node-api-error -- development tooling: test client errors are not node errors */
import axios from 'axios';
import type { AxiosRequestConfig } from 'axios';
import { sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { TransportError } from '../lib/transport/http';
import type { HttpClient, HttpRequest, HttpResponse } from '../lib/transport/http';

/**
 * The package's HttpClient without n8n: the real credential classes applied the way n8n applies
 * them (preAuthentication when the cached value is empty or after a 401, then authenticate), over
 * axios. For transport and contract tests, benchmarks and the soak run.
 */
export class DirectClient implements HttpClient {
	/** Every request sent, retries included. */
	readonly sent: HttpRequest[] = [];

	preAuthenticationCalls = 0;

	constructor(
		private readonly type: ICredentialType,
		readonly credentials: ICredentialDataDecryptedObject,
		private readonly options: { timeoutMs?: number } = {},
	) {}

	async send<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
		await this.ensurePreAuthenticated(false);
		let response = await this.once<T>(request);
		if (response.status === 401 && this.type.preAuthentication) {
			await this.ensurePreAuthenticated(true);
			response = await this.once<T>(request);
		}
		return response;
	}

	async sleep(ms: number): Promise<void> {
		await sleep(ms);
	}

	now(): number {
		return Date.now();
	}

	private async ensurePreAuthenticated(expired: boolean): Promise<void> {
		const expirable = this.type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable,
		);
		if (!expirable || typeof this.type.preAuthentication !== 'function') return;
		if (!expired && this.credentials[expirable.name]) return;
		this.preAuthenticationCalls++;
		const helpers = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					const response = await axios.request({
						method: options.method ?? 'GET',
						url: options.url,
						params: options.qs,
						headers: options.headers as Record<string, string>,
						data: options.body,
						validateStatus: () => true,
						timeout: this.options.timeoutMs ?? 30_000,
					});
					return options.returnFullResponse
						? { statusCode: response.status, headers: response.headers, body: response.data }
						: response.data;
				},
			},
		};
		const output = await this.type.preAuthentication.call(helpers as never, this.credentials);
		Object.assign(this.credentials, output);
	}

	private async once<T>(request: HttpRequest): Promise<HttpResponse<T>> {
		this.sent.push(request);
		let options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs as IHttpRequestOptions['qs'],
			headers: { Accept: 'application/json', ...request.headers },
			body: request.body as IHttpRequestOptions['body'],
		};
		if (typeof this.type.authenticate === 'function') {
			options = await this.type.authenticate(this.credentials, options);
		}
		const config: AxiosRequestConfig = {
			method: options.method,
			baseURL: options.baseURL,
			url: options.url,
			params: options.qs,
			headers: options.headers as Record<string, string>,
			data: options.body,
			validateStatus: () => true,
			timeout: this.options.timeoutMs ?? request.timeoutMs ?? 30_000,
			transitional: { clarifyTimeoutError: true },
		};
		try {
			const response = await axios.request(config);
			const headers: Record<string, string> = {};
			for (const [key, value] of Object.entries(response.headers))
				headers[key.toLowerCase()] = String(value);
			return { status: response.status, headers, body: response.data as T };
		} catch (error) {
			const code = (error as { code?: string }).code ?? 'ECONNRESET';
			throw new TransportError(
				code === 'ERR_BAD_RESPONSE' ? 'ECONNRESET' : code,
				(error as Error).message,
			);
		}
	}
}
