/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
/**
 * npm run sandbox -- [--seed DIR] [--port-base N] [--latency MS] [--dump DIR] [--host HOST] [--quiet] [--no-contract]
 *
 * Starts the four vendor sandboxes on fixed ports (Autotask, ConnectWise, Graph, Datto = base+0..3,
 * default 7701-7704), prints the base URLs and the credential values to enter in n8n, logs every
 * request, and keeps running until Ctrl-C (then writes the state to --dump DIR if asked).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { AutotaskApi } from '../credentials/AutotaskApi.credentials';
import { ConnectWiseManageApi } from '../credentials/ConnectWiseManageApi.credentials';
import { DattoRmmApi } from '../credentials/DattoRmmApi.credentials';
import { MicrosoftGraphAppApi } from '../credentials/MicrosoftGraphAppApi.credentials';
import { describeViolations } from '../sandbox/core/contract';
import type { SandboxVendor } from '../sandbox/core/types';
import { DEFAULT_SEED_DIR, startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { readScenarioFile, SCENARIO_FILE } from '../sandbox/scenario';

const VENDORS: SandboxVendor[] = ['autotask', 'connectwise', 'graph', 'datto'];

const VENDOR_NAMES: Record<SandboxVendor, string> = {
	autotask: 'Autotask PSA',
	connectwise: 'ConnectWise Manage',
	graph: 'Microsoft Graph',
	datto: 'Datto RMM',
};

const CREDENTIAL_TYPES: Array<[keyof Sandbox['credentials'], ICredentialType]> = [
	['autotaskApi', new AutotaskApi()],
	['connectWiseManageApi', new ConnectWiseManageApi()],
	['microsoftGraphAppApi', new MicrosoftGraphAppApi()],
	['dattoRmmApi', new DattoRmmApi()],
];

export const DEFAULT_PORT_BASE = 7701;

export interface CliOptions {
	seedDir: string;
	/** 0 = any free ports. */
	portBase: number;
	latencyMs: number;
	dumpDir?: string;
	host: string;
	quiet: boolean;
	contract: boolean;
}

const USAGE = `Usage: npm run sandbox -- [options]

  --seed DIR        seed folder (default: the shipped seed, sandbox/seed/default)
  --port-base N     Autotask on N, ConnectWise N+1, Graph N+2, Datto N+3 (default ${DEFAULT_PORT_BASE}; 0 = any free ports)
  --latency MS      add MS milliseconds to every answer
  --dump DIR        write the sandbox state to DIR (seed layout) on exit
  --host HOST       address to listen on and to put in URLs (default 127.0.0.1)
  --quiet           do not print each request
  --no-contract     do not validate requests and answers against the vendor documents
  --help            this text
`;

export function parseArguments(argv: string[]): CliOptions | { help: true } | { error: string } {
	const options: CliOptions = {
		seedDir: DEFAULT_SEED_DIR,
		portBase: DEFAULT_PORT_BASE,
		latencyMs: 0,
		host: '127.0.0.1',
		quiet: false,
		contract: true,
	};
	const args = argv.flatMap((arg) =>
		arg.startsWith('--') && arg.includes('=')
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg],
	);
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const value = (): string | undefined => {
			const next = args[i + 1];
			if (next === undefined || next.startsWith('--')) return undefined;
			i++;
			return next;
		};
		const number = (name: string, min: number, max: number): number | { error: string } => {
			const text = value();
			const parsed = Number(text);
			if (text === undefined || !Number.isInteger(parsed) || parsed < min || parsed > max) {
				return { error: `${name} needs a whole number from ${min} to ${max}` };
			}
			return parsed;
		};
		switch (arg) {
			case '--help':
			case '-h':
				return { help: true };
			case '--seed': {
				const dir = value();
				if (!dir) return { error: '--seed needs a folder' };
				options.seedDir = path.resolve(dir);
				if (!fs.existsSync(options.seedDir) || !fs.statSync(options.seedDir).isDirectory()) {
					return { error: `--seed: ${options.seedDir} is not a folder` };
				}
				break;
			}
			case '--port-base': {
				const n = number('--port-base', 0, 65532);
				if (typeof n !== 'number') return n;
				options.portBase = n;
				break;
			}
			case '--latency': {
				const n = number('--latency', 0, 600_000);
				if (typeof n !== 'number') return n;
				options.latencyMs = n;
				break;
			}
			case '--dump': {
				const dir = value();
				if (!dir) return { error: '--dump needs a folder' };
				options.dumpDir = path.resolve(dir);
				break;
			}
			case '--host': {
				const host = value();
				if (!host) return { error: '--host needs an address' };
				options.host = host;
				break;
			}
			case '--quiet':
				options.quiet = true;
				break;
			case '--no-contract':
				options.contract = false;
				break;
			default:
				return { error: `unknown option ${arg}` };
		}
	}
	return options;
}

