import type { INodeProperties } from 'n8n-workflow';

/**
 * The node's operations; each one is actions/<value>.ts. Version 2 has one operation for every
 * trigger of the alert workflow (the ticket settings are set once); version 1 keeps the two
 * operations it had for saved workflows.
 */
export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Handle Trigger',
				value: 'handleTrigger',
				description:
					'One node for every trigger of the alert workflow: Datto RMM alert deliveries open, note or complete tickets; PSA ticket webhooks or callbacks resolve the alerts of completed tickets; a schedule runs the backstop',
				action: 'Handle an alert workflow trigger',
			},
			{
				name: 'Resolve Alert From Ticket',
				value: 'resolveAlertFromTicket',
				description:
					'Resolve the Datto RMM alert a PSA ticket was opened for (for example when the ticket is completed)',
				action: 'Resolve the alert of a ticket',
			},
			{
				name: 'Set Up Ticket Webhook',
				value: 'setUpTicketWebhook',
				description:
					"Create the PSA's ticket webhook (Autotask) or ticket callback (ConnectWise) that tells the workflow when a ticket is completed; run once, it says what it created and changes nothing when run again",
				action: 'Set up the ticket webhook',
			},
		],
		default: 'handleTrigger',
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Process Alert',
				value: 'processAlert',
				description:
					'Open, note or complete the PSA ticket for a raised or resolved Datto RMM alert (completed only when no alert of its problem is still open)',
				action: 'Process an alert',
			},
			{
				name: 'Resolve Alert From Ticket',
				value: 'resolveAlertFromTicket',
				description:
					'Resolve the Datto RMM alert a PSA ticket was opened for (for example when the ticket is completed)',
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
		displayOptions: { show: { '@version': [1] } },
	},
];
