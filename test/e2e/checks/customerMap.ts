import type { IDataObject } from 'n8n-workflow';

import { companyOf, parseCustomerMap } from '../../../lib/customers/map';
import type { Customer } from '../../../lib/customers/map';
import {
	createCustomerMap,
	DATA_TABLE_SCOPES,
	publishWithDataTable,
} from '../../../dev/n8n/dataTables';
import type { ExecutionResult } from '../../../dev/n8n/n8n';
import { nodeErrors, nodeOutputs } from '../../../dev/n8n/n8n';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { check, detail } from '../../../dev/n8n/progress';
import { PublicApi, waitForWebhook } from '../../../dev/n8n/server';
import { describeDiff, diffState } from '../../../dev/n8n/state';
import { nodesOfType } from '../../../dev/n8n/templates';
import { runThroughWebhook } from '../../../dev/n8n/webhookRun';
import { setDeviceMappings } from '../../../dev/templates';
import type { Psa } from '../../../dev/psaState';
import { DEFAULT_SEED_DIR } from '../../../sandbox/core/seed';
import { readScenario } from '../../../sandbox/scenario';
import type { ImportedTemplate, Lane } from '../lane';
import { writeRequests } from './shared';

/**
 * The map-driven templates in the lane's n8n: the "Customer Map" Data Table created through
 * n8n's public API from the seed's customer map, each template's Data table node pointed at it,
 * published, and started through its webhook (n8n's own Data table node reads the table).
 */
export async function setUpCustomerMap(lane: Lane): Promise<void> {
	const api = await PublicApi.create(lane.session!, 'e2e lane: customer map', DATA_TABLE_SCOPES);
	lane.dataApi = api;
	lane.customerMap = await createCustomerMap(api, lane.sandbox!);
	const scenario = readScenario(DEFAULT_SEED_DIR);
	for (const imported of lane.templates.filter((template) => template.spec.webhookPath)) {
		const stored = await publishWithDataTable(api, imported.id, lane.customerMap, (workflow) => {
			// The device type, UDF and contract rules a user picks in the node, from the seed.
			if (imported.spec.kind === 'devices') setDeviceMappings(workflow.nodes, scenario);
		});
		imported.workflow = { ...stored, id: imported.id };
		await waitForWebhook(lane.server!, imported.spec.webhookPath!);
	}
}

function customerMap(lane: Lane) {
	check(lane.customerMap, 'the Customer Map Data Table was not created');
	return parseCustomerMap(lane.customerMap.data);
}

async function run(lane: Lane, imported: ImportedTemplate): Promise<ExecutionResult> {
	return await runThroughWebhook(
		lane.server!,
		lane.dataApi!,
		imported.id,
		imported.spec.webhookPath!,
	);
}

const failedIn = (execution: ExecutionResult) =>
	execution.data.resultData.error
		? `failed in ${execution.data.resultData.lastNodeExecuted ?? '?'}: ${execution.data.resultData.error.message ?? ''}`
		: 'succeeded';

/**
 * Issue 20: Datto devices of the mapped sites become configuration items in their customer's
 * company; a site without a company is reported on Unmapped and nothing is written for it; the
 * run succeeds; a second run writes nothing.
 */
