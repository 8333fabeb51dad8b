import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { AutotaskItemStore } from '../../lib/devices/autotask';
import { AutotaskClient } from '../../lib/transport/autotask';
import { DattoClient } from '../../lib/transport/datto';
import { createHttpClient } from '../shared/n8nHttpAdapter';

/** The node's two credentials: Datto RMM for devices, Autotask for configuration items. */
export const AUTOTASK_CREDENTIAL = 'autotaskApi';
export const DATTO_CREDENTIAL = 'dattoRmmApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** Both clients for one execution, and the credentials' secrets to keep out of every error. */
export function deviceSyncClients(
	ctx: Context,
	keyUdf?: string,
): {
	datto: DattoClient;
	autotask: AutotaskClient;
	items: AutotaskItemStore;
	secrets: () => string[];
} {
	const autotaskHttp = createHttpClient(ctx, AUTOTASK_CREDENTIAL);
	const dattoHttp = createHttpClient(ctx, DATTO_CREDENTIAL);
	const autotask = new AutotaskClient(autotaskHttp);
	return {
		datto: new DattoClient(dattoHttp),
		autotask,
		items: new AutotaskItemStore(autotask, keyUdf),
		secrets: () => [...autotaskHttp.secrets(), ...dattoHttp.secrets()],
	};
}

export function autotaskClient(ctx: Context): AutotaskClient {
	return new AutotaskClient(createHttpClient(ctx, AUTOTASK_CREDENTIAL));
}

export function dattoClient(ctx: Context): DattoClient {
	return new DattoClient(createHttpClient(ctx, DATTO_CREDENTIAL));
}
