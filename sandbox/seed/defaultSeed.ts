/**
 * The shipped default seed (sandbox/seed/default, committed and checked against this generator by
 * test/sandbox/seed.test.ts).
 */
import { emptySeed } from '../core/seed';
import {
	autotaskCompanies,
	autotaskContacts,
	autotaskPicklists,
	autotaskResources,
} from './autotask';
import { autotaskConfigurationItems, autotaskTickets } from './autotaskTickets';
import {
	connectwiseCommunicationTypes,
	connectwiseCompanies,
	connectwiseContacts,
} from './connectwise';
import {
	connectwiseBoardItems,
	connectwiseBoards,
	connectwiseBoardStatuses,
	connectwiseBoardSubTypes,
	connectwiseBoardTypes,
	connectwiseConfigurations,
	connectwiseConfigurationTypes,
	connectwisePriorities,
	connectwiseSources,
	connectwiseTickets,
} from './connectwiseService';
import { CONTOSO, PARTNER_TENANT, TENANTS, defaultScenario, tenantByKey } from './customers';
import { dattoSitesAndDevices } from './datto';
import { dattoAlerts, dattoWebhooks, ticketEvents } from './dattoAlerts';
import {
	autotaskConfigurationItemTypes,
	autotaskContracts,
	autotaskContractServiceBundles,
	autotaskContractServices,
	autotaskProducts,
	dattoDeviceAudits,
	deviceSyncScenario,
} from './devices';
import { buildTenant, graphUser } from './graph';
import { setRows } from './layout';
import type { GeneratedSeed, Row } from './layout';
import { CONTOSO_PSA, otherCustomerContacts, staffPsaContacts } from './psaContacts';
import { SeededRandom } from './random';
import { COHO_WINERY_STAFF, staffOf } from './staff';
import { customerTenantUsers, partnerUsers, tenantRecords } from './tenants';

