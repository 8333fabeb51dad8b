import { companyOf, customerOfSite } from '../customers/map';
import type { CustomerMap, Psa } from '../customers/map';
import { InputError } from '../transport/http';
import type { AlertInfo } from './alert';
import type { AlertRun } from './alertRun';
import { alertKey, alertPart, deviceStormPrefix, siteStormPrefix } from './key';
import type { KeyParts } from './key';
import { renderTemplate, templateVariables } from './settings';
import type { EffectiveSettings } from './settings';
import type { ConfigurationItem, TicketDraft } from './ticketStore';

export interface CompanyMapping {
	/** Site UID or site name → Autotask company id. */
	site: string;
	companyId: number;
}

/**
 * Site to company from the customer map (lib/customers/map.ts), for the PSA tickets go to. When
 * given, it is the only source: no Datto site is read and neither the site's own Autotask
 * mapping nor the node's Site to Company table is used.
 */
export interface MappedCompanies {
	map: CustomerMap;
	psa: Psa;
}

/** Where a new ticket goes and what it carries besides its settings. */
export interface TicketBodyConfig {
	/** The customer map (given on the node's Customer Map input); replaces the three below. */
	customers?: MappedCompanies;
	/** Use the site's own Autotask mapping (Datto's native integration) first. */
	useSiteAutotaskCompany: boolean;
	siteCompanies: CompanyMapping[];
	catchAllCompanyId?: number;
	attachConfigurationItem: boolean;
	assignToEmail?: string;
	fallbackAssigneeEmail?: string;
	/** The storm guard (also told in a storm ticket's description). */
	stormWindowMinutes: number;
	/** New tickets per device within the window; 0 = no limit. */
	stormPerDevice: number;
	/** New tickets per site within the window; 0 = no limit. */
	stormPerSite: number;
}

export type CompanySource = 'customerMap' | 'site' | 'siteTable' | 'catchAll';

export interface ChosenCompany {
	id: number;
	source: CompanySource;
	/** The customer map's row the company came from. */
	customer?: string;
	/** Why the catch-all company was chosen ('' otherwise). */
	explanation: string;
}

export interface NewTicket {
	draft: TicketDraft;
	company: ChosenCompany;
}

const PSA_LABELS: Record<Psa, string> = { autotask: 'Autotask', connectwise: 'ConnectWise' };

/**
 * The company from the customer map: the PSA company of the row that lists the site. A site no
 * row lists (or whose customer has no company in this PSA) gets no ticket in any customer's
 * company: the catch-all company, named on the ticket, or the delivery fails.
 */
function mappedCompany(
	customers: MappedCompanies,
	config: TicketBodyConfig,
	alert: AlertInfo,
): ChosenCompany {
	const customer = customerOfSite(customers.map, alert.siteUid);
	const id = customer && companyOf(customer, customers.psa);
	if (customer && id !== undefined)
		return { id, source: 'customerMap', customer: customer.name, explanation: '' };
	const psa = PSA_LABELS[customers.psa];
	const column = customers.psa === 'autotask' ? 'autotaskCompanyId' : 'connectwiseCompanyId';
	const site = `Datto RMM site "${alert.siteName || alert.siteUid}" (${alert.siteUid || 'no site uid'})`;
	const unreadable = customers.map.errors.length
		? ` (${customers.map.errors.length} customer map row(s) could not be read, e.g. ${customers.map.errors[0].message})`
		: '';
	const why = customer
		? `${site} belongs to customer "${customer.name}", whose customer map row has no ${column}`
		: `${site} is in no row of the customer map${unreadable}`;
	const fix = customer
		? `Enter the customer's ${psa} company id in ${column}`
		: `Add the site's uid to its customer's dattoSiteUids in the customer map`;
	if (config.catchAllCompanyId !== undefined)
		return {
			id: config.catchAllCompanyId,
			source: 'catchAll',
			explanation: `Company: this ticket went to the catch-all company because ${why}. ${fix}, then move the ticket to the right company.`,
		};
	throw new InputError(
		'Customer Map',
		`No ticket opened: ${why}`,
		`${fix}, or set a Catch-All Company to receive such alerts. A ticket is never opened in a company the map does not give the site.`,
	);
}

