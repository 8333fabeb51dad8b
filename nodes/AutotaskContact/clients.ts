import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { AutotaskClient } from '../../lib/transport/autotask';
import { AUTOTASK_CREDENTIAL } from '../shared/methods/autotaskPickerPage';
import { createHttpClient } from '../shared/n8nHttpAdapter';

export { AUTOTASK_CREDENTIAL };

/** An Autotask client on the node's credential, and the secrets to keep out of every error. */
export function autotaskClient(ctx: IExecuteFunctions | ILoadOptionsFunctions): {
	client: AutotaskClient;
	secrets: () => string[];
} {
	const http = createHttpClient(ctx, AUTOTASK_CREDENTIAL);
	return { client: new AutotaskClient(http), secrets: () => http.secrets() };
}
