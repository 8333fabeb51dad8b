import { InputError } from '../transport/http';

/**
 * A DNS name as the part after an address's '@': labels of letters, digits and inner hyphens
 * (at most 63 characters each), a top-level label of at least two characters, 253 in all.
 * "contoso.c" and "-contoso.com" are refused.
 */
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i;

/**
 * "contoso.com, @Fabrikam.com; sales.contoso.com" (or a list) -> ['contoso.com', 'fabrikam.com',
 * 'sales.contoso.com']: lower-case, without '@', repeats dropped. A domain matches exactly (a
 * subdomain is a domain of its own), as the part after '@' of an address. Anything else is an
 * InputError naming `field`.
 */
export function parseDomains(value: unknown, field: string): string[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/);
	const domains: string[] = [];
	for (const raw of list) {
		const domain = raw.trim().replace(/^@/, '').toLowerCase();
		if (!domain) continue;
		if (!DOMAIN_PATTERN.test(domain)) {
			throw new InputError(
				field,
				`"${raw.trim()}" in ${field} is not a domain`,
				'Enter domains as they appear after the @ of an address, separated by commas, e.g. "contoso.com, fabrikam.com".',
			);
		}
		if (!domains.includes(domain)) domains.push(domain);
	}
	return domains;
}
