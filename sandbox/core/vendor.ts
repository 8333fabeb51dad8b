/** The seam between the assembly (sandbox/index.ts) and each vendor module (sandbox/<vendor>/). */
import type { FaultInjector } from './faults';
import type { Router } from './http';
import type { RequestLog } from './log';
import type { SandboxRequest, SandboxResponse } from './types';

/** What each vendor module provides. */
export interface VendorSandbox<State = unknown> {
	router: Router;
	/** Live, mutable state: tests may read and change it directly. */
	state: State;
	/** The state in the seed layout (vendor-native JSON arrays; Graph's per-tenant users by tenant id). */
	dump(): Record<string, unknown>;
	notFound?: (request: SandboxRequest) => SandboxResponse;
	methodNotAllowed?: (request: SandboxRequest) => SandboxResponse;
}

/** What a vendor module gets from the assembly. */
export interface VendorContext {
	/** The server's own base URL, known once it listens (for next-page and zone links). */
	baseUrl(): string;
	log: RequestLog;
	faults: FaultInjector;
}