export async function checkDeviceTemplate(lane: Lane, imported: ImportedTemplate): Promise<void> {
	const sandbox = lane.sandbox!;
	const map = customerMap(lane);
	const [node] = nodesOfType(imported.workflow, `${PACKAGE_NAME}.rmmDeviceToConfigurationItem`);
	check(node, `workflows/${imported.spec.file} has no RMM Device to Configuration Item node`);
	const companyOfSite = new Map<string, number>();
	for (const customer of map.customers)
		for (const site of customer.dattoSiteUids)
			if (customer.autotaskCompanyId)
				companyOfSite.set(site.toLowerCase(), customer.autotaskCompanyId);
	const devices = sandbox.datto.devices as Array<Record<string, unknown>>;
	const siteOf = new Map(
		devices.map((device) => [
			String(device.uid).toLowerCase(),
			String(device.siteUid).toLowerCase(),
		]),
	);

	const before = sandbox.dump();
	const first = await run(lane, imported);
	const after1 = sandbox.dump();
	const diff1 = diffState(before, after1);
	const outputs = nodeOutputs(first, node.name) ?? [];
	const [created, , , , review, unmapped] = [0, 1, 2, 3, 4, 5].map((index) => outputs[index] ?? []);
	detail(
		`run 1 ${failedIn(first)}: ${outputs.map((items) => items.length).join('/')} created/updated/deactivated/unchanged/review/unmapped; sandbox: ${describeDiff(diff1)}`,
	);
	check(!first.data.resultData.error, `run 1 ${failedIn(first)}`);
	const errors = nodeErrors(first);
	check(errors.length === 0, `run 1 recorded node errors: ${errors.join('; ')}`);
	const outside = Object.keys(diff1).filter((key) => key !== 'autotask.configurationItems');
	check(
		outside.length === 0,
		`run 1 changed more than Autotask's configuration items: ${outside.join(', ')}`,
	);
	const items = diff1['autotask.configurationItems'] ?? { added: [], removed: [], changed: [] };
	check(items.removed.length === 0, `run 1 deleted ${items.removed.length} configuration items`);
	check(
		items.added.length > 0 && items.added.length === created.length,
		`run 1 put ${created.length} devices on Created, Autotask has ${items.added.length} new configuration items (the check needs at least one)`,
	);
	for (const item of items.added) {
		const site = siteOf.get(String(item.rmmDeviceUID).toLowerCase());
		const expected = site === undefined ? undefined : companyOfSite.get(site);
		check(
			expected !== undefined && Number(item.companyID) === expected,
			`configuration item ${String(item.id)} (device ${String(item.rmmDeviceUID)}, site ${site ?? '?'}) is in company ${String(item.companyID)}; the customer map puts that site in ${expected ?? 'no company'}`,
		);
	}
	// Every device of a mapped site has its item in the site's company, or is on Needs Review.
	const reviewed = new Set(
		review.map((entry) => String((entry.device as IDataObject)?.uid ?? '').toLowerCase()),
	);
	const items1 = sandbox.autotask.configurationItems as Array<Record<string, unknown>>;
	const missing = devices.filter((device) => {
		const company = companyOfSite.get(String(device.siteUid).toLowerCase());
		if (company === undefined || device.deleted) return false;
		const uid = String(device.uid).toLowerCase();
		return (
			!reviewed.has(uid) &&
			!items1.some(
				(item) =>
					String(item.rmmDeviceUID).toLowerCase() === uid && Number(item.companyID) === company,
			)
		);
	});
	check(
		missing.length === 0,
		`after run 1, ${missing.length} devices of mapped sites have no configuration item in their company and are not on Needs Review: ${missing.map((device) => String(device.hostname)).join(', ')}`,
	);
	// A site the map gives no company: reported, nothing written for its devices.
	const unmappedSites = [
		...new Set(devices.map((device) => String(device.siteUid).toLowerCase())),
	].filter((site) => !companyOfSite.has(site));
	check(
		unmappedSites.length > 0,
		'the seed has no Datto site outside the customer map: the unmapped report is not checked',
	);
	const reportedSites = new Set(unmapped.map((entry) => String(entry.siteUid ?? '').toLowerCase()));
	const unreported = unmappedSites.filter((site) => !reportedSites.has(site));
	check(
		unreported.length === 0,
		`sites with devices but no company in the map are not on Unmapped: ${unreported.join(', ')} (Unmapped: ${unmapped.map((entry) => String(entry.message)).join(' | ')})`,
	);
	const writtenUnmapped = items.added.filter(
		(item) => !companyOfSite.has(siteOf.get(String(item.rmmDeviceUID).toLowerCase()) ?? ''),
	);
	check(writtenUnmapped.length === 0, `run 1 created items for devices of unmapped sites`);

	const logMiddle = sandbox.log.entries.length;
	const second = await run(lane, imported);
	const diff2 = diffState(after1, sandbox.dump());
	const writes2 = writeRequests(sandbox.log.entries.slice(logMiddle), 'autotask');
	detail(
		`run 2 ${failedIn(second)}: ${writes2.length} Autotask writes; sandbox: ${describeDiff(diff2)}`,
	);
	check(!second.data.resultData.error, `run 2 ${failedIn(second)}`);
	check(
		writes2.length === 0,
		`run 2 sent ${writes2.length} writes: ${writes2.slice(0, 5).join(', ')}`,
	);
	check(Object.keys(diff2).length === 0, `run 2 changed the sandbox: ${describeDiff(diff2)}`);
	lane.notes.push(
		`${imported.spec.label}: run 1 created ${items.added.length} configuration items in their sites' companies (${review.length} on Needs Review, ${unmapped.length} unmapped entries covering ${unmappedSites.length} sites), run 2 wrote nothing`,
	);
}

const ACTIONS = ['created', 'updated', 'deactivated', 'reactivated'] as const;

function contactCompany(psa: Psa, contact: Record<string, unknown>): number {
	return psa === 'autotask'
		? Number(contact.companyID)
		: Number((contact.company as { id?: number } | undefined)?.id);
}