/** The credential values as n8n shows them: field labels, option names instead of values. */
export function describeCredentials(sandbox: Sandbox): string {
	const lines: string[] = [];
	for (const [name, type] of CREDENTIAL_TYPES) {
		const data = sandbox.credentials[name];
		lines.push(`  ${type.displayName}  (credential type ${name})`);
		const shown = new Set<string>();
		const rows: Array<[string, string]> = [];
		for (const property of type.properties) {
			if (property.type === 'hidden' || !(property.name in data) || shown.has(property.name))
				continue;
			shown.add(property.name);
			let value = String(data[property.name]);
			if (property.type === 'options') {
				const option = (property.options ?? []).find(
					(o) => 'value' in o && o.value === data[property.name],
				);
				if (option) value = option.name;
			}
			rows.push([property.displayName, value]);
		}
		for (const key of Object.keys(data)) {
			if (!shown.has(key)) rows.push([key, String(data[key])]);
		}
		const width = Math.max(...rows.map(([label]) => label.length)) + 2;
		for (const [label, value] of rows) lines.push(`    ${label.padEnd(width)}${value}`);
		lines.push('');
	}
	return lines.join('\n');
}

function describeScenario(seedDir: string): string | undefined {
	const file = path.join(seedDir, SCENARIO_FILE);
	if (!fs.existsSync(file)) return undefined;
	try {
		const sync = readScenarioFile(file).contactSync;
		return (
			`  Contact sync demo: Microsoft 365 users of ${sync.domains.length ? sync.domains.join(', ') : '(all domains)'} ` +
			`-> Autotask company ${sync.autotaskCompanyId} and ConnectWise company ${sync.connectwiseCompanyId}`
		);
	} catch {
		return undefined; // the demo reports what is wrong with it
	}
}

const write = (text: string): void => {
	process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

export async function main(argv: string[]): Promise<number> {
	const parsed = parseArguments(argv);
	if ('help' in parsed) {
		write(USAGE);
		return 0;
	}
	if ('error' in parsed) {
		process.stderr.write(`sandbox: ${parsed.error}\n\n${USAGE}`);
		return 2;
	}
	const options = parsed;
	const ports = Object.fromEntries(
		VENDORS.map((vendor, index) => [vendor, options.portBase === 0 ? 0 : options.portBase + index]),
	) as Record<SandboxVendor, number>;

	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox({
			seedDir: options.seedDir,
			ports,
			host: options.host,
			contract: options.contract,
		});
	} catch (error) {
		const message =
			(error as NodeJS.ErrnoException).code === 'EADDRINUSE'
				? `a port in ${options.portBase}-${options.portBase + 3} is already in use (${(error as Error).message}); pick another --port-base, or 0 for any free ports`
				: `could not start: ${(error as Error).message}`;
		process.stderr.write(`sandbox: ${message}\n`);
		return 1;
	}
	for (const vendor of VENDORS)
		if (options.latencyMs) sandbox.faults.setLatency(vendor, options.latencyMs);

	write(
		`n8n-nodes-msp sandbox\n  seed: ${options.seedDir}\n  contract checks: ${options.contract ? 'on' : 'off'}${options.latencyMs ? `\n  latency: +${options.latencyMs} ms per answer` : ''}\n`,
	);
	write('Base URLs');
	for (const vendor of VENDORS)
		write(`  ${VENDOR_NAMES[vendor].padEnd(20)}${sandbox.urls[vendor]}`);
	write('');
	write('Credentials to create in n8n (Credentials > Add credential; use these values):\n');
	write(describeCredentials(sandbox));
	const scenario = describeScenario(options.seedDir);
	if (scenario) write(`\n${scenario}\n`);
	write(
		`Ready. ${options.quiet ? '' : 'Requests are listed below. '}Press Ctrl-C to stop${options.dumpDir ? ` (state is written to ${options.dumpDir})` : ''}.`,
	);

	let printedRequests = 0;
	let printedViolations = 0;
	const flush = (): void => {
		if (!options.quiet) {
			const entries = sandbox.log.entries;
			for (; printedRequests < entries.length; printedRequests++) {
				const entry = entries[printedRequests];
				if (entry.status === -1) break;
				write(
					`  [${entry.vendor}] ${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''} -> ${entry.status || 'connection cut'}${entry.fault ? ` (fault: ${entry.fault})` : ''} ${entry.durationMs} ms`,
				);
			}
		}
		const violations = sandbox.contractViolations;
		if (violations.length > printedViolations) {
			write(
				`  ! contract: ${describeViolations(violations.slice(printedViolations)).replace(/\n/g, '\n    ')}`,
			);
			printedViolations = violations.length;
		}
	};
	const ticker = setInterval(flush, 200);

	return await new Promise<number>((resolve) => {
		let stopping = false;
		const stop = (signal: string): void => {
			if (stopping) return;
			stopping = true;
			clearInterval(ticker);
			flush();
			void (async () => {
				let code = 0;
				try {
					if (options.dumpDir) {
						sandbox.dumpTo(options.dumpDir);
						write(`State written to ${options.dumpDir}`);
					}
				} catch (error) {
					process.stderr.write(`sandbox: could not write the dump: ${(error as Error).message}\n`);
					code = 1;
				}
				const counts = VENDORS.map((vendor) => `${vendor} ${sandbox.log.count({ vendor })}`).join(
					', ',
				);
				write(
					`Stopped on ${signal}. Requests: ${counts}. Contract violations: ${sandbox.contractViolations.length}.`,
				);
				await sandbox.stop();
				resolve(code);
			})();
		};
		process.once('SIGINT', () => stop('SIGINT'));
		process.once('SIGTERM', () => stop('SIGTERM'));
	});
}

if (require.main === module) {
	void main(process.argv.slice(2)).then((code) => process.exit(code));
}
