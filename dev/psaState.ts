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
	return sandbox.connectwise.contacts
		.filter((c) => String(c.company?.id) === companyId)
		.map((c) => {
			const items = (c.communicationItems ?? []) as Array<{
				type: { name: string };
				value: string;
				communicationType: string;
			}>;
			const byType = (name: string) => items.find((i) => i.type.name === name)?.value;
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
				phone: phoneDigits(byType('Direct')),
				mobile: phoneDigits(byType('Cell')),
				active: !c.inactiveFlag,
			};
		});
}
