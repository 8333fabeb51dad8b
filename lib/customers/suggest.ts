import type { Psa } from './map';

/**
 * Suggested customer map rows: customer tenants (found through GDAP or given) matched to PSA
 * companies and Datto sites. Pure: the caller reads the vendors; nothing here writes a map row.
 *
 * Evidence, strongest first, and the first kind that finds anything decides:
 * - a company: its web address is one of the tenant's verified domains (high); addresses of its
 *   contacts are on one of them (medium); its name is the tenant's name once legal forms and
 *   punctuation are set aside (low);
 * - a site: its own Autotask mapping names the tenant's Autotask company (high); its name starts
 *   with the tenant's or the company's name (low).
 * Two candidates on the same evidence are ambiguous: reported with both, never guessed. What
 * nothing matched comes out on its own (tenants, companies, sites), so the user sees what is missing.
 */

export type Confidence = 'high' | 'medium' | 'low';

export interface TenantCandidate {
	tenantId: string;
	displayName: string;
	/** Verified domains; `*.onmicrosoft.com` ones are kept but never matched on. */
	domains: string[];
}

export interface CompanyCandidate {
	psa: Psa;
	id: number;
	name: string;
	webAddress?: string;
	/** Domains of the company's contacts' addresses (repeats allowed: they count). */
	contactDomains?: string[];
	active?: boolean;
}

export interface SiteCandidate {
	uid: string;
	name: string;
	/** The Autotask company the site's own (native integration) mapping names. */
	autotaskCompanyId?: number;
}

export interface Match<T> {
	candidate: T;
	confidence: Confidence;
	evidence: string;
}

export interface Ambiguity {
	what: Psa | 'dattoSite';
	evidence: string;
	candidates: Array<CompanyCandidate | SiteCandidate>;
}

/** A proposed map row (the map's columns; lists as comma-separated text) with how it was found. */
export interface Suggestion {
	row: {
		name: string;
		tenant: string;
		domains: string;
		autotaskCompanyId: number | '';
		connectwiseCompanyId: number | '';
		dattoSiteUids: string;
		/** Never on by a suggestion: a person switches the sync on after checking the row. */
		contactSync: false;
		updateExisting: boolean;
		mode: 'changes';
		fields: '';
	};
	tenant: TenantCandidate;
	/** The weakest evidence the row rests on; 'none' when the tenant matched nothing. */
	confidence: Confidence | 'none';
	evidence: string[];
	ambiguities: Ambiguity[];
}

