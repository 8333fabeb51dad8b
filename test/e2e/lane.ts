import type { INodeType } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/index';
import type { PackedPackage } from '../../dev/n8n/pack';
import { PACKAGE_CREDENTIALS } from '../../dev/n8n/setup';
import type { DataTable } from '../../dev/n8n/dataTables';
import type { N8nServer, PublicApi, RestSession } from '../../dev/n8n/server';
import type { CredentialRefs, ImportedTemplate } from '../../dev/n8n/templates';

export type { ImportedTemplate };

export type Group = 'install' | 'cli' | 'webhook' | 'map' | 'editor';
export const GROUPS: Group[] = ['install', 'cli', 'webhook', 'map', 'editor'];

/** The seven node types the package must ship (name → display name). */
export const EXPECTED_NODES: Record<string, string> = {
	autotaskContact: 'Autotask Contact',
	connectWiseContact: 'ConnectWise Contact',
	office365Users: 'Microsoft 365 Users',
	contactReconcile: 'Contact Reconcile',
	contactSyncReport: 'Contact Sync Report',
	rmmAlertToTicket: 'RMM Alert to Ticket',
	rmmDeviceToConfigurationItem: 'RMM Device to Configuration Item',
};

export const EXPECTED_CREDENTIALS: readonly string[] = PACKAGE_CREDENTIALS;

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
	/** The key the map-driven checks use (Data Tables, workflows, executions). */
	dataApi?: PublicApi;
	/** The "Customer Map" Data Table made from the seed's customer map. */
	customerMap?: DataTable;
	/** CLI runs meant to fail: n8n's execution list must show each of them as failed. */
	failedRuns: Array<{ workflowId: string; label: string }>;
}

export function wants(lane: Lane, group: Group): boolean {
	return !lane.only || lane.only.has(group);
}

export function fail(lane: Lane, message: string): void {
	lane.failures.push(message);
}
