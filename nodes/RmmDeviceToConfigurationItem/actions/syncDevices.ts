import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { parseCustomerMap } from '../../../lib/customers/map';
import { readMapping } from '../../../lib/devices/mapping';
import { readDeviceState, writeDeviceState } from '../../../lib/devices/state';
import { syncDevices } from '../../../lib/devices/sync';
import type { DeviceSyncSettings } from '../../../lib/devices/sync';
import { DEFAULT_DEVICE_GUARD } from '../../../lib/devices/types';
import { InputError } from '../../../lib/transport/http';
import { attempt, settle } from '../../../lib/util/settled';
import { toNodeError } from '../../shared/errors';
import { deviceSyncClients } from '../clients';
import { mappings } from '../descriptions/mappings';
import { options, scope } from '../descriptions/options';
import { routeRun, runFailedError } from './outputs';

/** Where the sync's memory lives in the node's static data (lib/devices/state.ts). */
const STATE_KEY = 'deviceSync';

export const description: INodeProperties[] = [...scope, ...mappings, options];

function inputItems(ctx: IExecuteFunctions, input: number): INodeExecutionData[] {
	// An input with nothing connected (or that sent nothing) has no items.
	const read = attempt(() => ctx.getInputData(input));
	return read.ok ? read.value : [];
}

const rules = (value: unknown): Array<Record<string, unknown>> =>
	((value as { rule?: Array<Record<string, unknown>> } | undefined)?.rule ?? []).filter(
		(rule) => rule && typeof rule === 'object',
	);

function number(value: unknown, field: string, fallback: number, max?: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed < 0 || (max !== undefined && parsed > max))
		throw new InputError(
			field,
			`${field} is "${String(value)}", which is not a number from 0${max !== undefined ? ` to ${max}` : ''}`,
			`Enter a whole number for ${field}.`,
		);
	return parsed;
}

function readSettings(ctx: IExecuteFunctions): DeviceSyncSettings {
	const opts = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const keyUdf = String(opts.deviceUidUdf ?? '').trim();
	return {
		scope:
			ctx.getNodeParameter('devicesFrom', 0, 'account') === 'mappedSites'
				? 'mappedSites'
				: 'account',
		graceDays: number(opts.graceDays, 'Grace Period (Days)', 30),
		guard: {
			alwaysAllow: number(opts.alwaysAllow, 'Always Allow Up To', DEFAULT_DEVICE_GUARD.alwaysAllow),
			maxShare:
				number(
					opts.maxDeactivationShare,
					'Max Deactivation Share (%)',
					DEFAULT_DEVICE_GUARD.maxShare * 100,
					100,
				) / 100,
		},
		keyUdf: keyUdf || undefined,
		mapping: readMapping({
			typeRules: rules(ctx.getNodeParameter('deviceTypeRules', 0, {})),
			defaultProduct: ctx.getNodeParameter('defaultProduct', 0, ''),
			defaultConfigurationItemType: ctx.getNodeParameter('defaultConfigurationItemType', 0, ''),
			udfRules: rules(ctx.getNodeParameter('udfRules', 0, {})),
			contractRules: rules(ctx.getNodeParameter('contractRules', 0, {})),
		}),
		useDefaultContracts: ctx.getNodeParameter('useDefaultContracts', 0, false) === true,
		dryRun: opts.dryRun === true,
		now: Date.now(),
	};
}

/**
 * One sync per execution, whatever the trigger sent: the customer map from the second input,
 * the plan applied (every write, failures collected), the memory saved on production runs, then
 * one item per device or item by output, and one error for the run when anything failed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const triggerItems = inputItems(this, 0);
	const mapItems = inputItems(this, 1);
	const read = attempt(() => readSettings(this));
	if (!read.ok) throw toNodeError(node, read.error, undefined);
	const settings = read.value;

	const customerMap = parseCustomerMap(mapItems.map((item) => item.json));
	const clients = deviceSyncClients(this, settings.keyUdf);
	const staticData = this.getWorkflowStaticData('node');
	const previous = readDeviceState(staticData[STATE_KEY]);
	const run = await settle(syncDevices(clients, customerMap, settings, previous));
	if (!run.ok) throw toNodeError(node, run.error, undefined, clients.secrets());

	// n8n saves static data after production runs only; a manual or dry run leaves the memory as it was.
	if (!settings.dryRun && this.getMode() !== 'manual')
		staticData[STATE_KEY] = writeDeviceState(
			staticData[STATE_KEY],
			run.value.state,
		) as unknown as IDataObject;

	const secrets = clients.secrets();
	const outputs = routeRun(
		run.value,
		{ mapRows: mapItems.length, triggerItems: triggerItems.length },
		{ dryRun: settings.dryRun, secrets, emptyMap: mapItems.length === 0 },
	);
	if (run.value.failures.length && !this.continueOnFail())
		throw runFailedError(node, run.value.failures, secrets);
	return outputs;
}
