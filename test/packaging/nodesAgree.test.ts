/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeProperties } from 'n8n-workflow';

import { loadSourcePackage, PACKAGE_NAME, PACKAGE_ROOT } from '../../dev/runner/nodeTypes';
import { CONTACT_OUTPUT_OPERATIONS } from '../../nodes/shared/descriptions';

/**
 * The nodes agree with each other: the same thing has one parameter name, type, default and
 * required flag in Autotask Contact and ConnectWise Contact (at its default version), one name
 * for the Microsoft 365 node, and priority maps whose text names the priorities their fields do.
 */

const pkg = loadSourcePackage();

function description(node: string) {
	const type = pkg.nodeTypes.getByNameAndVersion(`${PACKAGE_NAME}.${node}`);
	const { version, defaultVersion } = type.description;
	const latest = defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version);
	return { properties: type.description.properties, version: latest, type };
}

type Shown = { name: string; type: string; default: string; required: boolean };

/** Whether `property` shows for these parameter values at this version (n8n's show rules). */
function shows(property: INodeProperties, values: Record<string, unknown>, version: number) {
	for (const [key, allowed] of Object.entries(property.displayOptions?.show ?? {})) {
		const value = key === '@version' ? version : values[key.replace(/^\//, '')];
		if (!(allowed as unknown[]).includes(value)) return false;
	}
	return true;
}

/** Every parameter an operation shows, collection members included, by what the user reads. */
function shownParameters(node: string, operation: string): Map<string, Shown> {
	const { properties, version } = description(node);
	const values = { resource: 'contact', operation, fromReconcile: false, returnAll: false };
	const out = new Map<string, Shown>();
	const add = (label: string, name: string, property: INodeProperties) =>
		out.set(label, {
			name,
			type: property.type,
			default: JSON.stringify(property.default),
			required: property.required === true,
		});
	for (const property of properties) {
		if (!shows(property, values, version)) continue;
		add(property.displayName, property.name, property);
		if (property.type !== 'collection') continue;
		for (const member of (property.options ?? []) as INodeProperties[])
			if (shows(member, values, version))
				add(
					`${property.displayName} > ${member.displayName}`,
					`${property.name}.${member.name}`,
					member,
				);
	}
	return out;
}

/** Where the vendors really differ (lib/contacts and /work/shared/reference): Autotask requires a last name, ConnectWise does not. */
const VENDOR_DIFFERENCES = new Set(['create: Last Name required']);

describe('Autotask Contact and ConnectWise Contact agree', () => {
	// Every operation both nodes have (each outputs a contact).
	test.each(CONTACT_OUTPUT_OPERATIONS)(
		'%s: what both nodes show has one name, type, default and required flag',
		(operation) => {
			const autotask = shownParameters('autotaskContact', operation);
			const connectwise = shownParameters('connectWiseContact', operation);
			const disagreements: string[] = [];
			for (const [label, mine] of autotask) {
				const theirs = connectwise.get(label);
				if (!theirs) continue;
				for (const aspect of ['name', 'type', 'default', 'required'] as const)
					if (
						mine[aspect] !== theirs[aspect] &&
						!VENDOR_DIFFERENCES.has(`${operation}: ${label} ${aspect}`)
					)
						disagreements.push(
							`${label} ${aspect}: ${String(mine[aspect])} / ${String(theirs[aspect])}`,
						);
			}
			expect(disagreements).toEqual([]);
		},
	);

	test('the things the issue found are one thing now', () => {
		const get = shownParameters('connectWiseContact', 'get');
		expect(get.get('Contact')?.name).toBe('contactId');
		const find = shownParameters('connectWiseContact', 'findByEmail');
		expect(find.get('Find Options > Output Items Not Found')).toMatchObject({
			name: 'findOptions.outputNotFound',
			default: 'true',
		});
		expect(
			shownParameters('connectWiseContact', 'getAll').get('Filters > Last Modified Since')?.name,
		).toBe('filters.modifiedSince');
		for (const node of ['autotaskContact', 'connectWiseContact'])
			expect(shownParameters(node, 'create').get('Email')).toMatchObject({ required: false });
	});
});

describe('one name for the Microsoft 365 node', () => {
	const NAME = 'Microsoft 365 Users';

	test('the node, its default name and every template call it Microsoft 365 Users', () => {
		const { type } = description('office365Users');
		expect(type.description.displayName).toBe(NAME);
		expect(type.description.defaults.name).toBe(NAME);
		const workflows = path.join(PACKAGE_ROOT, 'workflows');
		for (const file of fs.readdirSync(workflows).filter((f) => f.endsWith('.json'))) {
			const workflow = JSON.parse(fs.readFileSync(path.join(workflows, file), 'utf8')) as {
				nodes: Array<{ name: string; type: string }>;
			};
			for (const node of workflow.nodes.filter((n) => n.type.endsWith('.office365Users')))
				expect(`${file}: ${node.name}`).toBe(`${file}: ${NAME}`);
		}
	});

	test('no text a user reads says Office 365 Users', () => {
		const found: string[] = [];
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const file = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(file);
				else if (
					/\.(ts|json|md)$/.test(entry.name) &&
					fs.readFileSync(file, 'utf8').includes('Office 365 Users')
				)
					found.push(path.relative(PACKAGE_ROOT, file));
			}
		};
		for (const dir of ['nodes', 'credentials', 'lib', 'workflows', 'docs'])
			walk(path.join(PACKAGE_ROOT, dir));
		for (const file of ['README.md', 'sandbox/README.md'])
			if (fs.readFileSync(path.join(PACKAGE_ROOT, file), 'utf8').includes('Office 365 Users'))
				found.push(file);
		expect(found).toEqual([]);
	});
});

