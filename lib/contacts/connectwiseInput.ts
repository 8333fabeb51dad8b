/**
 * What a ConnectWise contact write may carry, from the node's fields or a plan item: cleaned,
 * checked against ConnectWise's limits before any call, and turned into a POST body or PATCH.
 */
import { checkRawConditions, cw, emailChildConditions } from '../transport/connectwise';
import type { PatchOperation } from '../transport/connectwise';
import { InputError } from '../transport/http';
import type { ContactPlanItem } from './canonical';
import { planChanges } from './canonical';
import { COMMUNICATION_TYPE_OPTION_LABELS, CONNECTWISE_CONTACT_LIMITS } from './connectwise';
import { truncateToLimit } from './fieldLimits';
import type { TruncatedValue } from './fieldLimits';
import type {
	CommunicationField,
	ConnectWiseCommunicationType,
	ConnectWiseContact,
	ResolvedCommunicationTypes,
} from './connectwise';
import { cleanText, isBlank, normalizeEmail, optionalEmail } from './normalize';

export interface ContactInput {
	companyId?: string;
	firstName?: string;
	lastName?: string;
	title?: string;
	email?: string;
	phone?: string;
	mobile?: string;
	addressLine1?: string;
	addressLine2?: string;
	city?: string;
	state?: string;
	zip?: string;
	/** true = inactive. */
	inactive?: boolean;
}

const SCALAR_FIELDS = [
	'firstName',
	'lastName',
	'title',
	'addressLine1',
	'addressLine2',
	'city',
	'state',
	'zip',
] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];

/**
 * ConnectWise's field lengths. ConnectWise has no field-information endpoint (its Manage API
 * document has none; Autotask's entityInformation/fields has no counterpart), so the limits are
 * the ones its published Contact and ContactCommunication models state: communication values 250
 * (the document's "Max length: 250;"), names 30 and title 100 (the model's validation, as the
 * reference notes record it). Checked before any call.
 */
export const CONNECTWISE_FIELD_LIMITS: Record<ScalarField | CommunicationField, number> = {
	...CONNECTWISE_CONTACT_LIMITS,
	addressLine1: 50,
	addressLine2: 50,
	city: 50,
	state: 50,
	zip: 12,
};

export const CONTACT_INPUT_LABELS: Record<keyof ContactInput, string> = {
	companyId: 'Company',
	firstName: 'First Name',
	lastName: 'Last Name',
	title: 'Title',
	email: 'Email',
	phone: 'Phone',
	mobile: 'Mobile',
	addressLine1: 'Address Line 1',
	addressLine2: 'Address Line 2',
	city: 'City',
	state: 'State',
	zip: 'Zip',
	inactive: 'Inactive',
};

/**
 * Cleans the input (blank = not given) and refuses what ConnectWise would refuse, naming the
 * field: a missing first name on create, over-long values, a malformed address, a company id
 * that is not a number.
 */
export function checkContactInput(
	raw: ContactInput,
	options: {
		creating: boolean;
		labels?: Partial<Record<keyof ContactInput, string>>;
		/** A sync's write: over-long values are cut at the limit and listed here instead of refused. */
		truncated?: TruncatedValue[];
	},
): ContactInput {
	const labels = { ...CONTACT_INPUT_LABELS, ...options.labels };
	const out: ContactInput = {};
	for (const field of [...SCALAR_FIELDS, 'phone', 'mobile'] as const) {
		const value = cleanText(raw[field]);
		if (!value) continue;
		const max = CONNECTWISE_FIELD_LIMITS[field];
		if (value.length > max && options.truncated) {
			const written = truncateToLimit(value, max);
			options.truncated.push({ field, limit: max, length: value.length, written });
			out[field] = written;
			continue;
		}
		if (value.length > max) {
			throw new InputError(
				labels[field],
				`${labels[field]} is ${value.length} characters long; ConnectWise allows at most ${max}`,
				`Shorten "${labels[field]}" to ${max} characters or fewer.`,
			);
		}
		out[field] = value;
	}
	if (!isBlank(raw.email)) {
		const email = normalizeEmail(raw.email);
		if (!email) {
			throw new InputError(
				labels.email,
				`${labels.email} "${cleanText(raw.email)}" is not a valid email address`,
				'Enter an address like name@example.com.',
			);
		}
		if (email.length > CONNECTWISE_FIELD_LIMITS.email) {
			throw new InputError(
				labels.email,
				`${labels.email} is ${email.length} characters long; ConnectWise allows at most ${CONNECTWISE_FIELD_LIMITS.email}`,
			);
		}
		out.email = email;
	}
	if (!isBlank(raw.companyId)) {
		const company = cleanText(raw.companyId);
		if (!/^\d+$/.test(company) || !Number.isSafeInteger(Number(company))) {
			throw new InputError(
				labels.companyId,
				`${labels.companyId} "${company}" is not a ConnectWise company ID`,
				'Pick the company from the list, or enter its numeric ID.',
			);
		}
		out.companyId = company;
	}
	if (options.creating && !out.firstName) {
		throw new InputError(
			labels.firstName,
			`${labels.firstName} is required to create a ConnectWise contact`,
			"Enter the contact's first name.",
		);
	}
	if (raw.inactive !== undefined) out.inactive = raw.inactive;
	return out;
}

/** The communication fields a write touches. */
export function communicationFieldsOf(input: ContactInput): CommunicationField[] {
	return (['email', 'phone', 'mobile'] as const).filter((field) => !!input[field]);
}

export function needsCommunicationTypes(input: ContactInput): boolean {
	return communicationFieldsOf(input).length > 0;
}

