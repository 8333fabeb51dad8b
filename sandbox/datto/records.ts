/**
 * Datto RMM's records as the sandbox holds and serves them: the API's own shapes (schemas Site,
 * Device and Alert in sandbox/specs/datto-rmm.openapi.json), with every key the API sends, null
 * when empty, and dates as epoch milliseconds as the live API sends them (the document says
 * strings; see core/contract/deviations/datto.ts). Fields the sandbox never reads travel as they are.
 */

export interface DattoSite {
	uid: string;
	id?: number;
	name?: string;
	autotaskCompanyId?: string | null;
	autotaskCompanyName?: string | null;
	[field: string]: unknown;
}

export interface DattoDevice {
	uid: string;
	id?: number;
	siteUid?: string;
	siteName?: string;
	hostname?: string;
	intIpAddress?: string | null;
	operatingSystem?: string | null;
	description?: string | null;
	lastLoggedInUser?: string | null;
	[field: string]: unknown;
}

/** Schema ResponseAction: what the monitor did (e-mail, webhook, ticket); kept as given. */
export type DattoResponseAction = Partial<
	Record<'actionType' | 'description' | 'actionReference' | 'actionReferenceInt', string | null> & {
		actionTime: number | null;
	}
>;

export interface DattoAlert {
	alertUid: string;
	/** Critical, High, Moderate, Low or Information. */
	priority: string;
	/** The monitor's trigger details ([alert] in a webhook). */
	diagnostics: string | null;
	resolved: boolean;
	resolvedBy: string | null;
	resolvedOn: number | null;
	muted: boolean;
	ticketNumber: string | null;
	timestamp: number;
	alertMonitorInfo: { sendsEmails: boolean; createsTicket: boolean };
	/** Jackson-typed: `@class` names the monitor type, the rest is that type's detail. */
	alertContext: { '@class': string } & Record<string, unknown>;
	alertSourceInfo: {
		deviceUid: string;
		deviceName: string | null;
		siteUid: string | null;
		siteName: string | null;
	};
	responseActions: DattoResponseAction[];
	autoresolveMins: number | null;
}
