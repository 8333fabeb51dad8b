/**
 * Local stand-ins for the four vendor APIs on 127.0.0.1, for tests, the demo, benchmarks and
 * users who want to try the templates without production tenants.
 */
import { createAutotaskSandbox } from './autotask';
import { createConnectWiseSandbox } from './connectwise';
import { createContractChecker } from './core/contract';
import type { ContractViolation } from './core/contract';
import { FaultInjector } from './core/faults';
import { VendorServer } from './core/http';
import { RequestLog } from './core/log';
import { DEFAULT_SEED_DIR, emptySeed, readSeed, SeedError, writeSeed } from './core/seed';
import type { Seed } from './core/seed';
import type { SandboxVendor } from './core/types';
import type { VendorContext, VendorSandbox } from './core/vendor';
import { SANDBOX_IDENTITIES } from './credentials';
import { createDattoSandbox } from './datto';
import { createGraphSandbox } from './graph';

export interface SandboxOptions {
	/** A seed folder (vendor-native layout); default: the shipped default seed. */
	seedDir?: string;
	/** A seed object instead of a folder; `emptySeed()` for a blank sandbox. */
	seed?: Seed;
	/** Fixed ports (0 = any free port). */
	ports?: Partial<Record<SandboxVendor, number>>;
	host?: string;
	/** Validate every request and response against the vendors' documents in sandbox/specs (default true). */
	contract?: boolean;
	faultSeed?: number;
}

export interface Sandbox {
	urls: Record<SandboxVendor, string>;
	/** n8n credential data pointing at this sandbox, by credential type name. */
	credentials: Record<
		'autotaskApi' | 'connectWiseManageApi' | 'microsoftGraphAppApi' | 'dattoRmmApi',
		Record<string, string>
	>;
	log: RequestLog;
	faults: FaultInjector;
	contractViolations: ContractViolation[];
	autotask: ReturnType<typeof createAutotaskSandbox>['state'];
	connectwise: ReturnType<typeof createConnectWiseSandbox>['state'];
	graph: ReturnType<typeof createGraphSandbox>['state'];
	datto: ReturnType<typeof createDattoSandbox>['state'];
	dump(): Seed;
	dumpTo(directory: string): void;
	stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const seed = options.seed ?? readSeed(options.seedDir ?? DEFAULT_SEED_DIR);
	const log = new RequestLog();
	const faults = new FaultInjector(options.faultSeed);
	const contract = options.contract === false ? undefined : createContractChecker();
	const servers = {} as Record<SandboxVendor, VendorServer>;

	const context = (vendor: SandboxVendor): VendorContext => ({
		baseUrl: () => servers[vendor].url,
		log,
		faults,
	});

	const modules = {
		autotask: createAutotaskSandbox(seed.autotask, context('autotask')),
		connectwise: createConnectWiseSandbox(seed.connectwise, context('connectwise')),
		graph: createGraphSandbox(seed.graph, context('graph')),
		datto: createDattoSandbox(seed.datto, context('datto')),
	};

	for (const vendor of Object.keys(modules) as SandboxVendor[]) {
		const module = modules[vendor] as VendorSandbox;
		servers[vendor] = new VendorServer({
			vendor,
			router: module.router,
			log,
			faults,
			contract,
			notFound: module.notFound,
			methodNotAllowed: module.methodNotAllowed,
			host: options.host,
		});
		await servers[vendor].start(options.ports?.[vendor] ?? 0);
	}

	const urls = Object.fromEntries(
		(Object.keys(servers) as SandboxVendor[]).map((vendor) => [vendor, servers[vendor].url]),
	) as Record<SandboxVendor, string>;

	const dump = (): Seed => {
		const out = emptySeed() as unknown as Record<string, Record<string, unknown[]>>;
		for (const vendor of Object.keys(modules) as SandboxVendor[]) {
			Object.assign(out[vendor], (modules[vendor] as VendorSandbox).dump());
		}
		return out as unknown as Seed;
	};

	const sandbox: Sandbox = {
		urls,
		credentials: {
			autotaskApi: {
				username: SANDBOX_IDENTITIES.autotask.username,
				secret: SANDBOX_IDENTITIES.autotask.secret,
				integrationCode: SANDBOX_IDENTITIES.autotask.integrationCode,
				zone: 'auto',
				discoveryUrl: `${urls.autotask}/atservicesrest`,
			},
			connectWiseManageApi: {
				region: 'custom',
				customUrl: urls.connectwise,
				companyId: SANDBOX_IDENTITIES.connectwise.companyId,
				publicKey: SANDBOX_IDENTITIES.connectwise.publicKey,
				privateKey: SANDBOX_IDENTITIES.connectwise.privateKey,
				clientId: SANDBOX_IDENTITIES.connectwise.clientId,
				apiVersion: '2025.1',
			},
			microsoftGraphAppApi: {
				cloud: 'custom',
				graphUrl: urls.graph,
				loginUrl: urls.graph,
				tenantId: SANDBOX_IDENTITIES.graph.tenantId,
				clientId: SANDBOX_IDENTITIES.graph.clientId,
				clientSecret: SANDBOX_IDENTITIES.graph.clientSecret,
			},
			dattoRmmApi: {
				platform: 'custom',
				customUrl: urls.datto,
				apiKey: SANDBOX_IDENTITIES.datto.apiKey,
				apiSecret: SANDBOX_IDENTITIES.datto.apiSecret,
			},
		},
		log,
		faults,
		contractViolations: contract?.violations ?? [],
		autotask: modules.autotask.state,
		connectwise: modules.connectwise.state,
		graph: modules.graph.state,
		datto: modules.datto.state,
		dump,
		dumpTo: (directory: string) => writeSeed(directory, dump()),
		stop: async () => {
			await Promise.all(Object.values(servers).map(async (server) => await server.stop()));
		},
	};
	return sandbox;
}

export { DEFAULT_SEED_DIR, emptySeed, readSeed, SeedError, writeSeed };
export type { Seed };
