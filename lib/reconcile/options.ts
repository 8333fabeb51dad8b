import { SYNC_FIELDS } from '../contacts/canonical';
import type { SyncField } from '../contacts/canonical';
import { parseDomains } from '../contacts/domains';
import { cleanText } from '../contacts/normalize';
import { InputError } from '../transport/http';
import { DEFAULT_GUARD } from './types';
import type { ReconcileOptions } from './types';

/** The node's parameters as n8n hands them over (collection options may be absent). */
export interface ReconcileParameters {
	targetSystem: unknown;
	companyId: unknown;
	updateExisting: unknown;
	mode: unknown;
	fields: unknown;
	domains: unknown;
	dryRun: unknown;
	guard: {
		maxPercent?: unknown;
		alwaysAllow?: unknown;
		refuseWhenSourceEmpty?: unknown;
		refuseWhenTargetEmpty?: unknown;
		createAlwaysAllow?: unknown;
		maxCreatePercent?: unknown;
		checkCompany?: unknown;
	};
}

/** Checked planner options; a bad parameter is an InputError naming it. */
export function reconcileOptions(parameters: ReconcileParameters): ReconcileOptions {
	const { targetSystem, guard } = parameters;
	if (targetSystem !== 'autotask' && targetSystem !== 'connectwise') {
		throw new InputError(
			'Target System',
			`Target System is "${String(targetSystem)}"`,
			'Choose Autotask or ConnectWise.',
		);
	}
	const updateExisting = parameters.updateExisting === true;
	const mode = updateExisting ? (parameters.mode ?? 'changes') : 'changes';
	if (mode !== 'changes' && mode !== 'mirror') {
		throw new InputError('Mode', `Mode is "${String(mode)}"`, 'Choose Changes Only or Mirror.');
	}
	const fields = parameters.fields ?? [...SYNC_FIELDS];
	if (!Array.isArray(fields))
		throw new InputError(
			'Fields to Sync',
			'Fields to Sync is not a list',
			'Pick the fields from the list.',
		);
	for (const field of fields) {
		if (!(SYNC_FIELDS as readonly unknown[]).includes(field)) {
			throw new InputError(
				'Fields to Sync',
				`Fields to Sync holds "${String(field)}"`,
				`Choose among ${SYNC_FIELDS.join(', ')}.`,
			);
		}
	}
	const maxPercent =
		guard.maxPercent === undefined ? DEFAULT_GUARD.maxShare * 100 : Number(guard.maxPercent);
	if (!Number.isFinite(maxPercent) || maxPercent < 0 || maxPercent > 100) {
		throw new InputError(
			'Max Deactivation Share (%)',
			`Max Deactivation Share (%) is ${String(guard.maxPercent)}`,
			'Use a number from 0 to 100.',
		);
	}
	const alwaysAllow =
		guard.alwaysAllow === undefined ? DEFAULT_GUARD.alwaysAllow : Number(guard.alwaysAllow);
	if (!Number.isInteger(alwaysAllow) || alwaysAllow < 0) {
		throw new InputError(
			'Always Allow Up To',
			`Always Allow Up To is ${String(guard.alwaysAllow)}`,
			'Use a whole number, 0 or more.',
		);
	}
	const createAlwaysAllow =
		guard.createAlwaysAllow === undefined
			? DEFAULT_GUARD.createAlwaysAllow
			: Number(guard.createAlwaysAllow);
	if (!Number.isInteger(createAlwaysAllow) || createAlwaysAllow < 0) {
		throw new InputError(
			'Always Allow Creates Up To',
			`Always Allow Creates Up To is ${String(guard.createAlwaysAllow)}`,
			'Use a whole number, 0 or more.',
		);
	}
	const maxCreatePercent =
		guard.maxCreatePercent === undefined
			? DEFAULT_GUARD.maxCreateShare * 100
			: Number(guard.maxCreatePercent);
	if (!Number.isFinite(maxCreatePercent) || maxCreatePercent < 0) {
		throw new InputError(
			'Max Create Share (%)',
			`Max Create Share (%) is ${String(guard.maxCreatePercent)}`,
			'Use a number, 0 or more (100 allows as many creates as the company has contacts).',
		);
	}
	return {
		targetSystem,
		companyId: cleanText(parameters.companyId),
		updateExisting,
		mode,
		fields: fields as SyncField[],
		domains: parseDomains(cleanText(parameters.domains), 'Domains'),
		guard: {
			maxShare: maxPercent / 100,
			alwaysAllow,
			refuseWhenSourceEmpty:
				guard.refuseWhenSourceEmpty === undefined
					? DEFAULT_GUARD.refuseWhenSourceEmpty
					: guard.refuseWhenSourceEmpty === true,
			refuseWhenTargetEmpty:
				guard.refuseWhenTargetEmpty === undefined
					? DEFAULT_GUARD.refuseWhenTargetEmpty
					: guard.refuseWhenTargetEmpty === true,
			createAlwaysAllow,
			maxCreateShare: maxCreatePercent / 100,
			checkCompany:
				guard.checkCompany === undefined ? DEFAULT_GUARD.checkCompany : guard.checkCompany === true,
		},
		dryRun: parameters.dryRun === true,
	};
}
