/** Value normalization shared by every mapper and the planner, so "equal" means one thing. */

const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Text as compared and written: Unicode NFC, trimmed, inner whitespace collapsed; '' for null. */
export function cleanText(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value).normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function isBlank(value: unknown): boolean {
	return cleanText(value) === '';
}

/** Lower-cased, trimmed address; '' when the value is not an address. */
export function normalizeEmail(value: unknown): string {
	const text = cleanText(value).toLowerCase();
	return EMAIL_PATTERN.test(text) ? text : '';
}

export function isValidEmail(value: unknown): boolean {
	return normalizeEmail(value) !== '';
}

/** The part after the '@', lower-cased. */
export function emailDomain(email: string): string {
	const at = email.lastIndexOf('@');
	return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** Phones compare by their digits only: "+1 (425) 555-0100" equals "14255550100". */
export function phoneDigits(value: unknown): string {
	return cleanText(value).replace(/\D+/g, '');
}

/** Distinct normalized addresses, in order, blanks dropped. */
export function uniqueEmails(values: unknown[]): string[] {
	const seen = new Set<string>();
	for (const value of values) {
		const email = normalizeEmail(value);
		if (email) seen.add(email);
	}
	return [...seen];
}