/**
 * The company: from the customer map when it is given; otherwise the site's Autotask mapping,
 * then the site table, then the catch-all.
 */
export async function chooseCompany(
	run: AlertRun,
	config: TicketBodyConfig,
	alert: AlertInfo,
): Promise<ChosenCompany> {
	if (config.customers) return mappedCompany(config.customers, config, alert);
	let siteName = alert.siteName;
	// A Datto site's own mapping names Autotask companies only.
	const siteMapping = config.useSiteAutotaskCompany && run.store.usesDattoSiteCompany;
	if (siteMapping && alert.siteUid) {
		const site = await run.sites.get(alert.siteUid);
		siteName = site?.name ?? siteName;
		const mapped = Number(site?.autotaskCompanyId);
		if (site?.autotaskCompanyId && Number.isInteger(mapped) && mapped >= 0)
			return { id: mapped, source: 'site', explanation: '' };
	}
	const wanted = [alert.siteUid, siteName]
		.filter(Boolean)
		.map((value) => value.trim().toLowerCase());
	const row = config.siteCompanies.find((entry) =>
		wanted.includes(entry.site.trim().toLowerCase()),
	);
	if (row) return { id: row.companyId, source: 'siteTable', explanation: '' };
	if (config.catchAllCompanyId !== undefined) {
		return {
			id: config.catchAllCompanyId,
			source: 'catchAll',
			explanation: `Company: this ticket went to the catch-all company because Datto RMM site "${siteName || alert.siteUid}" (${alert.siteUid}) ${siteMapping ? 'is not mapped to an Autotask company in Datto RMM and ' : ''}is not in the node's site-to-company table. Map the site (${siteMapping ? 'Datto RMM: Setup > Integrations > Autotask, or ' : ''}the node's Site to Company table) and move the ticket to the right company.`,
		};
	}
	throw new InputError(
		'Catch-All Company ID',
		`No ${run.store.name} company for Datto RMM site "${siteName || alert.siteUid}"`,
		siteMapping
			? 'Map the site to an Autotask company in Datto RMM, add it to "Site to Company", or set a "Catch-All Company ID".'
			: `Add the site to "Site to Company" with its ${run.store.name} company, or set a "Catch-All Company".`,
	);
}

/**
 * A mapped company the PSA's own record of the device contradicts: the device's active
 * configuration items all belong to another company. A mistyped company id in a mapping (one
 * digit off is another customer) would otherwise open tickets in that customer's company; the
 * ticket goes to the catch-all company (the MSP's own) with a note instead, or, without one, the
 * delivery fails. Only a mapping is checked: the catch-all company is the MSP's own.
 */
function checkMappedCompany(
	config: TicketBodyConfig,
	alert: AlertInfo,
	company: ChosenCompany,
	items: ConfigurationItem[],
): ChosenCompany {
	if (company.source === 'catchAll') return company;
	const active = items.filter((ci) => ci.active);
	if (!active.length || active.some((ci) => ci.companyId === company.id)) return company;
	const owners = [...new Set(active.map((ci) => ci.companyId))].join(', ');
	const site = `Datto RMM site "${alert.siteName || alert.siteUid}" (${alert.siteUid})`;
	const by =
		company.source === 'customerMap'
			? `the customer map, customer "${company.customer}"`
			: company.source === 'site'
				? "Datto RMM's own Autotask mapping"
				: 'the Site to Company table';
	const psa = config.customers ? PSA_LABELS[config.customers.psa] : 'Autotask';
	const what = `${site} maps to ${psa} company ${company.id} (${by}), but device ${alert.hostname || alert.deviceUid} is configuration item ${active.map((ci) => ci.id).join(', ')} of company ${owners}`;
	if (config.catchAllCompanyId === undefined)
		throw new InputError(
			company.source === 'customerMap'
				? 'Customer Map'
				: company.source === 'site'
					? "Use Site's Autotask Company"
					: 'Site to Company',
			`No ticket opened: ${what}`,
			"One of them is wrong, and a ticket is never opened in another customer's company. Fix the site's mapping (or the configuration item), or set a Catch-All Company to receive such alerts.",
		);
	return {
		id: config.catchAllCompanyId,
		source: 'catchAll',
		explanation: `Company: this ticket went to the catch-all company because ${what}. One of them is wrong, and a ticket is never opened in another customer's company: fix the site's mapping (or the configuration item) and move the ticket to the right company.`,
	};
}

