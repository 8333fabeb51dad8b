import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DattoPriority } from '../../../lib/alerts/alert';
import type { ProcessAlertsConfig } from '../../../lib/alerts/processAlerts';
import {
	compilePattern,
	DEFAULT_DESCRIPTION_TEMPLATE,
	DEFAULT_TITLE_TEMPLATE,
} from '../../../lib/alerts/settings';
import type { CompanyMapping, MappedCompanies } from '../../../lib/alerts/ticketBody';
import { parseCustomerMap } from '../../../lib/customers/map';
import type {
	MonitorOverride,
	TicketDefaults,
	TicketFieldValues,
} from '../../../lib/alerts/settings';
import { InputError } from '../../../lib/transport/http';
import { attempt } from '../../../lib/util/settled';
import { toNodeError } from '../../shared/errors';
import { alertPsa } from './psaTicketing';

/** Autotask's system picklist values (New, Complete, the Alert ticket type, notes), the same in every tenant. */
const STATUS_NEW = '1';
export const STATUS_COMPLETE = '5';
const TICKET_TYPE_ALERT = '5';
const NOTE_TYPE = '1';
const NOTE_PUBLISH_ALL = '1';

const text = (value: unknown): string =>
	value === null || value === undefined ? '' : String(value).trim();

function ticketFields(raw: IDataObject): TicketFieldValues {
	const fields: TicketFieldValues = {};
	for (const name of [
		'queueID',
		'issueType',
		'subIssueType',
		'billingCodeID',
		'ticketType',
		'source',
		'priority',
		'newStatus',
		'noteType',
		'notePublish',
	] as const) {
		const value = text(raw[name]);
		if (value) {
			if (!/^-?\d+$/.test(value))
				throw new InputError(
					name,
					`${name} must be an Autotask picklist ID, not "${value}"`,
					'Choose the value from the list, or give its numeric ID.',
				);
			fields[name] = value;
		}
	}
	for (const name of ['titleTemplate', 'descriptionTemplate'] as const) {
		const value = typeof raw[name] === 'string' ? (raw[name] as string) : '';
		if (value.trim()) fields[name] = value;
	}
	const due = Number(raw.dueInHours ?? 0);
	if (Number.isFinite(due) && due > 0) fields.dueInHours = due;
	return fields;
}

/** The "Write Timeout" option in ms (undefined: the transport's default). */
export function readWriteTimeout(ctx: IExecuteFunctions): number | undefined {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = Number(options.writeTimeoutSeconds);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** The input that carries the customer map's rows (an n8n Data Table node's output). */
export const CUSTOMER_MAP_INPUT = 1;

/**
 * The customer map from the node's Customer Map input: undefined when nothing is connected or
 * the map has no rows (the site's own Autotask mapping and Site to Company then apply, as in
 * workflows saved before the input). Rows are read by lib/customers/map.ts only.
 */
export function readCustomerMap(ctx: IExecuteFunctions): MappedCompanies | undefined {
	const read = attempt(() => ctx.getInputData(CUSTOMER_MAP_INPUT));
	const rows = read.ok ? read.value : [];
	if (!rows.length) return undefined;
	return { map: parseCustomerMap(rows.map((item) => item.json)), psa: alertPsa(ctx) };
}

/**
 * The ticketing settings Process Alert and Sync Open Alerts share (descriptions/ticketSettings.ts
 * and descriptions/options.ts), read once per execution at item 0. A setting that is wrong fails
 * the run with an error that names it.
 */
export function readTicketingConfig(
	ctx: IExecuteFunctions,
	secrets: () => string[],
): ProcessAlertsConfig {
	const read = attempt(() => readSettings(ctx));
	if (!read.ok) throw toNodeError(ctx.getNode(), read.error, undefined, secrets());
	return read.value;
}

