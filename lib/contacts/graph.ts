import { InputError, unbalancedParentheses } from '../transport/http';
import { GRAPH_TENANT_PATTERN, odataString } from '../transport/graph';
import type { GraphUser } from '../transport/graph';
import type { CanonicalContact } from './canonical';
import { cleanText, emailDomain, normalizeEmail, uniqueEmails } from './normalize';

/**
 * Microsoft 365 (Graph) users as canonical contacts, and which users a sync should read:
 * the one place that decides a user's address, names, phones and whether it counts as active.
 */

/** What the node reads: the mapping's inputs and the filters' inputs, nothing more. */
export const GRAPH_USER_SELECT = [
	'id',
	'displayName',
	'givenName',
	'surname',
	'jobTitle',
	'mail',
	'userPrincipalName',
	'businessPhones',
	'mobilePhone',
	'accountEnabled',
	'assignedLicenses',
	'userType',
	'proxyAddresses',
];

/**
 * Up to this many domains are narrowed by Graph (docs/adr/microsoft-365-users-for-a-sync.md); 0
 * filters domains only in the node, which re-checks every user either way.
 */
export const SERVER_DOMAIN_FILTER_MAX = 5;

export type EmailSource = 'mail' | 'proxyAddress' | 'userPrincipalName';

export interface ResolvedAddress {
	/** '' when the user has no usable address. */
	email: string;
	source?: EmailSource;
	/** Every address known for the user, normalized, primary first. */
	emails: string[];
	/** Why there is no address (only when email is ''). */
	reason?: string;
}

/** The tenant's initial domain is not where people get mail (see resolveAddress). */
export function isRoutableUpn(upn: string): boolean {
	const email = normalizeEmail(upn);
	if (!email || upn.includes('#')) return false;
	return (
		!/\.onmicrosoft\.(com|us|de)$/i.test(emailDomain(email)) &&
		!/\.partner\.onmschina\.cn$/i.test(emailDomain(email))
	);
}

function smtpAddresses(user: GraphUser): { primary?: string; all: string[] } {
	const proxies = Array.isArray(user.proxyAddresses) ? (user.proxyAddresses as unknown[]) : [];
	let primary: string | undefined;
	const all: string[] = [];
	for (const entry of proxies) {
		const text = cleanText(entry);
		const match = /^smtp:\s*(.+)$/i.exec(text);
		if (!match) continue;
		all.push(match[1]);
		// "SMTP:" in capitals marks the primary address; "smtp:" the aliases.
		if (text.startsWith('SMTP:') && primary === undefined) primary = match[1];
	}
	return { primary, all };
}

/**
 * The address a PSA contact should carry: `mail`, else the primary SMTP proxy address, else the
 * user principal name when it is routable (not `*.onmicrosoft.com`, not a guest's `#EXT#`; see
 * docs/adr/microsoft-365-users-for-a-sync.md).
 */
export function resolveAddress(user: GraphUser): ResolvedAddress {
	const mail = normalizeEmail(user.mail);
	const smtp = smtpAddresses(user);
	const primaryProxy = normalizeEmail(smtp.primary);
	const upnText = cleanText(user.userPrincipalName);
	const upn = isRoutableUpn(upnText) ? normalizeEmail(upnText) : '';
	const email = mail || primaryProxy || upn;
	const source: EmailSource | undefined = mail
		? 'mail'
		: primaryProxy
			? 'proxyAddress'
			: upn
				? 'userPrincipalName'
				: undefined;
	const emails = uniqueEmails([email, mail, primaryProxy, ...smtp.all, upn]);
	if (email) return { email, source, emails };
	const parts: string[] = [];
	parts.push(cleanText(user.mail) ? `mail "${cleanText(user.mail)}" is not an address` : 'no mail');
	parts.push(smtp.all.length ? 'no primary SMTP proxy address' : 'no SMTP proxy address');
	parts.push(
		upnText
			? `the user principal name "${upnText}" is not a routable address`
			: 'no user principal name',
	);
	return { email: '', emails, reason: `No usable email address: ${parts.join(', ')}` };
}

export function isEnabled(user: GraphUser): boolean {
	// Not selected or unknown is not a reason to treat someone as gone.
	return user.accountEnabled !== false;
}

export function isLicensed(user: GraphUser): boolean {
	if (user.assignedLicenses === undefined || user.assignedLicenses === null) return true;
	return Array.isArray(user.assignedLicenses) && user.assignedLicenses.length > 0;
}

export function isGuest(user: GraphUser): boolean {
	return (
		String(user.userType ?? '').toLowerCase() === 'guest' ||
		String(user.userPrincipalName ?? '')
			.toUpperCase()
			.includes('#EXT#')
	);
}

const ROLE_LOCAL_PARTS =
	/^(info|support|sales|admin|administrator|noreply|no-reply|donotreply|helpdesk|help|servicedesk|reception|frontdesk|accounts|accounting|billing|invoices?|office|contact|hello|enquiries|inquiries|marketing|hr|jobs|careers|finance|orders|service|team|mailbox|shared|room|rooms|conf|conference|boardroom|meeting|calendar|scanner|scans?|printer|projector|equipment|postmaster|webmaster|it|ap|ar|payroll|purchasing|procurement|bookings?|events?)([._-]?[a-z0-9]*)?$/i;

