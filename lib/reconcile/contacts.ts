import type { CanonicalContact, ContactSystem } from '../contacts/canonical';
import { isFieldLimits } from '../contacts/fieldLimits';
import { cleanText, normalizeEmail } from '../contacts/normalize';

/** The node's two inputs, by the names the editor shows. */
export type InputName = 'Source' | 'Target';

/** One input item that is not a canonical contact: where it is, which field, what to do. */
export interface InputIssue {
	input: InputName;
	itemIndex: number;
	field: string;
	/** "Source item 3: field "active" must be true or false, not "yes"". */
	message: string;
	description: string;
}

export interface ReadContactsResult {
	/** The readable items, cleaned: text NFC/trimmed, addresses normalized, primary address first. */
	contacts: CanonicalContact[];
	/** The input item index of each contact. */
	itemIndex: number[];
	issues: InputIssue[];
}

const TEXT_FIELDS = ['firstName', 'lastName', 'title', 'phone', 'mobile'] as const;

const FIX: Record<InputName, string> = {
	Source:
		'Connect the Microsoft 365 Users node (operation Get Many, Simplify on) to the Source input; it emits canonical contacts with system "m365".',
	Target:
		'Connect the Autotask Contact or ConnectWise Contact node (operation Get Many, Simplify on) to the Target input; it emits canonical contacts.',
};

/**
 * Reads one input's items as canonical contacts. Items of another shape become issues that name
 * the input, the item and the field; the rest are cleaned so the planner compares like with like.
 */
export function readContacts(
	items: readonly unknown[],
	input: InputName,
	systems: readonly ContactSystem[],
): ReadContactsResult {
	const contacts: CanonicalContact[] = [];
	const itemIndex: number[] = [];
	const issues: InputIssue[] = [];
	for (let index = 0; index < items.length; index++) {
		const read = readContact(items[index], input, index, systems);
		if ('field' in read && 'input' in read) {
			issues.push(read);
		} else {
			contacts.push(read);
			itemIndex.push(index);
		}
	}
	return { contacts, itemIndex, issues };
}

function readContact(
	value: unknown,
	input: InputName,
	itemIndex: number,
	systems: readonly ContactSystem[],
): CanonicalContact | InputIssue {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return inputIssue(input, itemIndex, 'json', 'is not an object, so it is not a contact');
	}
	const json = value as Record<string, unknown>;

	if (json.system === undefined) {
		if (json.error !== undefined) {
			return inputIssue(
				input,
				itemIndex,
				'error',
				`is an error item from the previous node ("${cleanText(describe(json.error)).slice(0, 200)}"), not a contact`,
				'Fix the error in the node before Contact Reconcile, or turn off its "Continue On Fail" so the run stops there.',
			);
		}
		return inputIssue(
			input,
			itemIndex,
			'system',
			'field "system" is missing, so this is not a canonical contact',
		);
	}
	if (!systems.includes(json.system as ContactSystem)) {
		const expected = systems.map((system) => `"${system}"`).join(' or ');
		return inputIssue(
			input,
			itemIndex,
			'system',
			`field "system" is ${quote(json.system)}, expected ${expected}`,
		);
	}

	const id = typeof json.id === 'number' && Number.isFinite(json.id) ? String(json.id) : json.id;
	if (typeof id !== 'string' || cleanText(id) === '') {
		return inputIssue(
			input,
			itemIndex,
			'id',
			`field "id" must be the ${input === 'Source' ? 'user' : 'contact'} id, not ${quote(json.id)}`,
		);
	}
	if (typeof json.active !== 'boolean') {
		return inputIssue(
			input,
			itemIndex,
			'active',
			`field "active" must be true or false, not ${quote(json.active)}`,
		);
	}

	if (!isTextLike(json.email))
		return inputIssue(
			input,
			itemIndex,
			'email',
			`field "email" must be text, not ${quote(json.email)}`,
		);
	if (json.emails !== undefined && json.emails !== null && !Array.isArray(json.emails)) {
		return inputIssue(
			input,
			itemIndex,
			'emails',
			`field "emails" must be a list of addresses, not ${quote(json.emails)}`,
		);
	}
	const rawEmails = (json.emails ?? []) as unknown[];
	for (const entry of rawEmails) {
		if (!isTextLike(entry))
			return inputIssue(
				input,
				itemIndex,
				'emails',
				`field "emails" holds ${quote(entry)}, which is not an address`,
			);
	}
	for (const field of TEXT_FIELDS) {
		if (!isTextLike(json[field]))
			return inputIssue(
				input,
				itemIndex,
				field,
				`field "${field}" must be text, not ${quote(json[field])}`,
			);
	}
	if (!isTextLike(json.companyId)) {
		return inputIssue(
			input,
			itemIndex,
			'companyId',
			`field "companyId" must be an id, not ${quote(json.companyId)}`,
		);
	}

	const primary = normalizeEmail(json.email);
	// The contact nodes' output is already clean: use it as it is (it is only read, never changed).
	if (isClean(json, id, primary, rawEmails)) return json as unknown as CanonicalContact;
	const emails = addressList(primary, rawEmails);
	const contact: CanonicalContact = {
		system: json.system as ContactSystem,
		id: cleanText(id),
		companyId: cleanText(json.companyId),
		email: primary || (emails[0] ?? ''),
		emails,
		firstName: cleanText(json.firstName),
		lastName: cleanText(json.lastName),
		title: cleanText(json.title),
		phone: cleanText(json.phone),
		mobile: cleanText(json.mobile),
		active: json.active,
	};
	if (typeof json.inactiveReason === 'string' && json.inactiveReason)
		contact.inactiveReason = json.inactiveReason;
	if (json.createdBySync === true) contact.createdBySync = true;
	if (typeof json.companyName === 'string' && cleanText(json.companyName))
		contact.companyName = cleanText(json.companyName);
	if (isFieldLimits(json.limits)) contact.limits = json.limits;
	// The PSA node's opaque reference travels on unchanged (see CanonicalContact.ref).
	if (json.ref !== null && typeof json.ref === 'object' && !Array.isArray(json.ref))
		contact.ref = json.ref as Record<string, unknown>;
	return contact;
}

