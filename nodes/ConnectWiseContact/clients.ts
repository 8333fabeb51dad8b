import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { ConnectWiseClient } from '../../lib/transport/connectwise';
import { createHttpClient } from '../shared/n8nHttpAdapter';

export const CONNECTWISE_CREDENTIAL = 'connectWiseManageApi';

/** A ConnectWise client on the node's credential, and the secrets to keep out of every error. */
export function connectWiseClient(ctx: IExecuteFunctions | ILoadOptionsFunctions): {
	client: ConnectWiseClient;
	secrets: () => string[];
} {
	const http = createHttpClient(ctx, CONNECTWISE_CREDENTIAL);
	return { client: new ConnectWiseClient(http), secrets: () => http.secrets() };
}
