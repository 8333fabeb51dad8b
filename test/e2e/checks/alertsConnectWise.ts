import { parseAlertKey } from '../../../lib/alerts/key';
import { splitXRef } from '../../../lib/alerts/psa/connectwiseRecords';
import { applyTicketEvents as applyConnectWiseTicketEvents } from '../../../sandbox/connectwise';
import { DEFAULT_SEED_DIR } from '../../../sandbox/index';
import { readScenario } from '../../../sandbox/scenario';
import type { Lane } from '../lane';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { check, detail } from '../../../dev/n8n/progress';
import type { PublicApi } from '../../../dev/n8n/server';
import { waitForWebhook } from '../../../dev/n8n/server';
import { describeDiff } from '../../../dev/n8n/state';
import {
	bindTemplate,
	CONNECTWISE_ALERT_TEMPLATE,
	nodesOfType,
	readTemplate,
} from '../../../dev/n8n/templates';
import {
	alertOutputNames,
	describeOutcome,
	formatCalls,
	post,
	randomSecret,
	runSetUpTicketWebhook,
	WebhookDeliverer,
} from './alerts';
import type { DeliveryResult } from './alerts';
import {
	createWorkflow,
	disableSchedules,
	listSearch,
	loadOptions,
	nodeNamed,
	publish,
} from './editorSteps';
import type { ListEntry } from './editorSteps';
import { writeRequests } from './shared';

type Row = Record<string, unknown>;
const idOf = (reference: unknown) => Number((reference as { id?: unknown } | undefined)?.id);

/** The entry a user picks: the one whose name says so, else the first offered. */
function pick(entries: ListEntry[], what: string, prefer: RegExp): ListEntry {
	check(entries.length > 0, `the node offers no ${what} to pick from`);
	return entries.find((entry) => prefer.test(entry.name)) ?? entries[0];
}

/**
 * Issue 23 in real n8n. The ConnectWise alert template imported through n8n's API and set up as
 * its notes say, with every value picked from the node's own lists as the editor loads them: the
 * board (list search), the new and closed statuses (load options, from the board), the sites in
 * Site to Company (list search, node version 3) with each customer's ConnectWise company from the customer map
 * (the seed's scenario.json rows); then published. Datto RMM alerts delivered to its live URL:
 * 1. two alerts on one device open two service tickets on the picked board, in the mapped
 *    company, each carrying its alert's key; a re-delivery opens none;
 * 2. the first alert resolved in Datto closes its ticket (a closed status of the board);
 * 3. Set Up Ticket Webhook registers the ticket callback; a technician closes the second ticket:
 *    the callback without the secret is rejected (its run fails, nothing changes), the callback
 *    as ConnectWise sent it resolves the second alert in Datto RMM.
 */
