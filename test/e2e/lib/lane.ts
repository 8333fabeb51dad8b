import type { INodeType } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox/index';
import type { PackedPackage } from './pack';
import type { N8nServer, RestSession } from './server';
import type { CredentialRefs, TemplateSpec, WorkflowJson } from './templates';

export type Group = 'install' | 'cli' | 'webhook' | 'editor';
export const GROUPS: Group[] = ['install', 'cli', 'webhook', 'editor'];

/** The five node types the package must ship (name → display name). */
export const EXPECTED_NODES: Record<string, string> = {
	autotaskContact: 'Autotask Contact',
	connectWiseContact: 'ConnectWise Contact',
	office365Users: 'Office 365 Users',
	contactReconcile: 'Contact Reconcile',
	rmmAlertToTicket: 'RMM Alert to Ticket',
};

export const EXPECTED_CREDENTIALS = [
	'autotaskApi',
	'connectWiseManageApi',
	'microsoftGraphAppApi',
	'dattoRmmApi',
];

export interface ImportedTemplate {
	spec: TemplateSpec;
	/** The workflow id in n8n. */
	id: string;
	/** As imported (credentials bound). */
	workflow: WorkflowJson;
}

/** State shared by the lane's steps. */
export interface Lane {
	only?: Set<Group>;
	keep: boolean;
	/** Check failures collected along the way; any of them fails the lane at the end. */
	failures: string[];
	notes: string[];
	packed?: PackedPackage;
	packageDir?: string;
	/** Our node types as n8n-core's PackageDirectoryLoader loads them from the installed package. */
	nodeTypes: Record<string, INodeType>;
	sandbox?: Sandbox;
	credentialRefs: CredentialRefs;
	templates: ImportedTemplate[];
	server?: N8nServer;
	session?: RestSession;
}

export function wants(lane: Lane, group: Group): boolean {
	return !lane.only || lane.only.has(group);
}

export function fail(lane: Lane, message: string): void {
	lane.failures.push(message);
}