function readSettings(ctx: IExecuteFunctions): ProcessAlertsConfig {
	const defaultsRaw = ctx.getNodeParameter('ticketDefaults', 0, {}) as IDataObject;
	const mapRaw = ((ctx.getNodeParameter('priorityMap', 0, {}) as IDataObject).priorities ??
		{}) as IDataObject;
	const priorityMap: Partial<Record<DattoPriority, string>> = {};
	for (const priority of ['Critical', 'High', 'Moderate', 'Low', 'Information'] as const) {
		const value = text(mapRaw[priority.toLowerCase()]);
		if (value) priorityMap[priority] = value;
	}
	const fields = ticketFields(defaultsRaw);
	const completeStatus = text(defaultsRaw.completeStatus) || STATUS_COMPLETE;
	const defaults: TicketDefaults = {
		...fields,
		ticketType: fields.ticketType ?? TICKET_TYPE_ALERT,
		newStatus: fields.newStatus ?? STATUS_NEW,
		noteType: fields.noteType ?? NOTE_TYPE,
		notePublish: fields.notePublish ?? NOTE_PUBLISH_ALL,
		completeStatus,
		priorityMap,
		titleTemplate: fields.titleTemplate ?? DEFAULT_TITLE_TEMPLATE,
		descriptionTemplate: fields.descriptionTemplate ?? DEFAULT_DESCRIPTION_TEMPLATE,
	};

	const overrides: MonitorOverride[] = [];
	const typeRows = ((ctx.getNodeParameter('monitorTypeOverrides', 0, {}) as IDataObject)
		.overrides ?? []) as IDataObject[];
	for (const row of typeRows) {
		const monitorClass = row.monitorType === 'other' ? text(row.otherClass) : text(row.monitorType);
		if (!monitorClass) {
			throw new InputError(
				'Monitor Type Overrides',
				'A monitor type override has no class',
				'Pick a monitor type, or enter the @class under Other Class.',
			);
		}
		overrides.push({
			kind: 'monitorType',
			monitorClass,
			action: row.ticketing === 'dontTicket' ? 'dontTicket' : 'ticket',
			fields: ticketFields(row),
		});
	}
	const monitorRows = ((ctx.getNodeParameter('monitorOverrides', 0, {}) as IDataObject).overrides ??
		[]) as IDataObject[];
	for (const row of monitorRows) {
		const pattern = text(row.pattern);
		if (!pattern)
			throw new InputError(
				'Monitor Overrides',
				'A monitor override has no pattern',
				'Enter the monitor name or message text to match.',
			);
		compilePattern(pattern, 'Monitor Overrides');
		const matchField =
			row.matchField === 'monitorName' || row.matchField === 'message' ? row.matchField : 'either';
		overrides.push({
			kind: 'monitor',
			matchField,
			pattern,
			action: row.ticketing === 'dontTicket' ? 'dontTicket' : 'ticket',
			fields: ticketFields(row),
		});
	}

	const siteRows = ((ctx.getNodeParameter('siteCompanies', 0, {}) as IDataObject).mappings ??
		[]) as IDataObject[];
	const siteCompanies: CompanyMapping[] = [];
	for (const row of siteRows) {
		// Version 3 picks both from lists (resource locators); versions 1 and 2 saved plain values.
		const site = text(locatorValue(row.site));
		const company = locatorValue(row.companyId);
		const companyId = typeof company === 'number' ? company : Number(text(company) || NaN);
		if (!site) continue;
		if (!Number.isInteger(companyId) || companyId < 0) {
			throw new InputError(
				'Site to Company',
				`The company for site "${site}" is not an Autotask company ID`,
				'Enter the numeric ID of the Autotask company.',
			);
		}
		siteCompanies.push({ site, companyId });
	}
	const catchAll = text(ctx.getNodeParameter('catchAllCompany', 0, '', { extractValue: true }));
	if (catchAll && !/^\d+$/.test(catchAll)) {
		throw new InputError(
			'Catch-All Company',
			`"${catchAll}" is not an Autotask company ID`,
			'Pick the company from the list or give its numeric ID.',
		);
	}

	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number) => {
		const parsed = Number(value);
		return value === undefined || value === '' || !Number.isFinite(parsed) ? fallback : parsed;
	};
	return {
		defaults,
		overrides,
		customers: readCustomerMap(ctx),
		useSiteAutotaskCompany: ctx.getNodeParameter('useSiteAutotaskCompany', 0, true) as boolean,
		siteCompanies,
		catchAllCompanyId: catchAll ? Number(catchAll) : undefined,
		attachConfigurationItem: options.attachConfigurationItem !== false,
		assignToEmail: text(options.assignToEmail) || undefined,
		fallbackAssigneeEmail: text(options.fallbackAssigneeEmail) || undefined,
		skipNativeTickets: options.skipNativeTickets !== false,
		reopenWindowHours: number(options.reopenWindowHours, 24),
		stormWindowMinutes: number(options.stormWindowMinutes, 60),
		stormPerDevice: number(options.stormPerDevice, 3),
		stormPerSite: number(options.stormPerSite, 10),
		alertsPerNote: number(options.alertsPerNote, 200),
		stormNoteIntervalSeconds: number(options.stormNoteIntervalSeconds, 60),
	};
}

/** A resource locator's value (`{ __rl, mode, value }`), or the plain value a version 1 or 2 node saved. */
function locatorValue(value: unknown): unknown {
	return value !== null && typeof value === 'object' && 'value' in value
		? (value as { value: unknown }).value
		: value;
}