function inputIssue(
	input: InputName,
	itemIndex: number,
	field: string,
	problem: string,
	description = FIX[input],
): InputIssue {
	return {
		input,
		itemIndex,
		field,
		message: `${input} item ${itemIndex}: ${problem}`,
		description,
	};
}

function isClean(
	json: Record<string, unknown>,
	id: string,
	primary: string,
	rawEmails: readonly unknown[],
): boolean {
	if (json.id !== id || cleanText(id) !== id) return false;
	if (
		json.email !== primary ||
		rawEmails.length !== (primary ? 1 : 0) ||
		(primary && rawEmails[0] !== primary)
	)
		return false;
	if (typeof json.companyId !== 'string' || cleanText(json.companyId) !== json.companyId)
		return false;
	for (const field of TEXT_FIELDS) {
		const value = json[field];
		if (typeof value !== 'string' || cleanText(value) !== value) return false;
	}
	if (
		json.ref !== undefined &&
		(json.ref === null || typeof json.ref !== 'object' || Array.isArray(json.ref))
	)
		return false;
	if (json.createdBySync !== undefined && typeof json.createdBySync !== 'boolean') return false;
	if (
		json.companyName !== undefined &&
		(typeof json.companyName !== 'string' || cleanText(json.companyName) !== json.companyName)
	)
		return false;
	if (json.limits !== undefined && !isFieldLimits(json.limits)) return false;
	return json.inactiveReason === undefined || typeof json.inactiveReason === 'string';
}

/** Primary first, then the other addresses, normalized, unusable ones and repeats dropped. */
function addressList(primary: string, raw: readonly unknown[]): string[] {
	const list: string[] = primary ? [primary] : [];
	for (const entry of raw) {
		const email = normalizeEmail(entry);
		if (email && !list.includes(email)) list.push(email);
	}
	return list;
}

function isTextLike(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		typeof value === 'string' ||
		(typeof value === 'number' && Number.isFinite(value))
	);
}

function describe(value: unknown): string {
	if (typeof value === 'string') return value;
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { message?: unknown }).message === 'string'
	) {
		return (value as { message: string }).message;
	}
	return JSON.stringify(value) ?? String(value);
}

function quote(value: unknown): string {
	if (value === undefined) return 'missing';
	if (typeof value === 'string') return `"${value.slice(0, 80)}"`;
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