function contactEmails(psa: Psa, contact: Record<string, unknown>): string[] {
	if (psa === 'autotask')
		return [contact.emailAddress, contact.emailAddress2, contact.emailAddress3]
			.filter((value): value is string => typeof value === 'string' && value.includes('@'))
			.map((value) => value.toLowerCase());
	return (
		(contact.communicationItems ?? []) as Array<{ value?: string; communicationType?: string }>
	)
		.filter((item) => item.communicationType === 'Email' && item.value?.includes('@'))
		.map((item) => item.value!.toLowerCase());
}

/** The report's line per customer: name → counts. */
function reportLines(execution: ExecutionResult, reportNode: string): Map<string, IDataObject> {
	const lines = new Map<string, IDataObject>();
	for (const line of (nodeOutputs(execution, reportNode) ?? [])[0] ?? [])
		lines.set(String(line.customer), line as IDataObject);
	return lines;
}

const sum = (lines: Map<string, IDataObject>, fields: readonly string[]) =>
	[...lines.values()].reduce(
		(total, line) => total + fields.reduce((inner, field) => inner + Number(line[field] ?? 0), 0),
		0,
	);

/**
 * Issue 17: one workflow syncs every customer of the map with contact sync on into its own
 * company; a second run writes nothing; then one customer's tenant refuses its token while
 * another customer's user changes: that customer is reported failed, the other's change is
 * written, nothing else changes, and the execution ends failed in the report node.
 */