/**
 * The configuration item of the alert's device, attached only when it belongs to the ticket's
 * company; otherwise a line for the description says why none was attached.
 */
function chooseConfigurationItem(
	items: ConfigurationItem[],
	companyId: number,
): { id?: number; note?: string } {
	const match = items.find((ci) => ci.companyId === companyId && ci.active);
	if (match) return { id: match.id };
	if (!items.length) return {};
	return {
		note: `Configuration item ${items.map((ci) => ci.id).join(', ')} matches this device but belongs to another company (${[...new Set(items.map((ci) => ci.companyId))].join(', ')}); it was not attached.`,
	};
}

/** The ticket a raised alert opens (or the storm ticket of its device or site), ready to create. */
export async function buildTicket(
	run: AlertRun,
	config: TicketBodyConfig,
	alert: AlertInfo,
	parts: KeyParts,
	settings: EffectiveSettings,
	storm?: 'device' | 'site',
): Promise<NewTicket> {
	const key = storm
		? `${storm === 'device' ? deviceStormPrefix(parts.siteUid, parts.deviceUid) : siteStormPrefix(parts.siteUid)}:${alertPart(alert.alertUid)}`
		: alertKey(parts, alert.alertUid);
	let company = await chooseCompany(run, config, alert);
	let attached: { id?: number; note?: string } = {};
	if (config.attachConfigurationItem && storm !== 'site' && parts.deviceUid) {
		const items = await run.configurationItems(parts.deviceUid);
		company = checkMappedCompany(config, alert, company, items);
		attached = chooseConfigurationItem(items, company.id);
	}
	const variables = templateVariables(alert);
	const title = storm
		? `Alert storm: ${storm === 'device' ? alert.hostname || alert.deviceUid : alert.siteName || alert.siteUid} raised more alerts than the storm limit`
		: renderTemplate(settings.fields.titleTemplate, variables);
	const description = [
		storm
			? `Storm guard: ${storm === 'device' ? `device ${alert.hostname}` : `site ${alert.siteName}`} raised more than ${storm === 'device' ? config.stormPerDevice : config.stormPerSite} new problems within ${config.stormWindowMinutes} minutes. Further alerts are recorded as notes on this ticket instead of opening tickets. First alert:\n`
			: '',
		renderTemplate(settings.fields.descriptionTemplate, variables),
		company.source === 'catchAll' ? `\n${company.explanation}` : '',
		attached.note ? `\n${attached.note}` : '',
	]
		.filter(Boolean)
		.join('\n')
		.trim();

	const assignee = await run.assignee([config.assignToEmail, config.fallbackAssigneeEmail]);
	const draft: TicketDraft = {
		key,
		companyId: company.id,
		title: title.replace(/\s+/g, ' ').trim() || `Datto RMM alert on ${alert.hostname}`,
		description,
		dattoPriority: alert.priority,
		settings,
		configurationItemId: attached.id,
		dueAt:
			settings.fields.dueInHours && settings.fields.dueInHours > 0
				? run.now() + settings.fields.dueInHours * 3600_000
				: undefined,
		assignee,
	};
	return { draft, company };
}
