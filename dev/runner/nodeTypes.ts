/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import { NodeHelpers } from 'n8n-workflow';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

import { standInNodeTypes } from './standInNodes';

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-msp';

export interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Record<string, ICredentialType>;
	/** Our node types by short name (`autotaskContact`). */
	nodes: Record<string, INodeType>;
}

class MapNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const found = this.types[nodeType];
		if (!found) throw new Error(`Unrecognized node type: ${nodeType}`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function packageJson(): { n8n: { nodes: string[]; credentials: string[] } } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(PACKAGE_ROOT, 'package.json'));
}

function exported<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as Record<string, new () => T>;
	const className = path.basename(file).split('.')[0];
	const Class = module[className];
	if (!Class) throw new Error(`${file} does not export class ${className}`);
	return new Class();
}

/**
 * Our nodes and credentials as jest sees them: the TypeScript sources that package.json's
 * n8n block points at (dist/x.js → x.ts), plus stand-ins for the n8n-nodes-base triggers.
 */
export function loadSourcePackage(): LoadedPackage {
	const manifest = packageJson().n8n;
	const source = (distPath: string) =>
		path.join(PACKAGE_ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const nodes: Record<string, INodeType> = {};
	for (const file of manifest.nodes) {
		// A node still being written is skipped here; the packaging test insists on all of them.
		if (!fs.existsSync(source(file))) continue;
		const node = exported<INodeType>(source(file));
		nodes[node.description.name] = node;
	}
	const credentialTypes: Record<string, ICredentialType> = {};
	for (const file of manifest.credentials) {
		const credential = exported<ICredentialType>(source(file));
		credentialTypes[credential.name] = credential;
	}
	return assemble(nodes, credentialTypes);
}

/** The built package, loaded the way n8n loads an installed community package. */
export async function loadBuiltPackage(directory = PACKAGE_ROOT): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(directory);
	await loader.loadAll();
	const nodes: Record<string, INodeType> = {};
	for (const [name, data] of Object.entries(loader.nodeTypes)) nodes[name] = data.type as INodeType;
	const credentialTypes: Record<string, ICredentialType> = {};
	for (const [name, data] of Object.entries(loader.credentialTypes))
		credentialTypes[name] = data.type;
	return assemble(nodes, credentialTypes);
}

function assemble(
	nodes: Record<string, INodeType>,
	credentialTypes: Record<string, ICredentialType>,
): LoadedPackage {
	const all: Record<string, INodeType> = { ...standInNodeTypes };
	for (const [name, node] of Object.entries(nodes)) all[`${PACKAGE_NAME}.${name}`] = node;
	return { nodeTypes: new MapNodeTypes(all), credentialTypes, nodes };
}
