import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/router';
import * as handleTrigger from './handleTrigger';
import * as processAlert from './processAlert';
import * as resolveAlertFromTicket from './resolveAlertFromTicket';
import * as setUpTicketWebhook from './setUpTicketWebhook';
import * as syncOpenAlerts from './syncOpenAlerts';

const operations = {
	handleTrigger,
	processAlert,
	syncOpenAlerts,
	resolveAlertFromTicket,
	setUpTicketWebhook,
};

/** Runs the chosen operation (descriptions/operation.ts lists them). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
