import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { AutotaskClient } from '../../lib/transport/autotask';
import { ConnectWiseClient } from '../../lib/transport/connectwise';
import { DattoClient } from '../../lib/transport/datto';
import { createHttpClient } from '../shared/n8nHttpAdapter';

/** The node's credentials: the PSA's (Autotask or ConnectWise) for tickets, Datto RMM for alerts and sites. */
export const AUTOTASK_CREDENTIAL = 'autotaskApi';
export const CONNECTWISE_CREDENTIAL = 'connectWiseManageApi';
export const DATTO_CREDENTIAL = 'dattoRmmApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** Both vendor clients, and the credentials' secrets to keep out of every error. */
export function vendorClients(
	ctx: Context,
	options: { writeTimeoutMs?: number } = {},
): VendorClients {
	// Credentials are read on the first request: only the chosen PSA's is ever asked for.
	const autotaskHttp = createHttpClient(ctx, AUTOTASK_CREDENTIAL);
	const connectwiseHttp = createHttpClient(ctx, CONNECTWISE_CREDENTIAL);
	const dattoHttp = createHttpClient(ctx, DATTO_CREDENTIAL);
	return {
		autotask: new AutotaskClient(autotaskHttp, options),
		connectwise: new ConnectWiseClient(connectwiseHttp, options),
		datto: new DattoClient(dattoHttp, options),
		secrets: () => [
			...autotaskHttp.secrets(),
			...connectwiseHttp.secrets(),
			...dattoHttp.secrets(),
		],
	};
}

export interface VendorClients {
	autotask: AutotaskClient;
	connectwise: ConnectWiseClient;
	datto: DattoClient;
	secrets: () => string[];
}

export function autotaskClient(ctx: Context): AutotaskClient {
	return new AutotaskClient(createHttpClient(ctx, AUTOTASK_CREDENTIAL));
}

export function connectwiseClient(ctx: Context): ConnectWiseClient {
	return new ConnectWiseClient(createHttpClient(ctx, CONNECTWISE_CREDENTIAL));
}

export function dattoClient(ctx: Context): DattoClient {
	return new DattoClient(createHttpClient(ctx, DATTO_CREDENTIAL));
}
