import { EXPECTED_CREDENTIALS, EXPECTED_NODES } from '../lane';
import type { Lane } from '../lane';
import { PACKAGE_NAME } from '../../../dev/n8n/paths';
import { detail } from '../../../dev/n8n/progress';

interface NodeTypeDescription {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
	icon?: unknown;
	version: number | number[];
}

interface CredentialTypeDescription {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
}

async function fetchOk(
	url: string,
	cookie: string,
): Promise<{ status: number; type: string; size: number }> {
	const response = await fetch(url, { headers: { cookie } });
	const body = await response.arrayBuffer();
	return {
		status: response.status,
		type: response.headers.get('content-type') ?? '',
		size: body.byteLength,
	};
}

/** What the editor loads: /types/nodes.json and /types/credentials.json, and every icon they name. */
export async function checkNodeTypes(lane: Lane): Promise<void> {
	const session = lane.session!;
	const base = session.server.url;
	const nodes = await session.get<NodeTypeDescription[]>('/types/nodes.json');
	const ours = nodes.filter((node) => node.name.startsWith(`${PACKAGE_NAME}.`));
	detail(
		`/types/nodes.json: ${nodes.length} types, ${ours.length} from ${PACKAGE_NAME} (${ours.map((node) => node.name.slice(PACKAGE_NAME.length + 1)).join(', ') || 'none'})`,
	);
	for (const [name, displayName] of Object.entries(EXPECTED_NODES)) {
		const type = ours.find((node) => node.name === `${PACKAGE_NAME}.${name}`);
		if (!type) {
			lane.failures.push(
				`/types/nodes.json does not list ${PACKAGE_NAME}.${name} (${displayName})`,
			);
			continue;
		}
		if (type.displayName !== displayName)
			lane.failures.push(
				`${PACKAGE_NAME}.${name} is shown as "${type.displayName}", expected "${displayName}"`,
			);
		await checkIcons(lane, `node ${displayName}`, type.iconUrl, base, session.cookie);
	}
	const credentials = await session.get<CredentialTypeDescription[]>('/types/credentials.json');
	for (const name of EXPECTED_CREDENTIALS) {
		const type = credentials.find((credential) => credential.name === name);
		if (!type) {
			lane.failures.push(`/types/credentials.json does not list the ${name} credential`);
			continue;
		}
		await checkIcons(lane, `credential ${type.displayName}`, type.iconUrl, base, session.cookie);
	}
	detail(
		`/types/credentials.json: ${EXPECTED_CREDENTIALS.filter((name) => credentials.some((credential) => credential.name === name)).join(', ')}`,
	);
}

async function checkIcons(
	lane: Lane,
	what: string,
	iconUrl: NodeTypeDescription['iconUrl'],
	base: string,
	cookie: string,
): Promise<void> {
	if (!iconUrl) {
		lane.failures.push(`${what} has no icon in n8n's type list`);
		return;
	}
	const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark];
	for (const url of urls) {
		const result = await fetchOk(`${base}/${url.replace(/^\//, '')}`, cookie);
		if (result.status !== 200 || !result.type.includes('svg') || result.size < 100) {
			lane.failures.push(
				`${what}: icon ${url} answered ${result.status} ${result.type} (${result.size} bytes)`,
			);
		}
	}
}

/** n8n's own credential test (POST /rest/credentials/test) for each imported credential. */
export async function checkCredentialTests(lane: Lane): Promise<void> {
	const session = lane.session!;
	const sandbox = lane.sandbox!;
	const results: string[] = [];
	for (const [type, ref] of Object.entries(lane.credentialRefs)) {
		const data = sandbox.credentials[type as keyof typeof sandbox.credentials];
		const result = await session.post<{ status: string; message?: string }>(
			'/rest/credentials/test',
			{
				credentials: { id: ref.id, name: ref.name, type, data },
			},
		);
		results.push(`${type} ${result.status}`);
		if (result.status !== 'OK')
			lane.failures.push(
				`Credential test of ${type} in n8n: ${result.status} ${result.message ?? ''}`,
			);
	}
	detail(`credential tests: ${results.join(', ')}`);
}
