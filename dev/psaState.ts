import { cleanText, normalizeEmail, phoneDigits } from '../lib/contacts/normalize';
import type { Sandbox } from '../sandbox/index';

export type Psa = 'autotask' | 'connectwise';
export const PSAS: Psa[] = ['autotask', 'connectwise'];
export const PSA_NAMES: Record<Psa, string> = { autotask: 'Autotask', connectwise: 'ConnectWise' };

/** A PSA contact as the sandbox stores it, flattened for comparisons. */
export interface ContactRecord {
	id: string;
	emails: string[];
	firstName: string;
	lastName: string;
	title: string;
	phone: string;
	mobile: string;
	active: boolean;
}

/** The PSA's contacts of one company, read straight from the sandbox's state (not through our nodes). */
export function psaContacts(sandbox: Sandbox, psa: Psa, companyId: string): ContactRecord[] {
	if (psa === 'autotask') {
		return sandbox.autotask.contacts
			.filter((c) => String(c.companyID) === companyId)
			.map((c) => ({
				id: String(c.id),
				emails: [c.emailAddress, c.emailAddress2, c.emailAddress3]
					.map(normalizeEmail)
					.filter(Boolean),
				firstName: cleanText(c.firstName),
				lastName: cleanText(c.lastName),
				title: cleanText(c.title),
				phone: phoneDigits(c.phone),
				mobile: phoneDigits(c.mobilePhone),
				active: Number(c.isActive) === 1 || c.isActive === true,
			}));
	}
	// Phone and mobile by what the tenant's types are (their Exchange, phone and Google
	// cross-references), never by a type's name: tenants name them as they like.
	const xrefs = new Map(
		sandbox.connectwise.communicationTypes.map((t) => [
			t.id,
			t.phoneFlag
				? [t.exchangeXref, t.iphoneXref, t.androidXref, t.googleXref].map(String).join(' ')
				: '',
		]),
	);
	const isMobile = (id: number) => /mobile|cell/i.test(xrefs.get(id) ?? '');
	const isBusiness = (id: number) => !isMobile(id) && /business/i.test(xrefs.get(id) ?? '');
	return sandbox.connectwise.contacts
		.filter((c) => String(c.company?.id) === companyId)
		.map((c) => {
			const items = (c.communicationItems ?? []) as Array<{
				type: { id: number };
				value: string;
				communicationType: string;
			}>;
			const byType = (kind: (id: number) => boolean) =>
				items.find((i) => kind(Number(i.type?.id)))?.value;
			return {
				id: String(c.id),
				emails: items
					.filter((i) => i.communicationType === 'Email')
					.map((i) => normalizeEmail(i.value))
					.filter(Boolean)
					.sort(),
				firstName: cleanText(c.firstName),
				lastName: cleanText(c.lastName),
				title: cleanText(c.title),
				phone: phoneDigits(byType(isBusiness)),
				mobile: phoneDigits(byType(isMobile)),
				active: !c.inactiveFlag,
			};
		});
}