export async function checkConnectWiseAlertTemplate(lane: Lane, api: PublicApi): Promise<void> {
	const server = lane.server!;
	const session = lane.session!;
	const sandbox = lane.sandbox!;
	const spec = CONNECTWISE_ALERT_TEMPLATE;
	const template = readTemplate(spec);
	check(template, `Template workflows/${spec.file} is missing`);
	const { workflow, bound } = bindTemplate(template, spec, lane.credentialRefs, lane.nodeTypes);
	const node = nodeNamed(workflow, 'RMM Alert to Ticket');
	check(node.parameters?.psa === 'connectwise', `workflows/${spec.file}: PSA is not ConnectWise`);

	// The picks, in the order the editor offers them.
	const board = pick(
		await listSearch(session, node, 'connectwiseBoard', 'searchConnectWiseBoards'),
		'ConnectWise board',
		/monitor|alert/i,
	);
	node.parameters!.connectwiseBoard = {
		__rl: true,
		mode: 'list',
		value: String(board.value),
		cachedResultName: board.name,
	};
	const newStatus = pick(
		await loadOptions(session, node, 'connectwiseTicket.newStatus', 'getConnectWiseOpenStatuses'),
		'open status',
		/\(default\)/,
	);
	const closedStatus = pick(
		await loadOptions(
			session,
			node,
			'connectwiseTicket.closedStatus',
			'getConnectWiseClosedStatuses',
		),
		'closed status',
		/closed/i,
	);
	// Site to Company (node version 3): both columns are pickers (resource locators).
	const sites = await listSearch(session, node, 'siteCompanies.mappings.site', 'searchDattoSites');
	const companies = await listSearch(
		session,
		node,
		'siteCompanies.mappings.companyId',
		'searchCompanies',
	);
	const siteNamed = new Map(sites.map((site) => [String(site.value), site.name]));
	const companyNamed = new Map(companies.map((entry) => [String(entry.value), entry.name]));
	const mappings = (readScenario(DEFAULT_SEED_DIR).customers ?? []).flatMap((customer) =>
		customer.connectwiseCompanyId === undefined ||
		!companyNamed.has(String(customer.connectwiseCompanyId))
			? []
			: (customer.dattoSiteUids ?? [])
					.filter((site) => siteNamed.has(site))
					.map((site) => ({ site, companyId: customer.connectwiseCompanyId })),
	);
	check(
		mappings.length > 0,
		'no customer map row names a Datto site and a ConnectWise company the pickers list',
	);
	const picked = (value: string | number, name: string | undefined) => ({
		__rl: true,
		mode: 'list',
		value: String(value),
		cachedResultName: name,
	});
	const secret = randomSecret();
	node.parameters = {
		...node.parameters,
		connectwiseTicket: {
			newStatus: String(newStatus.value),
			closedStatus: String(closedStatus.value),
		},
		siteCompanies: {
			mappings: mappings.map((row) => ({
				site: picked(row.site, siteNamed.get(row.site)),
				companyId: picked(row.companyId!, companyNamed.get(String(row.companyId))),
			})),
		},
		callbackSecret: secret,
	};
	detail(
		`picked board "${board.name}" (${board.value}), new status "${newStatus.name}", closed status "${closedStatus.name}", ${mappings.length} sites mapped (of ${sites.length} listed)`,
	);

	disableSchedules(workflow);
	const stored = await createWorkflow(api, workflow);
	await publish(api, stored);
	const path = (name: string) =>
		String(nodeNamed(workflow, name).parameters?.path ?? '').replace(/^\//, '');
	const dattoPath = path('Datto RMM Webhook');
	const callbackPath = path('ConnectWise Ticket Callback');
	await waitForWebhook(server, dattoPath);
	await waitForWebhook(server, callbackPath);
	const dattoUrl = `${server.url}/webhook/${dattoPath}`;
	const callbackUrl = `${server.url}/webhook/${callbackPath}`;
	detail(
		`imported as ${stored.id} (credentials: ${bound.join(', ')}) and published: POST ${dattoUrl}`,
	);

	const nodeNames = nodesOfType(workflow, `${PACKAGE_NAME}.rmmAlertToTicket`).map((n) => n.name);
	const deliverer = new WebhookDeliverer(lane, api, stored.id, nodeNames, alertOutputNames(lane));
	await deliverer.prime();
	const desk = sandbox.connectwise.service;
	const ticket = (id: number) => desk.tickets.find((row) => Number(row.id) === id) as Row;
	const calls: Record<string, string> = {};
	const only = (label: string, result: DeliveryResult) => {
		check(
			result.outcomes.length === 1,
			`${label}: expected one item, got ${describeOutcome(result)}`,
		);
		detail(
			`${label}: ${describeOutcome(result)}; ${describeDiff(result.diff)}; API calls: ${formatCalls(result.calls)}`,
		);
		calls[label] = formatCalls(result.calls);
		return result.outcomes[0];
	};

	// 1. Two alerts on a mapped device: two tickets, each with its key.
	const siteCompany = new Map(mappings.map((row) => [row.site, Number(row.companyId)]));
	const device = (sandbox.dump().datto.devices as Row[]).find((row) =>
		siteCompany.has(String(row.siteUid)),
	);
	check(device, 'no Datto device at a mapped site');
	const company = siteCompany.get(String(device.siteUid))!;
	sandbox.datto.takeOutbox();
	const raise = (service: string) => {
		const alert = sandbox.datto.raiseAlert({
			deviceUid: String(device.uid),
			alertContext: { '@class': 'srvc_status_ctx', serviceName: service, status: 'STOPPED' },
			priority: 'High',
		});
		const [delivery] = sandbox.datto.takeOutbox();
		return { alert, body: delivery.body };
	};
	const first = raise('E2eConnectWiseA');
	const second = raise('E2eConnectWiseB');
	const ticketsBefore = desk.tickets.length;
	const opened: number[] = [];
	for (const [label, raised] of [
		['ConnectWise: alert A raised', first],
		['ConnectWise: alert B raised', second],
	] as const) {
		const outcome = only(label, await deliverer.deliver(dattoUrl, { label, body: raised.body }));
		check(outcome.output === 'created', `${label}: expected Created, got ${outcome.output}`);
		const id = Number(outcome.json.ticketId);
		const row = ticket(id);
		check(row, `${label}: ticket ${id} is not in ConnectWise`);
		// The key as the package writes it (the alert uid in a compact form, ConnectWise keeps 100).
		const keyUid = parseAlertKey(splitXRef(row.externalXRef)?.key ?? '')?.alertUid;
		check(
			keyUid?.toLowerCase() === raised.alert.alertUid.toLowerCase(),
			`${label}: ticket ${id}'s externalXRef "${String(row.externalXRef)}" does not carry the alert's key (reads as ${String(keyUid)})`,
		);
		check(
			idOf(row.board) === Number(board.value) && idOf(row.company) === company,
			`${label}: ticket ${id} is on board ${idOf(row.board)} in company ${idOf(row.company)}, expected board ${board.value} in company ${company}`,
		);
		check(
			idOf(row.status) === Number(newStatus.value),
			`${label}: ticket ${id} has status ${idOf(row.status)}, expected "${newStatus.name}"`,
		);
		opened.push(id);
	}
	check(
		opened[0] !== opened[1] && desk.tickets.length === ticketsBefore + 2,
		`two alerts should open two tickets; tickets ${opened.join(', ')}, ${desk.tickets.length - ticketsBefore} new`,
	);
	const again = only(
		'ConnectWise: alert A re-delivered',
		await deliverer.deliver(dattoUrl, {
			label: 'ConnectWise: alert A re-delivered',
			body: first.body,
		}),
	);
	check(
		again.output !== 'created' && desk.tickets.length === ticketsBefore + 2,
		`the re-delivery opened a ticket (${again.output})`,
	);

	// 2. Alert A resolved in Datto: its ticket closes.
	sandbox.datto.resolveAlert(first.alert.alertUid);
	const [resolvedA] = sandbox.datto.takeOutbox();
	const closed = only(
		'ConnectWise: alert A resolved',
		await deliverer.deliver(dattoUrl, {
			label: 'ConnectWise: alert A resolved',
			body: resolvedA.body,
		}),
	);
	const ticketA = ticket(opened[0]);
	check(
		closed.output === 'completed' &&
			ticketA.closedFlag === true &&
			idOf(ticketA.status) === Number(closedStatus.value),
		`alert A resolved: ticket ${opened[0]} is ${String(ticketA.closedFlag ? 'closed' : 'open')} with status ${idOf(ticketA.status)} (${closed.output})`,
	);
	check(ticket(opened[1]).closedFlag !== true, 'resolving alert A closed ticket B too');

	// 3. The callback: set up, then a technician closes ticket B.
	const setUp = await runSetUpTicketWebhook(lane, api, 'connectwise', {
		connectwiseBoard: node.parameters.connectwiseBoard,
		callbackSecret: secret,
		ticketWebhookUrl: callbackUrl,
	});
	const callbacks = desk.callbacks.filter((row) => String(row.url).startsWith(callbackUrl));
	check(
		callbacks.length === 1 && String(callbacks[0].url).includes(encodeURIComponent(secret)),
		`Set Up Ticket Webhook left ${callbacks.length} callback(s) for ${callbackUrl} carrying the secret (said: ${JSON.stringify(setUp).slice(0, 300)})`,
	);
	detail(
		`Set Up Ticket Webhook: callback ${String(callbacks[0].id)}, type ${String(callbacks[0].type)}, level ${String(callbacks[0].level)}, object ${String(callbacks[0].objectId)}`,
	);
	desk.outbox.take();
	const applied = applyConnectWiseTicketEvents(sandbox.connectwise, {
		events: [{ ticketId: opened[1], closed: true }],
	});
	check(!applied.outcomes[0]?.error, `closing ticket ${opened[1]}: ${applied.outcomes[0]?.error}`);
	const deliveries = desk.outbox.take();
	check(
		deliveries.length === 1 && deliveries[0].url.startsWith(callbackUrl),
		`closing ticket ${opened[1]} queued ${deliveries.length} callback(s)`,
	);
	const [callback] = deliveries;
	check(
		!sandbox.datto.alert(second.alert.alertUid)?.resolved,
		'alert B resolved before any callback',
	);

	const logBefore = sandbox.log.entries.length;
	const rejected = await deliverer.send(
		'ConnectWise callback without the secret',
		async () => await post(callbackUrl, callback.headers, callback.body),
		'error',
	);
	check(
		/secret/i.test(rejected.error ?? '') && !(rejected.error ?? '').includes(secret),
		`the unauthenticated callback's run failed with "${rejected.error}"`,
	);
	const writes = writeRequests(sandbox.log.entries.slice(logBefore));
	check(
		Object.keys(rejected.diff).length === 0 && writes.length === 0,
		`the unauthenticated callback changed the sandbox: ${describeDiff(rejected.diff)} ${writes.join(', ')}`,
	);
	check(
		!sandbox.datto.alert(second.alert.alertUid)?.resolved,
		'the unauthenticated callback resolved the alert',
	);
	detail(
		`callback without the secret: execution failed ("${(rejected.error ?? '').slice(0, 90)}"), 0 writes`,
	);

	const accepted = await deliverer.send(
		'ConnectWise callback: ticket B closed',
		async () => await post(callback.url, callback.headers, callback.body),
	);
	check(
		sandbox.datto.alert(second.alert.alertUid)?.resolved === true,
		`ticket ${opened[1]} closed in ConnectWise, yet alert B is still open (${describeOutcome(accepted)})`,
	);
	detail(
		`callback: ${describeOutcome(accepted)}; ${describeDiff(accepted.diff)}; API calls: ${formatCalls(accepted.calls)}`,
	);
	lane.notes.push(
		`ConnectWise alert template: board "${board.name}" picked; 2 alerts → tickets ${opened.join(', ')} (key in externalXRef; API calls ${calls['ConnectWise: alert A raised']} / ${calls['ConnectWise: alert B raised']}), re-delivery 0 new (${calls['ConnectWise: alert A re-delivered']}); resolve closed ticket ${opened[0]} (${calls['ConnectWise: alert A resolved']}); ticket ${opened[1]} closed in ConnectWise → callback → alert resolved in Datto RMM (${String(accepted.outcomes[0]?.json.decision)}; ${formatCalls(accepted.calls)}); callback without the secret: run failed, 0 writes (${formatCalls(rejected.calls)})`,
	);
}
