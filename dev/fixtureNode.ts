import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { loadSourcePackage, PACKAGE_NAME } from './runner/nodeTypes';
import type { LoadedPackage } from './runner/nodeTypes';

/**
 * Test-only node: emits the items in its "items" parameter (a JSON array), standing in for a
 * vendor node's output so a node under test can be fed several different inputs in one workflow.
 */
export class Fixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fixture',
		name: 'fixture',
		group: ['transform'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

export const FIXTURE = `${PACKAGE_NAME}.fixture`;

/** The source package with the fixture node registered as `n8n-nodes-msp.fixture`. */
export function packageWithFixture(): LoadedPackage {
	const pkg = loadSourcePackage();
	const fixture = new Fixture();
	const byName = pkg.nodeTypes.getByName.bind(pkg.nodeTypes);
	const byVersion = pkg.nodeTypes.getByNameAndVersion.bind(pkg.nodeTypes);
	pkg.nodeTypes.getByName = (type: string) => (type === FIXTURE ? fixture : byName(type));
	pkg.nodeTypes.getByNameAndVersion = (type: string, version?: number) =>
		type === FIXTURE ? fixture : byVersion(type, version);
	return pkg;
}
