import { SYNC_FIELDS } from '../contacts/canonical';
import type { SyncField } from '../contacts/canonical';
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
	return {
		targetSystem,
		companyId: cleanText(parameters.companyId),
		updateExisting,
		mode,
		fields: fields as SyncField[],
		domains: parseDomains(cleanText(parameters.domains)),
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
		},
		dryRun: parameters.dryRun === true,
	};
}

const DOMAIN_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/**
 * "contoso.com, @Fabrikam.com; sales.contoso.com" -> ['contoso.com', 'fabrikam.com',
 * 'sales.contoso.com']: lower-case, without '@', repeats dropped. A domain matches exactly (a
 * subdomain is a domain of its own), as the part after '@' of an address.
 */
export function parseDomains(text: string, field = 'Domains'): string[] {
	const domains: string[] = [];
	for (const part of text.split(/[\s,;]+/)) {
		const domain = part.trim().replace(/^@/, '').toLowerCase();
		if (!domain) continue;
		if (!DOMAIN_PATTERN.test(domain)) {
			throw new InputError(
				field,
				`${field} holds "${part}", which is not a domain`,
				'List domains as they appear after the @ of an address, separated by commas, e.g. "contoso.com, fabrikam.com".',
			);
		}
		if (!domains.includes(domain)) domains.push(domain);
	}
	return domains;
}
