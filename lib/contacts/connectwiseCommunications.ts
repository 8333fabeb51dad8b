/**
 * Writing a contact's email, phone and mobile through its communications sub-resource (a PATCH
 * of communicationItems fails): which item to change or create, keeping one default per kind,
 * from the contact itself or from the ref its canonical contact carried.
 */
import type { PatchOperation } from '../transport/connectwise';
import { itemKind, itemsOfRole, preferDefault, typeNamesKey } from './connectwise';
import type {
	CommunicationField,
	CommunicationKind,
	CommunicationTypeNames,
	ConnectWiseCommunicationItem,
	ConnectWiseContact,
	ConnectWiseContactRef,
	ResolvedCommunicationTypes,
} from './connectwise';
import { communicationFieldsOf, typeFor } from './connectwiseInput';
import type { ContactInput } from './connectwiseInput';
import { cleanText, normalizeEmail, phoneDigits } from './normalize';

export type CommunicationWrite =
	| { kind: 'update'; field: CommunicationField; itemId: number; operations: PatchOperation[] }
	| {
			kind: 'create';
			field: CommunicationField;
			body: { type: { id: number }; value: string; defaultFlag: boolean };
	  };

/**
 * What to change so that the contact's email / phone / mobile become the given values, through
 * /communications (a PATCH of communicationItems fails): the matching item is updated in place,
 * other items are kept, and each kind keeps exactly one default.
 */
export function communicationWrites(
	contact: ConnectWiseContact,
	input: Pick<ContactInput, CommunicationField>,
	types: ResolvedCommunicationTypes,
): CommunicationWrite[] {
	const items = contact.communicationItems ?? [];
	const writes: CommunicationWrite[] = [];
	const hasDefault = (kind: CommunicationKind) =>
		items.some((item) => itemKind(item) === kind && item.defaultFlag);

	if (input.email) {
		const emailItems = items.filter((item) => itemKind(item) === 'Email');
		const same = emailItems.find((item) => normalizeEmail(item.value) === input.email);
		if (same) {
			if (!same.defaultFlag)
				writes.push({
					kind: 'update',
					field: 'email',
					itemId: same.id,
					operations: [{ op: 'replace', path: 'defaultFlag', value: true }],
				});
		} else {
			const target =
				emailItems.find((item) => item.defaultFlag) ??
				emailItems.find((item) => item.type?.id === types.write.email?.id) ??
				emailItems[0];
			if (target) {
				const operations: PatchOperation[] = [{ op: 'replace', path: 'value', value: input.email }];
				if (!target.defaultFlag)
					operations.push({ op: 'replace', path: 'defaultFlag', value: true });
				writes.push({ kind: 'update', field: 'email', itemId: target.id, operations });
			} else {
				writes.push({
					kind: 'create',
					field: 'email',
					body: { type: { id: typeFor(types, 'email').id }, value: input.email, defaultFlag: true },
				});
			}
		}
	}

	let phoneDefault = hasDefault('Phone');
	for (const field of ['phone', 'mobile'] as const) {
		const value = input[field];
		if (!value) continue;
		const ofType = itemsOfRole(items, types, field);
		if (ofType.some((item) => samePhone(item.value, value))) continue;
		const target = preferDefault(ofType);
		if (target) {
			writes.push({
				kind: 'update',
				field,
				itemId: target.id,
				operations: [{ op: 'replace', path: 'value', value }],
			});
		} else {
			writes.push({
				kind: 'create',
				field,
				body: { type: { id: typeFor(types, field).id }, value, defaultFlag: !phoneDefault },
			});
			phoneDefault = true;
		}
	}
	return writes;
}

/** Phones compare by digits; values without digits compare as text. */
function samePhone(a: unknown, b: unknown): boolean {
	const x = phoneDigits(a);
	const y = phoneDigits(b);
	if (x && y) return x === y;
	return cleanText(a).toLowerCase() === cleanText(b).toLowerCase();
}

/** The contact after its communication writes, merged locally (saves a read). */
export function withCommunicationResults(
	contact: ConnectWiseContact,
	results: ConnectWiseCommunicationItem[],
): ConnectWiseContact {
	const items = [...(contact.communicationItems ?? [])];
	for (const result of results) {
		const item: ConnectWiseCommunicationItem = {
			id: result.id,
			type: result.type,
			value: result.value,
			defaultFlag: result.defaultFlag === true,
			communicationType: result.communicationType,
		};
		if (result.extension) item.extension = result.extension;
		if (result.domain) item.domain = result.domain;
		const index = items.findIndex((existing) => existing.id === item.id);
		if (index >= 0) items[index] = item;
		else items.push(item);
		if (item.defaultFlag) {
			for (let i = 0; i < items.length; i++) {
				if (
					items[i].id !== item.id &&
					items[i].communicationType === item.communicationType &&
					items[i].defaultFlag
				) {
					items[i] = { ...items[i], defaultFlag: false };
				}
			}
		}
	}
	return { ...contact, communicationItems: items };
}

/**
 * The ref, when it settles every communication field the input writes under these type names;
 * undefined otherwise (no ref, another shape, other names, several candidate items).
 */
export function usableConnectWiseRef(
	value: unknown,
	names: CommunicationTypeNames,
	input: ContactInput,
): ConnectWiseContactRef | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const ref = value as Partial<ConnectWiseContactRef>;
	if (ref.typeNames !== typeNamesKey(names) || typeof ref.phoneDefault !== 'boolean')
		return undefined;
	for (const field of communicationFieldsOf(input)) {
		const id = ref[`${field}ItemId`];
		if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return undefined;
	}
	return ref as ConnectWiseContactRef;
}

/** The fields whose item the contact does not have yet (their type id must be looked up to create one). */
export function fieldsToCreate(
	ref: ConnectWiseContactRef,
	input: ContactInput,
): CommunicationField[] {
	return communicationFieldsOf(input).filter((field) => ref[`${field}ItemId`] === 0);
}

/** The communication writes `communicationWrites` would make, from the ref instead of the contact. */
export function communicationWritesFromRef(
	ref: ConnectWiseContactRef,
	input: Pick<ContactInput, CommunicationField>,
	types: ResolvedCommunicationTypes,
): CommunicationWrite[] {
	const writes: CommunicationWrite[] = [];
	if (input.email) {
		const itemId = ref.emailItemId ?? 0;
		writes.push(
			itemId > 0
				? {
						kind: 'update',
						field: 'email',
						itemId,
						operations: [{ op: 'replace', path: 'value', value: input.email }],
					}
				: {
						kind: 'create',
						field: 'email',
						body: {
							type: { id: typeFor(types, 'email').id },
							value: input.email,
							defaultFlag: true,
						},
					},
		);
	}
	let phoneDefault = ref.phoneDefault;
	for (const field of ['phone', 'mobile'] as const) {
		const value = input[field];
		if (!value) continue;
		const itemId = ref[`${field}ItemId`] ?? 0;
		if (itemId > 0) {
			writes.push({
				kind: 'update',
				field,
				itemId,
				operations: [{ op: 'replace', path: 'value', value }],
			});
		} else {
			writes.push({
				kind: 'create',
				field,
				body: { type: { id: typeFor(types, field).id }, value, defaultFlag: !phoneDefault },
			});
			phoneDefault = true;
		}
	}
	return writes;
}