const RESOURCE_NAME =
	/\b(room|conference|boardroom|meeting\s*room|projector|equipment|pool\s*car|vehicle|shared\s*mailbox|resource)\b/i;

/**
 * Why the user looks like a shared, room or equipment mailbox, or undefined; best effort (see
 * docs/adr/microsoft-365-users-for-a-sync.md). Shared mailboxes are created sign-in blocked and
 * unlicensed, without first and last name.
 */
export function sharedMailboxHint(user: GraphUser): string | undefined {
	const displayName = cleanText(user.displayName);
	if (RESOURCE_NAME.test(displayName))
		return `display name "${displayName}" looks like a room or resource`;
	const named = cleanText(user.givenName) !== '' || cleanText(user.surname) !== '';
	if (named) return undefined;
	const address = resolveAddress(user).email || normalizeEmail(user.userPrincipalName);
	const local = address.split('@')[0] ?? '';
	if (local && ROLE_LOCAL_PARTS.test(local))
		return `no first or last name and a role address (${local}@)`;
	if (!isEnabled(user) && user.accountEnabled !== undefined)
		return 'no first or last name and sign-in blocked';
	if (!isLicensed(user) && user.assignedLicenses !== undefined)
		return 'no first or last name and no license';
	return undefined;
}

function namesOf(user: GraphUser): { firstName: string; lastName: string } {
	const firstName = cleanText(user.givenName);
	const lastName = cleanText(user.surname);
	if (firstName || lastName) return { firstName, lastName };
	// Neither is set: derive both from the display name ("Vance, Adele" or "Adele Vance").
	const displayName = cleanText(user.displayName);
	if (!displayName) return { firstName: '', lastName: '' };
	const comma = /^([^,]+),\s*(.+)$/.exec(displayName);
	if (comma) return { firstName: comma[2], lastName: comma[1] };
	const words = displayName.split(' ');
	return { firstName: words[0], lastName: words.slice(1).join(' ') };
}

export interface MappedGraphUser {
	contact: CanonicalContact;
	/** Set when the user has no usable address: the node routes it to "No Address". */
	noAddressReason?: string;
}

/** A Graph user as the canonical contact (system 'm365'). */
export function graphUserToContact(user: GraphUser): MappedGraphUser {
	const address = resolveAddress(user);
	const { firstName, lastName } = namesOf(user);
	const phones = Array.isArray(user.businessPhones) ? (user.businessPhones as unknown[]) : [];
	const enabled = isEnabled(user);
	const licensed = isLicensed(user);
	const contact: CanonicalContact = {
		system: 'm365',
		id: String(user.id),
		companyId: '',
		email: address.email,
		emails: address.emails,
		firstName,
		lastName,
		title: cleanText(user.jobTitle),
		phone: cleanText(phones.find((phone) => cleanText(phone) !== '')),
		mobile: cleanText(user.mobilePhone),
		active: enabled && licensed,
	};
	if (!enabled) contact.inactiveReason = 'disabled';
	else if (!licensed) contact.inactiveReason = 'unlicensed';
	return address.email ? { contact } : { contact, noAddressReason: address.reason };
}

/** A user a delta round reports as removed: only the id is known. */
export function removedUserContact(id: string): CanonicalContact {
	return {
		system: 'm365',
		id,
		companyId: '',
		email: '',
		emails: [],
		firstName: '',
		lastName: '',
		title: '',
		phone: '',
		mobile: '',
		active: false,
		inactiveReason: 'deleted',
	};
}

export interface GraphUserFilters {
	enabledOnly: boolean;
	licensedOnly: boolean;
	membersOnly: boolean;
	/** Lower-case domains; empty = any. */
	domains: string[];
	excludeShared: boolean;
	rawFilter?: string;
}

export interface GraphUserQuery {
	/** The $filter Graph gets ('' = none). */
	serverFilter: string;
	/** Which filters Graph applies, and which the node applies after reading. */
	serverSide: string[];
	inNode: string[];
	/** Whether the user passes every filter (the node re-checks server-side ones too). */
	accepts: (user: GraphUser) => boolean;
}

/** A raw $filter must at least keep its parentheses and quotes balanced, so it cannot break out of its group. */
export function checkRawFilter(raw: string, field: string): string {
	const text = raw.trim();
	if (!text) return '';
	const code = text.replace(/'(?:[^']|'')*'/g, '_');
	if (code.includes("'"))
		throw new InputError(
			field,
			`${field} has an unterminated string`,
			"Quote values with ' and write an apostrophe inside a value as ''.",
		);
	let depth = 0;
	for (const ch of code) {
		if (ch === '(') depth++;
		if (ch === ')') depth--;
		if (depth < 0) break;
	}
	if (depth !== 0) throw unbalancedParentheses(field);
	return text;
}

