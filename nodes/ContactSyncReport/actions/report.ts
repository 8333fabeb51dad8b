import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { buildSyncReport, describeFailures, REPORT_INPUTS } from '../../../lib/reconcile/report';
import type { ReportInput } from '../../../lib/reconcile/report';
import { parameters } from '../descriptions/parameters';

export const description: INodeProperties[] = parameters;

/**
 * One report item per customer from everything the writers and Contact Reconcile emitted; with
 * failures (and Fail When Anything Failed on, Continue On Fail off) the execution fails after it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const received: Partial<Record<ReportInput, IDataObject[]>> = {};
	REPORT_INPUTS.forEach((input, index) => {
		received[input] = inputItems(this, index).map((item) => item.json);
	});
	const report = buildSyncReport(received);
	const failOnErrors = this.getNodeParameter('failOnErrors', 0, true) as boolean;
	if (report.errors > 0 && failOnErrors && !this.continueOnFail()) {
		const failed = report.customers.filter((customer) => customer.errors > 0);
		throw new NodeOperationError(
			this.getNode(),
			`Contact sync: ${report.errors} item(s) failed for ${failed.length} of ${report.customers.length} customer(s) (${failed
				.slice(0, 3)
				.map((customer) => customer.customer)
				.join(', ')}${failed.length > 3 ? ', ...' : ''})`,
			{
				description: `Everything else was written. ${describeFailures(report)}`,
			},
		);
	}
	return [
		report.customers.map((customer) => ({
			json: customer as unknown as IDataObject,
			pairedItem: { item: 0, input: firstInputWithItems(received) },
		})),
	];
}

function inputItems(ctx: IExecuteFunctions, input: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(input);
	} catch {
		// An input with nothing connected (or that received nothing) has no items.
		return [];
	}
}

function firstInputWithItems(received: Partial<Record<ReportInput, IDataObject[]>>): number {
	const index = REPORT_INPUTS.findIndex((input) => (received[input]?.length ?? 0) > 0);
	return index < 0 ? 0 : index;
}
