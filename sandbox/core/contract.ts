// Placeholder until the contract validator lands: records nothing.
import type { ContractChecker, SandboxRequest, SandboxResponse, SandboxVendor } from './http';

export interface ContractViolation {
	vendor: SandboxVendor;
	direction: 'request' | 'response';
	method: string;
	path: string;
	template?: string;
	status?: number;
	errors: string[];
}

export function createContractChecker(): ContractChecker & { violations: ContractViolation[] } {
	const violations: ContractViolation[] = [];
	return {
		violations,
		check(_vendor: SandboxVendor, _request: SandboxRequest, _response: SandboxResponse, _template?: string) {},
	};
}
