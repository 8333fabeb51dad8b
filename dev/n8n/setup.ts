import type { INodeType } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/index';
import { importCredentials, importWorkflows } from './n8n';
import type { StoredCredential } from './n8n';
import { detail } from './progress';
import { bindTemplate, readTemplate, TEMPLATES, withWebhookStart } from './templates';
import type { CredentialRefs, ImportedTemplate } from './templates';

/**
 * What every real-n8n run sets up the same way (the e2e lane, `npm run try`, the queue lane):
 * one credential of each of the package's types pointed at the sandbox, and the shipped templates
 * with their credentials bound to those.
 */

/** The credential types the package ships, as n8n names them. */
export const PACKAGE_CREDENTIALS = [
	'autotaskApi',
	'connectWiseManageApi',
	'microsoftGraphAppApi',
	'dattoRmmApi',
] as const;

const CREDENTIAL_NAMES: Record<(typeof PACKAGE_CREDENTIALS)[number], string> = {
	autotaskApi: 'Autotask (sandbox)',
	connectWiseManageApi: 'ConnectWise Manage (sandbox)',
	microsoftGraphAppApi: 'Microsoft 365 (sandbox)',
	dattoRmmApi: 'Datto RMM (sandbox)',
};

/** `n8n import:credentials` of one credential per type, with the sandbox's values. */
export async function importSandboxCredentials(
	sandbox: Sandbox,
	env?: NodeJS.ProcessEnv,
): Promise<CredentialRefs> {
	const stored: StoredCredential[] = PACKAGE_CREDENTIALS.map((type, index) => ({
		id: `mspSandboxCredent${index + 1}`,
		name: CREDENTIAL_NAMES[type],
		type,
		data: sandbox.credentials[type] as Record<string, unknown>,
	}));
	await importCredentials(stored, env);
	detail(`imported ${stored.length} credentials with n8n import:credentials`);
	return Object.fromEntries(
		stored.map((entry) => [entry.type, { id: entry.id, name: entry.name }]),
	);
}

/**
 * `n8n import:workflow` of each shipped template as a user imports it (credentials bound, nothing
 * else changed; with `webhookStarts`, a map-driven one also gets the webhook the lanes start it
 * through). A template file that is missing is reported through `missing`.
 */
export async function importTemplates(
	credentials: CredentialRefs,
	nodeTypes: Record<string, INodeType>,
	missing: (message: string) => void,
	env?: NodeJS.ProcessEnv,
	options: { webhookStarts?: boolean } = {},
): Promise<ImportedTemplate[]> {
	const imported: ImportedTemplate[] = [];
	for (const spec of TEMPLATES) {
		const template = readTemplate(spec);
		if (!template) {
			missing(`Template workflows/${spec.file} is missing`);
			detail(`workflows/${spec.file}: MISSING`);
			continue;
		}
		const bound = bindTemplate(template, spec, credentials, nodeTypes);
		const workflow =
			spec.webhookPath && options.webhookStarts
				? { ...withWebhookStart(bound.workflow, spec.webhookPath), id: bound.workflow.id }
				: bound.workflow;
		imported.push({ spec, id: workflow.id, workflow });
		detail(
			`workflows/${spec.file}: imports as ${workflow.id} (${workflow.nodes.length} nodes; credentials: ${bound.bound.join(', ') || 'none'}${spec.webhookPath && options.webhookStarts ? `; started from /webhook/${spec.webhookPath}` : ''})`,
		);
	}
	// One CLI start for all of them (each start costs seconds on a busy machine).
	await importWorkflows(
		imported.map((entry) => entry.workflow),
		env,
	);
	detail(`imported ${imported.length} workflows with one n8n import:workflow --separate`);
	return imported;
}