export async function checkCustomerContactTemplate(
	lane: Lane,
	imported: ImportedTemplate,
): Promise<void> {
	const sandbox = lane.sandbox!;
	const psa: Psa = imported.spec.kind === 'customer-contacts-autotask' ? 'autotask' : 'connectwise';
	const map = customerMap(lane);
	const synced = map.customers.filter(
		(customer) => customer.contactSync && customer.tenant && companyOf(customer, psa) !== undefined,
	);
	check(
		synced.length >= 2,
		`the seed's customer map has ${synced.length} customers to sync into ${psa}; the check needs two`,
	);
	const [report] = nodesOfType(imported.workflow, `${PACKAGE_NAME}.contactSyncReport`);
	check(report, `workflows/${imported.spec.file} has no Contact Sync Report node`);
	const customerOfEmail = (email: string): Customer | undefined => {
		const domain = email.split('@')[1];
		return synced.find((customer) => customer.domains.includes(domain));
	};
	const contactsKey = `${psa}.contacts`;

	const before = sandbox.dump();
	const first = await run(lane, imported);
	const after1 = sandbox.dump();
	const diff1 = diffState(before, after1);
	const lines1 = reportLines(first, report.name);
	detail(
		`run 1 ${failedIn(first)}: report ${[...lines1.values()].map((line) => `${String(line.customer)} ${ACTIONS.map((action) => Number(line[action] ?? 0)).join('/')} errors ${Number(line.errors ?? 0)}`).join('; ')}; sandbox: ${describeDiff(diff1)}`,
	);
	check(!first.data.resultData.error, `run 1 ${failedIn(first)}`);
	const missingLines = synced.filter((customer) => !lines1.has(customer.name));
	check(
		missingLines.length === 0,
		`run 1's report has no line for ${missingLines.map((c) => c.name).join(', ')}`,
	);
	const failing = [...lines1.values()].filter((line) => Number(line.errors ?? 0) > 0);
	check(
		failing.length === 0,
		`run 1 reports errors for ${failing.map((line) => String(line.customer)).join(', ')}`,
	);
	const outside = Object.keys(diff1).filter((key) => key !== contactsKey);
	check(outside.length === 0, `run 1 changed more than ${contactsKey}: ${outside.join(', ')}`);
	const contacts = diff1[contactsKey] ?? { added: [], removed: [], changed: [] };
	check(contacts.removed.length === 0, `run 1 deleted ${contacts.removed.length} contacts`);
	check(
		contacts.added.length === sum(lines1, ['created']),
		`run 1's report says ${sum(lines1, ['created'])} created, ${psa} has ${contacts.added.length} new contacts`,
	);
	const touched = [...contacts.added, ...contacts.changed.map((change) => change.after)];
	check(touched.length > 0, `run 1 wrote nothing into ${psa}: the check would prove nothing`);
	for (const contact of touched) {
		const emails = contactEmails(psa, contact);
		const owner = emails.map(customerOfEmail).find(Boolean);
		check(
			owner && companyOf(owner, psa) === contactCompany(psa, contact),
			`contact ${String(contact.id)} (${emails.join(', ')}) was written into company ${contactCompany(psa, contact)}, but the map puts ${owner ? `${owner.name} in ${companyOf(owner, psa)}` : 'its domain in no synced customer'}`,
		);
	}
	const companies = new Set(touched.map((contact) => contactCompany(psa, contact)));

	const logMiddle = sandbox.log.entries.length;
	const second = await run(lane, imported);
	const after2 = sandbox.dump();
	const diff2 = diffState(after1, after2);
	const writes2 = writeRequests(sandbox.log.entries.slice(logMiddle), psa);
	const lines2 = reportLines(second, report.name);
	detail(
		`run 2 ${failedIn(second)}: ${writes2.length} writes, report ${sum(lines2, ACTIONS)} changes; sandbox: ${describeDiff(diff2)}`,
	);
	check(!second.data.resultData.error, `run 2 ${failedIn(second)}`);
	check(
		writes2.length === 0 && sum(lines2, ACTIONS) === 0,
		`run 2 wrote ${writes2.length} times: ${writes2.slice(0, 5).join(', ')}`,
	);
	check(Object.keys(diff2).length === 0, `run 2 changed the sandbox: ${describeDiff(diff2)}`);

	// Isolation: customer A's tenant refuses every token; a user of customer B changes.
	const [reconcile] = nodesOfType(imported.workflow, `${PACKAGE_NAME}.contactReconcile`);
	const unchanged = ((nodeOutputs(second, reconcile.name) ?? []).flat() ?? []).find((item) => {
		const owner = typeof item.email === 'string' ? customerOfEmail(item.email) : undefined;
		return item.sourceId && item.targetId && owner?.updateExisting;
	});
	check(unchanged, 'run 2 left no synced contact of a customer with Update Existing on to change');
	const email = String(unchanged.email);
	const changedCustomer = customerOfEmail(email)!;
	const broken = synced.find((customer) => customer !== changedCustomer)!;
	const brokenTenant = sandbox.graph.findTenant(broken.tenant!);
	check(brokenTenant, `the sandbox has no tenant ${broken.tenant}`);
	const tenant = sandbox.graph.findTenant(email.split('@')[1]);
	check(tenant, `no Graph tenant has the domain of ${email}`);
	const title = `E2E map lane ${Date.now() % 100000}`;
	sandbox.graph.updateUser(String(unchanged.sourceId), { jobTitle: title }, tenant.id);
	const changedUser = sandbox.dump();
	// Consent revoked: the tokens already issued for the tenant stop working, and no new one is given.
	for (const [token, issued] of sandbox.graph.tokens)
		if (issued.tenantId === brokenTenant.id) sandbox.graph.tokens.delete(token);
	const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	sandbox.faults.add({
		vendor: 'graph',
		kind: 'status',
		status: 401,
		method: 'POST',
		path: new RegExp(`^/(${escape(broken.tenant!)}|${escape(brokenTenant.id)})/oauth2/`, 'i'),
		body: {
			error: 'invalid_client',
			error_description: 'E2E lane: consent revoked for this tenant',
		},
	});
	let third: ExecutionResult;
	try {
		third = await run(lane, imported);
	} finally {
		sandbox.faults.clear();
	}
	const diff3 = diffState(changedUser, sandbox.dump());
	const error = third.data.resultData.error;
	detail(
		`run 3 (${broken.name}'s tenant refusing tokens, ${email}'s title changed): ${failedIn(third)}; sandbox: ${describeDiff(diff3)}`,
	);
	check(
		error,
		`run 3: ${broken.name} could not be synced, yet the execution ended without an error`,
	);
	check(
		third.data.resultData.lastNodeExecuted === report.name,
		`run 3 failed in ${third.data.resultData.lastNodeExecuted ?? '?'}, not in "${report.name}" after every customer ran`,
	);
	check(
		`${error.message ?? ''} ${error.description ?? ''}`.includes(broken.name),
		`run 3's error does not name ${broken.name}: ${error.message ?? ''} ${error.description ?? ''}`,
	);
	// The report node fails the run and keeps no output in n8n: its message names the customers.
	const named = synced.filter(
		(customer) =>
			customer !== broken &&
			`${error.message ?? ''} ${error.description ?? ''}`.includes(customer.name),
	);
	check(
		named.length === 0,
		`run 3's error names ${named.map((customer) => customer.name).join(', ')} too: ${error.message ?? ''}`,
	);
	const changed3 = diff3[contactsKey]?.changed ?? [];
	check(
		Object.keys(diff3).length === 1 &&
			changed3.length === 1 &&
			JSON.stringify(changed3[0].after).includes(title),
		`run 3 should write exactly ${changedCustomer.name}'s change (title on ${email}); the sandbox: ${describeDiff(diff3)}`,
	);
	lane.notes.push(
		`${imported.spec.label}: run 1 synced ${synced.length} customers (${contacts.added.length} created, ${contacts.changed.length} changed, in ${companies.size} companies, each its own), run 2 wrote nothing; run 3 with ${broken.name}'s tenant refusing ended failed in "${report.name}" and still wrote ${changedCustomer.name}'s change`,
	);
}
