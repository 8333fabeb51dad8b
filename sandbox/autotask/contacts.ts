/** Contacts, written through their company: POST, PATCH, PUT and DELETE /Companies/{id}/Contacts. */
import { entityByRoute } from './fields';
import { AutotaskFault, invalid } from './query';
import type { Actor, AutotaskState, Row } from './state';
import {
	changesOf,
	checkReferences,
	checkRequired,
	existingFor,
	merge,
	mergeUdfs,
	nextId,
	replaceRow,
	stamp,
} from './writes';

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** POST /Companies/{companyId}/Contacts */
export function createContact(
	state: AutotaskState,
	companyId: string,
	body: unknown,
	actor: Actor,
): number {
	const contacts = entityByRoute('Contacts')!;
	const company = companyOf(state, companyId);
	const { changes, udfs } = changesOf(state, contacts, body);
	checkCompanyField(changes, company);
	const row: Row = { ...changes, companyID: Number(company.id) };
	checkRequired(state, contacts, row);
	checkContactValues(row);
	checkReferences(state, contacts, row, Object.keys(changes));
	const now = stamp(state);
	row.id = nextId(state, contacts);
	row.createDate = now;
	row.lastModifiedDate = now;
	row.lastActivityDate = now;
	row.impersonatorCreatorResourceID = actor.impersonatedResourceId ?? null;
	if (udfs) row.userDefinedFields = udfs;
	state.contacts.push(row);
	return row.id as number;
}

/** PATCH (only sent fields change) or PUT (omitted writable fields become null) of a contact. */
export function updateContact(
	state: AutotaskState,
	companyId: string,
	body: unknown,
	mode: 'patch' | 'put',
): number {
	const contacts = entityByRoute('Contacts')!;
	const company = companyOf(state, companyId);
	const existing = existingFor(state, contacts, body);
	if (Number(existing.companyID) !== Number(company.id)) {
		throw invalid(
			`id: Value ${String(existing.id)} does not exist or is invalid for company ${String(company.id)}.`,
		);
	}
	const { changes, udfs } = changesOf(state, contacts, body);
	checkCompanyField(changes, company);
	const row = merge(state, contacts, existing, changes, mode);
	row.companyID = existing.companyID;
	checkRequired(state, contacts, row, mode === 'patch' ? Object.keys(changes) : undefined);
	checkContactValues(row);
	checkReferences(state, contacts, row, Object.keys(changes));
	row.lastModifiedDate = stamp(state);
	if (udfs) row.userDefinedFields = mergeUdfs(existing.userDefinedFields, udfs);
	replaceRow(existing, row);
	return existing.id as number;
}

/** DELETE /Companies/{companyId}/Contacts/{id} */
export function deleteContact(state: AutotaskState, companyId: string, id: string): number {
	const contacts = entityByRoute('Contacts')!;
	const company = companyOf(state, companyId);
	const existing = state.find(contacts, id);
	if (!existing || Number(existing.companyID) !== Number(company.id)) {
		throw new AutotaskFault(404, [
			`Contact ${id} was not found for company ${String(company.id)}.`,
		]);
	}
	if (state.tickets.some((ticket) => Number(ticket.contactID) === Number(id))) {
		throw invalid(
			'The contact cannot be deleted because it is the contact of one or more tickets.',
		);
	}
	state.contacts = state.contacts.filter((row) => row !== existing);
	return Number(id);
}

function companyOf(state: AutotaskState, companyId: string): Row {
	const company = state.find(entityByRoute('Companies')!, companyId);
	if (!company) throw invalid(`companyID: Value ${companyId} does not exist or is invalid.`);
	return company;
}

/** A contact's company comes from the URL and cannot be changed afterwards. */
function checkCompanyField(changes: Row, company: Row): void {
	if (
		changes.companyID !== undefined &&
		changes.companyID !== null &&
		Number(changes.companyID) !== Number(company.id)
	) {
		throw invalid(
			`companyID: The company of a contact cannot be changed (Value ${String(changes.companyID)}; company in the URL: ${String(company.id)}).`,
		);
	}
}

function checkContactValues(row: Row): void {
	if (row.isActive !== 0 && row.isActive !== 1) {
		throw invalid(
			`isActive: Value ${String(row.isActive)} is invalid; use 1 (active) or 0 (inactive).`,
		);
	}
	for (const name of ['emailAddress', 'emailAddress2', 'emailAddress3']) {
		const value = row[name];
		if (typeof value === 'string' && value !== '' && !EMAIL_SHAPE.test(value)) {
			throw invalid(`${name}: '${value}' is not a valid email address.`); // [U] wording
		}
	}
}