/** Splits the filters into what Graph can do ($filter) and what the node does after reading. */
export function buildUserQuery(filters: GraphUserFilters): GraphUserQuery {
	const clauses: string[] = [];
	const serverSide: string[] = [];
	const inNode: string[] = [];
	if (filters.enabledOnly) {
		clauses.push('accountEnabled eq true');
		serverSide.push('enabledOnly');
	}
	if (filters.licensedOnly) {
		clauses.push('assignedLicenses/$count ne 0');
		serverSide.push('licensedOnly');
	}
	if (filters.membersOnly) {
		clauses.push(`userType eq ${odataString('Member')}`);
		serverSide.push('membersOnly');
		// B2B accounts can carry userType Member; their #EXT# UPN gives them away.
		inNode.push('membersOnly');
	}
	if (filters.domains.length) {
		if (filters.domains.length <= SERVER_DOMAIN_FILTER_MAX) {
			// A superset: the node then keeps users whose resolved address is in a domain.
			const alternatives = filters.domains.flatMap((domain) => {
				const suffix = odataString(`@${domain}`);
				return [
					`endsWith(mail,${suffix})`,
					`endsWith(userPrincipalName,${suffix})`,
					`proxyAddresses/any(p:endsWith(p,${suffix}))`,
				];
			});
			clauses.push(`(${alternatives.join(' or ')})`);
			serverSide.push('domains');
		}
		inNode.push('domains');
	}
	if (filters.rawFilter) {
		clauses.push(`(${filters.rawFilter})`);
		serverSide.push('rawFilter');
	}
	if (filters.excludeShared) inNode.push('excludeShared');

	const accepts = (user: GraphUser): boolean => {
		if (filters.enabledOnly && !isEnabled(user)) return false;
		if (filters.licensedOnly && !isLicensed(user)) return false;
		if (filters.membersOnly && isGuest(user)) return false;
		if (filters.domains.length && !inDomains(user, filters.domains)) return false;
		if (filters.excludeShared && sharedMailboxHint(user)) return false;
		return true;
	};
	return { serverFilter: clauses.join(' and '), serverSide, inNode, accepts };
}

/**
 * One of the user's addresses is in `domains`: the resolved address, an SMTP alias (`smtp:` proxy
 * address) or the user principal name. A user whose synced-domain address is only an alias is
 * still that address's owner (Exchange keeps proxy addresses unique in a tenant): Contact
 * Reconcile must see it, or it would deactivate the contact that holds the alias.
 */
export function inDomains(user: GraphUser, domains: string[]): boolean {
	const { emails } = resolveAddress(user);
	const upn = normalizeEmail(user.userPrincipalName);
	return [...emails, upn].some(
		(address) => address !== '' && domains.includes(emailDomain(address)),
	);
}

/** The Tenant override: '' (the credential's tenant), a directory GUID or a verified domain. */
export function parseTenant(value: unknown, field = 'Tenant'): string {
	const tenant = String(value ?? '').trim();
	if (tenant && !GRAPH_TENANT_PATTERN.test(tenant)) {
		throw new InputError(
			field,
			`"${tenant}" in ${field} is not a tenant ID or domain`,
			"Use the customer's directory GUID or a verified domain such as fabrikam.onmicrosoft.com; leave it empty for the credential's tenant.",
		);
	}
	return tenant;
}

/** The properties to $select: the mapping's own plus valid extra names ("department, officeLocation"). */
export function userSelect(extraProperties: unknown, field = 'Extra Properties'): string[] {
	const select = [...GRAPH_USER_SELECT];
	for (const raw of String(extraProperties ?? '').split(/[\s,;]+/)) {
		const name = raw.trim();
		if (!name) continue;
		if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
			throw new InputError(
				field,
				`"${name}" in ${field} is not a property name`,
				'Use Graph user property names such as department or officeLocation, separated by commas.',
			);
		}
		if (!select.some((known) => known.toLowerCase() === name.toLowerCase())) select.push(name);
	}
	return select;
}

const USER_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_PRINCIPAL_NAME = /^[^@\s]+@[^@\s]+$/;

/**
 * The id or user principal name of Get, trimmed: an input error when it is empty or neither (the
 * node's check, not a validation regex n8n would run under a time limit before the execution).
 * Graph takes either in any of the picker's modes.
 */
export function requireUserId(value: unknown, field = 'User'): string {
	if (value !== null && typeof value === 'object')
		throw new InputError(
			field,
			`${field} is an object, not a user ID or user principal name`,
			'Map one of its fields instead, e.g. {{ $json.user.id }} or {{ $json.user.userPrincipalName }}.',
		);
	const id = String(value ?? '').trim();
	if (!id)
		throw new InputError(
			field,
			`${field} is empty`,
			'Pick a user from the list, or enter an ID or a user principal name.',
		);
	if (!USER_OBJECT_ID.test(id) && !USER_PRINCIPAL_NAME.test(id))
		throw new InputError(
			field,
			`${field} "${id}" is neither a Microsoft 365 user ID (a GUID) nor a user principal name (name@domain)`,
			'Pick the user from the list, or enter its object ID (e.g. 59bb3898-0621-4414-ac61-74f9d7201355) or its user principal name (e.g. adele.vance@contoso.com).',
		);
	return id;
}
