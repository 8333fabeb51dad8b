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

/** Where a new ticket goes and what it carries besides its settings. */
export interface TicketBodyConfig {
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

export interface ChosenCompany {
	id: number;
	source: 'site' | 'siteTable' | 'catchAll';
	/** Why the catch-all company was chosen ('' otherwise). */
	explanation: string;
}

export interface NewTicket {
	draft: TicketDraft;
	company: ChosenCompany;
}

/** The company: the site's Autotask mapping, then the site table, then the catch-all. */
export async function chooseCompany(
	run: AlertRun,
	config: TicketBodyConfig,
	alert: AlertInfo,
): Promise<ChosenCompany> {
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
		company.source === 'site' ? "Datto RMM's own Autotask mapping" : 'the Site to Company table';
	const what = `${site} maps to Autotask company ${company.id} (${by}), but device ${alert.hostname || alert.deviceUid} is configuration item ${active.map((ci) => ci.id).join(', ')} of company ${owners}`;
	if (config.catchAllCompanyId === undefined)
		throw new InputError(
			company.source === 'site' ? "Use Site's Autotask Company" : 'Site to Company',
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
