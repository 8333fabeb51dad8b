import type { INodeProperties } from 'n8n-workflow';

/** The node's operations; each one is actions/<value>.ts. */
export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Process Alert',
			value: 'processAlert',
			description:
				'Open, note or complete the Autotask ticket for a raised or resolved Datto RMM alert (completed only when no alert of its problem is still open)',
			action: 'Process an alert',
		},
		{
			name: 'Resolve Alert From Ticket',
			value: 'resolveAlertFromTicket',
			description:
				'Resolve the Datto RMM alert an Autotask ticket was opened for (for example when the ticket is completed)',
			action: 'Resolve the alert of a ticket',
		},
		{
			name: 'Sync Open Alerts',
			value: 'syncOpenAlerts',
			description:
				'Open tickets for open alerts a webhook missed and complete tickets whose alert was resolved',
			action: 'Sync open alerts with tickets',
		},
	],
	default: 'processAlert',
};