/** The type a new item of the field is written with; the tenant's lack of one is the error. */
export function typeFor(
	types: ResolvedCommunicationTypes,
	field: CommunicationField,
): ConnectWiseCommunicationType {
	const type = types.write[field];
	if (!type)
		throw (
			types.missing[field] ??
			new InputError(
				COMMUNICATION_TYPE_OPTION_LABELS[field],
				`No communication type was resolved for ${field}`,
			)
		);
	return type;
}

/** The POST body of a new contact, email and phones as communication items. */
export function newContactBody(
	input: ContactInput,
	types?: ResolvedCommunicationTypes,
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const field of SCALAR_FIELDS) if (input[field]) body[field] = input[field];
	if (input.companyId) body.company = { id: Number(input.companyId) };
	if (input.inactive !== undefined) body.inactiveFlag = input.inactive;
	const items: Array<Record<string, unknown>> = [];
	if (types) {
		if (input.email)
			items.push({
				type: { id: typeFor(types, 'email').id },
				value: input.email,
				defaultFlag: true,
			});
		if (input.phone)
			items.push({
				type: { id: typeFor(types, 'phone').id },
				value: input.phone,
				defaultFlag: true,
			});
		if (input.mobile)
			items.push({
				type: { id: typeFor(types, 'mobile').id },
				value: input.mobile,
				defaultFlag: !input.phone,
			});
	}
	if (items.length) body.communicationItems = items;
	return body;
}

/** PATCH operations for the scalar fields that change (never a blank, never a sub-path). */
export function contactPatch(input: ContactInput, current?: ConnectWiseContact): PatchOperation[] {
	const operations: PatchOperation[] = [];
	for (const field of SCALAR_FIELDS) {
		const value = input[field];
		if (!value) continue;
		if (current && cleanText(current[field]) === value) continue;
		operations.push({ op: 'replace', path: field, value });
	}
	if (input.companyId && (!current || String(current.company?.id ?? '') !== input.companyId)) {
		operations.push({ op: 'replace', path: 'company', value: { id: Number(input.companyId) } });
	}
	if (
		input.inactive !== undefined &&
		(!current || (current.inactiveFlag === true) !== input.inactive)
	) {
		operations.push({ op: 'replace', path: 'inactiveFlag', value: input.inactive });
	}
	return operations;
}

/** One write to a contact's communications sub-resource. */

/** The write a plan item asks for (see planChanges), as node input; the company only to create in. */
export function planToInput(plan: ContactPlanItem): ContactInput {
	const { active, ...fields } = planChanges(plan);
	const input: ContactInput = { ...fields };
	if (active !== undefined) input.inactive = !active;
	if (plan.action === 'create' && !isBlank(plan.companyId))
		input.companyId = String(plan.companyId);
	return input;
}

/** A contact ID as the node's Contact parameter gives it (picked from the list, or typed). */
export function checkContactId(value: unknown, label = 'Contact'): number {
	const raw = cleanText(value);
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
		throw new InputError(
			label,
			raw ? `${label} "${raw}" is not a ConnectWise contact ID` : `${label} is required`,
			'Pick the contact from the list, or enter its numeric ID.',
		);
	}
	return Number(raw);
}

/** Get Many's filters as the node hands them over (any may be absent). */
export interface ContactFilters {
	companyId?: unknown;
	status?: unknown;
	name?: unknown;
	/** At or after this time, as Autotask Contact's filter of the same name. */
	modifiedSince?: unknown;
	conditions?: unknown;
	email?: unknown;
	childConditions?: unknown;
}

/** ConnectWise conditions and childConditions for Get Many's filters, all ANDed (raw ones checked). */
export function contactConditions(filters: ContactFilters): {
	conditions?: string;
	childConditions?: string;
} {
	const conditions: string[] = [];
	const companyId = cleanText(filters.companyId);
	if (companyId) {
		if (!/^\d+$/.test(companyId) || !Number.isSafeInteger(Number(companyId)))
			throw new InputError(
				'Company ID',
				`Company ID "${companyId}" is not a number`,
				'Enter the numeric ConnectWise company ID.',
			);
		conditions.push(cw.eq('company/id', Number(companyId)));
	}
	const status = String(filters.status ?? 'all');
	if (status === 'active') conditions.push(cw.eq('inactiveFlag', false));
	if (status === 'inactive') conditions.push(cw.eq('inactiveFlag', true));
	for (const word of cleanText(filters.name).split(' ').filter(Boolean)) {
		conditions.push(cw.or(cw.contains('firstName', word), cw.contains('lastName', word)));
	}
	if (!isBlank(filters.modifiedSince)) {
		const since = new Date(String(filters.modifiedSince));
		if (!Number.isFinite(since.getTime()))
			throw new InputError(
				'Last Modified Since',
				`Last Modified Since "${String(filters.modifiedSince)}" is not a date`,
			);
		conditions.push(cw.compare('lastUpdated', '>=', since));
	}
	if (!isBlank(filters.conditions))
		conditions.push(checkRawConditions(String(filters.conditions), 'Conditions (Raw)'));

	const childConditions: string[] = [];
	const email = optionalEmail(filters.email, 'Email');
	if (email) childConditions.push(emailChildConditions([email]));
	if (!isBlank(filters.childConditions))
		childConditions.push(
			checkRawConditions(String(filters.childConditions), 'Child Conditions (Raw)'),
		);
	return {
		conditions: cw.and(...conditions) || undefined,
		childConditions: cw.and(...childConditions) || undefined,
	};
}
