import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { parseTenant } from '../../../lib/contacts/graph';
import { candidatesFrom, readCandidate, suggestCustomerMap } from '../../../lib/customers/suggest';
import type {
	CandidateItem,
	CompanyCandidate,
	SiteCandidate,
	TenantCandidate,
} from '../../../lib/customers/suggest';
import { GraphClient } from '../../../lib/transport/graph';
import { settle } from '../../../lib/util/settled';
import { errorItemJson, toNodeError } from '../../shared/errors';
import { createHttpClient } from '../../shared/n8nHttpAdapter';
import { GRAPH_CREDENTIAL } from '../clients';

const show = { show: { resource: ['customerTenant'], operation: ['suggestCustomerMap'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			"Connect the PSA companies (Autotask Companies, ConnectWise companies), their contacts and the Datto RMM sites to match as this node's input. It proposes customer map rows and never writes them.",
		name: 'suggestNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Tenants From',
		name: 'tenantSource',
		type: 'options',
		options: [
			{
				name: 'Partner Relationships (GDAP)',
				value: 'gdap',
				description:
					"The customers with an active GDAP relationship, read with the credential's tenant (your partner tenant; needs DelegatedAdminRelationship.Read.All)",
			},
			{
				name: 'Tenant List',
				value: 'list',
				description: 'The tenants you list',
			},
		],
		default: 'gdap',
		displayOptions: show,
	},
	{
		displayName: 'Tenants',
		name: 'tenantList',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. contoso.onmicrosoft.com, 3d8f2a61-5c47-4b9e-a2d1-7e6f90b1c2a3',
		description: 'Tenant IDs or verified domains, separated by commas',
		displayOptions: {
			show: { ...show.show, tenantSource: ['list'] },
		},
	},
];

interface Tenant {
	candidate?: TenantCandidate;
	tenant: string;
	error?: string;
}

/** A client for one customer tenant, with the credential's app registration. */
function graphFor(ctx: IExecuteFunctions, tenant: string | undefined) {
	const http = createHttpClient(ctx, GRAPH_CREDENTIAL, {
		itemIndex: 0,
		credentialOverrides: tenant ? { tenantId: tenant } : undefined,
	});
	return { graph: new GraphClient(http), secrets: () => http.secrets() };
}

/**
 * Customer tenants (GDAP or listed), each read for its verified domains, matched to the input's
 * PSA companies and Datto sites. One item per suggestion (the map row's columns plus confidence,
 * evidence and ambiguities), then what nothing matched (`unmatched`: tenant, company or site). A
 * tenant that cannot be read (no consent, unknown) is an unmatched tenant with its error; the
 * others are still matched.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const secrets: Array<() => string[]> = [];
	const allSecrets = () => secrets.flatMap((list) => list());
	const output: INodeExecutionData[] = [];

	const recognised: CandidateItem[] = [];
	const itemOf = new Map<string, number>();
	for (const [index, item] of items.entries()) {
		const candidate = readCandidate(item.json);
		if (!candidate) {
			// An empty item (a manual trigger's) carries nothing to match.
			if (!Object.keys(item.json).length) continue;
			const error = new NodeOperationError(
				this.getNode(),
				`Item ${index} is neither a PSA company, a PSA contact nor a Datto RMM site`,
				{
					description:
						'Connect Autotask companies (companyName, id, webAddress), ConnectWise companies (id, identifier, name, website), contacts from the Autotask Contact or ConnectWise Contact node, or Datto RMM sites (uid, name, autotaskCompanyId).',
					itemIndex: index,
				},
			);
			if (!this.continueOnFail()) throw error;
			output.push({ json: errorItemJson(error), pairedItem: { item: index } });
			continue;
		}
		recognised.push(candidate);
		if (candidate.kind === 'company')
			itemOf.set(`${candidate.company.psa}:${candidate.company.id}`, index);
		if (candidate.kind === 'site') itemOf.set(`site:${candidate.site.uid}`, index);
	}
	const { companies, sites } = candidatesFrom(recognised);

	const source = this.getNodeParameter('tenantSource', 0, 'gdap') as string;
	let wanted: Array<{ tenant: string; displayName?: string }>;
	if (source === 'list') {
		const list = String(this.getNodeParameter('tenantList', 0, ''))
			.split(/[\s,;]+/)
			.filter(Boolean);
		wanted = [];
		for (const entry of list) {
			try {
				wanted.push({ tenant: parseTenant(entry, 'Tenants') });
			} catch (error) {
				throw toNodeError(this.getNode(), error, undefined);
			}
		}
	} else {
		const partner = graphFor(this, undefined);
		secrets.push(partner.secrets);
		const customers = await settle(partner.graph.listDelegatedAdminCustomers());
		if (!customers.ok) throw toNodeError(this.getNode(), customers.error, undefined, allSecrets());
		wanted = customers.value.map((customer) => ({
			tenant: customer.tenantId,
			displayName: customer.displayName,
		}));
	}

	const tenants: Tenant[] = [];
	for (const { tenant, displayName } of wanted) {
		const client = graphFor(this, tenant);
		secrets.push(client.secrets);
		const organization = await settle(client.graph.getOrganization());
		if (organization.ok) {
			tenants.push({
				tenant,
				candidate: {
					tenantId: organization.value.id || tenant,
					displayName: organization.value.displayName || displayName || tenant,
					domains: organization.value.verifiedDomains.map((domain) => domain.name),
				},
			});
		} else {
			tenants.push({
				tenant,
				error: toNodeError(this.getNode(), organization.error, undefined, allSecrets()).message,
			});
		}
	}

	const result = suggestCustomerMap({
		tenants: tenants.flatMap((tenant) => (tenant.candidate ? [tenant.candidate] : [])),
		companies,
		sites,
	});
	const paired = (keys: string[]) => {
		const indexes = [...new Set(keys.flatMap((key) => itemOf.get(key) ?? []))];
		return indexes.length ? indexes.map((item) => ({ item })) : items.length ? [{ item: 0 }] : [];
	};
	const companyKey = (company: CompanyCandidate) => `${company.psa}:${company.id}`;
	const siteKey = (site: SiteCandidate) => `site:${site.uid}`;

	for (const suggestion of result.suggestions) {
		const keys = [
			suggestion.row.autotaskCompanyId !== '' ? `autotask:${suggestion.row.autotaskCompanyId}` : '',
			suggestion.row.connectwiseCompanyId !== ''
				? `connectwise:${suggestion.row.connectwiseCompanyId}`
				: '',
			...suggestion.row.dattoSiteUids
				.split(', ')
				.filter(Boolean)
				.map((uid) => `site:${uid}`),
		].filter(Boolean);
		output.push({
			json: {
				...suggestion.row,
				confidence: suggestion.confidence,
				evidence: suggestion.evidence,
				ambiguities: suggestion.ambiguities.map((ambiguity) => ({
					what: ambiguity.what,
					evidence: ambiguity.evidence,
					candidates: ambiguity.candidates.map((candidate) =>
						'psa' in candidate
							? { id: candidate.id, name: candidate.name }
							: { uid: candidate.uid, name: candidate.name },
					),
				})),
			} as IDataObject,
			pairedItem: paired(keys),
		});
	}
	for (const tenant of result.unmatched.tenants)
		output.push({
			json: { unmatched: 'tenant', tenant: tenant.tenantId, name: tenant.displayName },
			pairedItem: paired([]),
		});
	for (const tenant of tenants.filter((entry) => entry.error))
		output.push({
			json: { unmatched: 'tenant', tenant: tenant.tenant, error: tenant.error },
			pairedItem: paired([]),
		});
	for (const company of result.unmatched.companies)
		output.push({
			json: {
				unmatched: `${company.psa}Company`,
				id: company.id,
				name: company.name,
				active: company.active !== false,
			},
			pairedItem: paired([companyKey(company)]),
		});
	for (const site of result.unmatched.sites)
		output.push({
			json: { unmatched: 'dattoSite', uid: site.uid, name: site.name },
			pairedItem: paired([siteKey(site)]),
		});
	return [output, []];
}