export function generateDefaultSeed(randomSeed = 20261123): GeneratedSeed {
	const seed = emptySeed();
	const tenant = buildTenant(new SeededRandom(randomSeed));
	const userRandom = new SeededRandom(randomSeed + 1);
	const contosoUsers = tenant.map((person) =>
		graphUser(person, userRandom, tenantByKey('contoso')),
	);
	// Coho Winery: a whole directory of its own, each PSA's view of it drawn separately.
	const coho = staffOf(COHO_WINERY_STAFF, new SeededRandom(randomSeed + 10));
	const cohoUserRandom = new SeededRandom(randomSeed + 11);
	const cohoUsers = coho.map((person) =>
		graphUser(person, cohoUserRandom, COHO_WINERY_STAFF.tenant),
	);
	const cohoContacts = (system: 'autotask' | 'connectwise', random: SeededRandom) =>
		staffPsaContacts(coho, random, system, COHO_WINERY_STAFF.customer, COHO_WINERY_STAFF.psa);

	const others = otherCustomerContacts(new SeededRandom(randomSeed + 2));
	const autotaskPeople = [
		...staffPsaContacts(tenant, new SeededRandom(randomSeed + 3), 'autotask', CONTOSO, CONTOSO_PSA),
		...others,
		...cohoContacts('autotask', new SeededRandom(randomSeed + 12)),
	];
	const connectwisePeople = [
		...staffPsaContacts(
			tenant,
			new SeededRandom(randomSeed + 4),
			'connectwise',
			CONTOSO,
			CONTOSO_PSA,
		),
		...others,
		...cohoContacts('connectwise', new SeededRandom(randomSeed + 13)),
	];

	const datto = dattoSitesAndDevices(new SeededRandom(randomSeed + 5));
	const alerts = dattoAlerts(datto.devices, new SeededRandom(randomSeed + 6));
	const cis = autotaskConfigurationItems(datto.devices);
	const ticketing = autotaskTickets(alerts.byKey, alerts.hosts, cis);

	setRows(seed, 'autotask', 'companies', autotaskCompanies());
	setRows(seed, 'autotask', 'contacts', autotaskContacts(autotaskPeople, 30682901));
	setRows(seed, 'autotask', 'resources', autotaskResources());
	setRows(seed, 'autotask', 'tickets', ticketing.tickets);
	setRows(seed, 'autotask', 'ticketNotes', ticketing.notes);
	setRows(seed, 'autotask', 'configurationItems', cis);
	setRows(seed, 'autotask', 'timeEntries', ticketing.timeEntries);
	setRows(seed, 'autotask', 'picklists', autotaskPicklists());
	setRows(seed, 'autotask', 'products', autotaskProducts());
	setRows(seed, 'autotask', 'configurationItemTypes', autotaskConfigurationItemTypes());
	setRows(seed, 'autotask', 'contracts', autotaskContracts());
	setRows(seed, 'autotask', 'ticketEvents', ticketEvents(alerts.byKey, 'autotask'));
	setRows(seed, 'autotask', 'contractServices', autotaskContractServices());
	setRows(seed, 'autotask', 'contractServiceBundles', autotaskContractServiceBundles());

	setRows(seed, 'connectwise', 'companies', connectwiseCompanies());
	setRows(
		seed,
		'connectwise',
		'contacts',
		connectwiseContacts(connectwisePeople, 1201, new SeededRandom(randomSeed + 7)),
	);
	setRows(seed, 'connectwise', 'communicationTypes', connectwiseCommunicationTypes());
	const configurations = connectwiseConfigurations(datto.devices);
	const service = connectwiseTickets(configurations);
	setRows(seed, 'connectwise', 'boards', connectwiseBoards());
	setRows(seed, 'connectwise', 'boardStatuses', connectwiseBoardStatuses());
	setRows(seed, 'connectwise', 'boardTypes', connectwiseBoardTypes());
	setRows(seed, 'connectwise', 'boardSubTypes', connectwiseBoardSubTypes());
	setRows(seed, 'connectwise', 'boardItems', connectwiseBoardItems());
	setRows(seed, 'connectwise', 'priorities', connectwisePriorities());
	setRows(seed, 'connectwise', 'sources', connectwiseSources());
	setRows(seed, 'connectwise', 'configurationTypes', connectwiseConfigurationTypes());
	setRows(seed, 'connectwise', 'configurations', configurations);
	setRows(seed, 'connectwise', 'tickets', service.tickets);
	setRows(seed, 'connectwise', 'ticketNotes', service.notes);
	setRows(seed, 'connectwise', 'timeEntries', service.timeEntries);
	setRows(seed, 'connectwise', 'ticketConfigurations', service.ticketConfigurations);

	setRows(seed, 'datto', 'sites', datto.sites);
	setRows(
		seed,
		'datto',
		'devices',
		datto.devices.map((device) => device.row),
	);
	setRows(
		seed,
		'datto',
		'deviceAudits',
		dattoDeviceAudits(datto.devices, new SeededRandom(randomSeed + 8)),
	);
	setRows(seed, 'datto', 'alerts', alerts.alerts);
	setRows(seed, 'datto', 'webhooks', dattoWebhooks(alerts.byKey, alerts.hosts));

	// Microsoft 365: a tenant per customer (Contoso's and Coho's users as above) and the MSP's own.
	setRows(seed, 'graph', 'tenants', tenantRecords(new SeededRandom(randomSeed + 8)));
	const tenantRandom = new SeededRandom(randomSeed + 9);
	seed.graph.tenantUsers = { [PARTNER_TENANT.id]: partnerUsers(tenantRandom) };
	const wholeDirectories: Record<string, Row[]> = { contoso: contosoUsers, coho: cohoUsers };
	for (const spec of TENANTS) {
		seed.graph.tenantUsers[spec.id] =
			wholeDirectories[spec.key] ?? customerTenantUsers(spec, others, tenantRandom);
	}
	const siteUids = (key: string) => [
		...new Set(
			datto.devices
				.filter((device) => (device.site.customer?.key ?? device.site.key) === key)
				.map((device) => String(device.siteRow.uid)),
		),
	];
	return { seed, scenario: { ...defaultScenario(siteUids), deviceSync: deviceSyncScenario() } };
}
