import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { createHttpClient } from '../../nodes/shared/n8nHttpAdapter';
import { runPerItem } from '../../nodes/shared/items';

/**
 * A test-only node that sends one request per item through the package's n8n adapter and
 * returns what came back, so the adapter is tested inside the real execution engine.
 */
export class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		icon: 'fa:vial',
		group: ['transform'],
		version: 1,
		subtitle: 'probe',
		description: 'Test probe',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'autotaskApi', required: false },
			{ name: 'connectWiseManageApi', required: false },
			{ name: 'microsoftGraphAppApi', required: false },
			{ name: 'dattoRmmApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Overrides', name: 'overrides', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem(this, { concurrency: 1 }, async (i) => {
			const credentialType = this.getNodeParameter('credentialType', i) as string;
			const overrides = JSON.parse(this.getNodeParameter('overrides', i) as string) as IDataObject;
			const http = createHttpClient(this, credentialType, {
				itemIndex: i,
				credentialOverrides: overrides as never,
				timeoutMs: 2_000,
			});
			const response = await http.send({
				method: this.getNodeParameter('method', i) as 'GET',
				url: this.getNodeParameter('url', i) as string,
			});
			return [
				{
					json: {
						status: response.status,
						headers: response.headers,
						body: response.body as IDataObject,
					},
				},
			];
		});
	}
}