export interface Suggestions {
	suggestions: Suggestion[];
	unmatched: {
		/** Tenants that matched no company and no site. */
		tenants: TenantCandidate[];
		companies: CompanyCandidate[];
		sites: SiteCandidate[];
	};
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** "https://www.Contoso.com/about" -> "contoso.com". */
export function webDomain(address: string | undefined): string | undefined {
	const text = (address ?? '').trim().toLowerCase();
	if (!text) return undefined;
	const host = text
		.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
		.split(/[/?#:]/)[0]
		.replace(/^www\d?\./, '');
	return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
}

const LEGAL_FORMS = new Set([
	'inc',
	'incorporated',
	'ltd',
	'limited',
	'llc',
	'llp',
	'plc',
	'corp',
	'corporation',
	'co',
	'company',
	'gmbh',
	'ag',
	'sa',
	'sas',
	'bv',
	'nv',
	'pty',
	'the',
]);

/** A name for comparing: lower case, letters and digits, legal forms dropped. */
export function nameKey(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word && !LEGAL_FORMS.has(word))
		.join(' ');
}

const customDomains = (tenant: TenantCandidate): string[] =>
	tenant.domains.map((d) => d.toLowerCase()).filter((d) => !d.endsWith('.onmicrosoft.com'));

/** The companies of one PSA the tenant matches on its strongest evidence. */
function companyMatches(
	tenant: TenantCandidate,
	companies: CompanyCandidate[],
): Array<Match<CompanyCandidate>> {
	const domains = customDomains(tenant);
	const byWeb = companies.flatMap((company) => {
		const web = webDomain(company.webAddress);
		return web && domains.includes(web)
			? [{ candidate: company, confidence: 'high' as const, evidence: `web address ${web}` }]
			: [];
	});
	if (byWeb.length) return byWeb;
	const byContacts = companies.flatMap((company) => {
		const hits = (company.contactDomains ?? []).filter((d) => domains.includes(d.toLowerCase()));
		return hits.length
			? [
					{
						candidate: company,
						confidence: 'medium' as const,
						evidence: `${hits.length} contact address(es) on ${[...new Set(hits.map((d) => d.toLowerCase()))].join(', ')}`,
					},
				]
			: [];
	});
	if (byContacts.length) return byContacts;
	const key = nameKey(tenant.displayName);
	return key
		? companies
				.filter((company) => nameKey(company.name) === key)
				.map((company) => ({
					candidate: company,
					confidence: 'low' as const,
					evidence: `name "${company.name}" ~ tenant "${tenant.displayName}"`,
				}))
		: [];
}

function siteMatches(
	tenant: TenantCandidate,
	autotaskCompanyId: number | undefined,
	names: string[],
	sites: SiteCandidate[],
): Array<Match<SiteCandidate>> {
	if (autotaskCompanyId !== undefined) {
		const mapped = sites.filter((site) => site.autotaskCompanyId === autotaskCompanyId);
		if (mapped.length)
			return mapped.map((site) => ({
				candidate: site,
				confidence: 'high' as const,
				evidence: `site "${site.name}" is mapped to Autotask company ${autotaskCompanyId}`,
			}));
	}
	const keys = [...new Set(names.map(nameKey).filter(Boolean))];
	return sites
		.filter((site) => {
			const siteKey = nameKey(site.name);
			return keys.some((key) => siteKey === key || siteKey.startsWith(`${key} `));
		})
		.map((site) => ({
			candidate: site,
			confidence: 'low' as const,
			evidence: `site "${site.name}" is named after "${tenant.displayName}"`,
		}));
}

const lowest = (confidences: Confidence[]): Confidence | 'none' =>
	confidences.length
		? confidences.reduce((a, b) => (RANK[b] < RANK[a] ? b : a))
		: ('none' as const);

/**
 * One suggestion per tenant, and what nothing matched. A company two tenants both match is
 * ambiguous for both; a site is given only to the tenant it matches alone. Inactive companies
 * are never proposed (they still count as unmatched when nothing points at them).
 */
export function suggestCustomerMap(input: {
	tenants: TenantCandidate[];
	companies: CompanyCandidate[];
	sites: SiteCandidate[];
}): Suggestions {
	const active = input.companies.filter((company) => company.active !== false);
	const drafts = input.tenants.map((tenant) => {
		const ambiguities: Ambiguity[] = [];
		const chosen: Partial<Record<Psa, Match<CompanyCandidate>>> = {};
		for (const psa of ['autotask', 'connectwise'] as const) {
			const matches = companyMatches(
				tenant,
				active.filter((company) => company.psa === psa),
			);
			if (matches.length === 1) chosen[psa] = matches[0];
			else if (matches.length > 1)
				ambiguities.push({
					what: psa,
					evidence: matches.map((m) => `${m.candidate.name}: ${m.evidence}`).join('; '),
					candidates: matches.map((m) => m.candidate),
				});
		}
		return { tenant, chosen, ambiguities };
	});

	// A company claimed by two tenants is given to neither.
	for (const psa of ['autotask', 'connectwise'] as const) {
		const claims = new Map<number, typeof drafts>();
		for (const draft of drafts) {
			const match = draft.chosen[psa];
			if (match) claims.set(match.candidate.id, [...(claims.get(match.candidate.id) ?? []), draft]);
		}
		for (const [, claimants] of claims) {
			if (claimants.length < 2) continue;
			for (const draft of claimants) {
				const match = draft.chosen[psa]!;
				delete draft.chosen[psa];
				draft.ambiguities.push({
					what: psa,
					evidence: `${match.candidate.name} (${match.evidence}) also matches ${claimants
						.filter((other) => other !== draft)
						.map((other) => `tenant "${other.tenant.displayName}"`)
						.join(', ')}`,
					candidates: [match.candidate],
				});
			}
		}
	}

	const siteDrafts = drafts.map((draft) =>
		siteMatches(
			draft.tenant,
			draft.chosen.autotask?.candidate.id,
			[
				draft.tenant.displayName,
				...Object.values(draft.chosen).map((match) => match!.candidate.name),
			],
			input.sites,
		),
	);
	const siteClaims = new Map<string, number>();
	for (const matches of siteDrafts)
		for (const match of matches)
			siteClaims.set(match.candidate.uid, (siteClaims.get(match.candidate.uid) ?? 0) + 1);

	const usedCompanies = new Set<string>();
	const usedSites = new Set<string>();
	const suggestions: Suggestion[] = drafts.map((draft, index) => {
		const sites = siteDrafts[index].filter((match) => siteClaims.get(match.candidate.uid) === 1);
		for (const match of siteDrafts[index])
			if (siteClaims.get(match.candidate.uid)! > 1)
				draft.ambiguities.push({
					what: 'dattoSite',
					evidence: `${match.evidence}, and so is another tenant's`,
					candidates: [match.candidate],
				});
		const companyMatches = Object.values(draft.chosen) as Array<Match<CompanyCandidate>>;
		for (const match of companyMatches)
			usedCompanies.add(`${match.candidate.psa}:${match.candidate.id}`);
		for (const match of sites) usedSites.add(match.candidate.uid);
		const all = [...companyMatches, ...sites];
		return {
			row: {
				name: draft.tenant.displayName,
				tenant: draft.tenant.tenantId,
				domains: customDomains(draft.tenant).join(', '),
				autotaskCompanyId: draft.chosen.autotask?.candidate.id ?? '',
				connectwiseCompanyId: draft.chosen.connectwise?.candidate.id ?? '',
				dattoSiteUids: sites.map((match) => match.candidate.uid).join(', '),
				contactSync: false,
				updateExisting: false,
				mode: 'changes',
				fields: '',
			},
			tenant: draft.tenant,
			confidence: lowest(all.map((match) => match.confidence)),
			evidence: all.map((match) =>
				'psa' in match.candidate
					? `${match.candidate.psa} company ${match.candidate.id} "${match.candidate.name}": ${match.evidence}`
					: match.evidence,
			),
			ambiguities: draft.ambiguities,
		};
	});

	const ambiguousCompanies = new Set(
		suggestions.flatMap((s) =>
			s.ambiguities.flatMap((a) =>
				a.candidates.map((c) => ('psa' in c ? `${c.psa}:${c.id}` : `site:${c.uid}`)),
			),
		),
	);
	return {
		suggestions: suggestions.filter((s) => s.confidence !== 'none' || s.ambiguities.length),
		unmatched: {
			tenants: suggestions
				.filter((s) => s.confidence === 'none' && !s.ambiguities.length)
				.map((s) => s.tenant),
			companies: input.companies.filter(
				(c) =>
					!usedCompanies.has(`${c.psa}:${c.id}`) && !ambiguousCompanies.has(`${c.psa}:${c.id}`),
			),
			sites: input.sites.filter(
				(site) => !usedSites.has(site.uid) && !ambiguousCompanies.has(`site:${site.uid}`),
			),
		},
	};
}

/** What an input item is, for the suggestion: a company, a site, or a contact of a company. */
export type CandidateItem =
	| { kind: 'company'; company: CompanyCandidate }
	| { kind: 'site'; site: SiteCandidate }
	| { kind: 'contact'; psa: Psa; companyId: number; domain: string };

const positiveId = (value: unknown): number | undefined => {
	const id = typeof value === 'number' ? value : Number(String(value ?? '').trim() || NaN);
	return Number.isSafeInteger(id) && id >= 0 ? id : undefined;
};

/**
 * Recognises an item by its vendor shape: an Autotask company (`companyName`), a ConnectWise
 * company (`identifier`, `name`), a Datto RMM site (`uid`, `name`), or a contact of our contact
 * nodes (`system`, `companyId`, `email`). Anything else is undefined (the caller says which item).
 */
export function readCandidate(json: Record<string, unknown>): CandidateItem | undefined {
	const id = positiveId(json.id);
	if (typeof json.companyName === 'string' && id !== undefined)
		return {
			kind: 'company',
			company: {
				psa: 'autotask',
				id,
				name: json.companyName,
				webAddress: typeof json.webAddress === 'string' ? json.webAddress : undefined,
				active: json.isActive !== false && json.isActive !== 0,
			},
		};
	if (typeof json.identifier === 'string' && typeof json.name === 'string' && id !== undefined) {
		const status = (json.status as { name?: unknown } | undefined)?.name;
		return {
			kind: 'company',
			company: {
				psa: 'connectwise',
				id,
				name: json.name,
				webAddress: typeof json.website === 'string' ? json.website : undefined,
				active: json.deletedFlag !== true && !/inactive/i.test(String(status ?? '')),
			},
		};
	}
	if (typeof json.uid === 'string' && typeof json.name === 'string')
		return {
			kind: 'site',
			site: {
				uid: json.uid,
				name: json.name,
				autotaskCompanyId: positiveId(json.autotaskCompanyId),
			},
		};
	const companyId = positiveId(json.companyId);
	const email = typeof json.email === 'string' ? json.email : '';
	if (
		(json.system === 'autotask' || json.system === 'connectwise') &&
		companyId !== undefined &&
		email.includes('@')
	)
		return {
			kind: 'contact',
			psa: json.system,
			companyId,
			domain: email.split('@').pop()!.trim().toLowerCase(),
		};
	return undefined;
}

/** Companies (with their contacts' domains) and sites from recognised items. */
export function candidatesFrom(items: CandidateItem[]): {
	companies: CompanyCandidate[];
	sites: SiteCandidate[];
} {
	const companies = new Map<string, CompanyCandidate>();
	const sites = new Map<string, SiteCandidate>();
	for (const item of items) {
		if (item.kind === 'company')
			companies.set(`${item.company.psa}:${item.company.id}`, {
				...item.company,
				contactDomains: companies.get(`${item.company.psa}:${item.company.id}`)?.contactDomains,
			});
		if (item.kind === 'site') sites.set(item.site.uid.toLowerCase(), item.site);
	}
	for (const item of items) {
		if (item.kind !== 'contact') continue;
		const company = companies.get(`${item.psa}:${item.companyId}`);
		if (company) company.contactDomains = [...(company.contactDomains ?? []), item.domain];
	}
	return { companies: [...companies.values()], sites: [...sites.values()] };
}
