import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { AutotaskTicketStore } from '../../lib/alerts/psa/autotask';
import type { AlertTicketStore } from '../../lib/alerts/ticketStore';
import { AutotaskClient } from '../../lib/transport/autotask';
import { DattoClient } from '../../lib/transport/datto';
import { createHttpClient } from '../shared/n8nHttpAdapter';

/** The node's two credentials: Autotask for tickets, Datto RMM for alerts and sites. */
export const AUTOTASK_CREDENTIAL = 'autotaskApi';
export const DATTO_CREDENTIAL = 'dattoRmmApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** Both vendor clients, and the credentials' secrets to keep out of every error. */
export function vendorClients(
	ctx: Context,
	options: { writeTimeoutMs?: number } = {},
): {
	autotask: AutotaskClient;
	datto: DattoClient;
	secrets: () => string[];
} {
	const autotaskHttp = createHttpClient(ctx, AUTOTASK_CREDENTIAL);
	const dattoHttp = createHttpClient(ctx, DATTO_CREDENTIAL);
	return {
		autotask: new AutotaskClient(autotaskHttp, options),
		datto: new DattoClient(dattoHttp, options),
		secrets: () => [...autotaskHttp.secrets(), ...dattoHttp.secrets()],
	};
}

/** The PSA's alert tickets for one execution; complete means `completeStatus`. */
export function ticketStore(autotask: AutotaskClient, completeStatus: string): AlertTicketStore {
	return new AutotaskTicketStore(autotask, completeStatus);
}

export function autotaskClient(ctx: Context): AutotaskClient {
	return new AutotaskClient(createHttpClient(ctx, AUTOTASK_CREDENTIAL));
}

export function dattoClient(ctx: Context): DattoClient {
	return new DattoClient(createHttpClient(ctx, DATTO_CREDENTIAL));
}