describe('priority maps', () => {
	test('each map says how an unset priority is matched for every priority its fields name, and no other', () => {
		const { properties } = description('rmmAlertToTicket');
		const maps = properties.filter((p) => /Priority Map$/.test(p.displayName));
		expect(maps.map((m) => m.displayName).sort()).toEqual([
			'ConnectWise Priority Map',
			'Priority Map',
		]);
		for (const map of maps) {
			const fields = (map.options as Array<{ values: INodeProperties[] }>)[0].values;
			const priorities = fields.map((f) => f.displayName.replace(/ Name or ID$/, ''));
			expect(priorities).toEqual(['Critical', 'High', 'Moderate', 'Low', 'Information']);
			const named = [...(map.description ?? '').matchAll(/([A-Z][a-z]+):/g)].map((m) => m[1]);
			expect(`${map.displayName}: ${named.join(', ')}`).toBe(
				`${map.displayName}: ${priorities.join(', ')}`,
			);
		}
	});
});

describe('no validation regex n8n would run before an execution', () => {
	// n8n checks a parameter's validation regexes before every execution in a vm with a 250 ms
	// budget (safe-regex); a busy machine misses it and the execution fails ("Regular expression
	// execution timed out"). The nodes check ids themselves, per item, naming the field.
	function regexValidations(value: unknown, where: string, found: string[]): string[] {
		if (Array.isArray(value)) value.forEach((v, i) => regexValidations(v, `${where}[${i}]`, found));
		else if (value && typeof value === 'object') {
			for (const [key, member] of Object.entries(value)) {
				if (
					key === 'validation' &&
					Array.isArray(member) &&
					member.some((rule) => (rule as { type?: string }).type === 'regex')
				)
					found.push(where);
				regexValidations(member, `${where}.${key}`, found);
			}
		}
		return found;
	}

	test('no parameter of any node has one', () => {
		const found: string[] = [];
		for (const [name, type] of Object.entries(pkg.nodes))
			regexValidations(type.description.properties, name, found);
		expect(found).toEqual([]);
	});

	test.each([
		['autotaskContact', 'contactId', { resource: 'contact', operation: 'get' }],
		['connectWiseContact', 'contactId', { resource: 'contact', operation: 'get' }],
		['autotaskContact', 'company', { resource: 'contact', operation: 'create' }],
		['office365Users', 'user', { resource: 'user', operation: 'get' }],
	])('%s %s: n8n finds no issue in a typed id it would have checked', (node, field, values) => {
		const { type, version } = description(node);
		const parameters = { ...values, [field]: { __rl: true, mode: 'id', value: 'not an id' } };
		const issues = NodeHelpers.getNodeParametersIssues(
			type.description.properties,
			{
				id: node,
				name: node,
				type: `${PACKAGE_NAME}.${node}`,
				typeVersion: version,
				position: [0, 0],
				parameters,
			} as INode,
			type.description,
		);
		expect(issues?.parameters?.[field]).toBeUndefined();
	});
});
